#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# shellcheck disable=SC2012 # ls: what a user runs on the client
#
# A million files (issue 15 item 3): a filesystem of 1,000 directories of
# 1,000 4 KiB files each, made by `famfs-testgen IMG tree`, then
#   - fsck time and peak RSS;
#   - mount (validate + replay + start the server) time;
#   - server RSS (VmHWM) after a full `find` (names only);
#   - a stat walk (find -printf %s) of 100 of the directories (100,000
#     files: a full stat walk through FUSE takes minutes here) against
#     the same tree on tmpfs;
#   - how long after the master's last `famfs creat -M` returns a client
#     mount of the same image lists all of 10,000 new files.
# Prints markdown tables; never passes or fails on a figure.  Root and
# /dev/fuse are needed for everything after fsck.  Takes 2 to 4 minutes
# on 2 loaded cores and about 1 GB of memory (two servers), so
# bench/run.sh runs it only with BENCH_MILLION=1.
#
# Environment: BUILD (default build), BENCH_DIR (scratch directory,
# default /var/tmp: the image is 8 GiB sparse, about 110 MB written),
# BENCH_MILLION_RUNS (runs per figure, default 3), BENCH_TIMEOUT (seconds
# any one command may run, default 120).
set -euo pipefail

cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
RUNS=${BENCH_MILLION_RUNS:-3}
TIMEOUT=${BENCH_TIMEOUT:-120}
DIRS=1000 PER=1000 NEW=10000 BATCH=1000 SAMPLE=100
FAMFS=$(realpath "$BUILD/famfs")
BDIR=$BUILD/bench
PEAK=$BDIR/peakrss
TESTGEN=$BDIR/famfs-testgen

die() {
	echo "bench/million.sh: $*" >&2
	exit 1
}
[ -x "$FAMFS" ] || die "$FAMFS is missing: run 'make all'"
# shellcheck source=bench/lib.sh
. bench/lib.sh
build_bench_helpers
PEAK=$(realpath "$PEAK")
TESTGEN=$(realpath "$TESTGEN")

WORK=$(mktemp -d "${BENCH_DIR:-/var/tmp}/famfs-million.XXXXXX")
WORK=$(realpath "$WORK")
cleanup() {
	set +e
	for m in "$WORK/A" "$WORK/B" "$WORK/tmpfs"; do
		mountpoint -q "$m" && { umount "$m" || umount -l "$m"; }
	done
	sleep 1
	rm -rf "$WORK"
}
trap cleanup EXIT
export FAMFS_SYSTEM_UUID_FILE=$WORK/hostA
: >"$WORK/empty.ini"
export FAMFS_CONFIG=$WORK/empty.ini
IMG=$WORK/m.img

# measure CMD...: sets WALL (s), RSS (KiB, ru_maxrss) and CPU (user +
# system seconds of the command itself, not of a server it forks; "-"
# without GNU time)
measure() {
	local t=()
	[ -x /usr/bin/time ] && t=(/usr/bin/time -o "$WORK/cpu" -f "%U %S")
	"$PEAK" -o "$WORK/m" -t "$TIMEOUT" "${t[@]}" "$@" >"$WORK/out" 2>"$WORK/err" ||
		{ sed 's/^/  | /' "$WORK/err" >&2; die "'$*' failed"; }
	read -r WALL RSS _ <"$WORK/m"
	CPU=-
	[ -s "$WORK/cpu" ] && CPU=$(awk '{ print $1 + $2 }' "$WORK/cpu")
}
median() {
	sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}
calc() { awk "BEGIN { printf \"%s\", $1 }" </dev/null; }
ms() { calc "sprintf(\"%.0f\", $1 * 1000)"; }
mib() { calc "sprintf(\"%.1f\", $1 / 1024)"; }
hwm() { sed -n "s/^$2:[[:space:]]*\([0-9]*\).*/\1/p" "/proc/$1/status"; }
spid() { pgrep -n -f -x "$FAMFS mount $IMG $1"; }
walk() {	# walk ROOT: find -printf %s of the files of d0..d<SAMPLE-1>
	local d=() k
	for ((k = 0; k < SAMPLE; k++)); do d+=("$1/d$k"); done
	measure find "${d[@]}" -type f -printf '%s\n'
	local n
	n=$(wc -l <"$WORK/out")
	[ "$n" -eq $((SAMPLE * PER)) ] || die "walk of $1 saw $n files"
}

echo "## (m) a million files (bench/million.sh)"
echo
echo "| machine | |"
echo "|---|---|"
echo "| CPUs (nproc) | $(nproc) |"
echo "| kernel | $(uname -sr) |"
echo "| load average at start (1, 5, 15 min) | $(cut -d' ' -f1-3 /proc/loadavg) |"
echo "| runs per figure | $RUNS (median) |"
echo

truncate -s 8G "$IMG"
"$FAMFS" mkfs -a 4K -l 128M "$IMG" >/dev/null
measure "$TESTGEN" "$IMG" tree "$DIRS" "$PER" 4K
GEN=$WALL
: >"$WORK/t"; : >"$WORK/r"; : >"$WORK/c"
for ((i = 0; i < RUNS; i++)); do
	measure "$FAMFS" fsck "$IMG"
	echo "$WALL" >>"$WORK/t"; echo "$RSS" >>"$WORK/r"; echo "$CPU" >>"$WORK/c"
done
FSCK=$(median <"$WORK/t") FSCKR=$(median <"$WORK/r") FSCKC=$(median <"$WORK/c")
echo "| $(printf "%'d" $((DIRS * PER))) files in $DIRS directories | figure | target |"
echo "|---|---|---|"
echo "| famfs-testgen tree (log: $(($(stat -c %s "$IMG") >> 30)) GiB image, $("$TESTGEN" "$IMG" tail | awk '{ printf "%.1f MiB", $1 / 1048576 }') of log) | $(ms "$GEN") ms | - |"
echo "| fsck: wall time (CPU time; peak RSS) | $(ms "$FSCK") ms ($(ms "$FSCKC") ms; $(mib "$FSCKR") MiB) | <= 1000 ms |"
if [ "$(id -u)" -ne 0 ] || [ ! -c /dev/fuse ]; then
	echo "| mount, walks, client | not measured: needs root and /dev/fuse | |"
	exit 0
fi

mkdir -p "$WORK/A" "$WORK/B" "$WORK/tmpfs"
"$TESTGEN" "$IMG" mkdir new >/dev/null
: >"$WORK/t"; : >"$WORK/c"
for ((i = 0; i < RUNS; i++)); do
	measure "$FAMFS" mount "$IMG" "$WORK/A"
	echo "$WALL" >>"$WORK/t"; echo "$CPU" >>"$WORK/c"
	[ "$i" -eq $((RUNS - 1)) ] || { umount "$WORK/A"; sleep 1; }
done
MOUNT=$(median <"$WORK/t") MOUNTC=$(median <"$WORK/c") P=$(spid "$WORK/A")
HWM0=$(hwm "$P" VmHWM)
measure find "$WORK/A"; FIND=$WALL
[ "$(wc -l <"$WORK/out")" -gt $((DIRS * PER)) ] || die "find saw too few names"
HWM1=$(hwm "$P" VmHWM) ANON=$(hwm "$P" RssAnon)
walk "$WORK/A"; FW1=$WALL

# the walked directories on tmpfs: empty files (a stat reads no data)
mount -t tmpfs -o size=2G,nr_inodes=2000000 famfs-million "$WORK/tmpfs"
perl -e 'my ($r, $d, $p) = @ARGV;
	for my $i (0 .. $d - 1) { mkdir "$r/d$i" or die;
		for my $j (0 .. $p - 1) { open(my $f, ">", "$r/d$i/f$j") or die; } }' \
	"$WORK/tmpfs" "$SAMPLE" "$PER"
: >"$WORK/ft"; : >"$WORK/tt"
for ((i = 0; i < RUNS; i++)); do
	walk "$WORK/A"; echo "$WALL" >>"$WORK/ft"
	walk "$WORK/tmpfs"; echo "$WALL" >>"$WORK/tt"
done
FW=$(median <"$WORK/ft") TW=$(median <"$WORK/tt")
umount "$WORK/tmpfs"

# a client: another host identity mounts the same image
FAMFS_SYSTEM_UUID_FILE=$WORK/hostB "$FAMFS" mount "$IMG" "$WORK/B"
[ "$(ls "$WORK/B/new" | wc -l)" -eq 0 ] || die "client sees files in new/"
for ((i = 0; i < NEW; i += BATCH)); do
	args=()
	for ((j = i; j < i + BATCH; j++)); do args+=(-M "$WORK/A/new/f$j,4k"); done
	"$FAMFS" creat "${args[@]}" >/dev/null || die "creat -M failed"
done
t0=$EPOCHREALTIME
n=0 polls=0
while [ "$n" -lt "$NEW" ]; do
	n=$(ls "$WORK/B/new" | wc -l)
	polls=$((polls + 1))
	[ "$polls" -lt 10000 ] || die "client sees $n of $NEW files"
done
t1=$EPOCHREALTIME
SEEN=$(calc "$t1 - $t0")
CH=$(hwm "$(spid "$WORK/B")" VmHWM)

echo "| mount + replay (famfs mount, to the mount answering): wall (CPU of the command, which replays before it forks the server) | $(ms "$MOUNT") ms ($(ms "$MOUNTC") ms) | <= 1000 ms |"
echo "| server VmHWM after mount / after a full find (RssAnon) | $(mib "$HWM0") / $(mib "$HWM1") MiB ($(mib "$ANON") MiB) | <= 128 MiB |"
echo "| full \`find\` of the famfs mount (names, no stat) | $(ms "$FIND") ms | - |"
echo "| first stat walk of $(printf "%'d" $((SAMPLE * PER))) files on famfs (each LOOKUP reaches the server) | $(ms "$FW1") ms | - |"
echo "| stat walk of $(printf "%'d" $((SAMPLE * PER))) files: famfs / tmpfs (both warm, median) | $(ms "$FW") ms / $(ms "$TW") ms = $(calc "sprintf(\"%.2f\", $FW / $TW)") | <= 1.2 |"
echo "| client sees $(printf "%'d" "$NEW") new files: master's last creat -M returns to ls on the client counting all ($polls ls) | $(ms "$SEEN") ms | <= 50 ms |"
echo "| client server VmHWM after that | $(mib "$CH") MiB | - |"
echo
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
