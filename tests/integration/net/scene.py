# A network namespace's worth of sockets in every state `nsdebug net` must show, for the
# differential test against ss (tests/integration/test_net.cc). Run in a fresh network
# namespace with lo up: python3 scene.py DIR. Writes DIR/ready when everything is in place,
# then waits to be killed. A forked child shares the main listener (two holders).
import os, socket, sys, time

d = sys.argv[1]
keep = []

def listener(family, addr, backlog):
    s = socket.socket(family, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, 0))
    s.listen(backlog)
    keep.append(s)
    return s

def connect(family, addr, blocking=True):
    c = socket.socket(family, socket.SOCK_STREAM)
    c.setblocking(blocking)
    try:
        c.connect(addr)
    except BlockingIOError:
        pass
    keep.append(c)
    return c

# LISTEN and ESTABLISHED, both ends; data left unread in one receive queue.
srv = listener(socket.AF_INET, "127.0.0.1", 16)
a = connect(socket.AF_INET, srv.getsockname())
a_srv, _ = srv.accept(); keep.append(a_srv)
a.sendall(b"x" * 1000)
# CLOSE-WAIT (the client's) and FIN-WAIT-2 (the server's, closed: held by nobody).
b = connect(socket.AF_INET, srv.getsockname())
b_srv, _ = srv.accept()
b_srv.close()
# TIME-WAIT: the client closes first, then the server.
c = connect(socket.AF_INET, srv.getsockname())
c_srv, _ = srv.accept()
keep.remove(c); c.close(); time.sleep(0.1); c_srv.close()
# A listener that never accepts, with a backlog of 1: its queue fills, later SYNs go unanswered.
full = listener(socket.AF_INET, "127.0.0.1", 1)
for _ in range(4):
    connect(socket.AF_INET, full.getsockname(), blocking=False)
# IPv6.
srv6 = listener(socket.AF_INET6, "::1", 8)
e = connect(socket.AF_INET6, srv6.getsockname()[:2])
e_srv, _ = srv6.accept(); keep.append(e_srv)
# UDP: bound, and connected.
for fam, addr in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):
    u = socket.socket(fam, socket.SOCK_DGRAM); u.bind((addr, 0)); keep.append(u)
uc = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); uc.connect(keep[-2].getsockname()); keep.append(uc)
uc.send(b"datagram")
# Unix: a path with a space, an escape sequence and a byte that is not UTF-8; an abstract name;
# a connected pair through the path; an unnamed pair; a datagram socket.
path = os.fsencode(d) + b"/app \x1b[31m\xff.sock"
ux = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); ux.bind(path); ux.listen(4); keep.append(ux)
uxc = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); uxc.connect(path); keep.append(uxc)
uxs, _ = ux.accept(); keep.append(uxs)
ab = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); ab.bind(b"\0nsdebug-test-abstract"); ab.listen(1); keep.append(ab)
keep.extend(socket.socketpair())
ud = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); ud.bind(os.fsencode(d) + b"/dgram.sock"); keep.append(ud)

time.sleep(1)  # let the SYNs to the full listener be dropped and retried
if os.fork() == 0:  # a second holder of every socket above
    while True:
        time.sleep(100)
open(os.path.join(d, "ready"), "w").close()
while True:
    time.sleep(100)
