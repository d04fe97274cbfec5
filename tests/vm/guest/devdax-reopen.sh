# SPDX-License-Identifier: Apache-2.0
# devdax-reopen: a device-dax character device held open across an unbind
# and the next bind must open again once that old file is closed, on
# device_dax and on fsdev_dax (kernel/README.md, "Known defects").

devdax_setup
reopen_after_rebind() {
	_drv=$1
	sleep 1000 <"$DAXDEV" &
	_h=$!
	sleep 0.5
	echo "$DAXNAME" >"/sys/bus/dax/drivers/$_drv/unbind" || die "unbind $DAXNAME from $_drv failed"
	echo "$DAXNAME" >"/sys/bus/dax/drivers/$_drv/bind" || die "bind $DAXNAME to $_drv failed"
	kill $_h
	wait $_h 2>/dev/null
	if _o=$(dd if="$DAXDEV" of=/dev/null bs=4096 count=1 2>&1) || [ "$_drv" = device_dax ] && (exec 3<"$DAXDEV") 2>/dev/null; then
		say "$_drv: $DAXDEV opens after a file held across unbind and bind was closed"
		return 0
	fi
	failed_open="$_drv: $DAXDEV does not open after a file held across unbind and bind was closed: $_o"
	echo "FAMFS-VM: info $T: $failed_open"
	echo "$failed_open" >>/tmp/reopen.fail
}
: >/tmp/reopen.fail
reopen_after_rebind device_dax
dax_to_fsdev "$DAXNAME"
reopen_after_rebind fsdev_dax
[ ! -s /tmp/reopen.fail ] || die "$(tr '\n' ';' </tmp/reopen.fail)"
