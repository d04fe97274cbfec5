# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
# initramfs/lib.sh: what initramfs/mkinitramfs.sh (the appliance) and
# tests/vm/mkinitramfs.sh (the VM-test image) share.  Sourced; the caller
# defines die MESSAGE.

# is_static FILE: an executable with no program interpreter.
is_static() {
	[ -x "$1" ] && ! readelf -l "$1" 2>/dev/null | grep -q 'program interpreter'
}

# stage_busybox STAGE [SKIP...]: /bin/busybox (static) and a link for each
# applet but the SKIP paths (as busybox --list-full names them).
stage_busybox() {
	local stage=$1 app s
	shift
	cp /bin/busybox "$stage/bin/busybox"
	/bin/busybox --list-full | while read -r app; do
		case $app in bin/busybox | linuxrc | "") continue ;; esac
		for s in "$@"; do [ "$app" = "$s" ] && continue 2; done
		[ -e "$stage/$app" ] || ln -s /bin/busybox "$stage/$app"
	done
}

# stage_modules STAGE MODDIR: MODDIR/load (names in load order) and each
# NAME.ko into STAGE/lib/modules.
stage_modules() {
	local m
	[ -f "$2/load" ] || die "$2/load (module load order) is missing"
	mkdir -p "$1/lib/modules"
	cp "$2/load" "$1/lib/modules/load"
	while read -r m; do
		[ -n "$m" ] && cp "$2/$m.ko" "$1/lib/modules/"
	done <"$2/load"
}

# pack STAGE OUT: cpio newc, owner root, sorted, gzip LEVEL (default 6).
pack() {
	mkdir -p "$(dirname "$2")"
	(cd "$1" && find . -mindepth 1 | LC_ALL=C sort |
		cpio -o -H newc -R +0:+0 --quiet) | gzip "-${3:-6}" >"$2.tmp"
	mv "$2.tmp" "$2"
}
