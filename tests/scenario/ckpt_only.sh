#!/bin/sh
# Checkpoints only, no resume: PROG runs under ckpt-launch at a short
# period and must have written image generation N within T seconds (a
# program blocked in a call where no checkpoint came, issue 10).  For
# programs whose resume needs what this tree does not have yet.
#
#   ckpt_only.sh BIN_DIR N T PROG [ARGS...]
bin=$1 want=$2 limit=$3
shift 3
dir=$(mktemp -d /tmp/ckpt-only-XXXXXX) || exit 1
cd "$dir" || exit 1
"$bin/ckpt-launch" --period 0.2 --file "$dir/prog.ckpt" -- "$@" \
	>"$dir/stdout" 2>"$dir/stderr" &
pid=$!
gen=0
for _ in $(seq 1 $((limit * 10))); do
	if [ -f "$dir/prog.ckpt" ]; then
		gen=$(od -An -t u8 -j 48 -N 8 "$dir/prog.ckpt" | tr -d ' ')
		[ "${gen:-0}" -ge "$want" ] && break
	fi
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.1
done
kill -KILL "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
if [ "${gen:-0}" -ge "$want" ]; then
	echo "ckpt-only: PASS, image generation $gen"
	rm -rf "$dir"
	exit 0
fi
echo "ckpt-only: FAIL, image generation ${gen:-none} after ${limit} s (want $want); $dir kept"
cat "$dir/stderr"
exit 1
