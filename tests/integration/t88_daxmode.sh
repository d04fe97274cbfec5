#!/usr/bin/env bash
# Device-dax modes on the host.  -M on an image file is a note, not an
# error, for mkfs and mount (the mount serves, and gets no note without
# -M).  The refusals are shown on a device-dax device the host does not
# have: in a private mount namespace a sysfs tree of our own is bound
# over /sys, in which the char device 1:3 (/dev/null's numbers, a device
# that opens) is dax0.0.  kmem mode, an align below 2 MiB and a switch
# whose bind does not take (nothing binds in a directory tree) each fail
# with the device and the cause named; the switch's writes are checked.
# The real switch and fsdev_dax I/O run in QEMU (tests/vm devdax).
# shellcheck disable=SC2317 # cleanup runs from the trap
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
command -v unshare >/dev/null 2>&1 || { echo "skip: unshare(1) is missing"; exit 77; }
# shellcheck source=tests/integration/mnt.sh
. "$(dirname "$0")/mnt.sh"

# --- image files: -M is a note ---------------------------------------------
mkimg img 1G
expect_exit 0 "$FAMFS" mkfs -M img
out_has "famfs mkfs: note: -M: img is not a device-dax device"
out_has "nothing to switch"
out_has "created famfs on img"
expect_exit 0 "$FAMFS" fsck img

newmnt m
expect_exit 0 "$FAMFS" mount -M img m
out_has "famfs mount: note: -M: $PWD/img is not a device-dax device"
wait_mounted m 10 && ok "mount -M on an image serves" || fail "not mounted"
expect_exit 0 "$FAMFS" creat -s 4096 m/f
check_eq 4096 "$(stat -c %s m/f 2>/dev/null)" "a file created on the mount"
umount_wait m
expect_exit 0 "$FAMFS" mount img m
out_lacks "note"
wait_mounted m 10 && ok "mount without -M serves" || fail "not mounted"
umount_wait m

# --- a device-dax device in a sysfs tree of our own ------------------------
# tree DRIVER ALIGN: dax0.0 of 4 GiB bound to DRIVER ("" unbound)
tree() {
	rm -rf sys && mkdir -p sys/dev/char sys/bus/dax/devices/dax0.0
	for d in device_dax fsdev_dax kmem; do
		mkdir -p "sys/bus/dax/drivers/$d"
		for f in bind unbind new_id remove_id; do
			: >"sys/bus/dax/drivers/$d/$f"
		done
	done
	ln -s ../../devices/platform/hmem.0/dax0.0 sys/dev/char/1:3
	echo 4294967296 >sys/bus/dax/devices/dax0.0/size
	echo "$2" >sys/bus/dax/devices/dax0.0/align
	[ -n "$1" ] && ln -s "../../../../bus/dax/drivers/$1" sys/bus/dax/devices/dax0.0/driver
	rm -f daxnode && mknod daxnode c 1 3
}
# in_ns CMD...: CMD with our tree over /sys, in a namespace of its own
in_ns() {
	unshare -m --propagation private sh -c 'mount --bind "$1/sys" /sys && shift && exec "$@"' \
		sh "$PWD" "$@"
}

tree kmem 2097152
expect_exit 1 in_ns "$FAMFS" mkfs daxnode
out_has "famfs mkfs: cannot open 'daxnode': dax0.0 is in system-ram mode (bound to kmem)"
stdout_empty
expect_exit 1 in_ns "$FAMFS" mkfs -M daxnode
out_has "-M: cannot switch daxnode to famfs mode: dax0.0 is in system-ram mode (bound to kmem)"
check_eq "" "$(cat sys/bus/dax/drivers/kmem/unbind)" "kmem mode: nothing unbound"
expect_exit 8 in_ns "$FAMFS" fsck daxnode	# 8: operational error
out_has "famfs fsck: daxnode: cannot open: dax0.0 is in system-ram mode"

tree device_dax 4096
expect_exit 1 in_ns "$FAMFS" mkfs daxnode
out_has "daxnode': dax0.0 has align 4096 (below 2 MiB)"
stdout_empty
expect_exit 1 in_ns "$FAMFS" mkfs -M daxnode
out_has "-M: daxnode: dax0.0 has align 4096 (below 2 MiB)"
check_eq "" "$(cat sys/bus/dax/drivers/fsdev_dax/new_id)" "align refused before any switch"
expect_exit 1 in_ns "$FAMFS" mount daxnode m
out_has "dax0.0 has align 4096 (below 2 MiB)"
mounted m && fail "a refused mount is mounted" || ok "nothing mounted"

tree device_dax 2097152
expect_exit 1 in_ns "$FAMFS" mkfs -M daxnode
out_has "-M: cannot switch daxnode (dax0.0) to famfs mode: dax0.0 did not bind to fsdev_dax (bound to device_dax)"
check_eq dax0.0 "$(cat sys/bus/dax/drivers/device_dax/unbind)" "unbound from device_dax"
check_eq dax0.0 "$(cat sys/bus/dax/drivers/fsdev_dax/new_id)" "new_id of fsdev_dax"
check_eq dax0.0 "$(cat sys/bus/dax/drivers/fsdev_dax/bind)" "bind of fsdev_dax"

tree device_dax 2097152
rm sys/bus/dax/drivers/fsdev_dax/new_id		# no fsdev_dax driver
expect_exit 1 in_ns "$FAMFS" mkfs -M daxnode
out_matches "writing 'dax0.0' to /sys/bus/dax/drivers/fsdev_dax/new_id: (No such file or directory|Permission denied)"

tree "" 2097152
expect_exit 1 in_ns "$FAMFS" mkfs daxnode
out_has "dax0.0 is bound to no dax driver"
finish
