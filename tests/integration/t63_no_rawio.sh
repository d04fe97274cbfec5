#!/usr/bin/env bash
# Security: a server without CAP_SYS_RAWIO never gets DAX.  The decision
# is the server's INIT reply (server_io.c amend_init): it accepts
# FUSE_DAX_FMAP only when the kernel offers it, the data path allows it
# and CAP_SYS_RAWIO is in the server's effective set - unit-tested with a
# real offer and the capability dropped in tests/unit/test_srv_io.c; the
# kernel side (a patched kernel does not even offer it) is the third case
# of kernel/smoke/run.sh under QEMU.  This host's kernel has no famfs DAX,
# so here: a mount started without the capability (capsh --drop) runs a
# server that holds none of it (effective, permitted, bounding), reports
# the fallback data path, and serves the data itself (READ/WRITE counted);
# a normal mount's server does hold it.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/integration/mnt.sh
. "$(dirname "$0")/mnt.sh"
command -v capsh >/dev/null 2>&1 || { echo "skip: capsh is missing"; exit 77; }
[ "$(id -u)" = 0 ] || { echo "skip: needs root"; exit 77; }

has_rawio() {	# has_rawio PID FIELD: 1 if bit 17 is set in Cap<FIELD>
	local v
	v=$(awk -v f="Cap$2:" '$1 == f { print $2 }' "/proc/$1/status")
	echo $(((0x$v >> 17) & 1))
}

mkimg img 256M
expect_exit 0 "$FAMFS" mkfs img
expect_exit 0 "$FAMFS" fsck img
newmnt m
expect_exit 0 capsh --drop=cap_sys_rawio -- -c "exec '$FAMFS' mount img m"
pid=$(srv_pid m)
check_eq "0 0 0" "$(has_rawio "$pid" Eff) $(has_rawio "$pid" Prm) $(has_rawio "$pid" Bnd)" "CAP_SYS_RAWIO of the server started without it (eff prm bnd)"
expect_exit 0 "$FAMFS" status m
out_matches "data path +fallback"
expect_exit 0 "$FAMFS" creat -r -S 5 -s 3M m/f
expect_exit 0 "$FAMFS" verify -f m/f -S 5
expect_exit 0 "$FAMFS" status m
out_matches "I/O +[1-9][0-9]* reads, [1-9][0-9]* writes, 0 fmaps, 0 daxdevs"
umount_wait m
# with -m dax it is the same: the option cannot grant what the capability denies
expect_exit 0 capsh --drop=cap_sys_rawio -- -c "exec '$FAMFS' mount --data-path dax img m"
expect_exit 0 "$FAMFS" status m
out_matches "data path +fallback"
umount_wait m
# the control: a normal mount's server holds the capability
expect_exit 0 "$FAMFS" mount img m
check_eq 1 "$(has_rawio "$(srv_pid m)" Eff)" "CAP_SYS_RAWIO of a normal server"
umount_wait m
finish
