# SPDX-License-Identifier: Apache-2.0
# live-b: guest B (client) of the concurrent two-host test; see live-a.sh.

export FAMFS_SYSTEM_UUID_FILE="$HOST_B"
DIE_HOOK="mbox_put B BX"
wait_pmem
w=$(mbox_wait A 150 A1 AX) || exit 1
[ "$w" = A1 ] || die "guest A failed before the filesystem was ready"
say "A says the filesystem is ready"
# shellcheck disable=SC2086 # -M from devdax-live-b.sh
out=$(famfs mount ${LIVE_MOUNT_FLAGS:-} "$PMEM" /mnt 2>&1) || die "client mount failed: $out"
s=$(status /mnt) || exit 1
[ "$(json_get role "$s")" = client ] || die "role is $(json_get role "$s"), expected client"
[ "$(json_get data_path "$s")" = "$FAMFS_VM_EXPECT" ] ||
	die "data_path is $(json_get data_path "$s"), expected $FAMFS_VM_EXPECT"
out=$(famfs verify -S 9 -f /mnt/first 2>&1) || die "verify first: $out"
mbox_put B B1
say "mounted as a client and verified first: B1"
w=$(mbox_wait A 150 A2 AX) || exit 1
[ "$w" = A2 ] || die "guest A failed before it created second"
# A client learns new files on a lookup miss; give it some time.
i=0
while [ ! -e /mnt/second ]; do
	i=$((i + 1))
	if [ $i -gt 40 ]; then
		# Is the client's view of the log (the server's shared mapping
		# of the block device, i.e. its page cache) stale?
		d=$(raw_read 2097152 65536 | md5sum | cut -c1-12)
		b=$(dd if="$PMEM" bs=64k skip=32 count=1 2>/dev/null | md5sum | cut -c1-12)
		say "log at 2 MiB, 64 KiB: md5 $d on the device (O_DIRECT), $b in this guest's page cache"
		die "the client never saw /mnt/second (20 s after A created it; ls /mnt: $(ls /mnt | tr '\n' ' '))"
	fi
	sleep 0.5
done
out=$(famfs verify -S 10 -f /mnt/second 2>&1) || die "verify second: $out"
mbox_put B B2
say "found and verified second without remounting: B2"
unmount /mnt
