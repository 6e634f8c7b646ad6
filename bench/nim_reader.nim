# The Nim reader of bench_net's "nim" rows (bench/nim_readline.c): connects
# to 127.0.0.1:PORT, reads lines with net.readLine on a buffered Socket (Nim's
# defaults) until the sender closes, then answers "LINES BYTES SUM\n" (SUM:
# first byte * 256 + last byte of every line, as the C readers compute it).
# bench/run.sh builds it with `nim c -d:release` into the build directory.
import net, os, strutils

let s = newSocket()
s.connect("127.0.0.1", Port(parseInt(paramStr(1))))
var line = newStringOfCap(1024)
var lines, bytes = 0
var sum: uint64 = 0
while true:
  s.readLine(line)
  if line.len == 0: break   # disconnected (every line sent has text)
  inc lines
  bytes += line.len
  sum += uint64(ord(line[0])) * 256'u64 + uint64(ord(line[^1]))
s.send($lines & " " & $bytes & " " & $sum & "\n")
s.close()
