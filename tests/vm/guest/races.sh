# SPDX-License-Identifier: Apache-2.0
# races: issue 12's two races, D6 and D9, made to happen on demand.  A
# window of a few instructions is never hit by chance under TCG (one host
# thread runs the vCPUs in turn), so the host holds one vCPU inside it
# through QEMU's gdb stub (tests/vm/hold.py) while the other vCPU runs the
# competing path, then lets both go.  The scenario pins itself to CPU 1
# and runs the holder's side on CPU 0; run.sh judges the hold log too, so
# a run where nothing was held does not pass.
#
#   D6    the first open of a file installs its map: the size, S_DAX and
#         the map must become visible together.  famfs-fault's GETATTR
#         replies give regular files 4 KiB more than their size
#         (getattr_size).  The host holds CPU 0 at inode_set_flags(S_DAX)
#         during the open while CPU 1 sends GETATTR in a loop (statx
#         AT_STATX_FORCE_SYNC); after the open the file must read and keep
#         the map's size.  Before the fix an answer landed in the window,
#         set the size, and the file read EIO for good.
#   D9    a memory failure is notified while the connection is freed.  The
#         mount is gone and its server stopped (SIGSTOP), so the stopped
#         server's /dev/fuse holds the last reference.  CPU 0 poisons a
#         page of the device (hard_offline_page): the host holds it in
#         famfs's callback just after it read its device-table entry
#         (dax_holder() returned) while CPU 1 kills the server, which frees
#         the connection.  With the fix the free waits for the callback
#         (SRCU), which finishes ("memory failure at" in the kernel log);
#         before it, the callback then read freed memory (KASAN, which
#         run.sh requires for this scenario).

export FAMFS_SYSTEM_UUID_FILE="$HOST_A"
FF=/bin/famfs-fault
[ -x $FF ] || die "$FF is not in the initramfs (make build/famfs-fault)"
grep -q 'famfs.expect=dax' /proc/cmdline ||
	die "races needs a kernel with CONFIG_FUSE_FAMFS_DAX=y"
[ "$(nproc)" -ge 2 ] || die "races needs 2 vCPUs, the guest has $(nproc)"
taskset -p 2 $$ >/dev/null || die "cannot pin the scenario to CPU 1"
wait_pmem

# The addresses the host's holds need (no KASLR), then wait until the host
# has armed them: it writes "hold-armed" into the nodename.
echo 0 >/proc/sys/kernel/kptr_restrict
ksym() { grep -m 1 " $1\$" /proc/kallsyms | cut -d' ' -f1; }
a6=$(ksym inode_set_flags) a9=$(ksym dax_holder) uts=$(ksym init_uts_ns)
[ -n "$a6" ] && [ -n "$a9" ] && [ -n "$uts" ] ||
	die "no address for inode_set_flags ($a6), dax_holder ($a9) or init_uts_ns ($uts) in /proc/kallsyms"
echo "FAMFS-VM: HOLD-SYMS HOLD_D6=0x$a6 HOLD_D9=0x$a9 HOLD_UTS=0x$uts"
i=0
while [ "$(hostname)" != hold-armed ]; do
	i=$((i + 1))
	[ $i -le 600 ] || die "the host never armed its holds (hostname $(hostname))"
	sleep 0.1
done
say "the host armed its holds"
: >/tmp/kd.fail

# --- D6 ---------------------------------------------------------------------
run famfs mkfs -f "$PMEM"
FAMFS_FAULT_FMAP=getattr_size run $FF mount "$PMEM" /mnt
run $FF creat -s 8M /mnt/f
rm -f /tmp/stop
kdefect statx-loop /mnt/f /tmp/stop >/tmp/statx.out 2>&1 &
sp=$!
sleep 1
say "D6: first open of /mnt/f on CPU 0; GETATTR in a loop on CPU 1"
o=$(taskset 1 kdefect open /mnt/f r)
touch /tmp/stop
[ "$(hostname)" = hold-d6 ] || failed D6 "the host did not hold CPU 0 during the open (hostname $(hostname))"
wait $sp
st=$(cat /tmp/statx.out)
r=$(dd if=/mnt/f of=/dev/null bs=1M 2>&1) && r=ok || r=$(errname "$r")
again=$(dd if=/mnt/f of=/dev/null bs=1M 2>&1) && again=ok || again=$(errname "$again")
sz=$(stat -c %s /mnt/f)
unmount /mnt
if [ "$o" = open=ok ] && [ "$r" = ok ] && [ "$again" = ok ] && [ "$sz" = 8388608 ]; then
	passed D6 "open $o, GETATTR loop $st, reads $r/$again, size $sz (the map's)"
else
	failed D6 "open $o, GETATTR loop $st, reads $r/$again, size $sz; want open=ok, reads ok, size 8388608"
fi

# --- D9 ---------------------------------------------------------------------
run famfs mkfs -f "$PMEM"
run famfs mount "$PMEM" /mnt
run famfs creat -r -S 5 -s 8M /mnt/g
run famfs verify -S 5 -f /mnt/g
s=$(status /mnt) || exit 1
pid=$(json_get pid "$s")
[ -n "$pid" ] && [ -d "/proc/$pid" ] || die "server pid '$pid' from status is not running"
[ "$(json_get daxdevs "$s")" -gt 0 ] || die "the device was never claimed (daxdevs $(json_get daxdevs "$s"))"
kill -STOP "$pid"
DIE_HOOK="kill -CONT $pid"
umount /mnt || die "umount with the server stopped failed"
# a page of the device far beyond the files: 1.5 GiB into /dev/pmem0
base=$(cat /sys/block/pmem0/device/resource)
phys=$(printf '0x%x' $((base + 3 * 512 * 1048576)))
say "D9: poisoning $phys on CPU 0 while CPU 1 kills the stopped server $pid"
(taskset 1 sh -c "echo $phys >/sys/devices/system/memory/hard_offline_page" 2>/tmp/hwp.err
	echo $? >/tmp/hwp.rc) &
hp=$!
# the host says when CPU 0 is held in the callback
i=0
while [ "$(hostname)" != hold-d9 ] && [ $i -lt 600 ]; do i=$((i + 1)); sleep 0.1; done
[ "$(hostname)" = hold-d9 ] || failed D9 "the host never held CPU 0 in the memory-failure callback (hostname $(hostname))"
kill -KILL "$pid"
wait $hp
i=0
while [ -d "/proc/$pid" ] && [ $i -lt 300 ]; do i=$((i + 1)); sleep 0.1; done
k=$(dmesg | grep -E 'famfs: device|Memory failure' | tail -n 3 | tr '\n' ';')
if [ -d "/proc/$pid" ]; then
	failed D9 "the killed server $pid did not go away"
elif ! dmesg | grep -q "famfs: device 0: memory failure at"; then
	failed D9 "famfs's callback did not finish (no 'memory failure at' in the kernel log: $k)"
else
	passed D9 "hard_offline_page exit $(cat /tmp/hwp.rc) $(cat /tmp/hwp.err); the connection was freed after the callback; kernel: $k"
fi

checks_done
say "every check passed"
