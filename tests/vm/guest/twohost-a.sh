# SPDX-License-Identifier: Apache-2.0
# twohost-a: guest A (the master) of the sequential two-host test.  It runs
# to completion on the shared region before guest B boots: mkfs, mount,
# creat -r -S 9, a readiness file, unmount, and sync so the block device's
# page cache is on the memory B will see.

export FAMFS_SYSTEM_UUID_FILE="$HOST_A"
wait_pmem
run famfs mkfs "$PMEM"
run famfs mount "$PMEM" /mnt
s=$(status /mnt) || exit 1
expect_eq role "$(json_get role "$s")" master
expect_eq data_path "$(json_get data_path "$s")" "$FAMFS_VM_EXPECT"
run famfs creat -r -S 9 -s 64M /mnt/shared9
run famfs verify -S 9 -f /mnt/shared9
run famfs creat -s 4k /mnt/ready
printf 'famfs-vm ready from host A\n' | dd of=/mnt/ready conv=notrunc 2>/dev/null ||
	die "cannot write /mnt/ready"
file_matches_device /mnt/shared9
say "master wrote shared9 (seed 9) and ready, data_path $FAMFS_VM_EXPECT"
unmount /mnt
sync
run famfs fsck "$PMEM"
