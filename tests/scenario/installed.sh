#!/bin/sh
# Install into a fresh prefix, then run a kill-and-resume scenario with the
# installed commands, started from another directory: they must find their
# library and bootstrap from the installed layout alone.
#   installed.sh BUILD_DIR SCENARIO_BIN AS_USER
set -eu
build=$1 scenario=$2 as_user=$3
prefix=$(mktemp -d /tmp/ckpt-prefix-XXXXXX)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null
chmod 755 "$prefix"
for f in bin/ckpt-launch bin/ckpt-resume lib/libckpt.so lib/ckpt/ckpt-restore include/ckpt.h; do
	[ -e "$prefix/$f" ] || { echo "installed.sh: $prefix/$f missing"; exit 1; }
done
cd /
"$as_user" "$scenario" --bin "$prefix/bin" --period 0.2 -- "$build/examples/compute" 3000
