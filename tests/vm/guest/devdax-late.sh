# SPDX-License-Identifier: Apache-2.0
# devdax-late: guest C of devdax-twohost, booted after guests A and B have
# powered off, on the shared region they left.  The dax info block they
# wrote is on the memory, so nd_pmem's probe hands the namespace to
# dax_pmem at boot: /dev/dax0.0 exists on device_dax and there is never a
# /dev/pmem0.  C mounts it with -M as a client (another host identity)
# and verifies A's two files (seeds 9 and 10) with DAX, without a write.

export FAMFS_SYSTEM_UUID_FILE="$HOST_B"
devdax_as_pmem
expect_eq "device-dax made at boot from the info block" "$DAX_AT_BOOT" 1
run famfs fsck "$PMEM"
expect_eq "driver of $DAXNAME after fsck" "$(dax_driver "$DAXNAME")" device_dax
run famfs mount -M "$PMEM" /mnt
expect_eq "driver of $DAXNAME after mount -M" "$(dax_driver "$DAXNAME")" fsdev_dax
s=$(status /mnt) || exit 1
expect_eq role "$(json_get role "$s")" client
expect_eq data_path "$(json_get data_path "$s")" dax
run famfs verify -S 9 -f /mnt/first
run famfs verify -S 10 -f /mnt/second
dax_mapped /mnt/first ro
s=$(status /mnt) || exit 1
expect_eq "client reads" "$(json_get reads "$s")" 0
unmount /mnt
say "booted on the region A and B left: $DAXNAME made at boot, mounted -M as a client, first and second verify with DAX, reads 0"
