#!/bin/bash
# The checkpoint benchmark (README: "Speed").  For each working set and
# kind of data it prints, side by side with baselines measured in the same
# run on the same data:
#   pause     the longest gaps of the program's own loop, one per checkpoint
#             (median and max over the checkpoints), ckpt's own figure, and
#             a plain fork() of the same process (median of 7) before the
#             checkpoints and after them: a fork of memory that went
#             through copy-on-write costs more than one of fresh memory
#   wall      a checkpoint's wall time (capture to renamed image), median
#   image     the image's size, and as a share of the working set
#   write     image bytes per second of wall time, and write()+fsync of the
#             working set to the same directory
#   resume    ckpt-resume to the program's first instruction, median of 3
#   codecs    each codec's raw speed (one core) and ratio on the data
# Then the thread-stop figures (stop_threads.sh).  It never judges them.
#
#   bench.sh BUILD_DIR [--sizes "64 1024"] [--kinds "doubles text halfzero"]
#            [--compress CODEC] [--no-fork] [--thp] [--huge] [--csv FILE]
#            [--dir DIR]
# --huge adds 4096 MiB; --thp gives the program transparent huge pages
# (MADV_HUGEPAGE); --no-fork measures images written in the pause.  CI runs it with --sizes 16 as a smoke test.
set -eu
build=$1; shift
sizes="64 1024" kinds="doubles text halfzero" compress="" csv="" dir=""
codec_opt=()
while [ $# -gt 0 ]; do
	case $1 in
	--sizes) sizes=$2; shift ;;
	--kinds) kinds=$2; shift ;;
	--compress) compress=$2; codec_opt+=(--compress "$2"); shift ;;
	--huge) sizes="$sizes 4096" ;;
	--thp) export BENCH_THP=1 ;;
	--no-fork) codec_opt+=(--no-fork) ;;
	--csv) csv=$2; shift ;;
	--dir) dir=$2; shift ;;
	*) echo "bench.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done
bin=$build/bin prog=$build/tests/bench/bench_prog
work=$(mktemp -d "${dir:-/tmp}/ckpt-bench-XXXXXX")
trap 'rm -rf "$work"' EXIT
csv=${csv:-$work/bench.csv}

checkpoints=6
. "$(dirname "$0")/common.sh"
written_at_least() { [ "$(grep -c "written to" "$work/err")" -ge "$1" ]; }
maxof() { sort -n | tail -1; }

echo "size_mib,kind,codec,checkpoints,pause_median_us,pause_max_us,pause_logged_us,fork_us,fork_after_us,wall_median_ms,image_mib,image_pct,write_mbs,write_fsync_mbs,resume_ms,codecs" >"$csv"
echo "codec ${compress:-default (lz4)}${BENCH_THP:+, transparent huge pages}, options: ${codec_opt[*]:-none}"
echo
printf '| MiB | data | ckpts | pause median | pause max | pause (ckpt log) | fork() before / after | pause/fork before / after | wall median | image | image %% | write MB/s | write+fsync MB/s | resume | codecs (MB/s, ratio; one core) |\n'
printf '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n'
for mib in $sizes; do
	for kind in $kinds; do
		"$prog" base "$kind" "$mib" "$work" >"$work/base"
		wf=$(awk '/^write_fsync_mbs/ { print $2 }' "$work/base")
		codecs=$(awk '/^codec/ { split($2, c, ":"); n = c[1] == 1 ? "zlib" : c[1] == 2 ? "zstd" : "lz4"; printf "%s%s:%s %s/%.2f", sep, n, c[2], $3, $4; sep = ", " }' "$work/base")
		# Gone first: a stale "loop" must not be taken for this run's.
		rm -f "$work/b.ckpt" "$work/out" "$work/err"
		"$bin/ckpt-launch" --verbose --period 0 "${codec_opt[@]}" \
			--file "$work/b.ckpt" -- "$prog" run "$kind" "$mib" \
			>"$work/out" 2>"$work/err" &
		pid=$!
		until_true 600 grep -q '^loop' "$work/out" || { cat "$work/err"; exit 1; }
		# Checkpoints asked for one at a time, each once the last is
		# written, the loop running in between.
		for ((i = 1; i <= checkpoints; i++)); do
			kill -s RTMAX-2 $pid
			until_true 600 written_at_least $i || { cat "$work/err"; exit 1; }
			sleep 0.3
		done
		kill -TERM $pid
		wait $pid || { cat "$work/err"; exit 1; }
		n=$(grep -c "written to" "$work/err" || true)
		fork_us=$(awk '/^fork_us/ { print $2 }' "$work/out")
		fork_after=$(awk '/^fork_after_us/ { print $2 }' "$work/out")
		# One gap per checkpoint: the n longest.
		awk '/^gap_us/ { print $2 }' "$work/out" | sort -n | tail -n "$n" >"$work/gaps"
		pmed=$(median <"$work/gaps") pmax=$(maxof <"$work/gaps")
		grep -o 'paused [0-9]* us' "$work/err" | awk '{ print $2 }' >"$work/paused"
		logged=$(median <"$work/paused")
		grep -o 'written in [0-9]* ms' "$work/err" | awk '{ print $3 }' >"$work/walls"
		wall=$(median <"$work/walls")
		img=$(stat -c %s "$work/b.ckpt")
		img_mib=$(awk -v b="$img" 'BEGIN { printf "%.1f", b / 1048576 }')
		pct=$(awk -v b="$img" -v m="$mib" 'BEGIN { printf "%.0f", 100 * b / (m * 1048576) }')
		wmbs=$(awk -v b="$img" -v w="$wall" 'BEGIN { if (w > 0) printf "%.0f", b / 1e3 / w; else print "-" }')
		# Resume: from ckpt-resume's start to the program's first step.
		: >"$work/resumes"
		for i in 1 2 3; do
			rm -f "$work/o.ckpt"
			# Its stdout a pipe: at resume it becomes ckpt-resume's.
			"$bin/ckpt-launch" --period 0 "${codec_opt[@]}" --file "$work/o.ckpt" \
				-- "$prog" once "$kind" "$mib" 2>/dev/null | cat >/dev/null
			t0=$(date +%s.%N)
			"$bin/ckpt-resume" "$work/o.ckpt" 2>/dev/null | awk -v t0="$t0" \
				'/^resumed_at/ { printf "%.0f\n", ($2 - t0) * 1000 }' >>"$work/resumes"
		done
		resume=$(median <"$work/resumes")
		ratio=$(awk -v p="$pmed" -v a="$fork_us" -v b="$fork_after" 'BEGIN { if (a > 0 && b > 0 && p != "-") printf "%.1fx / %.1fx", p / a, p / b; else print "-" }')
		name=${compress:-default}${BENCH_THP:+ thp}
		printf '| %s | %s | %s | %s us | %s us | %s us | %s us | %s | %s ms | %s MiB | %s %% | %s | %s | %s ms | %s |\n' \
			"$mib" "$kind" "$n" "$pmed" "$pmax" "$logged" "$fork_us us / $fork_after" "$ratio" "$wall" \
			"$img_mib" "$pct" "$wmbs" "$wf" "$resume" "$codecs"
		echo "$mib,$kind,$name,$n,$pmed,$pmax,$logged,$fork_us,$fork_after,$wall,$img_mib,$pct,$wmbs,$wf,$resume,\"$codecs\"" >>"$csv"
	done
done
echo
echo "CSV: $csv"
echo
"$(dirname "$0")/stop_threads.sh" "$bin" "$build/tests/bench/busy_threads"
