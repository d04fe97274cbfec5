#!/usr/bin/env bash
# famfs devadd on a mounted filesystem: the master writes the new device's
# secondary superblock and appends ADD_DAXDEV; new files use the device at
# once; a client mount (another host identity, mounted before the add)
# learns of it by replay, finds it by its UUID and reads the same bytes.
# Refusals (a device already in the filesystem, another filesystem's device
# without -f, a client, a missing path) leave the device unchanged.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/integration/multi_lib.sh
. "$(dirname "$0")/multi_lib.sh"

HB=$PWD/hostB/system_uuid
onB() { FAMFS_SYSTEM_UUID_FILE=$HB "$@"; }

mkimg p 256M
mkimg new1 128M
mkimg new2 128M
mkimg other 256M
expect_exit 0 "$FAMFS" mkfs p
expect_exit 0 "$FAMFS" mkfs other
newmnt A B
expect_exit 0 "$FAMFS" mount p A
onB expect_exit 0 "$FAMFS" mount p B
check_eq client "$(ctl -k role B status)" "role of B"
expect_exit 0 "$FAMFS" creat -s 10M -r -S 1 A/before
expect_exit 0 onB "$FAMFS" verify -f B/before -S 1

# ---- the add ---------------------------------------------------------------
expect_exit 0 "$FAMFS" devadd A new1
out_has "added $PWD/new1 as device 1"
check_eq 1 "$(sb_index new1)" "new1's superblock index"
check_eq "found $PWD/new1" "$(status_dev A 1 state) $(status_dev A 1 path)" "device 1 on A"
expect_exit 0 "$FAMFS" creat -N 2 -C 2M -s 12M -r -S 2 A/striped
check_eq "OK 6 0,1,0,1,0,1" "$(layout_check A striped p new1)" "striped over both"
# fill the primary: the next contiguous file lands on device 1
expect_exit 0 "$FAMFS" creat -s 220M A/fill
expect_exit 0 "$FAMFS" creat -s 20M -r -S 3 A/on1
check_eq 1 "$(ctl -k extents.0.dev A getmap on1)" "on1's device"
check_eq "OK 1 1" "$(layout_check A on1 p new1)" "on1 in new1's image"

# ---- the client -----------------------------------------------------------------
expect_exit 0 onB "$FAMFS" verify -f B/striped -S 2
expect_exit 0 onB "$FAMFS" verify -f B/on1 -S 3
check_eq "found $PWD/new1" "$(status_dev B 1 state) $(status_dev B 1 path)" "device 1 on B (found by UUID)"
check_eq "$(status_dev A 1 uuid)" "$(status_dev B 1 uuid)" "device 1's UUID on A and B"
expect_exit 1 onB "$FAMFS" devadd B new2
out_has "only the master"

# ---- refusals ------------------------------------------------------------------------
h1=$(sha new1) h2=$(sha new2) ho=$(sha other)
expect_exit 1 "$FAMFS" devadd A new1
out_has "already device 1 of this filesystem"
expect_exit 1 "$FAMFS" devadd A p
out_has "already device 0 of this filesystem"
expect_exit 1 "$FAMFS" devadd A other
out_has "use -f to overwrite it"
expect_exit 1 "$FAMFS" devadd A nosuch
out_has "device 'nosuch'"
check_eq "$h1 $h2 $ho" "$(sha new1) $(sha new2) $(sha other)" "devices after the refusals"
expect_exit 2 "$FAMFS" devadd A
out_has "need MOUNTPOINT and DEVICE"
# with -f another filesystem's device is taken
expect_exit 0 "$FAMFS" devadd -f A other
out_has "as device 2"
expect_exit 0 "$FAMFS" creat -N 3 -C 2M -s 6M -r -S 4 A/three
check_eq "OK 3 0,1,2" "$(layout_check A three p new1 other)" "three over three devices"
expect_exit 0 onB "$FAMFS" verify -f B/three -S 4

# ---- after: both unmounted, fsck sees three devices ---------------------------------
expect_exit 0 umount B
expect_exit 0 umount A
wait_free p
expect_exit 0 "$FAMFS" fsck p
out_has "3 device(s)"
out_matches "device 2 +[0-9a-f-]{36} .*other"
# a fresh client mount resolves both
onB expect_exit 0 "$FAMFS" mount p B
expect_exit 0 onB "$FAMFS" verify -f B/three -S 4
expect_exit 0 umount B
finish
