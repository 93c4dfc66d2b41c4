#!/bin/sh
# Who may resume what (docs/security.md), tried as an attacker and as a
# careless user would.  Each case must be refused with a message naming
# the culprit and a status of 1-125 (never a crash), and must leave other
# users' files untouched.
#   security.sh image|forged|journal|undo|chain|cross-user BIN_DIR FORGE
#               SECPROG INPLACE INCR
# image, forged and journal run as whoever starts them (the suite drops to
# user 65534); cross-user needs root to play two users, and exits 77
# (skipped) without it.  Prints "security: PASS MODE" or "security: FAIL".
set -u
mode=$1 bin=$2 forge=$3 secprog=$4 inplace=${5:-} incr=${6:-}
tmp=$(mktemp -d /tmp/ckpt-security-XXXXXX) || exit 1
trap 'kill -9 $pid 2>/dev/null; rm -rf "$tmp"' EXIT
pid=
failed=0
say() { echo "security: $*"; }
bad() { say "FAIL $*"; failed=1; }

# expect_refusal WHAT NEEDLE COMMAND...
expect_refusal() {
	what=$1 needle=$2
	shift 2
	timeout 20 "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	msg=$(head -c 600 "$tmp/err" | tr '\n' ' ')
	if [ "$rc" -eq 124 ]; then
		bad "$what: it hung (killed after 20 s)"
	elif [ "$rc" -eq 0 ] || [ "$rc" -gt 125 ]; then
		bad "$what: exit status $rc, expected a refusal ($msg)"
	elif ! grep -qF -- "$needle" "$tmp/err"; then
		bad "$what: the message does not name '$needle' ($msg)"
	else
		say "ok $what (status $rc): $msg"
	fi
}

# make_image DIR [AS...]: run secprog in DIR under ckpt until it took its
# checkpoint, then kill it: DIR/img.ckpt is a complete image.
make_image() {
	dir=$1
	shift
	"$@" "$bin/ckpt-launch" --period 0 --file "$dir/img.ckpt" -- \
		"$secprog" "$dir" >"$dir/stdout" 2>>"$tmp/launch.err" &
	pid=$!
	for _ in $(seq 500); do
		grep -q "checkpoint: 0" "$dir/stdout" 2>/dev/null && break
		sleep 0.02
	done
	grep -q "checkpoint: 0" "$dir/stdout" ||
		{ bad "no checkpoint in $dir: $(cat "$tmp/launch.err")"; exit 1; }
}

# Let the running secprog write out.txt (after the checkpoint), then kill.
write_then_kill() {
	touch "$1/go"
	for _ in $(seq 500); do
		grep -q "wrote out.txt" "$1/stdout" && break
		sleep 0.02
	done
	kill -9 "$pid"
	wait "$pid" 2>/dev/null
}

# chain_make DIR: incr under ckpt until DIR/img.ckpt is an incremental
# image resting on at least two parents, then killed.
chain_make() {
	(cd "$1" && CKPT_FULL_EVERY=16 exec "$bin/ckpt-launch" --period 0.1 \
		--file "$1/img.ckpt" -- "$incr" rewrite 16 100000 10 \
		>/dev/null 2>>"$tmp/launch.err") &
	pid=$!
	for _ in $(seq 1000); do
		[ "$(links "$1" | wc -w)" -ge 2 ] && break
		sleep 0.02
	done
	kill -9 $pid; wait $pid 2>/dev/null
	# A writer at work finishes its image: the chain is still until then.
	for _ in $(seq 1500); do
		[ -e "$1/img.ckpt.tmp" ] || break
		sleep 0.02
	done
}

# The generations of DIR/img.ckpt's parents, newest first.
links() {
	for f in "$1"/img.ckpt.[0-9]*; do
		[ -e "$f" ] && echo "${f##*.}"
	done | sort -rn
}

# chain_refused WHAT PARENT: both tools refuse $d/img.ckpt, naming PARENT.
chain_refused() {
	expect_refusal "ckpt-resume, $1" "$2" "$bin/ckpt-resume" "$d/img.ckpt"
	expect_refusal "ckpt-merge, $1" "$2" \
		"$bin/ckpt-merge" "$d/img.ckpt" "$tmp/never.ckpt"
	[ -e "$tmp/never.ckpt" ] && bad "ckpt-merge, $1: it left its output"
	rm -f "$tmp/never.ckpt"
}

case $mode in
image)
	d=$tmp/d && mkdir -m 700 "$d" && make_image "$d" && write_then_kill "$d"
	ln -s "$d/img.ckpt" "$d/link.ckpt"
	expect_refusal "an image given through a symlink" "symbolic link" \
		"$bin/ckpt-resume" "$d/link.ckpt"
	mkfifo "$d/fifo.ckpt"
	expect_refusal "a FIFO as the image (must not hang)" "not a regular file" \
		"$bin/ckpt-resume" "$d/fifo.ckpt"
	mkdir "$d/dir.ckpt"
	expect_refusal "a directory as the image" "dir.ckpt" \
		"$bin/ckpt-resume" "$d/dir.ckpt"
	expect_refusal "/dev/null as the image" "not a regular file" \
		"$bin/ckpt-resume" /dev/null
	cp -p "$d/img.ckpt" "$d/g.ckpt" && chmod 620 "$d/g.ckpt"
	expect_refusal "a group-writable image" "other users can write it" \
		"$bin/ckpt-resume" "$d/g.ckpt"
	cp -p "$d/img.ckpt" "$d/o.ckpt" && chmod 602 "$d/o.ckpt"
	expect_refusal "a world-writable image" "other users can write it" \
		"$bin/ckpt-resume" "$d/o.ckpt"
	w=$tmp/open && mkdir "$w" && chmod 777 "$w" && cp -p "$d/img.ckpt" "$w/"
	expect_refusal "an image in a world-writable directory without the sticky bit" \
		"$w" "$bin/ckpt-resume" "$w/img.ckpt"
	chmod 1777 "$w"
	touch "$d/go2"
	# Its stdout was $d/stdout, a file: it comes back as that file.
	if timeout 30 "$bin/ckpt-resume" "$w/img.ckpt" >/dev/null 2>"$tmp/err" \
		</dev/null && grep -q "done" "$d/stdout"; then
		say "ok the same image in a sticky directory resumes"
	else
		bad "a sticky world-writable directory (as /tmp) was refused: $(cat "$tmp/err")"
	fi
	rm "$d/go2"
	expect_refusal "an image file that is missing" "$d/none.ckpt" \
		"$bin/ckpt-resume" "$d/none.ckpt"
	;;
forged)
	d=$tmp/d && mkdir -m 700 "$d" && make_image "$d" && write_then_kill "$d"
	# Every forgery has its checksums recomputed: only the reader's own
	# checks stand between it and the bootstrap.
	for f in "uid 0" "region-path 4000000000" "region-path 0xffffffff" \
		"fd-path 4000000000" "fd-data 0xffffffffffff0000" \
		"count-regions 0x2000000000000000" "count-regions 100000" \
		"count-files 0x0222222222222223" "count-threads 0" \
		"count-threads 0xffffffffffffffff" "npending 100000" \
		"ntimers 0xffffffff" "exe-unterminated 0"; do
		set -- $f
		if [ "$1" = uid ] && [ "$(id -u)" = 0 ]; then
			set -- uid 12345
		fi
		"$forge" "$d/img.ckpt" "$d/forged.ckpt" "$1" "$2" ||
			{ bad "cannot forge $f"; continue; }
		expect_refusal "a forged image ($*)" "$d/forged.ckpt" \
			"$bin/ckpt-resume" "$d/forged.ckpt"
	done
	# A chunk of a codec this ckpt does not know: refused, and said so.
	for v in 4 9 0xffffffff; do
		"$forge" "$d/img.ckpt" "$d/forged.ckpt" chunk-codec $v ||
			{ bad "cannot forge chunk-codec $v"; continue; }
		expect_refusal "a chunk of unknown codec $v" \
			"with codec $(printf %u $v), which this version of ckpt does not know" \
			"$bin/ckpt-resume" "$d/forged.ckpt"
	done
	;;
journal)
	# A symlink planted where the journal goes is never followed.
	d=$tmp/d && mkdir -m 700 "$d" && make_image "$d"
	echo "precious" >"$tmp/victim"
	ln -s "$tmp/victim" "$d/img.ckpt.created"
	write_then_kill "$d"
	[ "$(cat "$tmp/victim")" = precious ] &&
		! grep -q "hello\|out.txt" "$tmp/victim" ||
		bad "the journal writer followed a planted symlink"
	grep -q "cannot keep the journal" "$tmp/launch.err" ||
		bad "no warning about the planted journal"
	expect_refusal "a symlink as the journal" "img.ckpt.created" \
		"$bin/ckpt-resume" "$d/img.ckpt"
	# A journal of another run (another key) is not obeyed.
	e=$tmp/e && mkdir -m 700 "$e" && make_image "$e" && write_then_kill "$e"
	rm -f "$d/img.ckpt.created"
	cp "$e/img.ckpt.created" "$d/img.ckpt.created" ||
		bad "the second run left no journal"
	expect_refusal "another run's journal" "key differs" \
		"$bin/ckpt-resume" "$d/img.ckpt"
	# The image's own journal is obeyed: out.txt, written after the
	# checkpoint, is removed at resume and written again once.
	chmod 602 "$e/img.ckpt.created"
	expect_refusal "a journal others can write" "other users can write it" \
		"$bin/ckpt-resume" "$e/img.ckpt"
	chmod 600 "$e/img.ckpt.created"
	rm "$e/go"
	"$bin/ckpt-resume" "$e/img.ckpt" >>"$e/stdout" 2>"$tmp/err" &
	pid=$!
	sleep 0.3
	[ -e "$e/out.txt" ] && bad "out.txt was not removed at resume"
	touch "$e/go" "$e/go2"
	wait $pid || bad "the resumed program failed: $(cat "$tmp/err")"
	grep -q "uid=$(id -u) done" "$e/stdout" && [ "$(cat "$e/out.txt")" = hello ] ||
		bad "the resumed program did not finish as it should"
	# ckpt_checkpoint() returned 0 after writing, 1 in the resumed process;
	# the first line was cut back with the rest of stdout.
	[ "$(head -n 1 "$e/stdout")" = "checkpoint: 1" ] ||
		bad "ckpt_checkpoint() did not return 1 after the resume: $(cat "$e/stdout")"
	;;
undo)
	# An image and its undo log: tests/files/inplace rewriting a 64 MiB
	# file in place, killed once both are there.
	d=$tmp/d && mkdir -m 700 "$d"
	(cd "$d" && exec "$bin/ckpt-launch" --period 0.2 --file "$d/img.ckpt" \
		-- "$inplace" pwrite 64 100000000 >/dev/null 2>>"$tmp/launch.err") &
	pid=$!
	for _ in $(seq 1000); do
		[ -s "$d/img.ckpt.undo" ] && [ -e "$d/img.ckpt" ] && break
		sleep 0.02
	done
	sleep 0.3
	kill -9 $pid; wait $pid 2>/dev/null
	[ -s "$d/img.ckpt.undo" ] || { bad "no undo log: $(cat "$tmp/launch.err")"; exit 1; }
	mv "$d/img.ckpt.undo" "$tmp/undo.good"
	rm -f "$d/img.ckpt.undo.old"
	echo "precious" >"$tmp/victim"
	ln -s "$tmp/victim" "$d/img.ckpt.undo"
	expect_refusal "a symlink as the undo log" "img.ckpt.undo" \
		"$bin/ckpt-resume" "$d/img.ckpt"
	rm "$d/img.ckpt.undo"
	cp -p "$tmp/undo.good" "$d/img.ckpt.undo.old" && chmod 606 "$d/img.ckpt.undo.old"
	expect_refusal "an undo log others can write" "other users can write it" \
		"$bin/ckpt-resume" "$d/img.ckpt"
	rm "$d/img.ckpt.undo.old"
	# Another run's: the same records under another key.
	{ printf 'ckpt-undo %032d\n' 0; tail -c +44 "$tmp/undo.good"; } >"$d/img.ckpt.undo"
	chmod 600 "$d/img.ckpt.undo"
	expect_refusal "another run's undo log" "key differs" \
		"$bin/ckpt-resume" "$d/img.ckpt"
	# Its own, with a record damaged: obeyed up to it, and said so.
	cp -p "$tmp/undo.good" "$d/img.ckpt.undo"
	size=$(stat -c %s "$d/img.ckpt.undo")
	printf 'XXXX' | dd of="$d/img.ckpt.undo" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
	(cd "$d" && exec timeout 5 "$bin/ckpt-resume" "$d/img.ckpt" >/dev/null 2>"$tmp/err")
	grep -q "undo log .* is damaged at byte" "$tmp/err" &&
		say "ok a damaged undo record: $(grep damaged "$tmp/err")" ||
		bad "no word of the damaged undo record: $(cat "$tmp/err")"
	[ "$(cat "$tmp/victim")" = precious ] || bad "the victim was written"
	;;
chain)
	# An incremental image and the parents it rests on (IMAGE.N): each
	# parent missing, damaged, or replaced by another run's image is
	# refused by ckpt-resume and ckpt-merge, naming that parent.
	d=$tmp/d && mkdir -m 700 "$d" && chain_make "$d"
	set -- $(links "$d")
	[ $# -ge 2 ] || { bad "no chain of two parents: $(ls "$d")"; exit 1; }
	"$bin/ckpt-merge" "$d/img.ckpt" "$tmp/merged.ckpt" 2>"$tmp/err" ||
		bad "the intact chain does not merge: $(cat "$tmp/err")"
	e=$tmp/e && mkdir -m 700 "$e" && chain_make "$e"
	for link in "$1" "$2"; do
		p=$d/img.ckpt.$link
		mv "$p" "$tmp/kept"
		chain_refused "parent $link missing" "$p"
		"$forge" "$tmp/kept" "$p" damage-pages 0 ||
			bad "cannot damage parent $link"
		chain_refused "parent $link with a byte of its pages inverted" "$p"
		cp -p "$e/img.ckpt" "$p"
		chain_refused "parent $link replaced by another run's image" "$p"
		mv -f "$tmp/kept" "$p"
	done
	"$bin/ckpt-merge" "$d/img.ckpt" "$tmp/merged2.ckpt" 2>"$tmp/err" ||
		bad "the chain put back does not merge: $(cat "$tmp/err")"
	;;
cross-user)
	[ "$(id -u)" = 0 ] || { echo "security: SKIP cross-user needs root"; exit 77; }
	as_user="setpriv --reuid=65534 --regid=65534 --clear-groups"
	as_other="setpriv --reuid=65533 --regid=65533 --clear-groups"
	chmod 755 "$tmp"
	s=$tmp/shared && mkdir "$s" && chmod 1777 "$s"
	echo "root's" >"$tmp/rootfile" && chmod 644 "$tmp/rootfile"
	# Another user plants a journal in the shared directory: the victim's
	# resume refuses it, root's file is untouched.
	make_image "$s" $as_user
	$as_other sh -c "printf 'C $tmp/rootfile\nS 3 $tmp/rootfile\n' >'$s/img.ckpt.created'"
	write_then_kill "$s"
	expect_refusal "a journal another user planted" "belongs to another user" \
		$as_user "$bin/ckpt-resume" "$s/img.ckpt"
	[ "$(cat "$tmp/rootfile")" = "root's" ] || bad "root's file was changed"
	rm -f "$s/img.ckpt.created" "$s/go" "$s/out.txt"
	# Root does not run another user's image as root.
	expect_refusal "root resuming another user's image" "--run-as-owner" \
		"$bin/ckpt-resume" "$s/img.ckpt"
	"$bin/ckpt-resume" --run-as-owner "$s/img.ckpt" >>"$s/stdout" 2>"$tmp/err" &
	pid=$!
	touch "$s/go" "$s/go2"
	wait $pid || bad "--run-as-owner failed: $(cat "$tmp/err")"
	grep -q "uid=65534 done" "$s/stdout" ||
		bad "--run-as-owner did not run it as its owner: $(cat "$s/stdout")"
	# An image another user can write, with the uid inside forged to 0.
	o=$tmp/other && mkdir "$o" && chown 65534 "$o" && chmod 1777 "$o"
	make_image "$o" $as_user && write_then_kill "$o"
	"$forge" "$o/img.ckpt" "$o/root.ckpt" uid 0 && chmod 666 "$o/root.ckpt"
	expect_refusal "a world-writable image forged to uid 0" "other users can write it" \
		"$bin/ckpt-resume" "$o/root.ckpt"
	chown 65534 "$o/root.ckpt" && chmod 600 "$o/root.ckpt"
	expect_refusal "another user's image forged to uid 0" "--run-as-owner" \
		"$bin/ckpt-resume" "$o/root.ckpt"
	expect_refusal "another user's image forged to uid 0, --run-as-owner" \
		"written by user 0" "$bin/ckpt-resume" --run-as-owner "$o/root.ckpt"
	# Root's own checkpointed job in a shared directory: a symlink another
	# user planted at its journal's name is not followed.
	r=$tmp/rootjob && mkdir "$r" && chmod 1777 "$r"
	make_image "$r"
	$as_other ln -s "$tmp/rootfile" "$r/img.ckpt.created"
	write_then_kill "$r"
	[ "$(cat "$tmp/rootfile")" = "root's" ] ||
		bad "root's journal writer followed another user's symlink"
	# A directory owned by another user.
	b=$tmp/bobs && mkdir "$b" && chown 65533 "$b" && cp -p "$o/img.ckpt" "$b/"
	expect_refusal "an image in another user's directory" "belongs to another user" \
		$as_user "$bin/ckpt-resume" "$b/img.ckpt"
	;;
*)
	echo "security: FAIL unknown mode $mode"
	exit 2
	;;
esac
[ "$failed" = 0 ] && { say "PASS $mode"; exit 0; }
exit 1
