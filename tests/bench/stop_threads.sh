#!/bin/bash
# Benchmark: time to stop every thread at a checkpoint, for 1, 8 and 64
# threads (busy ones), checkpointing every 0.1 s for 3 s.  Prints figures;
# it never judges them.
#   stop_threads.sh BIN_DIR BUSY_THREADS_PROGRAM
set -eu
bin=$1 prog=$2
work=$(mktemp -d /tmp/ckpt-bench-XXXXXX)
trap 'rm -rf "$work"' EXIT
printf '%-8s %-12s %-12s %-12s %s\n' threads checkpoints "stop median" "stop max" "write median"
for n in 1 8 64; do
	"$bin/ckpt-launch" --verbose --period 0.1 --file "$work/b.ckpt" \
		-- "$prog" "$n" 3 2> "$work/err"
	grep -o 'stopped in [0-9]* us, paused [0-9]* us, written in [0-9]* ms' \
		"$work/err" | awk '{ print $3, $10 }' > "$work/figures"
	count=$(wc -l < "$work/figures")
	[ "$count" -gt 0 ] || { echo "no checkpoints for $n threads"; exit 1; }
	median() { cut -d' ' -f"$1" "$work/figures" | sort -n |
		sed -n "$(( (count + 1) / 2 ))p"; }
	printf '%-8s %-12s %-12s %-12s %s\n' "$n" "$count" "$(median 1) us" \
		"$(cut -d' ' -f1 "$work/figures" | sort -n | tail -1) us" \
		"$(median 2) ms"
done
