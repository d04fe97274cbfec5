#!/usr/bin/env bash
# Concurrency: STORM_WRITERS (8) shells each run `famfs creat -r` STORM_FILES
# times (default 200; the full run uses 1000) on the master's FUSE mount at
# once, while a second host identity (a client mount of the same image)
# polls its listing (storm_watch.py: the set only grows, no writer has a
# gap, what was created is listed, every file has its size and verifies on
# the client).  Afterwards: every file present on master and client, every
# file verifies on the master, fsck clean with the right count (no overlap:
# fsck's cross-link check), and a fresh mount replays the same namespace.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
BUILD=$(cd "${BUILD:-$root/build}" && pwd)
# FAMFS_BIN: another build for every famfs process (tests/incoherent)
FAMFS=$(realpath "${FAMFS_BIN:-$BUILD/famfs}")
export FAMFS
NW=${STORM_WRITERS:-8}
NF=${STORM_FILES:-200}
W=$(mktemp -d "${TMPDIR:-/tmp}/famfs-storm.XXXXXX")
cd "$W" || exit 1
export FAMFS_SYSTEM_UUID_FILE=$W/hostA
HB=$W/hostB
# shellcheck source=tests/integration/lib.sh
. "$root/tests/integration/lib.sh"

# shellcheck source=tests/reliability/rlib.sh
. "$here/rlib.sh"
A=$W/A B=$W/B
on_exit_clean "$W" "$B" "$A"

unmount() {	# umount and wait for the server to be gone
	local pid
	pid=$(server_pid "$1")
	expect_exit 0 umount "$1"
	wait_gone "$pid" || fail "server $pid still running after umount of $1"
}

# writer K: w<K>_1 .. w<K>_NF, sizes and seeds as storm_watch.py has them
writer() {
	local k=$1 i
	for ((i = 1; i <= NF; i++)); do
		if "$FAMFS" creat -t 0 -r -S $((k * 1000000 + i + 1)) \
			-s $((4096 + ((k * 7 + i) % 8) * 512)) "$A/w${k}_$i" \
			>/dev/null 2>>"err.$k"; then
			echo "w${k}_$i" >>"done.$k"
		else
			echo "w${k}_$i: exit $?" >>"err.$k"
		fi
	done
}

mkimg img 256M
expect_exit 0 "$FAMFS" mkfs -a 4k img
expect_exit 0 "$FAMFS" mount img "$A"
FAMFS_SYSTEM_UUID_FILE=$HB expect_exit 0 "$FAMFS" mount img "$B"
check_eq client "$(FAMFS_SYSTEM_UUID_FILE=$HB "$FAMFS" status -j "$B" | grep -o '"role":"[a-z]*"' | cut -d'"' -f4)" "role of B"

"$PY" "$here/storm_watch.py" "$FAMFS" "$B" "$W" "$NW" >watch.out 2>&1 &
wpid=$!
t0=$(date +%s%N)
pids=()
for ((k = 0; k < NW; k++)); do
	writer "$k" &
	pids+=($!)
done
wait "${pids[@]}"
ms=$((($(date +%s%N) - t0) / 1000000))
touch stop
wait "$wpid"
wrc=$?
cat watch.out
check_eq 0 "$wrc" "the client saw a consistent prefix throughout"
total=$((NW * NF))
check_eq "$total" "$(cat done.* | wc -l)" "creats that exited 0"
cat err.* 2>/dev/null | head -n 5
echo "storm: $total creates by $NW writers in $ms ms ($((total * 1000 / (ms + 1))) creates/s)"

check_eq "$total" "$(find "$A" -maxdepth 1 -name 'w*' | wc -l)" "files on the master"
check_eq "$total" "$(find "$B" -maxdepth 1 -name 'w*' | wc -l)" "files on the client"
# every file verifies on the master (batches of 200 per famfs verify)
find "$A" -maxdepth 1 -name 'w*' -printf '%f\n' | sort >names
bad=0
while mapfile -t -n 200 batch && [ ${#batch[@]} -gt 0 ]; do
	args=()
	for n in "${batch[@]}"; do
		k=${n#w}; k=${k%%_*}; i=${n#*_}
		args+=(-m "$A/$n,$((k * 1000000 + i + 1))")
	done
	"$FAMFS" verify -q -t 0 "${args[@]}" >>verify.out 2>&1 || bad=$((bad + 1))
done <names
check_eq 0 "$bad" "batches of files that failed to verify on the master"
listA=$(cd "$A" && find . -printf '%p %y %s\n' | sort | sha256sum)
unmount "$B"
unmount "$A"
expect_exit 0 "$FAMFS" fsck --json img
check_eq "$total" "$(json_get "$OUT.stdout" files)" "files in fsck"
# used space: each file rounded up to 4 KiB units, nothing shared or lost
want=$(awk -v nw="$NW" -v nf="$NF" 'BEGIN { for (k = 0; k < nw; k++)
	for (i = 1; i <= nf; i++) u += ((k * 7 + i) % 8 ? 8192 : 4096); print u }')
check_eq "$want" "$(json_get "$OUT.stdout" used)" "bytes allocated (fsck)"
expect_exit 0 "$FAMFS" mount img "$A"
check_eq "$listA" "$(cd "$A" && find . -printf '%p %y %s\n' | sort | sha256sum)" "namespace (sha256 of the listing) after a fresh mount"
unmount "$A"
finish
