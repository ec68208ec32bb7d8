#!/usr/bin/env python3
# usage: view.py FILE [start] [count]  -> visible text lines
import sys,re,html
b=open(sys.argv[1],'rb').read()
def dec(b):
    m=re.search(rb'charset\s*=\s*["\']?([\w-]+)',b[:5000],re.I)
    enc=(m.group(1).decode() if m else 'utf-8').lower()
    if enc in('gb2312','gbk','x-gbk'): enc='gb18030'
    for e in (enc,'utf-8','gb18030'):
        try: return b.decode(e)
        except Exception: pass
    return b.decode('utf-8','replace')
t=dec(b)
txt=re.sub(r'(?is)<(script|style|noscript)\b.*?</\1>','',t)
txt=re.sub(r'(?s)<!--.*?-->','',txt)
txt=re.sub(r'<[^>]+>','\n',txt); txt=html.unescape(txt)
lines=[l.strip() for l in txt.split('\n') if l.strip()]
s=int(sys.argv[2]) if len(sys.argv)>2 else 0; n=int(sys.argv[3]) if len(sys.argv)>3 else 60
for i in range(s,min(len(lines),s+n)): print(i,'|',lines[i][:300])
