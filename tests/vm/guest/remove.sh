# SPDX-License-Identifier: Apache-2.0
# remove: the pmem device goes away under famfs files that are open and
# mapped.  Issue 12 defect D2: the kernel only marked the device dead, so
# user PTEs to the removed range stayed, and close/fsync/eviction touched
# the removed memory.
#
# devdax-remove.sh runs the same on device-dax: it sets RM_NAME, RM_DRV,
# RM_DEV, RM_MKFS_FLAGS, rm_present and rm_wait first (the device, its
# driver's sysfs directory, what unbind makes go away and come back).
#
# /dev/pmem0 is the namespace of the memmap= region (nd_e820), bound to
# the nd_pmem driver.  4 files (test data of a seed) are opened read-write
# and mapped shared by famstress "remove", which stores into every page
# (the same bytes: dirty DAX entries for msync/fsync to write back) and
# waits.  The server is stopped (SIGSTOP: nothing but the removal may
# unmap the files) and famstress maps every page again.  The namespace is
# unbound from nd_pmem through sysfs (what
# "ndctl disable-namespace" does): /dev/pmem0 must go, famstress is told
# to go on and must find that every mapping SIGBUSes (none still reads
# the removed memory: before the fix the page-table entries stayed and
# the loads worked); then the server goes on (SIGCONT) and every read(2)
# must fail; msync, fsync and close results are printed.  Then: umount, bind the namespace again, a new
# mount must read every file back by its seed, and a file must be DAX
# again (a new connection claims the new device).  Any kernel report on
# the console fails the scenario (tests/vm/run.sh).

export FAMFS_SYSTEM_UUID_FILE="$HOST_A"
grep -q 'famfs.expect=dax' /proc/cmdline ||
	die "remove needs a kernel with CONFIG_FUSE_FAMFS_DAX=y"
command -v famstress >/dev/null || die "famstress is not in the initramfs"
if [ -z "${RM_NAME:-}" ]; then
	wait_pmem
	ns=$(basename "$(readlink -f /sys/block/pmem0/device)")
	drv=$(readlink -f /sys/block/pmem0/device/driver)
	[ "$(basename "$drv")" = nd_pmem ] && [ -e "$drv/unbind" ] ||
		die "/dev/pmem0 ($ns) is not bound to nd_pmem (driver: ${drv:-none})"
	say "/dev/pmem0 is $ns on $(basename "$(readlink -f "/sys/bus/nd/devices/$ns/..")"), driver $drv"
	RM_NAME=$ns RM_DRV=$drv RM_DEV=$PMEM
	rm_present() { [ -e "$PMEM" ]; }
	rm_wait() { wait_pmem; }
fi
ns=$RM_NAME drv=$RM_DRV dname=$(basename "$RM_DRV")

# shellcheck disable=SC2086 # -M from devdax-remove.sh
run famfs mkfs ${RM_MKFS_FLAGS:-} "$RM_DEV"
run famfs mount "$RM_DEV" /mnt
NFILES=4
files= multi=
i=0
while [ $i -lt $NFILES ]; do
	multi="$multi -M /mnt/f$i,4M,$((i + 1))"
	files="$files /mnt/f$i"
	i=$((i + 1))
done
# shellcheck disable=SC2086
run famfs creat $multi
i=0
while [ $i -lt $NFILES ]; do
	run famfs verify -S $((i + 1)) -f /mnt/f$i
	i=$((i + 1))
done

# shellcheck disable=SC2086
famstress remove $files >/tmp/remove.out 2>&1 &
P=$!
await_line $P /tmp/remove.out ready "famstress remove"
say "$NFILES files of 4 MiB open read-write and mapped, every page stored to (famstress pid $P)"

# Nothing but the removal may unmap the files from here to the loads: the
# server stops (it could invalidate them), and famstress maps every page
# again, so each mapping has its page-table entries when the device goes.
s=$(status /mnt) || exit 1
SRV=$(json_get pid "$s")
[ -n "$SRV" ] && [ -d "/proc/$SRV" ] || die "server pid '$SRV' from status is not running"
kill -STOP "$SRV"
DIE_HOOK="kill -CONT $SRV"
kill -USR2 $P
i=0
until grep -q '^touched' /tmp/remove.out; do
	i=$((i + 1))
	[ $i -le 600 ] || die "famstress remove did not map its files again in 60 s"
	sleep 0.1
done

# --- remove the device ---------------------------------------------------
# The write to unbind returns when the driver's remove is done; it cannot
# be killed, so it runs in the background and a hang is reported as one.
(echo "$ns" >"$drv/unbind") 2>/tmp/unbind.err &
U=$!
i=0
while ! gone $U; do
	i=$((i + 1))
	[ $i -le 1200 ] || die "unbinding $ns from $dname did not return in 120 s"
	sleep 0.1
done
wait $U || die "unbind $ns: $(cat /tmp/unbind.err)"
! rm_present || die "$RM_DEV is still there after unbinding $ns"
say "unbound $ns from $dname in $((i / 10)) s: $RM_DEV is gone"

# famstress_line PATTERN WHAT: wait (60 s) for famstress's line PATTERN
famstress_line() {
	_i=0
	until grep -q "$1" /tmp/remove.out; do
		gone $P && break
		_i=$((_i + 1))
		[ $_i -le 600 ] || die "famstress remove did not $2 in 60 s after the removal"
		sleep 0.1
	done
}

kill -USR1 $P
famstress_line '^loaded' "load its mappings"
say "the server (pid $SRV) was stopped from before the removal to the loads: $(grep '^loaded' /tmp/remove.out)"
kill -CONT "$SRV"
DIE_HOOK=
famstress_line '^files=' finish
wait $P
res=$(tail -n 1 /tmp/remove.out)
say "after the removal: $res"
expect_eq "mappings that raised SIGBUS after the removal" "$(kv sigbus "$res")" $NFILES
expect_eq "reads through open files that worked after the removal" "$(kv read_ok "$res")" 0

# --- the old mount goes, the device comes back, everything reads back ----
umount /mnt 2>/dev/null || run umount -l /mnt
# The old server exits once its mount is gone, and may still hold the
# device open when it is bound again: that must work (D11, devdax-reopen).
# The new mount waits for the old server's lock itself (famfs waits
# FAMFS_SERVER_EXIT_MS, 5 s, for a server that is exiting).
echo "$ns" >"$drv/bind" 2>/tmp/bind.err || die "bind $ns to $dname: $(cat /tmp/bind.err)"
rm_wait
say "bound $ns to $dname again: $RM_DEV is back"
run famfs mount "$RM_DEV" /mnt
i=0
while [ $i -lt $NFILES ]; do
	run famfs verify -S $((i + 1)) -f /mnt/f$i
	i=$((i + 1))
done
x=$(daxcheck statx /mnt/f0) || die "/mnt/f0 is not DAX after the device came back ($x)"
say "after re-binding and a new mount: all $NFILES files verify, /mnt/f0 $x"
unmount /mnt
