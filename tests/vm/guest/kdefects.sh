# SPDX-License-Identifier: Apache-2.0
# kdefects: one check per kernel defect of issue 12 that a single guest can
# show (D3 and D4's malformed replies are cases of the negative scenario,
# D2's device removal is the remove scenario).  Each check records its
# result and the run goes on, so one boot of an unfixed kernel shows every
# defect; the scenario fails if any check failed or the kernel log has a
# BUG, Oops, WARNING or general protection fault.
#   D10a  O_TRUNC open of the control file before its first open works
#   D10d  a device made read-only after mount: files read, write opens EROFS
#   D1    opened files evicted by drop_caches (CONFIG_FUSE_DAX=y) come back
#   D7    a set-user-ID bit set through the control file (as another host
#         would) is cleared by a write on a descriptor opened before it
#   D10b  a first GET_FMAP answered "no map" (famfs-fault nomap_once) is
#         asked again at the next open once nothing uses the inode
#   D4    a cross-linked file (famfs-testgen clone) does not open while the
#         other name's inode is live, and opens once it is evicted
#   D8leak  an open refused with EBUSY (another famfs mount, on another
#         partition of the disk, holds the dax device) keeps no dax_device
#         reference: no dax_device outlives its namespace's unbinding
#         (inode-nr over cycles with such opens against cycles without)
#   D5    a poisoned page (madvise MADV_HWPOISON) kills what maps it and
#         leaves another file on the same device readable
#   D8    famfs on a partition that is not page aligned: the open says
#         EINVAL (the partition), not EBUSY (another DAX user)
#   D10c  the device table's allocation failed (failslab, filtered to
#         fuse_famfs_conn_alloc): the mount fails instead of running
#         without DAX while the server believes in it
# Needs CONFIG_FUSE_FAMFS_DAX=y and CONFIG_MEMORY_FAILURE=y.

export FAMFS_SYSTEM_UUID_FILE="$HOST_A"
FF=/bin/famfs-fault
[ -x $FF ] || die "$FF is not in the initramfs (make build/famfs-fault)"
grep -q 'famfs.expect=dax' /proc/cmdline ||
	die "kdefects needs a kernel with CONFIG_FUSE_FAMFS_DAX=y"
wait_pmem
dmesg -c >/dev/null
: >/tmp/klog
: >/tmp/kd.fail


# fresh [SERVER]: a new filesystem mounted on /mnt (SERVER: a famfs binary)
fresh() {
	run famfs mkfs -f "$PMEM"
	run "${1:-famfs}" mount "$PMEM" /mnt
}

# drop N: echo N >drop_caches in a child (an oops kills only the child)
drop() { sh -c "echo $1 >/proc/sys/vm/drop_caches"; }

fmaps() { json_get fmaps "$(status /mnt)"; }

klog() { dmesg -c >>/tmp/klog; }

# --- D10a, D10d: on a new mount, before any file has a map -------------------
fresh
o=$(kdefect open /mnt/.meta/.ctl trunc)
if [ "$o" = open=ok ]; then
	passed D10a "O_TRUNC open of .meta/.ctl before its first open: $o"
else
	failed D10a "O_TRUNC open of .meta/.ctl before its first open: $o, want open=ok"
fi

run famfs creat -s 8M /mnt/ro
expect_eq "daxdevs before the first open of a mapped file" \
	"$(json_get daxdevs "$(status /mnt)")" 0
run blockdev --setro "$PMEM"
r=$(kdefect open /mnt/ro r)
w=$(kdefect open /mnt/ro rw)
run blockdev --setrw "$PMEM"
if [ "$r" = open=ok ] && [ "$w" = open=EROFS ]; then
	passed D10d "read-only device: read open $r, write open $w"
else
	failed D10d "read-only device: read open $r (want open=ok), write open $w (want open=EROFS)"
fi
unmount /mnt
klog

# --- D1: eviction of opened files --------------------------------------------
fresh
for i in 1 2 3 4; do
	run famfs creat -r -S $i -s 4M /mnt/e$i
	cat /mnt/e$i >/dev/null || die "cat /mnt/e$i failed"
done
f1=$(fmaps)
drop 3
drop 3
ok=1
for i in 1 2 3 4; do
	famfs verify -S $i -f /mnt/e$i >/dev/null 2>&1 || ok=0
done
f2=$(fmaps)
if [ $ok = 1 ] && [ "$f2" -gt "$f1" ]; then
	passed D1 "4 opened files evicted (GET_FMAP count $f1 -> $f2) and verified"
else
	failed D1 "after drop_caches: verified=$ok, GET_FMAP count $f1 -> $f2 (want more)"
fi

# --- D7: set-user-ID set behind the kernel's back ----------------------------
run famfs creat -s 4M /mnt/s
run chmod 0666 /mnt/s
rm -f /tmp/go
kdefect write-later 1000 /mnt/s /tmp/go >/tmp/wl.out 2>&1 &
wl=$!
sleep 1
run famfs-testgen /mnt/s ctl-chmod 4777
touch /tmp/go
wait $wl
rc=$?
mode=$(stat -c %a /mnt/s)
if [ $rc = 0 ] && [ "$mode" = 777 ]; then
	passed D7 "write by uid 1000 after a set-user-ID change through the control file: mode 4777 -> $mode"
else
	failed D7 "write by uid 1000 (exit $rc: $(tr '\n' ' ' </tmp/wl.out)) left mode $mode, want 777"
fi
unmount /mnt
klog

# --- D10b: a "no map" answer is asked again ----------------------------------
FAMFS_FAULT_FMAP=nomap_once fresh $FF
run $FF creat -s 4M /mnt/n
o1=$(kdefect open /mnt/n r)
d1=$(daxcheck statx /mnt/n)
d2=$(daxcheck statx /mnt/n)
if [ "$o1" = open=ok ] && [ "$(kv dax "$d1")" = 1 ]; then
	passed D10b "first open got no map ($o1), the next open has DAX: $d1"
else
	failed D10b "first open $o1, then statx: $d1 / $d2 (want dax=1)"
fi
unmount /mnt
klog

# --- D4: cross-linked files ----------------------------------------------------
fresh
run famfs creat -r -S 5 -s 4M /mnt/x
unmount /mnt
run famfs-testgen "$PMEM" clone x y
run famfs mount "$PMEM" /mnt
run kdefect touch /mnt/x
o=$(kdefect open /mnt/y r)
[ "$o" = open=ok ] && kdefect touch /mnt/y >/dev/null
drop 2
o2=$(kdefect open /mnt/y r)
if [ "$o" = open=EBUSY ] && [ "$o2" = open=ok ]; then
	passed D4 "clone y of live x: $o; after x's inode is evicted: $o2"
else
	failed D4 "clone y of live x: $o (want open=EBUSY); after eviction: $o2 (want open=ok)"
fi
unmount /mnt
klog

# --- D8leak: a refused DAX claim keeps no dax_device reference ---------------
# fs_dax_get_by_bdev() takes a reference on the dax_device's inode with
# igrab() and, before patch 0001, kept it when another holder had the
# dax_device.  famfs gets there with two mounts on two partitions of
# /dev/pmem0: the block device claims are per partition, the dax_device is
# the disk's.  A opens a file and holds the dax_device; every open in B
# fails with EBUSY.  A kept reference outlives the namespace's unbinding
# from nd_pmem: that dax_device's inode is never freed, and
# /proc/sys/fs/inode-nr (allocated inodes) counts it.  Each cycle mounts
# both, unmounts both and unbinds and binds the namespace again; leak
# cycles open B's file D8_OPENS times, control cycles do not open it.
# Without a leak the count moves by 1 either way from cycle to cycle; a
# leak adds one inode per leak cycle.
D8_CYCLES=8	# of each kind
D8_OPENS=4
D8_NS=$(basename "$(readlink -f /sys/block/pmem0/device)")
D8_DRV=/sys/bus/nd/drivers/nd_pmem

# d8_parts: partitions 1 and 2 of /dev/pmem0, 64 MiB each from 1 MiB
d8_parts() {
	run kdefect addpart "$PMEM" 1 1048576 $((64 * 1048576))
	run kdefect addpart "$PMEM" 2 $((65 * 1048576)) $((64 * 1048576))
	_i=0
	while { [ ! -b "${PMEM}p1" ] || [ ! -b "${PMEM}p2" ]; } && [ $_i -lt 50 ]; do
		_i=$((_i + 1))
		sleep 0.1
	done
	[ -b "${PMEM}p1" ] && [ -b "${PMEM}p2" ] ||
		die "D8leak: ${PMEM}p1 or ${PMEM}p2 did not appear in 5 s"
}

# d8_inodes: inode-nr's allocated inodes once unused ones are dropped and
# the count stops falling (a last iput can come from a work item)
d8_inodes() {
	_n=
	_j=0
	while [ $_j -lt 5 ]; do
		sync
		drop 2
		_m=$(cut -f1 /proc/sys/fs/inode-nr)
		[ "$_m" != "$_n" ] || break
		_n=$_m
		_j=$((_j + 1))
		sleep 0.5
	done
	echo "$_n"
}

# d8_cycle OPENS: one cycle; OPENS opens of B's file must each fail EBUSY
d8_cycle() {
	d8_parts
	run famfs mount "${PMEM}p1" /mnt
	run famfs mount "${PMEM}p2" /mnt2
	o=$(kdefect open /mnt/a r)
	[ "$o" = open=ok ] || die "D8leak: open of /mnt/a on ${PMEM}p1: $o"
	_k=0
	while [ $_k -lt "$1" ]; do
		o=$(kdefect open /mnt2/b r)
		[ "$o" = open=EBUSY ] ||
			die "D8leak: open of /mnt2/b on ${PMEM}p2 while /mnt holds the dax device: $o, want open=EBUSY"
		_k=$((_k + 1))
	done
	unmount /mnt2
	unmount /mnt
	run kdefect delpart "$PMEM" 2
	run kdefect delpart "$PMEM" 1
	echo "$D8_NS" >$D8_DRV/unbind || die "D8leak: unbind $D8_NS from nd_pmem failed"
	echo "$D8_NS" >$D8_DRV/bind || die "D8leak: bind $D8_NS to nd_pmem failed"
	wait_pmem
}

# d8_block OPENS: D8_CYCLES cycles; appends the counts to SEQ
d8_block() {
	_c=0
	while [ $_c -lt $D8_CYCLES ]; do
		d8_cycle "$1"
		SEQ="$SEQ $(d8_inodes)"
		_c=$((_c + 1))
	done
}

[ "$(basename "$(readlink -f /sys/block/pmem0/device/driver)")" = nd_pmem ] ||
	die "D8leak: /dev/pmem0 ($D8_NS) is not bound to nd_pmem"
d8_parts
run famfs mkfs -f "${PMEM}p1"
run famfs mkfs -f "${PMEM}p2"
run famfs mount "${PMEM}p1" /mnt
run famfs creat -s 4M /mnt/a
unmount /mnt
run famfs mount "${PMEM}p2" /mnt2
run famfs creat -s 4M /mnt2/b
unmount /mnt2
run kdefect delpart "$PMEM" 2
run kdefect delpart "$PMEM" 1
d8_cycle $D8_OPENS	# warm-up, not counted
n0=$(d8_inodes)
SEQ=
d8_block 0
n1=$(d8_inodes) seq0=$SEQ SEQ=
d8_block $D8_OPENS
n2=$(d8_inodes)
ctl=$((n1 - n0)) leak=$((n2 - n1))
say "D8leak: inode-nr after each control cycle:$seq0; after each cycle of $D8_OPENS EBUSY opens:$SEQ"
d8_msg="inode-nr $n0, after $D8_CYCLES control cycles $n1 ($ctl), after $D8_CYCLES cycles of $D8_OPENS EBUSY opens each $n2 ($leak)"
if [ $((leak - ctl)) -lt $((D8_CYCLES / 2)) ]; then
	passed D8leak "$d8_msg"
else
	failed D8leak "$d8_msg (a dax_device kept per cycle after its namespace went)"
fi
klog

# --- D5: a poisoned page (last: the page stays poisoned for this boot) --------
fresh
run famfs creat -r -S 8 -s 4M /mnt/p1
run famfs creat -r -S 9 -s 4M /mnt/p2
o=$(kdefect poison /mnt/p1 4096)
if famfs verify -S 9 -f /mnt/p2 >/tmp/v.out 2>&1; then v=ok; else v=$(tail -n 1 /tmp/v.out); fi
if [ "$(kv poison "$o")" = killed ] && [ "$v" = ok ]; then
	passed D5 "poisoned page of p1: $o; p2 on the same device verifies"
else
	failed D5 "poisoned page of p1: $o (want killed signal=7); p2: $v (want ok)"
fi
unmount /mnt
klog

# --- D8: a partition not aligned to pages --------------------------------------
P1=${PMEM}p1
run kdefect addpart "$PMEM" 1 $((1048576 + 512)) $((64 * 1048576))
_i=0
while [ ! -b "$P1" ] && [ $_i -lt 50 ]; do _i=$((_i + 1)); sleep 0.1; done
run famfs mkfs -f "$P1"
run famfs mount "$P1" /mnt
run famfs creat -s 4M /mnt/u
o=$(kdefect open /mnt/u r)
unmount /mnt
run kdefect delpart "$PMEM" 1
if [ "$o" = open=EINVAL ]; then
	passed D8 "famfs on $P1 (at 1 MiB + 512 bytes): $o"
else
	failed D8 "famfs on $P1 (at 1 MiB + 512 bytes): $o, want open=EINVAL"
fi
klog

# --- D10c: fuse_famfs_conn_alloc() fails (failslab) -------------------------
# failslab with a stack-trace filter fails the one kmalloc made from inside
# fuse_famfs_conn_alloc() (its [start, end) from /proc/kallsyms): the same
# instrument works on the kernel before the fix, which has no error-injection
# point.  GFP_KERNEL may sleep, so ignore-gfp-wait must be off.
FS_DIR=/sys/kernel/debug/failslab
[ -d $FS_DIR ] || mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
# fn_range NAME: "START END" of a kernel text symbol, in hex
fn_range() {
	sort /proc/kallsyms | awk -v f="$1" '
		found { print "0x" start, "0x" $1; exit }
		$3 == f && ($2 == "T" || $2 == "t") { found = 1; start = $1 }'
}
range=$(fn_range fuse_famfs_conn_alloc)
[ -d $FS_DIR ] && [ -f $FS_DIR/require-start ] ||
	die "D10c needs CONFIG_FAILSLAB and CONFIG_FAULT_INJECTION_STACKTRACE_FILTER (config.fragment)"
[ -n "$range" ] || die "D10c: fuse_famfs_conn_alloc is not in /proc/kallsyms"
set -- $range
echo "$1" >$FS_DIR/require-start
echo "$2" >$FS_DIR/require-end
echo N >$FS_DIR/ignore-gfp-wait
echo N >$FS_DIR/task-filter
echo 1 >$FS_DIR/verbose	# the message, not a stack trace (a report)
echo 1 >$FS_DIR/interval
echo 100 >$FS_DIR/probability
echo 1 >$FS_DIR/times
run famfs mkfs -f "$PMEM"
if famfs mount "$PMEM" /mnt >/tmp/m.out 2>&1; then
	run famfs creat -r -S 4 -s 4M /mnt/c
	failed D10c "the mount worked without a device table: data_path $(json_get data_path "$(status /mnt)"), $(daxcheck statx /mnt/c)"
	unmount /mnt
else
	passed D10c "device table allocation failed: the mount failed ($(tail -n 1 /tmp/m.out))"
	umount /mnt 2>/dev/null
fi
left=$(cat $FS_DIR/times)
echo 0 >$FS_DIR/probability
[ "$left" = 0 ] || failed D10c "failslab never fired in fuse_famfs_conn_alloc ($range): times left $left"
klog

bad=$(grep -E 'BUG|Oops|WARNING|general protection' /tmp/klog | head -n 1)
[ -z "$bad" ] || failed klog "kernel log: $bad"
grep -E 'famfs|Memory failure|BUG|Oops|WARNING' /tmp/klog | sort | uniq -c | sed 's/^/    | /'
checks_done
say "every check passed"
