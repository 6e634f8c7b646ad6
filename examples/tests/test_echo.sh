#!/usr/bin/env bash
# echo_server: 200 simultaneous clients each get their line back, plus line
# ends, a long line and a partial last line; then the server exits by itself
# after COUNT connections.
# usage: test_echo.sh ECHO_SERVER ECHO_CLIENTS_PY
set -u
SERVER=$1
CLIENTS_PY=$2
source "$(dirname "$0")/lib.sh"

CLIENTS=200
COUNT=$((CLIENTS + 2))   # echo_clients.py opens CLIENTS + 2 connections

# Port 0: the server picks a free port and prints it.
timeout 90 "$SERVER" 0 "$COUNT" >"$WORK/echo.out" 2>"$WORK/echo.err" &
SERVER_PID=$!
BG_PIDS+=("$SERVER_PID")
if wait_for_line "$WORK/echo.out" '^echo_server: listening on .*:[0-9]+$' "$SERVER_PID"; then
    PORT=$(sed -n 's/^echo_server: listening on .*:\([0-9]*\)$/\1/p' "$WORK/echo.out")
    pass "echo_server listening on port $PORT"
    timeout 80 "$PYTHON" "$CLIENTS_PY" "$PORT" "$CLIENTS"
    expect_status "echo clients" $? 0
    wait "$SERVER_PID"
    expect_status "echo_server exits after $COUNT connections" $? 0
    [ -s "$WORK/echo.err" ] && { note "echo_server stderr:"; sed 's/^/  | /' "$WORK/echo.err"; }
else
    fail "echo_server did not start"; cat "$WORK/echo.out" "$WORK/echo.err"
fi

timeout 10 "$SERVER" 99999 >/dev/null 2>&1
expect_status "echo_server 99999 (bad port)" $? 2
timeout 10 "$SERVER" 1 2 3 >/dev/null 2>&1
expect_status "echo_server 1 2 3 (too many arguments)" $? 2

finish
