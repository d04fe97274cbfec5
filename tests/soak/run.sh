#!/usr/bin/env bash
# Soak: a bounded mixed workload against one master server, with the
# server's memory sampled.
#
#   SOAK_SECONDS=60 tests/soak/run.sh      (FAMFS=binary, default build/famfs)
#
# Two mounts of one image: A, the master (host A), serves the whole run;
# B, a client (another host identity), is remounted every SOAK_REMOUNT
# seconds (default 15).  Each round: famfs creat -M of 4 files filled
# with seeded data (a new directory every 200 files, famfs mkdir), famfs
# cp of a random local file, famfs verify of 2 earlier files through A
# and 2 through B, cmp of an earlier copied file through B; every 5th
# round famfs logplay on B and a check that B lists as many names as A.
# Any failed command is an error.
#
# Every SOAK_SAMPLE seconds (default 2) the master server's VmRSS,
# RssAnon and RssFile are read from /proc/PID/status.  RssFile is the
# page cache of the mapped image (the fallback data path reads and writes
# through it), bounded by the data touched and reclaimable, so the bound
# is on RssAnon (the heap, where a leak would show):
#   after a warm-up (the first max(10 s, 10 %) of the run), RssAnon grows
#   by at most 4 MiB + 1 KiB per file created after the warm-up.
# Each file costs the server one namespace node (~100 bytes), its path
# (< 40 bytes here) and its map (~70 bytes), plus its share of the hash
# tables that double as they grow: well under 1 KiB; the 4 MiB covers
# heap pages and the per-thread arenas FUSE worker threads touch.
#
# Passes when no command failed, fsck of the image is clean afterwards
# with every created file, and the bound holds.  Prints the figures and
# one line "soak: N passed, N failed".
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
FAMFS=${FAMFS:-$root/build/famfs}
SECS=${SOAK_SECONDS:-60}
SAMPLE=${SOAK_SAMPLE:-2}
REMOUNT=${SOAK_REMOUNT:-15}
[ -x "$FAMFS" ] || { echo "soak: $FAMFS is not built"; echo "soak: 0 passed, 1 failed"; exit 1; }

dir=$(mktemp -d /tmp/famfs-soak.XXXXXX)
HA=$dir/hostA/system_uuid
HB=$dir/hostB/system_uuid
mkdir -p "$dir/hostA" "$dir/hostB" "$dir/A" "$dir/B" "$dir/src"
SAMPLER=
# shellcheck disable=SC2317  # runs from the trap
cleanup() {
	[ -n "$SAMPLER" ] && kill "$SAMPLER" 2>/dev/null
	for m in "$dir/B" "$dir/A"; do
		mountpoint -q "$m" && { umount "$m" 2>/dev/null || umount -l "$m"; }
	done
	[ -n "${KEEP:-}" ] || rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 143' TERM INT HUP
# shellcheck disable=SC2317  # called through run
onA() { FAMFS_SYSTEM_UUID_FILE=$HA "$@"; }
# shellcheck disable=SC2317
onB() { FAMFS_SYSTEM_UUID_FILE=$HB "$@"; }
cd "$dir" || exit 1

ERRS=0
err() {
	ERRS=$((ERRS + 1))
	[ $ERRS -le 20 ] && echo "error: $*"
}
# run WHAT CMD...: a command that must succeed (output kept on failure)
run() {
	local what=$1
	shift
	"$@" >"$dir/out.txt" 2>&1 ||
		{ err "$what: $* (exit $?): $(head -c 300 "$dir/out.txt")"; return 1; }
}
srv_pid() {	# the server's pid from famfs status (the "server pid" line)
	"$FAMFS" status "$1" 2>/dev/null | awk '/server pid/ { print $3 }'
}
wait_gone() {
	local i
	for ((i = 0; i < 100; i++)); do
		[ -d "/proc/$1" ] || return 0
		sleep 0.05
	done
	return 1
}

truncate -s 4G img
run mkfs onA "$FAMFS" mkfs -a 64K -l 64M img || exit 1
run "mount A" onA "$FAMFS" mount img A || exit 1
run "mount B" onB "$FAMFS" mount img B || exit 1
PID_A=$(srv_pid A)
[ -n "$PID_A" ] || { echo "soak: no server pid for A"; echo "soak: 0 passed, 1 failed"; exit 1; }

# ---- the sampler: t_ms files vmrss rssanon rssfile (kB) -----------------------
echo 0 >files.count
(
	t0=$(date +%s%N)
	while [ -d "/proc/$PID_A" ]; do
		awk -v t=$((($(date +%s%N) - t0) / 1000000)) -v f="$(cat files.count)" '
			/^VmRSS:/ { v = $2 } /^RssAnon:/ { a = $2 } /^RssFile:/ { r = $2 }
			END { if (v && f != "") print t, f, v, a, r }' "/proc/$PID_A/status" >>rss.samples 2>/dev/null
		sleep "$SAMPLE"
	done
) &
SAMPLER=$!

# ---- the workload -----------------------------------------------------------------
declare -a NAMES SEEDS CPS
n_creat=0 n_files=0 n_cp=0 n_mkdir=0 n_vA=0 n_vB=0 n_cmpB=0 n_logplay=0
n_list=0 n_remount=0 round=0 d=-1
start=$(date +%s)
last_remount=$start
RANDOM=7
while [ $(($(date +%s) - start)) -lt "$SECS" ]; do
	round=$((round + 1))
	if [ $((n_files / 200)) -ne "$d" ]; then
		d=$((n_files / 200))
		run mkdir onA "$FAMFS" mkdir "A/d$d" && n_mkdir=$((n_mkdir + 1))
	fi
	args=()
	names=()
	for i in 0 1 2 3; do
		k=$((n_files + i))
		seed=$((k + 1))
		args+=(-M "f$k,$((4096 * (1 + RANDOM % 64))),$seed")
		names+=("d$d/f$k")
	done
	# in the directory (creat -M names are relative), in this shell: a
	# failure must reach ERRS
	pushd "A/d$d" >/dev/null || err "cd A/d$d"
	run creat onA "$FAMFS" creat "${args[@]}"
	rc=$?
	popd >/dev/null || err "cd back from A/d$d"
	if [ "$rc" = 0 ]; then
		for i in 0 1 2 3; do
			NAMES+=("${names[$i]}")
			SEEDS+=($((n_files + i + 1)))
		done
		n_creat=$((n_creat + 1))
		n_files=$((n_files + 4))
	fi
	echo "$n_files" >files.count.new && mv files.count.new files.count
	head -c $((1 + RANDOM * 8)) /dev/urandom >"src/c$round"
	if run cp onA "$FAMFS" cp "src/c$round" "A/d$d/c$round"; then
		CPS+=("d$d/c$round")
		n_cp=$((n_cp + 1))
	fi
	for i in 1 2; do
		[ ${#NAMES[@]} -gt 0 ] || break
		j=$((RANDOM % ${#NAMES[@]}))
		run "verify A" "$FAMFS" verify -f "A/${NAMES[$j]}" -S "${SEEDS[$j]}" && n_vA=$((n_vA + 1))
		j=$((RANDOM % ${#NAMES[@]}))
		run "verify B" onB "$FAMFS" verify -f "B/${NAMES[$j]}" -S "${SEEDS[$j]}" && n_vB=$((n_vB + 1))
	done
	if [ ${#CPS[@]} -gt 0 ]; then
		c=${CPS[$((RANDOM % ${#CPS[@]}))]}
		run "cmp B" cmp "src/${c##*/}" "B/$c" && n_cmpB=$((n_cmpB + 1))
	fi
	if [ $((round % 5)) -eq 0 ]; then
		run "logplay B" onB "$FAMFS" logplay B && n_logplay=$((n_logplay + 1))
		a=$(find A -path A/.meta -prune -o -print | wc -l)
		b=$(find B -path B/.meta -prune -o -print | wc -l)
		if [ "$a" = "$b" ]; then
			n_list=$((n_list + 1))
		else
			err "A lists $a names, B $b"
		fi
	fi
	if [ $(($(date +%s) - last_remount)) -ge "$REMOUNT" ]; then
		pb=$(srv_pid B)
		run "umount B" umount B && wait_gone "$pb" &&
			run "mount B" onB "$FAMFS" mount img B && n_remount=$((n_remount + 1))
		last_remount=$(date +%s)
	fi
done
secs=$(($(date +%s) - start))
kill "$SAMPLER" 2>/dev/null
wait "$SAMPLER" 2>/dev/null
SAMPLER=

# ---- afterwards: fsck, figures, the bound --------------------------------------------
run "umount B" umount B
run "umount A" umount A
wait_gone "$PID_A" || err "server A still running after umount"
onA "$FAMFS" fsck --json img >fsck.json 2>&1
fsck_files=$(sed -n 's/.*"files": *\([0-9]*\).*/\1/p' fsck.json)
grep -q '"clean": *true' fsck.json || err "fsck is not clean: $(head -c 400 fsck.json)"
[ "$fsck_files" = $((n_files + n_cp)) ] ||
	err "fsck counts ${fsck_files:-?} files, the workload made $((n_files + n_cp))"

warm=$((SECS / 10 > 10 ? SECS / 10 : 10))
read -r verdict figures < <(awk -v warm=$((warm * 1000)) '
	NF == 5 { n++; if (n == 1 || $3 < vmin) vmin = $3; if ($3 > vmax) vmax = $3
	  vlast = $3; alast = $4; flast = $5
	  if ($1 >= warm) {
		if (!b) { b = 1; a0 = $4; f0 = $2; amax = $4 }
		if ($4 > amax) amax = $4; fend = $2
	  } }
	END {
		if (!b) { print "FAIL no sample after the warm-up"; exit }
		grow = amax - a0; files = fend - f0
		bound = 4096 + files
		printf "%s samples=%d vmrss_kb_min=%d vmrss_kb_max=%d vmrss_kb_final=%d rssanon_kb_after_warmup=%d rssanon_kb_max=%d rssanon_kb_final=%d rssfile_kb_final=%d anon_growth_kb=%d files_after_warmup=%d bound_kb=%d\n",
			(grow <= bound ? "PASS" : "FAIL"), n, vmin, vmax, vlast, a0,
			amax, alast, flast, grow, files, bound
	}' rss.samples)
echo "soak: ${secs} s, $round rounds, FAMFS=$FAMFS"
echo "  ops: creat -M $n_creat ($n_files files), cp $n_cp, mkdir $n_mkdir, verify via A $n_vA, verify via B $n_vB, cmp via B $n_cmpB, logplay B $n_logplay, listings equal $n_list, remounts of B $n_remount"
echo "  fsck: ${fsck_files:-?} files, $(grep -q '"clean": *true' fsck.json && echo clean || echo NOT clean)"
echo "  memory of the master server (pid $PID_A): $figures"
echo "  errors: $ERRS"
[ "$verdict" = PASS ] || err "RssAnon growth over the bound: $figures"
if [ $ERRS -eq 0 ]; then
	echo "soak: 1 passed, 0 failed"
	exit 0
fi
echo "soak: 0 passed, 1 failed"
exit 1
