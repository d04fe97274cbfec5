#!/usr/bin/env bash
# A filesystem made by the first release (tests/golden/v0.1: two devices,
# see MADE) still works: fsck is clean, its master (the host that made it)
# mounts the primary and reads every file as it was written (size, mode,
# owner, bytes; the striped file's chunks alternate over both devices),
# creates new files and a directory on it, fsck is clean after the
# unmount, and a remount reads the old and the new files again.  The new
# kinds of issue 11 (a symlink, an empty file, an xattr) on this old
# filesystem: OLD_FS_NEW_KINDS below says what the master does.  The
# images are decompressed into the scratch directory; tests/golden is
# never written (checked).
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/integration/multi_lib.sh
. "$(dirname "$0")/multi_lib.sh"
# shellcheck source=tests/integration/fidelity_lib.sh
. "$(dirname "$0")/fidelity_lib.sh"
command -v mount >/dev/null 2>&1 || { echo "skip: mount(8) is missing"; exit 77; }
command -v xz >/dev/null 2>&1 || { echo "FAIL: xz is missing"; exit 1; }

# What the master does with a new kind of entry on a filesystem made
# before it existed (the lead's decision; one of):
#   enable  the first use turns the filesystem's feature bit on, and the
#           entry is made (an older famfs then refuses the filesystem)
#   refuse  the command fails (exit 1), names the feature, makes nothing
OLD_FS_NEW_KINDS=${OLD_FS_NEW_KINDS:-enable}
FEATURE_RE='feature'	# the refusal's message matches this (ERE)
# famfs_format.h: the incompat features the new kinds need (EMPTY,
# SYMLINK, XATTR), and LARGE_ENTRY, which only mkfs sets
NEED_BITS=$((0x02 | 0x04 | 0x20))
MKFS_ONLY=$((0x80))
incompat() { od -An -tu4 -j $((0x14)) -N4 "$1" | tr -d ' '; }

GOLD=$(cd "$(dirname "$0")/../golden/v0.1" && pwd)
gold_sums() { (cd "$GOLD" && sha256sum -- *); }
sums0=$(gold_sums)
xz -dc "$GOLD/primary.img.xz" >p.img || fail "xz -d primary.img.xz"
xz -dc "$GOLD/secondary.img.xz" >s.img || fail "xz -d secondary.img.xz"
check_eq "67108864 67108864" "$(stat -c %s p.img s.img | tr '\n' ' ' | sed 's/ $//')" "image sizes"
check_eq 0 "$(incompat p.img)" "incompat features of the first release's filesystem"

# ---- fsck, and the master's identity --------------------------------------------
expect_exit 0 "$FAMFS" fsck --json p.img
cp "$OUT.stdout" fsck0.json
check_eq 2 "$(json_get fsck0.json devices)" "devices"
check_eq 5 "$(json_get fsck0.json files)" "files"
check_eq 2 "$(json_get fsck0.json directories)" "directories"
check_eq 4096 "$(json_get fsck0.json alloc_unit)" "allocation unit"
expect_exit 0 "$FAMFS" fsck p.img
out_has "clean"
# this test is the host that made the filesystem: its master
master=$(json_get fsck0.json master_uuid)
check_eq 36 "${#master}" "length of the master's UUID"
echo "$master" >"$FAMFS_SYSTEM_UUID_FILE"

# ---- what the first release wrote ------------------------------------------------
printf 'hello golden\n' >g.txt
entries() {	# entries MNT: name, type, mode, owner (and size) of the old ones
	local n
	for n in a dir dir/b dir/sub dir/sub/g.txt dir/sub/striped dir/zero; do
		if [ -d "$1/$n" ]; then
			stat -c "$n %F %a %u %g" "$1/$n"
		else
			stat -c "$n %F %a %u %g %s" "$1/$n"
		fi
	done 2>&1
}
old_files() {	# old_files MNT WHAT ROOT: ROOT is what ls -A of the root shows
	local m=$1
	check_eq "$(
		cat <<-EOF
			a regular file 644 0 0 10000
			dir directory 755 0 0
			dir/b regular file 600 1000 100 40000
			dir/sub directory 755 0 0
			dir/sub/g.txt regular file 644 0 0 13
			dir/sub/striped regular file 644 0 0 65536
			dir/zero regular file 644 0 0 4096
		EOF
	)" "$(entries "$m")" "names, types, modes, owners and sizes, $2"
	check_eq "$3" "$(words "$m")" "the root, $2"
	for f in a:1 dir/b:2 dir/sub/striped:3; do
		expect_exit 0 "$FAMFS" verify -f "$m/${f%:*}" -S "${f#*:}"
	done
	if cmp -s g.txt "$m/dir/sub/g.txt"; then ok "g.txt's bytes, $2"; else fail "g.txt differs, $2"; fi
	if head -c 4096 /dev/zero | cmp -s - "$m/dir/zero"; then
		ok "dir/zero is 4 KiB of zeros, $2"
	else
		fail "dir/zero is not 4 KiB of zeros, $2"
	fi
	check_eq "OK 16 0,1,0,1,0,1,0,1,0,1,0,1,0,1,0,1" "$(layout_check "$m" dir/sub/striped p.img s.img)" \
		"striped: 4K chunks over both devices, $2"
}

newmnt m
expect_exit 0 "$FAMFS" mount p.img m
check_eq master "$(ctl -k role m status)" "role"
old_files m "as mounted" ".meta a dir"

# ---- new files and a directory ---------------------------------------------------
head -c 30000 /dev/urandom >n.bin
expect_exit 0 "$FAMFS" mkdir -p m/new/deeper
expect_exit 0 "$FAMFS" creat -r -S 11 -s 100000 -m 0640 -u 1234 -g 5678 m/new/f1
expect_exit 0 "$FAMFS" creat -N 2 -C 4K -r -S 12 -s 64K m/new/deeper/s2
expect_exit 0 "$FAMFS" cp n.bin m/new/
new_files() {	# new_files MNT WHAT
	local m=$1
	check_eq "deeper f1 n.bin" "$(words "$m/new" | sed 's/ \(empty\|link\|x\)//g')" "ls of new, $2"
	check_eq "640 1234 5678 100000" "$(stat -c '%a %u %g %s' "$m/new/f1")" "new/f1, $2"
	expect_exit 0 "$FAMFS" verify -f "$m/new/f1" -S 11
	expect_exit 0 "$FAMFS" verify -f "$m/new/deeper/s2" -S 12
	check_eq "OK 16 0,1,0,1,0,1,0,1,0,1,0,1,0,1,0,1" "$(layout_check "$m" new/deeper/s2 p.img s.img)" \
		"new/deeper/s2 over both devices, $2"
	if cmp -s n.bin "$m/new/n.bin"; then ok "new/n.bin's bytes, $2"; else fail "new/n.bin differs, $2"; fi
}
new_files m "made"
old_files m "after the new files" ".meta a dir new"

# ---- the new kinds of issue 11 on the old filesystem ------------------------------
KINDS=0
if has_new_kinds; then
	KINDS=1
	mkdir -p kinds
	: >kinds/empty
	printf 'x\n' >kinds/x
	"$PY" -S -c 'import os; os.setxattr("kinds/x", "user.golden", b"v1")'
	case $OLD_FS_NEW_KINDS in
	enable) want=0 ;;
	refuse) want=1 ;;
	*) fail "OLD_FS_NEW_KINDS='$OLD_FS_NEW_KINDS': enable or refuse"; want=0 ;;
	esac
	n0=$(ctl -k log_entries m status)
	expect_exit "$want" "$FAMFS" ln -s dir/sub/g.txt m/new/link
	[ "$want" = 1 ] && out_matches "$FEATURE_RE"
	expect_exit "$want" "$FAMFS" cp -a kinds/empty m/new/empty
	[ "$want" = 1 ] && out_matches "$FEATURE_RE"
	expect_exit "$want" "$FAMFS" cp -a kinds/x m/new/x
	[ "$want" = 1 ] && out_matches "$FEATURE_RE"
	if [ "$want" = 1 ]; then
		check_eq "$n0" "$(ctl -k log_entries m status)" "log entries after the refusals"
	fi
else
	echo "famfs has no cp -a / ln yet (issue 11): the new kinds are not tried"
fi
new_kinds() {	# new_kinds MNT WHAT
	local m=$1
	[ "$KINDS" = 1 ] || return 0
	if [ "$OLD_FS_NEW_KINDS" = refuse ]; then
		check_eq "deeper f1 n.bin" "$(words "$m/new")" "no new kinds made, $2"
		return 0
	fi
	check_eq "dir/sub/g.txt" "$(readlink "$m/new/link")" "new/link, $2"
	check_eq "regular empty file 0" "$(stat -c '%F %s' "$m/new/empty")" "new/empty, $2"
	check_eq "v1" "$("$PY" -S -c 'import os, sys
print(os.getxattr(sys.argv[1], "user.golden").decode())' "$m/new/x" 2>&1)" "new/x's xattr, $2"
}
new_kinds m "made"

# ---- unmount, fsck, remount ----------------------------------------------------------
umount_wait m
wait_free p.img
expect_exit 0 "$FAMFS" fsck p.img
out_has "clean"
# plain files and directories keep the first release's format; a new
# kind turns on (only) what it needs, or nothing when refused
f=$(incompat p.img)
if [ "$KINDS" = 1 ] && [ "$OLD_FS_NEW_KINDS" = enable ]; then
	check_eq "$NEED_BITS 0" "$((f & NEED_BITS)) $((f & MKFS_ONLY))" "incompat features after the new kinds ($f)"
else
	check_eq 0 "$f" "incompat features after new plain files and a directory"
fi
expect_exit 0 "$FAMFS" mount p.img m
old_files m "after a remount" ".meta a dir new"
new_files m "after a remount"
new_kinds m "after a remount"
umount_wait m
wait_free p.img
expect_exit 0 "$FAMFS" fsck p.img
check_eq "$sums0" "$(gold_sums)" "tests/golden/v0.1 unchanged"
finish
