# SPDX-License-Identifier: Apache-2.0
# multihost-b: guest B of the multi-device two-host test, booted on the
# two shared files guest A left, in the opposite order: B's /dev/pmem0 is
# A's /dev/pmem1 (index 1) and B's /dev/pmem1 is A's primary.  B proves
# the swap with A's tags, is refused mounting its /dev/pmem0 (a
# secondary), mounts its /dev/pmem1 as a client (the other device is
# found by its UUID, not by its name), verifies both files,
# checks their bytes on its own raw devices (index 0 -> /dev/pmem1, index
# 1 -> /dev/pmem0), and with DAX: statx, no READ upcalls, GET_DAXDEV once
# per device.  Then the same reads again with -m fallback (the server's
# data path): the swap must not matter there either.

export FAMFS_SYSTEM_UUID_FILE="$HOST_B"
DEVS="$PMEM1 $PMEM"
GiB=1073741824
two_regions $((6 * GiB))
for d in $PMEM $PMEM1; do
	t=$(dev_read "$d" $((GiB - 4096)) 4096 | tr -d '\000' | head -n 1)
	case $d in
	"$PMEM") want="famfs-vm: guest A $PMEM1" ;;
	*) want="famfs-vm: guest A $PMEM" ;;
	esac
	expect_eq "tag on $d" "$t" "$want"
done
say "swapped: B's $PMEM is A's $PMEM1 and B's $PMEM1 is A's $PMEM (tags)"

run famfs fsck "$PMEM1"
# B's /dev/pmem0 is a secondary here: mounting it is refused.
run_fails famfs mount "$PMEM" /mnt
run famfs mount "$PMEM1" /mnt
s=$(status /mnt) || exit 1
expect_eq role "$(json_get role "$s")" client
expect_eq data_path "$(json_get data_path "$s")" "$FAMFS_VM_EXPECT"
run famfs getmap /mnt/inter /mnt/contig
expect_eq "devices of /mnt/inter's strips" "$(devs_of /mnt/inter)" "0 1"
# Devices are resolved lazily, once each (-t 0: one opener at a time).
if [ "$FAMFS_VM_EXPECT" = dax ]; then
	expect_eq "daxdevs after mount" "$(json_get daxdevs "$s")" 0
	run famfs verify -t 0 -S 42 -f /mnt/contig
	n=$(devs_of /mnt/contig | wc -w)
	expect_eq "daxdevs after opening /mnt/contig (devices $(devs_of /mnt/contig))" \
		"$(json_get daxdevs "$(status /mnt)")" "$n"
	run famfs verify -t 0 -S 41 -f /mnt/inter
	expect_eq "daxdevs after opening /mnt/inter too" \
		"$(json_get daxdevs "$(status /mnt)")" 2
	say "devices resolved lazily: daxdevs 0 at mount, $n after contig, 2 after inter"
else
	run famfs verify -S 42 -f /mnt/contig
	run famfs verify -S 41 -f /mnt/inter
fi
file_matches_devices /mnt/inter "$DEVS"
file_matches_devices /mnt/contig "$DEVS"
if [ "$FAMFS_VM_EXPECT" = dax ]; then
	dax_mapped /mnt/inter ro
	s=$(status /mnt) || exit 1
	expect_eq "client reads (DAX)" "$(json_get reads "$s")" 0
	expect_eq "daxdevs at the end" "$(json_get daxdevs "$s")" 2
	say "client DAX over the swapped devices: reads 0, daxdevs 2"
fi
unmount /mnt

run famfs mount --data-path fallback "$PMEM1" /mnt
s=$(status /mnt) || exit 1
expect_eq "data_path with -m fallback" "$(json_get data_path "$s")" fallback
run famfs verify -S 41 -f /mnt/inter
run famfs verify -S 42 -f /mnt/contig
file_matches_devices /mnt/inter "$DEVS"
r=$(json_get reads "$(status /mnt)")
[ "${r:-0}" -gt 0 ] || die "reads is '$r' with -m fallback, expected > 0"
say "fallback over the swapped devices: both files verify, reads $r"
unmount /mnt
