# SPDX-License-Identifier: Apache-2.0
# appliance-master: the master guest of tests/appliance/run.sh, on the
# shared region the appliance guests boot from afterwards.  It makes the
# filesystem and leaves in it:
#   /seed7        64 MiB of seed-7 test data (the payload verifies it)
#   /payload.sh   the payload of case (a): verify seed7, print a marker
#   /rootfs       a small busybox root tree whose /sbin/init runs the
#                 checks of case (b) as the new PID 1 after switch_root
#   /rootfs.md5   md5sum of every file of /rootfs, as copied
# then unmounts, syncs and checks with fsck.

export FAMFS_SYSTEM_UUID_FILE="$HOST_A"
wait_pmem
run famfs mkfs "$PMEM"
run famfs mount "$PMEM" /mnt
run famfs creat -r -S 7 -s 64M /mnt/seed7
run famfs verify -S 7 -f /mnt/seed7

P=/tmp/payload.sh
cat >"$P" <<'EOF'
#!/bin/sh
# case (a): runs from famfs as famfs init's payload
echo "APPLIANCE: payload running as pid $$ on $FAMFS_DEVICE at $FAMFS_MOUNT"
if famfs verify -S 7 -f "$FAMFS_MOUNT/seed7"; then
	echo "APPLIANCE: PAYLOAD-OK seed7 verifies"
else
	echo "APPLIANCE: PAYLOAD-BAD seed7 does not verify"
fi
famfs status "$FAMFS_MOUNT" | grep -E 'role|data path'
EOF
chmod 0755 "$P"
run famfs cp "$P" /mnt/payload.sh

R=/tmp/rootfs
mkdir -p "$R/bin" "$R/sbin" "$R/etc" "$R/dev" "$R/proc" "$R/sys" "$R/tmp" \
	"$R/mnt/famfs"
cp /bin/busybox /bin/famfs "$R/bin/"
echo "shared root tree, written by the master" >"$R/etc/motd"
cat >"$R/sbin/init" <<'EOF'
#!/bin/busybox sh
# case (b): PID 1 of the root tree in famfs, after famfs init's switch_root
/bin/busybox mkdir -p /usr/bin /usr/sbin
/bin/busybox --install -s /bin
export PATH=/bin:/sbin
say() { echo "APPLIANCE: $*"; }
bad() { say "ROOT-BAD $*"; }
say "ROOT-MARKER pid $$, root $(grep ' / ' /proc/mounts | cut -d' ' -f3 | tail -n 1), $(cat /etc/motd)"
[ "$$" = 1 ] || bad "init is pid $$, not 1"
grep -q ' / overlay ' /proc/mounts || bad "/ is not overlayfs: $(grep ' / ' /proc/mounts)"
M=/mnt/famfs
grep -q " $M fuse.famfs " /proc/mounts || bad "famfs is not mounted at $M"
srv=$(for p in /proc/[0-9]*; do
	c=$( { tr '\0' ' ' <"$p/cmdline"; } 2>/dev/null)
	case $c in @famfs*) echo "${p#/proc/}" ;; esac
done | head -n 1)
n=$(dmesg | grep -c 'famfs-init: state')
# init -> probe -> validate -> mount -> serve -> handoff before switch_root
[ "$n" -ge 5 ] || bad "the kernel log has $n famfs-init state lines, not 5"
[ -n "$srv" ] || bad "no @famfs server process"
# the server logs to the kernel log (no syslog here): its "mounted" line,
# at notice, names the device; shown on the console for the host to see
l=$(dmesg | grep -m1 "famfs\[$srv\]: .*mounted /dev/pmem0 (")
[ -n "$l" ] || bad "the kernel log has no famfs[$srv] mounted line"
say "ROOT-LOG $l"
famfs status "$M" >/tmp/status 2>&1 || bad "famfs status $M: $(tail -n 1 /tmp/status)"
grep -q "server pid  $srv" /tmp/status || bad "status names another server: $(grep pid /tmp/status)"
say "server $srv survived switch_root and answers: $(grep -E 'role' /tmp/status | tr -s ' ')"
# the server keeps the old root: it must still see /dev (secondary devices
# are found there lazily) and /proc
[ -e "/proc/$srv/root/dev/pmem0" ] ||
	bad "the server no longer sees /dev/pmem0 in its root: $(ls "/proc/$srv/root/dev" 2>&1 | head -c 120)"
[ -e "/proc/$srv/root/proc/self/status" ] || bad "the server no longer sees /proc"
echo "written on the client" >/etc/local-file || bad "cannot write /etc/local-file"
[ -f /etc/local-file ] || bad "/etc/local-file is missing"
[ -e "$M/rootfs/etc/local-file" ] && bad "local-file reached the shared copy"
cd "$M/rootfs" && md5sum -c -s "$M/rootfs.md5" || bad "the shared root tree changed"
cd /
say "ROOT-LOCAL local-file stays in the upper layer; the shared tree is unchanged"
sync
poweroff -f
EOF
chmod 0755 "$R/sbin/init"
run famfs cp -r "$R" /mnt/rootfs
(cd "$R" && find . -type f | sort | xargs md5sum) >/tmp/rootfs.md5 ||
	die "cannot checksum $R"
run famfs cp /tmp/rootfs.md5 /mnt/rootfs.md5
(cd /mnt/rootfs && md5sum -c -s /mnt/rootfs.md5) || die "the copy of $R differs"
say "master wrote seed7, payload.sh, rootfs ($(wc -l </tmp/rootfs.md5) files)"
unmount /mnt
sync
run famfs fsck "$PMEM"
