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
options)
	expect_refusal "--period abc" "abc" \
		"$bin/ckpt-launch" --period abc -- /bin/sh -c "$marker"
	expect_refusal "--signal KILL" "KILL" \
		"$bin/ckpt-launch" --signal KILL -- /bin/sh -c "$marker"
	expect_refusal "--compress 12" "12" \
		"$bin/ckpt-launch" --compress 12 -- /bin/sh -c "$marker"
	expect_refusal "a missing program" "$tmp/no-such-program" \
		"$bin/ckpt-launch" --period 1 -- "$tmp/no-such-program"
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
