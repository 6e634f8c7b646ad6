#!/usr/bin/env bash
# async_chat: lines fan out to the other clients (never back to the sender),
# a client leaving breaks nothing, a slow reader is dropped with a message,
# SIGTERM ends the server cleanly.
# usage: test_async_chat.sh ASYNC_CHAT ASYNC_CHAT_CLIENTS_PY
set -u
SERVER=$1
CLIENTS_PY=$2
source "$(dirname "$0")/lib.sh"

timeout 120 "$SERVER" 0 >"$WORK/chat.out" 2>"$WORK/chat.err" &
SERVER_PID=$!
BG_PIDS+=("$SERVER_PID")
if wait_for_line "$WORK/chat.out" '^listening on 127\.0\.0\.1:[0-9]+$' "$SERVER_PID"; then
    PORT=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$WORK/chat.out")
    CHAT_PID=$(awk '{print $1}' "/proc/$SERVER_PID/task/$SERVER_PID/children")
    pass "async_chat listening on port $PORT (asked for port 0)"
    timeout 100 "$PYTHON" "$CLIENTS_PY" "$PORT"
    expect_status "chat clients" $? 0
    grep -q '^async_chat: dropping 127\.0\.0\.1:[0-9]*: .* does not read$' "$WORK/chat.err" &&
        pass "the slow client's drop is reported: $(grep dropping "$WORK/chat.err")" ||
        fail "no drop message on stderr"
    kill -TERM "$CHAT_PID"
    wait "$SERVER_PID"
    expect_status "async_chat exits cleanly on SIGTERM" $? 0
    if grep -Eq 'Sanitizer|runtime error|leak' "$WORK/chat.err"; then
        fail "async_chat stderr:"; sed 's/^/  | /' "$WORK/chat.err"
    elif [ -s "$WORK/chat.err" ]; then
        note "async_chat stderr:"; sed 's/^/  | /' "$WORK/chat.err"
    fi
else
    fail "async_chat did not start"; cat "$WORK/chat.out" "$WORK/chat.err"
fi

timeout 10 "$SERVER" >/dev/null 2>&1
expect_status "async_chat without PORT" $? 2
timeout 10 "$SERVER" 99999 >/dev/null 2>&1
expect_status "async_chat 99999 (bad port)" $? 2

finish
