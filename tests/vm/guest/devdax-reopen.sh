# SPDX-License-Identifier: Apache-2.0
# devdax-reopen: /dev/daxN.M across driver changes while old files stay
# open (kernel patch 0010; kernel/README.md, defect D11).
#   1. On device_dax and on fsdev_dax: a file held open across an unbind
#      and the next bind.  The device opens while that file is still
#      open and again after it is closed, and the next unbind is clean.
#      Before 0010 each probe re-initialised the cdev the old file held:
#      after the close every open failed with ENXIO and the next unbind
#      warned "refcount_t: underflow".
#   2. A mapping made under device_dax, held while the device moves to
#      fsdev_dax: a new open reaches fsdev_dax (read works) and the old
#      mapping's loads SIGBUS instead of faulting in pages that fs-dax
#      now owns.

devdax_setup
command -v famstress >/dev/null || die "famstress is not in the initramfs"
: >/tmp/kd.fail

# opens DRV: /dev/daxN.M opens the way DRV offers it (device_dax: mmap,
# fsdev_dax: read); prints the failure, nothing when it worked
opens() {
	if [ "$1" = fsdev_dax ]; then
		_o=$(try_open "$DAXDEV")
		[ "$_o" = ok ] || echo "open and read: $_o"
	else
		_o=$(daxcheck mmap-dev "$DAXDEV" 2>&1) || echo "${_o:-daxcheck failed}"
	fi
}

rebind() {
	echo "$DAXNAME" >"/sys/bus/dax/drivers/$1/unbind" ||
		die "unbind $DAXNAME from $1 failed"
	echo "$DAXNAME" >"/sys/bus/dax/drivers/$2/bind" ||
		die "bind $DAXNAME to $2 failed"
	expect_eq "driver of $DAXNAME" "$(dax_driver "$DAXNAME")" "$2"
}

held_across_rebind() {
	_drv=$1
	# sleep's stdin: the device held open by a process that does nothing
	# shellcheck disable=SC2217
	sleep 1000 <"$DAXDEV" &
	_h=$!
	_i=0
	until [ "$(readlink "/proc/$_h/fd/0" 2>/dev/null)" = "$DAXDEV" ]; do
		gone $_h && die "$_drv: the process holding $DAXDEV exited before the unbind"
		_i=$((_i + 1))
		[ $_i -le 100 ] || die "$_drv: $DAXDEV not held open after 10 s"
		sleep 0.1
	done
	rebind "$_drv" "$_drv"
	_e=$(opens "$_drv")
	if [ -z "$_e" ]; then
		passed "$_drv" "opens while a file from the previous binding is open"
	else
		failed "$_drv" "does not open while a file from the previous binding is open: $_e"
	fi
	gone $_h && failed "$_drv" "the process holding $DAXDEV died during the rebind"
	kill $_h
	wait $_h 2>/dev/null
	_e=$(opens "$_drv")
	if [ -z "$_e" ]; then
		passed "$_drv" "opens after that file was closed"
	else
		failed "$_drv" "does not open after that file was closed: $_e"
	fi
	# the next unbind must not drop a reference it does not hold
	rebind "$_drv" "$_drv"
}

held_across_rebind device_dax
dax_to_fsdev "$DAXNAME"
held_across_rebind fsdev_dax

# 2: a device_dax mapping held while the memory goes to fsdev_dax
rebind fsdev_dax device_dax
famstress remove "$DAXDEV" >/tmp/map.out 2>&1 &
MAPPER=$!
await_line $MAPPER /tmp/map.out ready "famstress remove $DAXDEV"
rebind device_dax fsdev_dax
_e=$(opens fsdev_dax)
if [ -z "$_e" ]; then
	passed "device_dax to fsdev_dax" "a new open reaches fsdev_dax while a device_dax file is mapped"
else
	failed "device_dax to fsdev_dax" "a new open does not reach fsdev_dax: $_e"
fi
kill -USR1 $MAPPER
wait $MAPPER
loaded=$(grep '^loaded' /tmp/map.out)
say "old device_dax mapping after the move: $loaded"
if [ "$loaded" = "loaded sigbus=1 loads_ok=0" ]; then
	passed "device_dax to fsdev_dax" "the old mapping's loads SIGBUS"
else
	failed "device_dax to fsdev_dax" "the old mapping still loads ($loaded)"
fi
rebind fsdev_dax device_dax
checks_done
