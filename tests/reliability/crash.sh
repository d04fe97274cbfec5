#!/usr/bin/env bash
# Crash consistency: famfs creat, cp, mkdir and devadd run against a real
# FUSE mount of an image file and are stopped at random points, CRASH_STOPS
# times (default 200; the full run uses 1000 or more), in three ways:
#
#   kill-server  kill -9 of the FUSE server (the process that appends to
#                the log) at a random time while the commands run
#   fault        the server is the test build build/fault/famfs-fault-asan
#                started with FAMFS_FAULT_META_BYTES=N: it stores only the
#                first N bytes of log metadata (entry, zeroed window, tail
#                record) and SIGKILLs itself, torn inside a store
#   kill-cli     kill -9 of the running famfs command (the server lives)
#
# After each stop: fsck is clean, or reports only a torn tail (uncommitted
# entry, garbage after the tail, one damaged tail record) that
# `fsck --repair` removes, after which it is clean (on every other torn
# round the repair is left to the next mount's appends instead).  A new
# mount replays exactly what was committed: every command that exited 0
# is there with its type and size, the interrupted one is either whole or
# absent (never another size), nothing else exists.  Where the fault hook
# says where it cut, the rule is exact: cut in the entry or the zeroed
# window (or in the tail record an append first rewrites when the last
# crash left one damaged, "heal") = absent; cut inside the tail record
# that publishes the entry = present (the entry was flushed before that
# write began, and the older, intact record rolls forward over it).
# A client mount (a second host identity) lists the namespace in a loop
# all through each round: no listing may fail while the master appends and
# dies, and after the stop it shows exactly what the fresh replay shows.
# A sample of old files is read back every round (famfs verify, cmp) and
# every file at the end, while new files keep being allocated after each
# crash: the allocator never hands out the space of a committed file
# (fsck's cross-link check says the same every round).
#
# devadd (one round in DEVADD_EVERY=4 has one, at a random place) adds a
# fresh 64 MiB sparse spare image of the primary's directory, where every
# server and fsck finds it by UUID.  The replayed device table (famfs
# status --json: index and UUID) must be the committed devices in order,
# each with the UUID of its spare's superblock: no index gap, no UUID
# twice, the interrupted devadd whole or absent.  After a round that adds
# one, a file interleaved over all devices is created and read back, and
# every device must then be found at its spare's path.  An absent devadd
# is re-run on the same spare at once, under the rule of docs/format.md
# section 18: the spare may hold a secondary superblock that no log entry
# names, or a torn one; a plain devadd then refuses it and leaves it
# unchanged, and devadd -f must add it (a cut before the superblock write
# leaves the spare blank: plain devadd must add it; a cut after it in the
# entry, zeroed window or heal: plain devadd must name the interrupted
# devadd).  A filesystem with DEVS_MAX=8 devices is checked whole (every
# file read back, fsck, each device used) and a new one is made (famfs
# status lists the devices in a reply of 3 KiB: about 12 at these paths).
#
#   CRASH_STOPS=1000 tests/reliability/crash.sh      full run
#   CRASH_SEED=N     replay a run (bash RANDOM seed; printed at the start)
#   CRASH_KEEP=1     keep the work directory
#   CRASH_AU=64k     the allocation unit (default: 64k for an even seed,
#                    4k for an odd one).  A unit above 4 KiB makes a PACKED
#                    filesystem, where files below the unit share units at
#                    4 KiB granularity (most of the draw's 1..65 KiB files
#                    at 64k); 4k has nothing to pack.  Interleave chunk =
#                    the unit.
#
# A command is one line of CMDS below: its name, the kind of object it
# makes (file: the test stream of @SEED; copy: a copy of @SRC; dir; device:
# the spare image @DEV) and its argv with @PATH @SIZE @SEED @SRC @MNT @DEV
# filled in.  A command of a new kind also needs that kind's case in
# op_line (how it shows in the replayed namespace) and verify_line (how it
# is read back).  Commands of kind device are not in the common draw: see
# DEVADD_EVERY.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
BUILD=$(cd "${BUILD:-$root/build}" && pwd)
# FAMFS_BIN: another build for every famfs process but the fault server
# (tests/incoherent)
FAMFS=$(realpath "${FAMFS_BIN:-$BUILD/famfs}")
FAULT=$BUILD/fault/famfs-fault-asan
STOPS=${CRASH_STOPS:-200}
SEED=${CRASH_SEED:-$(( $(date +%s) % 32768 ))}
AU=${CRASH_AU:-$( [ $((SEED % 2)) = 0 ] && echo 64k || echo 4k )}
RANDOM=$SEED

CMDS=(
	"creat file $FAMFS creat -r -S @SEED -s @SIZE @PATH"
	"cp    copy $FAMFS cp -t 0 @SRC @PATH"
	"mkdir dir  $FAMFS mkdir @PATH"
	"devadd device $FAMFS devadd @MNT @DEV"
)
DEVADD_EVERY=${DEVADD_EVERY:-4}
DEVS_MAX=${DEVS_MAX:-8}
SPARE_SIZE=64M

for b in "$FAMFS" "$FAULT"; do
	[ -x "$b" ] || { echo "crash: $b is not built (make all fault)"; exit 1; }
done
# the hook is in the test build only
if grep -q FAMFS_FAULT_META_BYTES "$FAMFS" || ! grep -q FAMFS_FAULT_META_BYTES "$FAULT"; then
	echo "crash: the fault hook must be in $FAULT and only there"
	echo "crash: 0 passed, 1 failed"
	exit 1
fi
W=$(mktemp -d "${TMPDIR:-/tmp}/famfs-crash.XXXXXX")
MNT=$W/mnt DEVDIR=$W/dev IMG=$W/dev/img CMNT=$W/cmnt
export FAMFS_SYSTEM_UUID_FILE=$W/hostid
export ASAN_OPTIONS=detect_leaks=0
mkdir -p "$MNT" "$CMNT" "$W/src" "$DEVDIR"
# shellcheck source=tests/reliability/rlib.sh
. "$here/rlib.sh"

cleanup() {
	umount_all "$CMNT" "$MNT"
	if [ "${CRASH_KEEP:-0}" = 1 ] || [ "$FAILED" = 1 ]; then
		echo "crash: work directory kept: $W"
	else
		rm -rf "$W"
	fi
}
FAILED=0
trap cleanup EXIT
trap 'exit 143' TERM INT HUP

die() {
	FAILED=1
	echo "crash: FAIL (round $ROUND, $KIND, seed $SEED): $*"
	[ -f "$W/out" ] && sed 's/^/     | /' "$W/out" | head -n 30
	cp --sparse=always "$IMG" "$W/fail.img" 2>/dev/null
	echo "crash: 0 passed, 1 failed"
	exit 1
}

sleep_ms() { sleep "$(printf '0.%03d' "$1")"; }

# ---------------------------------------------------------------- model
# committed.lst: "path f size" / "path d", one line per committed object
# data.lst: "path file SEED" / "path copy SRC" / "spare device INDEX",
# content to read back; devs.lst: the committed spares, in index order
# (NDEVS: the devices of the filesystem, the primary included)
new_model() {
	: >"$W/committed.lst"
	: >"$W/data.lst"
	: >"$W/devs.lst"
	DIRS=("")
	NDEVS=1
}
new_model
NEXT=0
SRCS=()
for s in 1 4095 4096 70000 300000; do
	head -c "$s" /dev/urandom >"$W/src/s$s"
	SRCS+=("$W/src/s$s")
done

# one op line of the plan: id cmd kind path size seed src; with an
# argument "device": a command of kind device, else one of the others
plan_op() {
	local c parent name size src
	local -a f
	while :; do
		c=${CMDS[RANDOM % ${#CMDS[@]}]}
		read -ra f <<<"$c"
		[ "${1:-}" = device ] && [ "${f[1]}" = device ] && break
		[ "${1:-}" != device ] && [ "${f[1]}" != device ] && break
	done
	parent=${DIRS[RANDOM % ${#DIRS[@]}]}
	name=${parent:+$parent/}n$NEXT
	src=${SRCS[RANDOM % ${#SRCS[@]}]}
	case ${f[1]} in
	file) size=$(( (RANDOM % 64 + 1) * 1024 + RANDOM % 1000 )) ;;
	copy) size=$(stat -c %s "$src") ;;
	device)
		name=spare$NEXT size=0
		truncate -s "$SPARE_SIZE" "$DEVDIR/$name"
		;;
	*) size=0 ;;
	esac
	echo "$NEXT ${f[0]} ${f[1]} $name $size $((RANDOM * 32768 + RANDOM + 1)) $src"
	NEXT=$((NEXT + 1))
}

# argv of an op line (@-fields filled in), one word per line
op_argv() {
	local id=$1 cmd=$2 path=$4 size=$5 seed=$6 src=$7 c w
	for c in "${CMDS[@]}"; do
		read -ra w <<<"$c"
		[ "${w[0]}" = "$cmd" ] || continue
		for a in "${w[@]:2}"; do
			a=${a//@PATH/$MNT/$path}
			a=${a//@MNT/$MNT}
			a=${a//@DEV/$DEVDIR/$path}
			a=${a//@SIZE/$size}
			a=${a//@SEED/$seed}
			printf '%s\n' "${a//@SRC/$src}"
		done
	done
}

# The commands of a round, in the background: journal "S id" before a
# command, "D id" when it exits 0, "F id rc" when it fails (and stop).
workload() {
	local -a argv
	while read -r op; do
		read -ra f <<<"$op"
		mapfile -t argv < <(op_argv "${f[@]}")
		echo "S ${f[0]}" >>"$W/journal"
		(echo "$BASHPID" >"$W/cli.pid"; exec "${argv[@]}") \
			>>"$W/cli.log" 2>&1 </dev/null
		rc=$?
		if [ $rc -ne 0 ]; then
			echo "F ${f[0]} $rc" >>"$W/journal"
			break
		fi
		echo "D ${f[0]}" >>"$W/journal"
	done <"$W/plan"
	rm -f "$W/cli.pid"
}

# ---------------------------------------------------------------- a round
declare -A COUNT
count() { COUNT[$1]=$(( ${COUNT[$1]:-0} + 1 )); }

mount_img() {
	if [ "$KIND" = fault ]; then
		FAMFS_FAULT_META_BYTES=$1 FAMFS_FAULT_MARK=$W/mark \
			"$FAULT" mount "$IMG" "$MNT" >"$W/out" 2>&1
	else
		"$FAMFS" mount "$IMG" "$MNT" >"$W/out" 2>&1
	fi || die "mount failed"
}

in_flight() { [ "$(tail -n 1 "$W/journal" 2>/dev/null | cut -c1)" = S ]; }

# Stop the round as $KIND says; prints nothing, counts the stop.
stop_round() {
	local pid=$1 nops=$2 wpid=$3 cli
	case $KIND in
	kill-server)
		sleep_ms $((RANDOM % (nops * 30)))
		if in_flight; then count "kill-server: command in flight"
		else count "kill-server: between commands"; fi
		kill -9 "$pid"
		STOPPED=1
		;;
	kill-cli)
		sleep_ms $((RANDOM % (nops * 12)))
		cli=$(cat "$W/cli.pid" 2>/dev/null)
		if [ -n "$cli" ] && kill -9 "$cli" 2>/dev/null; then
			count "kill-cli: command killed"
			STOPPED=1
		else
			count "kill-cli: no command left to kill (not a stop)"
		fi
		;;
	fault)
		wait "$wpid"
		if [ -s "$W/mark" ]; then
			read -r what cut_at _ <"$W/mark"
			if [ "$cut_at" = 0 ]; then CUT="$what before its first byte"
			else CUT="$what torn"; fi
			count "fault: $CUT"
			STOPPED=1
		else
			count "fault: budget not reached, kill -9 after the commands"
			kill -9 "$pid"
			STOPPED=1
		fi
		;;
	esac
}

# fsck after the stop: clean, or only a torn tail that --repair removes
check_fsck() {
	local rc codes c
	"$FAMFS" fsck -j "$IMG" >"$W/out" 2>&1
	rc=$?
	if [ $rc -eq 0 ]; then
		count "fsck: clean"
		LEFT=0
		return
	fi
	[ $rc -eq 4 ] || die "fsck exit $rc (expected 0 or 4)"
	# a living server leaves nothing torn (what an earlier round left
	# stays until an append or a repair)
	[ "$KIND" = kill-cli ] && [ "$LEFT" = 0 ] &&
		die "fsck found problems though the server lived"
	codes=$(grep -o '"code":"[a-z_]*"' "$W/out" | cut -d'"' -f4 | sort -u | tr '\n' ' ')
	for c in $codes; do
		case $c in
		uncommitted | tail_garbage | tail_slot) ;;
		*) die "fsck reports '$c' after a crash" ;;
		esac
	done
	count "fsck: torn tail (${codes% })"
	if [ $((RANDOM % 2)) = 0 ]; then
		count "fsck: torn tail left to the next mount"
		LEFT=1
		return
	fi
	"$FAMFS" fsck --repair "$IMG" >"$W/out" 2>&1
	rc=$?
	[ $rc -eq 1 ] || die "fsck --repair exit $rc (expected 1)"
	"$FAMFS" fsck "$IMG" >"$W/out" 2>&1 || die "fsck not clean after --repair"
	count "fsck: torn tail repaired, then clean"
	LEFT=0
}

# The device table of the server of MNT: "@dev INDEX UUID STATE [PATH]",
# one line per device the log names, from famfs status --json.
devices() {
	"$FAMFS" status --json "$1" 2>/dev/null |
		grep -o '{"index":[0-9]*,"uuid":"[0-9a-f-]*","size":[0-9]*,"state":"[a-z]*"[^}]*}' |
		sed -E 's/^\{"index":([0-9]+),"uuid":"([0-9a-f-]+)","size":[0-9]+,"state":"([a-z]+)",("path":"([^"]*)"|.*).*$/@dev \1 \2 \3 \5/'
}

listing() {	# [DIR]: the namespace under DIR (default: the master's
		# mount), then its device table (index and UUID)
	local m=${1:-$MNT}
	{
		(cd "$m" && find . -mindepth 1 -path ./.meta -prune -o \
			-type d -printf '%P d\n' -o -type f -printf '%P f %s\n' -o \
			-printf '%P other\n')
		devices "$m" | awk '$2 > 0 { print $1, $2, $3 }'
	} | LC_ALL=C sort
}

# The device UUID in the superblock at the start of FILE (0x030).
sb_uuid() {
	od -An -tx1 -j 48 -N 16 "$1" | tr -d ' \n' |
		sed -E 's/^(.{8})(.{4})(.{4})(.{4})(.{12})$/\1-\2-\3-\4-\5/'
}

op_line() {	# the committed.lst line of an op
	case $3 in
	dir) echo "$4 d" ;;
	device) echo "@dev $NDEVS $(sb_uuid "$DEVDIR/$4")" ;;
	*) echo "$4 f $5" ;;
	esac
}

commit_op() {	# id cmd kind path size seed src
	op_line "$@" >>"$W/committed.lst"
	case $3 in
	dir) DIRS+=("$4") ;;
	file) echo "$4 file $6" >>"$W/data.lst" ;;
	copy) echo "$4 copy $7" >>"$W/data.lst" ;;
	device)
		echo "$4 device $NDEVS" >>"$W/data.lst"
		echo "$4" >>"$W/devs.lst"
		NDEVS=$((NDEVS + 1))
		ADDED=1
		;;
	esac
}

# A device: the server lists its index with the UUID of the spare's
# superblock, found at the spare's path (or, with a 4th argument "lazy",
# not looked for yet: a secondary is opened by the first file that needs it)
verify_device() {	# spare index [lazy]
	local line
	line=$(devices "$MNT" | awk -v i="$2" '$2 == i')
	echo "device $2: '$line'" >"$W/out"
	[ -n "$line" ] && [ "$(sb_uuid "$DEVDIR/$1")" = "$(echo "$line" | cut -d' ' -f3)" ] || return 1
	[ "$line" = "@dev $2 $(sb_uuid "$DEVDIR/$1") found $DEVDIR/$1" ] && return 0
	[ "${3:-}" = lazy ] && [ "$(echo "$line" | cut -d' ' -f4)" = unresolved ]
}

verify_line() {	# path kind seed|src|index [lazy]
	case $2 in
	file) "$FAMFS" verify -q -t 0 -f "$MNT/$1" -S "$3" >"$W/out" 2>&1 ;;
	device) verify_device "$1" "$3" "${4:-}" ;;
	*) cmp "$3" "$MNT/$1" >"$W/out" 2>&1 ;;
	esac
}

plain_mount() {
	"$FAMFS" mount "$IMG" "$MNT" >"$W/out" 2>&1 || die "mount after the stop failed"
}

unmount() {	# unmount and wait for the server (pid $1) to be gone
	local i
	for i in 1 2 3 4 5; do
		mounted "$MNT" || break
		umount "$MNT" 2>/dev/null || sleep 0.05
	done
	mounted "$MNT" && die "cannot unmount $MNT"
	[ -z "$1" ] || wait_gone "$1" || die "server $1 still running after umount"
}

# The interrupted op (started, never exited 0) of the round, if any; the
# ones that exited 0 are committed to the model.
settle_journal() {
	local tag id
	MAYBE=
	while read -r tag id _; do
		case $tag in
		S) MAYBE=$(awk -v i="$id" '$1 == i' "$W/plan") ;;
		D) read -ra f <<<"$MAYBE"; commit_op "${f[@]}"; MAYBE= ;;
		esac
	done <"$W/journal"
}

# Where the fault hook cut decides whether the interrupted op is there.
fault_rule() {
	local present=$1
	[ "$KIND" = fault ] && [ -n "$CUT" ] && [ -n "$MAYBE" ] || return 0
	case $CUT in
	"tail torn") [ "$present" = 1 ] ||
		die "cut inside the tail record, but the entry did not roll forward" ;;
	*) [ "$present" = 0 ] || die "cut at '$CUT', yet the entry is visible" ;;
	esac
}

check_replay() {
	local present=0 pid k n line pick
	local -a f argv
	plain_mount
	pid=$(server_pid "$MNT")
	listing >"$W/got"
	LC_ALL=C sort "$W/committed.lst" >"$W/exp"
	if ! cmp -s "$W/got" "$W/exp"; then
		read -ra f <<<"$MAYBE"
		[ -n "$MAYBE" ] && op_line "${f[@]}" >>"$W/exp"
		LC_ALL=C sort -o "$W/exp" "$W/exp"
		diff "$W/exp" "$W/got" >"$W/out" ||
			die "replayed namespace is not the committed one (< expected, > replayed)"
		present=1
	fi
	fault_rule $present
	if [ -n "$MAYBE" ]; then
		read -ra f <<<"$MAYBE"
		count "$KIND interrupted ${f[1]}"
		if [ $present = 1 ]; then
			count "interrupted ${f[1]}: present, whole"
			commit_op "${f[@]}"
			# finish the data of a file whose fill was cut (restart)
			if [ "${f[2]}" = file ] || [ "${f[2]}" = copy ]; then
				mapfile -t argv < <(op_argv "${f[@]}")
				"${argv[@]}" >"$W/out" 2>&1 </dev/null ||
					die "re-running the interrupted ${f[1]} failed"
			fi
		elif [ "${f[2]}" = device ]; then
			readd_device "${f[@]}"
			commit_op "${f[@]}"
		else
			count "interrupted ${f[1]}: absent"
		fi
	fi
	n=$(wc -l <"$W/data.lst")
	for k in 1 2 3; do
		[ "$n" -gt 0 ] || break
		pick=$((RANDOM % n + 1))	# not in $(): a subshell reseeds RANDOM
		line=$(sed -n "${pick}p" "$W/data.lst")
		# shellcheck disable=SC2086
		verify_line $line lazy || die "old file or device changed: $line"
		count "old files and devices read back (sample)"
	done
	[ "$ADDED" = 1 ] && probe_devices
	unmount "$pid"
}

# The interrupted devadd is absent: re-run it on the same spare.  What the
# spare may hold follows from where the fault hook cut (docs/format.md 18).
readd_device() {	# id cmd kind spare ...
	local spare=$DEVDIR/$4 sum want=any held
	case $CUT in
	"kill "*) want=blank ;;
	"entry "* | "zero "* | "heal "*) want=orphan ;;
	esac
	sum=$(md5sum <"$spare")
	if "$FAMFS" devadd "$MNT" "$spare" >"$W/out" 2>&1; then
		[ "$want" = orphan ] &&
			die "devadd took a spare whose superblock was written before the cut ($CUT) without -f"
		count "interrupted devadd: absent; blank spare, re-added"
		return
	fi
	[ "$want" = blank ] && die "devadd refused a spare cut before its superblock ($CUT)"
	[ "$(md5sum <"$spare")" = "$sum" ] || die "a refused devadd changed the spare"
	if grep -q "an interrupted devadd); use -f" "$W/out"; then
		held="orphan superblock"
	elif grep -q "(damaged); use -f" "$W/out"; then
		held="torn superblock"
	else
		die "devadd refused the spare of an interrupted devadd for another reason"
	fi
	[ "$want" = orphan ] && [ "$held" = "torn superblock" ] &&
		die "the superblock was written before the cut ($CUT), yet it is torn"
	"$FAMFS" devadd -f "$MNT" "$spare" >"$W/out" 2>&1 ||
		die "devadd -f of the spare of an interrupted devadd failed"
	count "interrupted devadd: absent; $held refused, -f re-added"
}

# After a round that added a device: a file interleaved over every device
# is created and read back; then every device is found at its spare's path
# with its superblock's UUID, and no UUID is listed twice.
probe_devices() {
	local name=n$NEXT seed=$((RANDOM * 32768 + RANDOM + 1)) size i=1 spare
	NEXT=$((NEXT + 1))
	size=$((NDEVS * 2 * $(numfmt --from=iec "${AU^^}") + RANDOM % 4096 + 1))
	"$FAMFS" creat -N "$NDEVS" -C "$AU" -r -S "$seed" -s "$size" "$MNT/$name" \
		>"$W/out" 2>&1 || die "creat of a file over all $NDEVS devices failed"
	echo "$name f $size" >>"$W/committed.lst"
	echo "$name file $seed" >>"$W/data.lst"
	verify_line "$name" file "$seed" || die "the file over all $NDEVS devices does not read back"
	while read -r spare; do
		verify_device "$spare" $i || die "device $i ($spare) is not found with its UUID after a file used it"
		i=$((i + 1))
	done <"$W/devs.lst"
	[ -z "$(devices "$MNT" | awk '{ print $3 }' | sort | uniq -d)" ] ||
		die "a device UUID is listed twice: $(devices "$MNT")"
	count "devices: a file over all of them read back, each found"
}

# A second host (a client mount) lists the namespace all through the
# round: every listing must succeed while the master appends and dies, and
# after the stop the client must see what a fresh replay shows.
client_start() {
	rm -f "$W/client.stop"
	FAMFS_SYSTEM_UUID_FILE=$W/hostB "$FAMFS" mount "$IMG" "$CMNT" \
		>"$W/out" 2>&1 || die "client mount failed"
	CPID=$(server_pid "$CMNT")
	(
		n=0
		while [ ! -e "$W/client.stop" ]; do
			ls -R "$CMNT" >/dev/null 2>>"$W/client.err" ||
				echo "listing failed" >>"$W/client.err"
			n=$((n + 1))
		done
		echo "$n" >"$W/client.n"
	) &
	CPOLL=$!
}

client_stop() {
	touch "$W/client.stop"
	wait "$CPOLL"
	[ -s "$W/client.err" ] && { cp "$W/client.err" "$W/out"; die "the client's listing failed during the round"; }
	listing "$CMNT" >"$W/client.lst" 2>"$W/out" || die "the client's listing failed after the stop"
	umount "$CMNT" 2>>"$W/out" || die "cannot unmount the client"
	wait_gone "$CPID" || die "client server $CPID still running"
	COUNT["client: listings during the rounds"]=$(( ${COUNT["client: listings during the rounds"]:-0} + $(cat "$W/client.n") ))
	count "client: namespace after the stop = the replayed one"
}

one_round() {
	local nops pid wpid i budget dev=-1 r=$((RANDOM % 10))
	if [ $r -lt 4 ]; then KIND=kill-server
	elif [ $r -lt 8 ]; then KIND=fault
	else KIND=kill-cli; fi
	[ "$NDEVS" -ge "$DEVS_MAX" ] && new_filesystem
	nops=$((RANDOM % 5 + 1))
	[ $((RANDOM % DEVADD_EVERY)) = 0 ] && dev=$((RANDOM % nops))
	: >"$W/plan"
	for ((i = 0; i < nops; i++)); do
		if [ $i = $dev ]; then plan_op device; else plan_op; fi >>"$W/plan"
	done
	: >"$W/journal"
	rm -f "$W/mark" "$W/cli.pid"
	CUT='' STOPPED=0 ADDED=0
	# metadata bytes: about 150 an op, a devadd 1 KiB more (the old
	# superblock zeroed, the new one written: 512 bytes each)
	budget=$((RANDOM % (nops * 150 + (dev >= 0 ? 1024 : 0))))
	mount_img "$budget"
	pid=$(server_pid "$MNT")
	[ -n "$pid" ] || die "no server pid"
	client_start
	workload 2>/dev/null &
	wpid=$!
	stop_round "$pid" "$nops" "$wpid"
	wait "$wpid"
	client_stop
	unmount "$pid"
	check_fsck
	settle_journal
	check_replay
	cmp -s "$W/client.lst" "$W/got" ||
		die "the client saw another namespace after the stop: $(diff "$W/client.lst" "$W/got" | head -n 5)"
	count "rounds"
	[ "$STOPPED" = 1 ] && DONE=$((DONE + 1))
}

# Every file read back, then every device found, then the last fsck
# (repairing a torn tail first): clean, every device found and used.
final_check() {
	local path kind what pid n=0
	plain_mount
	pid=$(server_pid "$MNT")
	while read -r path kind what; do
		[ "$kind" = device ] && continue
		verify_line "$path" "$kind" "$what" || die "final read-back of $path ($kind)"
		n=$((n + 1))
	done <"$W/data.lst"
	while read -r path kind what; do
		[ "$kind" = device ] || continue
		verify_line "$path" "$kind" "$what" || die "final check of device $what ($path)"
	done <"$W/data.lst"
	FINAL_VERIFIED=$((FINAL_VERIFIED + n))
	COMMITTED=$((COMMITTED + $(wc -l <"$W/committed.lst")))
	unmount "$pid"
	"$FAMFS" fsck --repair "$IMG" >"$W/out" 2>&1
	"$FAMFS" fsck -j "$IMG" >"$W/out" 2>&1 || die "final fsck not clean"
	grep -o '"device_list":.*' "$W/out" | grep -o '{"index":[0-9]*,[^}]*}' >"$W/devlist"
	[ "$(grep -c '"state":"found"' "$W/devlist")" = "$NDEVS" ] ||
		die "fsck does not find the $NDEVS devices"
	grep -v '"index":0,' "$W/devlist" | grep -q '"used":0,' &&
		die "fsck finds a device that no file uses"
	return 0
}

# The filesystem has DEVS_MAX devices: check it whole, make a new one.
new_filesystem() {
	local k=$KIND
	KIND=filesystem-full
	final_check
	rm -f "$DEVDIR"/spare*
	"$FAMFS" mkfs -f -a "$AU" "$IMG" >"$W/out" 2>&1 || die "mkfs -f failed"
	new_model
	LEFT=0 KIND=$k
	count "filesystems with $DEVS_MAX devices checked whole, then a new one"
}

# ---------------------------------------------------------------- run
ROUND=0 KIND=setup DONE=0 LEFT=0 FINAL_VERIFIED=0 COMMITTED=0
truncate -s 1G "$IMG"
"$FAMFS" mkfs -a "$AU" "$IMG" >"$W/out" 2>&1 || die "mkfs failed"
grep -q "packed at 4K" "$W/out" && PACKED=", small files packed" || PACKED=
echo "crash: $STOPS stops, seed $SEED (CRASH_SEED=$SEED replays), unit $AU$PACKED, work $W"
T0=$(date +%s)
while [ $DONE -lt "$STOPS" ]; do
	ROUND=$((ROUND + 1))
	one_round
	[ $((ROUND % 100)) = 0 ] && echo "crash: round $ROUND, $DONE stops, $(( $(date +%s) - T0 )) s"
done
KIND=final
final_check
T1=$(date +%s)
for k in "${!COUNT[@]}"; do
	printf '  %-62s %6d\n' "$k" "${COUNT[$k]}"
done | LC_ALL=C sort
echo "crash: $DONE stops in $ROUND rounds, $(( T1 - T0 )) s;" \
	"$COMMITTED objects committed," \
	"$FINAL_VERIFIED files read back at the end of the $(( ${COUNT["filesystems with $DEVS_MAX devices checked whole, then a new one"]:-0} + 1 )) filesystem(s)"
echo "crash: 1 passed, 0 failed"
