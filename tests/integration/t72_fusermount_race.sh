#!/usr/bin/env bash
# t71's rounds (umount, then at once mount, mkfs -f, fsck; 50 times each)
# with fusermount3 -u as the unmount.
RACE_HOW=fusermount3 exec bash "$(dirname "$0")/t71_umount_race.sh"
