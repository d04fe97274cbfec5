// SPDX-License-Identifier: Apache-2.0
/*
 * The system log engine (famfs_slog.h): format a line, name the filesystem,
 * rate limit it per cause (at most ->burst lines per ->interval seconds;
 * the first line after a quiet spell says how many were dropped), keep the
 * last warnings and errors, and hand the line to the installed writers.
 * Writes nothing itself: the writers belong to the front end.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "famfs.h"
#include "famfs_json.h"
#include "famfs_slog.h"

static time_t mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

static void real_now(struct timespec *ts)
{
	clock_gettime(CLOCK_REALTIME, ts);
}

void famfs_slog_init(struct famfs_slog *l)
{
	memset(l, 0, sizeof(*l));
	pthread_mutex_init(&l->lock, NULL);
	l->max_prio = LOG_INFO;
	l->mono = mono_now;
	l->real = real_now;
	l->burst = FAMFS_SLOG_BURST;
	l->interval = FAMFS_SLOG_INTERVAL;
}

void famfs_slog_destroy(struct famfs_slog *l)
{
	pthread_mutex_destroy(&l->lock);
}

void famfs_slog_set_name(struct famfs_slog *l, const char *name)
{
	pthread_mutex_lock(&l->lock);
	snprintf(l->name, sizeof(l->name), "%s", name ? name : "");
	pthread_mutex_unlock(&l->lock);
}

const char *famfs_slog_prio_name(int prio)
{
	static const char *const names[] = {
		[LOG_EMERG] = "emerg", [LOG_ALERT] = "alert",
		[LOG_CRIT] = "crit", [LOG_ERR] = "error",
		[LOG_WARNING] = "warning", [LOG_NOTICE] = "notice",
		[LOG_INFO] = "info", [LOG_DEBUG] = "debug",
	};

	return prio >= 0 && prio <= LOG_DEBUG ? names[prio] : "?";
}

/* The slot counting @cause; the last one is shared once all are taken. */
static struct famfs_slog_cause *cause_slot(struct famfs_slog *l,
					   const char *cause)
{
	struct famfs_slog_cause *c;

	for (unsigned int i = 0; i < l->ncause; i++)
		if (!strcmp(l->cause[i].name, cause))
			return &l->cause[i];
	if (l->ncause == FAMFS_SLOG_CAUSES)
		return &l->cause[FAMFS_SLOG_CAUSES - 1];
	c = &l->cause[l->ncause++];
	snprintf(c->name, sizeof(c->name), "%s",
		 l->ncause == FAMFS_SLOG_CAUSES ? "other" : cause);
	c->start = l->mono();
	return c;
}

/*
 * May a line of @cause go out now?  When a new interval starts after lines
 * were dropped, *@missed is how many (0 otherwise) and *@which the cause
 * they were counted under.
 */
static int rate_ok(struct famfs_slog *l, const char *cause,
		   unsigned long *missed, const char **which)
{
	struct famfs_slog_cause *c = cause_slot(l, cause);
	time_t now = l->mono();

	*which = c->name;
	*missed = 0;
	if (now - c->start >= (time_t)l->interval || now < c->start) {
		*missed = c->missed;
		c->start = now;
		c->n = 0;
		c->missed = 0;
	}
	if (c->n < l->burst) {
		c->n++;
		return 1;
	}
	c->missed++;
	return 0;
}

/* Control characters (a client's file name may hold a newline) become '?'. */
static void sanitize(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
}

static void keep(struct famfs_slog *l, int prio, const char *line)
{
	struct famfs_slog_entry *e;

	if (prio > LOG_WARNING)
		return;
	e = &l->recent[l->nrecent++ % FAMFS_SLOG_RECENT];
	l->real(&e->when);
	e->prio = prio;
	snprintf(e->msg, sizeof(e->msg), "%s", line);
}

static void emit(struct famfs_slog *l, int prio, unsigned int flags,
		 const char *line)
{
	keep(l, prio, line);
	if (l->write)
		l->write(l->write_arg, prio, line);
	if (l->echo && !(flags & FAMFS_SLOG_NOECHO))
		l->echo(l->echo_arg, prio, line);
}

void famfs_slogv(struct famfs_slog *l, int prio, unsigned int flags,
		 const char *cause, const char *fmt, va_list ap)
{
	char text[FAMFS_SLOG_LINE], line[FAMFS_SLOG_LINE];
	unsigned long missed = 0;
	const char *which = NULL;

	if (!l || prio > l->max_prio)
		return;
	vsnprintf(text, sizeof(text), fmt, ap);
	sanitize(text);
	pthread_mutex_lock(&l->lock);
	if (cause && !rate_ok(l, cause, &missed, &which)) {
		pthread_mutex_unlock(&l->lock);
		return;
	}
	/* a longer line is cut: what the writers get fits a datagram */
	if (missed &&
	    snprintf(line, sizeof(line),
			 "%s%s%lu more '%s' messages were suppressed",
			 l->name, l->name[0] ? ": " : "", missed, which) >= 0)
		emit(l, prio, 0, line);
	if (snprintf(line, sizeof(line), "%s%s%s", l->name,
		     l->name[0] ? ": " : "", text) >= 0)
		emit(l, prio, flags, line);
	pthread_mutex_unlock(&l->lock);
}

void famfs_slog(struct famfs_slog *l, int prio, const char *cause,
		const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	famfs_slogv(l, prio, 0, cause, fmt, ap);
	va_end(ap);
}

void famfs_slog_flags(struct famfs_slog *l, int prio, unsigned int flags,
		      const char *cause, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	famfs_slogv(l, prio, flags, cause, fmt, ap);
	va_end(ap);
}

unsigned int famfs_slog_recent(struct famfs_slog *l,
			       struct famfs_slog_entry *out, unsigned int max)
{
	unsigned int n, first;

	pthread_mutex_lock(&l->lock);
	n = l->nrecent < FAMFS_SLOG_RECENT ? l->nrecent : FAMFS_SLOG_RECENT;
	if (n > max)
		n = max;
	first = l->nrecent - n;
	for (unsigned int i = 0; i < n; i++)
		out[i] = l->recent[(first + i) % FAMFS_SLOG_RECENT];
	pthread_mutex_unlock(&l->lock);
	return n;
}

/* [{"time":"2026-12-05T23:59:01.123Z","priority":"warning","message":"..."}] */
int famfs_slog_recent_json(struct famfs_slog *l, char *buf, size_t len)
{
	struct famfs_slog_entry e[FAMFS_SLOG_RECENT];
	unsigned int n = famfs_slog_recent(l, e, FAMFS_SLOG_RECENT);
	char q[2 * FAMFS_SLOG_LINE], t[40];
	size_t used;
	struct tm tm;
	int w;

	used = (size_t)snprintf(buf, len, "[");
	for (unsigned int i = 0; i < n && used < len; i++) {
		gmtime_r(&e[i].when.tv_sec, &tm);
		strftime(t, sizeof(t), "%Y-%m-%dT%H:%M:%S", &tm);
		famfs_json_quote(q, sizeof(q), e[i].msg);
		w = snprintf(buf + used, len - used,
			     "%s{\"time\":\"%s.%03ldZ\",\"priority\":\"%s\",\"message\":%s}",
			     i ? "," : "", t, e[i].when.tv_nsec / 1000000,
			     famfs_slog_prio_name(e[i].prio), q);
		used += (size_t)w;
	}
	if (used + 2 > len)
		return -ENOSPC;
	snprintf(buf + used, len - used, "]");
	return (int)(used + 1);
}
