#!/usr/bin/env python3
import sys, os, json, subprocess, re
sys.path.insert(0, os.path.dirname(__file__))
from spec import PAGES, MH
MIR = {"opendatalab/magic-html": "/work/.mirror/opendatalab+magic-html/repo",
       "amumu-dev/cx-extractor": "/work/.mirror/amumu-dev+cx-extractor/repo",
       "chrislinan/cx-extractor-python": "/work/.mirror/chrislinan+cx-extractor-python/repo/.git"}
OUT = "/work/zh-audit/pages"
# article ends inside the 150-char window: cut the truth text there (read off the page)
TRIM = {"zh03_he_news_cn": ["农民增收。"], "zh16_sohu_sports": ["17分9助攻。"], "zh19_360kuai": ["广告"], "zh26_caijing": ["两报价均与上月持平。"]}
base = json.loads(subprocess.run(["git", "--git-dir", MIR[MH[0]], "show", MH[1] + ":benchmark/data/article/base.json"], capture_output=True).stdout)
def gd(repo): return MIR[repo]
for pid, (repo, commit, folder), fname, title, author, date, marker, url in PAGES:
    if repo == MH[0]:
        names = subprocess.run(["git", "--git-dir", gd(repo), "ls-tree", "--name-only", commit, folder], capture_output=True, text=True).stdout.split("\n")
        path = [n for n in names if os.path.basename(n).startswith(fname)][0]
        key = os.path.basename(path)[:-5]
        url = base[key]["url"]
    else:
        path = folder + fname
    raw = subprocess.run(["git", "--git-dir", gd(repo), "show", f"{commit}:{path}"], capture_output=True).stdout
    assert raw, (pid, path)
    hp = f"{OUT}/{pid}.html"
    open(hp, "wb").write(raw)
    lines = subprocess.run([sys.executable, os.path.join(os.path.dirname(os.path.abspath(__file__)), "view.py"), hp, "0", "1000000"], capture_output=True, text=True).stdout.split("\n")
    lines = [l.split(" | ", 1)[1] for l in lines[1:] if " | " in l]
    joined = "".join(lines)
    tpos = [m.start() for m in re.finditer(re.escape(title[:12]), joined)]
    start = tpos[1] if len(tpos) > 1 else (tpos[0] if tpos else 0)
    i = joined.find(marker, start)
    if i < 0: i = joined.find(marker)
    assert i >= 0, (pid, marker)
    text = re.sub(r"'\" id=\"sinaadtk[^>]*>", "", joined[i:i + 400])[:150].split("◎")[0]
    for end in TRIM.get(pid, ()):
        if end in text: text = text[:text.index(end)] if end == "广告" else text[:text.index(end) + len(end)]
    truth = {"url": url, "lang": "zh", "title": title, "author": author, "date": date, "text": text,
             "source": {"repo": repo, "commit": commit, "path": path}}
    json.dump(truth, open(f"{OUT}/{pid}.json", "w", encoding="utf-8"), ensure_ascii=False, indent=1)
    print(pid, "|", text[:90])
