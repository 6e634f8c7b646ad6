#!/bin/sh
# Build the ipaddr fuzzer with clang (libFuzzer + ASan + UBSan) and run it.
#   fuzz/run.sh [SECONDS]     default 60; the corpus grows in .fuzz/corpus
# The library sources it needs are compiled into the fuzzer with coverage
# instrumentation, straight from the checkout (no meson build required).
set -eu
cd "$(dirname "$0")/.."
seconds=${1:-60}
cc=${CC_FUZZ:-clang}
out=.fuzz
mkdir -p "$out/corpus" "$out/seed"

flags="-std=c11 -g -O1 -D_POSIX_C_SOURCE=200809L -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all"
incs="-Igenerated/include -Igenerated/src -Isrc"
lib="generated/src/ipaddr.c generated/src/api_ipaddr.c generated/src/errors.c src/ipaddr_format.c src/ipv4_fast.c src/error.c
     backends/posix/ifindex.c generated/backends/posix/tables.c"

# shellcheck disable=SC2086
$cc $flags $incs fuzz/fuzz_ipaddr.c $lib -o "$out/fuzz_ipaddr"
$cc -std=c11 -O1 fuzz/make_corpus.c -o "$out/make_corpus"
"$out/make_corpus" "$out/seed" >/dev/null

exec "$out/fuzz_ipaddr" -max_total_time="$seconds" -print_final_stats=1 -dict=fuzz/ipaddr.dict \
    -max_len=128 -timeout=10 -artifact_prefix="$out/" "$out/corpus" "$out/seed"
