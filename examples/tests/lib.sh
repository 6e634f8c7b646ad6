# Shared helpers of the example tests (sourced by bash scripts).
# Every program runs under `timeout`, on loopback, on a free port.

PYTHON=${PYTHON:-/usr/bin/python3}
FAILURES=0
WORK=$(mktemp -d "${TMPDIR:-/tmp}/cnet-examples.XXXXXX")
BG_PIDS=()

cleanup() {
    local pid
    for pid in "${BG_PIDS[@]}"; do
        kill "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    rm -rf "$WORK"
}
trap cleanup EXIT

note() { printf '%s\n' "$*"; }
skip() { printf 'skip %s\n' "$*"; }

# Whether "localhost" resolves to 127.0.0.1 on this system (/etc/hosts):
# without it the cases by name are skipped, saying so, never failed.
have_localhost() { getent ahostsv4 localhost 2>/dev/null | grep -q '^127\.0\.0\.1 '; }
pass() { printf 'ok   %s\n' "$*"; }
fail() { printf 'FAIL %s\n' "$*"; FAILURES=$((FAILURES + 1)); }

# A TCP port that was free a moment ago (the caller retries on a clash).
free_port() {
    "$PYTHON" -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

# wait_for_line FILE REGEX PID [SECONDS]: 0 when FILE has a line matching
# REGEX, 1 when PID exited first or the time ran out.
wait_for_line() {
    local file=$1 regex=$2 pid=$3 limit=${4:-20} i
    for ((i = 0; i < limit * 20; i++)); do
        grep -Eq -- "$regex" "$file" 2>/dev/null && return 0
        kill -0 "$pid" 2>/dev/null || { grep -Eq -- "$regex" "$file" 2>/dev/null; return; }
        sleep 0.05
    done
    return 1
}

# start_server NAME READY-REGEX SECONDS CMD...: starts CMD (with "@PORT@"
# replaced by a free port) in the background, output in $WORK/NAME.out and
# $WORK/NAME.err, and waits for READY-REGEX in its output. Retries with
# another port when the port was taken meanwhile. Sets SERVER_PID and PORT.
start_server() {
    local name=$1 ready=$2 seconds=$3 attempt arg
    shift 3
    for attempt in 1 2 3 4 5; do
        PORT=$(free_port) || return 1
        local cmd=()
        for arg in "$@"; do cmd+=("${arg//@PORT@/$PORT}"); done
        # No stale output of an earlier run may be mistaken for this one's.
        rm -f "$WORK/$name.out" "$WORK/$name.err"
        timeout "$seconds" "${cmd[@]}" >"$WORK/$name.out" 2>"$WORK/$name.err" &
        SERVER_PID=$!
        BG_PIDS+=("$SERVER_PID")
        if wait_for_line "$WORK/$name.out" "$ready" "$SERVER_PID" 20; then
            return 0
        fi
        kill "$SERVER_PID" 2>/dev/null
        wait "$SERVER_PID" 2>/dev/null
        grep -qi 'in use' "$WORK/$name.err" || break
    done
    note "could not start $name:"
    sed 's/^/  | /' "$WORK/$name.out" "$WORK/$name.err"
    return 1
}

# expect_file LABEL FILE EXPECTED-TEXT: FILE must hold exactly the text.
expect_file() {
    local label=$1 file=$2 expected=$3
    if [ "$(cat "$file")" == "$expected" ]; then
        pass "$label"
    else
        fail "$label"
        note "  expected:"; printf '%s\n' "$expected" | sed 's/^/  | /'
        note "  got:"; sed 's/^/  | /' "$file"
    fi
}

# expect_status LABEL ACTUAL EXPECTED
expect_status() {
    if [ "$2" == "$3" ]; then pass "$1 (exit $2)"; else fail "$1: exit status $2, expected $3"; fi
}

finish() {
    if [ "$FAILURES" -ne 0 ]; then
        note "$FAILURES check(s) failed"
        exit 1
    fi
    note "all checks passed"
    exit 0
}
