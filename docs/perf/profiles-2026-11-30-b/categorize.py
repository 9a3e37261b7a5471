import sys,collections,re
def cat(fr):
    s=';'.join(fr)
    t=fr[0]
    if 'Compiler' in t or 'C1 Compi' in t or 'C2 Compi' in t: return 'JIT'
    if 'GC' in t or 'G1' in t: return 'GC'
    if 'sqlite' in t: return 'sqlite-writer/ckpt'
    if 'eventloop' not in t: return 'other-thread:'+re.sub(r'\d+','N',t)[:30]
    if 'tcp_sendmsg' in s or 'sock_write' in s or 'writev' in s or 'sys_write' in s: return 'loop: socket send (kernel)'
    if 'epoll_wait' in s or 'do_epoll' in s: return 'loop: epoll wait'
    if 'sock_read' in s or 'tcp_recvmsg' in s or 'sys_read' in s: return 'loop: socket read (kernel)'
    if 'eventfd' in s or 'futex' in s or 'wakeup' in s.lower() or 'try_to_wake' in s: return 'loop: wakeups'
    if 'finish_task_switch' in s or 'schedule' in s: return 'loop: scheduling'
    if 'PBKDF2' in s: return 'loop: pbkdf2 (logins)'
    if 'org/linkboard' in s: return 'loop: linkboard java'
    return 'loop: netty/vertx java'
for f in sys.argv[1:]:
    c=collections.Counter(); tot=0
    for line in open(f):
        stack,_,n=line.rstrip().rpartition(' '); n=int(n); tot+=n
        c[cat(stack.split(';'))]+=n
    print(f,tot)
    for k,v in c.most_common(14): print("  %6d %5.1f%% %s"%(v,100*v/tot,k))
