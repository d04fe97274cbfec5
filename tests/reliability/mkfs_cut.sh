#!/usr/bin/env bash
# mkfs -f cut after N bytes of metadata (the superblock write path): the
# test build build/fault/famfs-fault-asan formats over a populated
# filesystem with FAMFS_FAULT_META_BYTES=N for N = 0..9 and then every
# MKFS_STEP (default 61) bytes until a run completes.  mkfs kills the old
# superblock's magic first, cleans the log, writes the log header and both
# tail records, and the superblock last, so after every cut exactly one of
# these holds:
#   - cut before the first byte: the old filesystem, fsck clean, same files
#   - no valid superblock: fsck exits 8 or 4 naming the superblock, and
#     mount refuses (checked on every 4th case) - never a superblock that
#     describes a half-written log
#   - the run completed: a new, empty filesystem, fsck clean
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
BUILD=$(cd "${BUILD:-$root/build}" && pwd)
export FAMFS=$BUILD/famfs TESTGEN=$BUILD/asan/tools/famfs-testgen
FAULT=$BUILD/fault/famfs-fault-asan
STEP=${MKFS_STEP:-61}
W=$(mktemp -d "${TMPDIR:-/tmp}/famfs-mkfscut.XXXXXX")
cd "$W" || exit 1
export FAMFS_SYSTEM_UUID_FILE=$W/hostid ASAN_OPTIONS=detect_leaks=0
# shellcheck source=tests/integration/lib.sh
. "$root/tests/integration/lib.sh"
# shellcheck source=tests/reliability/rlib.sh
. "$here/rlib.sh"
need_exec "$FAMFS" "$TESTGEN" "$FAULT"
MNT=$W/mnt
on_exit_clean "$W" "$MNT"

mkimg old.img 64M
expect_exit 0 "$FAMFS" mkfs -a 4k old.img
testgen old.img mkdir d
testgen old.img files 3 e 5000
expect_exit 0 "$FAMFS" fsck --json old.img
old_uuid=$(json_get "$OUT.stdout" fs_uuid)

declare -A seen
n=0 cases=0 refused=0 mountchk=0
while :; do
	cpimg old.img img
	rm -f mark
	# (the braces keep bash's "Killed" notice out of the output)
	{ FAMFS_FAULT_META_BYTES=$n FAMFS_FAULT_MARK=$W/mark \
		"$FAULT" mkfs -f -a 4k img >mkfs.out; } 2>/dev/null
	rc=$?
	"$FAMFS" fsck --json img >fsck.out 2>&1
	frc=$?
	cases=$((cases + 1))
	if [ ! -s mark ]; then
		check_eq "0 0" "$rc $frc" "mkfs after $n bytes: completed, fsck clean"
		check_eq 0 "$(json_get fsck.out log_entries)" "entries of the new filesystem"
		check_ne "$old_uuid" "$(json_get fsck.out fs_uuid)" "old and new filesystem UUIDs"
		break
	fi
	read -r what at _ <mark
	seen[$what]=1
	if [ "$what $at" = "kill 0" ]; then
		check_eq "0 $old_uuid 5" "$frc $(json_get fsck.out fs_uuid) $(json_get fsck.out log_entries)" \
			"cut before mkfs wrote a byte: the old filesystem"
	elif [ "$frc" -ne 0 ] && grep -q '"code":"sb_' fsck.out; then
		refused=$((refused + 1))
		ok "cut at $n ($what after $at bytes): no valid superblock ($(grep -o '"code":"sb_[a-z_]*"' fsck.out | head -n 1 | cut -d'"' -f4))"
		if [ $((cases % 4)) = 0 ]; then
			mountchk=$((mountchk + 1))
			"$FAMFS" mount img "$MNT" >mount.out 2>&1 && {
				fail "cut at $n ($what, $at bytes): mount accepted it"
				umount "$MNT"
			}
		fi
	else
		fail "cut at $n ($what after $at bytes): fsck exit $frc: $(head -c 300 fsck.out)"
	fi
	if [ $n -lt 9 ]; then n=$((n + 1)); else n=$((n + STEP)); fi
done
check_eq "" "$(mounted "$MNT" && echo mounted)" "nothing left mounted"
echo "mkfs-cut: $cases cuts (stores cut: ${!seen[*]}): $refused left no valid superblock and were refused by fsck ($mountchk also by mount), 1 kept the old filesystem, 1 completed"
finish
