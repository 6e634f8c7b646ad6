"""Clients for the echo_server test.

usage: echo_clients.py PORT [CLIENTS]

1. CLIENTS (default 200) connections are opened at once and held open; when
   all are connected each sends one line and must get exactly that line back
   with "\n"; none closes before all have their echo.
2. One connection sends several lines ("\n", "\r\n", a lone "\r", an empty
   line, a 200 000-byte line) and gets each back ending in "\n".
3. One connection sends bytes without a line end and shuts down its write
   side: the server echoes them with "\n" and closes.
The server is thus asked for CLIENTS + 2 connections. Exit status 0 when
every check passed.
"""
import socket
import sys
import threading

TIMEOUT = 30


def recv_until(sock, n_lines):
    data = b""
    while data.count(b"\n") < n_lines:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


def recv_all(sock):
    data = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            return data
        data += chunk


def main():
    port = int(sys.argv[1])
    clients = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    failures = []
    lock = threading.Lock()
    connected = threading.Barrier(clients, timeout=TIMEOUT)
    echoed = threading.Barrier(clients, timeout=TIMEOUT)

    def client(i):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as s:
                connected.wait()
                line = ("client %d says hello" % i).encode()
                s.sendall(line + b"\n")
                got = recv_until(s, 1)
                if got != line + b"\n":
                    raise AssertionError("client %d got %r" % (i, got))
                echoed.wait()
        except Exception as e:  # noqa: BLE001 - every failure is reported
            connected.abort()
            echoed.abort()
            with lock:
                failures.append("client %d: %s: %s" % (i, type(e).__name__, e))

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failures:
        # A failing client breaks the barriers for all others: show the cause.
        causes = [f for f in failures if "BrokenBarrierError" not in f] or failures
        print("FAIL %d of %d simultaneous clients failed (%d at the barrier), first: %s"
              % (len(failures), clients, len(failures) - len(causes), causes[0]))
        return 1
    print("ok   %d simultaneous clients got their echo" % clients)

    status = 0
    big = b"x" * 200000
    with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as s:
        s.sendall(b"one\ntwo\r\nthree\r\n\n" + big + b"\nfour\rfive\n")
        want = b"one\ntwo\nthree\n\n" + big + b"\nfour\nfive\n"
        got = recv_until(s, want.count(b"\n"))
        if got == want:
            print("ok   line ends and a 200000-byte line are echoed")
        else:
            print("FAIL lines: got %d bytes %r..., want %d bytes" % (len(got), got[:60], len(want)))
            status = 1
    with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as s:
        s.sendall(b"no line end")
        s.shutdown(socket.SHUT_WR)
        got = recv_all(s)
        if got == b"no line end\n":
            print("ok   a partial last line is echoed with \\n, then the server closes")
        else:
            print("FAIL partial line: got %r" % got)
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
