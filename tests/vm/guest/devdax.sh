# SPDX-License-Identifier: Apache-2.0
# devdax: famfs DAX on device-dax, the form CXL memory takes (issue 13).
# Two regions: the first becomes /dev/dax0.0 (devdax_setup, lib.sh: sysfs,
# as ndctl does), the second stays /dev/pmem1.
#  1. The kernel claims a character device only while fsdev_dax has it:
#     famfs-fault, mounted DAX on /dev/pmem1, answers GET_DAXDEV with
#     FAMFS_DAXDEV_CHARDEV and the number of /dev/dax0.0 (still bound to
#     device_dax): opens fail with EOPNOTSUPP; with 1:3 (/dev/null's
#     number, no device-dax instance): EIO.  The kernel says why.
#  2. "famfs mkfs -M" moves /dev/dax0.0 from device_dax to fsdev_dax, and
#     every proof of dax1 runs on it (/vmtest/dax1.sh with PMEM set to the
#     character device): statx DAX, bytes equal to the raw memory read and
#     written through /dev/dax0.0 (pread/pwrite: fsdev_dax has no mmap),
#     zero server READ/WRITE, Rss 0 with pages in device memory, a mapping
#     that survives kill -9 of the server.  The character device refuses
#     mmap while fs-dax owns the pages.
#  3. While a famfs mount holds /dev/dax0.0, a second connection naming it
#     is refused with EBUSY.
#  4. Back to device_dax through sysfs (what "daxctl reconfigure-device
#     -m devdax" does): the device maps again, and famfs mounts it without
#     -M on the fallback path, a file written under fsdev_dax verifying.

export FAMFS_SYSTEM_UUID_FILE="$HOST_A"
FF=/bin/famfs-fault
[ -x $FF ] || die "$FF is not in the initramfs (make build/famfs-fault)"
grep -q 'famfs.expect=dax' /proc/cmdline ||
	die "devdax needs a kernel with CONFIG_FUSE_FAMFS_DAX=y"

# chardev_refused DEV MNT DEVT WANT WHY: famfs on pmem DEV mounted at MNT
# by famfs-fault, whose GET_DAXDEV replies name character device DEVT
# (MAJ:MIN); opening a file must fail with WANT twice and the kernel's
# log must say WHY.
chardev_refused() {
	run famfs mkfs -f "$1"
	dmesg -c >/dev/null
	FAMFS_FAULT_FMAP=chardev:$3 run $FF mount "$1" "$2"
	run $FF creat -s 8M "$2/f"
	_got=$(try_open "$2/f")
	_again=$(try_open "$2/f")
	unmount "$2"
	_k=$(dmesg -c | grep famfs | sort -u | tr '\n' ';' | sed 's/;$//')
	say "GET_DAXDEV naming char device $3: open -> $_got, again -> $_again (want $4); kernel: ${_k:-nothing}"
	[ "$_got" = "$4" ] && [ "$_again" = "$4" ] ||
		die "GET_DAXDEV naming char device $3: open $_got/$_again, want $4"
	case $_k in
	*"dax device $3 $5"*) ;;
	*) die "GET_DAXDEV naming char device $3: the kernel log does not say 'dax device $3 $5': ${_k:-nothing}" ;;
	esac
}

# maj:min of character device $1, in decimal
devt_of() { echo "$((0x$(stat -c %t "$1"))):$((0x$(stat -c %T "$1")))"; }

wait_pmem "$PMEM1"
devdax_as_pmem
DEVT=$(devt_of "$DAXDEV")
chardev_refused "$PMEM1" /mnt "$DEVT" EOPNOTSUPP "is not bound to the fsdev_dax driver"
chardev_refused "$PMEM1" /mnt 1:3 EIO "is not a device-dax instance"

DAX1_MKFS_FLAGS=-M
. /vmtest/dax1.sh
expect_eq "driver of $DAXNAME after mkfs -M" "$(dax_driver "$DAXNAME")" fsdev_dax
out=$(daxcheck mmap-dev "$DAXDEV" 2>&1) && die "mmap of $DAXDEV bound to fsdev_dax worked: $out"
expect_eq "mmap of $DAXDEV bound to fsdev_dax" "$(kv mmap_errno "$out")" 19
say "$DAXDEV bound to fsdev_dax; its mmap fails: $out"

mkdir -p /mnt2
run famfs mount "$DAXDEV" /mnt
run famfs creat -r -S 11 -s 8M /mnt/r
run famfs verify -S 11 -f /mnt/r
chardev_refused "$PMEM1" /mnt2 "$DEVT" EBUSY "is in use by another DAX user"
unmount /mnt

echo "$DAXNAME" >/sys/bus/dax/drivers/fsdev_dax/unbind ||
	die "unbind $DAXNAME from fsdev_dax failed"
echo "$DAXNAME" >/sys/bus/dax/drivers/device_dax/bind ||
	die "bind $DAXNAME to device_dax failed"
expect_eq "driver of $DAXNAME after the switch back" "$(dax_driver "$DAXNAME")" device_dax
out=$(daxcheck mmap-dev "$DAXDEV" 2>&1) || die "mmap of $DAXDEV bound to device_dax: $out"
run famfs mount "$DAXDEV" /mnt
run famfs verify -S 11 -f /mnt/r
s=$(status /mnt) || exit 1
expect_eq "data_path on device_dax without -M" "$(json_get data_path "$s")" fallback
unmount /mnt
say "$DAXDEV back on device_dax: mmap works ($out); famfs mounts it without -M on the fallback path and /mnt/r verifies"
