# SPDX-License-Identifier: Apache-2.0
# devdax-live-b: guest B (client) of devdax-twohost: live-b.sh on its own
# device-dax view of the shared region, bound to fsdev_dax by famfs
# mount -M; see devdax-live-a.sh.

devdax_as_pmem
LIVE_MOUNT_FLAGS=-M
. /vmtest/live-b.sh
