#!/usr/bin/env bash
# async_echo: 50 connections with 128-256 KiB of random data each, 2000
# connections open at once, half-closes, a clean exit on SIGTERM with
# connections open, and EMFILE reported once instead of a busy loop.
# usage: test_async_echo.sh ASYNC_ECHO ASYNC_ECHO_CLIENTS_PY
# ASYNC_ECHO_CONNS (default 2000) sets the size of the big run.
set -u
SERVER=$1
CLIENTS_PY=$2
source "$(dirname "$0")/lib.sh"
BIG=${ASYNC_ECHO_CONNS:-2000}

# The server's own pid: $! is `timeout`'s.
child_of() { cat "/proc/$1/task/$1/children" 2>/dev/null | awk '{print $1}'; }
# user + system CPU time of a process, in clock ticks.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null; }

# start_echo NAME [PREFIX...]: async_echo on port 0 (PREFIX: a command in
# front, e.g. prlimit); sets SERVER_PID (timeout's), ECHO_PID, PORT.
start_echo() {
    local name=$1
    shift
    timeout 150 "$@" "$SERVER" 0 >"$WORK/$name.out" 2>"$WORK/$name.err" &
    SERVER_PID=$!
    BG_PIDS+=("$SERVER_PID")
    if ! wait_for_line "$WORK/$name.out" '^listening on 127\.0\.0\.1:[0-9]+$' "$SERVER_PID"; then
        fail "$name did not start"; sed 's/^/  | /' "$WORK/$name.out" "$WORK/$name.err"
        return 1
    fi
    PORT=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$WORK/$name.out")
    ECHO_PID=$(child_of "$SERVER_PID")
    [ "$PORT" != 0 ] && [ -n "$ECHO_PID" ]
}

# stop_echo NAME: SIGTERM, then exit status 0 and a stderr without any
# sanitizer report (a leak makes ASan exit non-zero too).
stop_echo() {
    local name=$1
    kill -TERM "$ECHO_PID"
    wait "$SERVER_PID"
    expect_status "$name exits cleanly on SIGTERM" $? 0
    if grep -Eq 'Sanitizer|runtime error|leak' "$WORK/$name.err"; then
        fail "$name stderr:"; sed 's/^/  | /' "$WORK/$name.err"
    fi
}

# 1. Random data on 50 connections, then 2000 connections at once, on one
#    server (bytes and shutdown at once on 100 of them); then SIGTERM while
#    20 connections are open.
if start_echo echo; then
    pass "async_echo listening on port $PORT (asked for port 0)"
    timeout 100 "$PYTHON" "$CLIENTS_PY" "$PORT" 50 262144 --seconds 90
    expect_status "50 connections echo random data" $? 0
    timeout 100 "$PYTHON" "$CLIENTS_PY" "$PORT" "$BIG" 4096 --seconds 90
    expect_status "$BIG connections at once" $? 0
    timeout 60 "$PYTHON" "$CLIENTS_PY" "$PORT" --hold 20 --seconds 50 >"$WORK/hold.out" 2>&1 &
    HOLD_PID=$!
    BG_PIDS+=("$HOLD_PID")
    if wait_for_line "$WORK/hold.out" '^ready 20$' "$HOLD_PID" 30; then
        stop_echo echo
    else
        fail "holding 20 connections: $(cat "$WORK/hold.out")"
    fi
    kill "$HOLD_PID" 2>/dev/null
    [ -s "$WORK/echo.err" ] && { note "async_echo stderr:"; sed 's/^/  | /' "$WORK/echo.err"; }
fi

# 1b. The same on the portable poll() loop (CNET_ASYNC_POLL=1), smaller.
if start_echo echo_poll env CNET_ASYNC_POLL=1; then
    timeout 100 "$PYTHON" "$CLIENTS_PY" "$PORT" 200 65536 --seconds 90
    expect_status "poll() loop: 200 connections echo random data" $? 0
    stop_echo echo_poll
fi

# 2. Out of descriptors: 64 allowed, 100 connections. The server says so
#    once, does not spin while it waits, and serves again afterwards.
if start_echo emfile prlimit --nofile=64:64; then
    coproc EMFILE_CLIENT { timeout 60 "$PYTHON" "$CLIENTS_PY" "$PORT" --emfile 100 --seconds 50; }
    BG_PIDS+=("$EMFILE_CLIENT_PID")
    if read -r -t 40 line <&"${EMFILE_CLIENT[0]}" && [[ $line =~ ^echoed\ ([0-9]+)\ of\ 100$ ]]; then
        n=${BASH_REMATCH[1]}
        [ "$n" -gt 0 ] && [ "$n" -lt 100 ] && pass "with 64 descriptors, $n of 100 connections are served" ||
            fail "with 64 descriptors: $line"
        t0=$(cpu_ticks "$ECHO_PID")
        sleep 2
        t1=$(cpu_ticks "$ECHO_PID")
        ticks=$((t1 - t0))
        [ "$ticks" -le 40 ] && pass "no busy loop at EMFILE ($ticks ticks of CPU in 2 s)" ||
            fail "async_echo used $ticks ticks of CPU in 2 s at EMFILE: a busy loop"
        grep -q 'async_echo: accept: too many open' "$WORK/emfile.err" && pass "EMFILE is reported" ||
            fail "no EMFILE message: $(cat "$WORK/emfile.err")"
        reports=$(grep -c 'async_echo: accept:' "$WORK/emfile.err")
        [ "$reports" -eq 1 ] && pass "EMFILE is reported once" || fail "EMFILE reported $reports times"
        echo go >&"${EMFILE_CLIENT[1]}"
        for step in queued new; do
            if read -r -t 40 line <&"${EMFILE_CLIENT[0]}" && [[ $line == "ok   "* ]]; then
                pass "${line#ok   }"
            else
                fail "after EMFILE ($step): ${line:-no answer}"
                break
            fi
        done
    else
        fail "EMFILE client: ${line:-no answer}"
    fi
    wait "$EMFILE_CLIENT_PID" 2>/dev/null
    stop_echo emfile
    [ -s "$WORK/emfile.err" ] && { note "async_echo stderr:"; sed 's/^/  | /' "$WORK/emfile.err"; }
fi

# 3. The command line: exactly one PORT.
timeout 10 "$SERVER" >/dev/null 2>&1
expect_status "async_echo without PORT" $? 2
timeout 10 "$SERVER" 99999 >/dev/null 2>&1
expect_status "async_echo 99999 (bad port)" $? 2
timeout 10 "$SERVER" 1 2 >/dev/null 2>&1
expect_status "async_echo 1 2 (too many arguments)" $? 2

finish
