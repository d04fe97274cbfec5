/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The system log of a famfs process (lib/slog.c): lines with a syslog
 * priority, each naming the filesystem, rate limited per cause, the last
 * warnings and errors kept with their times for `famfs status`.
 *
 * The engine formats, limits and remembers; it writes nothing itself.  The
 * front end installs the writers (cmd/syslog.c: the /dev/log socket or
 * /dev/kmsg, and stderr when the process has one), so unit tests install
 * their own and a fake clock.
 */
#ifndef FAMFS_SLOG_H
#define FAMFS_SLOG_H

#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <syslog.h>		/* LOG_ERR ... LOG_DEBUG: the priorities */
#include <time.h>

#define FAMFS_SLOG_LINE		480	/* one message, NUL included */
#define FAMFS_SLOG_NAME		256	/* the filesystem's name */
#define FAMFS_SLOG_RECENT	8	/* warnings and errors kept */
#define FAMFS_SLOG_CAUSES	32	/* rate-limited causes tracked */
#define FAMFS_SLOG_BURST	5	/* lines per cause per interval */
#define FAMFS_SLOG_INTERVAL	60	/* seconds */

/* Flags of one line */
#define FAMFS_SLOG_NOECHO	0x1	/* already printed on stderr */

/* A writer: @line is the whole message, "NAME: text", without a header. */
typedef void (*famfs_slog_fn)(void *arg, int prio, const char *line);

struct famfs_slog_entry {
	struct timespec when;		/* CLOCK_REALTIME */
	int prio;
	char msg[FAMFS_SLOG_LINE];
};

struct famfs_slog_cause {
	char name[32];
	time_t start;			/* of the current interval (mono) */
	unsigned int n;			/* lines in it */
	unsigned long missed;		/* lines dropped in it */
};

struct famfs_slog {
	pthread_mutex_t lock;		/* everything below */
	char name[FAMFS_SLOG_NAME];	/* the filesystem: prefixes lines */
	int max_prio;			/* lines less urgent are dropped */
	famfs_slog_fn write;		/* the system log; NULL: none */
	void *write_arg;
	famfs_slog_fn echo;		/* the console (stderr); NULL: none */
	void *echo_arg;
	/* clocks, replaceable by tests */
	time_t (*mono)(void);
	void (*real)(struct timespec *ts);
	unsigned int burst, interval;
	struct famfs_slog_cause cause[FAMFS_SLOG_CAUSES];
	unsigned int ncause;
	struct famfs_slog_entry recent[FAMFS_SLOG_RECENT];
	unsigned int nrecent;		/* entries ever kept */
};

void famfs_slog_init(struct famfs_slog *l);
void famfs_slog_destroy(struct famfs_slog *l);
void famfs_slog_set_name(struct famfs_slog *l, const char *name);

/*
 * Log one line at @prio.  @cause names what a rate limit counts (e.g.
 * "daxdev-missing"); NULL for life-cycle lines, which are never limited.
 * @l may be NULL (no log).
 */
void famfs_slog(struct famfs_slog *l, int prio, const char *cause,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void famfs_slog_flags(struct famfs_slog *l, int prio, unsigned int flags,
		      const char *cause, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
void famfs_slogv(struct famfs_slog *l, int prio, unsigned int flags,
		 const char *cause, const char *fmt, va_list ap);

/* Copy the kept warnings and errors, oldest first; returns how many. */
unsigned int famfs_slog_recent(struct famfs_slog *l,
			       struct famfs_slog_entry *out, unsigned int max);
/* The same as a JSON array; returns its length or -ENOSPC. */
int famfs_slog_recent_json(struct famfs_slog *l, char *buf, size_t len);
const char *famfs_slog_prio_name(int prio);

#endif /* FAMFS_SLOG_H */
