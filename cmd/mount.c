// SPDX-License-Identifier: Apache-2.0
/*
 * famfs mount / mount.famfs / mount.fuse.famfs: its own state machine
 * (famfs_mount_machine),
 *   init -start-> probe -ok-> validate -ok-> replay -ok|corrupt-> mount
 *   mount -ok-> ready -done-> stop      (the parent, after the fork)
 *   mount -serve-> serve -done-> stop   (the child, or --foreground)
 *   any -error-> failed -done-> stop
 * replay judges with famfs_replay_verdict(): corrupt = serve the prefix
 * before the damage, and the server starts in its damaged state.  The
 * command returns once the mount point answers: it mounts, forks the
 * server and waits for the root of the new mount to stat.  Exit actions
 * undo a failed mount; stop's entry action releases the rest.
 */
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/magic.h>	/* FUSE_SUPER_MAGIC */

#include "cmd.h"
#include "famfs_registry.h"
#include "famfs_server.h"
#include "famfs_slog.h"
#include "famfs_utab.h"
#include "famfs_sm.h"
#include "famfs_verdict.h"
#include "machines.h"

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
	"the --device paths, the [device] path and scan globs of famfs.ini (default\n"
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
	"  -c, --cache MODE       always, normal or never: a timeout of one year,\n"
	"                         1 s or 0 (not with -t; as upstream)\n"
	"      --foreground       serve in the foreground\n"
	"  -d, --debug            trace every request on standard error (the\n"
	"                         server still runs in the background, keeping\n"
	"                         standard error; with --foreground, in front)\n"
	"  -v, --verbose          show state transitions\n"
	"  -u, --nouseraccess     only root may use the mount (no allow_other)\n"
	"  -p, --nodefaultperm    no default_permissions (the server still checks\n"
	"                         the control file and client writes)\n"
	"      --data-path MODE   auto (DAX when the kernel offers it), dax, fallback\n"
	"      --device DEV       a candidate for the other devices: a path or a\n"
	"                         glob (repeatable; tried first)\n"
	"  -o, --options OPTIONS  mount(8) and fstab options, comma separated: the\n"
	"                         ones above by name (timeout=SEC, debug,\n"
	"                         nouseraccess, nodefaultperm, data_path=MODE,\n"
	"                         set_daxmode for -M);\n"
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
	"  -s, --sloppy, -n, --no-mtab\n"
	"                         accepted from mount(8); no effect\n"
	"  -h, -?, --help         this text\n\n"
	"Upstream famfs's other flags, accepted so its scripts run unchanged:\n"
	"  -f, --fuse             FUSE mode: the only mode here; no effect\n"
	"  -F, --nofuse           refused: there is no standalone (v1) kernel\n"
	"                         module mode (also FAMFS_MODE=v1)\n"
	"  -r, --read, -m, --mmap\n"
	"                         how upstream reads the log; famfs always maps\n"
	"                         the device: no effect\n"
	"  -S, --shadow PATH      no effect: there is no shadow tree, the server\n"
	"                         holds the namespace in memory\n"
	"  -M, --set-daxmode      put a device-dax DEVICE (and each --device) in\n"
	"                         famfs mode first: bind it to fsdev_dax (a\n"
	"                         no-op when it is; a note for an image file or\n"
	"                         pmem).  Without -M, a device in devdax mode\n"
	"                         (device_dax) is served on the fallback path\n"
	"  -b, --bouncedax        no effect\n"
	"  -L, --load-module      no effect: FUSE needs no famfs kernel module\n"
	"  -R, --remount          refused: a v1 kernel remount; umount and mount\n"
	"  -D, --dummy            refused: upstream's temporary mount for its own\n"
	"                         mkfs and fsck, which famfs does not need\n\n"
	"As mount.famfs and mount.fuse.famfs (run by mount(8)) the options are\n"
	"mount(8)'s: -d is debug in the foreground, and\n"
	"  -f, --fake             check the arguments, mount nothing;\n"
	"  -m, --data-path MODE   and -D, --device DEV keep their old letters.\n\n"
	"Refuses a second mount of the same device by this host, and a mount point\n"
	"that already holds famfs.\n"
	"Exit: 0 mounted, 1 failed (nothing is left mounted), 2 usage error.\n";

struct mount_ctx {
	struct famfs_ctx *ctx;
	char dev[PATH_MAX], mnt[PATH_MAX];
	struct famfs_server_opts so;
	int foreground, read_only, mounted, fake, data_path_set;
	int keep_stderr, cache_set, timeout_set;	/* -d; -c; -t */
	int set_daxmode;		/* -M */
	char xopts[256];		/* the x-* options given, for utab */
	pid_t server_pid;		/* the parent: the forked server */
	char damage[FAMFS_WHY_LEN];	/* where replay stopped (serve-prefix) */
	struct famfs_registry reg;
	uint8_t host[16];
	struct famfs_fs fs;
	struct famfs_server *srv;
	char extra[FAMFS_MAX_DEVICES][PATH_MAX];	/* --device */
	const char *extrap[FAMFS_MAX_DEVICES];
	unsigned int nextra;
};

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

/*
 * -M: every device given in famfs mode (fsdev_dax).  Without it a
 * device-dax device in devdax mode gets the fallback data path, and a
 * note; data_path=dax is refused there.
 */
static int mount_daxmode(struct mount_ctx *m)
{
	int devdax = 0;

	if (m->set_daxmode) {
		int rc = famfs_set_daxmode(m->ctx, m->dev);

		for (unsigned int i = 0; !rc && i < m->nextra; i++)
			rc = famfs_set_daxmode(m->ctx, m->extrap[i]);
		return rc;
	}
	devdax = famfs_dax_mode_note(m->ctx, m->dev);
	if (devdax && m->so.data_path == FAMFS_DP_DAX) {
		famfs_err(m->ctx, "%s: data_path=dax needs the device in famfs mode: mount with -M",
			  m->dev);
		return -EINVAL;
	}
	if (devdax)
		m->so.data_path = FAMFS_DP_FALLBACK;
	return 0;
}

static enum famfs_event mount_probe(struct famfs_sm *sm)
{
	struct mount_ctx *m = sm->ctx;
	struct famfs_why why = { "" };
	struct stat st;

	if (check_mountpoint(m) || mount_daxmode(m))
		return FAMFS_EV_ERROR;
	if (famfs_hostid_get(m->ctx->cfg.uuid_file, 1, m->host, &why)) {
		famfs_err(m->ctx, "%s", why.msg);
		return FAMFS_EV_ERROR;
	}
	if (stat(m->dev, &st)) {
		famfs_err(m->ctx, "device %s: %s", m->dev, strerror(errno));
		return FAMFS_EV_ERROR;
	}
	if (famfs_registry_lock(&m->reg, FAMFS_REGISTRY_DIR, m->host, &st,
				m->dev, m->mnt, &why)) {
		famfs_err(m->ctx, "%s: %s", m->dev, why.msg);
		return FAMFS_EV_ERROR;
	}
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
		char prim[FAMFS_UUID_STR];

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

/* Replay once and judge it: refuse, serve the prefix, or serve. */
static enum famfs_event mount_replay(struct famfs_sm *sm)
{
	struct mount_ctx *m = sm->ctx;
	struct famfs_why why = { "" };
	struct famfs_replay_result res;
	enum famfs_verdict v = famfs_fs_replay_judged(&m->fs, &res, NULL, &why);

	if (v == FAMFS_VERDICT_REFUSE) {
		famfs_err(m->ctx, "%s: cannot replay the log: %s", m->dev, why.msg);
		return FAMFS_EV_ERROR;
	}
	famfs_verbose(m->ctx, "%s: %" PRIu64 " log entries replayed", m->dev,
		      res.served);
	if (v == FAMFS_VERDICT_SERVE)
		return FAMFS_EV_OK;
	famfs_warn(m->ctx, "%s: replay stopped at the damage: %s; %" PRIu64 " entries are served, creates are refused (run famfs fsck)",
		   m->dev, why.msg, res.served);
	snprintf(m->damage, sizeof(m->damage), "%s", why.msg);
	m->so.damage = m->damage;
	return FAMFS_EV_CORRUPT;
}

/* The parent: the mount answers, or the server died (see ready_exit). */
static enum famfs_event mount_ready(struct famfs_sm *sm)
{
	struct mount_ctx *m = sm->ctx;
	struct statfs sf;
	struct stat st;

	if (stat(m->mnt, &st) == 0 && statfs(m->mnt, &sf) == 0 &&
	    sf.f_type == FUSE_SUPER_MAGIC && st.st_ino == FAMFS_ROOT_INO) {
		famfs_verbose(m->ctx, "%s: serving %s", m->mnt, m->dev);
		return FAMFS_EV_DONE;
	}
	famfs_err(m->ctx, "%s: the mount did not answer: %s", m->mnt,
		  strerror(errno));
	return FAMFS_EV_ERROR;
}

/* Leaving ready on an error: stop the server, nothing stays mounted. */
static void mount_ready_exit(struct famfs_sm *sm, enum famfs_event why)
{
	struct mount_ctx *m = sm->ctx;
	int status;

	if (why != FAMFS_EV_ERROR)
		return;
	if (waitpid(m->server_pid, &status, WNOHANG) == 0)
		kill(m->server_pid, SIGTERM);
	umount2(m->mnt, MNT_DETACH);
	m->mounted = 0;
}

static void detach_stdio(int keep_stderr)
{
	int fd = open("/dev/null", O_RDWR | O_CLOEXEC);

	if (setsid() < 0 || fd < 0)
		return;
	dup2(fd, 0);
	dup2(fd, 1);
	if (!keep_stderr)
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
	m->so.log = famfs_sm_log_cb;
	m->so.log_arg = m->ctx;
	/* the server logs to the system log, named by its mount point */
	famfs_syslog_start(m->ctx, m->mnt, m->foreground);
	m->so.slog = m->ctx->slog;
	if (famfs_server_create(&m->srv, &m->fs, &m->so, &why) ||
	    famfs_server_mount(m->srv, &why)) {
		famfs_err(m->ctx, "%s: %s", m->mnt, why.msg);
		return FAMFS_EV_ERROR;
	}
	m->mounted = 1;
	if (m->foreground) {
		log_mounted(m);
		return FAMFS_EV_SERVE;
	}
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		famfs_err(m->ctx, "cannot start the server: %s", strerror(errno));
		return FAMFS_EV_ERROR;
	}
	if (pid == 0) {
		famfs_registry_note(&m->reg, m->mnt);
		detach_stdio(m->keep_stderr);
		log_mounted(m);
		return FAMFS_EV_SERVE;
	}
	/* the parent keeps no reference to the connection, nor the server's
	 * memory (fuse_session_destroy() never unmounts) */
	m->server_pid = pid;
	famfs_server_destroy(m->srv);
	m->srv = NULL;
	return FAMFS_EV_OK;
}

/* Leaving mount on an error: what was mounted is unmounted. */
static void mount_mount_exit(struct famfs_sm *sm, enum famfs_event why)
{
	struct mount_ctx *m = sm->ctx;

	if (why == FAMFS_EV_ERROR && m->mounted)
		umount2(m->mnt, MNT_DETACH);
	if (why == FAMFS_EV_ERROR)
		m->mounted = 0;
}

/* This process is the server: it runs the server's own machine. */
static enum famfs_event mount_serve(struct famfs_sm *sm)
{
	struct mount_ctx *m = sm->ctx;
	struct famfs_utab u = { FAMFS_UTAB_DIR };
	struct famfs_why why = { "" };
	int rc;

	rc = famfs_server_serve(m->srv, &why);
	famfs_utab_remove(&u, m->mnt);
	if (rc) {
		famfs_err(m->ctx, "%s: %s", m->mnt, why.msg);
		return FAMFS_EV_ERROR;
	}
	return FAMFS_EV_DONE;
}

/* The server is done with the device: a new mount of it may start. */
static void release_registry(struct mount_ctx *m)
{
	famfs_registry_release(&m->reg, 1);
}

static void mount_serve_exit(struct famfs_sm *sm, enum famfs_event why)
{
	(void)why;
	release_registry(sm->ctx);
}

static enum famfs_event mount_failed(struct famfs_sm *sm)
{
	release_registry(sm->ctx);
	return FAMFS_EV_DONE;
}

static enum famfs_event mount_stop(struct famfs_sm *sm)
{
	struct mount_ctx *m = sm->ctx;

	famfs_server_destroy(m->srv);	/* NULL in a forking parent */
	m->srv = NULL;
	famfs_fs_close(&m->fs);
	famfs_registry_release(&m->reg, 0);	/* the server keeps the lock */
	return FAMFS_EV_NONE;
}

#define EV(e) FAMFS_SM_EV(e)

static const struct famfs_sm_state mount_states[] = {
	[MOUNT_ST_INIT] = { "init", NULL, NULL, 0, EV(START) },
	[MOUNT_ST_PROBE] = { "probe", mount_probe, NULL, EV(OK) | EV(ERROR), 0 },
	[MOUNT_ST_VALIDATE] = { "validate", mount_validate, NULL,
				EV(OK) | EV(ERROR), 0 },
	[MOUNT_ST_REPLAY] = { "replay", mount_replay, NULL,
			      EV(OK) | EV(CORRUPT) | EV(ERROR), 0 },
	[MOUNT_ST_MOUNT] = { "mount", mount_mount, mount_mount_exit,
			     EV(OK) | EV(SERVE) | EV(ERROR), 0 },
	[MOUNT_ST_READY] = { "ready", mount_ready, mount_ready_exit,
			     EV(DONE) | EV(ERROR), 0 },
	[MOUNT_ST_SERVE] = { "serve", mount_serve, mount_serve_exit,
			     EV(DONE) | EV(ERROR), 0 },
	[MOUNT_ST_FAILED] = { "failed", mount_failed, NULL, EV(DONE), 0 },
	[MOUNT_ST_STOP] = { "stop", mount_stop, NULL, 0, 0 },
};

_Static_assert(FAMFS_SM_COUNT(mount_states) == _MOUNT_ST_MAX,
	       "mount state table");

static const struct famfs_sm_rule mount_rules[] = {
	{ MOUNT_ST_INIT, FAMFS_EV_START, MOUNT_ST_PROBE },
	{ MOUNT_ST_PROBE, FAMFS_EV_OK, MOUNT_ST_VALIDATE },
	{ MOUNT_ST_VALIDATE, FAMFS_EV_OK, MOUNT_ST_REPLAY },
	{ MOUNT_ST_REPLAY, FAMFS_EV_OK, MOUNT_ST_MOUNT },
	{ MOUNT_ST_REPLAY, FAMFS_EV_CORRUPT, MOUNT_ST_MOUNT },
	{ MOUNT_ST_MOUNT, FAMFS_EV_OK, MOUNT_ST_READY },
	{ MOUNT_ST_MOUNT, FAMFS_EV_SERVE, MOUNT_ST_SERVE },
	{ MOUNT_ST_READY, FAMFS_EV_DONE, MOUNT_ST_STOP },
	{ MOUNT_ST_SERVE, FAMFS_EV_DONE, MOUNT_ST_STOP },
	{ MOUNT_ST_FAILED, FAMFS_EV_DONE, MOUNT_ST_STOP },
};

const struct famfs_sm_def famfs_mount_machine =
	FAMFS_SM_DEF("mount", mount_states, mount_rules, MOUNT_ST_INIT, MOUNT_ST_STOP,
		     MOUNT_ST_FAILED, MOUNT_ST_STOP);

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
	if (famfs_datapath_parse(v, &m->so.data_path, NULL))
		return famfs_usage_error(m->ctx, "bad data path '%s' (auto, dax, fallback)", v);
	m->data_path_set = 1;
	return 0;
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
	if (!strcmp(o, "set_daxmode"))		/* -M, for mount.famfs */
		return m->set_daxmode = 1, 0;
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

enum {
	OPT_FOREGROUND = FAMFS_OPT_LONG, OPT_DATA_PATH, OPT_DEVICE,
};

/* famfs mount: upstream famfs's letters win (-f fuse, -m mmap, -D dummy) */
static const struct option mount_lopts[] = {
	{ "timeout", required_argument, NULL, 't' },
	{ "cache", required_argument, NULL, 'c' },
	{ "foreground", no_argument, NULL, OPT_FOREGROUND },
	{ "debug", no_argument, NULL, 'd' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "nouseraccess", no_argument, NULL, 'u' },
	{ "nodefaultperm", no_argument, NULL, 'p' },
	{ "data-path", required_argument, NULL, OPT_DATA_PATH },
	{ "device", required_argument, NULL, OPT_DEVICE },
	{ "options", required_argument, NULL, 'o' },
	{ "sloppy", no_argument, NULL, 's' },
	{ "no-mtab", no_argument, NULL, 'n' },
	{ "help", no_argument, NULL, 'h' },
	{ "fuse", no_argument, NULL, 'f' },
	{ "nofuse", no_argument, NULL, 'F' },
	{ "read", no_argument, NULL, 'r' },
	{ "mmap", no_argument, NULL, 'm' },
	{ "shadow", required_argument, NULL, 'S' },
	{ "set-daxmode", no_argument, NULL, 'M' },
	{ "load-module", no_argument, NULL, 'L' },
	{ "remount", no_argument, NULL, 'R' },
	{ "bouncedax", no_argument, NULL, 'b' },
	{ "dummy", no_argument, NULL, 'D' },
	{ NULL, 0, NULL, 0 },
};

/* mount.famfs, mount.fuse.famfs: mount(8)'s conventions */
static const struct option mount_alias_lopts[] = {
	{ "timeout", required_argument, NULL, 't' },
	{ "fake", no_argument, NULL, 'f' },
	{ "foreground", no_argument, NULL, OPT_FOREGROUND },
	{ "debug", no_argument, NULL, 'd' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "nouseraccess", no_argument, NULL, 'u' },
	{ "nodefaultperm", no_argument, NULL, 'p' },
	{ "data-path", required_argument, NULL, 'm' },
	{ "device", required_argument, NULL, 'D' },
	{ "options", required_argument, NULL, 'o' },
	{ "sloppy", no_argument, NULL, 's' },
	{ "no-mtab", no_argument, NULL, 'n' },
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

/* --device DEV: absolute (the server runs in /), a glob kept as it is. */
static int add_extra(struct mount_ctx *m, const char *v)
{
	char *dst = m->extra[m->nextra];

	if (m->nextra >= FAMFS_MAX_DEVICES)
		return famfs_usage_error(m->ctx, "at most %u --device devices",
					 FAMFS_MAX_DEVICES);
	char cwd[PATH_MAX];
	int n;

	if (!realpath(v, dst)) {	/* a glob: relative to here */
		if (v[0] == '/')
			cwd[0] = 0;
		else if (!getcwd(cwd, sizeof(cwd)))
			return famfs_usage_error(m->ctx, "--device %s: %s", v,
						 strerror(errno));
		n = snprintf(dst, PATH_MAX, "%s%s%s", cwd, cwd[0] ? "/" : "", v);
		if (n < 0 || n >= PATH_MAX)
			return famfs_usage_error(m->ctx, "--device %s: too long", v);
	}
	m->extrap[m->nextra++] = dst;
	return 0;
}

/* -c: upstream's cache modes are attribute timeouts; not with -t */
static int set_cache(struct mount_ctx *m, const char *v)
{
	static const char *const names[] = { "always", "normal", "never" };
	static const double secs[] = { 31536000, 1, 0 };

	for (int i = 0; i < 3; i++) {
		if (!strcmp(v, names[i])) {
			m->so.timeout = secs[i];
			m->cache_set = 1;
			return 0;
		}
	}
	return famfs_usage_error(m->ctx, "bad cache mode '%s' (always, normal, never)", v);
}

/* The letters whose meaning differs between famfs mount and mount.famfs */
static int mount_letter(struct mount_ctx *m, int opt)
{
	int alias = m->ctx->alias != NULL;

	switch (opt) {
	case 'f':
		if (alias)
			m->fake = 1;
		else
			m->ctx->mode_opt = FAMFS_MODE_FUSE;
		return 0;
	case 'd':
		m->so.debug = 1;
		m->foreground |= alias;		/* mount(8) waits on it */
		m->keep_stderr = 1;
		return 0;
	case 'm': return alias ? set_data_path(m, optarg) : 0;	/* --mmap */
	case 'D':
		if (alias)
			return add_extra(m, optarg);
		return famfs_usage_error(m->ctx, "-D/--dummy: upstream's temporary dummy mount is not supported: famfs reaches the device directly for mkfs and fsck (for a candidate device, use --device DEV)");
	case 'R':
		return famfs_usage_error(m->ctx, "-R/--remount (a famfs v1 kernel remount) is not supported: umount the mount point and mount again");
	}
	return famfs_bad_option(m->ctx);
}

static int mount_opt1(struct mount_ctx *m, int opt)
{
	switch (opt) {
	case 't': m->timeout_set = 1; return set_timeout(m, optarg);
	case 'c': return set_cache(m, optarg);
	case OPT_FOREGROUND: m->foreground = 1; return 0;
	case 'v': m->ctx->verbose++; return 0;
	case 'u': m->so.allow_other = 0; return 0;
	case 'p': m->so.default_permissions = 0; return 0;
	case OPT_DATA_PATH: return set_data_path(m, optarg);
	case OPT_DEVICE: return add_extra(m, optarg);
	case 'o': return mount_opts(m, optarg);
	case 'h': case FAMFS_OPT_HELP: return famfs_show_help(m->ctx);
	case 'F': m->ctx->mode_opt = FAMFS_MODE_V1; return 0;
	/* mount(8)'s sloppy and no-mtab; upstream's read and mmap (how it
	 * reads the log), shadow tree, bounce DAX and module loading */
	case 'M': m->set_daxmode = 1; return 0;
	case 's': case 'n': case 'r': case 'S': case 'L': case 'b':
		return 0;
	}
	return mount_letter(m, opt);
}

static int mount_args(struct mount_ctx *m, int argc, char **argv)
{
	const struct option *lo = m->ctx->alias ? mount_alias_lopts :
				  mount_lopts;
	int opt, rc = 0;

	while (!rc && (opt = famfs_getopt(argc, argv, lo)) != -1)
		rc = mount_opt1(m, opt);
	if (!rc && m->cache_set && m->timeout_set)
		rc = famfs_usage_error(m->ctx, "-c/--cache and -t/--timeout exclude each other (as upstream)");
	if (!rc)
		rc = famfs_mode_check(m->ctx);
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
	famfs_registry_init(&m->reg);
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
	famfs_sm_init(&sm, &famfs_mount_machine, m, famfs_sm_log_cb, ctx);
	rc = famfs_sm_run(&sm);
	free(m);
	return rc ? FAMFS_EXIT_FAIL : FAMFS_EXIT_OK;
}
