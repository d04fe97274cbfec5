#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# tests/debian/customize.sh ROOTDIR   (run by tests/debian/mkroot.sh)
#
# What the appliance's Debian root needs over mmdebstrap's tree; applied
# after the cache's tarball is extracted, so changing it never rebuilds
# the tarball.  Both guests boot the SAME tree (read-only famfs below, a
# tmpfs of their own above), so nothing here may name one host:
#   - tests/debian/overlay/ is copied in: famfs-debian-ok.service (at
#     multi-user.target: the console marker, then power off) and its
#     script, famfs-debian-shell.service (the interactive console of
#     make appliance-qemu ROOT=debian), journald volatile
#   - /etc/machine-id empty: not a first boot (no firstboot prompts, no
#     preset-all), and systemd makes a fresh random ID each boot, written
#     into the guest's own upper layer; /var/lib/dbus/machine-id follows it
#   - /etc/hostname famfs-debian (systemd.hostname= on the kernel command
#     line names each guest)
#   - getty masked (the console is the marker's; a login prompt would only
#     wait), and anything that waits for a network (there is none)
#   - /mnt/famfs: where famfs init moves the famfs mount in the new root

set -euo pipefail
cd "$(dirname "$0")/../.."
R=${1:?usage: tests/debian/customize.sh ROOTDIR}
[ -d "$R/etc/systemd/system" ] || { echo "customize.sh: $R is not a systemd root" >&2; exit 1; }

# --- files kept in the repository ---
# owner root, modes as in the repository (git keeps the x bit)
cp -r --no-preserve=ownership tests/debian/overlay/. "$R/"
chmod 0644 "$R"/etc/systemd/system/famfs-debian-*.service \
	"$R"/etc/systemd/journald.conf.d/famfs-debian.conf
chmod 0755 "$R/usr/local/sbin/famfs-debian-ok"

# --- enable the units (what systemctl enable would link) ---
wants=$R/etc/systemd/system/multi-user.target.wants
mkdir -p "$wants"
ln -sfn /etc/systemd/system/famfs-debian-ok.service "$wants/famfs-debian-ok.service"
ln -sfn /etc/systemd/system/famfs-debian-shell.service "$wants/famfs-debian-shell.service"

# --- mask: no getty waits, no network waits ---
for u in getty.target getty@.service serial-getty@.service console-getty.service \
	getty-static.service \
	systemd-networkd-wait-online.service systemd-time-wait-sync.service \
	apt-daily.timer apt-daily-upgrade.timer; do
	ln -sfn /dev/null "$R/etc/systemd/system/$u"
done

# --- identity: shared by every guest, so none in the tree ---
: >"$R/etc/machine-id"
chmod 0444 "$R/etc/machine-id"
mkdir -p "$R/var/lib/dbus"
ln -sfn /etc/machine-id "$R/var/lib/dbus/machine-id"
# the boot ends at multi-user.target, not graphical.target (Debian's default)
ln -sfn /lib/systemd/system/multi-user.target "$R/etc/systemd/system/default.target"
echo famfs-debian >"$R/etc/hostname"
printf '127.0.0.1\tlocalhost\n127.0.1.1\tfamfs-debian\n' >"$R/etc/hosts"

# --- where famfs init moves the famfs mount ---
mkdir -p "$R/mnt/famfs"
