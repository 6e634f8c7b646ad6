"""Clients for the async_chat test.

usage: async_chat_clients.py PORT

1. Three clients A, B, C: a line of each reaches the two others, ending in
   "\\r\\n", and never comes back to its sender; line ends "\\n", "\\r\\n", a
   lone "\\r" and an empty line; a 200 000-byte line arrives whole (in
   pieces of at most 65 536 bytes, each a line).
2. C leaves: A and B go on talking, and a new client D joins them.
3. B writes a last line without a terminator and shuts down its write
   side: A and D get the line, B is closed by the server.
4. A slow client S never reads while A sends 16 MiB of lines: the server
   drops S (its queue grows past the limit) and D still gets every line
   while A is never held up.
Prints "ok ..." per step; exit status 0 when all passed.

A client is known to be in the chat once one of its lines reached another
client: each joins by sending a line the others wait for.
"""
import socket
import sys
import threading
import time

TIMEOUT = 30
PORT = 0


class Client:
    def __init__(self, name):
        self.name = name
        self.sock = socket.create_connection(("127.0.0.1", PORT), timeout=TIMEOUT)
        self.buf = bytearray()
        self.pos = 0

    def say(self, data):
        self.sock.sendall(data)

    def line(self):
        """The next line with its "\\r\\n" (which every forwarded line has)."""
        while True:
            i = self.buf.find(b"\r\n", self.pos)
            if i >= 0:
                got = bytes(self.buf[self.pos:i + 2])
                self.pos = i + 2
                return got
            del self.buf[:self.pos]
            self.pos = 0
            chunk = self.sock.recv(1 << 20)
            if not chunk:
                raise AssertionError("%s: the server closed (buffer %r)" % (self.name, bytes(self.buf[:80])))
            self.buf += chunk

    def expect(self, want, what):
        got = self.line()
        if got != want:
            raise AssertionError("%s, %s: got %r, want %r" % (self.name, what, got[:100], want[:100]))

    def expect_eof(self, what):
        chunk = self.sock.recv(65536)
        if chunk or self.pos < len(self.buf):
            raise AssertionError("%s, %s: got %r instead of the end"
                                 % (self.name, what, bytes(self.buf[self.pos:]) + chunk))

    def close(self):
        self.sock.close()


def join(new, others):
    """new says hello; every other client must hear it."""
    hello = b"%s joins" % new.name.encode()
    new.say(hello + b"\n")
    for o in others:
        o.expect(hello + b"\r\n", "%s's join" % new.name)


def round_trip(sender, receivers, data, lines, what):
    sender.say(data)
    for r in receivers:
        for want in lines:
            r.expect(want, what)


def main():
    global PORT
    PORT = int(sys.argv[1])

    # 1. Three clients.
    a = Client("A")
    b = Client("B")
    join(b, [a])
    c = Client("C")
    join(c, [a, b])
    round_trip(a, [b, c], b"hello from A\n", [b"hello from A\r\n"], "A's line")
    # A must not get its own line back: the next line A reads is C's.
    round_trip(c, [a, b], b"marker from C\n", [b"marker from C\r\n"], "C's marker")
    print("ok   a line goes to the two others, not back to its sender")
    round_trip(b, [a, c], b"x\r\ny\rz\n\nlast\n", [b"x\r\n", b"y\r\n", b"z\r\n", b"\r\n", b"last\r\n"],
               "line ends")
    print("ok   \\n, \\r\\n, a lone \\r and an empty line each end a line")
    big = bytes(range(33, 127)) * 2128   # 200 032 bytes, no line end
    b.say(big + b"\n")
    for r in (a, c):
        got = b""
        while len(got) < len(big):
            piece = r.line()[:-2]
            if len(piece) > 65536:
                raise AssertionError("a piece of %d bytes" % len(piece))
            got += piece
        if got != big:
            raise AssertionError("%s: the long line came back different" % r.name)
    round_trip(c, [a, b], b"after the long line\n", [b"after the long line\r\n"], "after the long line")
    print("ok   a 200032-byte line arrives whole, in pieces of at most 65536 bytes")

    # 2. C leaves; the others go on; D joins.
    c.close()
    round_trip(a, [b], b"C has gone\n", [b"C has gone\r\n"], "after C left")
    d = Client("D")
    join(d, [a, b])
    round_trip(b, [a, d], b"welcome D\n", [b"welcome D\r\n"], "with D")
    print("ok   a client leaving does not disturb the others; a new one joins")

    # 3. B's last line has no terminator.
    b.say(b"bye without a newline")
    b.sock.shutdown(socket.SHUT_WR)
    for r in (a, d):
        r.expect(b"bye without a newline\r\n", "B's last line")
    b.expect_eof("after B's shutdown")
    b.close()
    print("ok   a last line without a terminator is forwarded, then the server closes")

    # 4. A slow client that never reads.
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.settimeout(TIMEOUT)
    s.connect(("127.0.0.1", PORT))
    s.sendall(b"S joins\n")
    for r in (a, d):
        r.expect(b"S joins\r\n", "S's join")
    line = b"." * 1022 + b"\n"
    count = 16 * 1024
    sent = [0]
    received = [0]
    cond = threading.Condition()
    errors = []

    def sender():
        # Never more than 512 KiB ahead of D, so D is never too slow.
        try:
            for _ in range(count // 64):
                with cond:
                    if not cond.wait_for(lambda: sent[0] - received[0] < 512, TIMEOUT):
                        raise TimeoutError("D did not keep up")
                a.say(line * 64)
                with cond:
                    sent[0] += 64
        except Exception as e:  # noqa: BLE001
            errors.append("A: %s: %s" % (type(e).__name__, e))

    t = threading.Thread(target=sender)
    t0 = time.monotonic()
    t.start()
    try:
        want = line[:-1] + b"\r\n"
        for i in range(count):
            got = d.line()
            if got != want:
                raise AssertionError("D: line %d is %r" % (i, got[:60]))
            with cond:
                received[0] += 1
                cond.notify()
    finally:
        t.join()
    if errors:
        raise AssertionError(errors[0])
    print("ok   D got all %d lines (16 MiB) in %.1f s while S read nothing" % (count, time.monotonic() - t0))
    # S was dropped: after what the kernel held for it, its stream ends.
    s.settimeout(10)
    total = 0
    try:
        while True:
            chunk = s.recv(1 << 20)
            if not chunk:
                break
            total += len(chunk)
    except ConnectionResetError:
        pass
    if total >= len(want) * count:
        raise AssertionError("S got everything (%d bytes): it was not dropped" % total)
    print("ok   S was dropped after %d of %d bytes" % (total, len(want) * count))
    round_trip(a, [d], b"still here\n", [b"still here\r\n"], "after S was dropped")
    print("ok   the chat goes on after the slow client was dropped")
    s.close()
    a.close()
    d.close()
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (OSError, AssertionError) as e:
        print("FAIL %s: %s" % (type(e).__name__, e))
        sys.exit(1)
