# SPDX-License-Identifier: Apache-2.0
# devdax: famfs DAX on device-dax, the form CXL memory takes (issue 13).
# The memmap= region becomes /dev/dax0.0 (devdax_setup, lib.sh: sysfs, as
# ndctl does), "famfs mkfs -M" moves it from device_dax to fsdev_dax, and
# then every proof of dax1 runs on it (/vmtest/dax1.sh with PMEM set to
# the character device): statx DAX, bytes equal to the raw memory read and
# written through /dev/dax0.0 (pread/pwrite: fsdev_dax has no mmap), zero
# server READ/WRITE, Rss 0 with pages in device memory, a mapping that
# survives kill -9 of the server.  Last, the character device refuses
# mmap while fs-dax owns the pages.

export FAMFS_SYSTEM_UUID_FILE="$HOST_A"
grep -q 'famfs.expect=dax' /proc/cmdline ||
	die "devdax needs a kernel with CONFIG_FUSE_FAMFS_DAX=y"
devdax_as_pmem
DAX1_MKFS_FLAGS=-M
. /vmtest/dax1.sh
expect_eq "driver of $DAXNAME after mkfs -M" "$(dax_driver "$DAXNAME")" fsdev_dax
out=$(daxcheck mmap-dev "$DAXDEV" 2>&1) && die "mmap of $DAXDEV bound to fsdev_dax worked: $out"
expect_eq "mmap of $DAXDEV bound to fsdev_dax" "$(kv mmap_errno "$out")" 19
say "$DAXDEV bound to fsdev_dax; its mmap fails: $out"
