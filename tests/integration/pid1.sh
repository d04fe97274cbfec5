#!/bin/sh
# tests/integration/pid1.sh FAMFS CONFIG CONSOLE CMDLINE
#
# Run inside `unshare --pid --fork --mount --mount-proc` (a PID namespace
# and a private mount namespace): make this namespace's console CONSOLE
# (a file), its kernel log and printk_devkmsg /dev/null, its
# /proc/cmdline CMDLINE and its /run a fresh tmpfs, then become
# `FAMFS -c CONFIG init` as PID 1.  Refuses to run as anything but PID 1,
# so that nothing here is ever mounted over the caller's own files.
set -eu
[ "$$" = 1 ] || { echo "pid1.sh: not PID 1 of a new namespace" >&2; exit 2; }
famfs=$1 config=$2 console=$3 cmdline=$4
mount --make-rprivate /
mount --bind "$console" /dev/console
mount --bind /dev/null /dev/kmsg
mount --bind "$cmdline" /proc/cmdline
if [ -e /proc/sys/kernel/printk_devkmsg ]; then
	mount --bind /dev/null /proc/sys/kernel/printk_devkmsg
fi
mount -t tmpfs tmpfs /run
exec "$famfs" -c "$config" init
