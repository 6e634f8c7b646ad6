#!/usr/bin/env bash
# cnet-cat: a client against a cnet-cat listener over TCP (both directions,
# binary data, half-close) and UDP; timeouts, refused connections and usage
# errors.
# usage: test_cnet_cat.sh CNET_CAT
set -u
CAT=$1
source "$(dirname "$0")/lib.sh"

# listen NAME STDIN ARGS...: start `cnet-cat -l -v ARGS` in the background
# with standard input from the file or FIFO STDIN, output in
# $WORK/NAME.out/.err; sets LPID and LPORT once it listens.
listen() {
    local name=$1 input=$2
    LPORT=
    shift 2
    # No stale output of an earlier listener may be mistaken for this one's.
    rm -f "$WORK/$name.out" "$WORK/$name.err"
    timeout 30 "$CAT" -l -v "$@" <"$input" >"$WORK/$name.out" 2>"$WORK/$name.err" &
    LPID=$!
    BG_PIDS+=("$LPID")
    if ! wait_for_line "$WORK/$name.err" 'listening on .*:[0-9]+$' "$LPID"; then
        fail "cnet-cat -l $* did not start"; sed 's/^/  | /' "$WORK/$name.err"
        return 1
    fi
    LPORT=$(sed -n 's/.*listening on .*:\([0-9]*\)$/\1/p' "$WORK/$name.err")
}

# 1. Usage: --help exits 0, bad arguments exit with status 2.
"$CAT" --help >"$WORK/help.out" 2>&1
expect_status "cnet-cat --help" $? 0
grep -q '^usage: cnet-cat \[options\] HOST PORT' "$WORK/help.out" && pass "--help prints the usage" ||
    fail "--help output: $(head -n3 "$WORK/help.out")"
"$CAT" -h >/dev/null 2>&1
expect_status "cnet-cat -h" $? 0
for args in "" "127.0.0.1" "-x 127.0.0.1 1" "--frobnicate 127.0.0.1 1" "127.0.0.1 65536" "127.0.0.1 http" \
            "127.0.0.1 0" "-l" "-l a b c" "--timeout 127.0.0.1 1" "--timeout=-5 127.0.0.1 1" "--timeout"; do
    # shellcheck disable=SC2086 - the words are the arguments
    timeout 10 "$CAT" $args </dev/null >/dev/null 2>"$WORK/usage.err"
    rc=$?
    if [ $rc -eq 2 ] && grep -q "^cnet-cat: .*" "$WORK/usage.err"; then
        pass "cnet-cat $args -> exit 2: $(head -n1 "$WORK/usage.err")"
    else
        fail "cnet-cat $args: exit $rc, stderr: $(cat "$WORK/usage.err")"
    fi
done

# 2. TCP, 2 MB of binary data each way at the same time, byte for byte.
"$PYTHON" -c 'import os, sys
open(sys.argv[1], "wb").write(os.urandom(2000000))
open(sys.argv[2], "wb").write(os.urandom(1500000) + b"\0\r\n\0")' "$WORK/to_listener" "$WORK/to_client"
if listen tcp "$WORK/to_client" --timeout 20000 127.0.0.1 0; then
    timeout 30 "$CAT" --timeout 20000 127.0.0.1 "$LPORT" <"$WORK/to_listener" >"$WORK/client.out" 2>"$WORK/client.err"
    expect_status "TCP client" $? 0
    wait "$LPID"
    expect_status "TCP listener" $? 0
    cmp -s "$WORK/to_listener" "$WORK/tcp.out" && pass "TCP: client stdin -> listener stdout (2000000 bytes)" ||
        fail "TCP: the listener received $(wc -c <"$WORK/tcp.out") bytes, not the client's input"
    cmp -s "$WORK/to_client" "$WORK/client.out" && pass "TCP: listener stdin -> client stdout (1500004 bytes)" ||
        fail "TCP: the client received $(wc -c <"$WORK/client.out") bytes, not the listener's input"
    grep -q 'connection from 127.0.0.1:' "$WORK/tcp.err" && pass "-v names the client" ||
        fail "listener stderr: $(cat "$WORK/tcp.err")"
fi

# 3. TCP half-close: the client's input ends at once, so it shuts down its
# write side; the listener answers only after it has read "ping" (and the
# end of stream), and the client must still be reading to get "pong".
answer_after_ping() {
    local i
    for ((i = 0; i < 200; i++)); do
        grep -q '^ping$' "$WORK/half.out" 2>/dev/null && break
        sleep 0.05
    done
    sleep 0.2
    printf 'pong\n'
}
mkfifo "$WORK/half.in"
answer_after_ping >"$WORK/half.in" &
BG_PIDS+=($!)
if listen half "$WORK/half.in" 127.0.0.1 0; then
    printf 'ping\n' | timeout 30 "$CAT" 127.0.0.1 "$LPORT" >"$WORK/half_client.out" 2>"$WORK/half_client.err"
    expect_status "half-close: client" $? 0
    wait "$LPID"
    expect_status "half-close: listener" $? 0
    expect_file "half-close: the listener got the client's line" "$WORK/half.out" "ping"
    expect_file "half-close: the client got the answer after its EOF" "$WORK/half_client.out" "pong"
fi

# 4. UDP: the listener answers the sender of the last datagram; both end
# after --timeout without traffic. Once dual-stack (no HOST), once IPv4.
printf 'pong\n' >"$WORK/pong"
for variant in "dual-stack:" "IPv4:-4 127.0.0.1"; do
    label=${variant%%:*}
    # shellcheck disable=SC2086
    listen udp "$WORK/pong" -u --timeout 1500 ${variant#*:} 0 || continue
    printf 'ping\n' | timeout 30 "$CAT" -u --timeout 1500 127.0.0.1 "$LPORT" >"$WORK/udp_client.out" 2>"$WORK/udp_client.err"
    expect_status "UDP ($label): client" $? 0
    wait "$LPID"
    expect_status "UDP ($label): listener" $? 0
    expect_file "UDP ($label): the listener got the datagram" "$WORK/udp.out" "ping"
    expect_file "UDP ($label): the client got the reply" "$WORK/udp_client.out" "pong"
done

# 5. Failures: exit status 1 and a message, never a crash.
port=$(free_port)
timeout 10 "$CAT" 127.0.0.1 "$port" </dev/null >/dev/null 2>"$WORK/refused.err"
rc=$?
[ $rc -eq 1 ] && grep -q 'refused' "$WORK/refused.err" && pass "connection refused -> exit 1: $(cat "$WORK/refused.err")" ||
    fail "connection refused: exit $rc, stderr: $(cat "$WORK/refused.err")"
timeout 10 "$CAT" -l --timeout 300 127.0.0.1 0 </dev/null >/dev/null 2>"$WORK/accept.err"
rc=$?
[ $rc -eq 1 ] && grep -q 'timed out' "$WORK/accept.err" && pass "nobody connects within --timeout -> exit 1" ||
    fail "accept timeout: exit $rc, stderr: $(cat "$WORK/accept.err")"
# An idle TCP connection: the listener gives up after --timeout.
mkfifo "$WORK/idle.in"
sleep 3 >"$WORK/idle.in" &
BG_PIDS+=($!)
if listen idle "$WORK/idle.in" --timeout 400 127.0.0.1 0; then
    sleep 3 | timeout 10 "$CAT" 127.0.0.1 "$LPORT" >/dev/null 2>&1 &
    CPID=$!
    BG_PIDS+=("$CPID")
    wait "$LPID"
    rc=$?
    [ $rc -eq 1 ] && grep -q 'no traffic' "$WORK/idle.err" && pass "idle TCP connection -> exit 1 after --timeout" ||
        fail "idle timeout: exit $rc, stderr: $(cat "$WORK/idle.err")"
    kill "$CPID" 2>/dev/null
fi

finish
