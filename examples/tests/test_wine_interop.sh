#!/usr/bin/env bash
# Cross-platform interop of the blog demo: the Windows programs (mingw-w64,
# winsock backend) run under wine and talk over loopback to the Linux ones.
#   1. blog_server.exe under wine serves the Linux blog_client twice (by
#      address and by name);
#   2. the Linux blog_server serves blog_client.exe under wine.
# usage: test_wine_interop.sh WIN_BLOG_SERVER.exe WIN_BLOG_CLIENT.exe
# The Linux programs are taken from $CNET_LINUX_BUILD/examples (a native
# build, e.g. build/); without them the test is skipped (exit 77). Wine runs
# in $CNET_WINEPREFIX (see cross/mingw64.txt), never in ~/.wine.
set -u
WIN_SERVER=$1
WIN_CLIENT=$2
LINUX_EXAMPLES=${CNET_LINUX_BUILD:-}/examples
if [ -z "${CNET_LINUX_BUILD:-}" ] || [ ! -x "$LINUX_EXAMPLES/blog_server" ] || [ ! -x "$LINUX_EXAMPLES/blog_client" ]; then
    echo "CNET_LINUX_BUILD does not name a native build with examples/blog_server and blog_client: skipped"
    exit 77
fi
export WINEPREFIX=${CNET_WINEPREFIX:-/tmp/cnet-wineprefix} WINEDEBUG=-all
export WINEDLLOVERRIDES=${WINEDLLOVERRIDES:-mscoree,mshtml,winemenubuilder.exe=d}
source "$(dirname "$0")/lib.sh"

# Windows programs write "\r\n": compare without the "\r".
expect_text() { # LABEL FILE EXPECTED
    tr -d '\r' <"$2" >"$2.lf"
    expect_file "$1" "$2.lf" "$3"
}

server_expected_one='server waitting
client from IP: 127.0.0.1
message lenth: 17
from client message: this is from cnet'
client_expected='message lenth: 12
from server message: Hi, welcome!'

# 1. blog_server.exe (wine) <- Linux blog_client, by address then by name.
if start_server win_server '^server waitting' 60 wine "$WIN_SERVER" @PORT@ 2; then
    timeout 20 "$LINUX_EXAMPLES/blog_client" 127.0.0.1 "$PORT" >"$WORK/c1.out" 2>"$WORK/c1.err"
    expect_status "Linux blog_client 127.0.0.1 -> blog_server.exe" $? 0
    expect_file "Linux blog_client output" "$WORK/c1.out" "$client_expected"
    by_name=localhost
    have_localhost || { skip "Linux blog_client localhost: \"localhost\" does not resolve to 127.0.0.1 here (/etc/hosts); 127.0.0.1 again"; by_name=127.0.0.1; }
    timeout 20 "$LINUX_EXAMPLES/blog_client" "$by_name" "$PORT" >"$WORK/c2.out" 2>"$WORK/c2.err"
    expect_status "Linux blog_client $by_name -> blog_server.exe" $? 0
    expect_file "Linux blog_client output ($by_name)" "$WORK/c2.out" "$client_expected"
    wait "$SERVER_PID"
    expect_status "blog_server.exe $PORT 2" $? 0
    expect_text "blog_server.exe output" "$WORK/win_server.out" "$server_expected_one
$server_expected_one"
    [ -s "$WORK/win_server.err" ] && { note "blog_server.exe stderr:"; cat "$WORK/win_server.err"; }
else
    fail "blog_server.exe did not start under wine"
fi

# 2. Linux blog_server <- blog_client.exe (wine).
if start_server linux_server '^server waitting$' 60 "$LINUX_EXAMPLES/blog_server" @PORT@ 1; then
    timeout 30 wine "$WIN_CLIENT" 127.0.0.1 "$PORT" >"$WORK/c3.out" 2>"$WORK/c3.err"
    expect_status "blog_client.exe 127.0.0.1 -> Linux blog_server" $? 0
    expect_text "blog_client.exe output" "$WORK/c3.out" "$client_expected"
    [ -s "$WORK/c3.err" ] && { note "blog_client.exe stderr:"; cat "$WORK/c3.err"; }
    wait "$SERVER_PID"
    expect_status "Linux blog_server $PORT 1" $? 0
    expect_file "Linux blog_server output" "$WORK/linux_server.out" "$server_expected_one"
else
    fail "Linux blog_server did not start"
fi

# 3. An error crosses too: blog_client.exe with nobody listening.
port=$(free_port)
timeout 30 wine "$WIN_CLIENT" 127.0.0.1 "$port" >"$WORK/c4.out" 2>"$WORK/c4.err"
expect_status "blog_client.exe with nobody listening" $? 1
grep -qi 'refused' "$WORK/c4.err" && pass "blog_client.exe reports: $(tr -d '\r' <"$WORK/c4.err")" ||
    fail "blog_client.exe stderr: $(cat "$WORK/c4.err")"

finish
