#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kernel/smoke/run.sh - boot build/kernel/bzImage under QEMU (TCG) with a
# 2 GiB legacy pmem region and run the real famfs binary on it: mkfs,
# mount (the server accepts FUSE_DAX_FMAP), create a contiguous and an
# interleaved file, check them with famfs_kcheck (statx DAX, read/write,
# ENOSPC at EOF, truncate/O_TRUNC/fallocate refused, O_DIRECT, mmap with
# Rss 0 and PFNs in pmem, PMD faults, no major faults, SIGBUS past EOF),
# verify the data, check that the server saw no READ/WRITE, and that a
# server without CAP_SYS_RAWIO falls back to serving READ itself.  A quick check for kernel developers; the
# VM test suite lives in tests/vm.
#
# Needs: make kernel, make (build/famfs), qemu-system-x86, busybox-static.
# Prints the guest console; exits 0 when the guest printed SMOKE PASSED.

set -euo pipefail
cd "$(dirname "$0")/../.."
KERNEL=${KERNEL:-build/kernel/bzImage}
FAMFS=${FAMFS:-build/famfs}
WORK=$(mktemp -d /tmp/famfs-smoke.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

for f in "$KERNEL" "$FAMFS" /bin/busybox; do
	[ -e "$f" ] || { echo "smoke: $f missing" >&2; exit 2; }
done
command -v qemu-system-x86_64 >/dev/null ||
	{ echo "smoke: qemu-system-x86_64 missing" >&2; exit 2; }

mkdir -p "$WORK/root/bin"
cp /bin/busybox "$WORK/root/bin/busybox"
cp "$FAMFS" "$WORK/root/bin/famfs"
gcc -static -O2 -Wall -Wextra -Werror -o "$WORK/root/bin/famfs_kcheck" \
	kernel/smoke/famfs_kcheck.c

cat >"$WORK/root/init" <<'INIT'
#!/bin/busybox sh
export PATH=/bin
/bin/busybox --install -s /bin
mkdir -p /proc /sys /dev /tmp /run /mnt /opt/famfs
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run
mkdir -p /run/famfs
ok=1
fail() { echo "SMOKE FAIL: $*"; ok=0; }
# the server exits shortly after umount; wait for it (10 s at most)
wait_server() {
	for i in $(seq 50); do pidof famfs >/dev/null || return 0; sleep 0.2; done
	fail "server still running after umount"
}
echo "SMOKE: kernel $(uname -r), pmem0 dax=$(cat /sys/block/pmem0/queue/dax)"
famfs mkfs /dev/pmem0 >/dev/null || fail mkfs
famfs mount /dev/pmem0 /mnt || fail mount
famfs creat -s 8M -r -S 7 /mnt/simple || fail "creat simple"
famfs creat -s 16M -N 4 -C 2M -r -S 9 /mnt/striped || fail "creat striped"
famfs status /mnt | grep -q 'data path *dax' || fail "data path is not dax"
for f in simple striped; do
	echo "--- famfs_kcheck /mnt/$f"
	famfs_kcheck /mnt/$f || fail "kcheck $f"
done
famfs verify -f /mnt/simple -S 7 || fail "verify simple"
famfs verify -f /mnt/striped -S 9 || fail "verify striped"
famfs chkread /mnt/striped || fail "chkread striped"
famfs status /mnt | grep 'I/O'
famfs status /mnt | grep -q 'I/O *0 reads, 0 writes' || fail "server saw I/O"
umount /mnt || fail umount
wait_server
echo "--- a server without CAP_SYS_RAWIO is not offered FUSE_DAX_FMAP"
famfs_kcheck -x famfs mount /dev/pmem0 /mnt || fail "mount without rawio"
famfs status /mnt | grep 'data path'
famfs status /mnt | grep -q 'data path *fallback' || fail "not fallback"
famfs verify -f /mnt/striped -S 9 || fail "verify striped (fallback)"
famfs status /mnt | grep -q 'I/O *0 reads' && fail "fallback did no READ"
umount /mnt || fail "umount (fallback)"
wait_server
echo "--- DAX again: the first mount released the device"
famfs mount /dev/pmem0 /mnt || fail "remount"
famfs verify -f /mnt/striped -S 9 || fail "verify striped (remount)"
famfs status /mnt | grep -q 'I/O *0 reads, 0 writes' || fail "remount: server saw I/O"
umount /mnt || fail "umount (remount)"
dmesg | grep -i -E 'famfs|warning|bug|oops' || true
[ $ok = 1 ] && echo "SMOKE PASSED" || echo "SMOKE FAILED"
poweroff -f
INIT
chmod +x "$WORK/root/init"
(cd "$WORK/root" && find . | cpio -o -H newc 2>/dev/null | gzip) \
	>"$WORK/initramfs.cpio.gz"

timeout 600 qemu-system-x86_64 -machine q35 -accel tcg,thread=single -cpu max -smp 2 \
	-m 6G -kernel "$KERNEL" -initrd "$WORK/initramfs.cpio.gz" \
	-nographic -no-reboot \
	-append "console=ttyS0 memmap=2G!4G panic=-1 quiet" |
	tee "$WORK/console.log" | sed -n '/SMOKE: kernel/,$p'
grep -q 'SMOKE PASSED' "$WORK/console.log"
