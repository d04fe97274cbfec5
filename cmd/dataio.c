// SPDX-License-Identifier: Apache-2.0
/*
 * The fan-out that fills (with test data of a seed), verifies (against
 * it) or copies the data of many files with a pool of threads, for creat,
 * cp and verify.
 *
 * Data always moves through the mount with pread()/pwrite() (on a famfs
 * DAX kernel the same calls go straight to memory), in bounded buffers:
 * files are cut into segments, workers claim segments, and each worker
 * owns one DATAIO_BUF buffer.  Because the test-data stream can be
 * produced at any offset (famfs_prng.h), segments are independent.
 */
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "dataio.h"
#include "famfs_prng.h"

#define DATAIO_BUF	(1u << 20)	/* per-worker I/O buffer */
#define DATAIO_SEG_MAX	(64ull << 20)	/* largest segment a worker claims */
#define DATAIO_TICK_NS	100000000ll	/* progress: at most 10 lines/s */

struct dataio_run {
	struct famfs_ctx *ctx;
	enum famfs_dataio_op op;
	struct famfs_dataio_file *f;
	size_t n;
	uint64_t seg;			/* segment size */
	uint64_t total;			/* bytes of all files */
	uint64_t done;			/* bytes finished (atomic) */
	int progress;			/* show progress on stderr */
	struct timespec last;		/* last progress line */
	pthread_mutex_t lock;		/* protects the fields below and
					 * ->rc, ->bad of every file */
	pthread_cond_t cond;		/* a worker finished */
	size_t next;			/* file of the next segment */
	uint64_t next_off;		/* offset of the next segment */
	unsigned int running;		/* workers not finished */
};

/* Record the first failure of @f (under ->lock). */
static void file_fail(struct dataio_run *r, struct famfs_dataio_file *f, int rc,
		      const char *what, const char *path, uint64_t off)
{
	pthread_mutex_lock(&r->lock);
	if (!f->rc) {
		f->rc = rc;
		f->what = what;
		f->err_path = path;
		f->err_off = off;
	}
	pthread_mutex_unlock(&r->lock);
}

static void file_bad(struct dataio_run *r, struct famfs_dataio_file *f, uint64_t bad)
{
	pthread_mutex_lock(&r->lock);
	if (bad < f->bad)
		f->bad = bad;
	pthread_mutex_unlock(&r->lock);
}

/* Is there nothing left to do in @f from @off on?  (under ->lock) */
static int file_done(const struct dataio_run *r, const struct famfs_dataio_file *f,
		     uint64_t off)
{
	return f->rc || off >= f->size ||
	       (r->op == FAMFS_DATAIO_VERIFY && f->bad <= off);
}

/* Claim the next segment: file *@i, [@off, @off + @len).  0 when none. */
static int claim(struct dataio_run *r, size_t *i, uint64_t *off, uint64_t *len)
{
	int got = 0;

	pthread_mutex_lock(&r->lock);
	while (r->next < r->n && !got) {
		struct famfs_dataio_file *f = &r->f[r->next];

		if (file_done(r, f, r->next_off)) {
			r->next++;
			r->next_off = 0;
			continue;
		}
		*i = r->next;
		*off = r->next_off;
		*len = f->size - *off < r->seg ? f->size - *off : r->seg;
		r->next_off += *len;
		got = 1;
	}
	pthread_mutex_unlock(&r->lock);
	return got;
}

static double elapsed_ns(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) * 1e9 +
	       (double)(b->tv_nsec - a->tv_nsec);
}

/* One progress line, at most every DATAIO_TICK_NS unless @final. */
static void progress(struct dataio_run *r, int final)
{
	uint64_t done = __atomic_load_n(&r->done, __ATOMIC_RELAXED);
	char a[32], b[32];
	struct timespec now;

	if (!r->progress)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (!final && elapsed_ns(&r->last, &now) < DATAIO_TICK_NS)
		return;
	r->last = now;
	fprintf(stderr, "\r%s %s: %s / %s (%d%%)   %s", r->ctx->prog,
		r->ctx->cmd->name, famfs_human(done, a, sizeof(a)),
		famfs_human(r->total, b, sizeof(b)),
		r->total ? (int)(done * 100 / r->total) : 100,
		final ? "\n" : "");
}

static ssize_t io_full(int fd, void *buf, size_t len, uint64_t off, int wr)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = wr ? pwrite(fd, (char *)buf + done, len - done,
					(off_t)(off + done))
			       : pread(fd, (char *)buf + done, len - done,
				       (off_t)(off + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		done += (size_t)n;
	}
	return (ssize_t)done;
}

struct seg_io {
	int src, dst;			/* -1 when unused */
};

/* Move one chunk of a segment; 0 or -errno after recording it. */
static int chunk_io(struct dataio_run *r, struct famfs_dataio_file *f,
		    const struct seg_io *s, uint8_t *buf, uint64_t off,
		    size_t len)
{
	ssize_t n;
	uint64_t bad;

	if (r->op == FAMFS_DATAIO_FILL) {
		famfs_prng_fill(f->seed, off, buf, len);
	} else {
		n = io_full(r->op == FAMFS_DATAIO_COPY ? s->src : s->dst, buf, len,
			    off, 0);
		if (n != (ssize_t)len) {
			file_fail(r, f, n < 0 ? (int)n : -ENODATA, "read",
				  r->op == FAMFS_DATAIO_COPY ? f->src : f->path,
				  off + (n > 0 ? (uint64_t)n : 0));
			return -EIO;
		}
		if (r->op == FAMFS_DATAIO_VERIFY) {
			if (famfs_prng_check(f->seed, off, buf, len, &bad)) {
				file_bad(r, f, bad);
				return -EILSEQ;
			}
			return 0;
		}
		/* the same bytes are there already: no write (none to undo) */
		if (f->update && io_full(s->dst, buf + DATAIO_BUF, len, off, 0) ==
		    (ssize_t)len && !memcmp(buf, buf + DATAIO_BUF, len))
			return 0;
	}
	n = io_full(s->dst, buf, len, off, 1);
	if (n != (ssize_t)len) {
		file_fail(r, f, n < 0 ? (int)n : -ENOSPC, "write", f->path,
			  off + (n > 0 ? (uint64_t)n : 0));
		return -EIO;
	}
	return 0;
}

static int seg_open(struct dataio_run *r, struct famfs_dataio_file *f,
		    struct seg_io *s)
{
	int wr = r->op != FAMFS_DATAIO_VERIFY;

	s->src = -1;
	s->dst = open(f->path, (!wr ? O_RDONLY : f->update ? O_RDWR : O_WRONLY) |
		      O_CLOEXEC);
	if (s->dst < 0) {
		file_fail(r, f, -errno, "cannot open", f->path, 0);
		return -1;
	}
	if (r->op != FAMFS_DATAIO_COPY)
		return 0;
	s->src = open(f->src, O_RDONLY | O_CLOEXEC);
	if (s->src < 0) {
		file_fail(r, f, -errno, "cannot open", f->src, 0);
		close(s->dst);
		return -1;
	}
	return 0;
}

static void do_segment(struct dataio_run *r, struct famfs_dataio_file *f,
		       uint64_t off, uint64_t len, uint8_t *buf, int inline_)
{
	struct seg_io s;

	if (seg_open(r, f, &s))
		return;
	while (len) {
		size_t c = len < DATAIO_BUF ? (size_t)len : DATAIO_BUF;

		if (chunk_io(r, f, &s, buf, off, c))
			break;
		off += c;
		len -= c;
		__atomic_add_fetch(&r->done, c, __ATOMIC_RELAXED);
		if (inline_)
			progress(r, 0);
	}
	if (s.src >= 0)
		close(s.src);
	if (close(s.dst) && r->op != FAMFS_DATAIO_VERIFY)
		file_fail(r, f, -errno, "write", f->path, off);
}

static void work(struct dataio_run *r, int inline_)
{
	uint8_t *buf = malloc(2 * DATAIO_BUF);	/* the second half: update */
	uint64_t off, len;
	size_t i;

	while (claim(r, &i, &off, &len)) {
		if (buf)
			do_segment(r, &r->f[i], off, len, buf, inline_);
		else
			file_fail(r, &r->f[i], -ENOMEM, "out of memory",
				  r->f[i].path, off);
	}
	free(buf);
}

static void *worker(void *arg)
{
	struct dataio_run *r = arg;

	work(r, 0);
	pthread_mutex_lock(&r->lock);
	r->running--;
	pthread_cond_signal(&r->cond);
	pthread_mutex_unlock(&r->lock);
	return NULL;
}

/* Wait for the workers, drawing progress meanwhile. */
static void wait_workers(struct dataio_run *r)
{
	struct timespec until;

	pthread_mutex_lock(&r->lock);
	while (r->running) {
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += DATAIO_TICK_NS;
		if (until.tv_nsec >= 1000000000) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&r->cond, &r->lock, &until);
		pthread_mutex_unlock(&r->lock);
		progress(r, 0);
		pthread_mutex_lock(&r->lock);
	}
	pthread_mutex_unlock(&r->lock);
}

/* Start up to @want workers; returns how many started. */
static unsigned int start_workers(struct dataio_run *r, pthread_t *tid,
				  unsigned int want)
{
	unsigned int k;

	for (k = 0; k < want; k++) {
		pthread_mutex_lock(&r->lock);
		r->running++;
		pthread_mutex_unlock(&r->lock);
		if (pthread_create(&tid[k], NULL, worker, r)) {
			pthread_mutex_lock(&r->lock);
			r->running--;
			pthread_mutex_unlock(&r->lock);
			break;
		}
	}
	return k;
}

/* Segment size: about four segments per thread, in whole buffers. */
static void plan(struct dataio_run *r, unsigned int threads, uint64_t *nseg)
{
	uint64_t seg;

	r->total = 0;
	for (size_t i = 0; i < r->n; i++)
		r->total += r->f[i].size;
	seg = threads ? r->total / ((uint64_t)threads * 4) : DATAIO_SEG_MAX;
	seg = (seg + DATAIO_BUF - 1) / DATAIO_BUF * DATAIO_BUF;
	r->seg = seg < DATAIO_BUF ? DATAIO_BUF : seg > DATAIO_SEG_MAX ? DATAIO_SEG_MAX : seg;
	*nseg = 0;
	for (size_t i = 0; i < r->n; i++)
		*nseg += (r->f[i].size + r->seg - 1) / r->seg;
}

/*
 * Fill (with each file's seed), verify (against it) or copy (from ->src)
 * the @n files of @f with @threads workers (0: in this thread).  Failures
 * are left in each file's ->rc and mismatches in ->bad, for the command to
 * report.  Returns the number of files that failed or mismatched.
 */
size_t famfs_dataio_run(struct famfs_ctx *ctx, enum famfs_dataio_op op,
			struct famfs_dataio_file *f, size_t n, unsigned int threads,
			int show_progress)
{
	struct dataio_run r = { .ctx = ctx, .op = op, .f = f, .n = n,
			    .progress = show_progress };
	pthread_t *tid = NULL;
	uint64_t nseg;
	unsigned int started = 0;
	size_t bad = 0;

	pthread_mutex_init(&r.lock, NULL);
	pthread_cond_init(&r.cond, NULL);
	clock_gettime(CLOCK_MONOTONIC, &r.last);
	for (size_t i = 0; i < n; i++)
		f[i].bad = UINT64_MAX;
	plan(&r, threads, &nseg);
	if (threads > nseg)
		threads = (unsigned int)nseg;
	if (threads > 1)
		tid = calloc(threads, sizeof(*tid));
	if (tid)
		started = start_workers(&r, tid, threads);
	if (started) {
		wait_workers(&r);
		for (unsigned int k = 0; k < started; k++)
			pthread_join(tid[k], NULL);
	}
	work(&r, 1);			/* no pool, or whatever is left */
	if (r.total)
		progress(&r, 1);
	free(tid);
	pthread_cond_destroy(&r.cond);
	pthread_mutex_destroy(&r.lock);
	for (size_t i = 0; i < n; i++)
		bad += f[i].rc || f[i].bad != UINT64_MAX;
	return bad;
}

/* Report the I/O failure of @f left by famfs_dataio_run(), if any. */
void famfs_dataio_report(const struct famfs_ctx *ctx,
			 const struct famfs_dataio_file *f)
{
	const char *cause = f->rc == -ENODATA ? "unexpected end of file" :
			    f->rc == -ENXIO ? "No such device or address (a device of this file is not found on this host: see famfs status)" :
			    strerror(-f->rc);

	if (!f->rc)
		return;
	if (!strcmp(f->what, "cannot open") || !strcmp(f->what, "out of memory"))
		famfs_err(ctx, "%s: %s: %s", f->err_path, f->what, cause);
	else
		famfs_err(ctx, "%s: %s error at offset %" PRIu64 ": %s",
			  f->err_path, f->what, f->err_off, cause);
}
