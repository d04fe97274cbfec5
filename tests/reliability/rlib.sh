# shellcheck shell=bash
# Mount helpers shared by the reliability tests (sourced; needs $FAMFS).
#
#   mounted MNT          MNT is a mount point now
#   umount_all MNT...    unmount each (lazily if it must), for EXIT traps
#   server_pid MNT       pid of the famfs server of MNT (famfs status)
#   wait_gone PID        wait up to 15 s for PID to exit (zombie counts)

mounted() { awk -v m="$1" '$5 == m { f = 1 } END { exit !f }' /proc/self/mountinfo; }

umount_all() {
	local m i
	for m in "$@"; do
		for i in 1 2 3; do
			mounted "$m" || break
			umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null
		done
	done
}

server_pid() {
	"$FAMFS" status -j "$1" 2>/dev/null | grep -o '"pid":[0-9]*' | cut -d: -f2
}

wait_gone() {
	local i st
	for ((i = 0; i < 750; i++)); do
		st=$(awk '{ print $3 }' "/proc/${1:-0}/stat" 2>/dev/null)
		[ -z "$st" ] || [ "$st" = Z ] && return 0
		sleep 0.02
	done
	return 1
}

# on_exit_clean DIR MNT...: create the mount points; on exit unmount them
# and remove DIR (the test's work directory)
on_exit_clean() {
	CLEAN_DIR=$1
	shift
	CLEAN_MNTS=("$@")
	mkdir -p "${CLEAN_MNTS[@]}"
	trap 'umount_all "${CLEAN_MNTS[@]}"; cd / && rm -rf "$CLEAN_DIR"' EXIT
	trap 'exit 143' TERM INT HUP
}
