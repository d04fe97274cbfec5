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

#define FAMFS_CMD_NEEDROOT	0x1	/* refuse unless euid 0 */
#define FAMFS_CMD_LOADCFG	0x2	/* load famfs.ini before running */

/* Exit codes of the non-fsck commands */
#define FAMFS_EXIT_OK		0
#define FAMFS_EXIT_FAIL		1
#define FAMFS_EXIT_USAGE	2

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
void famfs_uuid_str(const uint8_t u[16], char out[37]);
int famfs_main(int argc, char **argv);
const struct famfs_cmd *famfs_find_cmd(const char *name);
int famfs_device_arg(const struct famfs_ctx *ctx, int argc, char **argv,
		     const char **path);
struct famfs_fs;
int famfs_set_candidates(const struct famfs_ctx *ctx, struct famfs_fs *fs,
			 const char *const *extra, unsigned int n);
int famfs_help_cmd(struct famfs_ctx *ctx, int argc, char **argv);
int famfs_load_hostid(struct famfs_ctx *ctx, int create, uint8_t uuid[16]);

int famfs_cmd_mkfs(struct famfs_ctx *ctx, int argc, char **argv);
int famfs_cmd_fsck(struct famfs_ctx *ctx, int argc, char **argv);
int famfs_cmd_mount(struct famfs_ctx *ctx, int argc, char **argv);
int famfs_cmd_creat(struct famfs_ctx *ctx, int argc, char **argv);
int famfs_cmd_cp(struct famfs_ctx *ctx, int argc, char **argv);
int famfs_cmd_verify(struct famfs_ctx *ctx, int argc, char **argv);
/* cmd/filedata.c: what creat, cp and verify share */
struct famfs_fd_opts {
	uint32_t mode, uid, gid;
	uint32_t nstrips, nbuckets;	/* interleave when nstrips > 0 */
	uint64_t chunk;
	unsigned int threads;		/* 0: no worker threads */
};
enum famfs_fd_op { FAMFS_FD_FILL, FAMFS_FD_VERIFY, FAMFS_FD_COPY };
struct famfs_fd_file {
	char *path;			/* the file filled, verified, written */
	char *src;			/* copy: the source */
	uint64_t size, seed;
	int rc;				/* first failure (-errno): */
	const char *what, *err_path;	/*   what failed, on which file */
	uint64_t err_off;		/*   and where */
	uint64_t bad;			/* verify: first bad offset or ~0 */
};
struct famfs_fd_ctl;
void famfs_fd_opts_init(struct famfs_fd_opts *o, uint32_t mode);
int famfs_fd_opt(const struct famfs_ctx *ctx, int opt, const char *arg,
		 struct famfs_fd_opts *o);
int famfs_fd_opts_check(const struct famfs_ctx *ctx,
			const struct famfs_fd_opts *o);
int famfs_fd_parse_num(const char *s, int base, uint64_t max, uint64_t *out);
int famfs_fd_parse_seed(const char *s, uint64_t *seed);
int famfs_fd_parse_threads(const struct famfs_ctx *ctx, const char *s,
			   unsigned int *threads);
char *famfs_fd_join(const char *a, const char *b);
struct famfs_fd_ctl *famfs_fd_ctl_new(void);
void famfs_fd_ctl_free(struct famfs_fd_ctl *c);
const char *famfs_fd_mnt(const struct famfs_fd_ctl *c);
int famfs_fd_target(const struct famfs_ctx *ctx, struct famfs_fd_ctl *c,
		    const char *path, char *rel, size_t rellen);
int famfs_fd_create(const struct famfs_ctx *ctx, struct famfs_fd_ctl *c,
		    const char *rel, const char *shown, uint64_t size,
		    uint32_t mode, const struct famfs_fd_opts *o);
int famfs_fd_mkdirs(const struct famfs_ctx *ctx, struct famfs_fd_ctl *c,
		    const char *rel, const char *shown, uint32_t mode,
		    const struct famfs_fd_opts *o);
size_t famfs_fd_run(struct famfs_ctx *ctx, enum famfs_fd_op op,
		    struct famfs_fd_file *f, size_t n, unsigned int threads,
		    int show_progress);
void famfs_fd_report(const struct famfs_ctx *ctx,
		     const struct famfs_fd_file *f);
int famfs_cmd_mkdir(struct famfs_ctx *ctx, int argc, char **argv);
int famfs_cmd_getmap(struct famfs_ctx *ctx, int argc, char **argv);
int famfs_cmd_clone(struct famfs_ctx *ctx, int argc, char **argv);
int famfs_cmd_flush(struct famfs_ctx *ctx, int argc, char **argv);
int famfs_cmd_chkread(struct famfs_ctx *ctx, int argc, char **argv);
int famfs_cmd_logplay(struct famfs_ctx *ctx, int argc, char **argv);
int famfs_cmd_status(struct famfs_ctx *ctx, int argc, char **argv);
int famfs_cmd_devadd(struct famfs_ctx *ctx, int argc, char **argv);
int famfs_cmd_init(struct famfs_ctx *ctx, int argc, char **argv);
/* cmd/status.c: one request to a server; reading its JSON replies */
struct famfs_ctl_req;
struct famfs_ctl_rep;
int famfs_ctl_request(const char *mnt, const struct famfs_ctl_req *q,
		      struct famfs_ctl_rep *r, struct famfs_why *why);
const char *famfs_json_value(const char *js, const char *key);
int famfs_json_u64(const char *js, const char *key, uint64_t *val);
int famfs_json_str(const char *js, const char *key, char *out, size_t len);

extern const char famfs_mkfs_usage[];
extern const char famfs_fsck_usage[];
extern const char famfs_mount_usage[];
extern const char famfs_creat_usage[];
extern const char famfs_cp_usage[];
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

#endif /* FAMFS_CLI_H */
