# SPDX-License-Identifier: Apache-2.0
# devdax-remove: remove.sh on device-dax.  The memmap= region becomes
# /dev/dax0.0 (devdax_setup, lib.sh), "famfs mkfs -M" binds it to
# fsdev_dax, and it is unbound from fsdev_dax while famfs files are open
# and mapped: kill_dax() tells famfs (MF_MEM_PRE_REMOVE) before the pages
# go, so mappings SIGBUS and reads fail, with no kernel report.  Binding
# it to fsdev_dax again (the id that -M gave new_id stays), a new mount
# reads every file back and is DAX.

export FAMFS_SYSTEM_UUID_FILE="$HOST_A"
grep -q 'famfs.expect=dax' /proc/cmdline ||
	die "devdax-remove needs a kernel with CONFIG_FUSE_FAMFS_DAX=y"
devdax_setup
RM_NAME=$DAXNAME
RM_DRV=/sys/bus/dax/drivers/fsdev_dax
RM_DEV=$DAXDEV
RM_MKFS_FLAGS=-M
# unbound, /dev/daxN.M stays (the dax device does) but has no driver
rm_present() { [ "$(dax_driver "$DAXNAME")" = fsdev_dax ]; }
rm_wait() {
	rm_present || die "$DAXNAME is not bound to fsdev_dax after bind (driver: $(dax_driver "$DAXNAME"))"
}
. /vmtest/remove.sh
