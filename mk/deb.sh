#!/usr/bin/env bash
# mk/deb.sh BUILD OUTDIR -- build famfs_VERSION_ARCH.deb in OUTDIR from
# what BUILD holds (the static binary, the manual pages, the completion),
# with dpkg-deb: a native Debian package of one static binary needs no
# debhelper.  Prints the path of the package.  Contents:
#   /usr/sbin/famfs and its links mkfs.famfs fsck.famfs mount.famfs
#     mount.fuse.famfs
#   /usr/share/man/man8: famfs.8 mkfs.famfs.8 fsck.famfs.8 mount.famfs.8
#     (and mount.fuse.famfs.8, a link), gzip -9n
#   /lib/systemd/system/famfs@.service
#   /etc/famfs.ini (conf/famfs.ini), a conffile
#   /usr/share/bash-completion/completions: famfs and a link per alias
#   /usr/share/doc/famfs: copyright (machine-readable), changelog.gz
#   /usr/share/lintian/overrides/famfs: the static binary is by design
set -euo pipefail

build=$1 outdir=$2
src=$(cd "$(dirname "$0")/.." && pwd)
famfs=$build/famfs
ver=$("$famfs" --version | awk '{ print $2 }')
arch=$(dpkg --print-architecture)
links="mkfs.famfs fsck.famfs mount.famfs mount.fuse.famfs"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
r=$stage/root
umask 022

install -d "$r/DEBIAN" "$r/usr/sbin" "$r/usr/share/man/man8" \
	"$r/lib/systemd/system" "$r/etc" "$r/usr/share/doc/famfs" \
	"$r/usr/share/bash-completion/completions"
install -m 0755 "$famfs" "$r/usr/sbin/famfs"
for l in $links; do
	ln -s famfs "$r/usr/sbin/$l"
done
for p in famfs mkfs.famfs fsck.famfs mount.famfs; do
	gzip -9n <"$build/man/$p.8" >"$r/usr/share/man/man8/$p.8.gz"
done
ln -s mount.famfs.8.gz "$r/usr/share/man/man8/mount.fuse.famfs.8.gz"
install -m 0644 "$src/systemd/famfs@.service" "$r/lib/systemd/system/"
install -m 0644 "$src/conf/famfs.ini" "$r/etc/famfs.ini"
install -m 0644 "$build/famfs.bash" "$r/usr/share/bash-completion/completions/famfs"
# famfs is one static binary by design (the appliance's initramfs, no
# dependencies on the host): lintian's error for that is overridden here.
install -d "$r/usr/share/lintian/overrides"
printf '%s\n' '# one static musl binary by design: it is also PID 1 of an initramfs' \
	'famfs: statically-linked-binary [usr/sbin/famfs]' \
	>"$r/usr/share/lintian/overrides/famfs"
for l in $links; do
	ln -s famfs "$r/usr/share/bash-completion/completions/$l"
done

cat >"$r/usr/share/doc/famfs/copyright" <<'EOF'
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: famfs
Comment: One static binary.  Linked in statically: musl, libfuse3 (LGPL-2.1),
 libuuid (BSD-3-clause, from util-linux) and inih (BSD-3-clause), each
 built from the Debian source package of the version named in the binary's
 build (mk/sysroot.sh).

Files: *
Copyright: 2023-2026 famfs developers
License: Apache-2.0
 On Debian systems the full text of the Apache License 2.0 is in
 /usr/share/common-licenses/Apache-2.0.
EOF

# A native package's changelog, from the version and the last commit.
date=$(git -C "$src" log -1 --format=%aD 2>/dev/null || date -R)
{
	printf 'famfs (%s) unstable; urgency=medium\n\n' "$ver"
	printf '  * famfs %s: a filesystem for memory that many hosts share.\n\n' "$ver"
	printf ' -- famfs developers <famfs@famfs.invalid>  %s\n' "$date"
} | gzip -9n >"$r/usr/share/doc/famfs/changelog.gz"

echo /etc/famfs.ini >"$r/DEBIAN/conffiles"
(cd "$r" && find . -path ./DEBIAN -prune -o -path ./etc -prune -o \
	-type f -printf '%P\n' | LC_ALL=C sort | xargs md5sum) >"$r/DEBIAN/md5sums"

size=$(du -sk --exclude=DEBIAN "$r" | cut -f1)
cat >"$r/DEBIAN/control" <<EOF
Package: famfs
Version: $ver
Architecture: $arch
Maintainer: famfs developers <famfs@famfs.invalid>
Installed-Size: $size
Section: admin
Priority: optional
Homepage: https://github.com/cxl-micron-reskit/famfs
Description: filesystem for memory shared by several hosts
 famfs puts files in memory that several hosts share (CXL fabric-attached
 memory, a multi-ported memory device or an image file): files are
 preallocated extents, and all metadata is an append-only log inside the
 memory, written by one master host and replayed by every client.
 .
 One static binary holds mkfs.famfs, fsck.famfs, the FUSE server behind
 mount.famfs and mount -t fuse.famfs, the file tools and famfs init, the
 PID 1 of the famfs appliance.  A systemd unit (famfs@.service) serves a
 mount point.
EOF

chmod 0644 "$r/DEBIAN/control" "$r/DEBIAN/conffiles" "$r/DEBIAN/md5sums"
mkdir -p "$outdir"
deb=$outdir/famfs_${ver}_${arch}.deb
dpkg-deb --root-owner-group -Zxz --build "$r" "$deb" >/dev/null
echo "$deb"
