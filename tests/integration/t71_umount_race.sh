#!/usr/bin/env bash
# The device is free for the next command as soon as umount returns: a
# server still on its way out is waited for (lib/devwait.c, at most 5 s),
# so umount followed at once by famfs mount (a remount), mkfs -f or fsck
# of the same device succeeds, 50 times each, after umount(8) and after
# fusermount3 -u (t72 runs this with RACE_HOW=fusermount3).  Prints how
# long the slowest of those commands took.  A live mount is still refused
# at once (nothing else is waited for).
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/integration/mnt.sh
. "$(dirname "$0")/mnt.sh"
command -v mount >/dev/null 2>&1 || { echo "skip: mount(8) is missing"; exit 77; }
HOW=${RACE_HOW:-umount}
command -v "$HOW" >/dev/null 2>&1 || { echo "skip: $HOW is missing"; exit 77; }

N=${T71_ROUNDS:-50}
newmnt mnt
mkimg img 256M
expect_exit 0 "$FAMFS" mkfs img

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# unmount HOW: the mount at mnt, by umount(8) or fusermount3 -u
unmount() {
	if [ "$1" = umount ]; then umount mnt; else fusermount3 -u mnt; fi
}

# rounds HOW NEXT: N times mount, unmount with HOW, then at once NEXT
rounds() {
	local how=$1 next=$2 i t0 dt bad=0 slow=0 rc
	for ((i = 0; i < N; i++)); do
		if ! "$FAMFS" mount img mnt >mount.out 2>&1; then
			bad=$((bad + 1))
			sed 's/^/     | /' mount.out | head -n 3
			continue
		fi
		[ $((i % 10)) -eq 0 ] && "$FAMFS" creat -s 2M "mnt/f$i" >/dev/null 2>&1
		unmount "$how" || { bad=$((bad + 1)); continue; }
		t0=$(now_ms)
		case $next in
		mount) "$FAMFS" mount img mnt >next.out 2>&1 ;;
		mkfs) "$FAMFS" mkfs -f img >next.out 2>&1 ;;
		fsck) "$FAMFS" fsck img >next.out 2>&1 ;;
		esac
		rc=$?
		dt=$(($(now_ms) - t0))
		[ "$dt" -gt "$slow" ] && slow=$dt
		[ "$next" = mount ] && [ $rc -eq 0 ] && { umount mnt || rc=99; }
		if [ $rc -ne 0 ]; then
			bad=$((bad + 1))
			sed 's/^/     | /' next.out | head -n 3
		fi
	done
	check_eq 0 "$bad" "$how, then at once $next: failures in $N rounds (slowest $next $slow ms)"
	# the server of the last round is gone: nothing is left holding img
	check_eq 0 "$(mnt_count mnt)" "nothing mounted after the $how/$next rounds"
}

for next in mount mkfs fsck; do
	rounds "$HOW" "$next"
done

# A live mount is not waited for: mkfs -f and fsck of it are refused at once.
expect_exit 0 "$FAMFS" mount img mnt
t0=$(now_ms)
expect_exit 1 "$FAMFS" mkfs -f img
out_has "mounted"
expect_exit 8 "$FAMFS" fsck img
expect_exit 1 "$FAMFS" mount img mnt
dt=$(($(now_ms) - t0))
if [ "$dt" -lt 2000 ]; then ok "refusals of a live mount took $dt ms (no wait)"; else fail "refusals of a live mount took $dt ms"; fi
umount_wait mnt
finish
