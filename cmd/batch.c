// SPDX-License-Identifier: Apache-2.0
/*
 * The CLI's side of BATCH control requests: records are queued with the
 * caller's item, a full batch is sent, and each record's outcome is
 * handed back in order.  When the server stops at a failed record, the
 * records after it are sent again (unless the caller says stop).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "batch.h"
#include "famfs_client.h"
#include "filemake.h"

struct famfs_batch {
	struct famfs_make_ctl *c;
	famfs_batch_fn fn;
	void *arg;
	int stopped;			/* the caller said stop */
	uint32_t max;			/* records a batch (FAMFS_BATCH_MAX) */
	uint32_t n;			/* records queued */
	struct famfs_batch_item it[FAMFS_CTL_BATCH_MAX];
	uint8_t buf[FAMFS_CTL_BATCH_LEN];
};

struct famfs_batch *famfs_batch_new(struct famfs_make_ctl *c,
				    famfs_batch_fn fn, void *arg)
{
	struct famfs_batch *b = malloc(sizeof(*b));

	if (!b)
		return NULL;
	b->c = c;
	b->fn = fn;
	b->arg = arg;
	b->stopped = 0;
	b->n = 0;
	b->max = FAMFS_CTL_BATCH_MAX;
	/* tests: smaller batches, to stop a copy between two */
	if (getenv("FAMFS_BATCH_MAX")) {
		long m = strtol(getenv("FAMFS_BATCH_MAX"), NULL, 10);

		b->max = m >= 1 && m < FAMFS_CTL_BATCH_MAX ? (uint32_t)m :
			 FAMFS_CTL_BATCH_MAX;
	}
	famfs_ctl_batch_init(b->buf);
	return b;
}

static void item_free(struct famfs_batch_item *it)
{
	free(it->src);
	free(it->dst);
	it->src = it->dst = NULL;
}

/* Hand records [0, @k) their outcome and forget them. */
static void settle(struct famfs_batch *b, uint32_t k, int rc, const char *msg)
{
	size_t len = rc ? 0 : famfs_ctl_batch_made_len(msg);

	for (uint32_t i = 0; i < k; i++) {
		int made = rc ? 0 : famfs_ctl_batch_made(msg, len, i);

		if (!b->stopped && b->fn(b->arg, &b->it[i], rc,
					 made < 0 ? 1 : made, msg))
			b->stopped = 1;
		item_free(&b->it[i]);
	}
	memmove(b->it, b->it + k, (b->n - k) * sizeof(b->it[0]));
	b->n -= k;
	famfs_ctl_batch_drop(b->buf, k);
}

/* Drop every queued record without sending it. */
static void drop_all(struct famfs_batch *b)
{
	for (uint32_t i = 0; i < b->n; i++)
		item_free(&b->it[i]);
	b->n = 0;
	famfs_ctl_batch_init(b->buf);
}

/*
 * Send what is queued until every record has its outcome.  0, or the
 * -errno of an exchange that failed (every record left is handed it).
 */
int famfs_batch_flush(struct famfs_batch *b)
{
	struct famfs_ctl_rep *r = malloc(sizeof(*r));
	struct famfs_why why = { "" };
	int rc = r ? 0 : -ENOMEM;

	while (!rc && b->n && !b->stopped) {
		const char *msg;
		uint32_t done;

		rc = famfs_client_batch(famfs_make_client(b->c), b->buf, r, &why);
		if (rc)
			break;
		done = r->count < b->n ? (uint32_t)r->count : b->n;
		settle(b, done, 0, r->msg);
		if (!r->err || !b->n)
			continue;
		msg = strchr(r->msg, ' ');
		settle(b, 1, -r->err, msg ? msg + 1 : strerror(r->err));
	}
	if (rc && b->n)
		settle(b, b->n, rc, why.msg[0] ? why.msg : strerror(-rc));
	if (b->stopped)
		drop_all(b);
	free(r);
	return rc;
}

/*
 * Queue @q with @it (whose strings the batch now owns); a full batch is
 * sent first.  0, or -errno of a send that failed, or -ECANCELED once the
 * caller said stop (@it is freed).
 */
int famfs_batch_add(struct famfs_batch *b, const struct famfs_ctl_req *q,
		    const struct famfs_batch_item *it)
{
	int rc = b->n >= b->max ? famfs_batch_flush(b) : 0;

	if (!rc && !b->stopped) {
		rc = famfs_ctl_batch_add(b->buf, sizeof(b->buf), q);
		if (rc == -ENOSPC)
			rc = famfs_batch_flush(b);
		if (!rc && !b->stopped && famfs_ctl_batch_count(b->buf) == b->n)
			rc = famfs_ctl_batch_add(b->buf, sizeof(b->buf), q);
	}
	if (!rc && b->stopped)
		rc = -ECANCELED;
	if (rc) {
		struct famfs_batch_item tmp = *it;

		item_free(&tmp);
		return rc;
	}
	b->it[b->n++] = *it;
	return 0;
}

void famfs_batch_free(struct famfs_batch *b)
{
	if (!b)
		return;
	drop_all(b);
	free(b);
}
