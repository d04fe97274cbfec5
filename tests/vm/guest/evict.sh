# SPDX-License-Identifier: Apache-2.0
# evict: famfs inodes that were opened (they have a file map) get evicted
# while other famfs files stay open and mapped.  Issue 12 defect D1: with
# CONFIG_FUSE_FAMFS_DAX=y and CONFIG_FUSE_DAX=y (the debug kernel, a
# distro config) fuse_evict_inode() took a famfs inode for a virtiofs DAX
# one and dereferenced its NULL fi->dax.
#
# 32 files of 2 MiB (test data of a seed each): 8 stay open and mapped in
# a famstress "hold" process that re-reads every page all the time and
# compares it with what it read first; the other 24 are opened, mapped,
# read and closed ("cycle") round after round, with drop_caches between
# rounds.  Proof that eviction happened: a famfs inode keeps its map until
# it is evicted, so every open of an evicted file sends a new GET_FMAP:
# the server's "fmaps" count must grow by at least 24 per round.
# /proc/slabinfo's fuse_inode count (where the kernel has slabinfo) is
# printed, not judged: inodes are freed after an RCU grace period, and
# SLUB counts objects freed to a CPU's slab as active.  Then a round with a memory hog (a tmpfs
# filled up to all but 512 MiB of MemAvailable, for at most 45 s) and a
# drop_caches loop running at the same time as two cycles.  Afterwards the holder must have
# seen no change and no SIGBUS, every file verifies by its seed, and after
# a remount (umount evicts everything) again.

export FAMFS_SYSTEM_UUID_FILE="$HOST_A"
grep -q 'famfs.expect=dax' /proc/cmdline ||
	die "evict needs a kernel with CONFIG_FUSE_FAMFS_DAX=y"
command -v famstress >/dev/null || die "famstress is not in the initramfs"
wait_pmem
run famfs mkfs "$PMEM"
run famfs mount "$PMEM" /mnt

NFILES=32 NHELD=8 ROUNDS=3
multi= held= cycled=
i=0
while [ $i -lt $NFILES ]; do
	multi="$multi -M /mnt/f$i,2M,$((i + 1))"
	if [ $i -lt $NHELD ]; then held="$held /mnt/f$i"; else cycled="$cycled /mnt/f$i"; fi
	i=$((i + 1))
done
NCYCLED=$((NFILES - NHELD))
# shellcheck disable=SC2086
run famfs creat $multi
say "created $NFILES files of 2 MiB"

fmaps() { json_get fmaps "$(status /mnt)"; }
# active fuse_inode objects, "-" without /proc/slabinfo (no SLUB_DEBUG)
fuse_inodes() {
	awk '$1 == "fuse_inode" { print $2; found = 1 } END { if (!found) print "-" }' \
		/proc/slabinfo 2>/dev/null || echo -
}

# shellcheck disable=SC2086
famstress hold 100000 $held >/tmp/hold.out 2>&1 &
HOLD=$!
await_line $HOLD /tmp/hold.out holding "famstress hold"
say "$NHELD files open and mapped (famstress hold, pid $HOLD)"
kill_hold() { kill "$HOLD" 2>/dev/null; }
DIE_HOOK=kill_hold

cycle() {
	# shellcheck disable=SC2086
	_c=$(famstress cycle $cycled 2>&1) || die "famstress cycle: $(echo "$_c" | tr '\n' ';')"
}

# --- rounds of open/map/read/close, then drop_caches --------------------
cycle
r=1
while [ $r -le $ROUNDS ]; do
	before=$(fmaps)
	i1=$(fuse_inodes)
	echo 3 >/proc/sys/vm/drop_caches
	i2=$(fuse_inodes)
	cycle
	after=$(fmaps)
	got=$((after - before))
	say "round $r: drop_caches: fuse_inode $i1 -> $i2; reopening $NCYCLED files sent $got GET_FMAP"
	[ "$got" -ge $NCYCLED ] ||
		die "round $r: only $got GET_FMAP for $NCYCLED reopened files after drop_caches: their inodes were not evicted"
	r=$((r + 1))
done

# --- memory pressure: a hog and a drop_caches loop during the cycles ----
mkdir -p /hog
avail=$(awk '/^MemAvailable:/ { print int($2 / 1024) }' /proc/meminfo)
hog_mb=$((avail - 512))
[ "$hog_mb" -gt 256 ] || die "only $avail MiB available, too little for a memory hog"
run mount -t tmpfs -o size=${hog_mb}m hog /hog
say "memory hog: a tmpfs of $hog_mb MiB (MemAvailable $avail MiB)"
(while [ ! -e /tmp/stop-drop ]; do echo 3 >/proc/sys/vm/drop_caches; sleep 0.3; done) &
DROPPER=$!
kill_all() { kill "$HOLD" "$DROPPER" 2>/dev/null; }
DIE_HOOK=kill_all
# hog_fill: allocate the tmpfs in 128 MiB files (fallocate: the kernel
# clears the pages, much faster under TCG than writing them) until it is
# full or 45 s passed; FILLED is the MiB allocated.
hog_fill() {
	filled=0
	_t_end=$(($(cut -d. -f1 /proc/uptime) + 45))
	while [ $((filled + 128)) -le $hog_mb ] &&
	      [ "$(cut -d. -f1 /proc/uptime)" -lt $_t_end ]; do
		fallocate -l 128M /hog/fill$filled 2>/dev/null || break
		filled=$((filled + 128))
	done
}
r=1
while [ $r -le 1 ]; do
	before=$(fmaps)
	t0=$(cut -d' ' -f1 /proc/uptime)
	hog_fill
	t1=$(cut -d' ' -f1 /proc/uptime)
	free_kb=$(awk '/^MemFree:/ { print $2 }' /proc/meminfo)
	cycle
	cycle
	rm -f /hog/fill*
	say "hog round $r: $filled of $hog_mb MiB of tmpfs filled (${t0}..${t1} s, MemFree then ${free_kb} kB), 2 cycles under the drop_caches loop: $(($(fmaps) - before)) GET_FMAP"
	r=$((r + 1))
done
touch /tmp/stop-drop
wait "$DROPPER"
run umount /hog

# --- the held mappings never changed, every file verifies ---------------
kill "$HOLD"
wait "$HOLD"
rc=$?
DIE_HOOK=
h=$(cat /tmp/hold.out)
[ "$rc" = 0 ] || die "famstress hold (exit $rc): $(echo "$h" | tr '\n' ';')"
say "held mappings: $(echo "$h" | tail -n 1)"

verify_all() {
	_i=0
	while [ $_i -lt $NFILES ]; do
		_o=$(famfs verify -S $((_i + 1)) -f /mnt/f$_i 2>&1) ||
			die "$1: famfs verify -S $((_i + 1)) /mnt/f$_i: $(echo "$_o" | tail -n 1)"
		_i=$((_i + 1))
	done
	say "$1: all $NFILES files verify"
}
verify_all "after the evictions"
unmount /mnt
run famfs mount "$PMEM" /mnt
verify_all "after a remount"
unmount /mnt
