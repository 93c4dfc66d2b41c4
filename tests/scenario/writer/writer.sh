#!/bin/bash
# The forked writer (lib/writer.c) under attack:
#   killed  a writer killed with SIGKILL mid-write: the program runs on,
#           one line says why, the previous image still resumes, and later
#           checkpoints are written again;
#   flood   checkpoints asked for far faster than they can be written (the
#           checkpoint signal a thousand times a second): never two
#           writers at once, no deadlock, the log says they were deferred,
#           and the program's result is unchanged.
#   writer.sh killed|flood BIN_DIR BIGMEM
set -u
mode=$1 bin=$2 prog=$3
tmp=$(mktemp -d /tmp/ckpt-writer-XXXXXX) || exit 1
[ -n "${KEEP:-}" ] || trap 'kill -9 $pid 2>/dev/null; rm -rf "$tmp"' EXIT
pid=
fail() { echo "writer: FAIL $*"; [ -f "$tmp/err" ] && tail -5 "$tmp/err"; exit 1; }
cd "$tmp" || exit 1

# The writers of process $1: its children named ckpt-writer.
writers() {
	for s in /proc/[0-9]*/stat; do
		line=
		read -r line <"$s" 2>/dev/null # stat ends without a newline
		[ -n "$line" ] || continue
		case $line in
		*"(ckpt-writer) "*) set -- $1 ${line#*) }
			[ "$3" = "$1" ] && echo "${s//[^0-9]/}" ;;
		esac
	done 2>/dev/null
}

has_writer() { [ -n "$(writers $pid)" ]; }
images_beyond() { [ "$(grep -c "written to" "$tmp/err")" -gt "$1" ]; }

wait_for() { # seconds, then a command that must come true
	local end=$((SECONDS + $1)); shift
	until "$@"; do
		[ $SECONDS -lt $end ] || return 1
		sleep 0.01
	done
}

# 32 MiB rewritten round after round: each image takes a while to write,
# and each page the program writes after a writer's fork is a copy (13 us
# on a VM seen here, where 96 MiB made this test take 300 s).
args=(32 300)
ref=$("$prog" "${args[@]}" 2>/dev/null) || fail "bigmem fails without ckpt"

case $mode in
killed)
	"$bin/ckpt-launch" --period 0.05 --verbose --file "$tmp/img.ckpt" -- \
		"$prog" "${args[@]}" >"$tmp/out" 2>"$tmp/err" &
	pid=$!
	wait_for 60 grep -q "checkpoint 1 written" "$tmp/err" ||
		fail "no first image"
	wait_for 60 has_writer || fail "no writer seen"
	w=$(writers $pid | head -1)
	kill -9 "$w"
	wait_for 30 grep -q "writer (pid $w) was killed by signal 9" "$tmp/err" ||
		fail "no line saying writer $w was killed"
	kill -0 $pid 2>/dev/null || fail "the program died with its writer"
	cp "$tmp/img.ckpt" "$tmp/prev.ckpt"
	n=$(grep -c "written to" "$tmp/err")
	wait_for 60 images_beyond "$n" ||
		fail "no image written after the writer was killed"
	kill -9 $pid; wait $pid 2>/dev/null
	# The image kept when the writer was killed resumes, to the result.
	mv "$tmp/prev.ckpt" "$tmp/img.ckpt"
	"$bin/ckpt-resume" "$tmp/img.ckpt" >>"$tmp/out" 2>>"$tmp/err" ||
		fail "the previous image did not resume"
	;;
flood)
	"$bin/ckpt-launch" --period 0 --verbose --file "$tmp/img.ckpt" -- \
		"$prog" "${args[@]}" >"$tmp/out" 2>"$tmp/err" &
	pid=$!
	sleep 0.5
	most=0 sent=0
	for ((t = 0; t < 400; t++)); do
		for ((i = 0; i < 10; i++)); do
			kill -s RTMAX-2 $pid 2>/dev/null || break 2
			sent=$((sent + 1))
		done
		w=$(writers $pid | wc -l)
		[ "$w" -gt "$most" ] && most=$w
		sleep 0.005
	done
	wait $pid || fail "the program failed under the flood (status $?)"
	[ "$most" -le 1 ] || fail "$most writers ran at once"
	grep -q "checkpoint deferred" "$tmp/err" ||
		fail "no line saying a checkpoint was deferred"
	n=$(grep -c "written to" "$tmp/err")
	[ "$n" -ge 2 ] || fail "only $n images written under the flood"
	echo "writer: $sent requests, $n images written, at most $most writer"
	;;
esac
[ "$(grep -c checksum "$tmp/out")" = 1 ] && [ "$(grep checksum "$tmp/out")" = "$ref" ] ||
	fail "the output differs from an uninterrupted run's: $(cat "$tmp/out")"
echo "writer: PASS $mode"
