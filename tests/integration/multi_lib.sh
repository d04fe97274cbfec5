# shellcheck shell=bash disable=SC2034,SC2317
# Helpers for the multi-device tests t40..t49 (sourced after lib.sh):
#   newmnt DIR...              make mount points, unmounted by the EXIT trap
#   mounted DIR                is DIR a mount point now
#   ctl ARGS...                tests/integration/famfs_ctl.py
#   fsop OP PATH [ARGS]        one system call: "OK ..." or the errno name
#   layout_check MNT REL IMG0 [IMG1...]
#       read REL through MNT and compare every chunk (interleaved) or
#       extent (simple) with the bytes at the place its map names in the
#       raw image of that device index; prints "OK <chunks> <dev,dev,...>"
#       (the device of each chunk or extent, in file order) or what differs
#   wait_free IMG              wait until no server holds IMG
#   sb_index IMG               s_dev_index of IMG's superblock
#   status_dev MNT INDEX KEY   a field (uuid, state, path, why) of one
#                              device of `famfs status --json`

HERE=$(cd "$(dirname "$0")" && pwd)
ctl() { "$PY" -S "$HERE/famfs_ctl.py" "$@"; }
fsop() { "$PY" -S "$HERE/famfs_ctl.py" fsop "$@"; }

MOUNTS=()
mounted() {
	awk -v m="$(realpath -m "$1")" '$5 == m { f = 1 } END { exit !f }' /proc/self/mountinfo
}
newmnt() {
	local d
	for d in "$@"; do
		mkdir -p "$d"
		MOUNTS+=("$(realpath -m "$d")")
	done
}
cleanup() {
	local m i
	for m in "${MOUNTS[@]}"; do
		for i in 1 2 3 4; do
			mounted "$m" || break
			umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null
		done
	done
}
trap cleanup EXIT
trap 'exit 143' TERM INT HUP

layout_check() {
	local mnt=$1 rel=$2
	shift 2
	ctl -k msg "$mnt" getmap "$rel" >"$OUT.map" 2>&1 || {
		echo "getmap failed: $(cat "$OUT.map")"
		return 1
	}
	"$PY" -S - "$mnt/$rel" "$OUT.map" "$@" <<'PYEOF'
import json, sys
path, mapf, imgs = sys.argv[1], sys.argv[2], sys.argv[3:]
m = json.load(open(mapf))
data = open(path, "rb").read()
if len(data) != m["size"]:
    sys.exit(print("size %d, map says %d" % (len(data), m["size"])))
ext, pieces = m["extents"], []
if m["ext_type"] == "interleave":
    c, n = m["chunk"], len(ext)
    for k in range((len(data) + c - 1) // c):
        x = ext[k % n]
        pieces.append((k * c, x["dev"], x["offset"] + (k // n) * c,
                       min(c, len(data) - k * c)))
else:
    off = 0
    for x in ext:
        ln = min(x["len"], len(data) - off)
        if ln > 0:
            pieces.append((off, x["dev"], x["offset"], ln))
        off += x["len"]
for foff, dev, doff, ln in pieces:
    if dev >= len(imgs):
        sys.exit(print("device %d has no image given" % dev))
    with open(imgs[dev], "rb") as f:
        f.seek(doff)
        raw = f.read(ln)
    if raw != data[foff:foff + ln]:
        sys.exit(print("file bytes %#x+%#x differ from device %d at %#x"
                       % (foff, ln, dev, doff)))
print("OK %d %s" % (len(pieces), ",".join(str(p[1]) for p in pieces)))
PYEOF
}

# wait_free IMG: until no server holds IMG (umount returns before the
# server has exited and let go of its lock), at most 10 s.
wait_free() {
	local i
	for ((i = 0; i < 200; i++)); do
		flock -n -x "$1" true 2>/dev/null && return 0
		sleep 0.05
	done
	fail "$1 is still held by a server"
}

sb_index() {
	od -An -tu4 -j $((0x1c)) -N4 "$1" | tr -d ' '
}

status_dev() {
	"$FAMFS" status --json "$1" >"$OUT.st" 2>&1 || { cat "$OUT.st"; return 1; }
	"$PY" -S -c 'import json, sys
d = json.load(open(sys.argv[1]))["devices"][int(sys.argv[2])]
print(d.get(sys.argv[3], ""))' "$OUT.st" "$2" "$3"
}
