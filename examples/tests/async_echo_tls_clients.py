"""TLS clients for the async_echo --tls test: many connections at once.

usage: async_echo_tls_clients.py PORT CAFILE CONNS BYTES [--seconds S]

On one asyncio loop:
  1. a client that connects and never starts its handshake, and one that
     sends plaintext garbage, stay or fail on their own: they must not hold
     up the others;
  2. CONNS TLS clients (verifying the server's certificate for 127.0.0.1
     against CAFILE) connect at once; each writes BYTES random bytes (its
     own seed) in random pieces while reading, and must get exactly those
     bytes back;
  3. two thirds then end with close_notify and must see the server's
     close_notify (a clean end of stream, no truncation); the others drop
     the connection without close_notify;
  4. a last client after all of that must still be served.
Exit status 0 when every check passed; a line per failure otherwise.
"""
import asyncio
import random
import ssl
import sys


async def one(port, ctx, i, nbytes, failures):
    rnd = random.Random(i)
    data = rnd.randbytes(nbytes)
    reader, writer = await asyncio.open_connection("127.0.0.1", port, ssl=ctx, server_hostname="127.0.0.1")

    async def send():
        off = 0
        while off < len(data):
            n = rnd.randint(1, 40000)
            writer.write(data[off:off + n])
            off += n
            await writer.drain()

    sender = asyncio.ensure_future(send())
    got = bytearray()
    while len(got) < len(data):
        chunk = await reader.read(65536)
        if not chunk:
            failures.append("connection %d: the server ended after %d of %d bytes" % (i, len(got), len(data)))
            return
        got += chunk
    await sender
    if bytes(got) != data:
        failures.append("connection %d: wrong bytes echoed" % i)
        return
    if i % 3 == 2:
        writer.transport.abort()  # no close_notify: the server sees truncation
        return
    # close_notify both ways: write_eof is not offered over TLS, so close
    # (which sends close_notify) and check the server's answer by reading.
    writer.close()
    try:
        await writer.wait_closed()
    except (ssl.SSLError, ConnectionError) as e:
        failures.append("connection %d: closing: %r" % (i, e))


async def main():
    port = int(sys.argv[1])
    cafile = sys.argv[2]
    conns = int(sys.argv[3])
    nbytes = int(sys.argv[4])
    seconds = float(sys.argv[sys.argv.index("--seconds") + 1]) if "--seconds" in sys.argv else 60
    ctx = ssl.create_default_context(cafile=cafile)
    failures = []
    # A client that never says a word, and one that does not speak TLS.
    _, silent = await asyncio.open_connection("127.0.0.1", port)
    greader, garbage = await asyncio.open_connection("127.0.0.1", port)
    garbage.write(b"GET / HTTP/1.0\r\n\r\n")
    try:
        await asyncio.wait_for(asyncio.gather(*(one(port, ctx, i, nbytes, failures) for i in range(conns))),
                               seconds)
    except asyncio.TimeoutError:
        failures.append("timeout: the %d TLS clients were not all served in %g s" % (conns, seconds))
    except (ssl.SSLError, OSError) as e:
        failures.append("a TLS client failed: %r" % e)
    # The garbage client was refused (the server closed it).
    try:
        rest = await asyncio.wait_for(greader.read(), 10)
        if rest.startswith(b"HTTP"):
            failures.append("the server answered plaintext")
    except (asyncio.TimeoutError, ConnectionError):
        failures.append("the server kept a client that does not speak TLS")
    # Still serving, with the silent client still connected.
    try:
        await asyncio.wait_for(one(port, ctx, 10 ** 6, 1000, failures), 20)
    except (asyncio.TimeoutError, ssl.SSLError, OSError) as e:
        failures.append("a client after the others was not served: %r" % e)
    silent.close()
    garbage.close()
    for f in failures[:20]:
        print("FAIL", f)
    if not failures:
        print("ok   %d TLS connections echoed %d bytes each at once" % (conns, nbytes))
    return 1 if failures else 0


sys.exit(asyncio.run(main()))
