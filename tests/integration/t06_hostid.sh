#!/usr/bin/env bash
# Host identity: mkfs creates the system-UUID file (0444, one UUID), the
# superblock names it as master; fsck reports master for that host, client
# for another host, unknown for a host without an identity.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

A=$PWD/hosts/a/system_uuid		# parent directories are created
B=$PWD/hosts/b/system_uuid

role_of() {	# role_of HOSTFILE IMG
	FAMFS_SYSTEM_UUID_FILE=$1 "$FAMFS" fsck --json "$2" >role.json
	json_get role.json role
}

mkimg img 256M
FAMFS_SYSTEM_UUID_FILE=$A expect_exit 0 "$FAMFS" mkfs img
if [ -f "$A" ]; then ok "mkfs created $A"; else fail "mkfs did not create $A"; fi
check_eq 444 "$(stat -c %a "$A" 2>/dev/null)" "mode of the UUID file"
check_eq 755 "$(stat -c %a "$(dirname "$A")" 2>/dev/null)" "mode of its directory"
uuid_a=$(head -n 1 "$A" 2>/dev/null)
check_eq 36 "${#uuid_a}" "length of the UUID"
if [[ $uuid_a =~ ^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$ ]]; then
	ok "the file holds a UUID ($uuid_a)"
else
	fail "the file holds '$uuid_a'"
fi
check_eq 1 "$(wc -l <"$A")" "lines in the UUID file"
out_has "  master (host)    $uuid_a"
# the default-identity file of the run (run.sh's) was not touched
if [ -e "$FAMFS_SYSTEM_UUID_FILE" ]; then
	fail "mkfs with an overridden identity created $FAMFS_SYSTEM_UUID_FILE"
else
	ok "the run's identity file was not created"
fi

check_eq master "$(role_of "$A" img)" "role of host A"
check_eq "$uuid_a" "$(json_get role.json master_uuid)" "master_uuid"
FAMFS_SYSTEM_UUID_FILE=$A expect_exit 0 "$FAMFS" fsck img
out_has "role of this host: master"

# a second mkfs by host A keeps A's identity
mkimg img2 256M
FAMFS_SYSTEM_UUID_FILE=$A expect_exit 0 "$FAMFS" mkfs img2
check_eq "$uuid_a" "$(head -n 1 "$A")" "UUID file unchanged by a second mkfs"
out_has "  master (host)    $uuid_a"

# host B: give it an identity by formatting its own image
mkimg imgb 256M
FAMFS_SYSTEM_UUID_FILE=$B expect_exit 0 "$FAMFS" mkfs imgb
uuid_b=$(head -n 1 "$B" 2>/dev/null)
check_ne "$uuid_a" "$uuid_b" "host A and host B UUIDs"
check_eq client "$(role_of "$B" img)" "role of host B on A's filesystem"
FAMFS_SYSTEM_UUID_FILE=$B expect_exit 0 "$FAMFS" fsck img
out_has "role of this host: client"
check_eq client "$(role_of "$A" imgb)" "role of host A on B's filesystem"
check_eq master "$(role_of "$B" imgb)" "role of host B on its own filesystem"

# a host file written by hand (upper case, trailing newline) is read as-is
echo "${uuid_a^^}" >C
chmod 0444 C
check_eq master "$(role_of "$PWD/C" img)" "role with an upper-case copy of A's UUID"

# no identity at all: fsck does not create one and says unknown
check_eq unknown "$(role_of "$PWD/none" img)" "role without an identity file"
if [ -e none ]; then fail "fsck created an identity file"; else ok "fsck did not create an identity file"; fi
FAMFS_SYSTEM_UUID_FILE=$PWD/none expect_exit 0 "$FAMFS" fsck img
out_has "role of this host: unknown"

# mkfs -f by host B takes the filesystem over
FAMFS_SYSTEM_UUID_FILE=$B expect_exit 0 "$FAMFS" mkfs -f img
check_eq master "$(role_of "$B" img)" "role of B after its mkfs -f"
check_eq client "$(role_of "$A" img)" "role of A after B's mkfs -f"

# a broken identity file: mkfs refuses (1) before writing anything
echo "not-a-uuid" >bad
s=$(sha img)
FAMFS_SYSTEM_UUID_FILE=$PWD/bad expect_exit 1 "$FAMFS" mkfs -f img
out_has "does not hold a UUID"
check_eq "$s" "$(sha img)" "image unchanged when the identity is broken"
: >emptyid
FAMFS_SYSTEM_UUID_FILE=$PWD/emptyid expect_exit 1 "$FAMFS" mkfs -f img
out_has "is empty"
check_eq "$s" "$(sha img)" "image unchanged when the identity file is empty"
# an identity that cannot be created (its parent is a file)
FAMFS_SYSTEM_UUID_FILE=$PWD/bad/sub/id expect_exit 1 "$FAMFS" mkfs -f img
out_has "bad"
check_eq "$s" "$(sha img)" "image unchanged when the identity cannot be created"
# fsck with a broken identity still checks (role unknown)
FAMFS_SYSTEM_UUID_FILE=$PWD/bad expect_exit 0 "$FAMFS" fsck img
out_has "role of this host: unknown"

finish
