#!/usr/bin/env bash
# The replay verdict (docs/format.md 10.1) through mount and through the
# server's refresh: one entry with a bad checksum in the middle of the log.
#  - mount: exits 0, says where replay stopped and that creates are
#    refused; the server starts "damaged" (status, --json state_why);
#    the entries before the damage are served, the ones after it are not;
#    famfs creat and mkdir on the master are refused and the log gains
#    nothing; fsck names the entry.
#  - refresh: a master and a client mounted on a clean log; entries land
#    (a good one, then one with a bad checksum), as another writer's
#    would: a listing serves the good one, both servers go from "serving"
#    to "damaged", the master refuses creates, logplay names the entry.
#  - refuse: both tail records damaged: mount exits 1, nothing mounted.
# (init acts on the same verdict through the mount it runs: t22.)
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/integration/mnt.sh
. "$(dirname "$0")/mnt.sh"
need_exec "$TESTGEN"

HB=$PWD/hostB/system_uuid
onB() { FAMFS_SYSTEM_UUID_FILE=$HB "$@"; }
mkdir -p hostB

# next_off of IMG's log: where the next entry goes (log-relative)
next_off() { tail_field "$1" 1; }
LOG=0
# flip_entry IMG OFF: one byte in the body of the entry at log offset OFF
flip_entry() { flipbyte "$1" $((LOG + $2 + 24 + 2)); }

mkimg base 256M
expect_exit 0 "$FAMFS" mkfs base
LOG=$(tail_field base 3)
testgen base mkdir d
testgen base file d/a 4096

# ---- mount: a bad entry in the middle -------------------------------------------
cpimg base mid.img
testgen mid.img file d/b 4096
e3=$(next_off mid.img)
testgen mid.img file d/c 4096
testgen mid.img file d/e 4096
flip_entry mid.img "$e3"
expect_exit 4 "$FAMFS" fsck mid.img
out_has "log entry 3 at offset $(printf '%#x' "$e3")"
newmnt m c
expect_exit 0 "$FAMFS" mount mid.img m
out_has "replay stopped at the damage: log entry 3 at offset $(printf '%#x' "$e3")"
out_has "3 entries are served, creates are refused (run famfs fsck)"
check_eq damaged "$(ctl -k state m status)" "the server's state after a mount with a bad entry"
check_eq 3 "$(ctl -k log_entries m status)" "entries served"
expect_exit 0 "$FAMFS" status m
out_matches "state +damaged \(log entry 3 at offset"
expect_exit 0 "$FAMFS" status --json m
out_has '"state":"damaged","state_why":"log entry 3 at offset'
check_eq "a b" "$(words m/d)" "entries before the damage, none after"
expect_exit 1 "$FAMFS" creat -s 4096 m/d/new
out_has "the filesystem is damaged (log entry 3 at offset"
out_has "creates are refused; run famfs fsck"
expect_exit 1 "$FAMFS" mkdir m/newdir
out_has "creates are refused"
check_eq 3 "$(ctl -k log_entries m status)" "entries after the refused creates"
umount_wait m
expect_exit 4 "$FAMFS" fsck mid.img
out_has "log entry 3 at offset"

# ---- refresh: the bad entry lands while mounted -----------------------------------
cpimg base live.img
cpimg base live2.img
testgen live2.img file d/b 4096
e3=$(next_off live2.img)
testgen live2.img file d/c 4096
flip_entry live2.img "$e3"
expect_exit 0 "$FAMFS" mount live.img m
onB expect_exit 0 "$FAMFS" mount live.img c
check_eq "serving serving" "$(ctl -k state m status) $(ctl -k state c status)" "both servers before"
check_eq "a" "$(words m/d)" "the master before the entries land"
check_eq "a" "$(words c/d)" "the client before the entries land"
lo=$LOG
# the log region of live2.img copied into the mounted image, as another
# writer's appends would land
dd if=live2.img of=live.img bs=1M skip=$((lo >> 20)) seek=$((lo >> 20)) count=8 conv=notrunc status=none
check_eq "a b" "$(words m/d | tr ' ' '\n' | sort | tr '\n' ' ' | sed 's/ $//')" "the master serves the good new entry"
check_eq "a b" "$(words c/d | tr ' ' '\n' | sort | tr '\n' ' ' | sed 's/ $//')" "the client serves the good new entry"
check_eq "damaged damaged" "$(ctl -k state m status) $(ctl -k state c status)" "both servers after the bad entry"
check_eq "3 3" "$(ctl -k log_entries m status) $(ctl -k log_entries c status)" "entries served"
expect_exit 0 "$FAMFS" status m
out_has "log entry 3 at offset $(printf '%#x' "$e3")"
expect_exit 1 "$FAMFS" creat -s 4096 m/d/new
out_has "creates are refused"
check_eq ENOENT "$(fsop openr m/d/new)" "no file from the refused create"
onB expect_exit 1 "$FAMFS" logplay c
out_has "log entry 3 at offset $(printf '%#x' "$e3")"
expect_exit 1 "$FAMFS" logplay m
out_has "log entry 3 at offset $(printf '%#x' "$e3")"
umount_wait c
umount_wait m

# ---- refuse: no tail record to trust --------------------------------------------
cpimg base notail.img
flipbyte notail.img $((LOG + 0x200 + 3))
flipbyte notail.img $((LOG + 0x240 + 3))
expect_exit 1 "$FAMFS" mount notail.img m
out_has "cannot replay the log: both log tail records are damaged"
check_eq 0 "$(mnt_count m)" "mounts after the refused mount"

finish
