#!/bin/bash
# Standard streams and input files at resume:
#  1. stdout a pipe: the resumed program writes into ckpt-resume's stdout;
#  2. --stdout FILE: the resumed program's stdout goes to FILE instead;
#  3. an input file changed after the checkpoint: ckpt-resume refuses, naming
#     the file, and --allow-changed-inputs resumes anyway.
#   streams.sh BIN_DIR PROG   (PROG: tests/files/reader)
set -u
bin=$1 prog=$2
work=$(mktemp -d /tmp/ckpt-streams-XXXXXX)
trap 'kill -9 $pid 2>/dev/null; rm -rf "$work"' EXIT
cd "$work" || exit 1
fail() { echo "streams: FAIL $*"; exit 1; }

# Start the reader under checkpointing with its stdout a pipe, wait for
# its first image, kill it.
start_and_kill() {
	rm -f prog.ckpt
	"$bin/ckpt-launch" --period 0.2 --file prog.ckpt -- "$prog" input.txt \
		> >(cat > "$1") &
	pid=$!
	for _ in $(seq 200); do [ -s prog.ckpt ] && break; sleep 0.05; done
	[ -s prog.ckpt ] || fail "no image"
	sleep 0.3
	kill -9 $pid 2>/dev/null || fail "the reader ended before it was killed"
	wait $pid 2>/dev/null
}

seq 1 400 > input.txt
expected=$("$prog" input.txt | tail -1)

start_and_kill first.out
got=$("$bin/ckpt-resume" prog.ckpt | tail -1)
[ "$got" = "$expected" ] || fail "through a pipe: '$got' instead of '$expected'"
echo "streams: resumed into a pipe: $got"

start_and_kill second.out
"$bin/ckpt-resume" --stdout redirected.out prog.ckpt > /dev/null ||
	fail "resume with --stdout"
got=$(tail -1 redirected.out)
[ "$got" = "$expected" ] || fail "--stdout: '$got' instead of '$expected'"
echo "streams: resumed with --stdout: $got"

start_and_kill third.out
echo 401 >> input.txt
if "$bin/ckpt-resume" prog.ckpt > refused.out 2> refused.err; then
	fail "a changed input file was accepted"
fi
grep -q "input file .*input.txt changed" refused.err ||
	fail "no message naming the input: $(cat refused.err)"
echo "streams: refused: $(cat refused.err)"
"$bin/ckpt-resume" --allow-changed-inputs prog.ckpt > forced.out ||
	fail "--allow-changed-inputs"

# 4. a socket that cannot come back (a listening one; a socketpair inside
#    the program does come back): one warning names it at the first
#    checkpoint, one line at resume says it stays closed.
#    The socket warning comes with the first checkpoint, and python may
#    start slower than any period: the checkpoint is asked for once the
#    socket exists.
"$bin/ckpt-launch" --period 0 --file sock.ckpt -- /usr/bin/python3 -c '
import os, socket, time
a = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
a.bind("\0ckpt-streams-%d" % os.getpid())
a.listen(1)
open("sock.ready", "w").close()
time.sleep(5)' 2> socket.err &
pid=$!
for _ in $(seq 400); do [ -e sock.ready ] && break; sleep 0.05; done
kill -s RTMAX-2 $pid
for _ in $(seq 400); do [ -s sock.ckpt ] && break; sleep 0.05; done
kill -9 $pid; wait $pid 2>/dev/null
grep -q "warning: descriptor [0-9]* (socket:\[[0-9]*\]) cannot be restored" socket.err ||
	fail "no warning naming the socket: $(cat socket.err)"
# Its stderr was socket.err, a file: the resumed program writes there too.
"$bin/ckpt-resume" sock.ckpt
grep -q "descriptor [0-9]* (socket:\[[0-9]*\]) is not restored" socket.err ||
	fail "no message at resume: $(cat socket.err)"
echo "streams: socket warned: $(grep socket socket.err | head -1)"
echo "streams: PASS"
