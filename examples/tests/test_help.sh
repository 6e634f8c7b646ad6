#!/usr/bin/env bash
# Every example program: --help prints its usage on standard output and
# exits 0 (GNU convention), and the manual page of cnet-cat names every
# option its --help lists.
# usage: test_help.sh CNET_CAT_MAN PROGRAM...
set -u
MAN=$1
shift
source "$(dirname "$0")/lib.sh"

for prog in "$@"; do
    name=$(basename "$prog")
    timeout 10 "$prog" --help >"$WORK/$name.out" 2>"$WORK/$name.err" </dev/null
    expect_status "$name --help" $? 0
    grep -q '^usage: ' "$WORK/$name.out" && pass "$name --help prints the usage on standard output" ||
        fail "$name --help: stdout $(head -n2 "$WORK/$name.out"), stderr $(head -n2 "$WORK/$name.err")"
    if [ "$name" = cnet-cat ]; then
        for opt in $(grep -oE -- '(^|[ ,])--?[a-z0-9][a-z0-9-]*' "$WORK/$name.out" | tr -d ' ,' | sort -u); do
            # man(7) writes a dash as \-.
            grep -qF -- "${opt//-/\\-}" "$MAN" && pass "cnet-cat.1 documents $opt" ||
                fail "cnet-cat.1 does not document $opt (listed by --help)"
        done
    fi
done
finish
