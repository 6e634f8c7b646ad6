#!/usr/bin/env bash
# async_blog_server speaks blog_server's protocol: blog_client prints the
# same against both, the server prints blog_server's lines, the wire bytes
# are the blog's; many blog clients are served at once, a silent client
# holds nobody up, errors are reported like blog_server's.
# usage: test_async_blog.sh ASYNC_BLOG_SERVER BLOG_SERVER BLOG_CLIENT
set -u
ASERVER=$1
SERVER=$2
CLIENT=$3
source "$(dirname "$0")/lib.sh"

client_expected='message lenth: 12
from server message: Hi, welcome!'

# start_async NAME COUNT: async_blog_server on port 0; sets SERVER_PID, PORT.
start_async() {
    local name=$1 count=$2
    timeout 90 "$ASERVER" 0 "$count" >"$WORK/$name.out" 2>"$WORK/$name.err" &
    SERVER_PID=$!
    BG_PIDS+=("$SERVER_PID")
    if ! wait_for_line "$WORK/$name.out" '^listening on 0\.0\.0\.0:[0-9]+$' "$SERVER_PID"; then
        fail "$name did not start"; sed 's/^/  | /' "$WORK/$name.out" "$WORK/$name.err"
        return 1
    fi
    PORT=$(sed -n 's/^listening on 0\.0\.0\.0:\([0-9]*\)$/\1/p' "$WORK/$name.out")
}
# The server's lines after "listening on".
blog_lines() { tail -n +2 "$WORK/$1.out"; }
# no_stderr LABEL NAME: the server wrote nothing on stderr (no error, no
# sanitizer report).
no_stderr() {
    if [ -s "$WORK/$2.err" ]; then fail "$1 stderr:"; sed 's/^/  | /' "$WORK/$2.err"; else pass "$1: stderr empty"; fi
}

# 1. The same two clients, one after the other, against blog_server and
#    async_blog_server: the same client output, the same server lines.
if start_server blog_server '^server waitting$' 30 "$SERVER" @PORT@ 2; then
    for i in 1 2; do timeout 20 "$CLIENT" 127.0.0.1 "$PORT" >"$WORK/sync_c$i.out" 2>&1; done
    wait "$SERVER_PID"
    expect_status "blog_server, 2 clients" $? 0
    expect_file "blog_client against blog_server" "$WORK/sync_c1.out" "$client_expected"
else
    fail "blog_server did not start"
fi
if start_async async_two 2; then
    for i in 1 2; do
        timeout 20 "$CLIENT" 127.0.0.1 "$PORT" >"$WORK/async_c$i.out" 2>&1
        expect_status "blog_client $i against async_blog_server" $? 0
        expect_file "blog_client $i prints what it printed against blog_server" "$WORK/async_c$i.out" \
            "$(cat "$WORK/sync_c$i.out")"
    done
    wait "$SERVER_PID"
    expect_status "async_blog_server 0 2" $? 0
    expect_file "async_blog_server prints blog_server's lines" <(blog_lines async_two) \
        "$(cat "$WORK/blog_server.out")"
    no_stderr "async_blog_server" async_two
fi

# 2. The wire bytes, seen by raw clients; one sends its frame before it
#    reads the welcome, one sends an empty frame.
if start_async wire 3; then
    "$PYTHON" - "$PORT" >"$WORK/wire_py.out" 2>&1 <<'PY'
import socket, sys
port = int(sys.argv[1])
def read_all(s):
    got = b""
    while True:
        chunk = s.recv(100)
        if not chunk:
            return got
        got += chunk
s = socket.create_connection(("127.0.0.1", port), timeout=10)
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
s = socket.create_connection(("127.0.0.1", port), timeout=10)
s.sendall(b"0011frame first")
s.shutdown(socket.SHUT_WR)
print(repr(read_all(s)))   # the welcome, then the close
s = socket.create_connection(("127.0.0.1", port), timeout=10)
s.sendall(b"0000")
print(repr(read_all(s)))
PY
    expect_file "async_blog_server wire bytes" "$WORK/wire_py.out" "b'0012Hi, welcome!'
b''
b'0012Hi, welcome!'
b'0012Hi, welcome!'"
    wait "$SERVER_PID"
    expect_status "async_blog_server with raw clients" $? 0
    expect_file "async_blog_server output (raw clients)" <(blog_lines wire) 'server waitting
client from IP: 127.0.0.1
message lenth: 5
from client message: hello
server waitting
client from IP: 127.0.0.1
message lenth: 11
from client message: frame first
server waitting
client from IP: 127.0.0.1
message lenth: 0
from client message: '
    no_stderr "async_blog_server (raw clients)" wire
fi

# 3. Many at once: a silent client holds the server's attention first, then
#    50 blog_clients run in parallel and all finish while it is silent.
N=50
if start_async many $((N + 1)); then
    coproc SILENT { "$PYTHON" -c 'import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=30)
got = b""
while len(got) < 16:
    chunk = s.recv(16 - len(got))
    if not chunk:
        break
    got += chunk
print("welcomed" if got == b"0012Hi, welcome!" else repr(got), flush=True)
sys.stdin.readline()               # until the others are done
s.sendall(b"0006silent")
s.shutdown(socket.SHUT_WR)
print("closed" if s.recv(10) == b"" else "not closed", flush=True)' "$PORT"; }
    BG_PIDS+=("$SILENT_PID")
    read -r -t 20 line <&"${SILENT[0]}"
    [ "${line:-}" = welcomed ] && pass "a silent client is welcomed" || fail "silent client: ${line:-no answer}"
    pids=()
    for ((i = 0; i < N; i++)); do
        timeout 30 "$CLIENT" 127.0.0.1 "$PORT" >"$WORK/many_c$i.out" 2>&1 &
        pids+=($!)
    done
    ok=0
    for ((i = 0; i < N; i++)); do
        wait "${pids[$i]}" && [ "$(cat "$WORK/many_c$i.out")" == "$client_expected" ] && ok=$((ok + 1))
    done
    [ "$ok" -eq "$N" ] && pass "$N blog_clients at once, all served while one client is silent" ||
        fail "$ok of $N parallel blog_clients succeeded"
    echo go >&"${SILENT[1]}"
    read -r -t 20 line <&"${SILENT[0]}"
    [ "${line:-}" = closed ] && pass "the silent client is served last" || fail "silent client: ${line:-no answer}"
    wait "$SERVER_PID"
    expect_status "async_blog_server 0 $((N + 1))" $? 0
    accepted=$(grep -c '^client from IP: 127\.0\.0\.1$' "$WORK/many.out")
    messages=$(grep -c '^from client message: this is from cnet$' "$WORK/many.out")
    [ "$accepted" -eq $((N + 1)) ] && [ "$messages" -eq "$N" ] &&
        grep -q '^message lenth: 6$' "$WORK/many.out" && grep -q '^from client message: silent$' "$WORK/many.out" &&
        pass "the server printed $accepted clients and $((messages + 1)) messages" ||
        fail "server output: $accepted clients, $messages messages from blog_client"
    # Each message's two lines stay together.
    if awk '/^message lenth:/ { m = 1; next } m && !/^from client message:/ { bad = 1 } { m = 0 } END { exit bad }' \
        "$WORK/many.out"; then
        pass "every \"message lenth\" line is followed by its message"
    else
        fail "interleaved message lines"
    fi
    no_stderr "async_blog_server ($((N + 1)) clients)" many
fi

# 4. Errors: reported on stderr like blog_server's, exit status 1.
if start_async bad 2; then
    "$PYTHON" -c 'import socket, sys
port = int(sys.argv[1])
s = socket.create_connection(("127.0.0.1", port), timeout=10)
s.recv(16); s.sendall(b"12ab"); s.close()
s = socket.create_connection(("127.0.0.1", port), timeout=10)
s.recv(16); s.close()' "$PORT"
    wait "$SERVER_PID"
    expect_status "async_blog_server given a malformed prefix and an early close" $? 1
    grep -q '^async_blog_server: receive: .*prefix.* (client 127\.0\.0\.1:[0-9]*)$' "$WORK/bad.err" &&
        pass "the malformed prefix is reported" || fail "stderr: $(cat "$WORK/bad.err")"
    grep -q '^async_blog_server: receive: .*closed' "$WORK/bad.err" &&
        pass "the early close is reported" || fail "stderr: $(cat "$WORK/bad.err")"
fi

# 5. SIGTERM with a client connected: a clean exit.
if start_async term 0; then
    "$PYTHON" -c 'import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
s.recv(16); time.sleep(30)' "$PORT" &
    HOLD_PID=$!
    BG_PIDS+=("$HOLD_PID")
    wait_for_line "$WORK/term.out" '^client from IP:' "$SERVER_PID" 10
    kill -TERM "$(awk '{print $1}' "/proc/$SERVER_PID/task/$SERVER_PID/children")"
    wait "$SERVER_PID"
    expect_status "async_blog_server exits cleanly on SIGTERM with a client connected" $? 0
    no_stderr "async_blog_server (SIGTERM)" term
    kill "$HOLD_PID" 2>/dev/null
fi

timeout 10 "$ASERVER" 70000 >/dev/null 2>&1
expect_status "async_blog_server 70000 (bad port)" $? 2
timeout 10 "$ASERVER" 7003 x >/dev/null 2>&1
expect_status "async_blog_server 7003 x (bad count)" $? 2
timeout 10 "$ASERVER" 1 2 3 >/dev/null 2>&1
expect_status "async_blog_server 1 2 3 (too many arguments)" $? 2

finish
