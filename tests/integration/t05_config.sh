#!/usr/bin/env bash
# Configuration file: [device] path and [mkfs] log_len/alloc_unit used by
# mkfs and fsck without a device argument, through FAMFS_CONFIG and -c;
# bad keys and values are usage errors naming the file, the line and the
# key; command-line flags override the file.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

report() {	# report IMG: fsck --json into r.json (expect exit 0)
	expect_exit 0 "$FAMFS" fsck --json "$1"
	cp "$OUT.stdout" r.json
	json_valid r.json || fail "fsck --json $1 does not parse"
}

mkimg dev.img 256M
cat >good.ini <<EOF
; test configuration
[device]
path = $PWD/dev.img

[host]
role = auto

[mkfs]
log_len = 4M
alloc_unit = 64K
EOF

# FAMFS_CONFIG, no device argument
FAMFS_CONFIG=$PWD/good.ini expect_exit 0 "$FAMFS" mkfs
out_has "created famfs on $PWD/dev.img"
out_has "  allocation unit  64.0 KiB"
out_has "  log              4.0 MiB"
report dev.img
check_eq 65536 "$(json_get r.json alloc_unit)" "alloc_unit from the file"
check_eq 4194304 "$(json_get r.json log_len)" "log_len from the file"
uuid1=$(json_get r.json fs_uuid)
# fsck with no device argument uses the file's device too
FAMFS_CONFIG=$PWD/good.ini expect_exit 0 "$FAMFS" fsck
out_has "$PWD/dev.img: clean"
FAMFS_CONFIG=$PWD/good.ini expect_exit 0 "$FAMFS" fsck --json
out_has "\"fs_uuid\":\"$uuid1\""
# the file's device is also refused without -f
FAMFS_CONFIG=$PWD/good.ini expect_exit 1 "$FAMFS" mkfs
out_has "use -f"

# -c FILE, with flags overriding the file
expect_exit 0 "$FAMFS" -c good.ini mkfs -f --loglen 8M
report dev.img
check_eq 8388608 "$(json_get r.json log_len)" "log_len: flag overrides the file"
check_eq 65536 "$(json_get r.json alloc_unit)" "alloc_unit still from the file"
expect_exit 0 "$FAMFS" --config good.ini mkfs -f -a 1M
report dev.img
check_eq 1048576 "$(json_get r.json alloc_unit)" "alloc_unit: flag overrides the file"
check_eq 4194304 "$(json_get r.json log_len)" "log_len still from the file"
# a device argument overrides [device] path
mkimg other.img 128M
expect_exit 0 "$FAMFS" -c good.ini mkfs other.img
out_has "created famfs on other.img"
report other.img
check_eq 65536 "$(json_get r.json alloc_unit)" "other.img alloc_unit from the file"
check_eq 134217728 "$(json_get r.json dev_size)" "other.img is the one formatted"
# -c wins over FAMFS_CONFIG
cat >other.ini <<EOF
[device]
path = $PWD/other.img
EOF
FAMFS_CONFIG=$PWD/good.ini expect_exit 0 "$FAMFS" -c other.ini fsck
out_has "$PWD/other.img: clean"
# mkfs.famfs / fsck.famfs read FAMFS_CONFIG as well
ln -s "$FAMFS" fsck.famfs
FAMFS_CONFIG=$PWD/other.ini expect_exit 0 ./fsck.famfs
out_has "$PWD/other.img: clean"
# the defaults without any file: 8M log, 2M unit
mkimg plain.img 64M
expect_exit 0 "$FAMFS" mkfs plain.img
report plain.img
check_eq 2097152 "$(json_get r.json alloc_unit)" "default alloc_unit"
check_eq 8388608 "$(json_get r.json log_len)" "default log_len"

# Bad files: usage code of the command (mkfs 2, fsck 16), message with the
# file name, "line N" and the key; the device is not touched.
before=$(sha dev.img)
printf '[device]\npath = %s\n\n[mkfs]\nlog_len = 4M\nbogus_key = 1\n' "$PWD/dev.img" >badkey.ini
expect_exit 2 "$FAMFS" -c badkey.ini mkfs -f
out_has "badkey.ini"
out_has "line 6"
out_has "bogus_key"
stdout_empty
FAMFS_CONFIG=$PWD/badkey.ini expect_exit 2 "$FAMFS" mkfs -f dev.img
out_has "$PWD/badkey.ini"
out_has "line 6"
out_has "bogus_key"
expect_exit 16 "$FAMFS" -c badkey.ini fsck dev.img
out_has "line 6"
out_has "bogus_key"
# a known key in the wrong section
printf '[device]\nlog_len = 4M\n' >wrongsec.ini
expect_exit 2 "$FAMFS" -c wrongsec.ini mkfs -f dev.img
out_has "wrongsec.ini"
out_has "line 2"
out_has "log_len"
# a bad value
printf '[mkfs]\n\nalloc_unit = banana\n' >badval.ini
expect_exit 2 "$FAMFS" -c badval.ini mkfs -f dev.img
out_has "badval.ini"
out_has "line 3"
out_has "banana"
# out-of-range values (checked after parsing: name the key)
printf '[mkfs]\nlog_len = 3M\n' >badlog.ini
expect_exit 2 "$FAMFS" -c badlog.ini mkfs -f dev.img
out_has "badlog.ini"
out_has "log_len"
printf '[mkfs]\nalloc_unit = 3K\n' >badau.ini
expect_exit 2 "$FAMFS" -c badau.ini mkfs -f dev.img
out_has "alloc_unit"
printf '[host]\nrole = boss\n' >badrole.ini
expect_exit 2 "$FAMFS" -c badrole.ini mkfs -f dev.img
out_has "line 2"
out_has "boss"
# a syntax error and an unreadable file
printf '[mkfs\nlog_len = 4M\n' >syntax.ini
expect_exit 2 "$FAMFS" -c syntax.ini mkfs -f dev.img
out_has "syntax.ini"
out_has "line 1"
expect_exit 2 "$FAMFS" -c nonexistent.ini mkfs -f dev.img
out_has "nonexistent.ini"
FAMFS_CONFIG=$PWD/nonexistent.ini expect_exit 16 "$FAMFS" fsck dev.img
out_has "nonexistent.ini"
check_eq "$before" "$(sha dev.img)" "device unchanged by the rejected configurations"

# no device anywhere: usage error
printf '[mkfs]\nlog_len = 4M\n' >nodev.ini
expect_exit 2 "$FAMFS" -c nodev.ini mkfs
out_has "no device given"
expect_exit 16 "$FAMFS" -c nodev.ini fsck
out_has "no device given"

# a flag that is not allowed overrides a valid file value: still a usage error
expect_exit 2 "$FAMFS" -c good.ini mkfs -f --loglen 3M
check_eq "$before" "$(sha dev.img)" "device unchanged by a bad flag over a good file"

finish
