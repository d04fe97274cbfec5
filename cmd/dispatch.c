// SPDX-License-Identifier: Apache-2.0
/*
 * The dispatcher: global options, argv[0] aliases, the per-command policy
 * (root, umask, configuration) and the stdout check after the command, as
 * git's run_builtin does.  Messages are prefixed with the command's name.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "famfs_fs.h"
#include "famfs_slog.h"

#ifndef FAMFS_VERSION
#define FAMFS_VERSION "0.1"
#endif

static void vmsg(const struct famfs_ctx *ctx, int prio, const char *tag,
		 const char *fmt, va_list ap)
{
	va_list ap2;

	fflush(stdout);
	if (ctx && ctx->cmd)
		fprintf(stderr, "%s %s: %s", ctx->prog, ctx->cmd->name, tag);
	else
		fprintf(stderr, "%s: %s", ctx ? ctx->prog : "famfs", tag);
	va_copy(ap2, ap);
	vfprintf(stderr, fmt, ap2);
	va_end(ap2);
	fputc('\n', stderr);
	if (ctx && ctx->slog)	/* no terminal, or a server: the system log too */
		famfs_slogv(ctx->slog, prio, FAMFS_SLOG_NOECHO, NULL, fmt, ap);
}

/* One line of the system log shown on stderr (a server in the foreground). */
void famfs_logline(const struct famfs_ctx *ctx, int prio, const char *line)
{
	fflush(stdout);
	fprintf(stderr, "%s %s: %s%s\n", ctx->prog,
		ctx->cmd ? ctx->cmd->name : "", prio == LOG_WARNING ?
		"warning: " : "", line);
}

void famfs_err(const struct famfs_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(ctx, LOG_ERR, "", fmt, ap);
	va_end(ap);
}

void famfs_warn(const struct famfs_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(ctx, LOG_WARNING, "warning: ", fmt, ap);
	va_end(ap);
}

/* Worth knowing, not wrong: "famfs mkfs: note: ..." on stderr. */
void famfs_note(const struct famfs_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(ctx, LOG_NOTICE, "note: ", fmt, ap);
	va_end(ap);
}

void famfs_verbose(const struct famfs_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	if (!ctx->verbose)
		return;
	va_start(ap, fmt);
	vmsg(ctx, LOG_DEBUG, "", fmt, ap);
	va_end(ap);
}

/* Print the error and a pointer to help; returns the command's usage code. */
int famfs_usage_error(const struct famfs_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(ctx, LOG_ERR, "", fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try '%s help %s'.\n", ctx->prog, ctx->cmd->name);
	return ctx->cmd->usage_exit;
}

/*
 * The option getopt_long() just refused (opterr is 0): the same words with
 * glibc and musl.  Returns the command's usage exit code.
 */
int famfs_bad_option(const struct famfs_ctx *ctx)
{
	const char *arg = "";

	if (optind > 0 && optind - 1 < ctx->argc && ctx->argv[optind - 1])
		arg = ctx->argv[optind - 1];
	if (optopt && (arg[0] != '-' || arg[1] != '-'))
		return famfs_usage_error(ctx, "bad option '-%c' (unknown, or its value is missing)",
					 optopt);
	return famfs_usage_error(ctx, "bad option '%s' (unknown, or its value is missing)",
				 arg);
}

void famfs_sm_log_cb(void *arg, const char *msg)
{
	famfs_verbose(arg, "%s", msg);
}

const char *famfs_human(uint64_t bytes, char *buf, size_t len)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB" };
	double v = (double)bytes;
	int u = 0;

	while (v >= 1024 && u < 5) {
		v /= 1024;
		u++;
	}
	if (u == 0)
		snprintf(buf, len, "%llu B", (unsigned long long)bytes);
	else
		snprintf(buf, len, "%.1f %s", v, unit[u]);
	return buf;
}

/*
 * The one positional DEVICE after the options, or the first configured
 * [device] path.  Returns 0 or the command's usage exit code.
 */
int famfs_device_arg(const struct famfs_ctx *ctx, int argc, char **argv,
		     const char **path)
{
	if (optind + 1 < argc)
		return famfs_usage_error(ctx, "too many arguments");
	*path = optind < argc ? argv[optind] :
		ctx->cfg.ndevices ? ctx->cfg.devices[0] : NULL;
	if (!*path)
		return famfs_usage_error(ctx, "no device given");
	return 0;
}

/*
 * Where @fs looks for its secondary devices: @extra (command line -D),
 * then famfs.ini [device] path and scan, then (scan_image_dir) the
 * directory of an image-file primary.
 */
int famfs_set_candidates(const struct famfs_ctx *ctx, struct famfs_fs *fs,
			 const char *const *extra, unsigned int n)
{
	const char *pats[FAMFS_MAX_SCAN];
	char scan[FAMFS_CFG_PATH], *save = NULL;
	const struct famfs_config *c = &ctx->cfg;
	unsigned int np = 0;

	for (unsigned int i = 0; i < n && np < FAMFS_MAX_SCAN; i++)
		pats[np++] = extra[i];
	for (unsigned int i = 0; i < c->ndevices && np < FAMFS_MAX_SCAN; i++)
		pats[np++] = c->devices[i];
	memcpy(scan, c->scan, sizeof(scan));
	for (char *p = strtok_r(scan, " \t", &save); p && np < FAMFS_MAX_SCAN;
	     p = strtok_r(NULL, " \t", &save))
		pats[np++] = p;
	return famfs_fs_set_scan(fs, pats, np, c->scan_image_dir);
}

const struct famfs_cmd *famfs_find_cmd(const char *name)
{
	for (unsigned int i = 0; i < famfs_ncommands; i++)
		if (!strcmp(famfs_commands[i].name, name))
			return &famfs_commands[i];
	return NULL;
}

static void main_usage(FILE *f)
{
	fprintf(f, "usage: famfs [-c CONFIG] [-v] COMMAND [ARGS]\n"
		"       famfs help COMMAND | famfs COMMAND -h\n\n"
		"famfs %s: a filesystem for memory that many hosts share.\n\n"
		"Commands:\n", FAMFS_VERSION);
	for (unsigned int i = 0; i < famfs_ncommands; i++)
		fprintf(f, "  %-8s %s\n", famfs_commands[i].name,
			famfs_commands[i].summary);
	fprintf(f, "\nAlso invoked as mkfs.famfs, fsck.famfs, mount.famfs, mount.fuse.famfs\n"
		"and init (famfs init).\n"
		"Global options:\n"
		"  -c, --config FILE  configuration (default %s if present;\n"
		"                     also $FAMFS_CONFIG)\n"
		"  -v, --verbose      show state transitions and detail\n"
		"  -V, --version      print the version\n"
		"      --dryrun       upstream famfs's global flag: accepted, no effect\n"
		"                     (as upstream)\n"
		"  -h, --help         this text (also -?)\n\n"
		"Upstream famfs's commands and flags are accepted: famfs help upstream.\n",
		FAMFS_CONFIG_DEFAULT);
}

int famfs_help_cmd(struct famfs_ctx *ctx, int argc, char **argv)
{
	const struct famfs_cmd *c;

	if (argc < 2) {
		main_usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "upstream")) {
		fputs(famfs_upstream_help, stdout);
		return 0;
	}
	c = famfs_find_cmd(argv[1]);
	if (!c) {
		famfs_err(ctx, "unknown command '%s'", argv[1]);
		return FAMFS_EXIT_USAGE;
	}
	fputs(c->usage, stdout);
	return 0;
}

static int load_config(struct famfs_ctx *ctx)
{
	const char *path = ctx->config_path;
	struct famfs_why why = { "" };

	famfs_config_defaults(&ctx->cfg);
	if (!path)
		path = getenv("FAMFS_CONFIG");
	if (!path && access(FAMFS_CONFIG_DEFAULT, F_OK) == 0)
		path = FAMFS_CONFIG_DEFAULT;
	if (path && famfs_config_load(&ctx->cfg, path, &why)) {
		famfs_err(ctx, "%s: %s", path, why.msg);
		return -EINVAL;
	}
	if (famfs_config_env(&ctx->cfg, &why)) {
		famfs_err(ctx, "environment: %s", why.msg);
		return -EINVAL;
	}
	return 0;
}

static int run_cmd(struct famfs_ctx *ctx, const struct famfs_cmd *c,
		   int argc, char **argv)
{
	int rc;

	ctx->cmd = c;
	if ((c->flags & FAMFS_CMD_NEEDROOT) && geteuid() != 0) {
		famfs_err(ctx, "must be run as root");
		return FAMFS_EXIT_FAIL;
	}
	ctx->umask = (unsigned int)umask(022);
	famfs_config_defaults(&ctx->cfg);
	if ((c->flags & FAMFS_CMD_LOADCFG) && load_config(ctx))
		return c->usage_exit;
	optind = 0;		/* fresh getopt state for the command */
	/* getopt's own messages then name the command: "famfs creat: ..." */
	snprintf(ctx->argv0, sizeof(ctx->argv0), "%s %s", ctx->prog, c->name);
	argv[0] = ctx->argv0;
	ctx->argv = argv;
	ctx->argc = argc;
	opterr = 0;		/* the command words its own option errors */
	/* nobody watches stderr: the system log gets what it says */
	if (!isatty(STDERR_FILENO))
		famfs_syslog_start(ctx, c->name, 0);
	if (c->flags & FAMFS_CMD_MODEENV) {
		rc = famfs_mode_check(ctx);
		if (rc) {
			famfs_syslog_stop(ctx);
			return rc;
		}
	}
	rc = c->fn(ctx, argc, argv);
	famfs_syslog_stop(ctx);
	if (fflush(stdout) || ferror(stdout)) {
		famfs_err(ctx, "write error on standard output");
		return rc ? rc : FAMFS_EXIT_FAIL;
	}
	return rc;
}

/*
 * mkfs.famfs, fsck.famfs ...: the name before ".famfs" is the command;
 * "init" (the kernel runs /init -> famfs) is famfs init.
 */
static const struct famfs_cmd *alias_cmd(const char *argv0)
{
	const char *base = strrchr(argv0, '/');
	char name[32];
	size_t n;

	base = base ? base + 1 : argv0;
	if (!strcmp(base, "init"))
		return famfs_find_cmd("init");
	n = strlen(base);
	if (n <= 6 || n - 6 >= sizeof(name) ||
	    strcmp(base + n - 6, ".famfs"))
		return NULL;
	memcpy(name, base, n - 6);
	name[n - 6] = 0;
	if (!strcmp(name, "mount.fuse"))	/* mount -t fuse.famfs */
		return famfs_find_cmd("mount");
	return famfs_find_cmd(name);
}

#define OPT_DRYRUN	FAMFS_OPT_LONG

static const struct option main_opts[] = {
	{ "config", required_argument, NULL, 'c' },
	{ "dryrun", no_argument, NULL, OPT_DRYRUN },
	{ "verbose", no_argument, NULL, 'v' },
	{ "version", no_argument, NULL, 'V' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

int famfs_main(int argc, char **argv)
{
	struct famfs_ctx *ctx = calloc(1, sizeof(*ctx));
	const struct famfs_cmd *c = alias_cmd(argv[0]);
	int opt, rc;

	if (!ctx) {
		fputs("famfs: out of memory\n", stderr);
		return FAMFS_EXIT_FAIL;
	}
	ctx->prog = "famfs";
	if (c) {
		ctx->alias = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
		rc = run_cmd(ctx, c, argc, argv);
		free(ctx);
		return rc;
	}
	opterr = 0;		/* a bad global option: the usage says enough */
	while ((opt = famfs_getopt_inorder(argc, argv, main_opts)) != -1) {
		switch (opt) {
		case OPT_DRYRUN:	/* upstream parses it and does nothing */
			break;
		case 'c':
			ctx->config_path = optarg;
			break;
		case 'v':
			ctx->verbose++;
			break;
		case 'V':
			printf("famfs %s\n", FAMFS_VERSION);
			free(ctx);
			return 0;
		case 'h':
		case FAMFS_OPT_HELP:
			main_usage(stdout);
			free(ctx);
			return 0;
		default:
			main_usage(stderr);
			free(ctx);
			return FAMFS_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		main_usage(stderr);
		free(ctx);
		return FAMFS_EXIT_USAGE;
	}
	c = famfs_find_cmd(argv[optind]);
	if (!c) {
		famfs_err(ctx, "unknown command '%s' (see 'famfs help')",
			  argv[optind]);
		free(ctx);
		return FAMFS_EXIT_USAGE;
	}
	rc = run_cmd(ctx, c, argc - optind, argv + optind);
	free(ctx);
	return rc;
}
