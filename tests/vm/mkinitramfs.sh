#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# tests/vm/mkinitramfs.sh OUT.cpio.gz [MODULE_DIR]
#
# Build the initramfs the QEMU tests boot (tests/vm/run.sh calls this):
#   /bin/famfs (build/famfs, static musl) and its links mkfs.famfs,
#     fsck.famfs, mount.famfs, mount.fuse.famfs
#   /bin/busybox (Debian's busybox-static, installed if missing) and links
#     for all its applets
#   /bin/daxcheck (tests/vm/guest/daxcheck.c, musl-gcc -static)
#   /bin/kdefect (tests/vm/guest/kdefect.c, musl-gcc -static: the system
#               calls of the kernel-defect scenario)
#   /bin/membench (tests/vm/guest/membench.c, musl-gcc -static; the
#     bench scenario)
#   /bin/famstress (tests/vm/guest/famstress.c, musl-gcc -static; the
#     evict, remove, fuzz and devdax-reopen scenarios)
#   /bin/famfs-testgen (build/vm/famfs-testgen, tests/vm/vm.mk)
#   /bin/famfs-fault (build/famfs-fault: the same sources built with
#     -DFAMFS_FAULT_INJECT by tests/vm/vm.mk, made here if missing or
#     stale; only the negative scenario uses it)
#   /init (tests/vm/guest/init.sh), the scenarios and their library in
#     /vmtest (tests/vm/guest/*.sh), host identities in /etc/famfs
#   /lib/modules/*.ko and /lib/modules/load: only with MODULE_DIR (a
#     kernel whose pmem drivers are modules, e.g. Debian's); the .ko files
#     there are loaded in the order of MODULE_DIR/load
# The archive is "cpio -o -H newc -R +0:+0 | gzip".  Staging and the helper
# binary live in build/vm (VM_OUT).

set -euo pipefail

cd "$(dirname "$0")/../.."
OUT=${1:?usage: mkinitramfs.sh OUT.cpio.gz [MODULE_DIR]}
MODDIR=${2:-}
BUILD=${BUILD:-build}
VM_OUT=${VM_OUT:-$BUILD/vm}
FAMFS=$BUILD/famfs
GUEST=tests/vm/guest
STAGE=$VM_OUT/initramfs
BUSYBOX=/bin/busybox

die() { echo "mkinitramfs.sh: $*" >&2; exit 1; }
# is_static, stage_busybox, stage_modules, pack
# shellcheck source=initramfs/lib.sh
. initramfs/lib.sh

[ -x "$FAMFS" ] || die "$FAMFS is missing: run make first"
is_static "$FAMFS" || die "$FAMFS is not statically linked"

if ! is_static "$BUSYBOX"; then
	echo "  vm: installing busybox-static (apt-get)"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q busybox-static \
		>"$VM_OUT/apt.log" 2>&1 || {
		DEBIAN_FRONTEND=noninteractive apt-get update -q >>"$VM_OUT/apt.log" 2>&1 || true
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q busybox-static \
			>>"$VM_OUT/apt.log" 2>&1 || { tail -5 "$VM_OUT/apt.log" >&2; \
			die "cannot install busybox-static"; }
	}
	is_static "$BUSYBOX" || die "$BUSYBOX is not a static busybox"
fi
command -v cpio >/dev/null || die "cpio is missing (apt-get install cpio)"
command -v musl-gcc >/dev/null || die "musl-gcc is missing (apt-get install musl-tools)"

mkdir -p "$VM_OUT"
DAXCHECK=$VM_OUT/daxcheck
if [ ! -x "$DAXCHECK" ] || [ "$GUEST/daxcheck.c" -nt "$DAXCHECK" ]; then
	musl-gcc -static -O2 -Wall -Wextra -Werror -o "$DAXCHECK.tmp" "$GUEST/daxcheck.c"
	strip "$DAXCHECK.tmp"
	mv "$DAXCHECK.tmp" "$DAXCHECK"
fi
KDEFECT=$VM_OUT/kdefect
if [ ! -x "$KDEFECT" ] || [ "$GUEST/kdefect.c" -nt "$KDEFECT" ]; then
	musl-gcc -static -O2 -Wall -Wextra -Werror -o "$KDEFECT.tmp" "$GUEST/kdefect.c"
	mv "$KDEFECT.tmp" "$KDEFECT"
fi
MEMBENCH=$VM_OUT/membench
if [ ! -x "$MEMBENCH" ] || [ "$GUEST/membench.c" -nt "$MEMBENCH" ]; then
	musl-gcc -static -O2 -Wall -Wextra -Werror -o "$MEMBENCH.tmp" "$GUEST/membench.c"
	strip "$MEMBENCH.tmp"
	mv "$MEMBENCH.tmp" "$MEMBENCH"
fi

FAMSTRESS=$VM_OUT/famstress
if [ ! -x "$FAMSTRESS" ] || [ "$GUEST/famstress.c" -nt "$FAMSTRESS" ]; then
	musl-gcc -static -O2 -Wall -Wextra -Werror -o "$FAMSTRESS.tmp" "$GUEST/famstress.c"
	strip "$FAMSTRESS.tmp"
	mv "$FAMSTRESS.tmp" "$FAMSTRESS"
fi

# The fault-injection server (tests only): make knows whether it is stale.
FAULT=$BUILD/famfs-fault
if ! make -s --no-print-directory BUILD="$BUILD" "$FAULT" >"$VM_OUT/famfs-fault.log" 2>&1; then
	echo "  vm: warning: cannot build $FAULT (see $VM_OUT/famfs-fault.log): negative will fail" >&2
fi

rm -rf "$STAGE"
mkdir -p "$STAGE"/{bin,sbin,usr/bin,usr/sbin,dev,proc,sys,tmp,run,mnt,mnt2,etc/famfs,vmtest,lib/modules,root}

stage_busybox "$STAGE"

cp "$FAMFS" "$STAGE/bin/famfs"
for l in mkfs.famfs fsck.famfs mount.famfs mount.fuse.famfs; do
	ln -sf famfs "$STAGE/bin/$l"
	ln -sf /bin/famfs "$STAGE/sbin/$l"
done
cp "$DAXCHECK" "$STAGE/bin/daxcheck"
cp "$MEMBENCH" "$STAGE/bin/membench"
cp "$KDEFECT" "$STAGE/bin/kdefect"
cp "$FAMSTRESS" "$STAGE/bin/famstress"
if is_static "$FAULT"; then
	cp "$FAULT" "$STAGE/bin/famfs-fault"
fi
TESTGEN=$BUILD/vm/famfs-testgen
if make -s --no-print-directory BUILD="$BUILD" "$TESTGEN" >"$VM_OUT/famfs-testgen.log" 2>&1 &&
   is_static "$TESTGEN"; then
	cp "$TESTGEN" "$STAGE/bin/famfs-testgen"
else
	echo "  vm: warning: cannot build $TESTGEN (see $VM_OUT/famfs-testgen.log)" >&2
fi

install -m 0755 "$GUEST/init.sh" "$STAGE/init"
for f in "$GUEST"/*.sh; do
	[ "$(basename "$f")" = init.sh ] && continue
	install -m 0755 "$f" "$STAGE/vmtest/"
done

# Fixed host identities: A is the master of every filesystem made here.
echo "a0000000-0000-4000-8000-00000000000a" >"$STAGE/etc/famfs/host-a.uuid"
echo "b0000000-0000-4000-8000-00000000000b" >"$STAGE/etc/famfs/host-b.uuid"
chmod 0444 "$STAGE"/etc/famfs/*.uuid
cat >"$STAGE/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
EOF
echo "root:x:0:" >"$STAGE/etc/group"

[ -z "$MODDIR" ] || stage_modules "$STAGE" "$MODDIR"

# /dev/console must exist before /init runs or it starts without stdio
# (init.sh redirects to the devtmpfs console anyway, as a second line).
mknod -m 600 "$STAGE/dev/console" c 5 1 2>/dev/null || true

pack "$STAGE" "$OUT"
echo "  vm: built $OUT ($(stat -c %s "$OUT") bytes)"
