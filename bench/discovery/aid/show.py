#!/usr/bin/env python3
"""show.py PAGE [GROUP...]: all same-site links of the chosen groups of the labelling aid (all groups if none)."""
import sys, os
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from summary import groups_of
from urllib.parse import urlparse
page = sys.argv[1]; want = [int(x) for x in sys.argv[2:]]
meta, gs = groups_of(page)
for gi, (k, g) in enumerate(gs):
    if want and gi not in want: continue
    print(f"[{gi}] {k[-80:]}")
    seen = set()
    for l in g:
        if l["url"] in seen: continue
        seen.add(l["url"])
        u = urlparse(l["url"]); print(f"    {l['text'][:50]:50s} | {(u.netloc if u.netloc != urlparse(meta['url']).netloc else '') + u.path + ('?' + u.query if u.query else '')}"[:150])
