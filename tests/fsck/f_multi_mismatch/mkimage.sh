#!/usr/bin/env bash
# the secondary's superblock says another index than the log
# Usage: mkimage.sh IMG   (FAMFS, TESTGEN from tests/fsck/run.sh)
set -eu
img=$1
truncate -s 128M "$img" "$img.1"
"$FAMFS" mkfs "$img" "$img.1" >/dev/null
# s_dev_index (0x1c) 1 -> 7, CRC (0x1fc) recomputed: a valid superblock
python3 -S - "$img.1" <<'PY'
import struct, sys
def crc32c(data):
    crc = 0xffffffff
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82f63b78 & -(crc & 1))
    return crc ^ 0xffffffff
with open(sys.argv[1], "r+b") as f:
    sb = bytearray(f.read(512))
    struct.pack_into("<I", sb, 0x1c, 7)
    struct.pack_into("<I", sb, 0x1fc, crc32c(bytes(sb[:0x1fc])))
    f.seek(0)
    f.write(sb)
PY
