#!/usr/bin/env bash
# mkfs/fsck round trip on a sparse 1 GiB image, the mkfs.famfs/fsck.famfs
# names, help and version, unknown commands.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

mkimg img 1G

expect_exit 0 "$FAMFS" mkfs img
out_has "famfs mkfs: created famfs on img (image file)"
out_matches '^  filesystem UUID  [0-9a-f-]{36}$'
out_matches '^  device UUID      [0-9a-f-]{36}$'
out_matches '^  master \(host\)    [0-9a-f-]{36}$'
out_has "  device size      1.0 GiB"
out_has "  allocation unit  2.0 MiB"
out_matches '^  log              8\.0 MiB \(auto: 1/256 of the device, 8M to 512M\) \(room for [0-9]+ one-extent files'
# 1 GiB minus the superblock region (2M) and the log (8M) = 1014 MiB
out_has "  data             1014.0 MiB from offset 0xa00000"
out_matches '^  time             [0-9.]+ ms$'
mkfs_uuid=$(sed -n 's/^  filesystem UUID  //p' "$OUT")
host_uuid=$(sed -n 's/^  master (host)    //p' "$OUT")
check_eq "$(cat "$FAMFS_SYSTEM_UUID_FILE")" "$host_uuid" "master UUID is this host's"

# the image stays sparse: mkfs writes only the superblock and the log
kb=$(du -k img | cut -f1)
if [ "$kb" -le 1024 ]; then ok "image uses $kb KiB on disk"; else fail "image uses $kb KiB on disk"; fi

expect_exit 0 "$FAMFS" fsck img
out_has "img: famfs $mkfs_uuid, role of this host: master"
out_has "  log       0 entries, 4.0 KiB of 8.0 MiB used (0.05%)"
out_has "  files     0 files (0 B), 0 directories"
out_has "  space     0 B used of 1014.0 MiB (0.00%), 1014.0 MiB free, 1 device(s), allocation unit 2.0 MiB"
out_has "img: clean"

expect_exit 0 "$FAMFS" fsck --json img
cp "$OUT.stdout" r.json
if json_valid r.json; then ok "fsck --json parses"; else fail "fsck --json does not parse"; show_out; fi
check_eq 0 "$(json_get r.json files)" "json files"
check_eq 0 "$(json_get r.json directories)" "json directories"
check_eq 0 "$(json_get r.json log_entries)" "json log_entries"
check_eq master "$(json_get r.json role)" "json role"
check_eq true "$(json_get r.json clean)" "json clean"
check_eq 0 "$(json_get r.json exit)" "json exit"
check_eq "$mkfs_uuid" "$(json_get r.json fs_uuid)" "json fs_uuid"
check_eq "$host_uuid" "$(json_get r.json master_uuid)" "json master_uuid"
check_eq 1073741824 "$(json_get r.json dev_size)" "json dev_size"
check_eq 2097152 "$(json_get r.json alloc_unit)" "json alloc_unit"
check_eq 8388608 "$(json_get r.json log_len)" "json log_len"
check_eq $((1073741824 - 0xa00000)) "$(json_get r.json capacity)" "json capacity"
check_eq 0 "$(json_get r.json problems)" "json problems (count)"

# -n is the default: the same report
expect_exit 0 "$FAMFS" fsck -n img
out_has "img: clean"

# The same through the mkfs.famfs and fsck.famfs names (the build's links
# and links of our own, so argv[0] decides, not the directory).
ln -s "$FAMFS" mkfs.famfs
ln -s "$FAMFS" fsck.famfs
mkimg img2 1G
expect_exit 0 ./mkfs.famfs img2
out_has "famfs mkfs: created famfs on img2 (image file)"
expect_exit 0 ./fsck.famfs img2
out_has "img2: clean"
expect_exit 0 ./fsck.famfs -j img2
cp "$OUT.stdout" r2.json
if json_valid r2.json; then ok "fsck.famfs -j parses"; else fail "fsck.famfs -j does not parse"; fi
check_eq master "$(json_get r2.json role)" "fsck.famfs json role"
check_eq 0 "$(json_get r2.json log_entries)" "fsck.famfs json log_entries"
expect_exit 1 ./mkfs.famfs img2
out_has "use -f"
for link in mkfs.famfs fsck.famfs; do
	if [ -L "$BUILD/$link" ]; then
		expect_exit 0 "$BUILD/$link" -h
		out_has "usage: famfs ${link%%.*} [options] DEVICE"
	else
		fail "$BUILD/$link is missing"
	fi
done
expect_exit 0 "$BUILD/fsck.famfs" img2
out_has "clean"

# help and version
expect_exit 0 "$FAMFS" help mkfs
out_has "usage: famfs mkfs [options] DEVICE"
out_has "--alloc-unit"
expect_exit 0 "$FAMFS" mkfs -h
out_has "usage: famfs mkfs [options] DEVICE"
expect_exit 0 "$FAMFS" mkfs --help
out_has "usage: famfs mkfs [options] DEVICE"
expect_exit 0 "$FAMFS" help fsck
out_has "usage: famfs fsck [options] DEVICE"
out_has "--repair"
expect_exit 0 "$FAMFS" fsck -?
out_has "usage: famfs fsck [options] DEVICE"
expect_exit 0 "$FAMFS" --help
out_has "usage: famfs [-c CONFIG] [-v] COMMAND [ARGS]"
out_has "mkfs"
out_has "fsck"
expect_exit 0 "$FAMFS" help
out_has "usage: famfs"
expect_exit 0 "$FAMFS" --version
out_matches '^famfs [0-9]+\.[0-9]+'
expect_exit 0 "$FAMFS" -V
out_matches '^famfs [0-9]+\.[0-9]+'

# unknown commands, no command
expect_exit 2 "$FAMFS" frobnicate
out_has "unknown command"
out_has "frobnicate"
expect_exit 2 "$FAMFS" help frobnicate
out_has "unknown command"
expect_exit 2 "$FAMFS"
out_has "usage:"
expect_exit 2 "$FAMFS" --no-such-option
# usage errors of the commands themselves
expect_exit 2 "$FAMFS" mkfs
out_has "no device given"
# several devices make one filesystem; missing ones are refused
expect_exit 1 "$FAMFS" mkfs a b
out_has "cannot open 'a'"
expect_exit 2 "$FAMFS" mkfs $(seq -f 'd%g' 65)
out_has "at most 64 devices"
expect_exit 16 "$FAMFS" fsck
out_has "no device given"
expect_exit 16 "$FAMFS" fsck img img2
out_has "too many arguments"

finish
