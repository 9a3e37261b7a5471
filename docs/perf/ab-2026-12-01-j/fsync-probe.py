import os, time, sys
mode=sys.argv[1]
fd=os.open('/work/fsync.probe', os.O_RDWR|os.O_CREAT|os.O_TRUNC)
buf=b'x'*8192
if mode=='overwrite':
    os.write(fd, b'\0'*(8192*4000)); os.fsync(fd)
lat=[]
for i in range(2000):
    off = (i*8192) if mode!='overwrite' else ((i%4000)*8192)
    os.pwrite(fd, buf, off)
    t=time.perf_counter()
    if mode=='fsync': os.fsync(fd)
    else: os.fdatasync(fd)
    lat.append((time.perf_counter()-t)*1000)
    time.sleep(0.002)
os.close(fd); os.unlink('/work/fsync.probe')
lat.sort()
q=lambda p: lat[min(len(lat)-1,int(p*len(lat)))]
print(mode, "p50=%.3f p90=%.3f p99=%.3f max=%.3f ms"%(q(.5),q(.9),q(.99),lat[-1]))
