/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The threaded fill / verify / copy of file data for creat, cp and verify
 * (dataio.c).
 */
#ifndef FAMFS_CMD_DATAIO_H
#define FAMFS_CMD_DATAIO_H

#include <stddef.h>
#include <stdint.h>

struct famfs_ctx;

enum famfs_dataio_op {
	FAMFS_DATAIO_FILL,		/* write the test data of ->seed */
	FAMFS_DATAIO_VERIFY,		/* compare with it */
	FAMFS_DATAIO_COPY,		/* copy ->src to ->path */
};

struct famfs_dataio_file {
	char *path;			/* the file filled, verified, written */
	char *src;			/* copy: the source */
	uint64_t size, seed;
	int rc;				/* first failure (-errno): */
	const char *what, *err_path;	/*   what failed, on which file */
	uint64_t err_off;		/*   and where */
	uint64_t bad;			/* verify: first bad offset or ~0 */
	int update;			/* copy: write only the chunks that
					 * differ (a file copied before) */
	int tag;			/* the caller's; not used here */
};

size_t famfs_dataio_run(struct famfs_ctx *ctx, enum famfs_dataio_op op,
			struct famfs_dataio_file *f, size_t n,
			unsigned int threads, int show_progress);
void famfs_dataio_report(const struct famfs_ctx *ctx,
			 const struct famfs_dataio_file *f);

#endif /* FAMFS_CMD_DATAIO_H */
