#!/bin/bash
# Makes the fuzzing seeds in tests/fuzz/corpus/: real images of a few
# programs, checkpointed on demand by the project's own tools.  Run it again
# after a change of the image format:
#
#   tests/fuzz/make_corpus.sh BUILD [FUZZER]
#
# BUILD is a normal build (cmake -S . -B build && cmake --build build).  With
# FUZZER, a fuzz_image binary, each image is checked to be accepted twice:
# as written, on this machine (no false refusals), and as the seed it
# becomes, which must pass anywhere.  The images hold this machine's paths,
# inodes and times; a seed's header.reserved = 7 has the fuzz target fix
# its CRCs and adapt those to the machine it runs on (fuzz_image.c).
set -euo pipefail
build=$(cd "${1:?usage: make_corpus.sh BUILD [FUZZER]}" && pwd)
fuzzer=${2:-}
out=$(cd "$(dirname "$0")" && pwd)/corpus
work=$(mktemp -d /tmp/ckpt-corpus.XXXXXX)
trap 'rm -rf "$work"' EXIT

# Descriptors this shell inherited would be saved into the images (and
# warned about): the programs get 0-2 only.
for fd in $(ls /proc/$$/fd); do
	[ "$fd" -gt 2 ] && [ "$fd" != 255 ] && eval "exec $fd>&-"
done

# image NAME CODEC STDIN -- PROG ARGS...: start PROG under ckpt-launch,
# ask for one checkpoint, kill PROG.
image() {
	local name=$1 codec=$2 input=$3 pid i
	shift 4
	mkdir -p "$work/$name"
	(cd "$work/$name" && exec "$build/bin/ckpt-launch" --period 0 \
		--compress "$codec" --file "$work/$name.ckpt" -- "$@" \
		<"$input" >/dev/null 2>"$work/$name.err") &
	pid=$!
	# Before libckpt's handler is in place the signal would kill it.
	sleep 1
	kill -s RTMAX-2 "$pid"
	for i in $(seq 100); do
		[ -e "$work/$name.ckpt" ] && break
		sleep 0.1
	done
	kill -KILL "$pid"
	{ wait "$pid"; } 2>/dev/null || true # "Killed": as intended
	[ -e "$work/$name.ckpt" ] || {
		echo "make_corpus: no image of $*:" >&2
		cat "$work/$name.err" >&2
		exit 1
	}
}

# One image per codec, and each seed's chunks a codec the fuzzer mutates.
image sparse-zstd1 zstd:1 /dev/null -- "$build/examples/sparse" 2 100000000
image sleep-stdin-zlib6 zlib:6 /etc/passwd -- /bin/sleep 1000
image sleep-raw none /dev/null -- /bin/sleep 1000
image fd-kinds-lz4 lz4 /dev/null -- "$build/tests/files/fd_kinds" 100000
image prodcons-zstd3 zstd:3 /dev/null -- "$build/tests/threads/prodcons" 4 100000000

if [ -n "$fuzzer" ]; then
	FUZZ_IMAGE_EXPECT_VALID=1 "$fuzzer" "$work"/*.ckpt
fi
# header.reserved, at offset 60 (include/ckpt_image.h): ADAPT | FIX_SECTIONS
# | FIX_HEADER.
for f in "$work"/*.ckpt; do
	printf '\007' | dd of="$f" bs=1 seek=60 conv=notrunc status=none
done
if [ -n "$fuzzer" ]; then
	FUZZ_IMAGE_EXPECT_VALID=1 "$fuzzer" "$work"/*.ckpt
fi
# Not *.ckpt, which .gitignore keeps out of git.
rm -f "$out"/*
for f in "$work"/*.ckpt; do
	cp "$f" "$out/$(basename "$f" .ckpt).seed"
done
chmod 644 "$out"/*
ls -l "$out"
