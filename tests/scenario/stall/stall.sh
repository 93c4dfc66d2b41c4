#!/bin/sh
# No silent hang (issue 10): a checkpoint that cannot complete within
# --timeout is given up on, with a line naming what it waited for, and the
# program goes on; later checkpoints are taken, and the image resumes.
#   stall.sh threads|writer BIN_DIR STALL_PROG
# threads: a thread held by the kernel in vfork() for 1.5 s at a time.
# writer:  the writer of the second image hangs in its first write
#          (CKPT_FAULT=write:1:hang@2), as on a dead disk or server.
set -u
mode=$1 bin=$2 prog=$3
tmp=$(mktemp -d /tmp/ckpt-stall-XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT
failed=0
bad() { echo "stall: FAIL $*"; failed=1; }

case $mode in
threads)
	(cd "$tmp" && exec timeout 120 "$bin/ckpt-launch" --period 0.2 --timeout 0.5 \
		--verbose --file "$tmp/s.ckpt" -- "$prog" 200 1500) >"$tmp/out" 2>"$tmp/err"
	rc=$?
	grep -q "checkpoint abandoned: thread [0-9]* did not stop within 500 ms" "$tmp/err" ||
		bad "no line gave a stop up: $(head -c 800 "$tmp/err")"
	want="abandon"
	;;
writer)
	(cd "$tmp" && CKPT_FAULT=write:1:hang@2 exec timeout 120 "$bin/ckpt-launch" \
		--period 0.2 --timeout 1 --verbose --file "$tmp/s.ckpt" -- "$prog" 300 0) \
		>"$tmp/out" 2>"$tmp/err"
	rc=$?
	grep -q "checkpoint 2 abandoned: its writer wrote nothing to .* for 1000 ms" "$tmp/err" ||
		bad "no line gave the writer up: $(head -c 800 "$tmp/err")"
	;;
*)
	echo "stall: FAIL unknown mode $mode"; exit 2 ;;
esac
[ "$rc" = 0 ] && grep -q '^done$' "$tmp/out" ||
	bad "the program did not finish (status $rc): $(tail -3 "$tmp/err")"
n=$(grep -c "checkpoint [0-9]* written" "$tmp/err")
[ "$n" -ge 3 ] || bad "only $n checkpoints were written"
grep "abandoned" "$tmp/err" | head -2 | sed 's/^/stall: /'
# The last image resumes and finishes the count, its output going to the
# file it went to (cut back to the checkpoint, then written once).
(cd "$tmp" && exec timeout 120 "$bin/ckpt-resume" "$tmp/s.ckpt") 2>"$tmp/err2" ||
	bad "the image did not resume: $(tail -3 "$tmp/err2")"
[ "$(grep -c '^done$' "$tmp/out")" = 1 ] ||
	bad "the resumed program did not finish once: $(tail -2 "$tmp/out")"
[ "$failed" = 0 ] && { echo "stall: PASS $mode ($n checkpoints written)"; exit 0; }
exit 1
