#!/bin/sh
# A -Dnet_backend value that is not a backend fails `meson setup` with a
# message that names the option and lists the choices (suite layout).
# Usage: check_backend_option.sh MESON SOURCE_DIR
set -u
meson=$1 src=$2
dir=$(mktemp -d "${TMPDIR:-/tmp}/cnet-option.XXXXXX")
trap 'rm -rf "$dir"' EXIT
if "$meson" setup "$dir/build" "$src" -Dnet_backend=uring >"$dir/out" 2>&1; then
    echo "meson setup accepted -Dnet_backend=uring"
    exit 1
fi
for want in net_backend '"auto"' '"posix"' '"io_uring"' '"winsock"'; do
    if ! grep -q -- "$want" "$dir/out"; then
        echo "the error does not say $want:"
        cat "$dir/out"
        exit 1
    fi
done
echo "net_backend option: a bad value is named and the choices listed"
