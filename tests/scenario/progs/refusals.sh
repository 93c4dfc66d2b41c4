#!/bin/sh
# ckpt-launch and ckpt-resume turn down what they cannot handle: a non-zero
# status (not a crash), a message naming the culprit, and the program not
# run.
#   refusals.sh static|setuid|options|resume BIN_DIR STATIC_PROG DYN_PROG
# Prints "refusals: PASS MODE" or "refusals: FAIL ..." lines.
set -u
mode=$1 bin=$2 static_prog=$3 dyn_prog=$4
tmp=$(mktemp -d /tmp/ckpt-refusals-XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"
failed=0

# expect_refusal WHAT NEEDLE COMMAND...: COMMAND must exit with 1-125 and
# say NEEDLE on stderr, and must not have created $tmp/ran.
expect_refusal() {
	what=$1 needle=$2
	shift 2
	rm -f "$tmp/ran"
	"$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	msg=$(head -c 400 "$tmp/err" | tr '\n' ' ')
	if [ "$rc" -eq 0 ] || [ "$rc" -gt 125 ]; then
		echo "refusals: FAIL $what: exit status $rc, expected a refusal (stderr: $msg)"
		failed=1
	elif ! grep -qF -- "$needle" "$tmp/err"; then
		echo "refusals: FAIL $what: the message does not name '$needle' (stderr: $msg)"
		failed=1
	elif [ -e "$tmp/ran" ] || grep -q "static_prog ran" "$tmp/out"; then
		echo "refusals: FAIL $what: the program ran anyway"
		failed=1
	else
		echo "refusals: ok $what (status $rc): $msg"
	fi
}

# A dynamically linked program that leaves a mark when it runs.
marker="touch $tmp/ran"

case $mode in
static)
	expect_refusal "a statically linked program" "$static_prog" \
		"$bin/ckpt-launch" --period 1 -- "$static_prog"
	;;
setuid)
	cp "$dyn_prog" "$tmp/suid-prog" && chmod 4755 "$tmp/suid-prog" ||
		{ echo "refusals: FAIL cannot make a setuid copy"; exit 1; }
	cp "$dyn_prog" "$tmp/sgid-prog" && chmod 2755 "$tmp/sgid-prog" ||
		{ echo "refusals: FAIL cannot make a setgid copy"; exit 1; }
	expect_refusal "a setuid program" "$tmp/suid-prog" \
		"$bin/ckpt-launch" --period 1 -- "$tmp/suid-prog" 1
	expect_refusal "a setgid program" "$tmp/sgid-prog" \
		"$bin/ckpt-launch" --period 1 -- "$tmp/sgid-prog" 1
	;;
filecaps)
	# File capabilities make the kernel run a program in secure mode, as
	# setuid does.  Setting them needs root and setcap.
	if [ "$(id -u)" != 0 ] || ! command -v setcap >/dev/null; then
		echo "refusals: SKIP filecaps needs root and setcap"
		exit 77
	fi
	cp "$dyn_prog" "$tmp/cap-prog" && setcap cap_net_raw+ep "$tmp/cap-prog" ||
		{ echo "refusals: FAIL cannot set file capabilities"; exit 1; }
	expect_refusal "a program with file capabilities" "$tmp/cap-prog" \
		"$bin/ckpt-launch" --period 1 -- "$tmp/cap-prog" 1
	printf '#!%s\n' "$tmp/cap-prog" >"$tmp/cap-script" && chmod 755 "$tmp/cap-script"
	expect_refusal "a script whose interpreter has file capabilities" \
		"$tmp/cap-prog" "$bin/ckpt-launch" --period 1 -- "$tmp/cap-script"
	;;
options)
	expect_refusal "--period abc" "abc" \
		"$bin/ckpt-launch" --period abc -- /bin/sh -c "$marker"
	expect_refusal "--signal KILL" "KILL" \
		"$bin/ckpt-launch" --signal KILL -- /bin/sh -c "$marker"
	for c in 12 zstd:0 zstd:20 lz4:13 zlib:0 brotli zstd: ZSTD; do
		expect_refusal "--compress $c" "--compress '$c'" \
			"$bin/ckpt-launch" --compress "$c" -- /bin/sh -c "$marker"
	done
	expect_refusal "a missing program" "$tmp/no-such-program" \
		"$bin/ckpt-launch" --period 1 -- "$tmp/no-such-program"
	# Signals the program's own faults, children or timers raise, and
	# numbers written any way but plain decimal.
	for sig in 11 SEGV 17 CHLD 14 1 0x3e " 62" +62; do
		expect_refusal "--signal '$sig'" "--signal '$sig'" \
			"$bin/ckpt-launch" --signal "$sig" -- /bin/sh -c "$marker"
	done
	for p in 0x10 " 5" -0 +5 1e3 5. inf; do
		expect_refusal "--period '$p'" "--period '$p'" \
			"$bin/ckpt-launch" --period "$p" -- /bin/sh -c "$marker"
	done
	expect_refusal "--file-save-max 0x10" "0x10" \
		"$bin/ckpt-launch" --file-save-max 0x10 -- /bin/sh -c "$marker"
	# The same through the environment, past ckpt-launch: the program
	# must not start.
	lib=$bin/../lib/libckpt.so
	for v in "CKPT_PID=garbage" "CKPT_PID=" "CKPT_PERIOD=0x10" \
		"CKPT_PERIOD= 5" "CKPT_PERIOD=-0" "CKPT_SIGNAL=17" \
		"CKPT_SIGNAL=11" "CKPT_COMPRESS=10" "CKPT_COMPRESS=zstd:99" \
		"CKPT_COMPRESS=gzip" "CKPT_NO_FORK=2" "CKPT_VERBOSE=yes" \
		"CKPT_FILE_SAVE_MAX=-1" "CKPT_FAULT=write:0:EIO" \
		"CKPT_PERIDO=5"; do
		expect_refusal "$v" "${v%%=*}" \
			env "$v" LD_PRELOAD="$lib" /bin/sh -c "$marker"
	done
	;;
resume)
	expect_refusal "a missing image" "$tmp/missing.ckpt" \
		"$bin/ckpt-resume" "$tmp/missing.ckpt"
	expect_refusal "a file that is not an image" "/etc/passwd" \
		"$bin/ckpt-resume" /etc/passwd
	: >"$tmp/empty.ckpt"
	expect_refusal "an empty file" "$tmp/empty.ckpt" \
		"$bin/ckpt-resume" "$tmp/empty.ckpt"
	;;
*)
	echo "refusals: FAIL unknown mode $mode"
	exit 2
	;;
esac
if [ "$failed" = 0 ]; then
	echo "refusals: PASS $mode"
	exit 0
fi
exit 1
