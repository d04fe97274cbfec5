// SPDX-License-Identifier: Apache-2.0
/*
 * famfs init: PID 1 of the appliance initramfs (/init -> famfs).  Its own
 * state machine (famfs_init_machine),
 *   init -start-> probe -ok-> validate -ok-> mount -ok-> serve -ok-> handoff
 *   validate -blank-> format -ok-> validate      handoff -done-> stop
 *   any -error-> failed -done-> stop
 * PROBE reads the configuration (/etc/famfs.ini, then famfs.* words of the
 * kernel command line), loads modules and waits for the device; MOUNT runs
 * "famfs mount", which replays the log once and judges it with
 * famfs_replay_verdict(), and whose server keeps running; SERVE asks that
 * server for its state: "damaged" (the verdict serve-prefix) boots on with
 * a warning, as a mount does; HANDOFF runs the payload or
 * switch_roots into a root tree kept in famfs (overlayfs: famfs lower,
 * tmpfs upper).  FAILED prints the state, the cause and an fsck report and
 * starts a recovery shell.  Every transition goes to the console and to
 * /dev/kmsg.  PID 1 never exits: after STOP it powers off, reboots or
 * keeps reaping (init_final).
 */
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/magic.h>	/* FUSE_SUPER_MAGIC */
#include <linux/openat2.h>	/* RESOLVE_IN_ROOT */
#include <uuid/uuid.h>

#include "cmd.h"
#include "famfs_boot.h"
#include "famfs_fs.h"
#include "famfs_client.h"
#include "famfs_json.h"
#include "famfs_sm.h"
#include "machines.h"

#define SHELL			"/bin/sh"
#define MAX_ARGS		32

const char famfs_init_usage[] =
	"usage: famfs init                 (as PID 1: /init -> famfs)\n"
	"       famfs init --print-config [--cmdline FILE]\n\n"
	"The appliance's PID 1.  Mounts /proc, /sys and /dev when absent, reads\n"
	"/etc/famfs.ini (or -c FILE) and the famfs.* words of the kernel command\n"
	"line (famfs.SECTION.KEY=VALUE, or famfs.KEY=VALUE for a key only one\n"
	"section has), then: probe (wait up to [init] probe_timeout for the\n"
	"device, found by [init] device_uuid or [device] path), validate, format\n"
	"(only a blank device and only with [init] format = blank), replay, mount\n"
	"and serve at [mount] mountpoint, and hand over: run [init] payload (a\n"
	"shell when empty), or switch_root into the famfs tree [init] root over\n"
	"overlayfs (famfs read-only below, tmpfs above) and exec [init] root_init.\n"
	"When the payload exits: [init] on_exit = poweroff, reboot or shell.\n"
	"On failure: the state, the cause and an fsck report, then a recovery\n"
	"shell on the console; leaving it reboots.\n\n"
	"Outside the appliance (not as PID 1) famfs init only prints its\n"
	"configuration.\n\n"
	"Options:\n"
	"  --print-config  print the configuration the appliance would use\n"
	"  --cmdline FILE  read the kernel command line from FILE, not\n"
	"                  /proc/cmdline\n"
	"  -h, --help      this text\n\n"
	"Exit (not as PID 1): 0 printed, 1 configuration error, 2 usage error.\n";

struct init_ctx {
	struct famfs_ctx *ctx;
	struct famfs_config *cfg;
	int kmsg;			/* /dev/kmsg, or -1 */
	const char *cmdline_file;
	char dev[PATH_MAX];		/* the device, once known */
	char cause[FAMFS_WHY_LEN + PATH_MAX];
};

/* One line on the console and in the kernel log. */
static void say(struct init_ctx *ic, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void say(struct init_ctx *ic, const char *fmt, ...)
{
	char msg[FAMFS_WHY_LEN + 2 * PATH_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "famfs-init: %s\n", msg);
	fflush(stderr);
	/* debug level: in dmesg, not printed on the console a second time */
	if (ic->kmsg >= 0)
		dprintf(ic->kmsg, "<7>famfs-init: %s\n", msg);
}

/* Record the first cause of failure; returns the error event. */
static enum famfs_event fail(struct init_ctx *ic, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static enum famfs_event fail(struct init_ctx *ic, const char *fmt, ...)
{
	char msg[sizeof(ic->cause)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	say(ic, "error: %s", msg);
	if (!ic->cause[0])
		memcpy(ic->cause, msg, sizeof(msg));
	return FAMFS_EV_ERROR;
}

static void sm_log(void *arg, const char *msg)
{
	say(arg, "%s [%.3f s]", msg, famfs_uptime());
}

/* Wait for @pid, reaping every other child meanwhile (we are PID 1). */
static int wait_child(pid_t pid)
{
	int status;
	pid_t p;

	for (;;) {
		p = waitpid(-1, &status, 0);
		if (p == pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) :
			       128 + WTERMSIG(status);
		if (p < 0 && errno != EINTR)
			return -1;
	}
}

/* Start @argv on the console; with @ctty the console is its terminal. */
static pid_t spawn(char *const *argv, int ctty)
{
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid)
		return pid;
	if (ctty) {
		setsid();
		ioctl(0, TIOCSCTTY, 1);
	}
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	execv(argv[0], argv);
	fprintf(stderr, "famfs-init: cannot run %s: %s\n", argv[0],
		strerror(errno));
	_exit(127);
}

static int run(char *const *argv)
{
	pid_t pid = spawn(argv, 0);

	return pid < 0 ? -1 : wait_child(pid);
}

/* This binary again as "@famfs CMD ...": '@' asks systemd to spare it. */
static int run_self(const char *const *args)
{
	const char *argv[MAX_ARGS] = { "/proc/self/exe" };
	unsigned int n = 1;
	pid_t pid;

	while (*args && n < MAX_ARGS - 1)
		argv[n++] = *args++;
	argv[n] = NULL;
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid == 0) {
		argv[0] = "@famfs";
		/* execv() does not write the strings; its type predates const */
		execv("/proc/self/exe", (char *const *)argv);
		_exit(127);
	}
	return pid < 0 ? -1 : wait_child(pid);
}

/* --- configuration -------------------------------------------------------- */

static int read_text(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -EIO;
	buf[n] = 0;
	return 0;
}

static int init_config(struct init_ctx *ic)
{
	const char *path = ic->ctx->config_path;
	const char *cl = ic->cmdline_file ? ic->cmdline_file : "/proc/cmdline";
	struct famfs_why why = { "" };
	char text[8192];
	int rc;

	famfs_config_defaults(ic->cfg);
	if (!path && access(FAMFS_CONFIG_DEFAULT, F_OK) == 0)
		path = FAMFS_CONFIG_DEFAULT;
	if (path && famfs_config_load(ic->cfg, path, &why))
		return fail(ic, "configuration %s: %s", path, why.msg), -EINVAL;
	rc = read_text(cl, text, sizeof(text));
	if (rc)
		return fail(ic, "cannot read %s: %s", cl, strerror(-rc)), rc;
	rc = famfs_cmdline_apply(ic->cfg, text, &why);
	if (rc < 0)
		return fail(ic, "kernel command line: %s", why.msg), rc;
	if (rc > 0)
		say(ic, "%d setting(s) from the kernel command line", rc);
	return 0;
}

static int print_config(const struct famfs_config *c)
{
	char *text;

	if (famfs_config_format(c, &text))
		return -ENOMEM;
	fputs(text, stdout);
	free(text);
	return 0;
}

/*
 * The commands init starts (mkfs, mount, fsck, the recovery shell's famfs)
 * read the configuration as init has it, kernel command line included.
 */
static int export_config(struct init_ctx *ic)
{
	static const char path[] = "/run/famfs-init.ini";
	char *text;
	int fd, rc = 0;
	size_t n;

	if (famfs_config_format(ic->cfg, &text)) {
		fail(ic, "cannot format the configuration: out of memory");
		return -ENOMEM;
	}
	n = strlen(text);
	mkdir("/run", 0755);
	errno = 0;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		rc = -errno;
	else if (write(fd, text, n) != (ssize_t)n)
		rc = errno ? -errno : -EIO;	/* short: no errno */
	if (fd >= 0 && close(fd) && !rc)
		rc = -errno;
	free(text);
	if (rc) {
		fail(ic, "cannot write %s: %s", path, strerror(-rc));
		return rc;
	}
	setenv("FAMFS_CONFIG", path, 1);
	return 0;
}

/* --- states --------------------------------------------------------------- */

/* The device answers (by path, or found by UUID), or the timeout passes. */
static int wait_device(struct init_ctx *ic, double end)
{
	const struct famfs_init_config *i = &ic->cfg->init;
	struct famfs_why why = { "" };
	const char *list[FAMFS_MAX_DEVICES];
	unsigned int scanned = 0;
	int rc;
	char u[37];

	for (unsigned int d = 0; d < ic->cfg->ndevices; d++)
		list[d] = ic->cfg->devices[d];
	for (;;) {
		rc = i->have_uuid ?
		     famfs_boot_find_uuid(i->device_uuid, list, ic->cfg->ndevices,
					  ic->dev, sizeof(ic->dev), &scanned, &why) :
		     famfs_boot_dev_ready(ic->dev);
		if (!rc)
			return 0;
		if (famfs_uptime() >= end)
			break;
		usleep(20000);
	}
	if (i->have_uuid) {
		famfs_uuid_str(i->device_uuid, u);
		return fail(ic, "no device with filesystem UUID %s appeared within %u s: %s",
			    u, i->probe_timeout, why.msg), -ENODEV;
	}
	if (rc == -ENOENT)
		return fail(ic, "device %s did not appear within %u s", ic->dev,
			    i->probe_timeout), rc;
	return fail(ic, "device %s cannot be opened after %u s: %s", ic->dev,
		    i->probe_timeout, strerror(-rc)), rc;
}

static enum famfs_event init_probe(struct famfs_sm *sm)
{
	struct init_ctx *ic = sm->ctx;
	struct famfs_config *c = ic->cfg;
	struct famfs_why why = { "" };
	int bad_config = init_config(ic);
	unsigned int n;

	/* modules even after a bad configuration: the recovery shell then
	 * has the devices */
	if (famfs_boot_load_modules(c->init.modules, &n, &why))
		return fail(ic, "%s", why.msg);
	if (n)
		say(ic, "loaded %u module(s) from %s", n, c->init.modules);
	if (bad_config || export_config(ic))
		return FAMFS_EV_ERROR;
	setenv("FAMFS_SYSTEM_UUID_FILE", c->uuid_file, 1);
	setenv("FAMFS_ROLE", famfs_role_name(c->role), 1);
	if (!c->init.have_uuid && !c->ndevices)
		return fail(ic, "no device configured ([device] path or [init] device_uuid)");
	if (!c->init.have_uuid)
		snprintf(ic->dev, sizeof(ic->dev), "%s", c->devices[0]);
	if (wait_device(ic, famfs_uptime() + c->init.probe_timeout))
		return FAMFS_EV_ERROR;
	say(ic, "device %s", ic->dev);
	return FAMFS_EV_OK;
}

static enum famfs_event init_validate(struct famfs_sm *sm)
{
	struct init_ctx *ic = sm->ctx;
	struct famfs_why why = { "" };
	struct famfs_fs fs;
	int rc = famfs_fs_open(&fs, ic->dev, 0, &why), blank;

	if (!rc) {
		rc = famfs_sb_is_primary(&fs.sb) ? 0 : -ENOTBLK;
		famfs_fs_close(&fs);
		if (rc)
			return fail(ic, "%s: a secondary device; configure its primary",
				    ic->dev);
		return FAMFS_EV_OK;
	}
	blank = famfs_boot_is_blank(ic->dev, &why);
	if (blank < 0)
		return fail(ic, "%s: cannot read: %s", ic->dev, why.msg);
	if (!blank)
		return fail(ic, "%s: no valid famfs superblock: %s", ic->dev, why.msg);
	if (!ic->cfg->init.format)
		return fail(ic, "%s: blank device (no famfs) and [init] format = never",
			    ic->dev);
	say(ic, "%s is blank and [init] format = blank: formatting", ic->dev);
	return FAMFS_EV_BLANK;
}

static enum famfs_event init_format(struct famfs_sm *sm)
{
	struct init_ctx *ic = sm->ctx;
	char loglen[32], au[32];
	const char *args[] = { "mkfs", "-l", loglen, "-a", au, "-M", ic->dev, NULL };
	int rc;

	snprintf(loglen, sizeof(loglen), ic->cfg->log_len ? "%llu" : "auto",
		 (unsigned long long)ic->cfg->log_len);
	snprintf(au, sizeof(au), "%llu", (unsigned long long)ic->cfg->alloc_unit);
	if (!ic->cfg->set_daxmode) {		/* no -M: drop it */
		args[5] = args[6];
		args[6] = NULL;
	}
	rc = run_self(args);
	if (rc)
		return fail(ic, "famfs mkfs %s exited %d", ic->dev, rc);
	return FAMFS_EV_OK;
}

static enum famfs_event init_mount(struct famfs_sm *sm)
{
	struct init_ctx *ic = sm->ctx;
	const char *args[] = { "mount", "--data-path",
			       famfs_datapath_name(ic->cfg->data_path),
			       "-M", ic->dev, ic->cfg->mountpoint, NULL };
	struct famfs_why why = { "" };
	int rc;

	if (famfs_boot_mkdirs(ic->cfg->mountpoint, &why))
		return fail(ic, "%s", why.msg);
	if (!ic->cfg->set_daxmode)		/* no -M: drop it */
		memmove(&args[3], &args[4], 3 * sizeof(args[0]));
	rc = run_self(args);
	if (rc)
		return fail(ic, "famfs mount %s %s exited %d", ic->dev,
			    ic->cfg->mountpoint, rc);
	return FAMFS_EV_OK;
}

/* The state of the server mount started: its replay verdict. */
static void server_state(struct init_ctx *ic)
{
	struct famfs_ctl_req q = { .op = FAMFS_CTL_STATUS };
	struct famfs_why why = { "" };
	struct famfs_ctl_rep *r = calloc(1, sizeof(*r));
	char state[32], cause[FAMFS_WHY_LEN * 2];
	struct famfs_client c;

	if (!r || famfs_client_open(&c, ic->cfg->mountpoint, &why)) {
		say(ic, "warning: cannot ask the server its state: %s",
		    r ? why.msg : "out of memory");
		free(r);
		return;
	}
	if (famfs_client_call(&c, &q, r, &why) ||
	    famfs_json_str(r->msg, "state", state, sizeof(state)))
		say(ic, "warning: the server does not say its state: %s", why.msg);
	else if (strcmp(state, "serving"))
		say(ic, "warning: the server is %s (%s): the entries before the damage are served, creates are refused (run famfs fsck %s)",
		    state, famfs_json_str(r->msg, "state_why", cause,
					  sizeof(cause)) ? "?" : cause, ic->dev);
	famfs_client_close(&c);
	free(r);
}

static enum famfs_event init_serve(struct famfs_sm *sm)
{
	struct init_ctx *ic = sm->ctx;
	struct statfs sf;

	if (statfs(ic->cfg->mountpoint, &sf))
		return fail(ic, "%s after famfs mount: %s", ic->cfg->mountpoint,
			    strerror(errno));
	if (sf.f_type != FUSE_SUPER_MAGIC)
		return fail(ic, "%s is not a famfs mount after famfs mount (filesystem type %#lx)",
			    ic->cfg->mountpoint, (unsigned long)sf.f_type);
	server_state(ic);
	say(ic, "serving %s at %s, %.3f s after kernel start", ic->dev,
	    ic->cfg->mountpoint, famfs_uptime());
	return FAMFS_EV_OK;
}

/* Split @cmd at blanks into @argv (no quoting); returns the count. */
static int split_args(char *cmd, char **argv, int max)
{
	int n = 0;

	for (char *p = cmd; *p && n < max - 1; ) {
		while (*p == ' ' || *p == '\t')
			*p++ = 0;
		if (!*p)
			break;
		argv[n++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
	}
	argv[n] = NULL;
	return n;
}

/* A shell on the console; @recovery: after a failure (then a reboot). */
static int run_shell(struct init_ctx *ic, const char *why, int recovery)
{
	char shell[] = SHELL, *argv[] = { shell, NULL };
	pid_t pid;
	int rc;

	setenv("PS1", recovery ? "famfs-recovery# " : "famfs# ", 1);
	say(ic, "%s: %s on the console (famfs status, famfs fsck %s; exit to %s)",
	    why, SHELL, ic->dev[0] ? ic->dev : "DEVICE",
	    recovery ? "reboot" :
	    ic->cfg->init.on_exit == FAMFS_EXIT_REBOOT ? "reboot" : "power off");
	pid = spawn(argv, 1);
	rc = pid < 0 ? -1 : wait_child(pid);
	say(ic, "%s exited %d", why, rc);
	return rc;
}

/* Run the payload (or a shell) and wait; then [init] on_exit. */
static enum famfs_event run_payload(struct init_ctx *ic)
{
	char cmd[FAMFS_CFG_PATH], *argv[MAX_ARGS];
	int rc;

	if (!ic->cfg->init.payload[0]) {
		run_shell(ic, "no payload configured: shell", 0);
		return FAMFS_EV_DONE;
	}
	snprintf(cmd, sizeof(cmd), "%s", ic->cfg->init.payload);
	if (!split_args(cmd, argv, MAX_ARGS))
		return fail(ic, "[init] payload is empty");
	if (access(argv[0], X_OK))
		return fail(ic, "payload %s: %s", argv[0], strerror(errno));
	say(ic, "payload %s", ic->cfg->init.payload);
	rc = run(argv);
	say(ic, "payload exited %d; [init] on_exit = %s", rc,
	    famfs_on_exit_name(ic->cfg->init.on_exit));
	if (ic->cfg->init.on_exit == FAMFS_EXIT_SHELL)
		run_shell(ic, "on_exit shell", 0);
	return FAMFS_EV_DONE;
}

/*
 * Is @path an executable file of the tree at @top, resolved as it will be
 * once @top is the root?  A distribution's /sbin/init is a symlink with an
 * absolute target (Debian: /lib/systemd/systemd), which names nothing
 * when resolved from the initramfs's own root; RESOLVE_IN_ROOT makes "/"
 * and ".." of every link stop at @top.  A kernel without openat2 (before
 * 5.6) gets the plain check.  Returns 0 or -errno.
 */
static int tree_executable(const char *top, const char *path)
{
	struct open_how how = {
		.flags = O_PATH | O_CLOEXEC,
		.resolve = RESOLVE_IN_ROOT,
	};
	char full[4 * PATH_MAX + 4];
	struct stat st;
	int dfd, fd, err = 0;

	dfd = open(top, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -errno;
	fd = syscall(SYS_openat2, dfd, path, &how, sizeof(how));
	if (fd < 0 && errno == ENOSYS) {
		close(dfd);
		snprintf(full, sizeof(full), "%s%s", top, path);
		return access(full, X_OK) ? -errno : 0;
	}
	if (fd < 0)
		err = -errno;
	else if (fstat(fd, &st))
		err = -errno;
	else if (!S_ISREG(st.st_mode) || !(st.st_mode & 0111))
		err = -EACCES;
	if (fd >= 0)
		close(fd);
	close(dfd);
	return err;
}

/* overlayfs over the famfs tree, switch_root, exec the tree's init. */
static enum famfs_event switch_root(struct init_ctx *ic)
{
	const struct famfs_init_config *i = &ic->cfg->init;
	const char *binds[] = { "/dev", "/proc", "/sys" };
	const char *moves[] = { ic->cfg->mountpoint };
	char lower[2 * PATH_MAX + 2];
	struct famfs_why why = { "" };
	const char *rel = i->root;
	int err;

	while (*rel == '/')
		rel++;
	snprintf(lower, sizeof(lower), "%s/%s", ic->cfg->mountpoint, rel);
	err = tree_executable(lower, i->root_init);
	if (err)
		return fail(ic, "root tree %s: no executable %s (%s)", lower,
			    i->root_init, strerror(-err));
	if (famfs_boot_overlay(lower, &why))
		return fail(ic, "%s", why.msg);
	say(ic, "root: overlayfs of famfs %s (read only) and tmpfs; switch_root, exec %s",
	    lower, i->root_init);
	if (famfs_boot_switch_root(binds, 3, moves, 1, &why))
		return fail(ic, "switch_root: %s", why.msg);
	unsetenv("FAMFS_CONFIG");	/* the old root's copy is gone */
	execl(i->root_init, i->root_init, (char *)NULL);
	return fail(ic, "cannot exec %s in the new root: %s", i->root_init,
		    strerror(errno));
}

static enum famfs_event init_handoff(struct famfs_sm *sm)
{
	struct init_ctx *ic = sm->ctx;

	setenv("FAMFS_DEVICE", ic->dev, 1);
	setenv("FAMFS_MOUNT", ic->cfg->mountpoint, 1);
	if (ic->cfg->init.root[0])
		return switch_root(ic);
	return run_payload(ic);
}

/* What a human needs first: where it stopped, why, what fsck says. */
static enum famfs_event init_failed(struct famfs_sm *sm)
{
	struct init_ctx *ic = sm->ctx;
	const char *args[] = { "fsck", ic->dev, NULL };
	int rc;

	say(ic, "FAILED in state %s: %s",
	    famfs_sm_state_name(sm->def, sm->prev),
	    ic->cause[0] ? ic->cause : "unknown cause");
	if (ic->dev[0] && access(ic->dev, F_OK) == 0) {
		say(ic, "fsck report: famfs fsck %s", ic->dev);
		rc = run_self(args);
		say(ic, "famfs fsck %s exited %d", ic->dev, rc);
	} else {
		say(ic, "fsck report: no device to check%s%s",
		    ic->dev[0] ? " (missing: " : "", ic->dev[0] ? ic->dev : "");
	}
	run_shell(ic, "recovery shell", 1);
	return FAMFS_EV_DONE;
}

#define EV(e) FAMFS_SM_EV(e)

static const struct famfs_sm_state init_states[] = {
	[INIT_ST_INIT] = { "init", NULL, NULL, 0, EV(START) },
	[INIT_ST_PROBE] = { "probe", init_probe, NULL, EV(OK) | EV(ERROR), 0 },
	[INIT_ST_VALIDATE] = { "validate", init_validate, NULL,
			       EV(OK) | EV(BLANK) | EV(ERROR), 0 },
	[INIT_ST_FORMAT] = { "format", init_format, NULL, EV(OK) | EV(ERROR), 0 },
	[INIT_ST_MOUNT] = { "mount", init_mount, NULL, EV(OK) | EV(ERROR), 0 },
	[INIT_ST_SERVE] = { "serve", init_serve, NULL, EV(OK) | EV(ERROR), 0 },
	[INIT_ST_HANDOFF] = { "handoff", init_handoff, NULL,
			      EV(DONE) | EV(ERROR), 0 },
	[INIT_ST_FAILED] = { "failed", init_failed, NULL, EV(DONE), 0 },
	[INIT_ST_STOP] = { "stop", NULL, NULL, 0, 0 },
};

_Static_assert(FAMFS_SM_COUNT(init_states) == _INIT_ST_MAX, "init state table");

static const struct famfs_sm_rule init_rules[] = {
	{ INIT_ST_INIT, FAMFS_EV_START, INIT_ST_PROBE },
	{ INIT_ST_PROBE, FAMFS_EV_OK, INIT_ST_VALIDATE },
	{ INIT_ST_VALIDATE, FAMFS_EV_OK, INIT_ST_MOUNT },
	{ INIT_ST_VALIDATE, FAMFS_EV_BLANK, INIT_ST_FORMAT },
	{ INIT_ST_FORMAT, FAMFS_EV_OK, INIT_ST_VALIDATE },
	{ INIT_ST_MOUNT, FAMFS_EV_OK, INIT_ST_SERVE },
	{ INIT_ST_SERVE, FAMFS_EV_OK, INIT_ST_HANDOFF },
	{ INIT_ST_HANDOFF, FAMFS_EV_DONE, INIT_ST_STOP },
	{ INIT_ST_FAILED, FAMFS_EV_DONE, INIT_ST_STOP },
};

const struct famfs_sm_def famfs_init_machine =
	FAMFS_SM_DEF("init", init_states, init_rules, INIT_ST_INIT, INIT_ST_STOP,
		     INIT_ST_FAILED, INIT_ST_STOP);

/* After STOP: power off or reboot; PID 1 never returns. */
static void __attribute__((noreturn)) init_final(struct init_ctx *ic,
						 int failed)
{
	int how = failed || ic->cfg->init.on_exit == FAMFS_EXIT_REBOOT ?
		  RB_AUTOBOOT : RB_POWER_OFF;

	/* without ACPI a power-off only halts; a reboot ends a VM */
	if (how == RB_POWER_OFF && access("/sys/firmware/acpi", F_OK))
		how = RB_AUTOBOOT;
	say(ic, "%s", how == RB_POWER_OFF ? "power off" : "reboot");
	sync();
	reboot(how);
	say(ic, "reboot(2) failed: %s; reaping children", strerror(errno));
	for (;;)
		if (waitpid(-1, NULL, 0) < 0)
			pause();
}

static void pid1_setup(struct init_ctx *ic)
{
	struct famfs_why why = { "" };
	unsigned int n = 0;
	int fd, rc;

	rc = famfs_boot_api_mounts(&n, &why);
	fd = open("/dev/console", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		close(fd);
	}
	ic->kmsg = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
	/* every line, not a rate-limited few (printk.devkmsg= locks it) */
	fd = open("/proc/sys/kernel/printk_devkmsg", O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		/* fails when printk.devkmsg= locked it: then as it says */
		if (write(fd, "on\n", 3) < 0)
			errno = 0;
		close(fd);
	}
	setenv("PATH", "/bin:/sbin:/usr/bin:/usr/sbin", 1);
	setenv("FAMFS_LOG", "kmsg", 1);	/* no syslog here: the console */
	setenv("HOME", "/", 0);
	setenv("TERM", "linux", 0);
	umask(022);
	say(ic, "famfs %s as PID 1, %.3f s after kernel start%s%s",
	    FAMFS_VERSION, famfs_uptime(), rc ? "; " : "", rc ? why.msg : "");
}

enum { OPT_PRINT = FAMFS_OPT_LONG, OPT_CMDLINE };

static const struct option init_lopts[] = {
	{ "print-config", no_argument, NULL, OPT_PRINT },
	{ "cmdline", required_argument, NULL, OPT_CMDLINE },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Not PID 1: only --print-config. */
static int init_tool(struct init_ctx *ic, int argc, char **argv)
{
	int opt, print = 0;

	while ((opt = famfs_getopt(argc, argv, init_lopts)) != -1) {
		switch (opt) {
		case OPT_PRINT: print = 1; break;
		case OPT_CMDLINE: ic->cmdline_file = optarg; break;
		case 'h': case FAMFS_OPT_HELP: fputs(famfs_init_usage, stdout); return 0;
		default: return famfs_bad_option(ic->ctx);
		}
	}
	if (optind < argc)
		return famfs_usage_error(ic->ctx, "unexpected argument '%s'",
					 argv[optind]);
	if (!print) {
		famfs_err(ic->ctx, "must run as PID 1 (the appliance's /init); see --print-config");
		return FAMFS_EXIT_FAIL;
	}
	if (init_config(ic))
		return FAMFS_EXIT_FAIL;
	if (print_config(ic->cfg)) {
		famfs_err(ic->ctx, "out of memory");
		return FAMFS_EXIT_FAIL;
	}
	return 0;
}

int famfs_cmd_init(struct famfs_ctx *ctx, int argc, char **argv)
{
	struct init_ctx ic = { .ctx = ctx, .cfg = &ctx->cfg, .kmsg = -1 };
	struct famfs_sm sm;
	int rc;

	if (getpid() != 1)
		return init_tool(&ic, argc, argv);
	/* PID 1: the kernel's leftover arguments are not ours to judge */
	pid1_setup(&ic);
	famfs_sm_init(&sm, &famfs_init_machine, &ic, sm_log, &ic);
	rc = famfs_sm_run(&sm);
	if (rc && rc != -ECANCELED)
		say(&ic, "state machine: %s", strerror(-rc));
	init_final(&ic, rc != 0);
}
