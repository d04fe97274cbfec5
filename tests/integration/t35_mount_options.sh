#!/usr/bin/env bash
# Honest mount flags: every -o option documented in famfs help mount (and
# so mount.famfs(8)) against what /proc/mounts shows: a client mount and
# -o ro are ro; famfs mounts nosuid,nodev unless told suid, dev; noexec,
# sync, noatime, strictatime, nodiratime ... show as given; the options
# only mount(8) uses change nothing; famfs's own options (timeout=,
# data_path=, nouseraccess, nodefaultperm, x-*) show in findmnt --mtab and
# mount(8) through /run/mount/utab, and leave it with the umount.  On a
# read-only mount the control file still answers (by ioctl).
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/integration/mnt.sh
. "$(dirname "$0")/mnt.sh"
trap mnt_cleanup EXIT
command -v findmnt >/dev/null 2>&1 || { echo "skip: findmnt is missing"; exit 77; }

mkimg img 256M
expect_exit 0 "$FAMFS" mkfs img
newmnt A B
M=$(realpath A)
HELP=$("$FAMFS" help mount)

flags() {	# the options field of /proc/mounts for $M, one per line
	awk -v m="$M" '$2 == m { print $4 }' /proc/mounts | tr ',' '\n'
}
# OPTION EXPECT...: +FLAG shown, -FLAG not shown, =WORD in findmnt --mtab
cases=(
	"ro +ro -rw"
	"rw +rw -ro +nosuid +nodev +relatime"
	"defaults +rw +nosuid +nodev" "auto +rw" "noauto +rw" "nofail +rw"
	"_netdev +rw" "user +rw" "nouser +rw"
	"noexec +noexec" "exec -noexec"
	"nosuid +nosuid" "suid -nosuid +nodev" "nodev +nodev" "dev -nodev +nosuid"
	"sync +sync" "async -sync"
	"noatime +noatime -relatime" "atime -noatime +relatime"
	"relatime +relatime" "strictatime -relatime -noatime"
	"nodiratime +nodiratime" "diratime -nodiratime"
	"timeout=5 =timeout=5" "data_path=fallback =data_path=fallback"
	"nouseraccess -allow_other =nouseraccess"
	"nodefaultperm -default_permissions =nodefaultperm"
	"x-famfs.test =x-famfs.test"
)
for c in "${cases[@]}"; do
	read -r -a w <<<"$c"
	o=${w[0]}
	name=${o%%=*}
	case $o in x-*) name=x-* ;; esac
	if grep -qE "(^|[ ,(])$(printf '%s' "$name" | sed 's/[*.]/\\&/g')([=,; )]|$)" <<<"$HELP"; then
		ok "-o $name is documented"
	else
		fail "-o $name is not in famfs help mount"
	fi
	expect_exit 0 "$FAMFS" mount -o "$o" img A
	f=$(flags)
	mt=$(findmnt --mtab -no OPTIONS "$M" | tr ',' '\n')
	for e in "${w[@]:1}"; do
		case $e in
		+*) grep -qx -- "${e#+}" <<<"$f" && ok "-o $o: ${e#+} shown" ||
			fail "-o $o: ${e#+} missing from /proc/mounts ($(echo $f | tr ' ' ,))" ;;
		-*) grep -qx -- "${e#-}" <<<"$f" && fail "-o $o: ${e#-} in /proc/mounts" ||
			ok "-o $o: no ${e#-}" ;;
		=*) grep -qx -- "${e#=}" <<<"$mt" && ok "-o $o: findmnt --mtab shows ${e#=}" ||
			fail "-o $o: findmnt --mtab lacks ${e#=} ($(echo $mt | tr ' ' ,))" ;;
		esac
	done
	umount_wait A
done
check_eq 0 "$(grep -c " TARGET=$M " /run/mount/utab 2>/dev/null)" "utab lines left for $M"

# every option of the help's -o list was tried above
for o in timeout debug nouseraccess nodefaultperm data_path ro noexec exec \
	nosuid suid nodev dev sync async noatime atime relatime strictatime \
	nodiratime diratime rw defaults auto noauto nofail _netdev user nouser; do
	[ "$o" = debug ] && continue	# debug serves in the foreground: t10
	printf '%s\n' "${cases[@]}" | grep -q "^$o[= ]" || fail "-o $o has no case here"
done

# a client (another host identity) is read-only, and its control file answers
export FAMFS_SYSTEM_UUID_FILE=$PWD/hostB/system_uuid
mkdir -p hostB
expect_exit 0 "$FAMFS" mount img B
check_eq ro "$(awk -v m="$(realpath B)" '$2 == m { split($4, a, ","); print a[1] }' /proc/mounts)" \
	"the client's first flag in /proc/mounts"
expect_exit 0 "$FAMFS" status B
out_matches "role +client"
expect_exit 0 "$FAMFS" logplay B
umount_wait B
finish
