#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# Ingest benchmarks (issue 15): figures, never pass or fail.
#   (i1) bulk creat: famfs creat -M of BENCH_CREAT (default 20,000) 4 KiB
#        files, in batches (one control request, one tail publish per 512
#        files), against the same with FAMFS_BATCH_MAX=1 (one request and
#        one publish per file) in the same run; target >= 20,000 files/s.
#        The clock runs around the famfs process alone (perl forks and
#        execs it): bash's own expansion of the 2N arguments into a command
#        line takes 0.2-0.4 s here, more than famfs's work, and is printed
#        apart ("true" given the same arguments).
#   (i2) ingest: famfs cp -a of an unpacked kernel tree (BENCH_TREE,
#        default /var/tmp/linux-src) into a default filesystem on a 64 GiB
#        sparse image, against GNU cp -a of the same tree into a tmpfs, in
#        the same run; target ratio (tmpfs time / famfs time) >= 0.7.
#        Skipped when the tree is missing.
# The image lives on a tmpfs (as the memory famfs stands for); the source
# tree is read once before timing so both copies read it from the page
# cache.  Prints the machine load (uptime) before and after.
#
#   BUILD=build bench/ingest.sh
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
FAMFS=$(realpath "$BUILD/famfs")
NCREAT=${BENCH_CREAT:-20000}
TREE=${BENCH_TREE:-/var/tmp/linux-src}
[ -x "$FAMFS" ] || { echo "ingest: $FAMFS is missing (make all)" >&2; exit 1; }
W=$(mktemp -d /dev/shm/famfs-ingest.XXXXXX)
export FAMFS_SYSTEM_UUID_FILE=$W/system_uuid
: >"$W/empty.ini"
export FAMFS_CONFIG=$W/empty.ini
cleanup() {
	for m in "$W/m" "$W/t"; do
		mountpoint -q "$m" 2>/dev/null && umount "$m"
	done
	rm -rf "$W"
}
trap cleanup EXIT
mkdir -p "$W/m" "$W/t"
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
rate() { awk -v n="$1" -v a="$2" -v b="$3" 'BEGIN { printf "%.0f", n / (b - a) }'; }

echo "load before: $(uptime)"
# ---- (i1) bulk creat -----------------------------------------------------------
fresh() {	# a new default filesystem on a 64 GiB sparse image, mounted
	umount "$W/m" 2>/dev/null || true
	rm -f "$W/img"
	truncate -s 64G "$W/img"
	"$FAMFS" mkfs "$W/img" >/dev/null
	"$FAMFS" mount "$W/img" "$W/m"
}
timed() {	# CMD...: "start end" of CMD, taken by perl around its process
	perl -MTime::HiRes=time -e 'my $out = shift; my $t0 = time;
		system(@ARGV); my $t1 = time; open(my $f, ">", $out) or die;
		printf $f "%.6f %.6f %d\n", $t0, $t1, $? >> 8;' "$W/times" "$@" >/dev/null
	read -r t0 t1 rc <"$W/times"
	[ "$rc" = 0 ] || echo "ingest: $2 exited with $rc" >&2
	echo "$t0 $t1"
}
creat_run() {	# NAME-PREFIX N: start and end of one creat -M of N files
	local args=() i
	for ((i = 0; i < $2; i++)); do args+=(-M "$W/m/$1$i,4k"); done
	timed "$FAMFS" creat "${args[@]}"
}
expand_run() {	# N: start and end of bash running /bin/true with creat_run's arguments
	local args=() i t0 t1
	for ((i = 0; i < $1; i++)); do args+=(-M "$W/m/b$i,4k"); done
	t0=$(now)
	/bin/true "${args[@]}"
	t1=$(now)
	echo "$t0 $t1"
}
fresh
read -r a b < <(creat_run b "$NCREAT")
nb=$(rate "$NCREAT" "$a" "$b")
fresh
n1=$((NCREAT / 10))
read -r c d < <(FAMFS_BATCH_MAX=1 creat_run s "$n1")
n1r=$(rate "$n1" "$c" "$d")
echo
echo "| bulk creat (4 KiB files) | files | seconds | files/s | target |"
echo "|---|---|---|---|---|"
echo "| famfs creat -M, batches of 512 | $NCREAT | $(secs "$a" "$b") | $nb | >= 20,000 |"
echo "| the same, FAMFS_BATCH_MAX=1 (a request and a publish a file) | $n1 | $(secs "$c" "$d") | $n1r | |"
echo "| ratio batched / one by one | | | $(awk -v x="$nb" -v y="$n1r" 'BEGIN { printf "%.1f", x / y }') | |"
read -r e f < <(expand_run "$NCREAT")
echo "| not famfs: bash expanding the same $NCREAT -M arguments for /bin/true (timed before) | | $(secs "$e" "$f") | | |"

# ---- (i2) ingest of a kernel tree ------------------------------------------------
if [ ! -d "$TREE" ]; then
	echo
	echo "ingest: $TREE is missing: (i2) skipped"
	exit 0
fi
fresh
nfiles=$(find "$TREE" -type f | wc -l)
ndirs=$(find "$TREE" -type d | wc -l)
tar -cf - -C "$TREE" . | cat >/dev/null	# into the page cache
mount -t tmpfs -o size=8G famfs-ingest "$W/t"
t0=$(now)
cp -a "$TREE" "$W/t/"
t1=$(now)
t2=$(now)
"$FAMFS" cp -a "$TREE" "$W/m/" >"$W/cp.out" 2>&1 || { echo "ingest: famfs cp -a failed:"; head "$W/cp.out"; }
t3=$(now)
tmpfs_s=$(secs "$t0" "$t1") famfs_s=$(secs "$t2" "$t3")
echo
echo "| ingest of $TREE ($nfiles files, $ndirs directories) | seconds | ratio |"
echo "|---|---|---|"
echo "| GNU cp -a into tmpfs | $tmpfs_s | 1 |"
echo "| famfs cp -a into famfs (default mkfs, 64 GiB) | $famfs_s | $(awk -v x="$tmpfs_s" -v y="$famfs_s" 'BEGIN { printf "%.2f", x / y }') (target >= 0.7) |"
"$FAMFS" status -j "$W/m" | grep -o '"log_entries":[0-9]*\|"files":[0-9]*' | tr '\n' ' '
echo
echo "load after: $(uptime)"
