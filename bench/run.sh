#!/bin/sh
# Build cnet in release mode and run the socket benchmark (bench/bench_net.c
# and the files it is split into, see its top comment).
#
#   sh bench/run.sh                 # full run, about 70 s (same-CPU and cross-CPU passes)
#   sh bench/run.sh quick           # counts x 0.1, a few seconds
#   sh bench/run.sh same readline   # one pass, one test (see bench_net.c for all arguments)
#
# Environment: BENCH_BUILD (build directory, default build-bench), NET_BACKEND
# (meson net_backend option, default auto; io_uring works with the same
# program), CC (default gcc), BENCH_TOTAL_TIMEOUT (seconds for the whole run,
# default 600) and the BENCH_* knobs described at the top of bench_net.c.
set -eu

cd "$(dirname "$0")/.."
BUILD=${BENCH_BUILD:-build-bench}
CC=${CC:-gcc}

# A release build with link-time optimisation (-Db_lto=true, what the README
# recommends for production): the portable layer (src/) and the backend's
# edge are separate files, and LTO lets the compiler inline across them.
if [ ! -f "$BUILD/build.ninja" ]; then
    meson setup "$BUILD" -Dbuildtype=release -Db_lto=true -Dtests=false -Dexamples=false \
        -Dnet_backend="${NET_BACKEND:-auto}"
else
    meson configure "$BUILD" -Db_lto=true ${NET_BACKEND:+-Dnet_backend="$NET_BACKEND"}
fi
ninja -C "$BUILD"

# The static library needs what its backend links with (threads, liburing for
# io_uring): take it from the pkg-config file meson wrote for this build.
libs=$(PKG_CONFIG_PATH="$BUILD/meson-private" pkg-config --static --libs-only-l --libs-only-other cnet \
       2>/dev/null | sed 's/-lcnet//') || libs=
# The program: its main, the harness and one file per benchmark family. An
# io_uring build also measures a bare io_uring loop (the ceiling rows and the
# ring's cost per operation).
srcs="bench/bench_net.c bench/harness.c bench/common.c bench/readline.c bench/bulk.c bench/pingpong.c bench/connect.c
      bench/nim_readline.c"
defs=
case " $libs " in
*" -luring "*)
    defs=-DCNET_BENCH_URING
    srcs="$srcs bench/harness_uring.c bench/ring_cost.c"
    ;;
esac
"$CC" -O2 -flto -std=c11 -D_GNU_SOURCE -Wall -Wextra -Igenerated/include $defs \
    $srcs "$BUILD/libcnet.a" $libs -lpthread -o "$BUILD/bench_net"

# The Nim reader of the "nim" rows (bench/nim_reader.nim, Nim's net.readLine),
# rebuilt when its source is newer; without nim those rows say they are skipped.
if [ -z "${BENCH_NIM_READER:-}" ]; then
    if command -v nim >/dev/null 2>&1; then
        if [ ! -x "$BUILD/nim_reader" ] || [ bench/nim_reader.nim -nt "$BUILD/nim_reader" ]; then
            nim c -d:release --hints:off --nimcache:"$BUILD/nimcache" -o:"$BUILD/nim_reader" bench/nim_reader.nim \
                >"$BUILD/nim_reader.log" 2>&1 || { echo "bench: nim c failed (see $BUILD/nim_reader.log)"; rm -f "$BUILD/nim_reader"; }
        fi
        [ -x "$BUILD/nim_reader" ] && BENCH_NIM_READER=$PWD/$BUILD/nim_reader && export BENCH_NIM_READER
    fi
fi

exec timeout --kill-after=10 "${BENCH_TOTAL_TIMEOUT:-600}" "$BUILD/bench_net" "$@"
