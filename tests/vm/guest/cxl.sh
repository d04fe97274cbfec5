# SPDX-License-Identifier: Apache-2.0
# cxl: famfs on CXL memory as QEMU 7.2 emulates it (a type-3 device with
# persistent memory and a label area, host.sh "cxl"), set up through sysfs
# the way ndctl's cxl and ndctl tools do (neither is in the guest):
#  1. a pmem region in the root decoder's window: create_pmem_region, uuid,
#     the window's interleave granularity, 1 way, the endpoint decoder in
#     pmem mode with the device's whole persistent capacity, the region's
#     size, target0, commit, bind to cxl_region;
#  2. the nvdimm region the CXL pmem bridge makes of it: a label namespace
#     of all its capacity (the kernel writes the label index itself),
#     claimed by the region's dax seed: /dev/daxN.M on device_dax;
#  3. every proof of dax1 on it, famfs mkfs -M moving it to fsdev_dax,
#     pages counted in the CXL region's range of /proc/iomem.

export FAMFS_SYSTEM_UUID_FILE="$HOST_A"
grep -q 'famfs.expect=dax' /proc/cmdline ||
	die "cxl needs a kernel with CONFIG_FUSE_FAMFS_DAX=y"
CXL=/sys/bus/cxl/devices

# cxl_w FILE VALUE: write VALUE to sysfs FILE; die naming both if refused.
cxl_w() {
	echo "$2" >"$1" 2>/tmp/cxl_w || die "echo $2 > $1: $(cat /tmp/cxl_w)"
}

# wait_for GLOB WHAT: wait up to 30 s for a path matching GLOB.
wait_for() {
	_i=0
	# shellcheck disable=SC2086 # GLOB is a glob
	while ! ls -d $1 >/dev/null 2>&1; do
		_i=$((_i + 1))
		[ $_i -le 300 ] || die "no $2 after 30 s ($1; cxl devices: $(ls $CXL 2>/dev/null | tr '\n' ' '))"
		sleep 0.1
	done
}

# cxl_region: make, commit and enable a pmem region over mem0's persistent
# capacity; sets CXLREG (regionZ) and NDREG (the nvdimm region).
cxl_region() {
	wait_for "$CXL/endpoint*/decoder*.0" "endpoint decoder"
	_ep=$(basename "$(ls -d $CXL/endpoint*/decoder*.0 | head -n 1)")
	_rd=$CXL/decoder0.0
	[ "$(cat "$_rd/cap_pmem")" = 1 ] || die "root decoder decoder0.0 cannot hold pmem"
	_cap=$(cat "$CXL/mem0/pmem/size")
	[ "$((_cap))" -gt 0 ] || die "mem0 has no persistent capacity"
	CXLREG=$(cat "$_rd/create_pmem_region")
	cxl_w "$_rd/create_pmem_region" "$CXLREG"
	_r=$CXL/$CXLREG
	cxl_w "$_r/uuid" 6d1c0f2e-3c8a-4a1e-9b7d-c0de0000cc01
	cxl_w "$_r/interleave_granularity" "$(cat "$_rd/interleave_granularity")"
	cxl_w "$_r/interleave_ways" 1
	cxl_w "$CXL/$_ep/mode" pmem
	cxl_w "$CXL/$_ep/dpa_size" "$_cap"
	cxl_w "$_r/size" "$_cap"
	cxl_w "$_r/target0" "$_ep"
	cxl_w "$_r/commit" 1
	cxl_w /sys/bus/cxl/drivers/cxl_region/bind "$CXLREG"
	say "$CXLREG: $(cat "$_r/mode") $(cat "$_r/size") bytes at $(cat "$_r/resource"), target $_ep, committed $(cat "$_r/commit")"
	# the CXL pmem bridge registers an nvdimm region at the same address
	_res=$(cat "$_r/resource")
	_i=0
	NDREG=
	while [ -z "$NDREG" ]; do
		for _x in /sys/bus/nd/devices/region*; do
			[ "$(cat "$_x/resource" 2>/dev/null)" = "$_res" ] && NDREG=$(basename "$_x")
		done
		_i=$((_i + 1))
		[ -n "$NDREG" ] || [ $_i -le 300 ] ||
			die "no nvdimm region at $_res after 30 s (nd: $(ls /sys/bus/nd/devices | tr '\n' ' '))"
		[ -n "$NDREG" ] || sleep 0.1
	done
}

# cxl_devdax: a label namespace over all of NDREG, claimed by its dax seed.
cxl_devdax() {
	_n=/sys/bus/nd/devices/$NDREG
	wait_for "$_n/namespace*" "namespace seed in $NDREG"
	_ns=$(cat "$_n/namespace_seed")
	_avail=$(cat "$_n/available_size")
	[ "$((_avail))" -gt 0 ] || die "$NDREG has no available capacity"
	cxl_w "/sys/bus/nd/devices/$_ns/uuid" 6d1c0f2e-3c8a-4a1e-9b7d-c0de0000cc02
	cxl_w "/sys/bus/nd/devices/$_ns/size" "$_avail"
	dax_seed_claim "$NDREG" "$_ns"
	dax_chardev_ready
	say "$NDREG: namespace $_ns ($_avail bytes) is $DAXDEV"
}

cxl_region
cxl_devdax
grep -i -e cxl -e "$CXLREG" /proc/iomem | sed 's/^/    | /'
chardev_as_pmem
export DAXCHECK_IOMEM=$CXLREG
DAX1_MKFS_FLAGS=-M
. /vmtest/dax1.sh
expect_eq "driver of $DAXNAME after mkfs -M" "$(dax_driver "$DAXNAME")" fsdev_dax
