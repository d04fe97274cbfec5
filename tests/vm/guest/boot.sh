# SPDX-License-Identifier: Apache-2.0
# boot: the guest has a DAX-capable /dev/pmem0 over the memmap= region,
# FUSE, and a famfs binary that runs.

wait_pmem
grep -q 'Persistent Memory (legacy)' /proc/iomem ||
	die "/proc/iomem has no 'Persistent Memory (legacy)' range"
say "iomem: $(grep 'Persistent Memory' /proc/iomem | head -n 1 | sed 's/^ *//')"
say "$PMEM: $(($(cat /sys/block/pmem0/size) / 2048)) MiB"
dax=$(cat /sys/block/pmem0/queue/dax 2>/dev/null)
expect_eq /sys/block/pmem0/queue/dax "$dax" 1
[ -c /dev/fuse ] || die "/dev/fuse is missing"
grep -qw fuse /proc/filesystems || die "no fuse in /proc/filesystems"
say "/dev/fuse and fuse in /proc/filesystems"
v=$(famfs --version 2>&1) || die "famfs --version failed: $v"
case $v in *famfs*) ;; *) die "famfs --version printed '$v'" ;; esac
say "famfs --version: $v"
run famfs help
