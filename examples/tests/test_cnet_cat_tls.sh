#!/usr/bin/env bash
# cnet-cat --tls: client and listener over TLS (both directions at once,
# half-close with close_notify), verification failures with their messages,
# --insecure, --servername, ALPN, interop with openssl s_client, usage errors.
# usage: test_cnet_cat_tls.sh CNET_CAT TLS_MKCERTS
set -u
CAT=$1
MKCERTS=$2
source "$(dirname "$0")/lib.sh"
if ! have_localhost; then
    echo "\"localhost\" does not resolve to 127.0.0.1 here (no localhost line in /etc/hosts): skipped"
    exit 77
fi

mkdir "$WORK/certs"
sh "$MKCERTS" "$WORK/certs" || { fail "tls_mkcerts.sh failed"; finish; }
C=$WORK/certs

# listen NAME STDIN ARGS...: `cnet-cat -l -v --tls ARGS` in the background;
# sets LPID and LPORT once it listens.
listen() {
    local name=$1 input=$2
    LPORT=
    shift 2
    rm -f "$WORK/$name.out" "$WORK/$name.err"
    timeout 30 "$CAT" -l -v --tls "$@" <"$input" >"$WORK/$name.out" 2>"$WORK/$name.err" &
    LPID=$!
    BG_PIDS+=("$LPID")
    if ! wait_for_line "$WORK/$name.err" 'listening on .*:[0-9]+$' "$LPID"; then
        fail "cnet-cat -l --tls $* did not start"; sed 's/^/  | /' "$WORK/$name.err"
        return 1
    fi
    LPORT=$(sed -n 's/.*listening on .*:\([0-9]*\)$/\1/p' "$WORK/$name.err")
}
SERVER=(--cert "$C/valid.pem" --key "$C/valid.key")

# 1. Usage errors: exit status 2.
for args in "--cafile $C/ca.pem 127.0.0.1 1" "--tls --cert $C/valid.pem 127.0.0.1 1" "-l --tls 0" \
            "-u --tls 127.0.0.1 1" "--tls --alpn 127.0.0.1" "-l --tls --insecure --cert a --key b 0"; do
    # shellcheck disable=SC2086 - the words are the arguments
    timeout 10 "$CAT" $args </dev/null >/dev/null 2>"$WORK/usage.err"
    rc=$?
    [ $rc -eq 2 ] && pass "cnet-cat $args -> exit 2: $(head -n1 "$WORK/usage.err")" ||
        fail "cnet-cat $args: exit $rc, stderr: $(cat "$WORK/usage.err")"
done

# 2. 1 MB each way at the same time over TLS (non-blocking TLS sends that
# time out mid-record and resume), byte for byte.
"$PYTHON" -c 'import os, sys
open(sys.argv[1], "wb").write(os.urandom(1000000))
open(sys.argv[2], "wb").write(os.urandom(800000) + b"\0\r\n\0")' "$WORK/to_listener" "$WORK/to_client"
if listen bulk "$WORK/to_client" --timeout 20000 "${SERVER[@]}" 127.0.0.1 0; then
    timeout 30 "$CAT" -v --tls --cafile "$C/ca.pem" --timeout 20000 localhost "$LPORT" <"$WORK/to_listener" \
        >"$WORK/client.out" 2>"$WORK/client.err"
    expect_status "TLS client" $? 0
    wait "$LPID"
    expect_status "TLS listener" $? 0
    cmp -s "$WORK/to_listener" "$WORK/bulk.out" && pass "TLS: client stdin -> listener stdout (1000000 bytes)" ||
        fail "TLS: the listener received $(wc -c <"$WORK/bulk.out") bytes; stderr: $(cat "$WORK/bulk.err")"
    cmp -s "$WORK/to_client" "$WORK/client.out" && pass "TLS: listener stdin -> client stdout (800004 bytes)" ||
        fail "TLS: the client received $(wc -c <"$WORK/client.out") bytes; stderr: $(cat "$WORK/client.err")"
    grep -q 'TLS established' "$WORK/client.err" && pass "-v reports the TLS session" ||
        fail "client stderr: $(cat "$WORK/client.err")"
fi

# 3. Half-close: the client's input ends at once (close_notify, then FIN);
# the listener answers after it read "ping" and the clean end of stream.
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
if listen half "$WORK/half.in" "${SERVER[@]}" 127.0.0.1 0; then
    printf 'ping\n' | timeout 30 "$CAT" --tls --cafile "$C/ca.pem" 127.0.0.1 "$LPORT" \
        >"$WORK/half_client.out" 2>"$WORK/half_client.err"
    expect_status "TLS half-close: client" $? 0
    wait "$LPID"
    expect_status "TLS half-close: listener (clean close_notify, no truncation)" $? 0
    expect_file "TLS half-close: the listener got the client's line" "$WORK/half.out" "ping"
    expect_file "TLS half-close: the client got the answer after its close_notify" "$WORK/half_client.out" "pong"
fi

# 4. Verification failures: exit 1 with the reason; --insecure connects.
# client_case LABEL LEAF EXPECTED-STATUS STDERR-REGEX CLIENT-ARGS...
client_case() {
    local label=$1 leaf=$2 want=$3 regex=$4 rc
    shift 4
    listen "case" /dev/null --timeout 5000 --cert "$C/$leaf.pem" --key "$C/$leaf.key" 127.0.0.1 0 || return
    printf 'hi\n' | timeout 20 "$CAT" --tls --timeout 5000 "$@" "$LPORT" >"$WORK/case_client.out" 2>"$WORK/case_client.err"
    rc=$?
    kill "$LPID" 2>/dev/null
    wait "$LPID" 2>/dev/null
    if [ $rc -eq "$want" ] && grep -Eq -- "$regex" "$WORK/case_client.err" "$WORK/case_client.out"; then
        pass "$label -> exit $rc"
    else
        fail "$label: exit $rc, stderr: $(cat "$WORK/case_client.err")"
    fi
}
client_case "unknown CA (system store only)" valid 1 'certificate verification failed.*issuer' localhost
client_case "self-signed certificate" self 1 'self-signed' --cafile "$C/ca.pem" localhost
client_case "expired certificate" expired 1 'expired' --cafile "$C/ca.pem" localhost
client_case "--servername other.example" valid 1 'hostname mismatch' --cafile "$C/ca.pem" --servername other.example 127.0.0.1
client_case "certificate for another host" other 1 'hostname mismatch' --cafile "$C/ca.pem" localhost
client_case "--insecure accepts a self-signed certificate" self 0 'TLS established' -v --insecure localhost

# 5. ALPN: the listener picks from its list.
if listen alpn /dev/null --timeout 5000 --alpn h2,http/1.1 "${SERVER[@]}" 127.0.0.1 0; then
    timeout 20 "$CAT" -v --tls --cafile "$C/ca.pem" --alpn foo,http/1.1 localhost "$LPORT" </dev/null \
        >/dev/null 2>"$WORK/alpn_client.err"
    expect_status "ALPN client" $? 0
    wait "$LPID"
    grep -q 'ALPN http/1.1' "$WORK/alpn_client.err" && pass "ALPN negotiated http/1.1" ||
        fail "ALPN: $(cat "$WORK/alpn_client.err")"
fi

# 6. Interop: openssl s_client talks to the cnet-cat listener. The listener's
# input arrives late, through a FIFO: its end of input shuts the listener's
# writing side down (close_notify), and s_client stops at a close_notify, so
# the "ping" it sends right after the handshake must come first.
mkfifo "$WORK/pong_in"
(sleep 1; printf 'pong\n') >"$WORK/pong_in" &
BG_PIDS+=("$!")
if listen interop "$WORK/pong_in" "${SERVER[@]}" 127.0.0.1 0; then
    (printf 'ping\n'; sleep 2) | timeout 20 openssl s_client -connect "127.0.0.1:$LPORT" -servername localhost \
        -CAfile "$C/ca.pem" -verify_return_error -brief >"$WORK/s_client.out" 2>&1
    expect_status "openssl s_client" $? 0
    wait "$LPID"
    expect_status "cnet-cat listener with s_client" $? 0
    grep -q '^pong$' "$WORK/s_client.out" && pass "s_client got the listener's data" ||
        fail "s_client output: $(cat "$WORK/s_client.out")"
    expect_file "the listener got s_client's line" "$WORK/interop.out" "ping"
fi


# A private key that is not the certificate's is named as such.
timeout 10 "$CAT" -l --tls --cert "$C/valid.pem" --key "$C/other.key" 127.0.0.1 0 </dev/null >/dev/null 2>"$WORK/mismatch.err"
rc=$?
[ $rc -eq 1 ] && grep -q 'private key does not match the certificate' "$WORK/mismatch.err" &&
    pass "mismatched key -> exit 1: $(cat "$WORK/mismatch.err")" ||
    fail "mismatched key: exit $rc, stderr: $(cat "$WORK/mismatch.err")"

finish
