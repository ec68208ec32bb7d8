#!/usr/bin/env python3
import json, sys, glob, os
from urllib.parse import urlparse
sys.path.insert(0, os.path.dirname(__file__))
from groups import links, norm
SECOND_LEVEL = {"co", "com", "net", "org", "gov", "edu", "ac", "or", "ne", "go", "gob", "nic"}
def site(h):
    """The registrable domain: two labels, three under a country's second level (news.com.au, cw.com.tw)."""
    l=(h or "").split(".")
    return ".".join(l[-3:] if len(l)>=3 and len(l[-1])==2 and l[-2] in SECOND_LEVEL else l[-2:])
def groups_of(page):
    meta=json.load(open(page[:-5]+".json"))
    ls=links(page, meta["url"]); host=site(urlparse(meta["url"]).hostname)
    gs={}
    for l in ls:
        if site(urlparse(l["url"]).hostname)!=host: continue
        gs.setdefault(l["key"],[]).append(l)
    return meta, list(gs.items())
if __name__=="__main__":
    for page in sys.argv[1:]:
        meta, gs = groups_of(page)
        truth=norm(meta.get("text") or "")
        print("==", os.path.basename(page)[:-5], meta["url"])
        for gi,(k,g) in enumerate(gs):
            urls=list(dict.fromkeys(l["url"] for l in g))
            words=sum(len(l["text"].split()) for l in g)/len(g)
            if len(urls)<2 and words<4: continue
            tr=sum(1 for l in g if l["text"] and len(l["text"])>3 and l["text"] in truth)
            t=next((l["text"] for l in g if l["text"]), "")
            print(f" {gi:3d} n{len(urls):3d} w{words:4.1f} t{tr:3d} {k[-45:]:45s} | {t[:38]:38s} | {urlparse(urls[0]).path[:45]}")
