#!/bin/sh
# Fault injection (lib/fault.h): every system call of writing an image
# fails in turn -- open, each write, the final truncate, fsync, rename, the
# directory's fsync -- with ENOSPC, EIO, EDQUOT, EFBIG, EROFS and ENOENT;
# then the same for real: a file size limit (SIGXFSZ), the image's
# directory removed or made read-only, unwritable locations at launch.
# Each time the program must run on unharmed to the right result, say one
# clear line naming the image and the reason, leave no IMAGE.tmp behind,
# and the previous image must still resume to the right result.
#   faults.sh injected|real BIN_DIR FAULTPROG
set -u
mode=$1 bin=$2 prog=$3
tmp=$(mktemp -d /tmp/ckpt-faults-XXXXXX) || exit 1
[ -n "${KEEP:-}" ] || trap 'rm -rf "$tmp"' EXIT
failed=0 runs=0
bad() { echo "faults: FAIL $*"; failed=1; }
ref=$("$prog" 30) || { bad "the program fails without ckpt"; exit 1; }

# launch_faulty FAULT: a run whose second checkpoint fails at FAULT; sets
# $api (what ckpt_checkpoint() returned each time) and $rc.
launch_faulty() {
	d=$tmp/run
	rm -rf "$d" && mkdir "$d"
	CKPT_FAULT=$1 "$bin/ckpt-launch" --period 0 --file "$d/img.ckpt" \
		-- "$prog" 30 >"$d/out" 2>"$d/err"
	rc=$? runs=$((runs + 1))
	api=$(grep "^api:" "$d/err" | tr '\n' ' ')
	grep -q "^child api: -1" "$d/err" ||
		bad "$1: ckpt_checkpoint() in a child did not return -1"
}

# run_faulty FAULT WORDS: launch_faulty, then the program must be unharmed
# and one line must name the image and say WORDS.
run_faulty() {
	launch_faulty "$1"
	check_faulty "$1" "$2"
}

check_faulty() {
	fault=$1 words=$2 d=$tmp/run
	if [ $rc -ne 0 ] || [ "$(cat "$d/out")" != "$ref" ]; then
		bad "$fault: the program was harmed (status $rc, $(cat "$d/err"))"
	elif [ -e "$d/img.ckpt.tmp" ]; then
		bad "$fault: IMAGE.tmp was left behind"
	elif [ "$(grep -c "^ckpt: checkpoint" "$d/err")" -ne 1 ] ||
		! grep "^ckpt: checkpoint" "$d/err" | grep -qF "$d/img.ckpt" ||
		! grep "^ckpt: checkpoint" "$d/err" | grep -qF "$words"; then
		bad "$fault: expected one line naming the image and '$words': $(cat "$d/err")"
	fi
}

# The image left must resume and give the same result.  The program has
# a harness's log open for writing (fd 9), written meanwhile: not an input
# whose change stops the resume.
exec 9>>"$tmp/harness.log"
resume_left() {
	d=$tmp/run
	echo "resuming after $1" >&9
	"$bin/ckpt-resume" "$d/img.ckpt" >>"$d/out" 2>"$d/rerr"
	if [ $? -ne 0 ] || [ "$(cat "$d/out")" != "$ref" ]; then
		bad "$1: the image left does not resume to the result: $(cat "$d/rerr")"
	fi
}

# ERRNO:WORDS of its message, _ for a space.
errors="ENOSPC:no_space_left EIO:input/output EDQUOT:quota EFBIG:too_large EROFS:read-only ENOENT:no_such_file"

injected() {
	for e in $errors; do
		err=${e%%:*} words=$(echo "${e#*:}" | tr _ ' ')
		for step in open truncate fsync rename; do
			run_faulty "$step:1:$err@2" "$words"
			[ "$api" = "api: 0 api: -1 " ] ||
				bad "$step:1:$err@2: ckpt_checkpoint() returned $api"
			resume_left "$step:1:$err@2"
		done
		# Every write of the image, up to the last one (the header),
		# for two kinds of error; the first two for the others.
		n=1
		while :; do
			launch_faulty "write:$n:$err@2"
			[ "$api" = "api: 0 api: 0 " ] && break
			check_faulty "write:$n:$err@2" "$words"
			[ "$api" = "api: 0 api: -1 " ] ||
				bad "write:$n:$err@2: ckpt_checkpoint() returned $api"
			resume_left "write:$n:$err@2"
			n=$((n + 1))
			case $err in ENOSPC|EIO) ;; *) [ $n -gt 2 ] && break ;; esac
			[ $n -gt 64 ] && { bad "more than 64 writes?"; break; }
		done
		[ $n -gt 2 ] || bad "write:$err: the fault never fired"
		# After the rename: the new image is complete, it is kept, but
		# it may not survive a crash of the machine.
		run_faulty "dirsync:1:$err@2" "syncing its directory failed"
		[ "$api" = "api: 0 api: 0 " ] ||
			bad "dirsync:1:$err@2: ckpt_checkpoint() returned $api"
		resume_left "dirsync:1:$err@2"
	done
}

# launch_refused WHAT IMAGE: exit status 2 before the program starts.
launch_refused() {
	"$bin/ckpt-launch" --file "$2" -- /bin/sh -c "touch $tmp/ran" \
		2>"$tmp/err"
	rc=$? runs=$((runs + 1))
	if [ $rc -ne 2 ] || [ -e "$tmp/ran" ] || ! grep -qF "$2" "$tmp/err"; then
		bad "$1: status $rc, expected 2 with a message naming $2: $(cat "$tmp/err")"
	fi
	rm -f "$tmp/ran"
}

# real_fault WHAT WORDS SETUP: the directory of the image is changed by
# SETUP once the first image exists; later checkpoints fail with WORDS.
real_fault() {
	d=$tmp/real && rm -rf "$d" && mkdir -p "$d/img"
	"$bin/ckpt-launch" --period 0.05 --file "$d/img/img.ckpt" -- \
		"$prog" 1000 >"$d/out" 2>"$d/err" &
	pid=$!
	for _ in $(seq 500); do [ -e "$d/img/img.ckpt" ] && break; sleep 0.01; done
	sh -c "$3"
	wait $pid
	rc=$? runs=$((runs + 1))
	if [ $rc -ne 0 ] || [ "$(cat "$d/out")" != "$(${prog} 1000)" ]; then
		bad "$1: the program was harmed (status $rc): $(tail -n 3 "$d/err")"
	elif ! grep -q "failed: .*$2" "$d/err"; then
		bad "$1: no line saying '$2': $(tail -n 3 "$d/err")"
	fi
	[ -d "$d/img" ] || return
	# A writer caught by the change cannot remove its IMAGE.tmp from a
	# read-only directory; once writable again, the resume removes it, and
	# the image kept resumes to the result.
	chmod 755 "$d/img"
	stale=$d/img/img.ckpt.tmp
	[ -e "$stale" ] && printf STALE >>"$stale"
	"$bin/ckpt-resume" "$d/img/img.ckpt" >"$d/out" 2>"$d/rerr" &
	rpid=$!
	for _ in $(seq 100); do
		[ -e "$stale" ] && [ "$(tail -c 5 "$stale")" = STALE ] || break
		sleep 0.1
	done
	[ -e "$stale" ] && [ "$(tail -c 5 "$stale")" = STALE ] &&
		bad "$1: the resume did not remove the stale IMAGE.tmp"
	wait $rpid
	[ "$(tail -n 1 "$d/out")" = "$(${prog} 1000)" ] ||
		bad "$1: the image kept does not resume to the result: $(cat "$d/rerr")"
}

real() {
	# A file size limit below the image: EFBIG, and SIGXFSZ must not kill.
	d=$tmp/fsize && mkdir "$d"
	prlimit --fsize=1000000 "$bin/ckpt-launch" --period 0.05 --file \
		"$d/img.ckpt" -- "$prog" 100 >"$d/out" 2>"$d/err"
	rc=$? runs=$((runs + 1))
	if [ $rc -ne 0 ] || [ "$(cat "$d/out")" != "$("$prog" 100)" ]; then
		bad "ulimit -f: the program was harmed (status $rc): $(tail -2 "$d/err")"
	elif ! grep -q "failed: file too large" "$d/err" || [ -e "$d/img.ckpt.tmp" ]; then
		bad "ulimit -f: no 'file too large' line, or IMAGE.tmp left: $(tail -2 "$d/err")"
	fi
	real_fault "the image's directory removed" "no such file" "rm -rf '$tmp/real/img'"
	if [ "$(id -u)" != 0 ]; then
		real_fault "the image's directory made read-only" "permission denied" \
			"chmod 555 '$tmp/real/img'"
	fi
	# A killed writer's IMAGE.tmp is removed by the next launch.
	d=$tmp/stale && mkdir "$d" && echo STALE >"$d/img.ckpt.tmp"
	"$bin/ckpt-launch" --period 0 --file "$d/img.ckpt" -- /bin/true
	[ -e "$d/img.ckpt.tmp" ] && bad "a launch left a stale IMAGE.tmp"
	launch_refused "a missing directory" "$tmp/none/img.ckpt"
	launch_refused "a directory as the image" "$tmp"
	launch_refused "an image in /proc" "/proc/img.ckpt"
	launch_refused "a device as the image" "/dev/null"
}

case $mode in
injected) injected ;;
real) real ;;
*) echo "faults: FAIL unknown mode $mode"; exit 2 ;;
esac
[ "$failed" = 0 ] && { echo "faults: PASS $mode ($runs runs)"; exit 0; }
exit 1
