#!/usr/bin/env bash
# Refusals: every one exits with its documented code, says why, and leaves
# the image byte-identical.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

mkimg img 1G
expect_exit 0 "$FAMFS" mkfs img
fs_uuid=$(sed -n 's/^  filesystem UUID  //p' "$OUT")
before=$(sha img)

# check the image is still the one we made
unchanged() {
	check_eq "$before" "$(sha img)" "image sha256 after: $*"
}

# an existing famfs without -f
expect_exit 1 "$FAMFS" mkfs img
out_has "img: already holds famfs filesystem $fs_uuid"
out_has "use -f"
stdout_empty
unchanged "mkfs without -f"
expect_exit 1 "$FAMFS" mkfs -l 16M -a 4K img
out_has "use -f"
unchanged "mkfs -l 16M -a 4K without -f"

# below the minimum size: 2M superblock region + 8M log + one 2M unit
mkimg small 16M
small_sha=$(sha small)
expect_exit 1 "$FAMFS" mkfs small
out_has "small: device is 16777216 bytes"
out_has "minimum"
out_has "44040192 bytes (42 MiB)"
check_eq "$small_sha" "$(sha small)" "16 MiB image unchanged"
expect_exit 1 "$FAMFS" mkfs -f small
out_has "minimum"
check_eq "$small_sha" "$(sha small)" "16 MiB image unchanged after -f"
# an empty file
: >empty
expect_exit 1 "$FAMFS" mkfs empty
out_has "empty"
check_eq 0 "$(stat -c %s empty)" "empty file size"

# Bad --loglen / --alloc-unit: usage errors (exit 2), on an existing famfs
# and on a blank image alike, checked before the device is touched.
mkimg blank 1G
blank_sha=$(sha blank)
for arg in "--loglen 3M" "--loglen 1M" "--loglen 0" "--loglen 2G" \
	"--loglen garbage" "--loglen 8Q" "--loglen=" "-l -1" \
	"--alloc-unit 3K" "--alloc-unit 2G" "--alloc-unit 0" \
	"--alloc-unit 2K" "--alloc-unit 96K" "--alloc-unit xyz" "-a 1.5M"; do
	# shellcheck disable=SC2086
	expect_exit 2 "$FAMFS" mkfs $arg img
	[ "$RC" -eq 2 ] && out_has "Try 'famfs help mkfs'."
	stdout_empty
	unchanged "mkfs $arg"
	# shellcheck disable=SC2086
	expect_exit 2 "$FAMFS" mkfs -f $arg blank
	check_eq "$blank_sha" "$(sha blank)" "blank image after mkfs -f $arg"
	mkimg blank 1G		# fresh for the next value, whatever happened
done
expect_exit 2 "$FAMFS" mkfs --loglen garbage img
out_has "bad log length 'garbage'"
expect_exit 2 "$FAMFS" mkfs --alloc-unit xyz img
out_has "bad allocation unit 'xyz'"

# -k without -f; unknown option
expect_exit 2 "$FAMFS" mkfs -k img
out_has "-k/--kill needs -f/--force"
unchanged "mkfs -k"
expect_exit 2 "$FAMFS" mkfs --kill img
unchanged "mkfs --kill"
expect_exit 2 "$FAMFS" mkfs --bogus img
out_has "bad option"
unchanged "mkfs --bogus"

# a directory, a missing path
mkdir dir
expect_exit 1 "$FAMFS" mkfs dir
out_has "'dir'"
out_has "Is a directory"
expect_exit 1 "$FAMFS" mkfs -f dir
out_has "Is a directory"
expect_exit 1 "$FAMFS" mkfs missing.img
out_has "'missing.img'"
out_has "No such file or directory"
if [ -e missing.img ]; then fail "mkfs created missing.img"; else ok "mkfs did not create missing.img"; fi
expect_exit 1 "$FAMFS" mkfs nodir/x.img
out_has "No such file or directory"

# Another process holds the image (a shared flock, as a mount would).
# The holder is killed by pid when done (its sleep child first).
hold_start() {
	flock -s "$1" sleep 5 </dev/null >/dev/null 2>&1 &
	holder=$!
	for _ in $(seq 100); do
		flock -n -x "$1" true 2>/dev/null || return 0
		sleep 0.05
	done
	fail "the holder never locked $1"
}
hold_stop() {
	local kids
	kids=$(cat /proc/"$holder"/task/*/children 2>/dev/null)
	# shellcheck disable=SC2086
	kill $kids "$holder" 2>/dev/null
	wait "$holder" 2>/dev/null
	# without /proc/PID/task/*/children the sleep keeps the lock: wait it out
	for _ in $(seq 150); do
		flock -n -x "$1" true 2>/dev/null && return 0
		sleep 0.05
	done
	fail "$1 is still locked"
}
hold_start img
expect_exit 1 "$FAMFS" mkfs img
out_has "in use"
out_has "img"
expect_exit 1 "$FAMFS" mkfs -f img
out_has "in use"
expect_exit 1 "$FAMFS" mkfs -f -k img
out_has "in use"
# fsck refuses too (operational error), read-only or not
expect_exit 8 "$FAMFS" fsck img
out_has "in use"
expect_exit 8 "$FAMFS" fsck --repair img
out_has "in use"
hold_stop img
unchanged "mkfs/fsck while another process held it"
# once released, it works again
expect_exit 0 "$FAMFS" fsck img
out_has "img: clean"

# fsck usage errors: 16
expect_exit 16 "$FAMFS" fsck --bad-option img
out_has "Try 'famfs help fsck'."
expect_exit 16 "$FAMFS" fsck -x img
unchanged "fsck with a bad option"

# fsck on something that is not famfs: 8
mkimg zeros 64M
zsha=$(sha zeros)
expect_exit 8 "$FAMFS" fsck zeros
out_has "no famfs superblock"
expect_exit 8 "$FAMFS" fsck --repair zeros
out_has "no famfs superblock"
check_eq "$zsha" "$(sha zeros)" "zero image after fsck --repair"
expect_exit 8 "$FAMFS" fsck --json zeros
cp "$OUT.stdout" z.json
if json_valid z.json; then ok "json of a non-famfs file parses"; else fail "json of a non-famfs file does not parse"; fi
check_eq sb_missing "$(json_codes z.json)" "problem code"
check_eq 8 "$(json_get z.json exit)" "json exit"
head -c 1M /dev/urandom >random
expect_exit 8 "$FAMFS" fsck random
out_has "no famfs superblock"
expect_exit 8 "$FAMFS" fsck missing.img
out_has "missing.img"
out_has "No such file or directory"
expect_exit 8 "$FAMFS" fsck --repair missing.img
expect_exit 8 "$FAMFS" fsck dir
expect_exit 8 "$FAMFS" fsck empty
unchanged "all of the above"

finish
