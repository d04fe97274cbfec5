#!/usr/bin/env bash
# The fallback data path reads what was written, at any offset and size:
# files striped over 3 extents with chunks of 4 KiB (a 1 MiB request is
# 256 or 257 pieces, the most one reply points at in the mapping) and
# 64 KiB (16 or 17 pieces), and a one-extent file, are
# filled through the mount with random bytes, then read back with
# pread() at unaligned offsets and sizes (1 byte to 3 MiB) that cross
# chunk and strip boundaries and the end of the file, on the master and
# on a client mount.  Each read is compared with the bytes written.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/integration/mnt.sh
. "$(dirname "$0")/mnt.sh"

HOST2=$PWD/host2/system_uuid
mkdir -p "$(dirname "$HOST2")"
# name size [strips chunk]: sizes are not a multiple of the chunk
FILES=("s4k 3153921 3 4096" "s64k 5312517 3 65536" "one 2621443")

mkimg img 256M
expect_exit 0 "$FAMFS" mkfs --alloc-unit 4K img
for f in "${FILES[@]}"; do
	read -r name size strips chunk <<<"$f"
	if [ -n "${strips:-}" ]; then
		testgen img ifile "$name" "$size" "$strips" "$chunk"
	else
		testgen img file "$name" "$size"
	fi
done
newmnt m c
expect_exit 0 "$FAMFS" mount img m
for n in s4k s64k; do
	check_eq "interleave 3" "$(ctl -k ext_type m getmap "$n") $(ctl m getmap "$n" | grep -o '"dev": ' | wc -l)" \
		"$n is striped over 3 extents"
done

# fill each file through the mount with its own random bytes
for f in "${FILES[@]}"; do
	read -r name size _ <<<"$f"
	head -c "$size" /dev/urandom >"ref.$name"
	dd if="ref.$name" of="m/$name" bs=1M conv=notrunc status=none
	check_eq "$size" "$(stat -c %s "m/$name")" "$name keeps its size"
done

# readback DIR: every file, 400 reads each, compared with ref.NAME
readback() {
	"$PY" -S - "$1" "${FILES[@]}" <<'PYEOF'
import os, random, sys

mnt, files = sys.argv[1], sys.argv[2:]
rnd = random.Random(85)
bad = 0
for f in files:
    name, size = f.split()[0], int(f.split()[1])
    chunk = int(f.split()[3]) if len(f.split()) > 3 else 1 << 20
    ref = open("ref." + name, "rb").read()
    fd = os.open(os.path.join(mnt, name), os.O_RDONLY)
    reads = [(0, size + 4096), (size - 1, 2), (size, 1), (size + 9, 5)]
    for _ in range(400):
        # around a chunk boundary, or anywhere
        if rnd.random() < 0.5:
            off = rnd.randrange(1, size // chunk + 1) * chunk + rnd.randrange(-3, 4)
        else:
            off = rnd.randrange(0, size)
        n = rnd.choice([1, 7, 4095, 4097, chunk + 1, 3 * chunk - 5,
                        (1 << 20) + 3, 3 << 20, rnd.randrange(1, 1 << 20)])
        reads.append((max(off, 0), n))
    for off, n in reads:
        got = os.pread(fd, n, off)
        if got != ref[off:off + n]:
            bad += 1
            if bad <= 5:
                print("%s: pread(%d, %d): %d bytes, differ from what was written"
                      % (name, n, off, len(got)))
    os.close(fd)
print("bad %d" % bad)
PYEOF
}

expect_exit 0 readback m
check_eq "bad 0" "$(tail -n1 "$OUT")" "reads on the master match what was written"
out_lacks "differ"

# a client (another host) reads the same memory through its own mount
expect_exit 0 env FAMFS_SYSTEM_UUID_FILE="$HOST2" "$FAMFS" mount img c
expect_exit 0 readback c
check_eq "bad 0" "$(tail -n1 "$OUT")" "reads on a client match what was written"

# large sequential reads: dd in 1 MiB and 3 MiB blocks, byte for byte
for bs in 1M 3M; do
	for name in s4k s64k one; do
		dd if="c/$name" bs="$bs" status=none | cmp -s - "ref.$name"
		check_eq 0 "$?" "dd bs=$bs of $name on the client"
	done
done
finish
