#!/usr/bin/env bash
# famfs mount: the mount answers as soon as the command returns and serves
# the replayed namespace, the .meta files and the data; statfs matches
# fsck; a second mount by this host, a mount point holding famfs, a
# non-famfs image, missing paths and bad options are refused with nothing
# left mounted; a mounted device is protected from mkfs, fsck and
# famfs-testgen; umount stops the server; a remount serves the same; the
# mount.famfs / mount -t fuse.famfs forms, -o options and -f work.
# Every mount is undone by the EXIT trap, also on failure.
# shellcheck disable=SC2012,SC2317 # ls is what is tested; cleanup runs from the trap
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
need_exec "$TESTGEN"
command -v mount >/dev/null 2>&1 || { echo "skip: mount(8) is missing"; exit 77; }

# shellcheck source=tests/integration/mnt.sh
. "$(dirname "$0")/mnt.sh"
HELPER=/sbin/mount.fuse.famfs
HELPER_MADE=0
cleanup() {
	mnt_cleanup
	# a refused mount may leave its registry lock behind (a known bug)
	[ -f junk ] && rm -f "$(reg_lock junk)"
	if [ "$HELPER_MADE" = 1 ] && [ "$(readlink "$HELPER")" = "$FAMFS" ]; then
		rm -f "$HELPER"
	fi
}
trap cleanup EXIT
# the namespace as one sorted text: path type mode size uid gid
listing() {
	(cd "$1" && find . -printf '%p %y %m %s %U %G\n' | sort)
}
same_text() {	# same_text EXPECTED ACTUAL WHAT: multi-line, a diff on failure
	if [ "$1" = "$2" ]; then
		ok "$3 ($(printf '%s\n' "$2" | wc -l) lines)"
	else
		fail "$3 differs:"
		diff <(printf '%s\n' "$1") <(printf '%s\n' "$2") | sed 's/^/     | /' | head -n 20
	fi
}
reg_lock() {	# the registry lock file of this host for image $1
	echo "/run/famfs/$(head -n 1 "$FAMFS_SYSTEM_UUID_FILE")-$(printf '%x' "$(stat -c %d "$1")")-$(printf '%x' "$(stat -c %i "$1")").lock"
}

# ---- an image populated before mounting -----------------------------------
mkimg img 256M
expect_exit 0 "$FAMFS" mkfs img
testgen img mkdir d1 d1/sub
testgen img file d1/a 5000
testgen img file big 3M
testgen img files 3 d2 4096
expect_exit 0 "$FAMFS" fsck --json img
cp "$OUT.stdout" pre.json
cap=$(json_get pre.json capacity)
free=$(json_get pre.json free)
au=$(json_get pre.json alloc_unit)
loglen=$(json_get pre.json log_len)

newmnt mnt mnt2 mnt3
expect_exit 0 "$FAMFS" mount img mnt
stdout_empty
# answers at once: no retry, no sleep
check_eq 1 "$(stat -c %i mnt 2>&1)" "inode of the mount root right after mount"
check_eq 65735546 "$(stat -f -c %t mnt 2>&1)" "statfs type of the mount (FUSE)"
check_eq "fuse.famfs $PWD/img" "$(awk -v m="$PWD/mnt" '$5 == m { for (i = 7; $i != "-"; i++); print $(i + 1), $(i + 2) }' /proc/self/mountinfo)" "type and source in mountinfo"
check_eq ".meta big d1 d2" "$(words mnt)" "ls of the root"
check_eq "a sub" "$(words mnt/d1)" "ls of d1"
check_eq "f0 f1 f2" "$(words mnt/d2)" "ls of d2"
check_eq "regular file 644 5000 0 0" "$(stat -c '%F %a %s %u %g' mnt/d1/a 2>&1)" "d1/a"
check_eq "regular file 644 3145728" "$(stat -c '%F %a %s' mnt/big 2>&1)" "big"
check_eq "regular file 644 4096" "$(stat -c '%F %a %s' mnt/d2/f1 2>&1)" "d2/f1"
check_eq "directory 755" "$(stat -c '%F %a' mnt/d1/sub 2>&1)" "d1/sub"
check_eq "directory 755" "$(stat -c '%F %a' mnt/.meta 2>&1)" ".meta"
if stat mnt/nothere >/dev/null 2>&1; then fail "a missing name stats"; else ok "a missing name does not stat"; fi

# ---- .meta ----------------------------------------------------------------
check_eq ".ctl .log .superblock" "$(words mnt/.meta)" "ls of .meta"
check_eq "444 2097152" "$(stat -c '%a %s' mnt/.meta/.superblock 2>&1)" ".superblock mode and size"
check_eq "444 $loglen" "$(stat -c '%a %s' mnt/.meta/.log 2>&1)" ".log mode and size (read-only on the master too)"
check_eq "600 0" "$(stat -c '%a %s' mnt/.meta/.ctl 2>&1)" ".ctl mode and size"
dd if=img of=sb.img bs=1M count=2 status=none
if cmp -s sb.img mnt/.meta/.superblock; then
	ok ".meta/.superblock = the image's first 2 MiB"
else
	fail ".meta/.superblock differs from the image's first 2 MiB"
fi
dd if=img of=log.img bs=1M skip=2 count=$((loglen >> 20)) status=none
if cmp -s log.img mnt/.meta/.log; then
	ok ".meta/.log = the log region of the image"
else
	fail ".meta/.log differs from the log region of the image"
fi

# ---- data through the mount lands in the file's extent ---------------------
head -c 5000 /dev/urandom >pat.a
head -c 3145728 /dev/urandom >pat.big
expect_exit 0 dd if=pat.a of=mnt/d1/a bs=4096 conv=notrunc status=none
expect_exit 0 dd if=pat.big of=mnt/big bs=1M conv=notrunc status=none
if cmp -s pat.a mnt/d1/a; then ok "d1/a reads back what was written"; else fail "d1/a reads back other bytes"; fi
if cmp -s pat.big mnt/big; then ok "big reads back what was written"; else fail "big reads back other bytes"; fi
expect_exit 0 ctl mnt getmap d1/a
cp "$OUT.stdout" map.a
off_a=$(ctl -k extents.0.offset mnt getmap d1/a)
check_eq 1 "$(ctl -k 'extents#' mnt getmap d1/a)" "extents of d1/a"
check_eq 5000 "$(ctl -k size mnt getmap d1/a)" "size in the map of d1/a"
if [ -n "$off_a" ] && cmp -s -n 5000 pat.a img 0 "$off_a"; then
	ok "d1/a's bytes are in the image at its extent ($off_a)"
else
	fail "d1/a's bytes are not in the image at its extent '$off_a'"
fi
off_b=$(ctl -k extents.0.offset mnt getmap big)
len_b=$(ctl -k extents.0.len mnt getmap big)
if [ -n "$off_b" ] && [ "${len_b:-0}" -ge 3145728 ] && cmp -s -n 3145728 pat.big img 0 "$off_b"; then
	ok "big's bytes are in the image at its extent ($off_b, $len_b)"
else
	fail "big's bytes are not in the image at its extent '$off_b' '$len_b'"
fi
expect_exit 1 ctl mnt getmap nothere
check_eq ENOENT "$(ctl -k errname mnt getmap nothere)" "GETMAP of a missing path"

# ---- statfs = what fsck reported before mounting ---------------------------
# blocks are 4 KiB (small files are packed: part of a unit can be free);
# the preferred I/O size is the allocation unit
check_eq 4096 "$(stat -f -c %S mnt)" "statfs fundamental block size (4 KiB, packed)"
check_eq "$au" "$(stat -f -c %s mnt)" "statfs I/O size (allocation unit)"
check_eq "$cap" "$(( $(stat -f -c '%S * %b' mnt) ))" "statfs capacity"
check_eq "$free" "$(( $(stat -f -c '%S * %f' mnt) ))" "statfs free"
check_eq "$free" "$(( $(stat -f -c '%S * %a' mnt) ))" "statfs available"
check_eq "$cap $free" "$(df -B1 --output=size,avail mnt | tail -n 1 | awk '{ print $1, $2 }')" "df -B1 size and avail"
# a file created through the control file takes whole allocation units
expect_exit 0 ctl mnt create made 5000000
check_eq "$((free - (5000000 + au - 1) / au * au))" "$(( $(stat -f -c '%S * %f' mnt) ))" "statfs free after a 5 MB create"
check_eq "regular file 644 5000000" "$(stat -c '%F %a %s' mnt/made 2>&1)" "the created file"

# ---- second mounts -------------------------------------------------------
expect_exit 1 "$FAMFS" mount img mnt2
out_has "already mounted"
check_eq 0 "$(mnt_count mnt2)" "mounts on mnt2 after the refused second mount"
ln img img.hardlink
expect_exit 1 "$FAMFS" mount img.hardlink mnt2
out_has "already mounted"
ln -s img img.symlink
expect_exit 1 "$FAMFS" mount img.symlink mnt2
out_has "already mounted"
check_eq 0 "$(mnt_count mnt2)" "mounts on mnt2 after mounts through other names"
mkimg other 256M
"$FAMFS" mkfs other >/dev/null 2>&1
expect_exit 1 "$FAMFS" mount other mnt
out_has "already holds famfs"
check_eq 1 "$(mnt_count mnt)" "mounts on mnt after the refused stacked mount"
check_eq "5000 a sub" "$(stat -c %s mnt/d1/a 2>&1) $(words mnt/d1)" "the first mount still answers"
if cmp -s pat.a mnt/d1/a; then ok "the first mount still reads d1/a"; else fail "the first mount no longer reads d1/a"; fi

# ---- refused mounts leave nothing mounted ---------------------------------
mkimg junk 64M
head -c 1M /dev/urandom | dd of=junk conv=notrunc status=none
expect_exit 1 "$FAMFS" mount junk mnt3
out_has "no famfs superblock"
check_eq 0 "$(mnt_count mnt3)" "mounts on mnt3 after a non-famfs image"
if [ -e "$(reg_lock junk)" ]; then
	fail "a refused mount left its registry lock $(reg_lock junk) behind"
else
	ok "a refused mount leaves no registry lock"
fi
expect_exit 1 "$FAMFS" mount nothere.img mnt3
out_has "nothere.img"
out_has "No such file or directory"
expect_exit 1 "$FAMFS" mount img nothere.dir
out_has "nothere.dir"
touch fmnt.file
expect_exit 1 "$FAMFS" mount img fmnt.file
out_has "not a directory"
expect_exit 2 "$FAMFS" mount --bogus img mnt3
expect_exit 2 "$FAMFS" mount -o bogus img mnt3
out_has "unknown mount option 'bogus'"
expect_exit 2 "$FAMFS" mount -o timeout=abc img mnt3
out_has "bad timeout"
expect_exit 2 "$FAMFS" mount -t -1 img mnt3
expect_exit 2 "$FAMFS" mount --data-path bogus img mnt3
out_has "bad data path"
expect_exit 2 "$FAMFS" mount img
check_eq 0 "$(mnt_count mnt3)" "mounts on mnt3 after all refusals"
check_eq 0 "$(mnt_count nothere.dir)" "mounts on the missing mount point"

# ---- a mounted device is protected -----------------------------------------
s=$(sha img)
expect_exit 1 "$FAMFS" mkfs -f img
out_has "mounted"
expect_exit 8 "$FAMFS" fsck img
out_has "mounted"
expect_exit 1 "$TESTGEN" img mkdir intruder
out_has "in use"
check_eq "$s" "$(sha img)" "image unchanged by mkfs -f / fsck / testgen while mounted"
check_eq 1 "$(mnt_count mnt)" "still mounted once"

# ---- umount stops the server ------------------------------------------------
pre_list=$(listing mnt)
pid=$(ctl -k pid mnt status)
comm=famfs
[ -n "${FAMFS_VALGRIND:-}" ] && comm=memcheck-amd64-	# valgrind's own name
check_eq "$comm" "$(cat "/proc/$pid/comm" 2>&1)" "STATUS pid $pid is a famfs process"
check_eq master "$(ctl -k role mnt status)" "STATUS role"
check_eq serving "$(ctl -k state mnt status)" "STATUS state"
# the registry names the serving process
if grep -q "pid $pid " "$(reg_lock img)" 2>/dev/null; then
	ok "the registry lock names the server pid $pid"
else
	fail "the registry lock names '$(cat "$(reg_lock img)" 2>&1)', not the server pid $pid"
fi
expect_exit 0 umount mnt
check_eq 0 "$(mnt_count mnt)" "mounts on mnt after umount"
if wait_gone "$pid" 2; then ok "server $pid gone within 2 s of umount"; else fail "server $pid still running 2 s after umount"; fi
if [ -e "$(reg_lock img)" ]; then fail "the registry lock outlived the server"; else ok "the registry lock is gone"; fi
expect_exit 0 "$FAMFS" fsck img
out_has "clean"

# ---- remount: the same namespace and the same bytes ------------------------
expect_exit 0 "$FAMFS" mount img mnt
same_text "$pre_list" "$(listing mnt)" "listing after remount"
if cmp -s pat.a mnt/d1/a && cmp -s pat.big mnt/big; then
	ok "data after remount"
else
	fail "data differs after remount"
fi
check_eq "$off_a" "$(ctl -k extents.0.offset mnt getmap d1/a)" "extent of d1/a after remount"
pid=$(ctl -k pid mnt status)
expect_exit 0 fusermount3 -u mnt
check_eq 0 "$(mnt_count mnt)" "mounts on mnt after fusermount3 -u"
if wait_gone "$pid" 2; then ok "server gone after fusermount3 -u"; else fail "server still running after fusermount3 -u"; fi

# ---- the mount.famfs name, -o options ---------------------------------------
ln -s "$FAMFS" mount.famfs
expect_exit 0 ./mount.famfs img mnt -o ro,timeout=5,noatime,x-systemd.foo
check_eq client "$(ctl -k role mnt status)" "role with -o ro"
check_eq "444 444" "$(stat -c %a mnt/d1/a) $(stat -c %a mnt/.meta/.log)" "modes of d1/a and .log with -o ro"
expect_exit 1 ctl mnt create nope 4096
check_eq EROFS "$(ctl -k errname mnt create nope 4096)" "CREATE on an ro mount"
if cmp -s pat.a mnt/d1/a; then ok "an ro mount reads d1/a"; else fail "an ro mount reads other bytes"; fi
expect_exit 0 umount mnt
expect_exit 2 ./mount.famfs img mnt -o ro,bogus
out_has "unknown mount option 'bogus'"
check_eq 0 "$(mnt_count mnt)" "mounts after a bad -o"

# timeout=0: every stat reaches the server; the default caches (seen in -d)
dbg_requests() {	# dbg_requests LOG: requests the server saw
	grep -c 'opcode: ' "$1"
}
for t in default 0; do
	opt=()
	[ "$t" = 0 ] && opt=(-o timeout=0)
	"$FAMFS" mount --foreground -d "${opt[@]}" img mnt >"dbg.$t" 2>&1 &
	BGPIDS+=($!)
	bg=$!
	if wait_mounted mnt 10; then
		stat mnt/big >/dev/null
		n1=$(dbg_requests "dbg.$t")
		stat mnt/big >/dev/null
		stat mnt/big >/dev/null
		n2=$(dbg_requests "dbg.$t")
		if [ "$t" = 0 ]; then
			if [ "$n2" -gt "$n1" ]; then ok "timeout=0: a repeated stat reaches the server ($n1 -> $n2)"; else fail "timeout=0: a repeated stat did not reach the server ($n1 -> $n2)"; fi
		else
			check_eq "$n1" "$n2" "default timeout: requests after a repeated stat"
		fi
	else
		fail "mount -d ${opt[*]} did not answer"
	fi
	umount mnt 2>/dev/null
	if wait_gone "$bg" 3; then
		wait "$bg"
		check_eq 0 "$?" "exit of the -d server ($t)"
	else
		fail "-d server ($t) still running after umount"
	fi
done

# ---- foreground ------------------------------------------------------------
"$FAMFS" mount --foreground img mnt >fg.out 2>&1 &
fg=$!
BGPIDS+=("$fg")
if wait_mounted mnt 10; then ok "mount --foreground serves"; else fail "mount --foreground did not answer"; fi
check_eq "$fg" "$(ctl -k pid mnt status)" "the foreground process is the server"
check_eq ".meta big d1 d2 made" "$(words mnt)" "ls through mount --foreground"
sleep 0.3
if gone "$fg"; then fail "mount --foreground exited while mounted"; else ok "mount --foreground keeps serving"; fi
expect_exit 0 umount mnt
if wait_gone "$fg" 2; then
	wait "$fg"
	check_eq 0 "$?" "exit of mount --foreground after umount"
else
	fail "mount --foreground still running 2 s after umount"
fi

# ---- mount -t fuse.famfs (mount(8) runs mount.fuse.famfs) --------------------
if [ -e "$HELPER" ] || [ -L "$HELPER" ]; then
	echo "note: $HELPER exists ($(readlink "$HELPER")); using it"
else
	ln -s "$FAMFS" "$HELPER" && HELPER_MADE=1
fi
expect_exit 0 mount -t fuse.famfs img mnt
check_eq master "$(ctl -k role mnt status)" "role via mount -t fuse.famfs"
same_text "$pre_list" "$(listing mnt)" "listing via mount -t fuse.famfs"
expect_exit 0 umount mnt
expect_exit 0 mount -t fuse.famfs -o ro img mnt
check_eq client "$(ctl -k role mnt status)" "role via mount -t fuse.famfs -o ro"
expect_exit 0 umount mnt
check_eq 0 "$(mnt_count mnt)" "nothing left mounted"

finish
