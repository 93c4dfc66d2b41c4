#!/bin/bash
# Soak: a malloc/stdio-heavy program (soak_prog) checkpointed every PERIOD
# seconds for SECONDS, and the same program without ckpt for as long (both
# at once, each near half a core).  Prints, side by side, VmRSS and its
# parts, the open descriptors at the start and at the end, and the number
# of checkpoints.  Run by hand, not by ctest; it never judges the figures.
#   soak.sh BUILD_DIR [SECONDS [PERIOD]]        (default 600 s, 0.05 s)
# ckpt's --verbose lines go to a log file, as `2> log` would put them: an
# output file of the program, saved in every image like any other.
set -eu
build=${1:?usage: soak.sh BUILD_DIR [SECONDS [PERIOD]]}
seconds=${2:-600} period=${3:-0.05}
launch=$build/bin/ckpt-launch prog=$build/tests/bench/soak_prog
if [ ! -x "$launch" ] || [ ! -x "$prog" ]; then
	echo "soak: no $launch or $prog: build first" >&2
	exit 2
fi
work=$(mktemp -d /tmp/ckpt-soak-XXXXXX)
pids=()
cleanup() {
	for p in "${pids[@]}"; do
		kill -KILL "$p" 2>/dev/null && wait "$p" 2>/dev/null
	done
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"$launch" --verbose --period "$period" --file "$work/soak.ckpt" -- \
	"$prog" "$seconds" "$work/ckpt.out" > "$work/ckpt.report" \
	2> "$work/ckpt.log" &
pids+=($!)
"$prog" "$seconds" "$work/control.out" > "$work/control.report" &
pids+=($!)
status=()
for p in "${pids[@]}"; do
	rc=0
	wait "$p" || rc=$?
	status+=("$rc")
done
pids=()
for run in ckpt control; do
	if ! grep -q rss_kb= "$work/$run.report"; then
		echo "soak: the $run run printed no figures" >&2
		cat "$work/$run.report" "$work/ckpt.log" >&2
		exit 1
	fi
done

# fig REPORT first|last KEY: a figure from soak_prog's first or last line.
fig() {
	local line
	if [ "$2" = first ]; then line=$(head -1 "$1"); else line=$(tail -1 "$1"); fi
	sed -n "s/.* $3=\([0-9]*\).*/\1/p" <<< " $line"
}
row() { # LABEL KEY
	local cs ce os oe
	cs=$(fig "$work/ckpt.report" first "$2") ce=$(fig "$work/ckpt.report" last "$2")
	os=$(fig "$work/control.report" first "$2") oe=$(fig "$work/control.report" last "$2")
	printf '%-22s %9s %9s %+9d   %9s %9s %+9d\n' "$1" "$cs" "$ce" \
		$((ce - cs)) "$os" "$oe" $((oe - os))
}

checkpoints=$(grep -c 'checkpoint [0-9]* written' "$work/ckpt.log" || true)
failed=$(grep -c 'checkpoint to .* failed' "$work/ckpt.log" || true)
echo "soak: $seconds s, a checkpoint every $period s: $checkpoints checkpoints" \
	"($failed failed), exit status ${status[0]} (control ${status[1]})"
printf '%-22s %9s %9s %9s   %9s %9s %9s\n' "" "ckpt" "" "" "control" "" ""
printf '%-22s %9s %9s %9s   %9s %9s %9s\n' "" start end change start end change
row "VmRSS kB" rss_kb
row "  [heap] kB" heap_kb
row "  other anonymous kB" anon_kb
row "  file-backed kB" file_kb
row "malloc in use kB" inuse_kb
row "open descriptors" fds
row "operations" ops
if [ "$checkpoints" -gt 0 ]; then
	growth() {
		echo $(( ($(fig "$1" last rss_kb) - $(fig "$1" first rss_kb)) *
			1000 / checkpoints ))
	}
	echo "VmRSS change per 1000 checkpoints: $(growth "$work/ckpt.report") kB" \
		"(control over the same time: $(growth "$work/control.report") kB)"
	echo "checkpoint written in (median): $(grep -o 'written in [0-9]* ms' \
		"$work/ckpt.log" | awk '{ print $3 }' | sort -n |
		sed -n "$(( (checkpoints + 1) / 2 ))p") ms;" \
		"last image $(stat -c %s "$work/soak.ckpt") bytes"
fi
grep -v 'checkpoint [0-9]* written' "$work/ckpt.log" | sed 's/^/  /' | head -5
