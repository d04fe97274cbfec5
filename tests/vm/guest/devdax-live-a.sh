# SPDX-License-Identifier: Apache-2.0
# devdax-live-a: guest A (master) of devdax-twohost: live-a.sh on the
# shared region made device-dax (devdax_setup, lib.sh) and bound to
# fsdev_dax by famfs mkfs -M.  Guest B (devdax-live-b.sh) does the same
# setup on its view of the region; both write the same info block.

devdax_as_pmem
LIVE_MKFS_FLAGS=-M
. /vmtest/live-a.sh
