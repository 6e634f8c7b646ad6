# nim_echo PORT - the Nim row of the echo benchmark (bench/echo.sh): listens
# on 127.0.0.1:PORT and echoes every byte of every connection until killed,
# on Nim's asyncdispatch (one thread, epoll) with asyncnet sockets.
#
# Built with `nim c -d:release` (Nim 1.6, its default memory manager, refc).
# What a Nim user writes for an echo server: one async proc per connection
# that awaits recvInto into its own 4 KiB buffer and awaits send of the
# bytes read.
#
# The listening socket is created unbuffered (newAsyncSocket(buffered =
# false)); accepted sockets inherit that. On a buffered asyncnet socket
# recvInto(buf, 4096) "attempts to read all the requested data": it would
# wait for 4096 bytes, so a 64-byte message would never be echoed. On an
# unbuffered one it returns what the kernel has, like recv(2).
import std/[asyncdispatch, asyncnet, nativesockets, net, os, strutils]

const BufSize = 4096

proc serve(client: AsyncSocket) {.async.} =
  var buf = newString(BufSize)
  try:
    while true:
      let n = await client.recvInto(addr buf[0], BufSize)
      if n <= 0:
        break
      await client.send(addr buf[0], n)
  except CatchableError:
    discard
  client.close()

proc main(port: int) {.async.} =
  let server = newAsyncSocket(buffered = false)
  server.setSockOpt(OptReuseAddr, true)
  server.bindAddr(Port(port), "127.0.0.1")
  server.listen(4096)
  while true:
    let client = await server.accept()
    client.setSockOpt(OptNoDelay, true, level = IPPROTO_TCP.cint)
    asyncCheck serve(client)

when isMainModule:
  if paramCount() != 1:
    quit("usage: nim_echo PORT", 2)
  waitFor main(parseInt(paramStr(1)))
