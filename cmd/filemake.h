/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Making files for creat and cp (filemake.c): the options they share and
 * files and directories made through the mount's control file.
 */
#ifndef FAMFS_CMD_FILEMAKE_H
#define FAMFS_CMD_FILEMAKE_H

#include <stddef.h>
#include <stdint.h>

#define FAMFS_MAX_THREADS	256u	/* -t */

struct famfs_ctx;

struct famfs_make_opts {
	uint32_t mode, uid, gid;
	uint32_t nstrips, nbuckets;	/* interleave when nstrips > 0 */
	uint64_t chunk;
	unsigned int threads;		/* 0: no worker threads */
};

void famfs_make_opts_init(struct famfs_make_opts *o, uint32_t mode);
int famfs_make_opt(const struct famfs_ctx *ctx, int opt, const char *arg,
		   struct famfs_make_opts *o);
int famfs_make_opts_check(const struct famfs_ctx *ctx,
			  const struct famfs_make_opts *o);
int famfs_parse_num(const char *s, int base, uint64_t max, uint64_t *out);
int famfs_parse_seed(const char *s, uint64_t *seed);
int famfs_parse_threads(const struct famfs_ctx *ctx, const char *s,
			unsigned int *threads);
char *famfs_path_join(const char *a, const char *b);

/* The control file of the mount the files go to (opened on first use). */
struct famfs_make_ctl;

struct famfs_make_ctl *famfs_make_ctl_new(void);
void famfs_make_ctl_free(struct famfs_make_ctl *c);
const char *famfs_make_mnt(const struct famfs_make_ctl *c);
void famfs_make_explain(const struct famfs_ctx *ctx, const char *io,
			const char *shown, uint64_t size, int rc,
			const char *msg);
struct famfs_client;
struct famfs_batch;
int famfs_make_flush_if_other(struct famfs_make_ctl *c, const char *path,
			      struct famfs_batch *b);
struct famfs_client *famfs_make_client(struct famfs_make_ctl *c);
int famfs_make_target(const struct famfs_ctx *ctx, struct famfs_make_ctl *c,
		      const char *path, char *rel, size_t rellen);
int famfs_make_file(const struct famfs_ctx *ctx, struct famfs_make_ctl *c,
		    const char *rel, const char *shown, uint64_t size,
		    uint32_t mode, const struct famfs_make_opts *o);
struct famfs_ctl_req;
struct famfs_why;
int famfs_make_request(struct famfs_make_ctl *c, const struct famfs_ctl_req *q,
		       uint64_t *count, struct famfs_why *why);
int famfs_make_dirs(const struct famfs_ctx *ctx, struct famfs_make_ctl *c,
		    const char *rel, const char *shown, uint32_t mode,
		    const struct famfs_make_opts *o);

#endif /* FAMFS_CMD_FILEMAKE_H */
