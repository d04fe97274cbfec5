# shellcheck shell=bash disable=SC2034,SC2317,SC2012  # sourced; cleanup runs from the trap; ls is what is shown
# Mount bookkeeping for the t6x security tests (sourced after lib.sh):
# every mount point made with newmnt is unmounted by the EXIT trap, also
# on failure, and background servers started here are stopped.
#
#   newmnt DIR...          make mount points, remembered for cleanup
#   mnt_count DIR          how many mounts sit on DIR;  mounted DIR
#   (gone PID / wait_gone PID SECONDS are in lib.sh)
#   wait_mounted DIR SECONDS   mounted and answering
#   words DIR              ls -A on one line
#   ctl ARGS / fsop ARGS   tests/integration/famfs_ctl.py
#   as_nobody CMD...       CMD as uid/gid 65534 with no groups and no caps
#   srv_pid MNT            the server's pid (STATUS through the control file)

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ctl() { "$PY" -S "$HERE/famfs_ctl.py" "$@"; }
fsop() { "$PY" -S "$HERE/famfs_ctl.py" fsop "$@"; }

MOUNTS=()
BGPIDS=()
mnt_count() {
	awk -v m="$(realpath -m "$1")" '$5 == m { n++ } END { print n + 0 }' /proc/self/mountinfo
}
mounted() { [ "$(mnt_count "$1")" -gt 0 ]; }
newmnt() {
	local d
	for d in "$@"; do
		mkdir -p "$d"
		MOUNTS+=("$(realpath -m "$d")")
	done
}
mnt_cleanup() {
	local m i p
	for m in "${MOUNTS[@]}"; do
		for i in 1 2 3 4; do
			mounted "$m" || break
			umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null
		done
	done
	for p in "${BGPIDS[@]}"; do
		[ "$(awk '/^PPid:/ { print $2 }' "/proc/$p/status" 2>/dev/null)" = $$ ] &&
			kill "$p" 2>/dev/null
	done
}
trap mnt_cleanup EXIT
trap 'exit 143' TERM INT HUP

wait_mounted() {
	local i
	for ((i = 0; i < $2 * 20; i++)); do
		mounted "$1" && [ "$(stat -c %i "$1" 2>/dev/null)" = 1 ] && return 0
		sleep 0.05
	done
	return 1
}
words() { ls -A "$1" 2>&1 | tr '\n' ' ' | sed 's/ $//'; }
srv_pid() { ctl -k pid "$1" status; }

as_nobody() {
	setpriv --reuid=65534 --regid=65534 --clear-groups \
		--inh-caps=-all --bounding-set=-all -- "$@"
}

# umount_wait MNT: unmount, and wait (up to 5 s) for its server to exit,
# so the device is free for fsck
umount_wait() {
	local pid
	pid=$(srv_pid "$1")
	expect_exit 0 umount "$1"
	[ -n "$pid" ] && ! wait_gone "$pid" 5 && fail "server $pid of $1 still running 5 s after umount"
	return 0
}

# same_state WHAT: the test's state() prints what it printed into $S0
same_state() {
	local s
	s=$(state)
	if [ "$s" = "$S0" ]; then
		ok "no side effect: $1"
	else
		fail "side effect of $1:"
		diff <(printf '%s\n' "$S0") <(printf '%s\n' "$s") | sed 's/^/     | /' | head -n 20
	fi
}
