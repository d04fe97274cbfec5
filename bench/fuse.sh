#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# famfs benchmarks through the FUSE mount (make bench runs it after
# bench/run.sh).  Prints figures as markdown tables on standard output;
# never passes or fails on a figure.  It exits nonzero only when a
# benchmark cannot run at all (a command fails, a helper does not build,
# the data seen through a mount is not what was put there).  Without root
# or /dev/fuse it prints "not measured" and exits 0.  bench/README.md
# explains every figure.
#
#   (c) mount + log replay of 10,000 and 100,000 files vs an empty
#       filesystem: mount time and the server's peak RSS
#   (d) stat of every file of a 100,000-file tree: famfs vs libfuse's
#       passthrough_ll over tmpfs vs tmpfs itself
#   (e) sequential 1 MiB reads of a 1 GiB file: famfs vs passthrough_ll
#       vs reading the image file directly
#   (f) famfs creat: one file end to end, and bulk creation with -M
#
# Environment: BUILD (default build), BENCH_DIR (where the scratch
# directory goes; default ${TMPDIR:-/tmp}), BENCH_TIMEOUT (seconds any one
# command may run, default 60), BENCH_FUSE_RUNS (runs per figure, default
# 3), BENCH_FUSE_FILES (files in the large tree, default 100000),
# BENCH_FUSE_BUDGET (seconds for this script, default 240),
# BENCH_FUSE_READ_BS (the block size of (e)'s reads, default 1M: 512K
# shows the spliced READ reply, which needs a reply to fit in a pipe of
# pipe-max-size with a few pages to spare).  Runtime on 2
# cores: about a minute.  Every mount made here is unmounted at exit.
set -euo pipefail

cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
RUNS=${BENCH_FUSE_RUNS:-3}
RBS=${BENCH_FUSE_READ_BS:-1M}
NFILES=${BENCH_FUSE_FILES:-100000}
SMALL=10000
TIMEOUT=${BENCH_TIMEOUT:-60}
BUDGET=${BENCH_FUSE_BUDGET:-240}
FAMFS=$(realpath "$BUILD/famfs" 2>/dev/null || echo "$BUILD/famfs")
BDIR=$BUILD/bench
PEAK=$BDIR/peakrss
TESTGEN=$BDIR/famfs-testgen
FUSE_TAR=$BUILD/deps-src/fuse3_3.14.0.orig.tar.xz
PERDIR=1000			# files per directory
CREAT_ONE=100			# famfs creat -s 4k, one process each
CREAT_BULK=10000		# famfs creat -M, in batches
CREAT_BATCH=1000

die() {
	echo "bench/fuse.sh: $*" >&2
	exit 1
}

echo
echo "## (c) to (f): through the FUSE mount (bench/fuse.sh)"
echo
[ -x "$FAMFS" ] || die "$FAMFS is missing: run 'make all asan' (or 'make bench')"
if [ "$(id -u)" -ne 0 ] || [ ! -c /dev/fuse ]; then
	echo "not measured: mounting needs root and /dev/fuse (uid $(id -u))"
	exit 0
fi
[ "$((NFILES % PERDIR))" -eq 0 ] && [ "$NFILES" -ge "$PERDIR" ] ||
	die "BENCH_FUSE_FILES must be a multiple of $PERDIR"

# --- helpers: the same build steps as bench/run.sh -------------------------
# shellcheck source=bench/lib.sh
. bench/lib.sh
build_bench_helpers
PEAK=$(realpath "$PEAK")
TESTGEN=$(realpath "$TESTGEN")

# --- scratch space, and unmounting everything at exit ----------------------
if [ -n "${BENCH_DIR:-}" ]; then
	mkdir -p "$BENCH_DIR"
	WORK=$(mktemp -d "$BENCH_DIR/famfs-fuse-bench.XXXXXX")
else
	WORK=$(mktemp -d "${TMPDIR:-/tmp}/famfs-fuse-bench.XXXXXX")
fi
WORK=$(realpath "$WORK")
SERVERS=()		# pids of the servers started here

mounts_under() {	# the mount points below $WORK, deepest first
	awk -v w="$WORK/" 'index($2, w) == 1 { print $2 }' /proc/mounts | sort -r
}

wait_gone() {	# wait_gone PID [TENTHS]: wait for a process to exit
	local i
	for ((i = 0; i < ${2:-100}; i++)); do
		kill -0 "$1" 2>/dev/null || return 0
		sleep 0.1
	done
	return 1
}

cleanup() {
	local m p left
	set +e
	for m in $(mounts_under); do
		timeout 20 umount "$m" 2>/dev/null ||
			timeout 20 umount -l "$m" 2>/dev/null
	done
	for p in "${SERVERS[@]}"; do
		wait_gone "$p" 50 || { kill "$p" 2>/dev/null; wait_gone "$p" 20; }
	done
	left=$(mounts_under)
	if [ -n "$left" ]; then
		echo "bench/fuse.sh: still mounted, $WORK left in place: $left" >&2
	else
		rm -rf "$WORK"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

export FAMFS_SYSTEM_UUID_FILE=$WORK/system_uuid
: >"$WORK/empty.ini"
export FAMFS_CONFIG=$WORK/empty.ini
unset FAMFS_ROLE

limit() {	# the seconds the next command may run
	local l=$((BUDGET - SECONDS))
	[ "$l" -gt 0 ] || die "time budget of $BUDGET s used up"
	[ "$l" -gt "$TIMEOUT" ] && l=$TIMEOUT
	echo "$l"
}

# measure CMD...: run under peakrss, stdout to $WORK/out; sets WALL (s), RSS
measure() {
	local rc=0 l
	l=$(limit)
	"$PEAK" -o "$WORK/m" -t "$l" "$@" >"$WORK/out" 2>"$WORK/err" || rc=$?
	if [ "$rc" -ne 0 ]; then
		sed -n 's/^/  | /; 1,20p' "$WORK/err" >&2
		die "'$*' exited with status $rc"
	fi
	read -r WALL RSS _ <"$WORK/m"
}

# bounded CMD...: run with the same limit, untimed
bounded() {
	local rc=0 l
	l=$(limit)
	timeout -k 2 "$l" "$@" || rc=$?
	[ "$rc" -eq 0 ] || die "'$*' exited with status $rc"
}

median() {
	sort -g | awk '{ v[NR] = $1 }
		END { if (NR % 2) print v[(NR + 1) / 2];
		      else printf "%.6f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
calc() { awk "BEGIN { printf \"%s\", $1 }" </dev/null; }
ms() { calc "sprintf(\"%.1f\", $1 * 1000)"; }
group() { echo "$1" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/; ta'; }

# ctl MNT OP [PATH]: one request on MNT/.meta/.ctl; prints the reply text.
# OP 3 is STATUS (JSON), 6 is GETMAP of PATH (JSON); see include/famfs/famfs_ctl.h.
ctl() {
	timeout 10 perl -e '
		my ($ctl, $op, $path) = @ARGV;
		sysopen(my $f, $ctl, 2) or die "$ctl: $!\n";
		my $q = pack("V8 Q< Q< a1024 a1024", 0x4c544346, $op,
			     0, 0, 0, 0, 0, 0, 0, 0, $path // "", "");
		syswrite($f, $q) == length($q) or die "$ctl: write: $!\n";
		sysseek($f, 0, 0);
		defined(sysread($f, my $b, 0x20 + 3072)) or die "$ctl: read: $!\n";
		my (undef, $err) = unpack("V V", $b);
		(my $msg = substr($b, 0x20)) =~ s/\0.*//s;
		print "$msg\n";
		exit($err ? 1 : 0);' "$1/.meta/.ctl" "$2" "${3:-}"
}
json() {	# json KEY < JSON: a number or string value
	sed -n "s/.*\"$1\":\"\{0,1\}\([^\",}]*\).*/\1/p"
}

fam_mount() {	# fam_mount IMG MNT: timed (WALL); sets SPID, the server
	measure "$FAMFS" mount "$1" "$2"
	SPID=$(ctl "$2" 3 | json pid || true)
	[ -n "$SPID" ] || SPID=$(pgrep -n -f -x "$FAMFS mount $1 $2" || true)
	[ -n "$SPID" ] || die "no server pid for $2"
	SERVERS+=("$SPID")
}

unmount() {	# unmount MNT PID: and wait for the server to exit
	bounded umount "$1"
	wait_gone "$2" 100 || die "server $2 of $1 still running after umount"
}

# cpu_ticks PID: user + system clock ticks of a process (all its threads)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
hwm() { sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\).*/\1/p' "/proc/$1/status"; }

# walk ROOT N: lstat() every file of the first N/PERDIR directories under
# ROOT (find reads each directory and prints each file's size); timed
# (WALL).  The count of files and the sum of their sizes are checked.
walk() {
	local root=$1 want=$2 dirs=() d n sum
	for ((d = 0; d < want / PERDIR; d++)); do
		dirs+=("$root/$(printf 'd%02d' "$d")")
	done
	measure find "${dirs[@]}" -type f -printf '%s\n'
	read -r n sum < <(awk '{ n++; s += $1 } END { printf "%d %d\n", n, s }' "$WORK/out")
	[ "$n" = "$want" ] && [ "$sum" = "$((want * 4096))" ] ||
		die "walk of $root saw $n files, $sum bytes (expected $want files)"
}

# --- the machine ------------------------------------------------------------
cpu=$(sed -n 's/^model name[[:space:]]*: *//p' /proc/cpuinfo | head -n1)
echo "| machine | |"
echo "|---|---|"
echo "| CPUs (nproc) | $(nproc) |"
echo "| CPU model | ${cpu:-unknown} |"
echo "| kernel | $(uname -sr) |"
echo "| libfuse (system, for passthrough_ll) | $(pkg-config --modversion fuse3 2>/dev/null || echo unknown) |"
echo "| scratch directory | $WORK ($(stat -f -c %T "$WORK")) |"
echo "| runs per figure | $RUNS (median reported) |"
echo "| load average at start (1, 5, 15 min) | $(cut -d' ' -f1-3 /proc/loadavg) |"
echo

# --- images -----------------------------------------------------------------
# One per size; 4 KiB allocation unit, files of 4 KiB in directories of
# $PERDIR: dNN/f0 .. dNN/f999.
img_gib=$(( (NFILES * 4096 + (64 << 20) + (1 << 30) - 1) >> 30 ))
log_mib=$(( (NFILES * 112 + (2 << 20)) >> 20 ))
log_mib=$(( (log_mib + 1) / 2 * 2 ))
[ "$log_mib" -lt 32 ] && log_mib=32

mkimg() {	# mkimg IMG GiB [mkfs options]
	local img=$1 size=$2
	shift 2
	truncate -s "${size}G" "$img"
	bounded "$FAMFS" mkfs "$@" "$img" >/dev/null
}

populate() {	# populate IMG FILES
	local d
	for ((d = 0; d < $2 / PERDIR; d++)); do
		bounded "$TESTGEN" "$1" files "$PERDIR" "$(printf 'd%02d' "$d")" 4K
	done
}

t_setup=$SECONDS
mkimg "$WORK/empty.img" "$img_gib" --alloc-unit 4K --loglen "${log_mib}M"
mkimg "$WORK/small.img" "$img_gib" --alloc-unit 4K --loglen "${log_mib}M"
populate "$WORK/small.img" "$SMALL"
mkimg "$WORK/large.img" "$img_gib" --alloc-unit 4K --loglen "${log_mib}M"
populate "$WORK/large.img" "$NFILES"
# (e): a 1 GiB file alone on a default-geometry image
mkimg "$WORK/data.img" 2
bounded "$TESTGEN" "$WORK/data.img" file big 1G
mkdir -p "$WORK/mnt" "$WORK/pmnt" "$WORK/tmpfs"
t_setup=$((SECONDS - t_setup))

# --- (c) mount + replay -----------------------------------------------------
declare -A MT MR HWM0 HWM1 NF NE
for which in empty small large; do
	img=$WORK/$which.img
	: >"$WORK/times"
	: >"$WORK/hwm"
	: >"$WORK/rss"
	for ((r = 1; r <= RUNS; r++)); do
		fam_mount "$img" "$WORK/mnt"
		echo "$WALL" >>"$WORK/times"
		echo "$RSS" >>"$WORK/rss"
		hwm "$SPID" >>"$WORK/hwm"
		if [ "$r" -lt "$RUNS" ]; then
			unmount "$WORK/mnt" "$SPID"
		fi
	done
	MT[$which]=$(median <"$WORK/times")
	MR[$which]=$(median <"$WORK/rss")
	HWM0[$which]=$(median <"$WORK/hwm")
	ctl "$WORK/mnt" 3 >"$WORK/status"
	NF[$which]=$(json files <"$WORK/status")
	NE[$which]=$(json log_entries <"$WORK/status")
	# a full walk: every directory read, every file looked up
	bounded find "$WORK/mnt" -path "$WORK/mnt/.meta" -prune -o -printf '%s\n' >"$WORK/out"
	HWM1[$which]=$(hwm "$SPID")
	if [ "$which" != large ]; then
		unmount "$WORK/mnt" "$SPID"
	fi
done
LARGE_PID=$SPID		# (d) walks this mount
[ "${NF[large]}" = "$NFILES" ] || die "large image serves ${NF[large]} files, expected $NFILES"
[ "${NF[small]}" = "$SMALL" ] || die "small image serves ${NF[small]} files, expected $SMALL"

mib() { calc "sprintf(\"%.1f\", $1 / 1024)"; }
echo "## (c) mount + log replay vs an empty filesystem"
echo
echo "\`famfs mount IMG MNT\` (returns once MNT answers), median of $RUNS mounts of"
echo "the same image, unmounted in between (page cache warm).  Images: ${img_gib} GiB"
echo "sparse, ${log_mib} MiB log, 4 KiB allocation unit, 4 KiB files in directories"
echo "of $PERDIR (famfs-testgen).  Server peak RSS is VmHWM of the server process"
echo "(pid from the STATUS control reply): right after the mount answered"
echo "(median), and after a full \`find\` of the mount (last run).  The mount"
echo "command itself (which replays the log, then forks the server) is shown"
echo "too: its ru_maxrss, median."
echo
echo "| image | files | log entries | mount (ms) | ratio to empty | server VmHWM at mount (MiB) | after full walk (MiB) | mount command peak RSS (MiB) |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
for which in empty small large; do
	echo "| $which | $(group "${NF[$which]}") | $(group "${NE[$which]}") | $(ms "${MT[$which]}") | $(calc "sprintf(\"%.2f\", ${MT[$which]} / ${MT[empty]})") | $(mib "${HWM0[$which]}") | $(mib "${HWM1[$which]}") | $(mib "${MR[$which]}") |"
done
echo
echo "| target at $(group "$NFILES") files | goal | measured |"
echo "|---|---:|---:|"
echo "| mount time | <= 1000 ms | $(ms "${MT[large]}") ms |"
echo "| server peak RSS (after full walk) | <= 64 MiB | $(mib "${HWM1[large]}") MiB |"
echo

# --- passthrough_ll over tmpfs: the reference for (d) and (e) --------------
PLL_NOTE=
PLL=$WORK/passthrough_ll
# shellcheck disable=SC2046 # pkg-config's flags are words
if [ ! -r "$FUSE_TAR" ]; then
	PLL_NOTE="$FUSE_TAR is missing (make deps downloads it)"
elif ! timeout 60 tar -xJf "$FUSE_TAR" -C "$WORK" --strip-components=2 \
	fuse-3.14.0/example/passthrough_ll.c fuse-3.14.0/example/passthrough_helpers.h ||
     ! gcc -O2 -o "$PLL" "$WORK/passthrough_ll.c" $(pkg-config --cflags --libs fuse3) \
	2>"$WORK/err"; then
	PLL_NOTE="passthrough_ll did not build: $(head -n3 "$WORK/err" | tr '\n' ' ')"
fi

bounded mount -t tmpfs -o size=2G famfs-bench "$WORK/tmpfs"
mkdir -p "$WORK/tmpfs/tree" "$WORK/tmpfs/data"
for ((d = 0; d < NFILES / PERDIR; d++)); do
	dir=$WORK/tmpfs/tree/$(printf 'd%02d' "$d")
	mkdir "$dir"
	(cd "$dir" && bounded truncate -s 4096 $(seq -f 'f%.0f' 0 $((PERDIR - 1))))
done
fill() {	# fill FILE: 1 GiB of non-zero bytes, written in place
	local l
	l=$(limit)
	{ yes famfs-bench-data || true; } |
		timeout -k 2 "$l" dd of="$1" bs=1M count=1024 iflag=fullblock \
			conv=notrunc status=none ||
		die "cannot write 1 GiB to $1"
}
fill "$WORK/tmpfs/data/big"

PPID_=
pll_mount() {	# pll_mount CACHE: mount passthrough_ll of the tmpfs at pmnt
	# one O_PATH descriptor per inode the kernel knows: the whole tree
	bounded bash -c 'ulimit -n "$1" && exec "${@:2}"' - "$PLL_NOFILE" \
		"$PLL" -o "source=$WORK/tmpfs,cache=$1" "$WORK/pmnt"
	PPID_=$(pgrep -n -f -x "$PLL -o source=$WORK/tmpfs,cache=$1 $WORK/pmnt" || true)
	[ -n "$PPID_" ] || die "passthrough_ll is not running"
	SERVERS+=("$PPID_")
}

# --- (d) stat walk ------------------------------------------------------------
# passthrough_ll holds an O_PATH descriptor for every inode the kernel has
# looked up and not forgotten, i.e. every file of a walked tree: the full
# tree needs more than NFILES descriptors.  Raise the soft limit to what is
# needed if the hard limit (or privilege) allows; else walk only the
# $SMALL-file subset through it.
PLL_NOFILE=$((NFILES + NFILES / PERDIR + 1024))
PLL_FULL=
if [ -z "$PLL_NOTE" ] && (ulimit -n "$PLL_NOFILE") 2>/dev/null; then
	PLL_FULL=1
else
	PLL_NOFILE=$(ulimit -Hn)
	[ "$PLL_NOFILE" = unlimited ] && PLL_NOFILE=1048576
fi
PLL_NOFULL="not measured: passthrough_ll needs one open descriptor per cached inode, more than $(group "$NFILES"); RLIMIT_NOFILE hard limit here: $(ulimit -Hn), cannot be raised"
[ -z "$PLL_NOTE" ] && pll_mount auto
declare -A WDIR=([famfs]=$WORK/mnt [pll]=$WORK/pmnt/tree [tmpfs]=$WORK/tmpfs/tree)
declare -A WT WTICKS
kinds=(famfs tmpfs)
[ -z "$PLL_NOTE" ] && kinds=(famfs pll tmpfs)
for scope in "$NFILES" "$SMALL"; do
	ks=()
	for k in "${kinds[@]}"; do
		[ "$k" = pll ] && [ "$scope" = "$NFILES" ] && [ -z "$PLL_FULL" ] &&
			continue
		ks+=("$k")
		walk "${WDIR[$k]}" "$scope"	# warm-up
		: >"$WORK/w.$k"
	done
	for ((r = 1; r <= RUNS; r++)); do	# in turn: noise hits all alike
		for k in "${ks[@]}"; do
			t0=$(cpu_ticks "$LARGE_PID")
			walk "${WDIR[$k]}" "$scope"
			echo "$WALL" >>"$WORK/w.$k"
			if [ "$k" = famfs ]; then
				t1=$(cpu_ticks "$LARGE_PID")
				WTICKS[$scope]=$((${WTICKS[$scope]:-0} + t1 - t0))
			fi
		done
	done
	for k in "${ks[@]}"; do
		WT[$k.$scope]=$(median <"$WORK/w.$k")
	done
done
unmount "$WORK/mnt" "$LARGE_PID"

echo "## (d) stat of every file: famfs vs passthrough_ll vs tmpfs"
echo
echo "\`find DIR... -type f -printf '%s\\n'\`: reads every directory and lstat()s every"
echo "file (4 KiB files, $PERDIR per directory; the count and the sum of sizes are"
echo "checked).  Median of $RUNS walks after a warm-up walk, the trees walked in turn."
echo "famfs: the $(group "$NFILES")-file image of (c), default mount options (entry and"
echo "attribute timeout 1 year).  passthrough_ll: libfuse $(pkg-config --modversion fuse3 2>/dev/null)'s"
echo "example/passthrough_ll.c built -O2 against the system libfuse3, \`-o"
echo "source=TMPFS,cache=auto\` (1 s timeouts), serving the same tree (same names,"
echo "sparse 4 KiB files) from tmpfs.  tmpfs: the same tree, no FUSE (the floor)."
echo "The $(group "$SMALL")-file rows walk d00..d$(printf '%02d' $((SMALL / PERDIR - 1))) of the same trees."
echo
echo "| files walked | famfs (ms) | passthrough_ll (ms) | tmpfs (ms) | passthrough_ll / famfs (target >= 1.0) | famfs / tmpfs (target <= 1.1) |"
echo "|---:|---:|---:|---:|---:|---:|"
for scope in "$NFILES" "$SMALL"; do
	f=${WT[famfs.$scope]} t=${WT[tmpfs.$scope]} p=${WT[pll.$scope]:-}
	if [ -n "$p" ]; then
		pcol=$(ms "$p")
		ratio=$(calc "sprintf(\"%.2f\", $p / $f)")
	else
		pcol="not measured (see below)"
		ratio="-"
	fi
	echo "| $(group "$scope") | $(ms "$f") | $pcol | $(ms "$t") | $ratio | $(calc "sprintf(\"%.2f\", $f / $t)") |"
done
echo
echo "| files walked | famfs server CPU per walk, user + system (ms) |"
echo "|---:|---:|"
for scope in "$NFILES" "$SMALL"; do
	echo "| $(group "$scope") | $(calc "sprintf(\"%.0f\", ${WTICKS[$scope]} * 1000 / $(getconf CLK_TCK) / $RUNS)") |"
done
echo
echo "| files walked | famfs files/s | passthrough_ll files/s | tmpfs files/s |"
echo "|---:|---:|---:|---:|"
for scope in "$NFILES" "$SMALL"; do
	row="| $(group "$scope")"
	for k in famfs pll tmpfs; do
		v=${WT[$k.$scope]:-}
		if [ -n "$v" ]; then
			row+=" | $(group "$(calc "sprintf(\"%.0f\", $scope / $v)")")"
		else
			row+=" | -"
		fi
	done
	echo "$row |"
done
echo
if [ -n "$PLL_NOTE" ]; then
	echo "passthrough_ll: not measured: $PLL_NOTE"
	echo
elif [ -z "$PLL_FULL" ]; then
	echo "passthrough_ll at $(group "$NFILES") files: $PLL_NOFULL."
	echo
fi

# --- (e) sequential reads ---------------------------------------------------
fam_mount "$WORK/data.img" "$WORK/mnt"
fill "$WORK/mnt/big"
off=$(ctl "$WORK/mnt" 6 big | sed -n 's/.*"offset":\([0-9]*\).*/\1/p')
next=$(ctl "$WORK/mnt" 6 big | sed -n 's/.*"len":\([0-9]*\).*/\1/p' | head -n1)
[ -n "$off" ] && [ "${next:-0}" -ge $((1 << 30)) ] ||
	die "GETMAP of big: no single extent of 1 GiB"
cmp -n $((1 << 20)) "$WORK/mnt/big" "$WORK/tmpfs/data/big" ||
	die "famfs big does not hold what was written"

SZ=$((1 << 30))
read1g() {	# read1g FILE [SKIP]: dd 1 GiB in RBS blocks; sets WALL
	measure dd if="$1" of=/dev/null bs="$RBS" iflag=skip_bytes,count_bytes \
		skip="${2:-0}" count="$SZ"
	grep -q "^$SZ bytes" "$WORK/err" || die "dd of $1 did not read 1 GiB"
}
declare -A RT
rkinds=(famfs direct)
[ -z "$PLL_NOTE" ] && rkinds=(famfs pll direct)
for k in "${rkinds[@]}"; do
	: >"$WORK/r.$k"
done
SRV_TICKS=0
READS0=$(ctl "$WORK/mnt" 3 | json reads)
for ((r = 0; r <= RUNS; r++)); do	# run 0 is the warm-up
	for k in "${rkinds[@]}"; do
		case $k in
		famfs)
			t0=$(cpu_ticks "$SPID")
			read1g "$WORK/mnt/big"
			SRV_TICKS=$((SRV_TICKS + $(cpu_ticks "$SPID") - t0)) ;;
		pll) read1g "$WORK/pmnt/data/big" ;;
		direct) read1g "$WORK/data.img" "$off" ;;
		esac
		[ "$r" -gt 0 ] && echo "$WALL" >>"$WORK/r.$k"
	done
done
for k in "${rkinds[@]}"; do
	RT[$k]=$(median <"$WORK/r.$k")
done
READS=$(( $(ctl "$WORK/mnt" 3 | json reads) - READS0 ))
dpath=$(ctl "$WORK/mnt" 3 | json data_path)
mbs() { calc "sprintf(\"%.0f\", $SZ / $1 / 1e6)"; }

echo "## (e) sequential $RBS reads of a 1 GiB file"
echo
echo "\`dd if=FILE of=/dev/null bs=$RBS\` (1 GiB), median of $RUNS after one warm-up read, the"
echo "three sources read in turn; MB/s = 2^30 bytes / median wall time of the whole"
echo "command, in 10^6 bytes/s."
echo "famfs: a 1 GiB file (one extent, default geometry) filled with non-zero"
echo "data through the mount; data path \`$dpath\` (without DAX the server answers"
echo "every read from its mapping of the image, direct I/O: no page cache)."
echo "passthrough_ll: the same bytes in a tmpfs file, \`cache=auto\` (the kernel"
echo "page cache of the FUSE file is dropped at each open).  direct: \`dd\` of the"
echo "file's extent in the image file (\`skip=\` its offset), page cache warm."
echo
echo "| source | MB/s | median time (ms) |"
echo "|---|---:|---:|"
for k in "${rkinds[@]}"; do
	case $k in
	famfs) what="famfs mount" ;;
	pll) what="passthrough_ll over tmpfs, cache=auto" ;;
	direct) what="image file directly" ;;
	esac
	echo "| $what | $(mbs "${RT[$k]}") | $(ms "${RT[$k]}") |"
done
echo
echo "| ratio (throughput) | value |"
echo "|---|---:|"
[ -z "$PLL_NOTE" ] &&
	echo "| famfs / passthrough_ll | $(calc "sprintf(\"%.2f\", ${RT[pll]} / ${RT[famfs]})") |"
echo "| famfs / direct (target >= 0.9) | $(calc "sprintf(\"%.2f\", ${RT[direct]} / ${RT[famfs]})") |"
echo
echo "| famfs server, per 1 GiB read (all $((RUNS + 1)) reads) | value |"
echo "|---|---:|"
echo "| READ requests | $(calc "sprintf(\"%.0f\", $READS / ($RUNS + 1))") |"
echo "| server CPU time, user + system (ms) | $(calc "sprintf(\"%.0f\", $SRV_TICKS * 1000 / $(getconf CLK_TCK) / ($RUNS + 1))") |"
echo
unmount "$WORK/mnt" "$SPID"
if [ -z "$PLL_NOTE" ]; then
	unmount "$WORK/pmnt" "$PPID_"
fi

# --- (f) famfs creat ----------------------------------------------------------
echo "## (f) famfs creat"
echo
if ! "$FAMFS" help creat >/dev/null 2>&1; then
	echo "| figure | value |"
	echo "|---|---|"
	echo "| one \`famfs creat -s 4k\`, end to end | not measured: famfs creat not built |"
	echo "| bulk \`famfs creat -M\`, $(group "$CREAT_BULK") files | not measured: famfs creat not built |"
	echo
else
	mkimg "$WORK/creat.img" 1 --alloc-unit 4K
	bounded "$TESTGEN" "$WORK/creat.img" mkdir one bulk
	fam_mount "$WORK/creat.img" "$WORK/mnt"
	: >"$WORK/times"
	for ((i = 0; i < CREAT_ONE; i++)); do
		measure "$FAMFS" creat -s 4k "$WORK/mnt/one/f$i"
		echo "$WALL" >>"$WORK/times"
	done
	C1=$(median <"$WORK/times")
	C1MIN=$(sort -g "$WORK/times" | head -n1)
	C1MAX=$(sort -g "$WORK/times" | tail -n1)
	total=0
	: >"$WORK/batches"
	for ((i = 0; i < CREAT_BULK; i += CREAT_BATCH)); do
		args=()
		for ((j = i; j < i + CREAT_BATCH && j < CREAT_BULK; j++)); do
			args+=(-M "$WORK/mnt/bulk/f$j,4k")
		done
		measure "$FAMFS" creat "${args[@]}"
		total=$(calc "$total + $WALL")
		echo "$WALL" >>"$WORK/batches"
	done
	n=$(find "$WORK/mnt/bulk" -type f | wc -l)
	[ "$n" = "$CREAT_BULK" ] || die "bulk creat made $n files, expected $CREAT_BULK"
	unmount "$WORK/mnt" "$SPID"
	echo "A fresh image (1 GiB, 4 KiB allocation unit, default log) mounted; the"
	echo "parent directories are made by famfs-testgen before the mount."
	echo
	echo "| figure | measured | target |"
	echo "|---|---:|---:|"
	echo "| one \`famfs creat -s 4k MNT/one/fN\`, process start to exit: median of $CREAT_ONE (min, max) | $(ms "$C1") ms ($(ms "$C1MIN"), $(ms "$C1MAX")) | <= 5 ms |"
	echo "| \`famfs creat -M PATH,4k ...\`, $(group "$CREAT_BULK") files in batches of $CREAT_BATCH | $(group "$(calc "sprintf(\"%.0f\", $CREAT_BULK / $total)")") files/s ($(ms "$total") ms) | >= 5,000 files/s |"
	b1=$(head -n1 "$WORK/batches") bn=$(tail -n1 "$WORK/batches")
	echo "| the same, first batch / last batch | $(group "$(calc "sprintf(\"%.0f\", $CREAT_BATCH / $b1)")") / $(group "$(calc "sprintf(\"%.0f\", $CREAT_BATCH / $bn)")") files/s | |"
	echo
fi

echo "Run time of bench/fuse.sh: ${SECONDS} s (making the images: ${t_setup} s); load"
echo "average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
echo
