#!/usr/bin/env bash
# famfs init outside PID 1 (the appliance's own boots are tests/appliance):
# it refuses to run, --print-config shows what the appliance would use from
# the shipped conf/famfs.ini and a kernel command line, and bad famfs.*
# words are refused with the word named; argv[0] "init" selects it.
# Then famfs init as PID 1 of a new PID namespace (tests/integration/pid1.sh:
# its console, kernel log, /proc/cmdline and /run private to it; its power
# off ends the namespace), booting an image file whose log has a bad entry
# checksum in the middle: the replay verdict, as mount judges it, is
# serve-prefix: init has no replay state of its own (the log is replayed
# once, by the mount), warns that the server is damaged, boots on and runs
# the payload, which sees the prefix and a refused create.  With both tail
# records damaged the verdict is refuse: FAILED in state mount, the fsck
# report, the recovery shell.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

CONF=$(cd "$(dirname "$0")/../.." && pwd)/conf/famfs.ini

expect_exit 1 "$FAMFS" init
out_has "famfs init: must run as PID 1"

# the shipped configuration parses, with its documented defaults
: >empty.cmdline
expect_exit 0 "$FAMFS" -c "$CONF" init --print-config --cmdline empty.cmdline
# (printed as ini text: what init hands to the commands it starts)
out_has "mountpoint = /mnt/famfs"
out_has "probe_timeout = 10"
out_has "format = never"
out_has "root_init = /sbin/init"
out_has "on_exit = poweroff"
out_has "modules = /lib/modules/load"
out_has "scan = /dev/pmem* /dev/dax*"

# both naming schemes, quotes, the VM harness's keys ignored
printf '%s\n' 'BOOT_IMAGE=/vmlinuz console=ttyS0 famfs.test=boot famfs.timeout=160 famfs.device.path=/dev/pmem1 famfs.init.payload="/bin/app -x" famfs.mountpoint=/srv/famfs famfs.init.device_uuid=a0000000-0000-4000-8000-00000000000a' >good.cmdline
expect_exit 0 "$FAMFS" -c "$CONF" init --print-config --cmdline good.cmdline
out_has "4 setting(s) from the kernel command line"
out_has "path = /dev/pmem1"
out_has "payload = /bin/app -x"
out_has "mountpoint = /srv/famfs"
out_has "device_uuid = a0000000-0000-4000-8000-00000000000a"
out_has "probe_timeout = 10"
# the printed configuration reads back to the same configuration
cp "$OUT.stdout" printed.ini
expect_exit 0 "$FAMFS" -c printed.ini init --print-config --cmdline empty.cmdline
if cmp -s printed.ini "$OUT.stdout"; then
	ok "the printed configuration reads back unchanged"
else
	fail "the printed configuration reads back differently"
	diff printed.ini "$OUT.stdout"
fi

bad() {	# bad CMDLINE MESSAGE
	printf '%s\n' "$1" >bad.cmdline
	expect_exit 1 "$FAMFS" -c "$CONF" init --print-config --cmdline bad.cmdline
	out_has "$2"
	stdout_empty
}
bad "quiet famfs.init.bogus=1" "kernel command line: famfs.init.bogus: unknown key 'bogus' in section [init]"
bad "famfs.nosuchkey=1" "famfs.nosuchkey: unknown key 'nosuchkey'"
bad "famfs.init.format=always" "famfs.init.format: [init] format: 'always' is not one of never|blank"
bad "famfs.init.root" "famfs.init.root: no value"
bad "famfs.payload=/a famfs.root=/r" "after the overrides: [init] payload and root exclude each other"

# a bad file is named with its line
printf '[init]\nprobe_timeout = soon\n' >bad.ini
expect_exit 1 "$FAMFS" -c bad.ini init --print-config --cmdline empty.cmdline
out_has "configuration bad.ini: line 2: [init] probe_timeout: 'soon' is not a number of seconds"

# argv[0] "init" (the kernel runs /init -> famfs) is famfs init
ln -sf "$FAMFS" init
expect_exit 1 ./init
out_has "famfs init: must run as PID 1"
expect_exit 0 "$FAMFS" help init
out_has "usage: famfs init"

# ---- as PID 1 ------------------------------------------------------------------
need_exec "$TESTGEN"
command -v unshare >/dev/null || { echo "no unshare: famfs init as PID 1 not tested"; finish; }
mkimg boot.img 256M
expect_exit 0 "$FAMFS" mkfs boot.img
testgen boot.img mkdir d
testgen boot.img file d/a 4096
e2=$(tail_field boot.img 1)
testgen boot.img file d/b 4096
testgen boot.img file d/c 4096
LOGOFF=$(tail_field boot.img 3)
cpimg boot.img notail.img
flipbyte boot.img $((LOGOFF + e2 + 24 + 2))	# entry 2's body
flipbyte notail.img $((LOGOFF + 0x200 + 3))	# both tail records
flipbyte notail.img $((LOGOFF + 0x240 + 3))
D=$PWD
mkdir -p bootmnt
{
	echo '#!/bin/sh'
	echo "\"$FAMFS\" status \"\$FAMFS_MOUNT\" >\"$D/status.out\" 2>&1"
	echo "ls \"\$FAMFS_MOUNT/d\" >\"$D/ls.out\" 2>&1"
	echo "\"$FAMFS\" creat -s 4096 \"\$FAMFS_MOUNT/d/new\" >\"$D/creat.out\" 2>&1"
	echo "echo \"creat exit \$?\" >>\"$D/creat.out\""
} >payload.sh
chmod +x payload.sh
: >pid1.cmdline

# pid1 IMG: boot famfs init as PID 1 on IMG; its console is the output
# out_has looks at
pid1() {
	printf '%s\n' "[device]" "path = $D/$1" "[host]" \
		"uuid_file = $FAMFS_SYSTEM_UUID_FILE" "[mount]" \
		"mountpoint = $D/bootmnt" "[init]" "probe_timeout = 2" \
		"payload = $D/payload.sh" "on_exit = poweroff" "modules =" >pid1.ini
	: >pid1.console
	rm -f status.out ls.out creat.out
	# (the namespace ends with PID 1's power off: killed, as the kernel
	# does it, by SIGHUP or SIGINT; bash's note of that goes nowhere)
	( timeout -k 5 60 unshare --pid --fork --kill-child --mount --mount-proc \
		"$(dirname "$0")/pid1.sh" "$FAMFS" "$D/pid1.ini" "$D/pid1.console" \
		"$D/pid1.cmdline" >pid1.out 2>&1 ) 2>/dev/null
	cp pid1.console "$OUT.stdout"
	: >"$OUT.stderr"
	cp pid1.console "$OUT"
}

console_has() {
	local t
	for t in "$@"; do
		out_has "$t"
	done
}

pid1 boot.img
if ! grep -q "famfs-init: famfs .* as PID 1" pid1.console; then
	fail "famfs init did not start as PID 1: $(head -c 300 pid1.out)"
	finish
fi
console_has "state probe -> validate (ok)" "state validate -> mount (ok)" \
	"state mount -> serve (ok)" \
	"warning: the server is damaged (log entry 2 at offset $(printf '%#x' "$e2"):" \
	"the entries before the damage are served, creates are refused" \
	"state serve -> handoff (ok)" "payload exited 0" \
	"state handoff -> stop (done)"
out_lacks "-> replay"			# init replays nothing itself
out_lacks "FAILED"
check_eq "a" "$(cat ls.out 2>&1)" "the payload sees the entries before the damage"
if grep -q "state       damaged (log entry 2" status.out 2>/dev/null; then
	ok "the payload's famfs status: damaged"
else
	fail "the payload's famfs status: $(cat status.out 2>&1)"
fi
if grep -q "creates are refused" creat.out 2>/dev/null &&
   grep -q "creat exit 1" creat.out; then
	ok "the payload's create is refused"
else
	fail "the payload's create: $(cat creat.out 2>&1)"
fi
check_eq 0 "$(awk -v m="$D/bootmnt" '$5 == m' /proc/self/mountinfo | wc -l)" "mounts left here by the namespace"

pid1 notail.img
console_has "cannot replay the log: both log tail records are damaged" \
	"state mount -> failed (error)" "FAILED in state mount" \
	"fsck report: famfs fsck" "recovery shell exited"
out_lacks "state serve -> handoff"
if [ -e ls.out ]; then fail "the payload ran after a refused mount"; else ok "no payload after a refused mount"; fi

finish
