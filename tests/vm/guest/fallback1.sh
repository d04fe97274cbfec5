# SPDX-License-Identifier: Apache-2.0
# fallback1: famfs on /dev/pmem0 with the server serving READ/WRITE (the
# data path of any kernel with FUSE; forced with -m fallback so a famfs
# kernel runs it too): mkfs, mount, creat + verify, status counters, the
# file's bytes against the raw device, a write through the mount, fsck.

export FAMFS_SYSTEM_UUID_FILE="$HOST_A"
wait_pmem
run famfs mkfs "$PMEM"
run famfs mount --data-path fallback "$PMEM" /mnt
s=$(status /mnt) || exit 1
expect_eq role "$(json_get role "$s")" master
expect_eq data_path "$(json_get data_path "$s")" fallback
expect_eq device_kind "$(json_get device_kind "$s")" "pmem block device"
say "mounted: role master, data_path fallback"

run famfs creat -r -S 7 -s 64M /mnt/a
run famfs verify -S 7 -f /mnt/a
s=$(status /mnt) || exit 1
reads=$(json_get reads "$s")
[ "${reads:-0}" -gt 0 ] || die "reads is '$reads' after verify, expected > 0"
expect_eq fmaps "$(json_get fmaps "$s")" 0
say "verify seed 7 through the server: reads $reads, writes $(json_get writes "$s")"

out=$(daxcheck statx /mnt/a)
rc=$?
[ "$rc" = 1 ] || die "daxcheck statx /mnt/a: exit $rc ($out), expected no DAX"
say "statx: $out"

file_matches_device /mnt/a

# A write through the mount lands on the device.
off=$(first_offset /mnt/a) || exit 1
dd if=/dev/urandom of=/tmp/pat bs=1M count=2 2>/dev/null
w0=$(json_get writes "$(status /mnt)")
dd if=/tmp/pat of=/mnt/a bs=1M seek=8 count=2 conv=notrunc 2>/dev/null ||
	die "dd write into /mnt/a failed"
w1=$(json_get writes "$(status /mnt)")
[ "$w1" -gt "$w0" ] || die "writes did not grow ($w0 -> $w1) on a write through the mount"
a=$(md5sum </tmp/pat | cut -d' ' -f1)
b=$(raw_read $((off + 8 * 1048576)) 2097152 | md5sum | cut -d' ' -f1)
expect_eq "device bytes after a 2 MiB write at 8 MiB (md5)" "$b" "$a"
say "2 MiB written through the mount (writes $w0 -> $w1) are on $PMEM"

# The page cache, not DAX: a touched mapping is resident (Rss > 0).
m=$(daxcheck mmap /mnt/a) || die "daxcheck mmap /mnt/a failed: $m"
say "mmap: $m"
rss=$(kv rss_kb "$m")
[ "${rss:-0}" -gt 0 ] || die "Rss of a touched fallback mapping is '$rss' kB, expected > 0"

unmount /mnt
run famfs fsck "$PMEM"
