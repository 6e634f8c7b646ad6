#!/bin/sh
# Run one Criterion suite under valgrind memcheck (checklist #29) and fail
# when any of its processes reported an error or a definite leak.
#   valgrind_suite.sh EXE [ARGS...]
# Criterion runs each test in a child process and ignores a child's exit
# status, so memcheck's --error-exitcode is of no use here: every process
# writes its own log (-q: errors only), and any non-empty log fails the run.
set -u
exe=$1
shift
logs=$(mktemp -d "${TMPDIR:-/tmp}/cnet-valgrind.XXXXXX")
# Children: the suite's own processes (Criterion re-executes the suite for
# its workers), not the system programs the tests start (openssl s_server
# and s_client, sh): those are not cnet, and memcheck would slow them past
# the tests' deadlines.
valgrind -q --trace-children=yes --trace-children-skip='/usr/*,/bin/*,/sbin/*' \
    --leak-check=full --show-leak-kinds=definite \
    --errors-for-leak-kinds=definite --track-fds=no --log-file="$logs/vg.%p" "$exe" "$@"
rc=$?
bad=0
for f in "$logs"/vg.*; do
    [ -s "$f" ] || continue
    bad=$((bad + 1))
    echo "---- memcheck report ($f) ----"
    cat "$f"
done
rm -rf "$logs"
if [ "$bad" -ne 0 ]; then
    echo "valgrind: $bad process(es) with memcheck errors or definite leaks"
    exit 1
fi
if [ "$rc" -ne 0 ]; then
    echo "valgrind: the suite failed (status $rc)"
    exit "$rc"
fi
echo "valgrind: 0 errors, 0 definitely lost"
