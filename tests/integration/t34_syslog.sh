#!/usr/bin/env bash
# The system log: a syslog listener on this test's socket
# (FAMFS_SYSLOG_SOCKET, lib.sh) receives the daemonised server's lines in
# RFC 3164 form with the daemon facility and a priority, each naming the
# mount point: mounted (notice), refused changes and a malformed control
# request (warning), stopping (notice); and the errors of a command
# run without a terminal (err).  A client hammering a refused operation
# gets 5 lines a minute, no more.  famfs status shows the last warnings
# with their times (recent in --json).  FAMFS_LOG=none logs nothing, and a
# missing syslog changes no exit code.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/integration/mnt.sh
. "$(dirname "$0")/mnt.sh"
trap mnt_cleanup EXIT

LOG=$PWD/syslog.txt
"$PY" -S "$HERE/syslogd.py" "$FAMFS_SYSLOG_SOCKET" "$LOG" &
BGPIDS+=($!)
for _ in $(seq 100); do grep -q '^ready' "$LOG" 2>/dev/null && break; sleep 0.05; done
# wait_log ERE: a line of the log matches within 5 s
wait_log() {
	local i
	for ((i = 0; i < 100; i++)); do
		grep -Eq "$1" "$LOG" && return 0
		sleep 0.05
	done
	return 1
}
logged() {	# logged ERE WHAT
	if wait_log "$1"; then ok "logged: $2"; else fail "not logged: $2"; sed 's/^/     | /' "$LOG" | tail -n 20; fi
}
HDR='[A-Z][a-z]{2} [ 0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} famfs\[[0-9]+\]:'

mkimg img 256M
expect_exit 0 "$FAMFS" mkfs img
newmnt A
M=$(realpath A)
expect_exit 0 "$FAMFS" mount img A
logged "^<29>$HDR $M: mounted $(realpath img) \(master, 0 log entries replayed" \
	"mounted, daemon.notice, with the mount point"

# a command without a terminal: its error, daemon.err
expect_exit 8 "$FAMFS" fsck nonexist-dev
logged "^<27>$HDR fsck: nonexist-dev: cannot open" "fsck's error, daemon.err"

# refused changes: warnings, limited to 5 a minute for one cause
expect_exit 0 "$FAMFS" creat -s 4096 A/f
for _ in $(seq 30); do rm -f A/f 2>/dev/null; done	# unlink: the log has no delete
logged "^<28>$HDR $M: refused a change through the mount \(EPERM" "a refused change, daemon.warning"
sleep 0.3
check_eq 5 "$(grep -c 'refused a change' "$LOG")" "lines for 30 refused changes (rate limit)"

# a malformed control request: misuse, logged with the writer's pid
printf 'not a request' 2>/dev/null >A/.meta/.ctl
logged "^<28>$HDR $M: malformed control request \(pid [0-9]+\): not a famfs control request" \
	"a malformed control request"

# famfs status: the recent warnings with their times
expect_exit 0 "$FAMFS" status A
out_matches "recent +20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z warning: $M: refused a change"
out_has "warning: $M: malformed control request"
"$FAMFS" status --json A >st.json
if json_valid st.json; then ok "status --json is JSON"; else fail "status --json is not JSON"; fi
check_eq "6 warning" "$("$PY" -S -c 'import json, sys
r = json.load(open(sys.argv[1]))["recent"]
print(len(r), r[-1]["priority"])' st.json)" "recent in --json: count and priority"

# no system log: the same exit code; FAMFS_LOG=none: not a line
FAMFS_SYSLOG_SOCKET=$PWD/none.sock expect_exit 8 "$FAMFS" fsck nonexist-2
FAMFS_LOG=none expect_exit 8 "$FAMFS" fsck nonexist-3
sleep 0.3
check_eq 0 "$(grep -c 'nonexist-[23]' "$LOG")" "lines from a missing socket and FAMFS_LOG=none"
FAMFS_LOG=bogus expect_exit 8 "$FAMFS" fsck nonexist-4
out_has "FAMFS_LOG=bogus: not syslog, kmsg or none"

expect_exit 0 umount A
logged "^<29>$HDR $M: stopping: unmounted" "stopping, daemon.notice"
finish
