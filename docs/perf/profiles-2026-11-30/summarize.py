import sys,collections,re
f,title=sys.argv[1],sys.argv[2]
tot=0; thr=collections.Counter(); self_=collections.Counter(); lb=collections.Counter(); el=0; wr=collections.Counter(); wt=0; dl=collections.Counter(); dt=0
for line in open(f):
    stack,_,n=line.rstrip().rpartition(' '); n=int(n); tot+=n
    fr=stack.split(';')
    t=re.sub(r'\d+','N',fr[0]); thr[t]+=n
    if 'eventloop' in fr[0]:
        el+=n
        l=[x for x in fr if 'org/linkboard' in x]
        lb[l[-1] if l else '(no Linkboard frame) '+fr[-1]]+=n
    if 'sqlite-writer' in fr[0]:
        wt+=n; s=stack
        if 'saveSnapshot' in s: k='saving snapshots'
        elif 'executeBatch' in s: k='batched inserts (ops, versions, watches)'
        elif 'JDBC3Statement.execute' in s and 'runGroupTransaction' in s: k='begin immediate / commit (WAL write + fsync)'
        elif 'runInSavepoint' in s: k='other statements (savepointed)'
        elif 'complete' in s: k='completing callers'
        elif 'take' in s or 'poll' in s: k='waiting for work'
        else: k='other'
        wr[k]+=n
    i=[j for j,x in enumerate(fr) if 'Session.deliverAll' in x]
    if i:
        dt+=n; rest=fr[i[-1]+1:]
        dl['flush (socket write: kernel)' if rest and 'flush' in rest[0] else ('write (frame through the Netty pipeline)' if rest else 'self')]+=n
def pr(c,total,k=20):
    for key,v in c.most_common(k): print('  %5.1f%%  %s'%(100*v/total,key[:150]))
print(title)
print('async-profiler 3.0, cpu, 1 ms, whole server process (start included), %d samples'%tot)
print('\nby thread:'); pr(thr,tot,8)
print('\nevent loops, by innermost Linkboard frame (%d samples):'%el); pr(lb,el,25)
if wt: print('\nstore writer thread (%d samples):'%wt); pr(wr,wt,8)
if dt: print('\nSession.deliverAll (%d samples):'%dt); pr(dl,dt,4)
