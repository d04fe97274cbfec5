#!/usr/bin/env bash
# Devices are found by UUID, not by name: a filesystem over four images is
# remounted after the secondaries were renamed, moved to another directory
# and listed in another order (--device paths, a --device glob, famfs.ini [device]
# path and scan), and every file still verifies.  With a secondary gone
# the mount still works: files on the other devices read, the files that
# use the missing one fail to open with ENXIO, famfs status and fsck name
# its UUID (fsck exit 64); once it is back, the same mount opens them.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/integration/multi_lib.sh
. "$(dirname "$0")/multi_lib.sh"

mkdir d1 d2 away
mkimg d1/p 256M
for i in 1 2 3; do mkimg "d1/s$i" 128M; done
expect_exit 0 "$FAMFS" mkfs d1/p d1/s1 d1/s2 d1/s3
newmnt m
expect_exit 0 "$FAMFS" mount d1/p m
expect_exit 0 "$FAMFS" mkdir m/dir
expect_exit 0 "$FAMFS" creat -N 4 -C 2M -s 20M -r -S 11 m/dir/i4
expect_exit 0 "$FAMFS" creat -s 200M -r -S 12 m/dir/c0	# fills the primary
expect_exit 0 "$FAMFS" creat -s 60M -r -S 13 m/dir/c1	# most free: device 1
expect_exit 0 "$FAMFS" creat -s 50M -r -S 14 m/dir/c2	# then device 2
expect_exit 0 "$FAMFS" creat -s 4M -r -S 15 m/dir/small	# primary again
devs() { for f in "$@"; do printf '%s ' "$(ctl -k extents.0.dev m getmap "dir/$f")"; done; }
check_eq "0 0 1 2 0 " "$(devs i4 c0 c1 c2 small)" "first device of each file"
uuid2=$(status_dev m 2 uuid)
check_eq 36 "${#uuid2}" "device 2's UUID length"
expect_exit 0 umount m
wait_free d1/p

verify_all() {	# verify_all MNT WHAT
	local f ok=0
	for f in i4:11 c0:12 c1:13 c2:14 small:15; do
		"$FAMFS" verify -f "$1/dir/${f%:*}" -S "${f#*:}" >/dev/null 2>&1 && ok=$((ok + 1))
	done
	check_eq 5 "$ok" "files verified ($2)"
}

# ---- renamed, moved, listed in another order --------------------------------
mv d1/s1 d2/zz-was-s1
mv d1/s2 d2/aa-was-s2
mv d1/s3 d2/mm-was-s3
expect_exit 0 "$FAMFS" mount --device d2/mm-was-s3 --device d2/zz-was-s1 --device d2/aa-was-s2 d1/p m
verify_all m "--device in another order"
check_eq "found $PWD/d2/aa-was-s2" "$(status_dev m 2 state) $(status_dev m 2 path)" "device 2"
check_eq "$uuid2" "$(status_dev m 2 uuid)" "device 2's UUID"
expect_exit 0 umount m
wait_free d1/p
# only what was opened is looked for: a fresh mount has found nothing yet
expect_exit 0 "$FAMFS" mount --device 'd2/*' d1/p m
check_eq "unresolved unresolved unresolved" "$(status_dev m 1 state) $(status_dev m 2 state) $(status_dev m 3 state)" "secondaries before any open"
expect_exit 0 "$FAMFS" verify -f m/dir/c2 -S 14
check_eq "unresolved found unresolved" "$(status_dev m 1 state) $(status_dev m 2 state) $(status_dev m 3 state)" "secondaries after opening c2"
verify_all m "--device glob"
expect_exit 0 umount m
wait_free d1/p
# famfs.ini: [device] path for one, scan for the others
cat >cfg.ini <<INI
[device]
path = $PWD/d2/zz-was-s1
scan = $PWD/d2/aa-*
scan = $PWD/d2/mm-*
INI
expect_exit 0 "$FAMFS" -c cfg.ini mount d1/p m
verify_all m "famfs.ini path and scan"
expect_exit 0 umount m
wait_free d1/p
# scan = (nothing) and scan_image_dir = no: the secondaries are not found
printf '[device]\nscan =\nscan_image_dir = no\n' >none.ini
mv d2/* d1/
expect_exit 0 "$FAMFS" -c none.ini mount d1/p m
check_eq "ENXIO" "$(fsop openr m/dir/c1)" "c1 with no candidates"
check_eq "OK" "$(fsop openr m/dir/small)" "small (primary) with no candidates"
expect_exit 0 umount m
wait_free d1/p
# next to the primary image (scan_image_dir = yes, the default)
expect_exit 0 "$FAMFS" mount d1/p m
verify_all m "the image's directory"
expect_exit 0 umount m
wait_free d1/p

# ---- a missing secondary ---------------------------------------------------
mv d1/aa-was-s2 away/
expect_exit 0 "$FAMFS" mount d1/p m
expect_exit 0 "$FAMFS" verify -f m/dir/c0 -S 12
expect_exit 0 "$FAMFS" verify -f m/dir/c1 -S 13
expect_exit 0 "$FAMFS" verify -f m/dir/small -S 15
check_eq "ENXIO" "$(fsop openr m/dir/c2)" "c2 (on device 2) opens"
check_eq "ENXIO" "$(fsop openr m/dir/i4)" "i4 (a strip on device 2) opens"
expect_exit 1 "$FAMFS" verify -f m/dir/i4 -S 11
out_has "No such device or address"
check_eq "missing" "$(status_dev m 2 state)" "device 2's state"
check_eq "device 2 (UUID $uuid2) is not found on this host" "$(status_dev m 2 why)" "why"
expect_exit 0 "$FAMFS" status m
out_has "device 2   $uuid2 missing"
if ls -l m/dir >/dev/null 2>&1; then ok "the namespace lists"; else fail "ls m/dir"; fi
# the master places no new file on a device it knows is missing
expect_exit 0 "$FAMFS" creat -N 4 -C 2M -s 16M -r -S 16 m/dir/new4
check_eq "0 1 3 0" "$(for k in 0 1 2 3; do printf '%s ' "$(ctl -k extents.$k.dev m getmap dir/new4)"; done | sed 's/ $//')" "strips of a new file"
expect_exit 0 "$FAMFS" verify -f m/dir/new4 -S 16
# back again: the same mount finds it at the next open
mv away/aa-was-s2 d1/
expect_exit 0 "$FAMFS" verify -f m/dir/c2 -S 14
expect_exit 0 "$FAMFS" verify -f m/dir/i4 -S 11
check_eq "found" "$(status_dev m 2 state)" "device 2 after it came back"
expect_exit 0 umount m
wait_free d1/p

# a fresh mount has looked for nothing yet: creating a file looks for the
# devices first and places no strip on one this host does not have
mv d1/aa-was-s2 away/
expect_exit 0 "$FAMFS" mount d1/p m
expect_exit 0 "$FAMFS" creat -N 4 -C 2M -s 16M -r -S 17 m/dir/fresh4
check_eq "0 1 3 0" "$(for k in 0 1 2 3; do printf '%s ' "$(ctl -k extents.$k.dev m getmap dir/fresh4)"; done | sed 's/ $//')" "strips of a file made right after the mount"
expect_exit 0 "$FAMFS" verify -f m/dir/fresh4 -S 17
check_eq "missing" "$(status_dev m 2 state)" "device 2 after the create"
expect_exit 0 umount m
wait_free d1/p

# ---- fsck names the missing device -----------------------------------------
expect_exit 64 "$FAMFS" fsck d1/p
out_has "device 2 (UUID $uuid2) is not found on this host"
out_matches "device 2 +$uuid2 .* missing"
expect_exit 64 "$FAMFS" fsck --json d1/p
cp "$OUT.stdout" miss.json
check_eq 64 "$(json_get miss.json exit)" "JSON exit"
expect_exit 0 "$FAMFS" fsck --device away/aa-was-s2 d1/p
finish
