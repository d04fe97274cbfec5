// SPDX-License-Identifier: Apache-2.0
/*
 * What creat, cp and verify share: the options they have in common, files
 * and directories made through the mount's control file, and one fan-out
 * that fills, verifies or copies file data with a pool of threads.
 *
 * Data always moves through the mount with pread()/pwrite() (on a famfs
 * DAX kernel the same calls go straight to memory), in bounded buffers:
 * files are cut into segments, workers claim segments, and each worker
 * owns one FD_BUF buffer.  Because the test-data stream can be produced at
 * any offset (famfs_prng.h), segments are independent.
 */
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "famfs_client.h"
#include "famfs_prng.h"

#define FD_BUF		(1u << 20)	/* per-worker I/O buffer */
#define FD_SEG_MAX	(64ull << 20)	/* largest segment a worker claims */
#define FD_MAX_THREADS	256u
#define FD_MAX_BUCKETS	64u	/* -B: accepted as upstream bounds it */
#define FD_TICK_NS	100000000ll	/* progress: at most 10 lines/s */

/* ----------------------------------------------------------------------
 * Options
 */

static unsigned int nproc(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 1)
		return 1;
	return n > (long)FD_MAX_THREADS ? FD_MAX_THREADS : (unsigned int)n;
}

void famfs_fd_opts_init(struct famfs_fd_opts *o, uint32_t mode)
{
	memset(o, 0, sizeof(*o));
	o->mode = mode;
	o->uid = (uint32_t)geteuid();
	o->gid = (uint32_t)getegid();
	o->chunk = 2ull << 20;
	o->threads = nproc();
}

/* A whole unsigned number in @base (0: C rules) no larger than @max. */
int famfs_fd_parse_num(const char *s, int base, uint64_t max, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (!s || !*s || *s == '-' || *s == '+' || *s == ' ' || *s == '\t')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, base);
	if (errno || *end || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

int famfs_fd_parse_seed(const char *s, uint64_t *seed)
{
	return famfs_fd_parse_num(s, 0, UINT64_MAX, seed);
}

int famfs_fd_parse_threads(const struct famfs_ctx *ctx, const char *s,
			   unsigned int *threads)
{
	uint64_t v;

	if (famfs_fd_parse_num(s, 10, FD_MAX_THREADS, &v))
		return famfs_usage_error(ctx, "bad thread count '%s' (0..%u)",
					 s, FD_MAX_THREADS);
	*threads = (unsigned int)v;
	return 0;
}

static int parse_id(const struct famfs_ctx *ctx, const char *what,
		    const char *s, uint32_t *id)
{
	uint64_t v;

	if (famfs_fd_parse_num(s, 10, UINT32_MAX - 1, &v))
		return famfs_usage_error(ctx, "bad %s '%s': a number is needed",
					 what, s);
	*id = (uint32_t)v;
	return 0;
}

static int parse_layout(const struct famfs_ctx *ctx, int opt, const char *s,
			struct famfs_fd_opts *o)
{
	uint64_t v;

	if (opt == 'C') {
		if (famfs_parse_size(s, &v) || v < 4096 || (v & (v - 1)))
			return famfs_usage_error(ctx, "bad chunk size '%s': a power of two of at least 4K",
						 s);
		o->chunk = v;
	} else if (opt == 'N') {
		if (famfs_fd_parse_num(s, 10, FAMFS_MAX_STRIPS, &v))
			return famfs_usage_error(ctx, "bad strip count '%s' (0..%u)",
						 s, FAMFS_MAX_STRIPS);
		o->nstrips = (uint32_t)v;
	} else {
		if (famfs_fd_parse_num(s, 10, FD_MAX_BUCKETS, &v) || !v)
			return famfs_usage_error(ctx, "bad bucket count '%s' (1..%u)",
						 s, FD_MAX_BUCKETS);
		o->nbuckets = (uint32_t)v;
	}
	return 0;
}

/*
 * The options creat and cp share: -m -u -g -t -N -B -C.  Returns 0 when
 * @opt was one of them, -1 when it is not, or the usage exit code.
 */
int famfs_fd_opt(const struct famfs_ctx *ctx, int opt, const char *arg,
		 struct famfs_fd_opts *o)
{
	uint64_t v;

	switch (opt) {
	case 'm':
		if (famfs_fd_parse_num(arg, 8, 07777, &v))
			return famfs_usage_error(ctx, "bad mode '%s': octal, at most 7777",
						 arg);
		o->mode = (uint32_t)v;
		return 0;
	case 'u':
		return parse_id(ctx, "uid", arg, &o->uid);
	case 'g':
		return parse_id(ctx, "gid", arg, &o->gid);
	case 't':
		return famfs_fd_parse_threads(ctx, arg, &o->threads);
	case 'N':
	case 'B':
	case 'C':
		return parse_layout(ctx, opt, arg, o);
	}
	return -1;
}

/* Checks across options, once all are parsed. */
int famfs_fd_opts_check(const struct famfs_ctx *ctx,
			const struct famfs_fd_opts *o)
{
	if (o->nbuckets && o->nbuckets < o->nstrips)
		return famfs_usage_error(ctx, "-B/--nbuckets (%u) must be at least -N/--nstrips (%u)",
					 o->nbuckets, o->nstrips);
	return 0;
}

/* "a/b", or "b" when @a is empty (the filesystem root); malloc'ed. */
char *famfs_fd_join(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	char *s;

	while (la > 1 && a[la - 1] == '/')
		la--;
	s = malloc(la + lb + 2);
	if (!s)
		return NULL;
	memcpy(s, a, la);
	s[la] = '/';
	memcpy(s + (la ? la + (a[la - 1] != '/') : 0), b, lb + 1);
	return s;
}

/* ----------------------------------------------------------------------
 * Files and directories through the control file
 */

struct famfs_fd_ctl {
	struct famfs_client cl;		/* fd < 0: none open */
};

struct famfs_fd_ctl *famfs_fd_ctl_new(void)
{
	struct famfs_fd_ctl *c = calloc(1, sizeof(*c));

	if (c)
		c->cl.fd = -1;
	return c;
}

void famfs_fd_ctl_free(struct famfs_fd_ctl *c)
{
	if (!c)
		return;
	famfs_client_close(&c->cl);
	free(c);
}

const char *famfs_fd_mnt(const struct famfs_fd_ctl *c)
{
	return c->cl.mnt;
}

/*
 * Find the famfs mount @path is in, make its control file the current one
 * and return @path relative to the filesystem root in @rel.  Errors are
 * reported; returns 0 or -errno.
 */
int famfs_fd_target(const struct famfs_ctx *ctx, struct famfs_fd_ctl *c,
		    const char *path, char *rel, size_t rellen)
{
	struct famfs_why why = { "" };
	char mnt[PATH_MAX];
	int rc;

	rc = famfs_client_resolve(path, mnt, sizeof(mnt), rel, rellen, &why);
	if (rc) {
		famfs_err(ctx, "%s", why.msg);
		return rc;
	}
	if (c->cl.fd >= 0 && !strcmp(c->cl.mnt, mnt))
		return 0;
	famfs_client_close(&c->cl);
	rc = famfs_client_open(&c->cl, mnt, &why);
	if (rc)
		famfs_err(ctx, "%s: %s", path, why.msg);
	return rc;
}

/* Explain a failed create of @rel (shown as @shown) of @size bytes. */
static void create_failed(const struct famfs_ctx *ctx,
			  const struct famfs_fd_ctl *c, const char *rel,
			  const char *shown, uint64_t size, int rc,
			  const char *msg)
{
	struct stat st;
	char *io = famfs_fd_join(c->cl.mnt, rel);

	if (rc == -EEXIST && io && !stat(io, &st) &&
	    (S_ISDIR(st.st_mode) || (uint64_t)st.st_size != size)) {
		if (S_ISDIR(st.st_mode))
			famfs_err(ctx, "%s: already exists and is a directory",
				  shown);
		else
			famfs_err(ctx, "%s: already exists with size %lld (asked for %" PRIu64 ")",
				  shown, (long long)st.st_size, size);
	} else {
		famfs_err(ctx, "%s: %s", shown, msg);
	}
	free(io);
}

static void ctl_req(struct famfs_ctl_req *q, uint32_t op, const char *rel,
		    uint32_t mode, const struct famfs_fd_opts *o)
{
	memset(q, 0, sizeof(*q));
	q->op = op;
	q->mode = mode & 07777;
	q->uid = o->uid;
	q->gid = o->gid;
	snprintf(q->path, sizeof(q->path), "%s", rel);
}

/*
 * Create file @rel of @size bytes in the current mount; an existing file
 * of that size is reused.  Returns 1 created, 0 reused, or -errno
 * (reported, naming @shown).
 */
int famfs_fd_create(const struct famfs_ctx *ctx, struct famfs_fd_ctl *c,
		    const char *rel, const char *shown, uint64_t size,
		    uint32_t mode, const struct famfs_fd_opts *o)
{
	struct famfs_ctl_req q;
	struct famfs_ctl_rep *r;
	struct famfs_why why = { "" };
	int rc;

	if (!*rel) {
		famfs_err(ctx, "%s: is the root of the famfs filesystem", shown);
		return -EISDIR;
	}
	if (strlen(rel) > FAMFS_PATH_MAX) {
		famfs_err(ctx, "%s: path longer than %u bytes", shown,
			  FAMFS_PATH_MAX);
		return -ENAMETOOLONG;
	}
	r = malloc(sizeof(*r));
	if (!r)
		return -ENOMEM;
	ctl_req(&q, FAMFS_CTL_CREATE, rel, mode, o);
	q.flags = FAMFS_CTL_F_EXIST_OK;
	q.size = size;
	if (o->nstrips) {
		q.nstrips = o->nstrips;
		q.chunk = o->chunk;
	}
	rc = famfs_client_call(&c->cl, &q, r, &why);
	if (rc)
		create_failed(ctx, c, rel, shown, size, rc, why.msg);
	else
		rc = r->count ? 1 : 0;
	free(r);
	return rc;
}

/* mkdir -p @rel in the current mount.  Returns 0 or -errno (reported). */
int famfs_fd_mkdirs(const struct famfs_ctx *ctx, struct famfs_fd_ctl *c,
		    const char *rel, const char *shown, uint32_t mode,
		    const struct famfs_fd_opts *o)
{
	struct famfs_ctl_req q;
	struct famfs_ctl_rep *r;
	struct famfs_why why = { "" };
	int rc;

	if (!*rel)			/* the root exists */
		return 0;
	if (strlen(rel) > FAMFS_PATH_MAX) {
		famfs_err(ctx, "%s: path longer than %u bytes", shown,
			  FAMFS_PATH_MAX);
		return -ENAMETOOLONG;
	}
	r = malloc(sizeof(*r));
	if (!r)
		return -ENOMEM;
	ctl_req(&q, FAMFS_CTL_MKDIR, rel, mode, o);
	q.flags = FAMFS_CTL_F_PARENTS;
	rc = famfs_client_call(&c->cl, &q, r, &why);
	if (rc)
		famfs_err(ctx, "%s: %s", shown, why.msg);
	free(r);
	return rc;
}

/* ----------------------------------------------------------------------
 * The fan-out: fill, verify or copy the data of many files
 */

struct fd_run {
	struct famfs_ctx *ctx;
	enum famfs_fd_op op;
	struct famfs_fd_file *f;
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
static void file_fail(struct fd_run *r, struct famfs_fd_file *f, int rc,
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

static void file_bad(struct fd_run *r, struct famfs_fd_file *f, uint64_t bad)
{
	pthread_mutex_lock(&r->lock);
	if (bad < f->bad)
		f->bad = bad;
	pthread_mutex_unlock(&r->lock);
}

/* Is there nothing left to do in @f from @off on?  (under ->lock) */
static int file_done(const struct fd_run *r, const struct famfs_fd_file *f,
		     uint64_t off)
{
	return f->rc || off >= f->size ||
	       (r->op == FAMFS_FD_VERIFY && f->bad <= off);
}

/* Claim the next segment: file *@i, [@off, @off + @len).  0 when none. */
static int claim(struct fd_run *r, size_t *i, uint64_t *off, uint64_t *len)
{
	int got = 0;

	pthread_mutex_lock(&r->lock);
	while (r->next < r->n && !got) {
		struct famfs_fd_file *f = &r->f[r->next];

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

/* One progress line, at most every FD_TICK_NS unless @final. */
static void progress(struct fd_run *r, int final)
{
	uint64_t done = __atomic_load_n(&r->done, __ATOMIC_RELAXED);
	char a[32], b[32];
	struct timespec now;

	if (!r->progress)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (!final && elapsed_ns(&r->last, &now) < FD_TICK_NS)
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
static int chunk_io(struct fd_run *r, struct famfs_fd_file *f,
		    const struct seg_io *s, uint8_t *buf, uint64_t off,
		    size_t len)
{
	ssize_t n;
	uint64_t bad;

	if (r->op == FAMFS_FD_FILL) {
		famfs_prng_fill(f->seed, off, buf, len);
	} else {
		n = io_full(r->op == FAMFS_FD_COPY ? s->src : s->dst, buf, len,
			    off, 0);
		if (n != (ssize_t)len) {
			file_fail(r, f, n < 0 ? (int)n : -ENODATA, "read",
				  r->op == FAMFS_FD_COPY ? f->src : f->path,
				  off + (n > 0 ? (uint64_t)n : 0));
			return -EIO;
		}
		if (r->op == FAMFS_FD_VERIFY) {
			if (famfs_prng_check(f->seed, off, buf, len, &bad)) {
				file_bad(r, f, bad);
				return -EILSEQ;
			}
			return 0;
		}
	}
	n = io_full(s->dst, buf, len, off, 1);
	if (n != (ssize_t)len) {
		file_fail(r, f, n < 0 ? (int)n : -ENOSPC, "write", f->path,
			  off + (n > 0 ? (uint64_t)n : 0));
		return -EIO;
	}
	return 0;
}

static int seg_open(struct fd_run *r, struct famfs_fd_file *f,
		    struct seg_io *s)
{
	int wr = r->op != FAMFS_FD_VERIFY;

	s->src = -1;
	s->dst = open(f->path, (wr ? O_WRONLY : O_RDONLY) | O_CLOEXEC);
	if (s->dst < 0) {
		file_fail(r, f, -errno, "cannot open", f->path, 0);
		return -1;
	}
	if (r->op != FAMFS_FD_COPY)
		return 0;
	s->src = open(f->src, O_RDONLY | O_CLOEXEC);
	if (s->src < 0) {
		file_fail(r, f, -errno, "cannot open", f->src, 0);
		close(s->dst);
		return -1;
	}
	return 0;
}

static void do_segment(struct fd_run *r, struct famfs_fd_file *f,
		       uint64_t off, uint64_t len, uint8_t *buf, int inline_)
{
	struct seg_io s;

	if (seg_open(r, f, &s))
		return;
	while (len) {
		size_t c = len < FD_BUF ? (size_t)len : FD_BUF;

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
	if (close(s.dst) && r->op != FAMFS_FD_VERIFY)
		file_fail(r, f, -errno, "write", f->path, off);
}

static void work(struct fd_run *r, int inline_)
{
	uint8_t *buf = malloc(FD_BUF);
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
	struct fd_run *r = arg;

	work(r, 0);
	pthread_mutex_lock(&r->lock);
	r->running--;
	pthread_cond_signal(&r->cond);
	pthread_mutex_unlock(&r->lock);
	return NULL;
}

/* Wait for the workers, drawing progress meanwhile. */
static void wait_workers(struct fd_run *r)
{
	struct timespec until;

	pthread_mutex_lock(&r->lock);
	while (r->running) {
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += FD_TICK_NS;
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
static unsigned int start_workers(struct fd_run *r, pthread_t *tid,
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
static void plan(struct fd_run *r, unsigned int threads, uint64_t *nseg)
{
	uint64_t seg;

	r->total = 0;
	for (size_t i = 0; i < r->n; i++)
		r->total += r->f[i].size;
	seg = threads ? r->total / ((uint64_t)threads * 4) : FD_SEG_MAX;
	seg = (seg + FD_BUF - 1) / FD_BUF * FD_BUF;
	r->seg = seg < FD_BUF ? FD_BUF : seg > FD_SEG_MAX ? FD_SEG_MAX : seg;
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
size_t famfs_fd_run(struct famfs_ctx *ctx, enum famfs_fd_op op,
		    struct famfs_fd_file *f, size_t n, unsigned int threads,
		    int show_progress)
{
	struct fd_run r = { .ctx = ctx, .op = op, .f = f, .n = n,
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

/* Report the I/O failure of @f left by famfs_fd_run(), if any. */
void famfs_fd_report(const struct famfs_ctx *ctx,
		     const struct famfs_fd_file *f)
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
