#!/usr/bin/env bash
# Issue 15 item 1, batched creates: famfs cp -r, cp -a and creat -M send
# their creates as BATCH control requests, logged with one tail publish
# per batch (group commit).
#  - cp -a of a tree of every kind (tests/tools/mktree.py) plus 1,200
#    small files is the source entry by entry (tests/tools/treelist.py, as
#    t80), on the master, on a client mount and after a remount;
#  - the log's tail generation grows by one per batch, not per entry
#    (fewer than 1 publish per 50 entries), and with FAMFS_BATCH_MAX=1 by
#    one per entry (the negative control);
#  - cp -r of the same tree: the same names and contents;
#  - creat -M of 600 files (some filled with a seed) makes them all; a
#    failing record in the middle of a batch (a file that exists with
#    another size) is one error line, the records after it are made;
#  - fsck is clean.
# timeout-factor: 3
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/integration/mnt.sh
. "$(dirname "$0")/mnt.sh"
# shellcheck source=tests/integration/fidelity_lib.sh
. "$(dirname "$0")/fidelity_lib.sh"
command -v mount >/dev/null 2>&1 || { echo "skip: mount(8) is missing"; exit 77; }
trap mnt_cleanup EXIT

# the generation of the newer tail record of IMG (log at $LO), and the
# entries the master replayed
tail_gen() {
	local lo=$LO
	"$PY" -S -c '
import struct, sys
f = open(sys.argv[1], "rb"); lo = int(sys.argv[2], 0)
g = []
for s in (0x200, 0x240):
    f.seek(lo + s); g.append(struct.unpack("<Q", f.read(8))[0])
print(max(g))' "$1" "$lo"
}

entries() { "$FAMFS" status -j m >st.json; json_get st.json log_entries; }

mkimg img 1G
expect_exit 0 "$FAMFS" mkfs -a 4K img
LO=$(tail_field img 3)
newmnt m
expect_exit 0 "$FAMFS" mount img m
# the source on a tmpfs: it takes trusted.*, ACLs and 8 KiB values
newmnt tfs
expect_exit 0 mount -t tmpfs -o size=256M,mode=755 famfs-t87 tfs
expect_exit 0 "$PY" -S "$MKTREE" tfs/src
ln -s tfs/src src
"$PY" -S - tfs/src/many <<-'PYEOF'
import os, sys
for d in range(12):
    p = os.path.join(sys.argv[1], "d%02d" % d)
    os.makedirs(p)
    for i in range(100):
        with open(os.path.join(p, "f%03d" % i), "wb") as f:
            f.write(os.urandom(1 + (d * 100 + i) * 41 % 7000))
PYEOF
nsrc=$(find src/ | wc -l)

# ---- cp -a: the tree, entry by entry, in few publishes ----------------------
g0=$(tail_gen img) s0=$(entries)
expect_exit 0 "$FAMFS" cp -a tfs/src m/
stdout_empty
g1=$(tail_gen img) s1=$(entries)
SOPT=(--nlink --root-times --ignore-xattr user.famfs.identity)
same_tree tfs/src m/src "cp -a through batches, on the master" "${SOPT[@]}"
ents=$((s1 - s0)) pubs=$((g1 - g0))
if [ "$pubs" -ge 1 ] && [ $((ents / pubs)) -ge 50 ]; then
	ok "group commit: $ents entries in $pubs tail publishes"
else
	fail "group commit: $ents entries in $pubs tail publishes (expected 50+ a publish)"
fi
if [ "$ents" -ge "$nsrc" ]; then
	ok "the log took every name ($ents entries, $nsrc names)"
else
	fail "the log took $ents entries for $nsrc names"
fi

# the negative control: one record a batch is one publish an entry
mkdir -p one && cp -a src/many/d00 one/
g0=$(tail_gen img) s0=$(entries)
FAMFS_BATCH_MAX=1 expect_exit 0 "$FAMFS" cp -a one m/one
pubs=$(($(tail_gen img) - g0)) ents=$(($(entries) - s0))
check_eq "$ents" "$pubs" "FAMFS_BATCH_MAX=1: tail publishes = entries"

# ---- a client, and a remount ------------------------------------------------
HB=$PWD/hostB/system_uuid
newmnt c
FAMFS_SYSTEM_UUID_FILE=$HB expect_exit 0 "$FAMFS" mount img c
same_tree m/src c/src "the client sees the batched copy" --ignore-xattr user.famfs.identity \
	--nlink --root-times --mask-mode 0222
expect_exit 0 umount c

# ---- cp -r ------------------------------------------------------------------
expect_exit 0 "$FAMFS" cp -r src/many m/plain
expect_exit 0 diff -r src/many m/plain
check_eq "$(find src/many | wc -l)" "$(find m/plain | wc -l)" "cp -r: every name"

# ---- creat -M ---------------------------------------------------------------
args=()
for i in $(seq 600); do
	args+=(-M "m/c$i,$((i * 13 % 9000 + 1))$([ $((i % 100)) = 0 ] && echo ",$i")")
done
expect_exit 0 "$FAMFS" creat "${args[@]}"
out_has "600 file(s): 600 created, 0 reused, 6 randomized, 0 failed"
check_eq 600 "$(ls m | grep -c '^c[0-9]*$')" "creat -M: every file"
expect_exit 0 "$FAMFS" verify -f m/c300 -S 300
# a record that fails in the middle of a batch; the ones after it are made
expect_exit 1 "$FAMFS" creat -M m/x1,4k -M m/c5,8k -M m/x2,4k -M m/x3,4k,7
out_has "m/c5: already exists with size 66 (asked for 8192)"
out_has "4 file(s): 3 created, 0 reused, 1 randomized, 1 failed"
check_eq "4096 4096 4096" "$(stat -c %s m/x1 m/x2 m/x3 | tr '\n' ' ' | sed 's/ $//')" \
	"the records around the failed one"
expect_exit 0 "$FAMFS" verify -f m/x3 -S 7

# ---- remount, fsck ----------------------------------------------------------
expect_exit 0 umount m
expect_exit 0 "$FAMFS" fsck img
expect_exit 0 "$FAMFS" mount img m
same_tree tfs/src m/src "the batched copy after a remount" "${SOPT[@]}"
expect_exit 0 umount m
expect_exit 0 umount tfs
finish
