#!/usr/bin/env bash
# async_echo --tls: many TLS clients at once (python3's ssl module, verifying
# the server's certificate), next to a client that never handshakes and one
# that speaks plaintext; close_notify and truncation; on every loop the
# build has (io_uring or epoll, then epoll forced, then poll); clean exit on
# SIGTERM; bad certificate paths refused with a message.
# usage: test_async_echo_tls.sh ASYNC_ECHO CLIENTS_PY TLS_MKCERTS
set -u
SERVER=$1
CLIENTS_PY=$2
MKCERTS=$3
source "$(dirname "$0")/lib.sh"
CONNS=${ASYNC_ECHO_TLS_CONNS:-300}

mkdir -p "$WORK/certs" && sh "$MKCERTS" "$WORK/certs" || { fail "tls_mkcerts.sh failed"; finish; }
CERT=$WORK/certs/valid.pem
KEY=$WORK/certs/valid.key

child_of() { cat "/proc/$1/task/$1/children" 2>/dev/null | awk '{print $1}'; }

# run_case NAME [ENV...]: one server, the clients against it, SIGTERM.
run_case() {
    local name=$1
    shift
    timeout 150 env "$@" "$SERVER" --tls "$CERT" "$KEY" 0 >"$WORK/$name.out" 2>"$WORK/$name.err" &
    local spid=$!
    BG_PIDS+=("$spid")
    if ! wait_for_line "$WORK/$name.out" '^listening on 127\.0\.0\.1:[0-9]+$' "$spid"; then
        fail "$name did not start"; sed 's/^/  | /' "$WORK/$name.out" "$WORK/$name.err"
        return
    fi
    local port
    port=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$WORK/$name.out")
    timeout 120 "$PYTHON" "$CLIENTS_PY" "$port" "$WORK/certs/ca.pem" "$CONNS" 32768 --seconds 100 \
        >"$WORK/$name.clients" 2>&1
    expect_status "$name: $CONNS TLS clients at once ($(tail -n 1 "$WORK/$name.clients"))" $? 0
    grep '^FAIL' "$WORK/$name.clients" | sed 's/^/  | /'
    kill -TERM "$(child_of "$spid")"
    wait "$spid"
    expect_status "$name exits cleanly on SIGTERM" $? 0
    if grep -Eq 'Sanitizer|runtime error|leak' "$WORK/$name.err"; then
        fail "$name stderr:"; sed 's/^/  | /' "$WORK/$name.err"
    fi
}

run_case tls_default
run_case tls_epoll CNET_IO_URING=off
run_case tls_poll CNET_ASYNC_POLL=1

# The command line.
timeout 10 "$SERVER" --tls "$CERT" 0 >/dev/null 2>&1
expect_status "async_echo --tls without KEY" $? 2
timeout 10 "$SERVER" --tls "$WORK/certs/missing.pem" "$KEY" 0 >/dev/null 2>"$WORK/missing.err"
expect_status "async_echo --tls with a missing certificate" $? 1
grep -q 'TLS context' "$WORK/missing.err" && pass "a missing certificate is reported" ||
    fail "no message for a missing certificate: $(cat "$WORK/missing.err")"

finish
