#!/usr/bin/env python3
"""label.py ID "main=1,2-5,7:/pattern/ sec=4,5": writes ../labels/wcxb-ID.json for page ID of /work/dev/wcxb_nonarticle
label.py --repo-page PAGE.html NAME SOURCE_JSON "main=… sec=…": writes ../labels/NAME.json for a page taken from a
repository (PAGE.json beside it gives url and lang; SOURCE_JSON is the label's "source")
from the aid's groups (summary.py numbers; `:/pattern/` keeps only URLs containing it). URLs are
percent-encoded as a browser would (`{"` in a query becomes `%7B%22`), as discovery writes them."""
import sys, os, json, re
here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
from summary import groups_of, site
from urllib.parse import urlparse, quote
SAFE = ":/?#[]@!$&'()*+,;=%~-._"
args = sys.argv[1:]
source = None
if "--repo-page" in args:  # --repo-page PAGE.html NAME '{"repo", "commit", "path", "unwrap"?}'
    k = args.index("--repo-page")
    page, name, source = args[k + 1], args[k + 2], json.loads(args[k + 3])
    del args[k:k + 4]
pid, rule = args[0] if source is None else name, args[-1]
if source is None:
    page = f"/work/dev/wcxb_nonarticle/{pid}.html"
meta, gs = groups_of(page)
def pick(spec):
    if not spec: return []
    nums, _, pat = spec.partition(":")
    want = []
    for part in nums.split(","):
        if "-" in part: a, b = map(int, part.split("-")); want += range(a, b + 1)
        else: want.append(int(part))
    out = []
    for gi, (k, g) in enumerate(gs):
        if gi not in want: continue
        for l in g:
            if pat and pat not in l["url"]: continue
            out.append(quote(l["url"], safe=SAFE))
    return out
parts = dict(p.split("=", 1) for p in rule.split())
main = list(dict.fromkeys(pick(parts.get("main"))))
sec = [u for u in dict.fromkeys(pick(parts.get("sec"))) if u not in main]
label = {"url": meta["url"], "lang": meta.get("lang", "en"), "site": site(urlparse(meta["url"]).hostname),
         "source": source or {"set": "wcxb_nonarticle", "id": pid}, "rule": "groups " + rule, "main": main, "secondary": sec}
out = os.path.join(here, "..", "labels", f"{pid}.json" if source else f"wcxb-{pid}.json")
json.dump(label, open(out, "w", encoding="utf-8"), ensure_ascii=False, indent=1)
print(out, len(main), len(sec))
