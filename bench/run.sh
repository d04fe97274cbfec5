#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# famfs benchmarks (make bench, after make all asan).  Prints figures as
# markdown tables on standard output; never passes or fails on a figure.
# It exits nonzero only when a benchmark cannot run at all (a command fails
# or a helper does not build).  bench/README.md explains every figure.
#
#   (a) mkfs on a 1 GiB and a 1 TiB sparse image file
#   (b) fsck time and peak memory on a log of 100,000 files, against an
#       empty filesystem; the time to create those entries
#
# Environment: BUILD (default build), BENCH_RUNS (runs per figure, default
# 5), BENCH_FILES (default 100000), BENCH_DIR (where the images go; default
# a new directory under ${TMPDIR:-/tmp}, removed at exit), BENCH_TIMEOUT
# (seconds any one command may run, default 60), BENCH_BUDGET (seconds for
# the whole run, default 270).  Runtime on 2 cores: 10 to 20 seconds.  The
# worst case is bounded too: a command is killed when it reaches
# BENCH_TIMEOUT or the end of BENCH_BUDGET, and the run then stops.
set -euo pipefail

cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
RUNS=${BENCH_RUNS:-5}
NFILES=${BENCH_FILES:-100000}
TIMEOUT=${BENCH_TIMEOUT:-60}
BUDGET=${BENCH_BUDGET:-270}
FAMFS=$BUILD/famfs
ASAN_TESTGEN=$BUILD/asan/tools/famfs-testgen
BDIR=$BUILD/bench
PEAK=$BDIR/peakrss
TESTGEN=$BDIR/famfs-testgen

die() {
	echo "bench: $*" >&2
	exit 1
}

for f in "$FAMFS" "$ASAN_TESTGEN"; do
	[ -x "$f" ] || die "$f is missing: run 'make all asan' (or 'make bench')"
done

# --- helpers, built here (not by the Makefile) ------------------------------
# shellcheck source=bench/lib.sh
. bench/lib.sh
build_bench_helpers

# --- scratch space ----------------------------------------------------------
if [ -n "${BENCH_DIR:-}" ]; then
	mkdir -p "$BENCH_DIR"
	WORK=$(mktemp -d "$BENCH_DIR/famfs-bench.XXXXXX")
else
	WORK=$(mktemp -d "${TMPDIR:-/tmp}/famfs-bench.XXXXXX")
fi
trap 'rm -rf "$WORK"' EXIT
# This host's identity and an empty configuration: nothing from /opt/famfs
# or /etc/famfs.ini changes the geometry being measured.
export FAMFS_SYSTEM_UUID_FILE=$WORK/system_uuid
: >"$WORK/empty.ini"
export FAMFS_CONFIG=$WORK/empty.ini
unset FAMFS_ROLE

# measure CMD...: run under peakrss; sets WALL (s), RSS (KiB).  The command
# may run BENCH_TIMEOUT seconds, and no longer than what is left of the
# budget (SECONDS counts from the start of this script).
measure() {
	local rc=0 limit=$((BUDGET - SECONDS))
	[ "$limit" -gt 0 ] || die "time budget of $BUDGET s used up before '$*'"
	[ "$limit" -gt "$TIMEOUT" ] && limit=$TIMEOUT
	"$PEAK" -o "$WORK/m" -t "$limit" "$@" >"$WORK/out" 2>&1 || rc=$?
	if [ "$rc" -ne 0 ]; then
		sed 's/^/  | /' "$WORK/out" >&2
		die "'$*' exited with status $rc"
	fi
	read -r WALL RSS _ <"$WORK/m"
}

# median of the numbers on standard input (mean of the middle two if even)
median() {
	sort -g | awk '{ v[NR] = $1 }
		END { if (NR % 2) print v[(NR + 1) / 2];
		      else printf "%.6f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# calc EXPR: floating-point arithmetic with awk
calc() {
	awk "BEGIN { printf \"%s\", $1 }" </dev/null
}

ms() { calc "sprintf(\"%.2f\", $1 * 1000)"; }
mib() { calc "sprintf(\"%.1f\", $1 / 1024)"; }
group() {	# 1234567 -> 1,234,567
	echo "$1" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/; ta'
}

# --- the machine ------------------------------------------------------------
cpu=$(sed -n 's/^model name[[:space:]]*: *//p' /proc/cpuinfo | head -n1)
echo "# famfs benchmarks"
echo
echo "| machine | |"
echo "|---|---|"
echo "| CPUs (nproc) | $(nproc) |"
echo "| CPU model | ${cpu:-unknown} |"
echo "| kernel | $(uname -sr) |"
echo "| image directory | $WORK (file system: $(stat -f -c %T "$WORK"), as stat -f names it) |"
echo "| famfs | $FAMFS, static musl, -O2 |"
echo "| runs per figure | $RUNS (median reported) |"
echo

# --- (a) mkfs: 1 GiB vs 1 TiB sparse image --------------------------------
img=$WORK/mkfs.img
declare -A MKFS_MED MKFS_MIN MKFS_MAX MKFS_BLOCKS MKFS_BLKSZ
for size in 1G 1T; do
	: >"$WORK/times"
	for _ in $(seq "$RUNS"); do
		rm -f "$img"
		truncate -s "$size" "$img"
		measure "$FAMFS" mkfs "$img"
		echo "$WALL" >>"$WORK/times"
	done
	MKFS_MED[$size]=$(median <"$WORK/times")
	MKFS_MIN[$size]=$(sort -g "$WORK/times" | head -n1)
	MKFS_MAX[$size]=$(sort -g "$WORK/times" | tail -n1)
	MKFS_BLOCKS[$size]=$(stat -c %b "$img")
	MKFS_BLKSZ[$size]=$(stat -c %B "$img")
	rm -f "$img"
done

echo "## (a) mkfs on a sparse image file: 1 GiB vs 1 TiB"
echo
echo "Default geometry (8 MiB log, 2 MiB allocation unit).  Each run formats a"
echo "fresh \`truncate -s\` image; time is wall clock for the whole command."
echo
echo "| image | mkfs median (ms) | min (ms) | max (ms) | allocated after mkfs (stat %b) |"
echo "|---|---:|---:|---:|---:|"
for size in 1G 1T; do
	b=${MKFS_BLOCKS[$size]}
	bytes=$((b * ${MKFS_BLKSZ[$size]}))
	label=${size/G/ GiB}
	label=${label/T/ TiB}
	echo "| $label | $(ms "${MKFS_MED[$size]}") | $(ms "${MKFS_MIN[$size]}") | $(ms "${MKFS_MAX[$size]}") | $b blocks of ${MKFS_BLKSZ[$size]} B = $(group "$bytes") B |"
done
echo
echo "| ratio | value |"
echo "|---|---:|"
echo "| mkfs time, 1 TiB / 1 GiB (medians) | $(calc "sprintf(\"%.2f\", ${MKFS_MED[1T]} / ${MKFS_MED[1G]})") |"
echo "| device size, 1 TiB / 1 GiB | 1024 |"
echo

# --- (b) fsck on a large log vs an empty filesystem -------------------------
# Every file is 4 KiB on a 4 KiB allocation unit, so space is never short:
# image = files + 64 MiB, rounded up to a GiB.  Log: a FILE entry for
# "d/f<i>" is at most 112 bytes for i < 10^10; 32 MiB unless more is needed.
au=4096
img_gib=$(( (NFILES * au + (64 << 20) + (1 << 30) - 1) >> 30 ))
log_mib=$(( (NFILES * 112 + (2 << 20)) >> 20 ))
log_mib=$(( (log_mib + 1) / 2 * 2 ))
[ "$log_mib" -lt 32 ] && log_mib=32
ENTRIES=$((NFILES + 1))		# one MKDIR, then the files
MKFS_B=(mkfs --alloc-unit 4K --loglen "${log_mib}M")

mkimg() {	# mkimg PATH: a freshly formatted image of the (b) geometry
	rm -f "$1"
	truncate -s "${img_gib}G" "$1"
	measure "$FAMFS" "${MKFS_B[@]}" "$1"
}

# Creating the entries: famfs-testgen files N d 4K = 1 mkdir + N files.
declare -A GEN_MED
for tool in "$TESTGEN" "$ASAN_TESTGEN"; do
	: >"$WORK/times"
	for _ in $(seq "$RUNS"); do
		mkimg "$WORK/full.img"
		measure "$tool" "$WORK/full.img" files "$NFILES" d 4K
		echo "$WALL" >>"$WORK/times"
	done
	GEN_MED[$tool]=$(median <"$WORK/times")
done

# The last image made (by the ASan build; both builds write the same log,
# UUIDs aside) is the one checked: it must be clean and hold every entry.
"$FAMFS" fsck --json "$WORK/full.img" >"$WORK/json" ||
	die "fsck of the populated image is not clean: $(cat "$WORK/json")"
got=$(sed -n 's/.*"log_entries":\([0-9]*\).*/\1/p' "$WORK/json")
[ "$got" = "$ENTRIES" ] || die "populated image has $got entries, expected $ENTRIES"
log_used=$(sed -n 's/.*"log_used":\([0-9]*\).*/\1/p' "$WORK/json")
mkimg "$WORK/empty.img"

declare -A FSCK_T FSCK_R
for which in empty full; do
	measure "$FAMFS" fsck "$WORK/$which.img"	# warm-up, not counted
	: >"$WORK/times"
	: >"$WORK/rss"
	for _ in $(seq "$RUNS"); do
		measure "$FAMFS" fsck "$WORK/$which.img"
		echo "$WALL" >>"$WORK/times"
		echo "$RSS" >>"$WORK/rss"
	done
	FSCK_T[$which]=$(median <"$WORK/times")
	FSCK_R[$which]=$(median <"$WORK/rss")
done

te=${FSCK_T[empty]} tf=${FSCK_T[full]} re=${FSCK_R[empty]} rf=${FSCK_R[full]}
echo "## (b) fsck of $(group "$ENTRIES") log entries vs an empty filesystem"
echo
echo "Both images are made in this run: ${img_gib} GiB sparse, ${log_mib} MiB log, 4 KiB"
echo "allocation unit.  The populated one holds 1 directory and $(group "$NFILES")"
echo "one-extent 4 KiB files (\`famfs-testgen IMG files $NFILES d 4K\`): $(group "$log_used")"
echo "bytes of log in use.  Median of $RUNS runs after one warm-up run; peak RSS"
echo "is ru_maxrss (bench/peakrss) and includes the pages of the mapped log that"
echo "fsck reads (all ${log_mib} MiB: entries, then the check that the rest is zero)."
echo
echo "| figure | empty fs (reference) | $(group "$ENTRIES") entries | ratio |"
echo "|---|---:|---:|---:|"
echo "| fsck wall time (ms) | $(ms "$te") | $(ms "$tf") | $(calc "sprintf(\"%.1f\", $tf / $te)") |"
echo "| fsck peak RSS (MiB) | $(mib "$re") | $(mib "$rf") | $(calc "sprintf(\"%.2f\", $rf / $re)") |"
echo
echo "| derived | value |"
echo "|---|---:|"
echo "| fsck throughput: entries / (time - empty time) | $(group "$(calc "sprintf(\"%.0f\", $ENTRIES / ($tf - $te))")") entries/s |"
echo "| fsck memory per entry: (RSS - empty RSS) / entries | $(calc "sprintf(\"%.0f\", ($rf - $re) * 1024 / $ENTRIES)") bytes |"
echo

echo "## (b) creating the $(group "$ENTRIES") entries (famfs-testgen)"
echo
echo "One process: open, replay (empty log), then $(group "$ENTRIES") appends, each"
echo "flushed and published through the tail record.  Median of $RUNS runs, each"
echo "on a freshly formatted image (mkfs not timed)."
echo
echo "| build of famfs-testgen | median (s) | entries/s |"
echo "|---|---:|---:|"
for tool in "$TESTGEN" "$ASAN_TESTGEN"; do
	case $tool in
	"$TESTGEN") what="gcc -O2, no sanitizers ($TESTGEN)" ;;
	*) what="ASan+UBSan -O1 ($ASAN_TESTGEN)" ;;
	esac
	t=${GEN_MED[$tool]}
	echo "| $what | $(calc "sprintf(\"%.3f\", $t)") | $(group "$(calc "sprintf(\"%.0f\", $ENTRIES / $t)")") |"
done
BUILD=$BUILD BENCH_TIMEOUT=$TIMEOUT bench/fuse.sh
[ "${BENCH_MILLION:-0}" = 1 ] && { echo; BUILD=$BUILD bench/million.sh; }
BUILD=$BUILD bench/ingest.sh
if [ -f "$BUILD/kernel/bzImage" ]; then
	echo
	BUILD=$BUILD bench/vm.sh
	echo
	BUILD=$BUILD bench/boot.sh
fi
