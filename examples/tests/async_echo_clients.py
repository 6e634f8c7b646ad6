"""Clients for the async_echo test: many connections at once, one thread.

usage: async_echo_clients.py PORT CONNS BYTES [--seconds S]
       async_echo_clients.py PORT --hold N --seconds S
       async_echo_clients.py PORT --emfile N

Default mode, on CONNS connections held open together (selectors, no
threads, so thousands are cheap):
  1. every connection is opened; each sends a short greeting and must get
     it back, so all CONNS are open in the server at the same time;
  2. every connection sends BYTES random bytes (its own seed), writing and
     reading at the same time, and must get exactly those bytes back;
  3. half of them shut down their write side and must read the end of the
     stream (the server echoes everything queued, then closes); the other
     half just close;
  4. up to 100 new connections each send a few bytes and shut down their
     write side at once: the bytes come back, then the end of the stream.
--hold N: opens N connections, checks each echoes, prints "ready N", then
  keeps them open S seconds (for the shutdown test).
--emfile N: opens N connections to a server that has fewer descriptors
  than that; each sends one byte; prints "echoed K of N" after a while;
  after a line on stdin closes the K served ones and checks that the others,
  queued in the kernel, are now served too, then that a new connection is.
Exit status 0 when every check passed; a line per failure otherwise.
"""
import os
import random
import resource
import selectors
import socket
import sys
import time


def raise_nofile(n):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = n + 64
    if soft < want:
        new = want if hard == resource.RLIM_INFINITY else min(want, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (new, hard))
        if new < want:
            print("FAIL only %d descriptors allowed here (hard limit), %d wanted" % (new, want))
            sys.exit(1)


class Conn:
    def __init__(self, i):
        self.i = i
        self.sock = None
        self.out = b""      # what is left to send
        self.want = b""     # what must come back, in order
        self.got = 0        # how much of want came back
        self.eof = False


def connect_all(port, n, deadline):
    """Opens n non-blocking connections; returns them once all connected."""
    sel = selectors.DefaultSelector()
    conns = []
    for i in range(n):
        c = Conn(i)
        c.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        c.sock.setblocking(False)
        err = c.sock.connect_ex(("127.0.0.1", port))
        if err not in (0, 115):  # EINPROGRESS
            raise OSError(err, "connect %d: %s" % (i, os.strerror(err)))
        sel.register(c.sock, selectors.EVENT_WRITE, c)
        conns.append(c)
    pending = n
    while pending:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("%d of %d connections not established" % (pending, n))
        for key, _ in sel.select(min(left, 1.0)):
            c = key.data
            err = c.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if err:
                raise OSError(err, "connect %d: %s" % (c.i, os.strerror(err)))
            sel.unregister(c.sock)
            pending -= 1
    sel.close()
    return conns


def exchange(conns, deadline, what):
    """Sends each conn's out while reading back its want, all at once."""
    sel = selectors.DefaultSelector()
    active = 0
    for c in conns:
        if c.got < len(c.want) or c.out:
            ev = selectors.EVENT_READ | (selectors.EVENT_WRITE if c.out else 0)
            sel.register(c.sock, ev, c)
            active += 1
    while active:
        left = deadline - time.monotonic()
        if left <= 0:
            late = [c for c in conns if c.got < len(c.want)]
            c = late[0]
            raise TimeoutError("%s: %d connections still waiting for their echo; connection %d has %d of %d"
                               % (what, len(late), c.i, c.got, len(c.want)))
        for key, ev in sel.select(min(left, 1.0)):
            c = key.data
            if ev & selectors.EVENT_WRITE and c.out:
                try:
                    n = c.sock.send(c.out[:262144])
                except BlockingIOError:
                    n = 0
                c.out = c.out[n:]
            if ev & selectors.EVENT_READ:
                try:
                    data = c.sock.recv(262144)
                except BlockingIOError:
                    data = None
                if data == b"":
                    raise AssertionError("%s: connection %d: the server closed after %d of %d bytes"
                                         % (what, c.i, c.got, len(c.want)))
                if data:
                    expect = c.want[c.got:c.got + len(data)]
                    if data != expect:
                        raise AssertionError("%s: connection %d: wrong bytes at offset %d" % (what, c.i, c.got))
                    c.got += len(data)
            if c.got == len(c.want) and not c.out:
                sel.unregister(c.sock)
                active -= 1
            elif not c.out and key.events & selectors.EVENT_WRITE:
                sel.modify(c.sock, selectors.EVENT_READ, c)
    sel.close()


def expect_eof(conns, deadline):
    sel = selectors.DefaultSelector()
    for c in conns:
        c.sock.shutdown(socket.SHUT_WR)
        sel.register(c.sock, selectors.EVENT_READ, c)
    left_open = len(conns)
    while left_open:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("%d connections did not see the server close after their shutdown" % left_open)
        for key, _ in sel.select(min(left, 1.0)):
            c = key.data
            data = c.sock.recv(65536)
            if data:
                raise AssertionError("connection %d: %d unexpected bytes after its echo" % (c.i, len(data)))
            sel.unregister(c.sock)
            left_open -= 1
    sel.close()


def wait_echo(conns, seconds):
    """The indexes of the conns whose one byte "x" came back within seconds."""
    echoed = set()
    sel = selectors.DefaultSelector()
    for c in conns:
        sel.register(c.sock, selectors.EVENT_READ, c)
    until = time.monotonic() + seconds
    while len(echoed) < len(conns) and time.monotonic() < until:
        for key, _ in sel.select(0.2):
            c = key.data
            if c.sock.recv(16) == b"x":
                echoed.add(c.i)
            sel.unregister(c.sock)
    sel.close()
    return echoed


def greet(conns, deadline):
    for c in conns:
        c.out = c.want = b"hello %d\n" % c.i
        c.got = 0
    exchange(conns, deadline, "greeting")


def main():
    args = sys.argv[1:]
    port = int(args[0])
    seconds = 90.0
    if "--seconds" in args:
        seconds = float(args[args.index("--seconds") + 1])
    deadline = time.monotonic() + seconds

    if args[1] == "--hold":
        n = int(args[2])
        raise_nofile(n)
        conns = connect_all(port, n, deadline)
        greet(conns, deadline)
        print("ready %d" % n, flush=True)
        time.sleep(seconds)
        return 0

    if args[1] == "--emfile":
        n = int(args[2])
        raise_nofile(n)
        conns = connect_all(port, n, deadline)   # the kernel completes them all
        for c in conns:
            c.sock.send(b"x")
        echoed = wait_echo(conns, 3.0)
        print("echoed %d of %d" % (len(echoed), n), flush=True)
        # The server waits now; the test looks at its CPU time, then tells
        # us (a line on stdin) to go on: the served connections close, and
        # the ones queued in the kernel must be served without any new
        # connection arriving.
        sys.stdin.readline()
        queued = [c for c in conns if c.i not in echoed]
        for c in conns:
            if c.i in echoed:
                c.sock.close()
        late = wait_echo(queued, 10.0)
        if len(late) != len(queued):
            print("FAIL %d of the %d connections queued during EMFILE were not served after descriptors "
                  "were freed" % (len(queued) - len(late), len(queued)), flush=True)
            return 1
        print("ok   the %d connections queued during EMFILE are served once descriptors are free"
              % len(queued), flush=True)
        for c in queued:
            c.sock.close()
        fresh = connect_all(port, 1, deadline)
        greet(fresh, deadline)
        print("ok   a new connection is served too", flush=True)
        return 0

    conns_n, nbytes = int(args[1]), int(args[2])
    raise_nofile(conns_n)
    t0 = time.monotonic()
    conns = connect_all(port, conns_n, deadline)
    greet(conns, deadline)
    t1 = time.monotonic()
    for c in conns:
        rnd = random.Random(c.i * 7919 + nbytes)
        size = rnd.randint(nbytes // 2, nbytes) if nbytes > 1 else nbytes
        c.out = c.want = rnd.randbytes(size)
        c.got = 0
    total = sum(len(c.want) for c in conns)
    exchange(conns, deadline, "random data")
    t2 = time.monotonic()
    half = conns[: len(conns) // 2]
    expect_eof(half, deadline)
    for c in conns:
        c.sock.close()
    print("ok   %d connections open at once (%.1f s), %d random bytes echoed intact (%.1f s), "
          "%d half-closes end in the server's close" % (conns_n, t1 - t0, total, t2 - t1, len(half)))

    # 4. Bytes and the end of the stream at once (the FIN in the same
    #    segment train as the data): the echo comes back whole, then the
    #    server's end of stream.
    deadline = min(deadline, time.monotonic() + 15)   # small: a failure costs little
    quick = connect_all(port, min(conns_n, 100), deadline)
    for c in quick:
        c.want = random.Random(c.i).randbytes(1 + c.i * 37 % 3000)
        c.sock.setblocking(True)
        c.sock.sendall(c.want)
        c.sock.shutdown(socket.SHUT_WR)
        c.sock.setblocking(False)
    sel = selectors.DefaultSelector()
    got = {}
    for c in quick:
        sel.register(c.sock, selectors.EVENT_READ, c)
        got[c.i] = b""
    open_n = len(quick)
    while open_n:
        left = deadline - time.monotonic()
        if left <= 0:
            late = [c for c in quick if c.sock.fileno() >= 0]
            c = late[0]
            raise TimeoutError("send + shutdown: %d connections did not end; connection %d has %d of its %d "
                               "bytes back" % (len(late), c.i, len(got[c.i]), len(c.want)))
        for key, _ in sel.select(min(left, 1.0)):
            c = key.data
            data = c.sock.recv(65536)
            if data:
                got[c.i] += data
                continue
            if got[c.i] != c.want:
                raise AssertionError("send + shutdown: connection %d: %d bytes back, not its %d"
                                     % (c.i, len(got[c.i]), len(c.want)))
            sel.unregister(c.sock)
            c.sock.close()
            open_n -= 1
    sel.close()
    print("ok   %d connections that send and shut down at once get their bytes, then the end"
          % len(quick))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (OSError, AssertionError, TimeoutError) as e:
        print("FAIL %s: %s" % (type(e).__name__, e))
        sys.exit(1)
