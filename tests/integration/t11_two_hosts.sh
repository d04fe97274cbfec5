#!/usr/bin/env bash
# Two hosts on one machine: the same image mounted at A by its master and at
# B by another host identity (a read-only client).  What the master creates
# through the control file appears on B without any logplay, with the same
# bytes; the client can change nothing; both say who they are
# (user.famfs.identity); a remount of B replays the same namespace; when
# the memory is re-made under B, B goes stale: new names fail with ESTALE
# and it does not serve the new filesystem's data under its old names.
# Every mount is undone by the EXIT trap, also on failure.
# shellcheck disable=SC2012,SC2317 # ls is what is tested; cleanup runs from the trap
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
need_exec "$TESTGEN"

HA=$FAMFS_SYSTEM_UUID_FILE		# host A: the master (mkfs)
HB=$PWD/hostB/system_uuid		# host B: created by its first mount
HC=$PWD/hostC/system_uuid		# host C: re-makes the memory
onB() { FAMFS_SYSTEM_UUID_FILE=$HB "$@"; }

# shellcheck source=tests/integration/mnt.sh
. "$(dirname "$0")/mnt.sh"
listing() {	# path type mode size, sorted
	(cd "$1" && find . -printf '%p %y %m %s\n' | sort)
}
same_text() {
	if [ "$1" = "$2" ]; then
		ok "$3 ($(printf '%s\n' "$2" | wc -l) lines)"
	else
		fail "$3 differs:"
		diff <(printf '%s\n' "$1") <(printf '%s\n' "$2") | sed 's/^/     | /' | head -n 20
	fi
}
logsum() { sha256sum <"$1/.meta/.log" | cut -c1-64; }

# ---- the image, populated before mounting; A then B -------------------------
mkimg img 256M
expect_exit 0 "$FAMFS" mkfs img
testgen img mkdir pre
testgen img file pre/f 10000
expect_exit 0 "$FAMFS" fsck --json img
fs_uuid=$(json_get "$OUT.stdout" fs_uuid)
newmnt A B C
expect_exit 0 "$FAMFS" mount img A
onB expect_exit 0 "$FAMFS" mount img B
if [ -s "$HB" ]; then ok "B's mount created its identity $HB"; else fail "no identity file $HB"; fi
check_ne "$(head -n 1 "$HA")" "$(head -n 1 "$HB" 2>/dev/null)" "identities of A and B"
check_eq 1 "$(mnt_count A)" "mounts on A"
check_eq 1 "$(mnt_count B)" "mounts on B"
check_eq master "$(ctl -k role A status)" "role of A"
check_eq client "$(ctl -k role B status)" "role of B"
check_eq "OK fs_uuid=$fs_uuid role=master" "$(fsop getxattr A user.famfs.identity)" "identity xattr on A"
check_eq "OK fs_uuid=$fs_uuid role=client" "$(fsop getxattr B user.famfs.identity)" "identity xattr on B"
check_eq "OK fs_uuid=$fs_uuid role=client" "$(fsop getxattr B/pre/f user.famfs.identity)" "identity xattr on a file of B"
check_eq "OK user.famfs.identity" "$("$PY" -S -c 'import os, sys
print("OK " + " ".join(os.listxattr(sys.argv[1])))' B/pre/f 2>&1)" "listxattr on B"

# what testgen wrote before the mounts
check_eq ".meta pre" "$(words B)" "ls of B"
check_eq "444 10000" "$(stat -c '%a %s' B/pre/f 2>&1)" "pre/f on B: no write bits"
check_eq "644 10000" "$(stat -c '%a %s' A/pre/f 2>&1)" "pre/f on A"
check_eq "444 444 600" "$(stat -c %a B/.meta/.superblock B/.meta/.log B/.meta/.ctl | tr '\n' ' ' | sed 's/ $//')" "modes of B's .meta files"
head -c 10000 /dev/urandom >pat.pre
expect_exit 0 dd if=pat.pre of=A/pre/f conv=notrunc status=none
if cmp -s pat.pre B/pre/f; then ok "B reads what A wrote to pre/f"; else fail "B reads other bytes of pre/f"; fi

# ---- A creates, B sees it: no logplay --------------------------------------
replays0=$(ctl -k replays B status)
expect_exit 0 ctl -m 0640 A create new1 100000
check_eq "640 100000" "$(stat -c '%a %s' A/new1 2>&1)" "new1 on A"
check_eq ".meta new1 pre" "$(words B)" "ls of B after A created new1"
check_eq "regular file 440 100000" "$(stat -c '%F %a %s' B/new1 2>&1)" "new1 on B (write bits dropped)"
# a direct lookup (no listing first) of a name made after B's last look
expect_exit 0 ctl A create new2 4096
check_eq "regular file 444 4096" "$(stat -c '%F %a %s' B/new2 2>&1)" "stat of new2 on B without a listing"
replays1=$(ctl -k replays B status)
if [ "${replays1:-0}" -gt "${replays0:-0}" ]; then
	ok "B replayed the new entries by itself ($replays0 -> $replays1)"
else
	fail "B's replay count did not move ($replays0 -> $replays1)"
fi
check_eq "$(ctl -k log_entries A status)" "$(ctl -k log_entries B status)" "log entries A = B"
check_eq "$(ctl -k extents.0.offset A getmap new1)" "$(ctl -k extents.0.offset B getmap new1)" "extent of new1 on A = on B"

# the same bytes on both, and B sees a rewrite at once (no stale cache)
head -c 100000 /dev/urandom >pat1
head -c 100000 /dev/urandom >pat2
expect_exit 0 dd if=pat1 of=A/new1 bs=64k conv=notrunc status=none
if cmp -s pat1 A/new1; then ok "A reads new1 back"; else fail "A reads other bytes of new1"; fi
if cmp -s pat1 B/new1; then ok "B reads the bytes A wrote to new1"; else fail "B reads other bytes of new1"; fi
expect_exit 0 dd if=pat2 of=A/new1 bs=64k conv=notrunc status=none
if cmp -s pat2 B/new1; then ok "B sees A's rewrite of new1"; else fail "B does not see A's rewrite of new1"; fi

# directories made on A
expect_exit 0 ctl A mkdir dir1
expect_exit 0 ctl -p A mkdir x/y/z
expect_exit 0 ctl A create dir1/inner 8192
check_eq "directory 755" "$(stat -c '%F %a' B/dir1 2>&1)" "dir1 on B"
check_eq "inner" "$(words B/dir1)" "ls of B/dir1"
check_eq "z" "$(words B/x/y)" "ls of B/x/y"
check_eq "regular file 444 8192" "$(stat -c '%F %a %s' B/dir1/inner 2>&1)" "dir1/inner on B"
check_eq ".meta dir1 new1 new2 pre x" "$(words B)" "ls of B"
check_eq "" "$(find B -path B/.meta -prune -o -type f -perm /222 -print)" "files of B with a write bit"
check_eq "" "$(find B/.meta -type f -perm /222 ! -name .ctl -print)" "B's .meta files with a write bit (but .ctl)"

# ---- the client can change nothing -----------------------------------------
sumA=$(logsum A)
listB=$(listing B)
expect_exit 1 ctl B create nope 4096
check_eq EROFS "$(ctl -k errname B create nope 4096)" "CREATE on the client"
out_has "client"
check_eq "this host is a client of the filesystem: only the master can create" "$(ctl -k msg B create nope 4096)" "the client's CREATE message"
check_eq EROFS "$(ctl -k errname B mkdir nope)" "MKDIR on the client"
check_eq EROFS "$(ctl -k errname B clone new1 nope)" "CLONE on the client"
expect_exit 1 dd if=pat1 of=B/new1 conv=notrunc status=none
out_has "Read-only file system"
check_eq EROFS "$(fsop openw B/new1)" "open O_WRONLY on the client"
check_eq EROFS "$(fsop openrw B/new1)" "open O_RDWR on the client"
check_eq EROFS "$(fsop pwrite B/new1 0 10)" "pwrite on the client"
check_eq EROFS "$(fsop chmod B/new1 666)" "chmod on the client"
expect_exit 1 chmod 666 B/new1
check_eq EROFS "$(fsop chown B/new1 1 1)" "chown on the client"
check_eq EROFS "$(fsop truncate B/new1 0)" "truncate to 0 on the client"
check_eq EROFS "$(fsop truncate B/new1 200000)" "truncate longer on the client"
expect_exit 1 truncate -s 10 B/new1
check_eq EROFS "$(fsop opentrunc B/new1)" "open O_TRUNC on the client"
check_eq EROFS "$(fsop creat B/nope)" "create a file on the client"
check_eq EROFS "$(fsop mkdir B/nope)" "mkdir on the client"
check_eq EROFS "$(fsop unlink B/new1)" "unlink on the client"
check_eq EROFS "$(fsop rmdir B/x/y/z)" "rmdir on the client"
check_eq EROFS "$(fsop rename B/new1 B/nope)" "rename on the client"
check_eq EROFS "$(fsop setxattr B/new1 user.x 1)" "setxattr on the client"
check_eq EROFS "$(fsop openw B/.meta/.log)" "open .meta/.log for writing on the client"
if cmp -s pat2 B/new1 && cmp -s pat2 A/new1; then ok "new1 unchanged by the client"; else fail "new1 changed"; fi
check_eq "$sumA" "$(logsum A)" "the log after the client's attempts"
same_text "$listB" "$(listing B)" "B's namespace after the client's attempts"

# ---- a remount of B replays the same namespace -------------------------------
pidB=$(ctl -k pid B status)
expect_exit 0 umount B
if wait_gone "$pidB" 2; then ok "B's server gone after umount"; else fail "B's server still running"; fi
check_eq master "$(ctl -k role A status)" "A still serves after B left"
onB expect_exit 0 "$FAMFS" mount img B
same_text "$listB" "$(listing B)" "B's namespace after remount"
if cmp -s pat2 B/new1; then ok "new1 after B's remount"; else fail "new1 differs after B's remount"; fi
# A and B agree on names, types and sizes (modes differ: the client's lack w)
same_text "$(cd A && find . -printf '%p %y %s\n' | sort)" "$(cd B && find . -printf '%p %y %s\n' | sort)" "names, types and sizes on A and B"

# ---- the memory is re-made under B ------------------------------------------
off_old=$(ctl -k extents.0.offset B getmap pre/f)
pidA=$(ctl -k pid A status)
expect_exit 0 umount A
if wait_gone "$pidA" 2; then ok "A's server gone after umount"; else fail "A's server still running"; fi
# on this machine B's mount protects the device: mkfs -f by A is refused
s=$(sha img)
expect_exit 1 "$FAMFS" mkfs -f img
out_has "mounted"
check_eq "$s" "$(sha img)" "image unchanged by the refused mkfs -f"
# another host re-makes the memory: a new filesystem (made and populated on
# a copy, through its own mount) is written over the shared bytes
mkimg img2 256M
FAMFS_SYSTEM_UUID_FILE=$HC expect_exit 0 "$FAMFS" mkfs img2
FAMFS_SYSTEM_UUID_FILE=$HC expect_exit 0 "$FAMFS" mount img2 C
expect_exit 0 ctl C create brandnew 10000
expect_exit 0 ctl C mkdir newdir
head -c 10000 /dev/zero | tr '\0' 'N' >pat.new
expect_exit 0 dd if=pat.new of=C/brandnew conv=notrunc status=none
off_new=$(ctl -k extents.0.offset C getmap brandnew)
new_uuid=$(ctl -k fs_uuid C status)
expect_exit 0 umount C
check_eq "$off_old" "$off_new" "the new file brandnew takes the old pre/f's extent"
end=$(( (off_new + 10000) / 1048576 + 1 ))
expect_exit 0 dd if=img2 of=img bs=1M count="$end" conv=notrunc status=none
check_ne "$fs_uuid" "$new_uuid" "old and new filesystem UUIDs"

# B: new names are not served; the mount says it is stale and still answers
check_eq ESTALE "$(fsop openr B/brandnew)" "lookup of the new filesystem's file on B"
check_eq ESTALE "$(fsop openr B/newdir)" "lookup of the new filesystem's directory on B"
expect_exit 1 stat B/brandnew
out_has "Stale file handle"
check_eq stale "$(ctl -k state B status)" "B's state"
expect_exit 1 ctl B logplay
check_eq ESTALE "$(ctl -k errname B logplay)" "LOGPLAY on the stale B"
out_has "another filesystem"
check_eq "OK fs_uuid=$fs_uuid role=client" "$(fsop getxattr B user.famfs.identity)" "B's identity still names the old filesystem"
# a listing never shows the new filesystem's names
if [[ " $(words B) " =~ \ (brandnew|newdir)\  ]]; then
	fail "B lists the new filesystem's names"
else
	ok "B does not list the new filesystem's names"
fi
# a stale mount should not go on serving the old namespace or, under old
# names, the memory the new filesystem now owns
r=$(fsop listdir B)
case $r in
ESTALE | EIO) ok "listing the stale B fails ($r)" ;;
*) fail "the stale B still lists its old namespace: $r" ;;
esac
r=$(fsop read B/pre/f 0 16)
case $r in
ESTALE | EIO) ok "reading an old file on the stale B fails ($r)" ;;
"OK NNNNNNNNNNNNNNNN") fail "the stale B serves the new filesystem's brandnew bytes as pre/f" ;;
*) fail "the stale B serves pre/f: '$r'" ;;
esac
# B unmounts cleanly; a new mount of B serves the new filesystem
pidB=$(ctl -k pid B status)
expect_exit 0 umount B
if wait_gone "$pidB" 2; then ok "stale B's server gone after umount"; else fail "stale B's server still running"; fi
onB expect_exit 0 "$FAMFS" mount img B
check_eq ".meta brandnew newdir" "$(words B)" "B after a remount serves the new filesystem"
check_eq "OK fs_uuid=$new_uuid role=client" "$(fsop getxattr B user.famfs.identity)" "identity after the remount"
if cmp -s pat.new B/brandnew; then ok "brandnew's bytes on the new mount"; else fail "brandnew reads other bytes"; fi
expect_exit 0 umount B
check_eq "0 0 0" "$(mnt_count A) $(mnt_count B) $(mnt_count C)" "nothing left mounted"

finish
