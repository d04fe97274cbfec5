# SPDX-License-Identifier: Apache-2.0
# devdax-live-b: guest B (client) of devdax-twohost: live-b.sh on its own
# device-dax view of the shared region; see devdax-live-a.sh.  B reads
# the mailbox (read(2) of the device) before it mounts, so it binds the
# device to fsdev_dax through sysfs first; its mount -M then finds it in
# famfs mode already.

devdax_as_pmem
dax_to_fsdev "$DAXNAME"
LIVE_MOUNT_FLAGS=-M
. /vmtest/live-b.sh
