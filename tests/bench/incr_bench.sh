#!/bin/bash
# The incremental-image benchmark (README: "Speed"), figures side by side
# with baselines from the same run on the same data:
#   images    for each share of the pages written between two checkpoints
#             (--pcts), the median size, wall time (capture to renamed
#             image) and pause of incremental images, and of full images of
#             the same memory (CKPT_FULL_EVERY=1), over --images checkpoints
#   overhead  the wall time of a job writing --job-pct % of its pages anew
#             per period, under ckpt at each --periods period and without
#             ckpt, runs alternated, median of --reps
# It never judges them.
#
#   incr_bench.sh BUILD_DIR [--mib 1024] [--kind doubles] [--pcts "1 10"]
#                 [--images 6] [--periods "30 2"] [--rounds 4]
#                 [--job-pct 10] [--reps 3] [--csv FILE] [--dir DIR]
# --rounds is the job's length in periods.  CI runs it small as a smoke test.
set -eu
build=$1; shift
mib=1024 kind=doubles pcts="1 10" images=6 periods="30 2" rounds=4
job_pct=10 reps=3 csv="" dir=""
while [ $# -gt 0 ]; do
	case $1 in
	--mib) mib=$2 ;;
	--kind) kind=$2 ;;
	--pcts) pcts=$2 ;;
	--images) images=$2 ;;
	--periods) periods=$2 ;;
	--rounds) rounds=$2 ;;
	--job-pct) job_pct=$2 ;;
	--reps) reps=$2 ;;
	--csv) csv=$2 ;;
	--dir) dir=$2 ;;
	*) echo "incr_bench.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift 2
done
bin=$build/bin prog=$build/tests/bench/bench_prog
work=$(mktemp -d "${dir:-/tmp}/ckpt-incr-bench-XXXXXX")
pid=
trap '[ -n "$pid" ] && kill -9 $pid 2>/dev/null; rm -rf "$work"' EXIT
csv=${csv:-$work/incr.csv}

. "$(dirname "$0")/common.sh"
count_at_least() { [ "$(grep -c "$1" "$2")" -ge "$3" ]; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f", 100 * a / b; else print "-" }'; }

# images PCT FULL_EVERY: a first image, then --images more, each after
# PCT % of the pages were written anew; the sizes, wall times and pauses
# of those --images into $work/{size,wall,pause}.
images() {
	rm -f "$work"/i.ckpt* "$work/out" "$work/err"
	CKPT_FULL_EVERY=$2 "$bin/ckpt-launch" --verbose --period 0 \
		--file "$work/i.ckpt" -- "$prog" rewrite "$kind" "$mib" "$1" \
		>"$work/out" 2>"$work/err" &
	pid=$!
	until_true 600 grep -q '^ready' "$work/out" || { cat "$work/err"; exit 1; }
	: >"$work/size"
	for ((i = 0; i <= images; i++)); do
		if [ "$i" -gt 0 ]; then
			kill -USR1 $pid
			until_true 600 count_at_least rewritten "$work/out" "$i" ||
				{ cat "$work/err"; exit 1; }
		fi
		kill -s RTMAX-2 $pid
		until_true 600 count_at_least "written to" "$work/err" $((i + 1)) ||
			{ cat "$work/err"; exit 1; }
		[ "$i" -gt 0 ] && stat -c %s "$work/i.ckpt" >>"$work/size"
	done
	kill -TERM $pid
	wait $pid || { cat "$work/err"; exit 1; }
	pid=
	grep -o 'written in [0-9]* ms' "$work/err" | awk '{ print $3 }' | tail -n "$images" >"$work/wall"
	grep -o 'paused [0-9]* us' "$work/err" | awk '{ print $2 }' | tail -n "$images" >"$work/pause"
}

echo "size_mib,kind,pct,full_mib,incr_mib,size_pct,full_ms,incr_ms,time_pct,full_pause_us,incr_pause_us" >"$csv"
echo "Images: $mib MiB of $kind, $images checkpoints each, medians"
echo
echo "| written | full image | incremental | size | full write | incremental write | time | pause full / incremental |"
echo "|---|---|---|---|---|---|---|---|"
for pct in $pcts; do
	images "$pct" 1
	fs=$(median <"$work/size") fw=$(median <"$work/wall") fp=$(median <"$work/pause")
	images "$pct" $((images + 2)) # no full one among them
	is=$(median <"$work/size") iw=$(median <"$work/wall") ip=$(median <"$work/pause")
	fmib=$(awk -v b="$fs" 'BEGIN { printf "%.1f", b / 1048576 }')
	imib=$(awk -v b="$is" 'BEGIN { printf "%.2f", b / 1048576 }')
	printf '| %s %% | %s MiB | %s MiB | %s %% | %s ms | %s ms | %s %% | %s / %s us |\n' \
		"$pct" "$fmib" "$imib" "$(ratio "$is" "$fs")" "$fw" "$iw" \
		"$(ratio "$iw" "$fw")" "$fp" "$ip"
	echo "$mib,$kind,$pct,$fmib,$imib,$(ratio "$is" "$fs"),$fw,$iw,$(ratio "$iw" "$fw"),$fp,$ip" >>"$csv"
done

# job SECONDS_FILE [ckpt-launch options]: one run of the job; its own
# figure for its rounds (the fill left out) appended to SECONDS_FILE.
job() {
	local into=$1; shift
	rm -f "$work"/j.ckpt*
	if [ $# -gt 0 ]; then
		"$bin/ckpt-launch" "$@" --file "$work/j.ckpt" -- "$prog" job "$kind" \
			"$mib" "$job_pct" "$units" "$rounds" >"$work/jout" 2>"$work/jerr"
	else
		"$prog" job "$kind" "$mib" "$job_pct" "$units" "$rounds" >"$work/jout"
	fi || { cat "$work/jerr"; exit 1; }
	awk '/^job_s/ { print $2 }' "$work/jout" >>"$into"
}

echo
echo "Overhead: a job writing $job_pct % of $mib MiB anew per period, $rounds periods, median of $reps"
echo
echo "| period | without ckpt | with ckpt | overhead | images |"
echo "|---|---|---|---|---|"
echo "period_s,job_pct,without_s,with_s,overhead_pct,images" >>"$csv"
for period in $periods; do
	units=$("$prog" calibrate "$kind" "$mib" "$job_pct" "$period" | awk '/^work/ { print $2 }')
	: >"$work/plain"; : >"$work/ckpt"
	for ((r = 0; r < reps; r++)); do
		job "$work/plain"
		job "$work/ckpt" --period "$period" --verbose
	done
	n=$(grep -c "written to" "$work/jerr" || true)
	a=$(median <"$work/plain") b=$(median <"$work/ckpt")
	o=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.1f", 100 * (b - a) / a }')
	printf '| %s s | %s s | %s s | %s %% | %s |\n' "$period" "$a" "$b" "$o" "$n"
	echo "$period,$job_pct,$a,$b,$o,$n" >>"$csv"
done
echo
echo "CSV: $csv"
