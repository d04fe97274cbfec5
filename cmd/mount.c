// SPDX-License-Identifier: Apache-2.0
/*
 * famfs mount / mount.famfs / mount.fuse.famfs: a path through the state
 * machine,
 *   INIT -> PROBE -> VALIDATE -> REPLAY -> MOUNT -> SERVE -> STOP
 * The command returns once the mount point answers: it mounts, forks the
 * server and waits for the root of the new mount to stat.
 */
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmd.h"
#include "famfs_server.h"
#include "famfs_slog.h"
#include "famfs_utab.h"
#include "famfs_sm.h"

#define FUSE_SUPER_MAGIC	0x65735546
#define REGISTRY_DIR		"/run/famfs"
#define READY_TIMEOUT		30	/* seconds for the mount to answer */

const char famfs_mount_usage[] =
	"usage: famfs mount [options] [[DEVICE] MOUNTPOINT]\n"
	"       mount.famfs DEVICE MOUNTPOINT [-o OPTIONS]\n"
	"       mount -t fuse.famfs [-o OPTIONS] DEVICE MOUNTPOINT\n\n"
	"Validate the famfs filesystem on DEVICE, replay its log and serve it at\n"
	"MOUNTPOINT.  Returns once MOUNTPOINT answers; the server keeps running\n"
	"in the background (with --foreground, in the foreground).  This host\n"
	"is the master if the superblock names its system UUID, a read-only\n"
	"client otherwise.  DEVICE defaults to the first [device] path of the\n"
	"configuration, MOUNTPOINT to its [mount] mountpoint.  Unmount with\n"
	"umount MOUNTPOINT; the server then exits.  SIGTERM to the server also\n"
	"unmounts (lazily).\n\n"
	"DEVICE is the primary device.  The other devices of the filesystem\n"
	"are found by their UUID, when a file on them is first opened, among\n"
	"the -D paths, the [device] path and scan globs of famfs.ini (default\n"
	"/dev/pmem* /dev/dax*) and the files next to an image-file DEVICE.  A\n"
	"file on a device that is not found fails to open (ENXIO); famfs status\n"
	"names the device's UUID.\n\n"
	"With /usr/sbin/mount.fuse.famfs installed, mount(8) and /etc/fstab\n"
	"mount famfs, e.g. the fstab line\n"
	"  /dev/dax0.0  /mnt/famfs  fuse.famfs  defaults,nofail  0 0\n"
	"and famfs@.service serves a mount point from systemd:\n"
	"  systemctl enable --now famfs@$(systemd-escape -p /mnt/famfs)\n\n"
	"Options:\n"
	"  -t, --timeout SEC      attribute and entry cache timeout (default 31536000)\n"
	"  -f, --foreground       serve in the foreground; as mount.famfs and\n"
	"                         mount.fuse.famfs, -f is mount(8)'s --fake:\n"
	"                         check the arguments, mount nothing\n"
	"  -d, --debug            serve in the foreground and trace every request\n"
	"  -v, --verbose          show state transitions\n"
	"  -u, --nouseraccess     only root may use the mount (no allow_other)\n"
	"  -p, --nodefaultperm    no default_permissions (the server still checks\n"
	"                         the control file and client writes)\n"
	"  -m, --data-path MODE   auto (DAX when the kernel offers it), dax, fallback\n"
	"  -D, --device DEV       a candidate for the other devices: a path or a\n"
	"                         glob (repeatable; tried first)\n"
	"  -o OPTIONS             mount(8) and fstab options, comma separated: the\n"
	"                         ones above by name (timeout=SEC, debug,\n"
	"                         nouseraccess, nodefaultperm, data_path=MODE);\n"
	"                         ro (mount as a read-only client, also on the\n"
	"                         master; a client mount is always ro);\n"
	"                         noexec, exec, nosuid, suid, nodev, dev (famfs\n"
	"                         mounts nosuid,nodev unless told suid, dev),\n"
	"                         sync, async, noatime, atime, relatime,\n"
	"                         strictatime, nodiratime, diratime as for any\n"
	"                         filesystem, shown in /proc/mounts; rw, defaults,\n"
	"                         auto, noauto, nofail, _netdev, user, nouser and\n"
	"                         x-* are for mount(8) and ignored.  findmnt\n"
	"                         shows the famfs options given\n"
	"  -s, -n                 accepted from mount(8) (sloppy, no mtab); no effect\n"
	"  -h, --help             this text\n\n"
	"Refuses a second mount of the same device by this host, and a mount point\n"
	"that already holds famfs.\n"
	"Exit: 0 mounted, 1 failed (nothing is left mounted), 2 usage error.\n";

struct mount_ctx {
	struct famfs_ctx *ctx;
	char dev[PATH_MAX], mnt[PATH_MAX];
	struct famfs_server_opts so;
	int foreground, read_only, child, mounted, fake, data_path_set;
	char xopts[256];		/* the x-* options given, for utab */
	int reg_fd, reg_locked;
	char reg_path[PATH_MAX];
	uint8_t host[16];
	struct famfs_fs fs;
	struct famfs_server *srv;
	char extra[FAMFS_MAX_DEVICES][PATH_MAX];	/* -D */
	const char *extrap[FAMFS_MAX_DEVICES];
	unsigned int nextra;
};

/* Record which process serves the mount, for a refused second mount. */
static int registry_note(struct mount_ctx *m)
{
	char line[PATH_MAX + 32];
	int n = snprintf(line, sizeof(line), "pid %d at %s\n", (int)getpid(),
			 m->mnt);

	if (ftruncate(m->reg_fd, 0) ||
	    pwrite(m->reg_fd, line, (size_t)n, 0) != n)
		return -EIO;
	return 0;
}

/* One lock file per (host identity, device): a second mount is refused. */
static int registry_lock(struct mount_ctx *m, const struct stat *st)
{
	char *path = m->reg_path, host[37], line[PATH_MAX + 32];
	dev_t id = S_ISREG(st->st_mode) ? st->st_dev : st->st_rdev;
	int n;

	famfs_uuid_str(m->host, host);
	snprintf(path, sizeof(m->reg_path), "%s/%s-%lx-%lx.lock", REGISTRY_DIR, host,
		 (unsigned long)id, (unsigned long)(S_ISREG(st->st_mode) ?
						    st->st_ino : 0));
	mkdir(REGISTRY_DIR, 0755);
	m->reg_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (m->reg_fd < 0) {
		famfs_err(m->ctx, "cannot create %s: %s", path, strerror(errno));
		return -errno;
	}
	if (flock(m->reg_fd, LOCK_EX | LOCK_NB) == 0) {
		m->reg_locked = 1;
	} else {
		n = (int)read(m->reg_fd, line, sizeof(line) - 1);
		line[n > 0 ? n : 0] = 0;
		line[strcspn(line, "\n")] = 0;
		famfs_err(m->ctx, "%s: already mounted by this host (server %s)",
			  m->dev, line);
		return -EBUSY;
	}
	return registry_note(m);
}

static int check_mountpoint(struct mount_ctx *m)
{
	char src[PATH_MAX], type[64];
	struct stat st;

	if (stat(m->mnt, &st)) {
		famfs_err(m->ctx, "mount point %s: %s", m->mnt, strerror(errno));
		return -errno;
	}
	if (!S_ISDIR(st.st_mode)) {
		famfs_err(m->ctx, "mount point %s: not a directory", m->mnt);
		return -ENOTDIR;
	}
	if (famfs_mnt_info(m->mnt, src, sizeof(src), type, sizeof(type)) == 1 &&
	    !strcmp(type, "fuse.famfs")) {
		famfs_err(m->ctx, "%s already holds famfs (%s)", m->mnt, src);
		return -EBUSY;
	}
	return 0;
}

static enum famfs_event mount_probe(struct famfs_sm *sm)
{
	struct mount_ctx *m = sm->ctx;
	struct famfs_why why = { "" };
	struct stat st;

	if (check_mountpoint(m) || famfs_load_hostid(m->ctx, 1, m->host))
		return FAMFS_EV_ERROR;
	if (stat(m->dev, &st)) {
		famfs_err(m->ctx, "device %s: %s", m->dev, strerror(errno));
		return FAMFS_EV_ERROR;
	}
	if (registry_lock(m, &st))
		return FAMFS_EV_ERROR;
	if (famfs_dev_open(&m->fs.dev, m->dev, 0, &why)) {
		famfs_err(m->ctx, "cannot open '%s': %s", m->dev, why.msg);
		return FAMFS_EV_ERROR;
	}
	return FAMFS_EV_OK;
}

/* Decode the superblock; the master reopens the device writable. */
static enum famfs_event mount_validate(struct famfs_sm *sm)
{
	struct mount_ctx *m = sm->ctx;
	enum famfs_role_cfg role = m->ctx->cfg.role;
	struct famfs_why why = { "" };
	int rc;

	famfs_invalidate(m->fs.dev.base, FAMFS_SB_SIZE);
	rc = famfs_sb_decode(m->fs.dev.base, m->fs.dev.size, &m->fs.sb, &why);
	if (!rc && !famfs_sb_is_primary(&m->fs.sb)) {
		char prim[37];

		famfs_uuid_str(m->fs.sb.primary_uuid, prim);
		famfs_why_set(&why, "secondary device %u of a filesystem; mount its primary (device UUID %s)",
			      m->fs.sb.dev_index, prim);
		rc = -ENOTBLK;
	}
	if (rc) {
		famfs_err(m->ctx, "%s: %s", m->dev, why.msg);
		return FAMFS_EV_ERROR;
	}
	if (role == FAMFS_ROLE_AUTO)
		role = memcmp(m->host, m->fs.sb.master_uuid, 16) ?
		       FAMFS_ROLE_CLIENT : FAMFS_ROLE_MASTER;
	m->so.master = role == FAMFS_ROLE_MASTER && !m->read_only &&
		       !famfs_sb_ro_features(&m->fs.sb);
	if (m->so.master) {
		famfs_dev_close(&m->fs.dev);
		rc = famfs_dev_open(&m->fs.dev, m->dev, FAMFS_DEV_RDWR, &why);
	}
	if (!rc)
		rc = famfs_fs_attach(&m->fs, &why);
	if (!rc && famfs_set_candidates(m->ctx, &m->fs, m->extrap, m->nextra)) {
		famfs_why_set(&why, "out of memory");
		rc = -ENOMEM;
	}
	if (rc) {
		famfs_err(m->ctx, "%s: %s", m->dev, why.msg);
		return FAMFS_EV_ERROR;
	}
	famfs_verbose(m->ctx, "%s: this host is the %s", m->dev,
		      m->so.master ? "master" : "client");
	return FAMFS_EV_OK;
}

/* Replay; damage stops replay where it is, and the mount says so. */
static enum famfs_event mount_replay(struct famfs_sm *sm)
{
	struct mount_ctx *m = sm->ctx;
	struct famfs_why why = { "" };
	struct famfs_scan scan = { 0 };
	int rc = famfs_fs_replay(&m->fs, &scan, &why);

	/*
	 * Refused: no tail record to trust (both damaged), another
	 * filesystem, no memory.  A damaged entry (a bad checksum too) is
	 * where replay stops: the prefix before it is served.
	 */
	if (rc == -ENOMEM || rc == -ESTALE || (rc == -EFSBADCRC && !scan.err)) {
		famfs_err(m->ctx, "%s: cannot replay the log: %s", m->dev, why.msg);
		return FAMFS_EV_ERROR;
	}
	if (rc < 0)
		famfs_warn(m->ctx, "%s: replay stopped at the damage: %s; %" PRIu64 " entries are served (run famfs fsck)",
			   m->dev, why.msg, m->fs.applied_seq);
	famfs_verbose(m->ctx, "%s: %" PRIu64 " log entries replayed", m->dev,
		      m->fs.applied_seq);
	return FAMFS_EV_OK;
}

/* The parent: wait for the mount to answer, or for the server to die. */
static int wait_ready(struct mount_ctx *m, pid_t child)
{
	struct statfs sf;
	struct stat st;
	int status;

	if (stat(m->mnt, &st) == 0 && statfs(m->mnt, &sf) == 0 &&
	    sf.f_type == FUSE_SUPER_MAGIC && st.st_ino == FAMFS_ROOT_INO)
		return 0;
	famfs_err(m->ctx, "%s: the mount did not answer: %s", m->mnt,
		  strerror(errno));
	if (waitpid(child, &status, WNOHANG) == 0)
		kill(child, SIGTERM);
	umount2(m->mnt, MNT_DETACH);
	return -EIO;
}

static void detach_stdio(void)
{
	int fd = open("/dev/null", O_RDWR | O_CLOEXEC);

	if (setsid() < 0 || fd < 0)
		return;
	dup2(fd, 0);
	dup2(fd, 1);
	dup2(fd, 2);
	close(fd);
	if (chdir("/"))
		return;
}

/*
 * The famfs options of this mount that differ from the defaults (given as
 * -o or as options), in -o form: findmnt shows them from utab.
 */
static void user_options(const struct mount_ctx *m, char *buf, size_t len)
{
	static const char *const dp[] = { "auto", "dax", "fallback" };
	size_t n = 0;

	buf[0] = 0;
#define ADD(...) (n += (size_t)snprintf(buf + n, n < len ? len - n : 0, __VA_ARGS__))
	if (m->so.timeout != 31536000)
		ADD("%stimeout=%g", n ? "," : "", m->so.timeout);
	if (m->data_path_set)
		ADD("%sdata_path=%s", n ? "," : "", dp[m->so.data_path]);
	if (m->so.debug)
		ADD("%sdebug", n ? "," : "");
	if (!m->so.allow_other)
		ADD("%snouseraccess", n ? "," : "");
	if (!m->so.default_permissions)
		ADD("%snodefaultperm", n ? "," : "");
	if (m->xopts[0])
		ADD("%s%s", n ? "," : "", m->xopts);
#undef ADD
	if (n >= len)
		buf[0] = 0;		/* cannot happen: a few short words */
}

static void log_mounted(const struct mount_ctx *m)
{
	struct famfs_utab u = { FAMFS_UTAB_DIR };
	char opts[512];
	int rc;

	user_options(m, opts, sizeof(opts));
	rc = opts[0] ? famfs_utab_add(&u, m->dev, m->mnt, opts) : 0;
	famfs_slog(m->ctx->slog, LOG_NOTICE, NULL,
		   "mounted %s (%s, %" PRIu64 " log entries replayed, server pid %d%s%s)",
		   m->dev, m->so.master ? "master" : "read-only client",
		   m->fs.applied_seq, (int)getpid(), opts[0] ? ", " : "", opts);
	if (rc)
		famfs_slog(m->ctx->slog, LOG_WARNING, NULL,
			   "cannot record the mount options in %s/utab: %s",
			   FAMFS_UTAB_DIR, strerror(-rc));
}

static enum famfs_event mount_mount(struct famfs_sm *sm)
{
	struct mount_ctx *m = sm->ctx;
	struct famfs_why why = { "" };
	pid_t pid;

	m->so.mnt = m->mnt;
	/* the server logs to the system log, named by its mount point */
	famfs_syslog_start(m->ctx, m->mnt, m->foreground);
	m->so.log = m->ctx->slog;
	if (famfs_server_create(&m->srv, &m->fs, &m->so, &why) ||
	    famfs_server_mount(m->srv, &why)) {
		famfs_err(m->ctx, "%s: %s", m->mnt, why.msg);
		return FAMFS_EV_ERROR;
	}
	m->mounted = 1;
	if (m->foreground) {
		m->child = 1;
		log_mounted(m);
		return FAMFS_EV_OK;
	}
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		famfs_err(m->ctx, "cannot start the server: %s", strerror(errno));
		umount2(m->mnt, MNT_DETACH);
		return FAMFS_EV_ERROR;
	}
	if (pid == 0) {
		m->child = 1;
		registry_note(m);
		detach_stdio();
		log_mounted(m);
		return FAMFS_EV_OK;
	}
	/* the parent keeps no reference to the connection, nor the server's
	 * memory (fuse_session_destroy() never unmounts) */
	famfs_server_destroy(m->srv);
	m->srv = NULL;
	return wait_ready(m, pid) ? FAMFS_EV_ERROR : FAMFS_EV_OK;
}

static enum famfs_event mount_serve(struct famfs_sm *sm)
{
	struct mount_ctx *m = sm->ctx;
	struct famfs_utab u = { FAMFS_UTAB_DIR };
	struct famfs_why why = { "" };
	int rc;

	if (!m->child) {
		famfs_verbose(m->ctx, "%s: serving %s", m->mnt, m->dev);
		return FAMFS_EV_DONE;
	}
	rc = famfs_server_serve(m->srv, &why);
	famfs_utab_remove(&u, m->mnt);
	if (rc) {
		famfs_err(m->ctx, "%s: %s", m->mnt, why.msg);
		return FAMFS_EV_ERROR;
	}
	return FAMFS_EV_DONE;
}

static enum famfs_event mount_failed(struct famfs_sm *sm)
{
	(void)sm;
	return FAMFS_EV_DONE;
}

static const famfs_enter_fn mount_actions[_FAMFS_ST_MAX] = {
	[FAMFS_ST_PROBE] = mount_probe,
	[FAMFS_ST_VALIDATE] = mount_validate,
	[FAMFS_ST_REPLAY] = mount_replay,
	[FAMFS_ST_MOUNT] = mount_mount,
	[FAMFS_ST_SERVE] = mount_serve,
	[FAMFS_ST_FAILED] = mount_failed,
};

static int set_timeout(struct mount_ctx *m, const char *v)
{
	char *end;
	double t = strtod(v, &end);

	if (end == v || *end || t < 0 || t > 1e9)
		return famfs_usage_error(m->ctx, "bad timeout '%s'", v);
	m->so.timeout = t;
	return 0;
}

static int set_data_path(struct mount_ctx *m, const char *v)
{
	static const char *const names[] = { "auto", "dax", "fallback" };

	for (int i = 0; i < 3; i++) {
		if (!strcmp(v, names[i])) {
			m->so.data_path = (enum famfs_datapath)i;
			m->data_path_set = 1;
			return 0;
		}
	}
	return famfs_usage_error(m->ctx, "bad data path '%s' (auto, dax, fallback)", v);
}

/*
 * mount(8)'s generic options: the VFS flags each sets and clears (shown in
 * /proc/mounts as given); those with no flag only matter to mount(8).
 */
static const struct {
	const char *name;
	unsigned long set, clear;
} vfs_opts[] = {
	{ "rw", 0, 0 }, { "defaults", 0, 0 }, { "auto", 0, 0 },
	{ "noauto", 0, 0 }, { "nofail", 0, 0 }, { "_netdev", 0, 0 },
	{ "user", 0, 0 }, { "nouser", 0, 0 }, { "async", 0, MS_SYNCHRONOUS },
	{ "sync", MS_SYNCHRONOUS, 0 }, { "exec", 0, MS_NOEXEC },
	{ "noexec", MS_NOEXEC, 0 }, { "suid", 0, MS_NOSUID },
	{ "nosuid", MS_NOSUID, 0 }, { "dev", 0, MS_NODEV },
	{ "nodev", MS_NODEV, 0 },
	{ "atime", 0, MS_NOATIME | MS_RELATIME | MS_STRICTATIME },
	{ "noatime", MS_NOATIME, MS_RELATIME | MS_STRICTATIME },
	{ "relatime", MS_RELATIME, MS_NOATIME | MS_STRICTATIME },
	{ "strictatime", MS_STRICTATIME, MS_NOATIME | MS_RELATIME },
	{ "nodiratime", MS_NODIRATIME, 0 }, { "diratime", 0, MS_NODIRATIME },
};

/* One -o option; mount(8)'s generic ones set their VFS flags. */
static int mount_opt(struct mount_ctx *m, const char *o)
{
	if (!strncmp(o, "timeout=", 8))
		return set_timeout(m, o + 8);
	if (!strncmp(o, "data_path=", 10))
		return set_data_path(m, o + 10);
	if (!strcmp(o, "debug"))
		return m->so.debug = m->foreground = 1, 0;
	if (!strcmp(o, "nouseraccess"))
		return m->so.allow_other = 0, 0;
	if (!strcmp(o, "nodefaultperm"))
		return m->so.default_permissions = 0, 0;
	if (!strcmp(o, "ro"))
		return m->read_only = 1, 0;
	if (!strncmp(o, "x-", 2)) {
		size_t n = strlen(m->xopts);

		snprintf(m->xopts + n, sizeof(m->xopts) - n, "%s%s",
			 n ? "," : "", o);
		return 0;
	}
	for (size_t i = 0; i < sizeof(vfs_opts) / sizeof(vfs_opts[0]); i++) {
		if (!strcmp(o, vfs_opts[i].name)) {
			m->so.mount_flags &= ~vfs_opts[i].clear;
			m->so.mount_flags |= vfs_opts[i].set;
			return 0;
		}
	}
	return famfs_usage_error(m->ctx, "unknown mount option '%s'", o);
}

static int mount_opts(struct mount_ctx *m, const char *list)
{
	char buf[1024], *save = NULL;
	int rc = 0;

	if (strlen(list) >= sizeof(buf))
		return famfs_usage_error(m->ctx, "mount options too long");
	memcpy(buf, list, strlen(list) + 1);
	for (char *o = strtok_r(buf, ",", &save); o && !rc;
	     o = strtok_r(NULL, ",", &save))
		rc = mount_opt(m, o);
	return rc;
}

/* -f: mount(8) passes its --fake to a helper as -f; else foreground */
static void short_f(struct mount_ctx *m)
{
	const char *a = m->ctx->alias;

	if (a && !strncmp(a, "mount.", 6))
		m->fake = 1;
	else
		m->foreground = 1;
}

static const struct option mount_lopts[] = {
	{ "timeout", required_argument, NULL, 't' },
	{ "foreground", no_argument, NULL, 'F' },
	{ "debug", no_argument, NULL, 'd' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "nouseraccess", no_argument, NULL, 'u' },
	{ "nodefaultperm", no_argument, NULL, 'p' },
	{ "data-path", required_argument, NULL, 'm' },
	{ "device", required_argument, NULL, 'D' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/*
 * [[DEVICE] MOUNTPOINT]: what is not given comes from the configuration
 * (the first [device] path, the [mount] mountpoint).
 */
static int mount_paths(struct mount_ctx *m, int argc, char **argv)
{
	const struct famfs_config *cfg = &m->ctx->cfg;
	int n = argc - optind;
	const char *dev = n == 2 ? argv[optind] :
			  cfg->ndevices ? cfg->devices[0] : NULL;
	const char *mnt = n ? argv[argc - 1] : cfg->mountpoint;

	if (n > 2)
		return famfs_usage_error(m->ctx, "too many arguments");
	if (!dev)
		return famfs_usage_error(m->ctx, "no device given (none on the command line, no [device] path configured)");
	if (!realpath(dev, m->dev)) {
		famfs_err(m->ctx, "device '%s': %s", dev, strerror(errno));
		return FAMFS_EXIT_FAIL;
	}
	if (!realpath(mnt, m->mnt)) {
		famfs_err(m->ctx, "mount point '%s': %s", mnt, strerror(errno));
		return FAMFS_EXIT_FAIL;
	}
	return 0;
}

/* -D DEV: absolute (the server runs in /), a glob kept as it is. */
static int add_extra(struct mount_ctx *m, const char *v)
{
	char *dst = m->extra[m->nextra];

	if (m->nextra >= FAMFS_MAX_DEVICES)
		return famfs_usage_error(m->ctx, "at most %u -D devices",
					 FAMFS_MAX_DEVICES);
	char cwd[PATH_MAX];
	int n;

	if (!realpath(v, dst)) {	/* a glob: relative to here */
		if (v[0] == '/')
			cwd[0] = 0;
		else if (!getcwd(cwd, sizeof(cwd)))
			return famfs_usage_error(m->ctx, "-D %s: %s", v,
						 strerror(errno));
		n = snprintf(dst, PATH_MAX, "%s%s%s", cwd, cwd[0] ? "/" : "", v);
		if (n < 0 || n >= PATH_MAX)
			return famfs_usage_error(m->ctx, "-D %s: too long", v);
	}
	m->extrap[m->nextra++] = dst;
	return 0;
}

static int mount_args(struct mount_ctx *m, int argc, char **argv)
{
	int opt, rc = 0;

	while (!rc && (opt = getopt_long(argc, argv, "t:fdvupm:o:D:snh",
					 mount_lopts, NULL)) != -1) {
		switch (opt) {
		case 't': rc = set_timeout(m, optarg); break;
		case 'f': short_f(m); break;
		case 'F': m->foreground = 1; break;	/* --foreground */
		case 'd': m->foreground = m->so.debug = 1; break;
		case 'v': m->ctx->verbose++; break;
		case 'u': m->so.allow_other = 0; break;
		case 'p': m->so.default_permissions = 0; break;
		case 'm': rc = set_data_path(m, optarg); break;
		case 'o': rc = mount_opts(m, optarg); break;
		case 'D': rc = add_extra(m, optarg); break;
		case 's': case 'n': break;	/* mount(8): sloppy, no mtab */
		case 'h': fputs(famfs_mount_usage, stdout); return -1;
		default: return famfs_bad_option(m->ctx);
		}
	}
	return rc ? rc : mount_paths(m, argc, argv);
}

int famfs_cmd_mount(struct famfs_ctx *ctx, int argc, char **argv)
{
	struct mount_ctx *m = calloc(1, sizeof(*m));
	struct famfs_sm sm;
	int rc;

	if (!m)
		return FAMFS_EXIT_FAIL;
	m->ctx = ctx;
	m->reg_fd = -1;
	m->fs.dev.fd = -1;
	m->so = (struct famfs_server_opts){
		.timeout = 31536000, .allow_other = 1,
		.default_permissions = 1, .data_path = ctx->cfg.data_path,
		.mount_flags = MS_NOSUID | MS_NODEV,	/* unless -o suid,dev */
	};
	rc = mount_args(m, argc, argv);
	if (!rc && m->fake) {
		famfs_verbose(ctx, "%s on %s: fake mount, nothing done", m->dev, m->mnt);
		rc = -1;
	}
	if (rc) {
		free(m);
		return rc < 0 ? 0 : rc;
	}
	famfs_sm_init(&sm, mount_actions, m, famfs_sm_log_cb, ctx);
	rc = famfs_sm_run(&sm);
	famfs_server_destroy(m->srv);	/* NULL in a forking parent */
	famfs_fs_close(&m->fs);
	/* the server is done with it, or the mount failed: not in use */
	if (m->reg_locked && (m->child || rc))
		unlink(m->reg_path);
	if (m->reg_fd >= 0)
		close(m->reg_fd);
	free(m);
	return rc ? FAMFS_EXIT_FAIL : FAMFS_EXIT_OK;
}
