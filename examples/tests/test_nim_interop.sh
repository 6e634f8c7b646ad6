#!/usr/bin/env bash
# Interoperability with the seed blog's ORIGINAL improved Nim programs
# (examples/nim/server.nim and client.nim, port taken from argv[1]):
#   Nim client  <-> cnet blog_server
#   cnet blog_client <-> Nim server
#   Nim client  <-> Nim server (the reference the two above must match)
# Skips (exit 77) when `nim` is not installed.
# usage: test_nim_interop.sh BLOG_SERVER BLOG_CLIENT NIM_SOURCE_DIR
set -u
SERVER=$1
CLIENT=$2
NIM_DIR=$3
if ! command -v nim >/dev/null 2>&1; then
    echo "nim is not installed: skipping (apt-get install nim)"
    exit 77
fi
source "$(dirname "$0")/lib.sh"

# Build into the temporary directory, each with a private nimcache so that
# parallel builds never share ~/.cache/nim.
for prog in server client; do
    if ! timeout 240 nim c -d:release --hints:off --nimcache:"$WORK/nimcache-$prog" \
            -o:"$WORK/nim_$prog" "$NIM_DIR/$prog.nim" >"$WORK/nim-$prog.log" 2>&1; then
        fail "nim c $prog.nim"
        sed 's/^/  | /' "$WORK/nim-$prog.log"
        finish
    fi
done
pass "built the Nim blog programs with $(nim --version 2>/dev/null | head -n1)"

# server_lines MESSAGE: what either server prints for one client.
server_lines() {
    printf 'server waitting\nclient from IP: 127.0.0.1\nmessage lenth: %s\nfrom client message: %s' "${#1}" "$1"
}
client_lines='message lenth: 12
from server message: Hi, welcome!'

# 1. Nim client -> cnet server.
if start_server cnet_server '^server waitting$' 60 "$SERVER" @PORT@ 1; then
    timeout 20 "$WORK/nim_client" "$PORT" >"$WORK/nc.out" 2>"$WORK/nc.err"
    expect_status "Nim client -> cnet blog_server" $? 0
    expect_file "Nim client output" "$WORK/nc.out" "$client_lines"
    wait "$SERVER_PID"
    expect_status "cnet blog_server after the Nim client" $? 0
    expect_file "cnet blog_server output" "$WORK/cnet_server.out" "$(server_lines 'this is from Nim')"
else
    fail "blog_server did not start"
fi

# 2. cnet client -> Nim server; 3. Nim client -> Nim server. The Nim server
# serves forever, so it is stopped once both clients are done.
if start_server nim_server '^server waitting$' 60 "$WORK/nim_server" @PORT@; then
    timeout 20 "$CLIENT" 127.0.0.1 "$PORT" >"$WORK/cc.out" 2>"$WORK/cc.err"
    expect_status "cnet blog_client -> Nim server" $? 0
    expect_file "cnet blog_client output" "$WORK/cc.out" "$client_lines"
    timeout 20 "$WORK/nim_client" "$PORT" >"$WORK/nn.out" 2>"$WORK/nn.err"
    expect_status "Nim client -> Nim server" $? 0
    expect_file "Nim client output (Nim server)" "$WORK/nn.out" "$client_lines"
    # Wait for the Nim server to finish the second exchange, then stop it.
    for ((i = 0; i < 200; i++)); do
        [ "$(grep -c '^server waitting$' "$WORK/nim_server.out")" -ge 3 ] && break
        sleep 0.05
    done
    kill "$SERVER_PID" 2>/dev/null
    wait "$SERVER_PID" 2>/dev/null
    expect_file "Nim server output" "$WORK/nim_server.out" "$(server_lines 'this is from cnet')
$(server_lines 'this is from Nim')
server waitting"
    [ -s "$WORK/nim_server.err" ] && { note "Nim server stderr:"; sed 's/^/  | /' "$WORK/nim_server.err"; }
else
    fail "the Nim server did not start"
fi

finish
