/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Front end shared by the commands: context, messages, the command table
 * type and the dispatcher (cmd/dispatch.c).  Only front-end code includes this.
 */
#ifndef FAMFS_CLI_H
#define FAMFS_CLI_H

#include <stdio.h>

#include "famfs.h"
#include "famfs_config.h"
#include "famfs_exit.h"

#define FAMFS_CMD_NEEDROOT	0x1	/* refuse unless euid 0 */
#define FAMFS_CMD_LOADCFG	0x2	/* load famfs.ini before running */
#define FAMFS_CMD_MODEENV	0x4	/* FAMFS_MODE=v1 refuses it (no flags) */

/* Option values of cmd/opts.c; a command's long-only ones start at LONG */
#define FAMFS_OPT_HELP		0x100	/* -? (and --help where -h is taken) */
#define FAMFS_OPT_FUSE		0x101	/* --fuse where -f means more */
#define FAMFS_OPT_LONG		0x110
#define FAMFS_OPT_SHORTS	96	/* room for a short-option string */
#define FAMFS_MODE_FUSE		1	/* --fuse, FAMFS_MODE=fuse */
#define FAMFS_MODE_V1		2	/* -F/--nofuse, FAMFS_MODE=v1: refused */


struct famfs_ctx;

struct famfs_cmd {
	const char *name;
	int (*fn)(struct famfs_ctx *ctx, int argc, char **argv);
	unsigned int flags;
	const char *summary;
	const char *usage;		/* full help text */
	int usage_exit;			/* exit code of a usage error */
};

struct famfs_ctx {
	const char *prog;		/* "famfs" */
	const char *alias;		/* invoked as mkfs.famfs ...: that name */
	const struct famfs_cmd *cmd;
	int verbose;
	int mode_opt;			/* FAMFS_MODE_* from --fuse/--nofuse */
	const char *config_path;	/* NULL: default, if present */
	unsigned int umask;		/* the caller's, before famfs set 022 */
	char argv0[48];			/* "famfs CMD", as the command's argv[0] */
	char **argv;			/* the command's arguments */
	int argc;
	struct famfs_config cfg;
	struct famfs_slog *slog;	/* the system log, when started */
};

extern const struct famfs_cmd famfs_commands[];
extern const unsigned int famfs_ncommands;

void famfs_err(const struct famfs_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void famfs_warn(const struct famfs_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void famfs_note(const struct famfs_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void famfs_verbose(const struct famfs_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int famfs_usage_error(const struct famfs_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int famfs_bad_option(const struct famfs_ctx *ctx);
void famfs_sm_log_cb(void *arg, const char *msg);
/* cmd/syslog.c: the system log of this process (famfs_slog.h) */
struct famfs_slog;
int famfs_syslog_start(struct famfs_ctx *ctx, const char *name, int echo);
void famfs_syslog_stop(struct famfs_ctx *ctx);
void famfs_logline(const struct famfs_ctx *ctx, int prio, const char *line);
const char *famfs_human(uint64_t bytes, char *buf, size_t len);
int famfs_main(int argc, char **argv);
struct option;
int famfs_getopt(int argc, char **argv, const struct option *lo);
int famfs_getopt_inorder(int argc, char **argv, const struct option *lo);
void famfs_shortopts(const struct option *lo, char *buf, size_t len);
int famfs_show_help(const struct famfs_ctx *ctx);
int famfs_mode_check(const struct famfs_ctx *ctx);
const struct famfs_cmd *famfs_find_cmd(const char *name);
int famfs_device_arg(const struct famfs_ctx *ctx, int argc, char **argv,
		     const char **path);
struct famfs_fs;
struct famfs_fsck;
void famfs_fsck_upstream_report(const struct famfs_fsck *ck, const char *role,
				int human, unsigned int nbuckets);
int famfs_set_candidates(const struct famfs_ctx *ctx, struct famfs_fs *fs,
			 const char *const *extra, unsigned int n);
int famfs_help_cmd(struct famfs_ctx *ctx, int argc, char **argv);
int famfs_set_daxmode(const struct famfs_ctx *ctx, const char *path);
int famfs_dax_mode_note(const struct famfs_ctx *ctx, const char *path);

int famfs_cmd_mkfs(struct famfs_ctx *ctx, int argc, char **argv);
int famfs_cmd_fsck(struct famfs_ctx *ctx, int argc, char **argv);
int famfs_cmd_mount(struct famfs_ctx *ctx, int argc, char **argv);
int famfs_cmd_creat(struct famfs_ctx *ctx, int argc, char **argv);
int famfs_cmd_cp(struct famfs_ctx *ctx, int argc, char **argv);
int famfs_cmd_ln(struct famfs_ctx *ctx, int argc, char **argv);
int famfs_cmd_verify(struct famfs_ctx *ctx, int argc, char **argv);
int famfs_cmd_mkdir(struct famfs_ctx *ctx, int argc, char **argv);
int famfs_cmd_getmap(struct famfs_ctx *ctx, int argc, char **argv);
int famfs_cmd_clone(struct famfs_ctx *ctx, int argc, char **argv);
int famfs_cmd_flush(struct famfs_ctx *ctx, int argc, char **argv);
int famfs_cmd_chkread(struct famfs_ctx *ctx, int argc, char **argv);
int famfs_cmd_logplay(struct famfs_ctx *ctx, int argc, char **argv);
int famfs_cmd_status(struct famfs_ctx *ctx, int argc, char **argv);
int famfs_cmd_devadd(struct famfs_ctx *ctx, int argc, char **argv);
int famfs_cmd_init(struct famfs_ctx *ctx, int argc, char **argv);
int famfs_cmd_mkmeta(struct famfs_ctx *ctx, int argc, char **argv);
int famfs_cmd_check(struct famfs_ctx *ctx, int argc, char **argv);

extern const char famfs_mkfs_usage[];
extern const char famfs_fsck_usage[];
extern const char famfs_mount_usage[];
extern const char famfs_creat_usage[];
extern const char famfs_cp_usage[];
extern const char famfs_ln_usage[];
extern const char famfs_verify_usage[];
extern const char famfs_mkdir_usage[];
extern const char famfs_getmap_usage[];
extern const char famfs_clone_usage[];
extern const char famfs_flush_usage[];
extern const char famfs_chkread_usage[];
extern const char famfs_logplay_usage[];
extern const char famfs_status_usage[];
extern const char famfs_devadd_usage[];
extern const char famfs_init_usage[];
extern const char famfs_mkmeta_usage[];
extern const char famfs_upstream_help[];
extern const char famfs_check_usage[];

#endif /* FAMFS_CLI_H */
