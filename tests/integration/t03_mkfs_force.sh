#!/usr/bin/env bash
# mkfs -f overwrites, mkfs -f -k invalidates, --loglen/--alloc-unit variants.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

fsck_json() {	# fsck_json IMG OUTFILE: expect exit 0 and a parsable report
	expect_exit 0 "$FAMFS" fsck --json "$1"
	cp "$OUT.stdout" "$2"
	json_valid "$2" || fail "fsck --json $1 does not parse"
}

mkimg img 1G
expect_exit 0 "$FAMFS" mkfs img
fsck_json img a.json
uuid1=$(json_get a.json fs_uuid)

# -f on an existing famfs: a new filesystem (new UUID), empty and clean
expect_exit 0 "$FAMFS" mkfs -f img
out_has "created famfs on img"
fsck_json img b.json
uuid2=$(json_get b.json fs_uuid)
check_ne "$uuid1" "$uuid2" "fs UUID before and after mkfs -f"
check_eq 0 "$(json_get b.json log_entries)" "log entries after mkfs -f"
check_eq master "$(json_get b.json role)" "role after mkfs -f"

# -f over a populated filesystem leaves an empty one
if [ -x "$TESTGEN" ]; then
	testgen img mkdir d
	testgen img files 5 d 1M
	fsck_json img c.json
	check_eq 5 "$(json_get c.json files)" "files before mkfs -f"
	expect_exit 0 "$FAMFS" mkfs --force img
	fsck_json img d.json
	check_eq 0 "$(json_get d.json files)" "files after mkfs -f"
	check_eq 0 "$(json_get d.json directories)" "directories after mkfs -f"
	check_eq 0 "$(json_get d.json log_entries)" "log entries after mkfs -f"
	check_eq 4096 "$(json_get d.json log_used)" "log used after mkfs -f"
	check_ne "$uuid2" "$(json_get d.json fs_uuid)" "fs UUID before and after the second mkfs -f"
else
	fail "$TESTGEN is not built: the populated -f case cannot run"
fi

# -f on a blank image is the same as without
mkimg blank 256M
expect_exit 0 "$FAMFS" mkfs -f blank
fsck_json blank e.json
check_eq 268435456 "$(json_get e.json dev_size)" "dev_size of a 256 MiB image"

# -f -k only invalidates the superblock: fsck then finds no famfs (8),
# mkfs without -f accepts the device again
expect_exit 0 "$FAMFS" mkfs -f -k img
out_has "img: superblock invalidated"
expect_exit 8 "$FAMFS" fsck img
out_has "no famfs superblock"
expect_exit 8 "$FAMFS" fsck --repair img
out_has "no famfs superblock"
expect_exit 0 "$FAMFS" mkfs --force --kill img
out_has "superblock invalidated"
expect_exit 0 "$FAMFS" mkfs img
out_has "created famfs on img"
fsck_json img f.json
check_eq 0 "$(json_get f.json log_entries)" "log entries after re-mkfs"
# -k on a blank image: nothing to kill, still fine and still not famfs
mkimg blank2 64M
expect_exit 0 "$FAMFS" mkfs -f -k blank2
expect_exit 8 "$FAMFS" fsck blank2

# --loglen 16M --alloc-unit 4K
expect_exit 0 "$FAMFS" mkfs -f --loglen 16M --alloc-unit 4K img
out_has "  allocation unit  4.0 KiB"
out_has "  log              16.0 MiB"
# superblock region 2M + log 16M, already 4K aligned
out_has "from offset 0x1200000"
fsck_json img g.json
check_eq 4096 "$(json_get g.json alloc_unit)" "alloc_unit with -a 4K"
check_eq 16777216 "$(json_get g.json log_len)" "log_len with -l 16M"
check_eq $((1073741824 - 0x1200000)) "$(json_get g.json capacity)" "capacity with -l 16M -a 4K"
# short options and other size spellings
expect_exit 0 "$FAMFS" mkfs -f -l 0x400000 -a 64k img
fsck_json img h.json
check_eq 65536 "$(json_get h.json alloc_unit)" "alloc_unit with -a 64k"
check_eq 4194304 "$(json_get h.json log_len)" "log_len with -l 0x400000"
expect_exit 0 "$FAMFS" mkfs -f --loglen=2MiB --alloc-unit=1MB img
fsck_json img i.json
check_eq 1048576 "$(json_get i.json alloc_unit)" "alloc_unit with --alloc-unit=1MB"
check_eq 2097152 "$(json_get i.json log_len)" "log_len with --loglen=2MiB"

# 1G allocation unit: data starts at the first 1 GiB boundary after the
# log, so the image needs data_offset + 1 GiB; 4 GiB sparse gives 3 units.
mkimg big 4G
expect_exit 0 "$FAMFS" mkfs --loglen 16M --alloc-unit 1G big
out_has "  allocation unit  1.0 GiB"
out_has "from offset 0x40000000"
out_has "  data             3.0 GiB from offset 0x40000000"
fsck_json big j.json
check_eq 1073741824 "$(json_get j.json alloc_unit)" "alloc_unit with -a 1G"
check_eq 16777216 "$(json_get j.json log_len)" "log_len with -a 1G"
check_eq $((3 * 1073741824)) "$(json_get j.json capacity)" "capacity with -a 1G"
kb=$(du -k big | cut -f1)
if [ "$kb" -le 2048 ]; then ok "4 GiB image uses $kb KiB"; else fail "4 GiB image uses $kb KiB"; fi
# 1G unit on a 1 GiB image: too small (needs 2 GiB), refused, unchanged
mkimg g1 1G
g1sha=$(sha g1)
expect_exit 1 "$FAMFS" mkfs --alloc-unit 1G g1
out_has "2147483648 bytes (2048 MiB)"
check_eq "$g1sha" "$(sha g1)" "1 GiB image after a refused 1G-unit mkfs"
# the largest log on the 4 GiB image
expect_exit 0 "$FAMFS" mkfs -f --loglen 1G big
fsck_json big k.json
check_eq 1073741824 "$(json_get k.json log_len)" "log_len 1G"

finish
