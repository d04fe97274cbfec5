/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Creates sent many at a time (batch.c): cp and creat -M queue their
 * control requests here; a batch goes to the server when it is full or
 * flushed, and each record's outcome comes back to the caller's function.
 */
#ifndef FAMFS_CMD_BATCH_H
#define FAMFS_CMD_BATCH_H

#include <stdint.h>

struct famfs_ctl_req;
struct famfs_make_ctl;

/* What the caller keeps with one record until its outcome is known. */
struct famfs_batch_item {
	char *src;			/* owned; the callback may take it */
	char *dst;			/* owned; the callback may take it */
	uint64_t size;
	int tag;			/* the caller's */
};

/*
 * The outcome of one record: @rc 0 (@made: 1 made, 0 found in place) or
 * -errno with the server's @msg.  Nonzero return: stop, drop the rest.
 */
typedef int (*famfs_batch_fn)(void *arg, struct famfs_batch_item *it,
			      int rc, int made, const char *msg);

struct famfs_batch;

struct famfs_batch *famfs_batch_new(struct famfs_make_ctl *c,
				    famfs_batch_fn fn, void *arg);
int famfs_batch_add(struct famfs_batch *b, const struct famfs_ctl_req *q,
		    const struct famfs_batch_item *it);
int famfs_batch_flush(struct famfs_batch *b);
void famfs_batch_free(struct famfs_batch *b);

#endif /* FAMFS_CMD_BATCH_H */
