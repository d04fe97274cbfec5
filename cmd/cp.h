/* SPDX-License-Identifier: Apache-2.0 */
/* famfs cp: what cp.c and its archive mode (cp_archive.c) share. */
#ifndef FAMFS_CMD_CP_H
#define FAMFS_CMD_CP_H

#include <stddef.h>
#include <sys/stat.h>

#include "dataio.h"
#include "filemake.h"

struct famfs_ctx;
struct cpa_links;
struct famfs_batch;
struct famfs_batch_item;

/* What a queued create is, for its outcome (cp_done) */
enum { CPB_DIR, CPB_FILE, CPB_NODE, CPB_AFILE, CPB_XATTR };

struct cp_ctx {
	struct famfs_ctx *ctx;
	struct famfs_make_opts o;
	int recursive, single, compare;
	int archive;			/* -a */
	int no_target_dir;		/* -T: DEST is the copy itself */
	int uid_set, gid_set;		/* -u, -g given */
	int stop;			/* no room: copy nothing more */
	char **srcs;
	int nsrc;
	const char *dest;
	struct famfs_make_ctl *c;
	struct famfs_dataio_file *f;	/* files to copy */
	size_t n, cap;
	size_t errors;
	size_t nodes;			/* -a: names made or found in place */
	struct cpa_links *links;	/* -a: sources with several names */
	struct famfs_ctl_req *q;	/* -a: the request being built */
	struct famfs_batch *b;		/* creates queued, sent many at once */
};

void famfs_cp_err(struct cp_ctx *cp, const char *path, const char *why);
int famfs_cp_fatal(int rc);
int famfs_cp_add_copy(struct cp_ctx *cp, const char *src, char *dst,
		      uint64_t size);
int famfs_cp_queue(struct cp_ctx *cp, const struct famfs_ctl_req *q,
		   const char *src, const char *dst, uint64_t size, int kind);
/* cp_archive.c */
int famfs_cpa_node(struct cp_ctx *cp, const char *src, const char *rel,
		   const struct stat *st);
void famfs_cpa_after_data(struct cp_ctx *cp);
void famfs_cpa_free(struct cp_ctx *cp);
int famfs_cp_symlink(struct cp_ctx *cp, const char *src, const char *rel,
		     const struct stat *st);

#endif /* FAMFS_CMD_CP_H */
