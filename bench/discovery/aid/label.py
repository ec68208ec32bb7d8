#!/usr/bin/env python3
"""label.py ID "main=1,2-5,7:/pattern/ sec=4,5": writes ../labels/wcxb-ID.json for page ID of /work/dev/wcxb_nonarticle
from the aid's groups (summary.py numbers; `:/pattern/` keeps only URLs containing it). URLs are
percent-encoded as a browser would (`{"` in a query becomes `%7B%22`), as discovery writes them."""
import sys, os, json, re
here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
from summary import groups_of, site
from urllib.parse import urlparse, quote
SAFE = ":/?#[]@!$&'()*+,;=%~-._"
pid, rule = sys.argv[1], sys.argv[2]
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
         "source": {"set": "wcxb_nonarticle", "id": pid}, "rule": "groups " + rule, "main": main, "secondary": sec}
out = os.path.join(here, "..", "labels", f"wcxb-{pid}.json")
json.dump(label, open(out, "w", encoding="utf-8"), ensure_ascii=False, indent=1)
print(out, len(main), len(sec))
