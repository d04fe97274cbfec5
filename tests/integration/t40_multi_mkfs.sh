#!/usr/bin/env bash
# Several devices in one filesystem, on image files: mkfs over 2 and over 4
# images (secondary superblocks, ADD_DAXDEV in order), refusals that leave
# every image byte-identical, then contiguous and interleaved files through
# a mount: verified by seed, and their bytes found in the raw images where
# their maps say (chunk k of an interleaved file on strip k mod N, each
# strip on its own device); fsck lists the use of every device.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/integration/multi_lib.sh
. "$(dirname "$0")/multi_lib.sh"

# ---- mkfs over two images ----------------------------------------------------
mkimg p2 256M
mkimg s2 128M
expect_exit 0 "$FAMFS" mkfs p2 s2
out_matches "device 1 +s2 \\(image file\\), UUID [0-9a-f-]{36}, 126.0 MiB of data"
check_eq 0 "$(sb_index p2)" "primary's device index"
check_eq 1 "$(sb_index s2)" "secondary's device index"
expect_exit 0 "$FAMFS" fsck --json p2
cp "$OUT.stdout" fsck2.json
check_eq 2 "$(json_get fsck2.json devices)" "devices in the log"
check_eq "$(( (246 + 126) * 1048576 ))" "$(json_get fsck2.json capacity)" "capacity of both"
expect_exit 8 "$FAMFS" fsck s2
out_has "secondary device 1"

# ---- refusals: nothing written to any device ----------------------------------
mkimg q 256M
mkimg t1 128M
mkimg small 3M
h_q=$(sha q) h_t1=$(sha t1) h_p2=$(sha p2) h_s2=$(sha s2)
expect_exit 1 "$FAMFS" mkfs q t1 small
out_has "small: device is 3145728 bytes, a secondary device needs at least"
expect_exit 1 "$FAMFS" mkfs q t1 s2
out_has "s2: already holds famfs filesystem"
out_has "secondary device 1"
expect_exit 1 "$FAMFS" mkfs q t1 q
out_has "q: the same device as q"
expect_exit 1 "$FAMFS" mkfs q t1 nosuch
out_has "cannot open 'nosuch'"
check_eq "$h_q $h_t1 $h_p2 $h_s2" "$(sha q) $(sha t1) $(sha p2) $(sha s2)" "images after the refusals"

# ---- four images ------------------------------------------------------------------
mkimg p4 256M
for i in 1 2 3; do mkimg "s4.$i" 128M; done
expect_exit 0 "$FAMFS" mkfs p4 s4.1 s4.2 s4.3
out_has "device 3         s4.3"
for i in 1 2 3; do
	check_eq "$i" "$(sb_index "s4.$i")" "s4.$i device index"
done
expect_exit 0 "$FAMFS" fsck p4
out_has "4 device(s)"
out_matches "device 3 +[0-9a-f-]{36} +0 B of 126.0 MiB used"

# ---- files through a mount ---------------------------------------------------------
newmnt m
p4uuid=$("$PY" -S -c 'import json, sys
print(json.load(open(sys.argv[1]))["device_list"][0]["uuid"])' <("$FAMFS" fsck --json p4))
expect_exit 1 "$FAMFS" mount s4.2 m
out_has "secondary device 2 of a filesystem; mount its primary (device UUID $p4uuid)"
expect_exit 0 "$FAMFS" mount p4 m
expect_exit 0 "$FAMFS" creat -N 4 -C 2M -s 20M -r -S 41 m/i4
expect_exit 0 "$FAMFS" creat -N 2 -C 4M -s 10M -r -S 42 m/i2
expect_exit 0 "$FAMFS" creat -N 8 -C 2M -s 40M -r -S 43 m/i8
expect_exit 0 "$FAMFS" creat -s 30M -r -S 44 m/c1
for f in i4:41 i2:42 i8:43 c1:44; do
	expect_exit 0 "$FAMFS" verify -f "m/${f%:*}" -S "${f#*:}"
done
imgs=(p4 s4.1 s4.2 s4.3)
check_eq "OK 10 0,1,2,3,0,1,2,3,0,1" "$(layout_check m i4 "${imgs[@]}")" "i4: chunk k on device k mod 4"
# i2: 4 MiB chunks, two strips on two distinct devices
res=$(layout_check m i2 "${imgs[@]}")
case $res in
OK\ 3\ *) d=${res#OK 3 }; ok "i2 in the images ($d)"
	check_ne "${d%%,*}" "$(echo "$d" | cut -d, -f2)" "i2's two strip devices" ;;
*) fail "i2: $res" ;;
esac
check_eq "OK 20 0,1,2,3,0,1,2,3,0,1,2,3,0,1,2,3,0,1,2,3" "$(layout_check m i8 "${imgs[@]}")" "i8: 8 strips, two per device"
check_eq "OK 1 0" "$(layout_check m c1 "${imgs[@]}")" "c1 on the primary"
# the 8-strip file: strips k and k+4 on the same device, different places
check_eq 0 "$(ctl -k extents.4.dev m getmap i8)" "i8 strip 4's device"
check_ne "$(ctl -k extents.0.offset m getmap i8)" "$(ctl -k extents.4.offset m getmap i8)" "i8 strips 0 and 4 offsets"
# validation of the layout: chunk a power of two, a multiple of the unit
expect_exit 1 "$FAMFS" creat -N 2 -C 1M -s 5M m/bad1
out_has "a multiple of the 2097152-byte allocation unit"
expect_exit 2 "$FAMFS" creat -N 33 -s 5M m/bad2
out_has "bad strip count '33'"
expect_exit 2 "$FAMFS" creat -N 2 -C 3M -s 5M m/bad3
out_has "a power of two"
expect_exit 0 "$FAMFS" status m
out_matches "device 3 +[0-9a-f-]{36} found +.*/s4.3"
expect_exit 0 umount m
wait_free p4

# every device accounted for
expect_exit 0 "$FAMFS" fsck --json p4
cp "$OUT.stdout" fsck4.json
check_eq true "$(json_get fsck4.json clean)" "fsck after the files"
check_eq 4 "$(json_get fsck4.json devices)" "devices"
used=$("$PY" -S -c 'import json, sys
print(" ".join(str(d["used"] >> 20) for d in json.load(open(sys.argv[1]))["device_list"]))' fsck4.json)
# i4 6 MiB a strip, i2 8 MiB a strip on devices 0 and 1 (after i4 the
# least loaded devices from 0 on), i8 6 MiB a strip, two per device; c1 30
check_eq "56 26 18 18" "$used" "MiB used per device"
finish
