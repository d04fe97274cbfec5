#!/usr/bin/env bash
# famfs init outside PID 1 (the appliance's own boots are tests/appliance):
# it refuses to run, --print-config shows what the appliance would use from
# the shipped conf/famfs.ini and a kernel command line, and bad famfs.*
# words are refused with the word named; argv[0] "init" selects it.
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

finish
