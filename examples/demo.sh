#!/usr/bin/env bash
# The seed blog's improved server and client, ported to cnet, talking over
# loopback: starts `blog_server PORT 1` on a free port, runs
# `blog_client 127.0.0.1 PORT`, waits for the server and shows both outputs.
# Exits non-zero when anything fails; every step is bounded by `timeout`.
#
# usage: examples/demo.sh [DIR]   DIR holds blog_server and blog_client
#                                 (default: build/examples)
set -u
DIR=${1:-build/examples}
PYTHON=${PYTHON:-python3}
SERVER=$DIR/blog_server
CLIENT=$DIR/blog_client
for prog in "$SERVER" "$CLIENT"; do
    [ -x "$prog" ] || { echo "demo: $prog is missing: build first (make build)" >&2; exit 1; }
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/cnet-demo.XXXXXX")
SERVER_PID=
cleanup() {
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT

show() { # show LABEL FILE
    echo "--- $1"
    sed 's/^/    /' "$2"
}

# A port that is free now; if another program takes it before the server
# binds it, try again with a new one.
started=false
for attempt in 1 2 3 4 5; do
    PORT=$("$PYTHON" -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])') || { echo "demo: cannot find a free port (is $PYTHON installed?)" >&2; exit 1; }
    timeout 30 "$SERVER" "$PORT" 1 >"$WORK/server.out" 2>"$WORK/server.err" &
    SERVER_PID=$!
    # The server prints "server waitting" once it listens.
    for ((i = 0; i < 200; i++)); do
        grep -q '^server waitting$' "$WORK/server.out" && { started=true; break 2; }
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.05
    done
    kill "$SERVER_PID" 2>/dev/null
    wait "$SERVER_PID" 2>/dev/null
    SERVER_PID=
    grep -qi 'in use' "$WORK/server.err" || break
done
if ! $started; then
    echo "demo: blog_server did not start" >&2
    cat "$WORK/server.out" "$WORK/server.err" >&2
    exit 1
fi

echo "cnet blog demo: $SERVER $PORT 1  <->  $CLIENT 127.0.0.1 $PORT"
timeout 20 "$CLIENT" 127.0.0.1 "$PORT" >"$WORK/client.out" 2>"$WORK/client.err"
client_status=$?
wait "$SERVER_PID"
server_status=$?
SERVER_PID=

show "blog_server $PORT 1 (exit $server_status)" "$WORK/server.out"
[ -s "$WORK/server.err" ] && show "blog_server stderr" "$WORK/server.err"
show "blog_client 127.0.0.1 $PORT (exit $client_status)" "$WORK/client.out"
[ -s "$WORK/client.err" ] && show "blog_client stderr" "$WORK/client.err"

if [ "$server_status" -ne 0 ] || [ "$client_status" -ne 0 ]; then
    echo "demo FAILED" >&2
    exit 1
fi
echo "demo ok"
