#!/bin/sh
# Fuzz the image reader and ckpt-resume's checks for SECONDS:
#
#   tests/fuzz/run.sh SECONDS [FUZZER [LIBFUZZER-OPTIONS...]]
#
# FUZZER defaults to build-asan/fuzz/tests/fuzz/fuzz_image, made by
# tests/ci_sanitize.sh build-asan.  LIBFUZZER-OPTIONS go to libFuzzer (e.g.
# -fork=2 to use two cores).  The committed corpus is copied to a
# directory under /tmp that takes the new inputs, so the corpus in git never
# changes; on a crash that directory is kept and holds the crash-* input.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
secs=${1:?usage: run.sh SECONDS [FUZZER [LIBFUZZER-OPTIONS...]]}
fuzzer=${2:-$here/../../build-asan/fuzz/tests/fuzz/fuzz_image}
shift
[ $# -gt 0 ] && shift
fuzzer=$(cd "$(dirname "$fuzzer")" && pwd)/$(basename "$fuzzer")

tmp=$(mktemp -d /tmp/ckpt-fuzz.XXXXXX)
mkdir "$tmp/corpus"
cp "$here"/corpus/* "$tmp/corpus/"
cd "$tmp" # anything libFuzzer writes on its own goes here
if "$fuzzer" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
	-artifact_prefix="$tmp/" -print_final_stats=1 "$@" "$tmp/corpus"; then
	rm -rf "$tmp"
	exit 0
fi
echo "run.sh: the fuzzer found a problem; the input and corpus are in $tmp" >&2
ls "$tmp" >&2
exit 1
