#!/usr/bin/env bash
# famfs@.service as installed by `make install DESTDIR`: systemd-analyze
# verify accepts it (and rejects a broken copy), and its ExecStart= and
# ExecStop= lines, read from the installed file and run the way systemd runs
# them (unitexec.py: specifiers for the escaped mount point, Environment=,
# EnvironmentFile=, $VAR splitting, systemd's PATH, nothing else from our
# environment), serve and unmount real images.  In a private mount
# namespace DESTDIR/usr/sbin is overlaid on /usr/sbin and a test /etc
# (famfs.ini, famfs/INSTANCE.conf) on /etc.  Cases: the device from
# /etc/famfs.ini; FAMFS_DEVICE and FAMFS_OPTIONS (-o ro) from the instance's
# EnvironmentFile; a start that fails (not famfs) leaves nothing mounted;
# stop after the server ended by itself, and stop over a mount point that
# holds something else, are no-ops; a stop refused because a file is open
# is followed by SIGTERM to the server (KillMode=mixed), which unmounts.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/integration/lib_install.sh
. "$(dirname "$0")/lib_install.sh"
for t in mount umount findmnt systemd-escape; do
	command -v $t >/dev/null 2>&1 || { echo "skip: $t is missing"; exit 77; }
done
in_private_ns "$0"
HERE=$(cd "$(dirname "$0")" && pwd)

install_dest "$PWD/dest"
UNIT=$PWD/dest/lib/systemd/system/famfs@.service
check_eq 1 "$([ -f "$UNIT" ] && echo 1 || echo 0)" "make install put famfs@.service in /lib/systemd/system"
overlay_dir /usr/sbin "$PWD/dest/usr/sbin"

MNT=$PWD/mnt MNT2=$PWD/mnt2 MNT3=$PWD/mnt3
mkdir -p "$MNT" "$MNT2" "$MNT3"
for m in "$MNT" "$MNT2" "$MNT3"; do track_mount "$m"; done
I1=$(systemd-escape -p "$MNT")
I2=$(systemd-escape -p "$MNT2")
I3=$(systemd-escape -p "$MNT3")
check_eq "$MNT" "$(systemd-escape -u -p "$I1")" "instance $I1 names $MNT"

mkimg img 256M
mkimg img2 256M
mkimg junk 64M
expect_exit 0 "$FAMFS" mkfs img
expect_exit 0 "$FAMFS" mkfs img2
head -c 200000 /dev/urandom >data

# /etc for this namespace: the configuration names img and our host id;
# mnt2's instance takes img2 read-only, mnt3's the junk file.
mkdir -p etc/famfs
cat >etc/famfs.ini <<EOF
[device]
path = $PWD/img
[host]
uuid_file = $FAMFS_SYSTEM_UUID_FILE
EOF
printf 'FAMFS_DEVICE=%s\nFAMFS_OPTIONS="-o ro --timeout 5"\n' "$PWD/img2" >"etc/famfs/$I2.conf"
printf '# not famfs\nFAMFS_DEVICE=%s\n' "$PWD/junk" >"etc/famfs/$I3.conf"
overlay_dir /etc "$PWD/etc"

# ---- systemd-analyze verify ---------------------------------------------------
if command -v systemd-analyze >/dev/null 2>&1; then
	# it checks the commands exist and runs man for Documentation=
	export MANPATH=$PWD/dest/usr/share/man
	expect_exit 0 systemd-analyze verify "$(dirname "$UNIT")/famfs@$I1.service"
	check_eq "" "$(cat "$OUT")" "systemd-analyze verify has nothing to say"
	# and it does look: a typo is reported, a missing command fails
	mkdir bad
	sed 's/^Type=forking/Type=forkin/' "$UNIT" >bad/famfs@.service
	expect_exit 0 systemd-analyze verify "$PWD/bad/famfs@$I1.service"
	out_has "Failed to parse service type"
	sed 's|^ExecStart=/usr/sbin/famfs |ExecStart=/usr/sbin/famfs-nothere |' "$UNIT" >bad/famfs@.service
	expect_exit 1 systemd-analyze verify "$PWD/bad/famfs@$I1.service"
	out_has "famfs-nothere is not executable"
	unset MANPATH
else
	fail "systemd-analyze is missing (Debian package systemd, mk/install-deps.sh)"
fi

unit() {	# unit INSTANCE KEY: run the unit's line as systemd would
	expect_exit "${EXPECT:-0}" "$PY" -S "$HERE/unitexec.py" "$UNIT" "$1" "$2"
}

# serves MNT IMG WHAT: mounted, famfs from IMG, answering
serves() {
	check_eq "1 fuse.famfs $2" \
		"$(mnt_count "$1") $(awk -v m="$1" '$5 == m { for (i = 7; $i != "-"; i++); print $(i + 1), $(i + 2) }' /proc/self/mountinfo)" \
		"$3: mounts, type and source on $1"
	check_eq 1 "$(stat -c %i "$1" 2>&1)" "$3: the mount answers when ExecStart returns"
}

stops() {	# stops MNT PID WHAT: nothing mounted, the server gone
	check_eq 0 "$(mnt_count "$1")" "$3: mounts on $1"
	if [ -n "$2" ] && wait_gone "$2" 2; then
		ok "$3: server $2 gone"
	else
		fail "$3: server '$2' still running 2 s later"
	fi
}

# ---- the device from /etc/famfs.ini --------------------------------------------
unit "$I1" ExecStart
out_has "famfs mount $MNT"
serves "$MNT" "$PWD/img" "famfs@$I1"
pid=$(status_key "$MNT" pid)
check_eq master "$(status_key "$MNT" role)" "role of famfs@$I1"
expect_exit 0 /usr/sbin/famfs cp data "$MNT/data"
if cmp -s data "$MNT/data"; then ok "a file copied in reads back"; else fail "data reads other bytes"; fi
unit "$I1" ExecStop
stops "$MNT" "$pid" "ExecStop of famfs@$I1"

# ---- FAMFS_DEVICE and FAMFS_OPTIONS from /etc/famfs/INSTANCE.conf -------------
unit "$I2" ExecStart
out_has "famfs mount -o ro --timeout 5 $PWD/img2 $MNT2"
serves "$MNT2" "$PWD/img2" "famfs@$I2"
check_eq client "$(status_key "$MNT2" role)" "role of famfs@$I2 with -o ro"
pid=$(status_key "$MNT2" pid)
unit "$I2" ExecStop
stops "$MNT2" "$pid" "ExecStop of famfs@$I2"

# ---- a start that fails leaves nothing behind -----------------------------------
EXPECT=1 unit "$I3" ExecStart
out_has "$PWD/junk"
check_eq 0 "$(mnt_count "$MNT3")" "mounts after a failed ExecStart"
unit "$I3" ExecStop

# ---- stop after the server ended by itself: nothing to do ------------------------
unit "$I1" ExecStart
pid=$(status_key "$MNT" pid)
expect_exit 0 umount "$MNT"
stops "$MNT" "$pid" "umount by hand"
unit "$I1" ExecStop

# ---- stop never unmounts what is not famfs --------------------------------------
mount -t tmpfs famfs-test-tmpfs "$MNT"
unit "$I1" ExecStop
check_eq 1 "$(mnt_count "$MNT")" "the tmpfs on $MNT after ExecStop"
umount "$MNT"

# ---- a busy stop: umount refused, then SIGTERM to the server (KillMode=mixed) ----
check_eq 1 "$(grep -c '^KillMode=mixed$' "$UNIT")" "KillMode=mixed in the unit"
unit "$I1" ExecStart
pid=$(status_key "$MNT" pid)
exec 3<"$MNT/data"
EXPECT=32 unit "$I1" ExecStop
check_eq 1 "$(mnt_count "$MNT")" "still mounted while a file is open"
kill -TERM "$pid"
stops "$MNT" "$pid" "SIGTERM to the main process"
exec 3<&-

expect_exit 0 "$FAMFS" fsck img
out_has "clean"
finish
