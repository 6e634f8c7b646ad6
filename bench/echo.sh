#!/bin/sh
# The echo benchmark: cnet's async echo server against bare epoll, bare
# io_uring, libuv and Nim's asyncnet, on loopback. Part of `make bench`.
#
#   sh bench/echo.sh
#
# What is measured. Every server (bench/echo/*, and examples/async_echo.c
# built against the libcnet.a of build-bench (posix) and of build-bench-uring
# (io_uring, also run with CNET_IO_URING=off)) listens on 127.0.0.1 and
# echoes. bench/echo/loadgen opens C connections and keeps exactly one
# message of S bytes in flight on each (send, wait for the whole echo,
# compare it byte for byte, send the next), for C = 1, 100, 1000 and S = 64,
# 4096. A row is the messages per second of one (server, C, S), the median of
# ECHO_REPS runs of ECHO_SECONDS each after ECHO_WARMUP seconds unmeasured.
# All servers run at once (idle ones sleep) and the runs are interleaved:
# repetition 1 of every server on a row, then repetition 2, starting with a
# different server each time. A ratio is paired: the median over the
# repetitions of the ratio of two runs made seconds apart, so the slow spells
# of this VM (runs differ by 10-30 % from minute to minute) cancel out.
# Alongside, two figures from CPU time (all threads of the server, from
# /proc/PID/task/TID/schedstat, and the load generator's own, over the
# measured seconds): messages per CPU-second of both ends, which is what
# messages/s would be if nothing else ran on that CPU (this machine is
# shared: when other processes take part of the CPU, messages/s drops, this
# does not), and the server's CPU time per message (on one CPU the load
# generator takes about half of the time, so the messages/s ratios
# understate the servers' own differences; this shows them undiluted).
#
# Pinning. Server and load generator both run under `taskset -c ECHO_CPU`
# (default 0): one CPU, no cross-CPU wake-ups (40-100 us each in this VM,
# more than a whole echo), the numbers are one CPU's worth of work shared by
# both ends. Every figure is compared with baselines measured in the same
# run only; nothing here is an absolute threshold and no test depends on it.
#
# Memory per idle connection: a fresh process of every server gets a short
# warm-up load (so fixed pools, e.g. the io_uring buffer ring, are already
# touched), then ECHO_IDLE (default 10000) connections that each echo one
# byte and stay open. Bytes per connection = the growth of the server's
# Private_Dirty (/proc/PID/smaps_rollup; VmRSS shown too) / connections.
# Kernel socket memory is not in it.
#
# Noise. The control row is a second process of bare_epoll: its ratio to
# bare_epoll would be 1.00 on a quiet machine; the report prints how far it
# strayed this run and flags a verdict whose margin is smaller than that.
#
# TLS rows: `async_echo --tls CERT KEY PORT` (cnet's async TLS, posix build,
# and io_uring build) against bench/echo/bare_tls_epoll (OpenSSL on
# non-blocking sockets, level-triggered epoll, no library), with a second
# bare_tls_epoll process as their control; the load generator speaks TLS to
# them (loadgen --tls, built with OpenSSL), so both ends pay the crypto.
# Same rows, same pinning, interleaved with the rest. Target: cnet TLS epoll
# >= 0.90x bare TLS epoll on every row. ECHO_ONLY=tls runs only these
# servers (and skips the idle-memory pass); ECHO_ONLY=plain only the others.
#
# Targets (printed with MET / NOT MET): cnet io_uring >= 0.95x bare io_uring
# and >= 1.20x bare epoll at 1000x64B; cnet epoll >= 0.95x bare epoll, and
# both cnet rows >= libuv and >= 3x Nim, on every row (the worst row
# decides); cnet io_uring <= 1 KiB per idle connection.
#
# Environment: ECHO_ONLY (tls, plain; default both), ECHO_REPS (5), ECHO_SECONDS (0.5), ECHO_WARMUP (0.2),
# ECHO_IDLE (10000), ECHO_CPU (0), ECHO_OUT (build-bench/echo),
# ECHO_TOTAL_TIMEOUT (seconds for the whole script; default from the reps and
# seconds, 672 s for the defaults), CC (gcc). Exit status 1
# when any row failed (a mismatch, a stall, a server that did not start).
set -eu

cd "$(dirname "$0")/.."

# The default total timeout follows the work asked for: every run of every
# row of up to 12 servers with half a second each for its connections to
# come and go, plus 240 s for the build and the idle pass. (A fixed 300 s
# ended the default run in its fifth repetition once there were 12 servers.)
if [ -z "${ECHO_BENCH_INNER:-}" ]; then
    total=${ECHO_TOTAL_TIMEOUT:-$(awk -v r="${ECHO_REPS:-5}" -v s="${ECHO_SECONDS:-0.5}" -v w="${ECHO_WARMUP:-0.2}" \
        'BEGIN { printf "%d", 240 + r * 12 * 6 * (s + w + 0.5) }')}
    ECHO_BENCH_INNER=1 exec timeout --foreground --kill-after=10 "$total" sh bench/echo.sh "$@"
fi

CC=${CC:-gcc}
OUT=${ECHO_OUT:-build-bench/echo}
REPS=${ECHO_REPS:-5}
SECS=${ECHO_SECONDS:-0.5}
WARM=${ECHO_WARMUP:-0.2}
IDLE_N=${ECHO_IDLE:-10000}
CPU=${ECHO_CPU:-0}
ONLY=${ECHO_ONLY:-}
case "$ONLY" in ""|tls|plain) ;; *) echo "echo.sh: ECHO_ONLY must be tls or plain" >&2; exit 2 ;; esac
ROWS="1x64 1x4096 100x64 100x4096 1000x64 1000x4096"
CFLAGS="-O2 -std=c11 -D_GNU_SOURCE -Wall -Wextra"

# Both ends need a descriptor per connection (10 000 idle ones and more).
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

mkdir -p "$OUT"
RESULTS=$OUT/results.txt
: >"$RESULTS"
PIDS=
FAILED=0

cleanup() {
    for p in $PIDS; do
        kill "$p" 2>/dev/null || true
    done
    for p in $PIDS; do
        wait "$p" 2>/dev/null || true
    done
    PIDS=
}
# Servers are stopped on every way out: the end, an error (set -e), Ctrl-C,
# the total timeout (TERM), a closed output pipe (cleanup first: a write to
# that pipe may end the shell at once).
trap cleanup EXIT
trap 'cleanup; echo "echo.sh: interrupted" >&2; exit 130' INT TERM HUP PIPE

# ---- build ---------------------------------------------------------------
SERVERS=
add_server() { # NAME LABEL ENV BINARY [LOADGEN_FLAGS]
    SERVERS="$SERVERS $1"
    eval "LABEL_$1=\$2 ENV_$1=\$3 BIN_$1=\$4 LGF_$1=\${5:-}"
}

echo "echo benchmark: building in $OUT"
TLS_OK=
if [ "$ONLY" != plain ] && pkg-config --exists openssl 2>/dev/null && command -v openssl >/dev/null 2>&1; then
    TLS_OK=1
    # shellcheck disable=SC2046
    $CC $CFLAGS -DWITH_TLS bench/echo/loadgen.c -o "$OUT/loadgen" $(pkg-config --cflags --libs openssl)
    # shellcheck disable=SC2046
    $CC $CFLAGS bench/echo/bare_tls_epoll.c -o "$OUT/bare_tls_epoll" $(pkg-config --cflags --libs openssl)
    CERT=$OUT/tls_cert.pem
    KEY=$OUT/tls_key.pem
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$KEY" -out "$CERT" \
        -days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 2>/dev/null
else
    [ "$ONLY" = plain ] || echo "TLS rows: skipped (no OpenSSL development files or no openssl CLI)"
    $CC $CFLAGS bench/echo/loadgen.c -o "$OUT/loadgen"
fi
LG=$OUT/loadgen
if [ "$ONLY" != tls ]; then
$CC $CFLAGS bench/echo/bare_epoll.c -o "$OUT/bare_epoll"
add_server bare_epoll "bare epoll" "" "$OUT/bare_epoll"
# The control: a second process of the same binary. Its ratio to bare_epoll
# should be 1; how far it is tells how much of any ratio is noise.
add_server control "epoll again" "" "$OUT/bare_epoll"
if grep -q io_uring_prep_recv_multishot /usr/include/liburing.h 2>/dev/null; then
    $CC $CFLAGS bench/echo/bare_uring.c -o "$OUT/bare_uring" -luring
    add_server bare_uring "bare uring" "" "$OUT/bare_uring"
else
    echo "bare io_uring: skipped (no liburing with io_uring_prep_recv_multishot)"
fi
if pkg-config --exists libuv 2>/dev/null; then
    # shellcheck disable=SC2046
    $CC $CFLAGS bench/echo/libuv_echo.c -o "$OUT/libuv_echo" $(pkg-config --cflags --libs libuv)
    add_server libuv "libuv" "" "$OUT/libuv_echo"
else
    echo "libuv: skipped (libuv1-dev not installed)"
fi
if command -v nim >/dev/null 2>&1; then
    nim c -d:release --hints:off --verbosity:0 --nimcache:"$OUT/nimcache" -o:"$OUT/nim_echo" \
        bench/echo/nim_echo.nim >"$OUT/nim_build.log" 2>&1 || { cat "$OUT/nim_build.log"; exit 1; }
    add_server nim "Nim" "" "$OUT/nim_echo"
else
    echo "Nim: skipped (nim not installed)"
fi
fi
if [ -n "$TLS_OK" ]; then
    add_server bare_tls "bare TLS" "" "$OUT/bare_tls_epoll $CERT $KEY" --tls
    add_server tls_control "TLS again" "" "$OUT/bare_tls_epoll $CERT $KEY" --tls
fi

# cnet: examples/async_echo.c against a bench build's libcnet.a, the way
# bench/run.sh links bench_net (the libraries from the build's .pc file).
build_cnet() { # BUILD_DIR NET_BACKEND -> $OUT/async_echo_<backend>
    if [ ! -f "$1/build.ninja" ]; then
        meson setup "$1" -Dbuildtype=release -Db_lto=true -Dtests=false -Dexamples=false \
            -Dnet_backend="$2" >/dev/null
    fi
    ninja -C "$1" >/dev/null
    libs=$(PKG_CONFIG_PATH="$1/meson-private" pkg-config --static --libs-only-l --libs-only-other cnet \
           2>/dev/null | sed 's/-lcnet//') || libs=
    # shellcheck disable=SC2086
    $CC $CFLAGS -flto -Igenerated/include examples/async_echo.c "$1/libcnet.a" $libs -lpthread \
        -o "$OUT/async_echo_$2"
}
if [ -f examples/async_echo.c ]; then
    build_cnet build-bench posix
    build_cnet build-bench-uring io_uring
    if [ "$ONLY" != tls ]; then
        add_server cnet_epoll "cnet epoll" "" "$OUT/async_echo_posix"
        add_server cnet_uring "cnet uring" "" "$OUT/async_echo_io_uring"
        add_server cnet_uring_off "cnet off" "CNET_IO_URING=off" "$OUT/async_echo_io_uring"
    fi
    if [ -n "$TLS_OK" ]; then
        add_server cnet_tls "cnet TLS" "" "$OUT/async_echo_posix --tls $CERT $KEY" --tls
        add_server cnet_tls_uring "cnetTLS uring" "" "$OUT/async_echo_io_uring --tls $CERT $KEY" --tls
    fi
else
    echo "cnet rows: skipped (examples/async_echo.c not built yet)"
fi

# ---- servers -------------------------------------------------------------
# start_server NAME: a fresh process of NAME pinned to $CPU, on a free port,
# once it echoes: sets PID_NAME and PORT_NAME (empty when it did not start).
start_server() {
    eval "bin=\$BIN_$1 envs=\$ENV_$1 lgf=\$LGF_$1"
    tries=0
    while [ $tries -lt 3 ]; do
        tries=$((tries + 1))
        port=$("$LG" --free-port)
        # shellcheck disable=SC2086
        env $envs taskset -c "$CPU" $bin "$port" >>"$OUT/$1.log" 2>&1 &
        pid=$!
        PIDS="$PIDS $pid"
        # shellcheck disable=SC2086
        if "$LG" $lgf "$port" --probe 5 && alive "$pid"; then
            eval "PID_$1=$pid PORT_$1=$port"
            return 0
        fi
        stop_pid "$pid"
    done
    echo "echo.sh: $1 did not start (see $OUT/$1.log)" >&2
    eval "PID_$1= PORT_$1="
    FAILED=1
    return 0
}

# alive PID: running (kill -0 alone also answers yes for a zombie)
alive() {
    [ -r "/proc/$1/stat" ] && ! grep -q '^[0-9]* ([^)]*) Z' "/proc/$1/stat"
}

stop_pid() {
    kill "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
    rest=
    for p in $PIDS; do
        [ "$p" = "$1" ] || rest="$rest $p"
    done
    PIDS=$rest
}

# run_load ARGS...: the load generator pinned next to the server, bounded in
# time; in the background so a signal reaches our trap at once.
run_load() {
    timeout --kill-after=5 60 taskset -c "$CPU" "$LG" "$@" >"$OUT/load.out" 2>"$OUT/load.err" &
    lpid=$!
    PIDS="$PIDS $lpid"
    rc=0
    wait "$lpid" || rc=$?
    rest=
    for p in $PIDS; do
        [ "$p" = "$lpid" ] || rest="$rest $p"
    done
    PIDS=$rest
    return $rc
}

# ---- throughput ----------------------------------------------------------
echo "servers:$SERVERS; rows: $ROWS; $REPS x ${SECS} s each (+${WARM} s warm-up), all on CPU $CPU"
for s in $SERVERS; do
    start_server "$s"
done
rep=1
while [ $rep -le "$REPS" ]; do
    for row in $ROWS; do
        conns=${row%x*}
        size=${row#*x}
        # rotate the order: this repetition starts with server number rep
        order=$(echo $SERVERS | awk -v k="$rep" '{ for (i = 0; i < NF; i++) printf "%s ", $(((i + k - 1) % NF) + 1) }')
        for s in $order; do
            eval "pid=\$PID_$s port=\$PORT_$s lgf=\$LGF_$s"
            if [ -z "$pid" ] || ! alive "$pid"; then
                if [ -n "$pid" ]; then
                    echo "echo.sh: $s exited during the runs; its output:" >&2
                    tail -5 "$OUT/$s.log" >&2
                    eval "PID_$s="
                fi
                echo "$s $row $rep FAIL" >>"$RESULTS"
                FAILED=1
                continue
            fi
            # shellcheck disable=SC2086
            if run_load $lgf "$port" "$conns" "$size" "$WARM" "$SECS" "$pid"; then
                rate=$(sed -n 's/.*msgs_per_s=\([0-9]*\).*/\1/p' "$OUT/load.out")
                ns=$(sed -n 's/.*server_ns_per_msg=\([0-9]*\).*/\1/p' "$OUT/load.out")
                lns=$(sed -n 's/.*loadgen_ns_per_msg=\([0-9]*\).*/\1/p' "$OUT/load.out")
                echo "$s $row $rep ${rate:-0} ${ns:-0} ${lns:-0}" >>"$RESULTS"
            else
                echo "echo.sh: $s $row run $rep failed:" >&2
                cat "$OUT/load.err" "$OUT/load.out" >&2
                echo "$s $row $rep FAIL" >>"$RESULTS"
                FAILED=1
            fi
        done
    done
    echo "  repetition $rep of $REPS done"
    rep=$((rep + 1))
done
cleanup

# ---- memory per idle connection ------------------------------------------
private_dirty_kb() {
    awk '/^Private_Dirty:/ { print $2; exit }' "/proc/$1/smaps_rollup" 2>/dev/null || echo 0
}
rss_kb() {
    awk '/^VmRSS:/ { print $2; exit }' "/proc/$1/status" 2>/dev/null || echo 0
}
if [ "$ONLY" != tls ]; then
    echo "memory: $IDLE_N idle connections to a fresh process of each server (not the TLS ones)"
fi
for s in $SERVERS; do
    [ "$s" != control ] || continue
    eval "lgf=\$LGF_$s"
    [ -z "$lgf" ] || continue # TLS servers: throughput rows only
    start_server "$s"
    eval "pid=\$PID_$s port=\$PORT_$s"
    [ -n "$pid" ] || continue
    # warm-up: fixed pools touched before the first reading
    run_load "$port" 100 4096 0 0.3 >/dev/null 2>&1 || true
    sleep 0.2
    pd0=$(private_dirty_kb "$pid")
    rss0=$(rss_kb "$pid")
    # emptied here, not only by the redirection: that happens in the child,
    # and until then the file still says "ready" from the previous server
    : >"$OUT/idle.out"
    timeout --kill-after=5 90 taskset -c "$CPU" "$LG" "$port" --idle "$IDLE_N" 60 >>"$OUT/idle.out" 2>"$OUT/idle.err" &
    ipid=$!
    PIDS="$PIDS $ipid"
    waited=0
    while ! grep -q '^ready' "$OUT/idle.out" 2>/dev/null; do
        if ! alive "$ipid" || [ $waited -ge 600 ]; then
            break
        fi
        sleep 0.1
        waited=$((waited + 1))
    done
    if grep -q '^ready' "$OUT/idle.out"; then
        sleep 0.3
        pd1=$(private_dirty_kb "$pid")
        rss1=$(rss_kb "$pid")
        echo "mem $s $pd0 $pd1 $rss0 $rss1 $IDLE_N" >>"$RESULTS"
    else
        st=running
        if ! alive "$ipid"; then
            st=0
            wait "$ipid" || st=$?
        fi
        echo "echo.sh: $s: $IDLE_N idle connections failed (load generator status: $st, after $((waited / 10)) s):" >&2
        cat "$OUT/idle.err" >&2
        echo "mem $s FAIL" >>"$RESULTS"
        FAILED=1
    fi
    stop_pid "$ipid"
    stop_pid "$pid"
done

# ---- report --------------------------------------------------------------
label_list=
for s in $SERVERS; do
    eval "label_list=\"\$label_list\$LABEL_$s|\""
done
awk -v servers="$SERVERS" -v labels="$label_list" -v rows="$ROWS" -v reps="$REPS" -v secs="$SECS" \
    -v cpu="$CPU" -v idle="$IDLE_N" -v only="$ONLY" -f bench/echo/report.awk "$RESULTS"

[ "$FAILED" = 0 ] || { echo "echo.sh: some rows FAILED (see above)"; exit 1; }
