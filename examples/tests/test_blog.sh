#!/usr/bin/env bash
# blog_server and blog_client over loopback: the exact output lines of the
# seed blog's improved programs, the exact bytes on the wire, and errors.
# usage: test_blog.sh BLOG_SERVER BLOG_CLIENT
set -u
SERVER=$1
CLIENT=$2
source "$(dirname "$0")/lib.sh"

server_expected_one='server waitting
client from IP: 127.0.0.1
message lenth: 17
from client message: this is from cnet'
client_expected='message lenth: 12
from server message: Hi, welcome!'

# 1. Two clients (one by address, one by name) against a 2-client server.
if start_server blog_server '^server waitting$' 30 "$SERVER" @PORT@ 2; then
    timeout 20 "$CLIENT" 127.0.0.1 "$PORT" >"$WORK/c1.out" 2>"$WORK/c1.err"
    expect_status "blog_client 127.0.0.1 $PORT" $? 0
    expect_file "blog_client output" "$WORK/c1.out" "$client_expected"
    # "localhost" may resolve to ::1 first: cnet_dial must fall back to IPv4.
    by_name=localhost
    have_localhost || { skip "blog_client localhost: \"localhost\" does not resolve to 127.0.0.1 here (/etc/hosts); 127.0.0.1 again"; by_name=127.0.0.1; }
    timeout 20 "$CLIENT" "$by_name" "$PORT" >"$WORK/c2.out" 2>"$WORK/c2.err"
    expect_status "blog_client $by_name $PORT" $? 0
    expect_file "blog_client output ($by_name)" "$WORK/c2.out" "$client_expected"
    wait "$SERVER_PID"
    expect_status "blog_server $PORT 2" $? 0
    expect_file "blog_server output" "$WORK/blog_server.out" "$server_expected_one
$server_expected_one"
    [ -s "$WORK/blog_server.err" ] && { note "server stderr:"; cat "$WORK/blog_server.err"; }
else
    fail "blog_server did not start"
fi

# 2. The bytes blog_server sends and accepts, seen by a raw Python client.
if start_server wire_server '^server waitting$' 30 "$SERVER" @PORT@ 1; then
    "$PYTHON" - "$PORT" >"$WORK/wire.out" 2>&1 <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
got = b""
while len(got) < 16:
    chunk = s.recv(16 - len(got))
    if not chunk:
        break
    got += chunk
print(repr(got))
s.sendall(b"0005hello")
s.shutdown(socket.SHUT_WR)
print(repr(s.recv(100)))   # the server closes: b''
PY
    expect_file "blog_server wire bytes" "$WORK/wire.out" "b'0012Hi, welcome!'
b''"
    wait "$SERVER_PID"
    expect_status "blog_server with a raw client" $? 0
    expect_file "blog_server output (raw client)" "$WORK/wire_server.out" 'server waitting
client from IP: 127.0.0.1
message lenth: 5
from client message: hello'
else
    fail "blog_server did not start"
fi

# 3. The bytes blog_client sends, seen by a raw Python server.
"$PYTHON" - >"$WORK/rawsrv.out" 2>&1 <<'PY' &
import socket
srv = socket.socket()
srv.bind(("127.0.0.1", 0))
srv.listen(1)
srv.settimeout(20)
print(srv.getsockname()[1], flush=True)
c, _ = srv.accept()
c.settimeout(10)
c.sendall(b"0012Hi, welcome!")
got = b""
while True:
    chunk = c.recv(100)
    if not chunk:
        break
    got += chunk
print(repr(got), flush=True)
PY
RAW_PID=$!
BG_PIDS+=("$RAW_PID")
if wait_for_line "$WORK/rawsrv.out" '^[0-9]+$' "$RAW_PID"; then
    port=$(head -n1 "$WORK/rawsrv.out")
    timeout 20 "$CLIENT" 127.0.0.1 "$port" >"$WORK/c3.out" 2>"$WORK/c3.err"
    expect_status "blog_client against a raw server" $? 0
    expect_file "blog_client output (raw server)" "$WORK/c3.out" "$client_expected"
    wait "$RAW_PID"
    expect_file "blog_client wire bytes" <(tail -n +2 "$WORK/rawsrv.out") "b'0017this is from cnet'"
else
    fail "raw Python server did not start"; cat "$WORK/rawsrv.out"
fi

# 4. Errors: reported on stderr, non-zero exit, never a crash.
if start_server bad_server '^server waitting$' 30 "$SERVER" @PORT@ 1; then
    "$PYTHON" -c 'import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
s.recv(16); s.sendall(b"12ab"); s.close()' "$PORT"
    wait "$SERVER_PID"
    expect_status "blog_server given a malformed length prefix" $? 1
    if grep -q 'blog_server: receive: .*prefix' "$WORK/bad_server.err"; then
        pass "blog_server reports the malformed prefix"
    else
        fail "blog_server stderr: $(cat "$WORK/bad_server.err")"
    fi
else
    fail "blog_server did not start"
fi

port=$(free_port)   # nobody listens there
timeout 20 "$CLIENT" 127.0.0.1 "$port" >"$WORK/c4.out" 2>"$WORK/c4.err"
expect_status "blog_client with nobody listening" $? 1
grep -qi 'refused' "$WORK/c4.err" && pass "blog_client reports: $(cat "$WORK/c4.err")" ||
    fail "blog_client stderr: $(cat "$WORK/c4.err")"

timeout 10 "$SERVER" 70000 >/dev/null 2>"$WORK/e1.err"
expect_status "blog_server 70000 (bad port)" $? 2
timeout 10 "$SERVER" 7003 x >/dev/null 2>"$WORK/e2.err"
expect_status "blog_server 7003 x (bad count)" $? 2
timeout 10 "$CLIENT" 127.0.0.1 -5 >/dev/null 2>"$WORK/e3.err"
expect_status "blog_client 127.0.0.1 -5 (bad port)" $? 2
timeout 10 "$CLIENT" a b c >/dev/null 2>"$WORK/e4.err"
expect_status "blog_client a b c (too many arguments)" $? 2

finish
