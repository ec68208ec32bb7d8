#!/usr/bin/env python3
"""Labelling aid: prints a page's links grouped by DOM path, with truth-text overlap."""
import json, re, sys, html
from html.parser import HTMLParser
from urllib.parse import urljoin, urldefrag, urlparse

VOID = {"area","base","br","col","embed","hr","img","input","link","meta","param","source","track","wbr"}
class P(HTMLParser):
    def __init__(s, base):
        super().__init__(convert_charrefs=True); s.stack=[]; s.links=[]; s.cur=None; s.base=base; s.skip=0
    def handle_starttag(s, tag, attrs):
        a=dict(attrs)
        if tag=="base" and a.get("href"): s.base=urljoin(s.base,a["href"])
        if tag in VOID: return
        if tag in ("script","style"): s.skip+=1
        cls=(a.get("class") or "").split()
        s.stack.append((tag, cls[0] if cls else "", a.get("id") or ""))
        if tag=="a" and a.get("href"):
            s.cur={"href":a["href"],"text":"","path":list(s.stack[:-1]),"title":a.get("title") or ""}
    def handle_endtag(s, tag):
        if tag in VOID: return
        if tag in ("script","style"): s.skip=max(0,s.skip-1)
        for i in range(len(s.stack)-1,-1,-1):
            if s.stack[i][0]==tag:
                if tag=="a" and s.cur is not None:
                    s.links.append(s.cur); s.cur=None
                del s.stack[i:]; break
    def handle_data(s, d):
        if s.cur is not None and not s.skip: s.cur["text"]+=d

def norm(t): return re.sub(r"\s+"," ",t).strip()

def links(path, url):
    raw=open(path,"rb").read()
    m=re.search(rb'charset=["\']?([A-Za-z0-9_-]+)', raw[:4000])
    enc=(m.group(1).decode() if m else "utf-8")
    try: text=raw.decode(enc, errors="replace")
    except LookupError: text=raw.decode("utf-8",errors="replace")
    p=P(url); p.feed(text)
    out=[]
    for l in p.links:
        h=l["href"].strip()
        if not h or h.startswith(("#","javascript:","mailto:","tel:")): continue
        u=urldefrag(urljoin(p.base,h))[0]
        if not u.startswith("http"): continue
        key=">".join(t+("."+re.sub(r"\d","",c) if c else "") for t,c,i in l["path"][-6:])
        out.append({"url":u,"text":norm(l["text"]) or norm(l["title"]),"key":key,"tags":[t for t,c,i in l["path"]]})
    return out

if __name__=="__main__":
    page=sys.argv[1]; meta=json.load(open(page[:-5]+".json"))
    truth=norm(meta.get("text") or "")
    ls=links(page, meta["url"])
    groups={}
    for l in ls: groups.setdefault(l["key"],[]).append(l)
    host=urlparse(meta["url"]).hostname
    print(meta["url"], len(ls), "links")
    for gi,(k,g) in enumerate(groups.items()):
        same=[l for l in g if (urlparse(l["url"]).hostname or "").split(".")[-2:]==host.split(".")[-2:]]
        intr=sum(1 for l in g if l["text"] and len(l["text"])>3 and l["text"] in truth)
        print(f"[{gi}] n={len(g)} same={len(same)} truth={intr} key=...{k[-90:]}")
        for l in g[:4]: print("     ", l["text"][:60], "|", l["url"][:100])
