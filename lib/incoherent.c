// SPDX-License-Identifier: Apache-2.0
/*
 * Test-only model of cache-incoherent shared memory (famfs_incoherent.h).
 * Compiled to nothing unless -DFAMFS_INCOHERENT (build/incoherent, see
 * tests/incoherent/incoherent.mk); build/famfs never contains it.
 *
 * A view is three mappings of the device's size: the view itself (what the
 * code loads and stores: dev->base), "clean" (each line as it was last
 * loaded from or written back to the backing: a line whose view differs
 * from it is dirty) and the backing (the real MAP_SHARED mapping).
 */
#ifdef FAMFS_INCOHERENT
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "famfs.h"
#include "famfs_incoherent.h"
#include "famfs_prng.h"

#define LINE		64
#define PAGE		4096
#define MAX_VIEWS	((int)FAMFS_MAX_DEVICES + 8)
#define RING		32		/* recent ranges: eviction candidates */
#define NEAR		256		/* bytes around a recent range */
#define EVICT_TRIES	4		/* eviction draws per event */

enum { INCO_OFF, INCO_NEVER, INCO_EVICT };

struct view {
	uint8_t *view;
	uint8_t *clean;
	uint8_t *backing;
	uint64_t size;
	int rw;
};

struct range {
	const uint8_t *addr;
	size_t len;
};

static struct view views[MAX_VIEWS];
static struct range ring[RING];
static unsigned int ring_pos;
static pthread_mutex_t inco_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t inco_once = PTHREAD_ONCE_INIT;
static int inco_mode = INCO_NEVER;
static uint64_t inco_rng;
static unsigned int inco_permille = 250;
static struct famfs_inco_stats stats;
static void (*observer)(void *arg);
static void *observer_arg;
static __thread int observing;

int famfs_inco_set_mode(const char *spec)
{
	unsigned long long seed;
	unsigned int p = 250;
	int n;

	if (!spec || !*spec || !strcmp(spec, "never")) {
		inco_mode = INCO_NEVER;
		return 0;
	}
	if (!strcmp(spec, "off")) {
		inco_mode = INCO_OFF;
		return 0;
	}
	n = sscanf(spec, "evict:%llu:%u", &seed, &p);
	if (n < 1 || p > 1000)
		return -EINVAL;
	inco_mode = INCO_EVICT;
	memset(ring, 0, sizeof(ring));		/* a fresh cache history */
	ring_pos = 0;
	inco_rng = seed;
	inco_permille = p;
	return 0;
}

static void stats_at_exit(void)
{
	const char *file = getenv("FAMFS_INCOHERENT_STATS");
	char line[256];
	int fd, n;

	if (!file || !*file || !stats.views)
		return;
	n = snprintf(line, sizeof(line),
		     "pid=%d views=%" PRIu64 " flushed=%" PRIu64
		     " reloaded=%" PRIu64 " inval_wb=%" PRIu64
		     " evicted=%" PRIu64 " dropped=%" PRIu64 "\n",
		     (int)getpid(), stats.views, stats.flushed, stats.reloaded,
		     stats.inval_wb, stats.evicted, stats.dropped);
	fd = open(file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
	if (fd < 0)
		return;
	if (write(fd, line, (size_t)n) != n)
		n = 0;
	close(fd);
}

static void inco_init(void)
{
	if (famfs_inco_set_mode(getenv("FAMFS_INCOHERENT")))
		inco_mode = INCO_NEVER;
	atexit(stats_at_exit);
}

int famfs_inco_enabled(void)
{
	pthread_once(&inco_once, inco_init);
	return inco_mode != INCO_OFF;
}

void famfs_inco_stats(struct famfs_inco_stats *st)
{
	pthread_mutex_lock(&inco_lock);
	*st = stats;
	pthread_mutex_unlock(&inco_lock);
}

void famfs_inco_observe(void (*fn)(void *arg), void *arg)
{
	pthread_mutex_lock(&inco_lock);
	observer = fn;
	observer_arg = arg;
	pthread_mutex_unlock(&inco_lock);
}

/* After each event, outside the lock; not for the observer's own. */
static void observe(void)
{
	void (*fn)(void *arg) = observer;

	if (!fn || observing)
		return;
	observing = 1;
	fn(observer_arg);
	observing = 0;
}

static uint64_t rnd(void)
{
	return famfs_splitmix64(inco_rng++);
}

/* The view holding [addr, addr+len), or NULL.  Lock held. */
static struct view *find(const void *addr, size_t len)
{
	uintptr_t a = (uintptr_t)addr;

	for (int i = 0; i < MAX_VIEWS; i++) {
		struct view *v = &views[i];

		if (v->view && a >= (uintptr_t)v->view &&
		    a + len <= (uintptr_t)v->view + v->size)
			return v;
	}
	return NULL;
}

static int line_dirty(const struct view *v, uint64_t o)
{
	return memcmp(v->view + o, v->clean + o, LINE) != 0;
}

/* Write line @o back: the backing and "clean" get what the view holds. */
static void line_writeback(struct view *v, uint64_t o)
{
	uint8_t tmp[LINE];

	memcpy(tmp, v->view + o, LINE);
	memcpy(v->backing + o, tmp, LINE);
	memcpy(v->clean + o, tmp, LINE);
}

/* Load line @o from the backing, unless the view already holds it. */
static void line_reload(struct view *v, uint64_t o)
{
	uint8_t tmp[LINE];
	uint8_t *pg;

	memcpy(tmp, v->backing + o, LINE);
	if (!memcmp(tmp, v->view + o, LINE)) {
		if (memcmp(tmp, v->clean + o, LINE))
			memcpy(v->clean + o, tmp, LINE);
		return;
	}
	pg = v->view + (o & ~(uint64_t)(PAGE - 1));
	if (!v->rw)
		mprotect(pg, PAGE, PROT_READ | PROT_WRITE);
	memcpy(v->view + o, tmp, LINE);
	if (!v->rw)
		mprotect(pg, PAGE, PROT_READ);
	memcpy(v->clean + o, tmp, LINE);
}

/* Lines [first, last) of @v that [addr, addr+len) touches. */
static void line_span(const struct view *v, const void *addr, size_t len,
		      uint64_t *first, uint64_t *last)
{
	uint64_t o = (uint64_t)((const uint8_t *)addr - v->view);

	*first = o & ~(uint64_t)(LINE - 1);
	*last = (o + len + LINE - 1) & ~(uint64_t)(LINE - 1);
	if (*last > v->size)
		*last = v->size;
}

/*
 * Eviction mode: a few seeded draws, each of a line near a recent range;
 * a dirty line is written back early, a clean one dropped (reloaded).
 */
static void evict_some(void)
{
	for (int k = 0; k < EVICT_TRIES; k++) {
		uint64_t r = rnd(), o, lo, span;
		struct range *g;
		struct view *v;

		if (r % 1000 >= inco_permille)
			continue;
		/* the first draw near the newest range: lines just stored */
		g = &ring[(k ? (r >> 10) : ring_pos - 1) % RING];
		if (!g->len)
			continue;
		v = find(g->addr, g->len);
		if (!v)
			continue;
		lo = (uint64_t)(g->addr - v->view);
		span = g->len;
		if (k) {		/* later draws: also around it */
			lo = lo > NEAR ? lo - NEAR : 0;
			span += 2 * NEAR;
		}
		o = (lo + (r >> 20) % span) & ~(uint64_t)(LINE - 1);
		if (o + LINE > v->size)
			continue;
		if (line_dirty(v, o)) {
			line_writeback(v, o);
			stats.evicted++;
		} else if (r & (1ull << 63)) {
			line_reload(v, o);
			stats.dropped++;
		}
	}
}

/* Remember a range as recent and let the cache evict.  Lock held. */
static void event(const void *addr, size_t len)
{
	if (inco_mode != INCO_EVICT)
		return;
	ring[ring_pos % RING] = (struct range){ addr, len };
	ring_pos++;
	evict_some();
}

void famfs_inco_note(const void *addr, size_t len)
{
	if (!famfs_inco_enabled() || !len)
		return;
	pthread_mutex_lock(&inco_lock);
	if (find(addr, len))
		event(addr, len);
	pthread_mutex_unlock(&inco_lock);
	observe();
}

/* Bytes from @o to the end of its page or to @last. */
static uint64_t page_rest(uint64_t o, uint64_t last)
{
	uint64_t end = (o | (PAGE - 1)) + 1;

	return (end < last ? end : last) - o;
}

/*
 * A whole page with no dirty line (and, for an invalidate, nothing newer
 * in the backing): the line by line walk would change nothing.
 */
static int page_settled(const struct view *v, uint64_t o, int inval)
{
	if (memcmp(v->view + o, v->clean + o, PAGE))
		return 0;
	return !inval || !memcmp(v->view + o, v->backing + o, PAGE);
}

/*
 * flush: the dirty lines of the range are written back.  invalidate: they
 * are written back too (clflush does), then every line is reloaded.
 * Returns whether the range is in a view (else the caller does the real
 * thing).
 */
static int each_line(const void *addr, size_t len, int inval)
{
	uint64_t o, last;
	struct view *v;

	if (!famfs_inco_enabled())
		return 0;
	pthread_mutex_lock(&inco_lock);
	v = find(addr, len);
	if (v) {
		if (inval)
			event(addr, len);
		line_span(v, addr, len, &o, &last);
		for (; o < last; o += LINE) {
			uint64_t n = page_rest(o, last);

			if (!(o & (PAGE - 1)) && n == PAGE &&
			    page_settled(v, o, inval)) {
				if (inval)
					stats.reloaded += PAGE / LINE;
				o += PAGE - LINE;
				continue;
			}
			if (line_dirty(v, o)) {
				line_writeback(v, o);
				(*(inval ? &stats.inval_wb : &stats.flushed))++;
			}
			if (inval) {
				line_reload(v, o);
				stats.reloaded++;
			}
		}
		if (!inval)
			event(addr, len);
	}
	pthread_mutex_unlock(&inco_lock);
	if (v)
		observe();
	return v != NULL;
}

int famfs_inco_flush(const void *addr, size_t len)
{
	return each_line(addr, len, 0);
}

int famfs_inco_invalidate(const void *addr, size_t len)
{
	return each_line(addr, len, 1);
}

/* Copy the nonzero pages of [off, end) into the view and "clean". */
static void load_pages(struct view *v, uint64_t off, uint64_t end)
{
	static const uint8_t zero[PAGE];

	off &= ~(uint64_t)(PAGE - 1);
	for (; off < end && off < v->size; off += PAGE) {
		size_t n = v->size - off < PAGE ? v->size - off : PAGE;

		if (!memcmp(v->backing + off, zero, n))
			continue;
		memcpy(v->view + off, v->backing + off, n);
		memcpy(v->clean + off, v->backing + off, n);
	}
}

/* The view starts as a copy of the device: every line loaded and clean. */
static void load_view(struct view *v, int fd)
{
	off_t d = 0, h;

	if (lseek(fd, 0, SEEK_DATA) < 0) {	/* no holes to skip */
		load_pages(v, 0, v->size);
		return;
	}
	while ((uint64_t)d < v->size) {
		d = lseek(fd, d, SEEK_DATA);
		if (d < 0)
			break;
		h = lseek(fd, d, SEEK_HOLE);
		if (h < 0)
			h = (off_t)v->size;
		load_pages(v, (uint64_t)d, (uint64_t)h);
		d = h;
	}
}

int famfs_inco_attach(struct famfs_dev *dev)
{
	int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;
	int prot = PROT_READ | PROT_WRITE;
	struct view v = { .backing = dev->base, .size = dev->size };
	int slot = -1;

	if (!famfs_inco_enabled())
		return 0;
	v.rw = !!(dev->flags & FAMFS_DEV_RDWR);
	v.view = mmap(NULL, v.size, prot, flags, -1, 0);
	v.clean = mmap(NULL, v.size, prot, flags, -1, 0);
	if (v.view == MAP_FAILED || v.clean == MAP_FAILED)
		goto fail;
	load_view(&v, dev->fd);
	if (!v.rw && mprotect(v.view, v.size, PROT_READ))
		goto fail;
	pthread_mutex_lock(&inco_lock);
	for (int i = 0; i < MAX_VIEWS && slot < 0; i++)
		if (!views[i].view)
			slot = i;
	if (slot >= 0) {
		views[slot] = v;
		stats.views++;
	}
	pthread_mutex_unlock(&inco_lock);
	if (slot < 0)
		goto fail;
	dev->base = v.view;
	return 0;
fail:
	if (v.view != MAP_FAILED && v.view)
		munmap(v.view, v.size);
	if (v.clean != MAP_FAILED && v.clean)
		munmap(v.clean, v.size);
	return -ENOMEM;
}

/* Drop the view of @dev: its backing and "clean" go, dev->base stays. */
void famfs_inco_detach(struct famfs_dev *dev)
{
	struct view v = { 0 };

	if (!famfs_inco_enabled() || !dev->base)
		return;
	pthread_mutex_lock(&inco_lock);
	for (int i = 0; i < MAX_VIEWS; i++) {
		if (views[i].view != dev->base)
			continue;
		v = views[i];
		views[i] = (struct view){ 0 };
		break;
	}
	pthread_mutex_unlock(&inco_lock);
	if (!v.view)
		return;
	munmap(v.backing, v.size);
	munmap(v.clean, v.size);
}
#endif /* FAMFS_INCOHERENT */
