# SPDX-License-Identifier: Apache-2.0
# twohost-b: guest B (a client, other host identity) of the sequential
# two-host test, booted on the region guest A left: mount as a client,
# find A's files, verify seed 9, be refused creating and writing.

export FAMFS_SYSTEM_UUID_FILE="$HOST_B"
wait_pmem
run famfs fsck "$PMEM"
run famfs mount "$PMEM" /mnt
s=$(status /mnt) || exit 1
expect_eq role "$(json_get role "$s")" client
expect_eq data_path "$(json_get data_path "$s")" "$FAMFS_VM_EXPECT"
say "mounted as a client, data_path $FAMFS_VM_EXPECT"
ls -l /mnt | sed 's/^/    | /'
r=$(head -n 1 /mnt/ready 2>&1)
expect_eq "/mnt/ready" "$r" "famfs-vm ready from host A"
run famfs verify -S 9 -f /mnt/shared9
file_matches_device /mnt/shared9
if [ "$FAMFS_VM_EXPECT" = dax ]; then
	out=$(daxcheck statx /mnt/shared9) || die "no STATX_ATTR_DAX on the client ($out)"
	s=$(status /mnt) || exit 1
	expect_eq "client reads" "$(json_get reads "$s")" 0
	say "client DAX: $out, reads 0"
fi
run_fails famfs creat -s 4M /mnt/fromb
[ ! -e /mnt/fromb ] || die "/mnt/fromb exists after a refused creat"
run_fails dd if=/dev/zero of=/mnt/shared9 bs=4k count=1 conv=notrunc
run famfs verify -S 9 -f /mnt/shared9
say "client cannot create or write; shared9 still verifies"
unmount /mnt
