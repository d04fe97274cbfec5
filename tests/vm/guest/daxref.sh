# SPDX-License-Identifier: Apache-2.0
# daxref: the harness' DAX probes against the kernel's own fs-dax (ext2
# -o dax on /dev/pmem0), no famfs involved.  It shows that daxcheck tells
# DAX from page cache on this kernel (statx bit, Rss 0, pages in pmem, a
# mapping that outlives an unrelated killed process), so a dax1 failure
# points at famfs or the FUSE patches, not at the probes.

wait_pmem
run mke2fs -F -b 4096 "$PMEM" 262144
run mount -t ext2 -o dax "$PMEM" /mnt
dd if=/dev/urandom of=/mnt/f bs=1M count=16 2>/dev/null || die "cannot write /mnt/f"
sync
out=$(daxcheck statx /mnt/f) || die "ext2 -o dax: STATX_ATTR_DAX not set ($out)"
say "ext2 -o dax statx: $out"
m=$(daxcheck mmap /mnt/f) || die "daxcheck mmap /mnt/f failed: $m"
say "ext2 -o dax mmap: $m"
expect_eq "Rss (kB) of a touched ext2 DAX mapping" "$(kv rss_kb "$m")" 0
expect_eq "touched pages inside Persistent Memory" "$(kv pmem_pages "$m")" "$(kv pages "$m")"
sleep 600 &
out=$(daxcheck survive /mnt/f $!) || die "daxcheck survive on ext2: $out"
say "ext2 -o dax survive (killed a sleep): $out"
run umount /mnt
