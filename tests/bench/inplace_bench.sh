#!/bin/bash
# What the undo log (docs/files.md) costs a program that rewrites a large
# file in place.  Each workload runs REPS times, in turn: without ckpt (the
# baseline, same data, same run), under ckpt (a checkpoint every PERIOD
# seconds, undo records in the page cache before each write), and under
# ckpt --undo-sync (each record on disk first).  It prints medians, their
# ratio to the baseline, and the undo log's size.  It never judges them.
#
#   sqlite insert  INSERTs in transactions of 50 rows into a 100 MiB
#                  database (sqlite3's default rollback journal, synchronous
#                  FULL: an fsync per commit)
#   pwrite         random 8 B - 4 KiB read-modify-writes over a 64 MiB file
#                  (tests/files/inplace), the worst case: most writes land
#                  on a block not yet saved in the interval
#
#   inplace_bench.sh BUILD_DIR [--reps N] [--period S] [--rows N]
#                    [--steps N] [--workloads "sqlite pwrite"] [--dir DIR]
set -eu
build=$(cd "$1" && pwd); shift
reps=5 period=1 rows=20000 steps=200000 dir="" workloads="sqlite pwrite"
while [ $# -gt 0 ]; do
	case $1 in
	--reps) reps=$2; shift ;;
	--period) period=$2; shift ;;
	--rows) rows=$2; shift ;;
	--steps) steps=$2; shift ;;
	--dir) dir=$2; shift ;;
	--workloads) workloads=$2; shift ;;
	*) echo "inplace_bench.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done
bin=$build/bin
inplace=$build/tests/files/inplace
work=$(mktemp -d "${dir:-${TMPDIR:-/tmp}}/ckpt-inplace.XXXXXX")
trap 'rm -rf "$work"' EXIT

median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
now() { date +%s.%N; }

# The 100 MiB database every sqlite run starts from.
base_db() {
	sqlite3 "$work/base.db" <<-EOF
	PRAGMA page_size=4096;
	CREATE TABLE t(id INTEGER PRIMARY KEY, k INTEGER, v TEXT);
	CREATE INDEX tk ON t(k);
	WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM c WHERE i < 300000)
	  INSERT INTO t SELECT i, (i*7919) % 100003, printf('%0300d', i) FROM c;
	EOF
	awk -v n="$rows" 'BEGIN {
		for (i = 0; i < n; i++) {
			if (i % 50 == 0) print "BEGIN;"
			printf "INSERT INTO t(k, v) VALUES (%d, printf(\"%%0300d\", %d));\n", (i * 7919) % 100003, i
			if (i % 50 == 49) print "COMMIT;"
		}
		if (n % 50) print "COMMIT;"
	}' >"$work/insert.sql"
}

# One run of workload $1 in variant $2 (plain, ckpt, sync): seconds.
run_once() {
	local what=$1 how=$2 launch=() t0 t1
	rm -rf "$work/run"; mkdir "$work/run"
	[ "$what" = sqlite ] && cp "$work/base.db" "$work/run/db"
	case $how in
	ckpt) launch=("$bin/ckpt-launch" --period "$period" --file "$work/run/p.ckpt" --) ;;
	sync) launch=("$bin/ckpt-launch" --period "$period" --undo-sync --file "$work/run/p.ckpt" --) ;;
	esac
	t0=$(now)
	if [ "$what" = sqlite ]; then
		(cd "$work/run" && "${launch[@]}" /usr/bin/sqlite3 db ".read $work/insert.sql" >/dev/null)
	else
		(cd "$work/run" && "${launch[@]}" "$inplace" pwrite 64 "$steps" >/dev/null)
	fi
	t1=$(now)
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }'
	du -k "$work/run/p.ckpt.undo" 2>/dev/null | awk '{ print $1 }' >>"$work/undo.$what.$how"
}

base_db
echo "| workload | plain s | ckpt s | ckpt --undo-sync s | ckpt / plain | undo-sync / plain | undo log (KiB, median) |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
for what in $workloads; do
	for how in plain ckpt sync; do : >"$work/t.$what.$how"; : >"$work/undo.$what.$how"; done
	for ((r = 0; r < reps; r++)); do
		for how in plain ckpt sync; do
			run_once "$what" "$how" >>"$work/t.$what.$how"
		done
	done
	p=$(median <"$work/t.$what.plain") c=$(median <"$work/t.$what.ckpt") s=$(median <"$work/t.$what.sync")
	u=$(median <"$work/undo.$what.ckpt" 2>/dev/null || echo -)
	name=$([ "$what" = sqlite ] && echo "sqlite insert, $rows rows" || echo "pwrite, $steps steps")
	awk -v n="$name" -v p="$p" -v c="$c" -v s="$s" -v u="${u:--}" 'BEGIN {
		printf "| %s | %.2f | %.2f | %.2f | %.2fx | %.2fx | %s |\n", n, p, c, s, c / p, s / p, u }'
done
echo
echo "inplace bench: done"
