# SPDX-License-Identifier: Apache-2.0
# Helpers for the guest scenarios (sourced by /init with T=scenario name).
# A scenario is plain sh that calls die to fail; reaching its end passes.

PMEM=/dev/pmem0
PMEM1=/dev/pmem1
HOST_A=/etc/famfs/host-a.uuid
HOST_B=/etc/famfs/host-b.uuid

# Progress line on the console.
say() { echo "FAMFS-VM: ok $T: [$(cut -d" " -f1 /proc/uptime)] $*"; }

# Fail the scenario with a one-line reason.  Inside $(...) this only ends
# the subshell: callers write "x=$(fn ...) || exit 1"; the first reason
# recorded is the one reported.
die() {
	[ -s /tmp/why ] || echo "$*" >/tmp/why
	echo "FAMFS-VM: info $T: $*"
	# A scenario may have something to do on failure (tell the other
	# guest).
	[ -z "${DIE_HOOK:-}" ] || $DIE_HOOK
	exit 1
}

# passed ID TEXT, failed ID TEXT: a check's result, for scenarios that
# record every check and go on (kdefects, races; they empty /tmp/kd.fail
# first); checks_done fails the scenario if any check failed.
passed() { say "$1: $2"; }
failed() {
	echo "$1: $2" >>/tmp/kd.fail
	echo "FAMFS-VM: info $T: $1 FAILED: $2"
}
checks_done() {
	[ ! -s /tmp/kd.fail ] ||
		die "$(wc -l </tmp/kd.fail) check(s) failed: $(tr '\n' ';' </tmp/kd.fail | sed 's/;$//')"
}

# Run a command, echo its output indented; die if it fails.
run() {
	_out=$("$@" 2>&1)
	_rc=$?
	[ -n "$_out" ] && echo "$_out" | sed 's/^/    | /'
	[ "$_rc" = 0 ] || die "'$*' exited $_rc: $(echo "$_out" | tail -n 1)"
}

# The command must fail.
run_fails() {
	_out=$("$@" 2>&1)
	_rc=$?
	[ -n "$_out" ] && echo "$_out" | sed 's/^/    | /'
	[ "$_rc" != 0 ] || die "'$*' succeeded but must fail"
}

# wait_pmem [DEV]: wait (up to 10 s) for DEV (default /dev/pmem0): module
# probing can be asynchronous.
wait_pmem() {
	_i=0
	while [ ! -b "${1:-$PMEM}" ]; do
		_i=$((_i + 1))
		[ $_i -le 100 ] || die "${1:-$PMEM} does not exist ($(grep -i persistent /proc/iomem | tr '\n' ';'))"
		sleep 0.1
	done
}

# errno name of a strerror() text (glibc and musl wordings).
errname() {
	case $1 in
	*"Input/output error"* | *"I/O error"*) echo EIO ;;
	*"No such device or address"*) echo ENXIO ;;
	*"No such device"*) echo ENODEV ;;
	*"No such file or directory"*) echo ENOENT ;;
	*"Block device required"*) echo ENOTBLK ;;
	*"Operation not supported"* | *"Not supported"*) echo EOPNOTSUPP ;;
	*"Device or resource busy"* | *"Resource busy"*) echo EBUSY ;;
	*"Invalid argument"*) echo EINVAL ;;
	*"Numerical result out of range"* | *"Result not representable"*) echo ERANGE ;;
	*) echo "?($1)" ;;
	esac
}

# try_open FILE: "ok" or the errno name of a failed open+read.
try_open() {
	_o=$(dd if="$1" of=/dev/null bs=4096 count=1 2>&1) && { echo ok; return; }
	errname "$_o"
}

# pmem_at DEV BASE SIZE: DEV is the DAX-capable pmem namespace at physical
# address BASE of SIZE bytes (sysfs), i.e. the memmap= region the runner
# meant.  Device names follow region order, which follows addresses.
pmem_at() {
	_n=${1#/dev/}
	_r=$(cat "/sys/block/$_n/device/resource" 2>/dev/null)
	_s=$(($(cat "/sys/block/$_n/size" 2>/dev/null || echo 0) * 512))
	[ "$((${_r:-0}))" = "$(($2))" ] && [ "$_s" = "$(($3))" ] ||
		die "$1 is the region at ${_r:-?} of $_s bytes, expected $2 of $(($3)) bytes ($(grep -i persistent /proc/iomem | tr '\n' ';'))"
	expect_eq "/sys/block/$_n/queue/dax" "$(cat "/sys/block/$_n/queue/dax" 2>/dev/null)" 1
}

# json_get_dev_uuid IDX JSON: the UUID of device IDX in a status JSON.
json_get_dev_uuid() {
	echo "$2" | sed -n "s/.*{\"index\":$1,\"uuid\":\"\([^\"]*\)\".*/\1/p"
}

# json_get KEY JSON: the value of a flat key (string or number).
json_get() {
	echo "$2" | sed -n "s/.*\"$1\":\"\{0,1\}\([^\",}]*\).*/\1/p"
}

# status MNT: the server's status JSON (dies if there is none).
status() {
	_s=$(famfs status --json "$1" 2>&1) || die "famfs status --json $1: $_s"
	echo "$_s"
}

# expect_eq WHAT GOT WANT
expect_eq() {
	[ "$2" = "$3" ] || die "$1 is '$2', expected '$3'"
}

# extents FILE: "OFFSET LEN" per extent (decimal), from famfs getmap.
extents() {
	_m=$(famfs getmap "$1" 2>&1) || die "famfs getmap $1: $_m"
	echo "$_m" | sed -n 's/.*extent [0-9]*: dev 0 offset \(0x[0-9a-f]*\) len \(0x[0-9a-f]*\).*/\1 \2/p' |
		while read -r _o _l; do echo "$((_o)) $((_l))"; done
}

# first_offset FILE: device offset of the file's first extent.
first_offset() {
	_e=$(extents "$1") || exit 1
	[ -n "$_e" ] || die "famfs getmap $1 shows no device-0 extent"
	echo "$_e" | head -n 1 | cut -d' ' -f1
}

# two_regions BASE: /dev/pmem0 is the 1 GiB region at physical BASE and
# /dev/pmem1 the one at BASE + 1 GiB (run.sh's two-region memory layouts).
two_regions() {
	wait_pmem
	wait_pmem "$PMEM1"
	pmem_at "$PMEM" "$1" 1073741824
	pmem_at "$PMEM1" $(($1 + 1073741824)) 1073741824
	say "numbering: $PMEM is the region at $(($1 >> 30)) GiB, $PMEM1 the one at $((($1 >> 30) + 1)) GiB (dax 1)"
}

# mkfs_mount DEV...: famfs mkfs over the devices (the first is the
# primary), mount it on /mnt; this host must be its master and the data
# path the expected one.  Leaves the status JSON in S.
mkfs_mount() {
	run famfs mkfs "$@"
	run famfs mount "$1" /mnt
	S=$(status /mnt) || exit 1
	expect_eq role "$(json_get role "$S")" master
	expect_eq data_path "$(json_get data_path "$S")" "$FAMFS_VM_EXPECT"
}

# dev_read DEV OFFSET LEN: device bytes with O_DIRECT (the block device's
# page cache is not coherent with DAX stores, KERNEL.md section 5.2).
dev_read() {
	dd if="$1" iflag=direct,skip_bytes,count_bytes bs=1M skip="$2" \
		count="$3" 2>/dev/null
}

# dev_write DEV OFFSET < data: write to DEV with O_DIRECT at OFFSET
# (4 KiB-aligned; input padded to 4 KiB blocks).
dev_write() {
	dd of="$1" oflag=direct,seek_bytes bs=4096 seek="$2" conv=sync,notrunc \
		2>/dev/null
}

# raw_read OFFSET LEN, raw_write OFFSET: the same on /dev/pmem0.
raw_read() { dev_read "$PMEM" "$1" "$2"; }
raw_write() { dev_write "$PMEM" "$1"; }

# file_matches_device FILE: the file's bytes equal /dev/pmem0's bytes at
# its extents (a single-device filesystem).
file_matches_device() { file_matches_devices "$1" "$PMEM"; }

# dax_mapped FILE [ro]: the DAX proofs that need no server counters: statx
# STATX_ATTR_DAX, and a touched shared mapping with Rss 0 whose pages are
# all in a Persistent Memory range (read-only mapping and loads only with
# "ro": a client's files).
dax_mapped() {
	_x=$(daxcheck statx "$1") || die "STATX_ATTR_DAX is not set on $1 ($_x)"
	_m=$(daxcheck "mmap${2:+-$2}" "$1" 2>&1) || die "daxcheck mmap${2:+-$2} $1 failed: $_m"
	expect_eq "Rss (kB) of a touched DAX mapping of $1" "$(kv rss_kb "$_m")" 0
	expect_eq "touched pages of $1 in pmem" "$(kv pmem_pages "$_m")" "$(kv pages "$_m")"
	say "$1: $_x; mmap $_m"
}

# --- several devices ------------------------------------------------------
# A map names devices by index (0 = the primary, then in log order); DEVS
# is this host's device for each index, in index order ("/dev/pmem0
# /dev/pmem1"): which one is which is what a test knows from its setup.

# map_of FILE: "DEV OFFSET LEN" (decimal) per extent or strip, from getmap.
map_of() {
	_m=$(famfs getmap "$1" 2>&1) || die "famfs getmap $1: $_m"
	echo "$_m" | sed -n 's/.*[a-z] [0-9]*: dev \([0-9]*\) offset \(0x[0-9a-f]*\) len \(0x[0-9a-f]*\).*/\1 \2 \3/p' |
		while read -r _d _o _l; do echo "$_d $((_o)) $((_l))"; done
}

# map_chunk FILE: the interleave chunk in bytes, 0 for a contiguous file.
map_chunk() {
	_m=$(famfs getmap "$1" 2>&1) || die "famfs getmap $1: $_m"
	_c=$(echo "$_m" | sed -n 's/.*interleaved: [0-9]* strips, chunk \(0x[0-9a-f]*\).*/\1/p')
	echo $((${_c:-0}))
}

# devs_of FILE: the distinct device indices of FILE's map, sorted.
devs_of() {
	_mo=$(map_of "$1") || exit 1
	echo "$_mo" | cut -d' ' -f1 | sort -n | uniq | tr '\n' ' ' | sed 's/ $//'
}

# dev_path IDX DEVS: this host's device for index IDX.
dev_path() {
	_p=$(echo "$2" | cut -d' ' -f$(($1 + 1)))
	[ -n "$_p" ] || die "no local device for index $1 (have: $2)"
	echo "$_p"
}

# map_bytes FILE DEVS: FILE's bytes as they lie on the raw devices,
# following its map: extents one after the other, or for an interleaved
# file chunk k of strip k % N at the strip's offset + (k / N) * chunk; cut
# at the file size.
map_bytes() {
	_mo=$(map_of "$1") || exit 1
	_ch=$(map_chunk "$1") || exit 1
	_sz=$(stat -c %s "$1") || die "cannot stat $1"
	if [ "$_ch" = 0 ]; then
		echo "$_mo" | while read -r _d _o _l; do
			dev_read "$(dev_path "$_d" "$2")" "$_o" "$_l"
		done | head -c "$_sz"
		return
	fi
	_ns=$(echo "$_mo" | wc -l)
	_k=0
	while [ $((_k * _ch)) -lt "$_sz" ]; do
		_st=$(echo "$_mo" | sed -n "$((_k % _ns + 1))p")
		_l=$((_sz - _k * _ch))
		[ "$_l" -le "$_ch" ] || _l=$_ch
		dev_read "$(dev_path "${_st%% *}" "$2")" \
			$(($(echo "$_st" | cut -d' ' -f2) + _k / _ns * _ch)) "$_l"
		_k=$((_k + 1))
	done
}

# file_matches_devices FILE DEVS: FILE's bytes equal map_bytes FILE DEVS.
file_matches_devices() {
	_f=$(md5sum <"$1" | cut -d' ' -f1)
	_d=$(map_bytes "$1" "$2" | md5sum | cut -d' ' -f1)
	[ "$_f" = "$_d" ] || die "$1 (md5 $_f) differs from its map on $2 (md5 $_d): $(map_of "$1" | tr '\n' ';')"
	say "$1 equals its map on the raw devices [$2] (md5 $_f; dev offset len: $(map_of "$1" | tr '\n' ';' | sed 's/;$//'); chunk $(map_chunk "$1"))"
}

# kv KEY LINE: the value of KEY=value in a daxcheck output line.
kv() {
	echo "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"
}

# Mailbox slots for two guests on one shared region: the last 8 KiB of the
# device, far from anything a small famfs allocates.
mbox_slot() {
	_sz=$(dev_bytes "$PMEM")
	case $1 in
	A) echo $((_sz - 8192)) ;;
	B) echo $((_sz - 4096)) ;;
	esac
}

# mbox_put A|B WORD: publish WORD in this guest's slot.
mbox_put() {
	printf '%s\n' "$2" | raw_write "$(mbox_slot "$1")"
}

# mbox_get A|B: the word in a slot ("" when empty).
mbox_get() {
	raw_read "$(mbox_slot "$1")" 4096 | tr -d '\000' | head -n 1
}

# mbox_wait A|B SECONDS WORD...: wait until the slot holds one of WORDs;
# prints it.  Dies on timeout.
mbox_wait() {
	_slot=$1 _secs=$2
	shift 2
	_end=$(($(cut -d. -f1 /proc/uptime) + _secs))
	while :; do
		_got=$(mbox_get "$_slot")
		for _w in "$@"; do
			[ "$_got" = "$_w" ] && { echo "$_got"; return 0; }
		done
		[ "$(cut -d. -f1 /proc/uptime)" -lt $_end ] ||
			die "waited $_secs s for guest $_slot to say '$*' (slot holds '$_got')"
		sleep 0.5
	done
}

# await_line PID OUT WORD WHAT: wait up to 60 s for a background process
# (PID, output in OUT) to print a line starting with WORD; die, with its
# output, if it exits first.  WHAT names it in the messages.
await_line() {
	_i=0
	until grep -qs "^$3" "$2"; do
		gone "$1" && die "$4 exited: $(tr '\n' ';' <"$2")"
		_i=$((_i + 1))
		[ $_i -le 600 ] || die "$4 did not print '$3' in 60 s"
		sleep 0.1
	done
}

# gone PID: the process has exited (a zombie counts: /init reaps late).
gone() {
	[ ! -e "/proc/$1/stat" ] && return 0
	case $(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1) in
	Z | X | "") return 0 ;;
	esac
	return 1
}

# unmount MNT: umount and wait (10 s) for its server to exit, so that the
# device is free (the server holds a lock on it until it exits).
unmount() {
	_p=$(json_get pid "$(famfs status --json "$1" 2>/dev/null)")
	run umount "$1"
	[ -n "$_p" ] || return 0
	_i=0
	until gone "$_p"; do
		_i=$((_i + 1))
		[ $_i -le 100 ] || die "server $_p of $1 still running 10 s after umount"
		sleep 0.1
	done
}

# dax_seed_claim REGION NS: the dax seed of nvdimm region REGION claims
# namespace NS (which no driver has) as ndctl -m devdax does: a fixed uuid,
# 2 MiB alignment, its memmap in guest RAM, bound to dax_pmem.  Sets
# DAXNAME.
dax_seed_claim() {
	_seed=$(cat "/sys/bus/nd/devices/$1/dax_seed" 2>/dev/null)
	[ -n "$_seed" ] || die "$1 has no dax seed (CONFIG_NVDIMM_DAX)"
	_d=/sys/bus/nd/devices/$_seed
	echo 0f5d0a5e-fa3f-4d0a-9dee-13d3a1c0de13 >"$_d/uuid" ||
		die "$_seed: uuid refused"
	echo 2097152 >"$_d/align" || die "$_seed: align 2M refused ($(cat "$_d/supported_alignments"))"
	echo ram >"$_d/mode" || die "$_seed: mode ram refused"
	echo "$2" >"$_d/namespace" || die "$_seed: namespace $2 refused"
	echo "$_seed" >/sys/bus/nd/drivers/dax_pmem/bind ||
		die "bind $_seed to dax_pmem failed"
	DAXNAME=
	for _x in "$_d"/dax[0-9]*.[0-9]*; do
		[ -e "$_x" ] && DAXNAME=$(basename "$_x")
	done
	[ -n "$DAXNAME" ] || die "$_seed bound to dax_pmem but has no dax device"
	say "$2 of $1 is device-dax $DAXNAME (dax seed $_seed, sysfs)"
}

# devdax_convert: the sysfs steps of devdax_setup; sets DAXNAME.
devdax_convert() {
	_ns=$(basename "$(readlink -f /sys/block/pmem0/device)")
	_reg=$(basename "$(readlink -f "/sys/bus/nd/devices/$_ns/..")")
	echo "$_ns" >/sys/bus/nd/drivers/nd_pmem/unbind ||
		die "unbind $_ns from nd_pmem failed"
	dax_seed_claim "$_reg" "$_ns"
}

# devdax_setup: turn the memmap= region's pmem namespace into device-dax
# through sysfs, what "ndctl create-namespace -f -e NS -m devdax -a 2M
# -M mem" does (ndctl is not in the guest): the namespace leaves nd_pmem,
# the region's dax seed gets a uuid, 2 MiB alignment, its memmap in guest
# RAM ("ram": two guests sharing the region must not keep their struct
# pages in it) and the namespace, and is bound to dax_pmem.  The uuid is
# fixed, so that two guests on one shared region write the same info
# block and find the same data offset.  Sets DAXDEV to /dev/daxN.M and
# DAXNAME to daxN.M, bound to device_dax, and DAX_AT_BOOT to 1 if the
# kernel made it at boot from an info block already on the region.
devdax_setup() {
	# a guest that boots on shared memory where another guest already
	# wrote the info block gets the dax device from nd_pmem's probe
	_i=0
	while [ ! -b "$PMEM" ] && ! ls -d /sys/bus/dax/devices/dax*.* >/dev/null 2>&1; do
		_i=$((_i + 1))
		[ $_i -le 100 ] || die "neither $PMEM nor a dax device exists ($(grep -i persistent /proc/iomem | tr '\n' ';'))"
		sleep 0.1
	done
	DAX_AT_BOOT=0
	if [ -b "$PMEM" ]; then
		devdax_convert
	else
		DAX_AT_BOOT=1
		DAXNAME=$(basename "$(ls -d /sys/bus/dax/devices/dax*.* | head -n 1)")
		say "$DAXNAME was made at boot from the info block on the region (another guest on this shared memory wrote it)"
	fi
	dax_chardev_ready
}

# dax_chardev_ready: wait (up to 10 s) for /dev/$DAXNAME, which must be
# bound to device_dax; sets DAXDEV.
dax_chardev_ready() {
	DAXDEV=/dev/$DAXNAME
	_i=0
	while [ ! -c "$DAXDEV" ]; do
		_i=$((_i + 1))
		[ $_i -le 100 ] || die "$DAXDEV did not appear"
		sleep 0.1
	done
	expect_eq "driver of $DAXNAME" "$(dax_driver "$DAXNAME")" device_dax
	say "device-dax $DAXDEV ($(cat "/sys/bus/dax/devices/$DAXNAME/size") bytes, align $(cat "/sys/bus/dax/devices/$DAXNAME/align")), driver device_dax"
}

# chardev_as_pmem: PMEM is the character device DAXDEV from now on, for
# the scenarios of pmem that run on device-dax as they are.
chardev_as_pmem() {
	PMEM=$DAXDEV
	wait_pmem() { [ -c "$PMEM" ] || die "$PMEM is not a character device"; }
}

# devdax_as_pmem: devdax_setup, then PMEM is the character device, for
# the scenarios of pmem that run on device-dax as they are.
devdax_as_pmem() {
	devdax_setup
	chardev_as_pmem
}

# dev_bytes DEV: the size of a block or device-dax character device.
dev_bytes() {
	if [ -c "$1" ]; then
		cat "/sys/bus/dax/devices/${1#/dev/}/size"
	else
		echo $(($(cat "/sys/block/${1#/dev/}/size") * 512))
	fi
}

# dax_to_fsdev NAME: bind device-dax NAME to fsdev_dax through sysfs, as
# famfs -M does, for a guest that reads the device before famfs runs (a
# device on device_dax has no read(2), only mmap).
dax_to_fsdev() {
	_drv=$(dax_driver "$1")
	if [ -n "$_drv" ] && [ "$_drv" != fsdev_dax ]; then
		echo "$1" >"/sys/bus/dax/drivers/$_drv/unbind" ||
			die "unbind $1 from $_drv failed"
	fi
	echo "$1" >/sys/bus/dax/drivers/fsdev_dax/new_id ||
		die "new_id $1 for fsdev_dax failed"
	expect_eq "driver of $1" "$(dax_driver "$1")" fsdev_dax
}

# dax_driver NAME: the dax bus driver bound to NAME, empty when none.
dax_driver() {
	_l=$(readlink "/sys/bus/dax/devices/$1/driver" 2>/dev/null) || return 0
	basename "$_l"
}

# --- benchmarks (bench.sh, devdaxbench.sh) ---------------------------------
# They set SIZE, OPS, MODES and RES (the results file), and SRV to the
# famfs server's pid while a famfs target is measured.

# bench_mib SIZE: SIZE (NNN, NNNM or NNNG) in MiB.
bench_mib() {
	case $1 in
	*G | *g) echo $((${1%?} * 1024)) ;;
	*M | *m) echo "${1%?}" ;;
	*) echo $(($1 / 1048576)) ;;
	esac
}

# bench_csw: context switches of the famfs server (all threads) so far, 0
# when none runs (SRV unset): how often it woke up, i.e. roughly its
# requests.
bench_csw() {
	if [ -n "${SRV:-}" ] && [ -d "/proc/$SRV" ]; then
		cat /proc/"$SRV"/task/*/status 2>/dev/null |
			awk '/^(non)?voluntary_ctxt_switches:/ { n += $2 } END { print n + 0 }'
	else
		echo 0
	fi
}

# bench_measure TARGET PATH [MODES]: membench PATH ("anon" or a file) in
# each mode (default $MODES), the page cache dropped before each; appends
# "TARGET MODE MBPS CAPPED BYTES SERVER_CSW SYNC_SECS SECS FAULTS" to $RES.
bench_measure() {
	for _m in ${3:-$MODES}; do
		sync
		echo 3 >/proc/sys/vm/drop_caches 2>/dev/null
		_c0=$(bench_csw)
		_o=$(membench "$2" "$SIZE" "$_m" "$OPS" 2>&1) || die "membench $2 $_m: $_o"
		_c1=$(bench_csw)
		echo "$1 $_m $(kv mbps "$_o") $(kv capped "$_o") $(kv bytes "$_o") $((_c1 - _c0)) $(kv sync_secs "$_o") $(kv secs "$_o") $(kv faults "$_o")" >>"$RES"
		say "$1 $_o server_csw=$((_c1 - _c0))"
	done
}

# bench_ext2: mke2fs over $PMEM, mount -o dax on /mnt, a $SIZE file of
# zeros written by dd, bench_measure ext2 on it (all modes), umount.
bench_ext2() {
	run mke2fs -F -q -b 4096 "$PMEM"
	run mount -t ext2 -o dax "$PMEM" /mnt
	dd if=/dev/zero of=/mnt/f bs=1M count="$(bench_mib "$SIZE")" 2>/dev/null ||
		die "cannot write /mnt/f on ext2"
	sync
	say "ext2 -o dax mounted, statx $(daxcheck statx /mnt/f)"
	bench_measure ext2 /mnt/f
	run umount /mnt
}

# bench_rows: "MODE DESCRIPTION" per membench mode, the tables' row names.
bench_rows() {
	cat <<-'ROWS'
	mmap-seq-read mmap sequential read (64-bit loads)
	mmap-seq-write mmap sequential write (memset 1 MiB, msync)
	mmap-rand-read mmap random 4 KiB read
	mmap-rand-write mmap random 4 KiB write (msync)
	rw-seq-read read(2) 1 MiB sequential
	rw-seq-write write(2) 1 MiB sequential (fsync)
	rw-rand-read pread(2) 4 KiB random
	rw-rand-write pwrite(2) 4 KiB random (fsync)
	mmap-touch-read mmap, one load per 2 MiB (faults)
	mmap-touch-write mmap, one store per 2 MiB (faults; msync)
	ROWS
}
