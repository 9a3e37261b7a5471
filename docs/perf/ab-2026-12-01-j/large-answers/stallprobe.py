import http.client, time, threading, sys, json
port=int(sys.argv[1]); token=sys.argv[2]; board=sys.argv[3]; path=sys.argv[4]
stop=False; lat=[]
def probe():
    while not stop:
        t=time.perf_counter()
        c=http.client.HTTPConnection('127.0.0.1',port); c.request('GET','/health'); c.getresponse().read(); c.close()
        lat.append((time.perf_counter()-t)*1000); time.sleep(0.003)
th=threading.Thread(target=probe); th.start(); time.sleep(0.5)
base=sorted(lat)[len(lat)//2] if lat else 0; n0=len(lat)
res=[]
for i in range(5):
    t=time.perf_counter()
    c=http.client.HTTPConnection('127.0.0.1',port); c.request('GET',path.replace('B',board),headers={'Authorization':'Bearer '+token}); r=c.getresponse(); body=r.read(); c.close()
    res.append(((time.perf_counter()-t)*1000, r.status, len(body)))
    time.sleep(0.3)
stop=True; th.join()
during=lat[n0:]
print(path, "request ms", [round(x[0]) for x in res], "status", res[0][1], "bytes", res[0][2], "| probe median", round(base,2), "max during", round(max(during),1), "p99", round(sorted(during)[int(len(during)*0.99)],1), "n", len(during))
