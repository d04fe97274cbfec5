#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Bit flips and truncations of a famfs image, each checked with famfs fsck.

    flipsweep.py FAMFS IMG [--bits one|all] [--entries N]
    flipsweep.py FAMFS IMG --offsets   log, tail and entry offsets in IMG

For every byte of the superblock, the log header, both tail records, the
last N log entries (default 3) and the 64 bytes after the tail, one bit is
flipped (bit = offset % 8, or all eight bits with --bits all), `famfs fsck
--json IMG` runs, and the byte is put back.  A flip is *detected* when fsck
exits nonzero, and *named* when a problem code of the region's family is
among the problems it reports.  Then each region is torn: written only up
to byte k, zero after it, for every k that changes it.  Then the image (a
copy) is truncated at offsets inside each region and in the data area.  Prints one line per
region, "flips: detected X of Y", and every case that was not detected and
named; exits 1 if there is one.  IMG is restored byte for byte.
"""
import json
import os
import shutil
import struct
import subprocess
import sys

LOG_MAGIC = 0x474f4c53464d4146
ENTRIES = 0x1000
TAIL = (0x200, 0x240)

# region -> problem codes that name it
FAMILY = {
    "superblock": ("sb_",),
    "log header": ("log_header", "log_foreign"),
    "tail record 0": ("tail_slot", "tail_both"),
    "tail record 1": ("tail_slot", "tail_both"),
    "last entries": ("entry_bad", "tail_count"),
    "after the tail": ("tail_garbage", "uncommitted"),
}


def le(buf, off, n):
    return int.from_bytes(buf[off:off + n], "little")


def fsck(famfs, img):
    p = subprocess.run([famfs, "fsck", "--json", img], capture_output=True,
                       text=True)
    try:
        codes = [q["code"] for q in json.loads(p.stdout)["problems"]]
    except (ValueError, KeyError):
        codes = []
    return p.returncode, codes, (p.stdout + p.stderr).strip()


def geometry(fd):
    sb = os.pread(fd, 512, 0)
    log = le(sb, 0x70, 8)
    hdr = os.pread(fd, 0x1000, log)
    if le(hdr, 0, 8) != LOG_MAGIC:
        sys.exit("flipsweep: no log header (run on a clean image)")
    tails = []
    for s in TAIL:
        gen, next_off, next_seq = struct.unpack_from("<QQQ", hdr, s)
        tails.append((gen, next_off, next_seq))
    gen, tail_off, nseq = max(tails)
    starts, off = [], ENTRIES
    while off < tail_off:
        starts.append(off)
        off += le(os.pread(fd, 8, log + off), 4, 4)
    return log, tail_off, starts


def regions(log, tail_off, starts, nlast):
    first = starts[-nlast] if len(starts) >= nlast else ENTRIES
    return [
        ("superblock", 0, 512),
        ("log header", log, log + 512),
        ("tail record 0", log + TAIL[0], log + TAIL[0] + 64),
        ("tail record 1", log + TAIL[1], log + TAIL[1] + 64),
        ("last entries", log + first, log + tail_off),
        ("after the tail", log + tail_off, log + tail_off + 64),
    ]


def named(codes, region):
    return any(c.startswith(f) for c in codes for f in FAMILY[region])


def sweep(famfs, img, fd, regs, allbits):
    total = [0, 0, 0]
    misses = []
    for name, lo, hi in regs:
        tried = det = nam = 0
        for off in range(lo, hi):
            orig = os.pread(fd, 1, off)
            for bit in (range(8) if allbits else (off % 8,)):
                os.pwrite(fd, bytes([orig[0] ^ (1 << bit)]), off)
                rc, codes, out = fsck(famfs, img)
                os.pwrite(fd, orig, off)
                tried += 1
                det += rc != 0
                nam += rc != 0 and named(codes, name)
                if rc == 0 or not named(codes, name):
                    misses.append("%s: byte %#x bit %d: exit %d, %s" %
                                  (name, off, bit, rc, codes or out[-200:]))
        print("flips: %-15s bytes %#x..%#x: detected %d of %d, named %d" %
              (name, lo, hi - 1, det, tried, nam))
        for i, v in enumerate((tried, det, nam)):
            total[i] += v
    return total, misses


def torn(famfs, img, fd, regs):
    """Each region written only up to byte k (the rest left zero), for
    every k where that changes the image: a torn write caught in place."""
    tried = det = 0
    misses = []
    for name, lo, hi in regs:
        if name == "after the tail":
            continue
        orig = os.pread(fd, hi - lo, lo)
        for k in range(lo, hi):
            if not any(orig[k - lo:]):
                break
            os.pwrite(fd, bytes(hi - k), k)
            rc, codes, out = fsck(famfs, img)
            os.pwrite(fd, orig[k - lo:], k)
            tried += 1
            if rc != 0 and named(codes, name):
                det += 1
            else:
                misses.append("%s written up to %#x: exit %d, %s" %
                              (name, k, rc, codes or out[-200:]))
    print("flips: torn writes: detected %d of %d" % (det, tried))
    return tried, det, misses


def truncations(famfs, img, regs, size):
    cuts = {0, 1, size - 1, size - 4096, size // 2}
    for _, lo, hi in regs:
        cuts.update({lo, lo + 1, (lo + hi) // 2, hi - 1})
    tmp = img + ".cut"
    tried = det = 0
    misses = []
    for cut in sorted(c for c in cuts if 0 <= c < size):
        shutil.copyfile(img, tmp)
        os.truncate(tmp, cut)
        rc, codes, out = fsck(famfs, tmp)
        tried += 1
        print("flips: truncated at %#x: exit %d, %s" %
              (cut, rc, " ".join(codes) or out.splitlines()[-1][-100:]))
        # a problem code, or (cut at 0) the refusal of an empty device
        if rc != 0 and (codes or "device is empty" in out):
            det += 1
        else:
            misses.append("truncated at %#x: exit %d, %s" %
                          (cut, rc, codes or out[-200:]))
    os.unlink(tmp)
    print("flips: truncations: detected %d of %d" % (det, tried))
    return tried, det, misses


def main():
    a = sys.argv[1:]
    if len(a) < 2:
        sys.exit(__doc__)
    famfs, img = a[0], a[1]
    allbits = "--bits" in a and a[a.index("--bits") + 1] == "all"
    nlast = int(a[a.index("--entries") + 1]) if "--entries" in a else 3
    rc, codes, out = fsck(famfs, img)
    if rc != 0:
        sys.exit("flipsweep: %s is not clean to begin with: %s" % (img, out))
    fd = os.open(img, os.O_RDWR)
    log, tail_off, starts = geometry(fd)
    if "--offsets" in a:	# for the mount sample of flips.sh
        print(log, log + tail_off, *(log + x for x in starts))
        return 0
    regs = regions(log, tail_off, starts, nlast)
    (tried, det, nam), misses = sweep(famfs, img, fd, regs, allbits)
    wtried, wdet, wmiss = torn(famfs, img, fd, regs)
    os.close(fd)
    ttried, tdet, tmiss = truncations(famfs, img, regs,
                                      os.path.getsize(img))
    misses += wmiss + tmiss
    for m in misses:
        print("flips: MISSED " + m)
    print("flips: detected %d of %d flips (%d named by their region), "
          "%d of %d torn writes, %d of %d truncations" %
          (det, tried, nam, wdet, wtried, tdet, ttried))
    rc, codes, out = fsck(famfs, img)
    if rc != 0:
        print("flips: the image was not restored: " + out)
        return 1
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
