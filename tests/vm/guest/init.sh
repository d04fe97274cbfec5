#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# /init of the famfs VM-test initramfs (tests/vm/mkinitramfs.sh).
#
# Mounts proc, sys, devtmpfs, tmpfs; loads /lib/modules/*.ko in the order
# of /lib/modules/load when the kernel needs modules for pmem; runs each
# scenario named on the kernel command line, then powers off:
#
#   famfs.test=NAME[,NAME...]   scenarios: /vmtest/NAME.sh
#   famfs.expect=dax|fallback   the data path a plain mount must report
#   famfs.timeout=SEC           per-scenario limit inside the guest (150)
#
# Output on the console (parsed by tests/vm/run.sh), one line each:
#   FAMFS-VM: BOOT ...             init started
#   FAMFS-VM: START name
#   FAMFS-VM: ok name: what        progress of a scenario
#   FAMFS-VM: PASS name (N s)
#   FAMFS-VM: FAIL name: why       followed by "dmesg: ..." lines
#   FAMFS-VM: DONE                 all scenarios ran; powering off
export PATH=/bin:/sbin:/usr/bin:/usr/sbin HOME=/root

mount -t devtmpfs devtmpfs /dev 2>/dev/null
exec </dev/console >/dev/console 2>&1
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t tmpfs -o mode=1777 tmpfs /tmp
mount -t tmpfs -o mode=0755 tmpfs /run
# Warnings and worse still reach the console; chatter does not break up
# the marker lines.
echo 5 >/proc/sys/kernel/printk 2>/dev/null

if [ -f /lib/modules/load ]; then
	while read -r m; do
		[ -n "$m" ] || continue
		insmod "/lib/modules/$m.ko" 2>&1 || echo "FAMFS-VM: INFO insmod $m failed"
	done </lib/modules/load
fi

TESTS='' FAMFS_VM_EXPECT=fallback TMO=150
for w in $(cat /proc/cmdline); do
	case $w in
	famfs.test=*) TESTS=${w#famfs.test=} ;;
	famfs.expect=*) FAMFS_VM_EXPECT=${w#famfs.expect=} ;;
	famfs.timeout=*) TMO=${w#famfs.timeout=} ;;
	esac
done
export FAMFS_VM_EXPECT

echo "FAMFS-VM: BOOT kernel $(uname -r) cpus $(nproc) uptime $(cut -d' ' -f1 /proc/uptime) s tests ${TESTS:-none}"

for t in $(echo "$TESTS" | tr ',' ' '); do
	echo "FAMFS-VM: START $t"
	rm -f /tmp/why
	start=$(cut -d. -f1 /proc/uptime)
	if [ ! -f "/vmtest/$t.sh" ]; then
		echo "FAMFS-VM: FAIL $t: no scenario /vmtest/$t.sh"
		continue
	fi
	T=$t timeout "$TMO" sh -c '. /vmtest/lib.sh; . "/vmtest/$T.sh"'
	rc=$?
	secs=$(($(cut -d. -f1 /proc/uptime) - start))
	if [ "$rc" = 0 ]; then
		echo "FAMFS-VM: PASS $t ($secs s)"
	else
		if [ -s /tmp/why ]; then
			why=$(head -n 1 /tmp/why)
		elif [ "$rc" = 143 ] || [ "$rc" = 137 ]; then
			why="timed out in the guest after $TMO s"
		else
			why="exit $rc"
		fi
		echo "FAMFS-VM: FAIL $t: $why"
		dmesg | tail -n 30 | sed 's/^/dmesg: /'
	fi
done

echo "FAMFS-VM: DONE"
sync
# Without ACPI, poweroff degrades to a halt that never ends QEMU; a reboot
# does (the runner passes -no-reboot).
if [ -d /sys/firmware/acpi ]; then
	poweroff -f
else
	reboot -f
fi
sleep 5
reboot -f
