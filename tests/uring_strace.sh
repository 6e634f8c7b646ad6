#!/bin/sh
# usage: uring_strace.sh STRACE PROGRAM [MKCERTS]
# Runs PROGRAM (a transfer over the public API) under strace and checks that
# the io_uring backend carried it: io_uring_enter calls are present and the
# plain data-path system calls are absent. With MKCERTS (tests/tls_mkcerts.sh)
# and the openssl CLI, the transfer includes a TLS exchange.
set -u
strace=$1
program=$2
log=$(mktemp)
certs=$(mktemp -d)
trap 'rm -rf "$log" "$certs"' EXIT
if [ $# -ge 3 ] && command -v openssl >/dev/null 2>&1 && sh "$3" "$certs" >/dev/null 2>&1; then
  set -- "$certs"
  echo "with a TLS exchange"
else
  set --
fi
"$strace" -f -qq -o "$log" \
  -e trace=io_uring_enter,io_uring_setup,socket,bind,listen,accept,accept4,connect,recvfrom,sendto,recvmsg,sendmsg,recv,send,shutdown,poll,ppoll \
  "$program" "$@"
rc=$?
if [ "$rc" = 77 ]; then echo "io_uring is not in use: skipped"; exit 77; fi
if [ "$rc" != 0 ]; then echo "FAIL: the transfer failed (exit $rc)"; exit 1; fi
enters=$(grep -c 'io_uring_enter(' "$log")
plain=$(grep -E '^[0-9]+ +(socket|bind|listen|accept4?|connect|recvfrom|sendto|recvmsg|sendmsg|shutdown|poll|ppoll)\(' "$log" \
        | grep -v 'AF_UNIX\|AF_NETLINK' || true)
echo "io_uring_enter calls: $enters"
if [ "$enters" -lt 10 ]; then echo "FAIL: too few io_uring_enter calls"; exit 1; fi
if [ -n "$plain" ]; then
  echo "FAIL: plain socket system calls on the data path:"
  echo "$plain" | head -20
  exit 1
fi
echo "1 passed, 0 failed"
