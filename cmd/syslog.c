// SPDX-License-Identifier: Apache-2.0
/*
 * Where a famfs process's log lines go (the writers of lib/slog.c): the
 * syslog socket /dev/log (journald serves it on systemd hosts), or
 * /dev/kmsg in the appliance, where there is no syslog and famfs init
 * exports FAMFS_LOG=kmsg to everything it starts.  Environment:
 *   FAMFS_LOG=syslog|kmsg|none   the target (default syslog; kmsg as PID 1)
 *   FAMFS_SYSLOG_SOCKET=PATH     another socket than /dev/log (tests)
 * A missing or full syslog loses the line, never blocks the server.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "famfs_slog.h"

#define SYSLOG_PATH	"/dev/log"
#define KMSG_PATH	"/dev/kmsg"

struct slog_out {
	struct famfs_slog log;
	int fd;				/* the socket or /dev/kmsg; -1 */
	int kmsg;
	struct sockaddr_un sun;
	const struct famfs_ctx *ctx;	/* for the echo's prefix */
};

static int sock_connect(struct slog_out *o)
{
	if (o->fd >= 0)
		close(o->fd);
	o->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (o->fd < 0)
		return -errno;
	if (connect(o->fd, (struct sockaddr *)&o->sun, sizeof(o->sun))) {
		close(o->fd);
		o->fd = -1;
		return -errno;
	}
	return 0;
}

/* RFC 3164: "<PRI>Mmm dd hh:mm:ss famfs[PID]: LINE", facility daemon. */
static void syslog_write(void *arg, int prio, const char *line)
{
	struct slog_out *o = arg;
	char msg[FAMFS_SLOG_LINE + 64], stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	int n;

	localtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%b %e %H:%M:%S", &tm);
	n = snprintf(msg, sizeof(msg), "<%d>%s famfs[%d]: %s",
		     LOG_DAEMON | prio, stamp, (int)getpid(), line);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(msg))
		n = (int)sizeof(msg) - 1;
	/* a restarted syslog: reconnect once */
	for (int try = 0; try < 2; try++) {
		if (o->fd < 0 && sock_connect(o))
			return;
		if (send(o->fd, msg, (size_t)n, MSG_DONTWAIT | MSG_NOSIGNAL) >= 0)
			return;
		close(o->fd);
		o->fd = -1;
	}
}

/* The kernel's log: "<PRI>famfs[PID]: LINE", one write per record. */
static void kmsg_write(void *arg, int prio, const char *line)
{
	struct slog_out *o = arg;
	char msg[FAMFS_SLOG_LINE + 64];
	int n;

	if (o->fd < 0)
		o->fd = open(KMSG_PATH, O_WRONLY | O_CLOEXEC | O_NONBLOCK);
	if (o->fd < 0)
		return;
	n = snprintf(msg, sizeof(msg), "<%d>famfs[%d]: %s\n",
		     LOG_DAEMON | prio, (int)getpid(), line);
	if (n > 0 && write(o->fd, msg, (size_t)n < sizeof(msg) ?
			   (size_t)n : sizeof(msg) - 1) < 0)
		errno = 0;
}

/* A server in the foreground: its warnings on stderr too, as famfs_warn. */
static void echo_write(void *arg, int prio, const char *line)
{
	struct slog_out *o = arg;

	if (prio > LOG_WARNING && !o->ctx->verbose)
		return;
	famfs_logline(o->ctx, prio, line);
}

static int pick_target(struct slog_out *o)
{
	const char *t = getenv("FAMFS_LOG");
	const char *sock = getenv("FAMFS_SYSLOG_SOCKET");

	if (!t || !*t)
		t = getpid() == 1 ? "kmsg" : "syslog";
	if (!strcmp(t, "none"))
		return 0;
	if (!strcmp(t, "kmsg")) {
		o->log.write = kmsg_write;
		o->kmsg = 1;
		return 0;
	}
	if (strcmp(t, "syslog"))
		return -EINVAL;
	if (!sock || !*sock)
		sock = SYSLOG_PATH;
	if (strlen(sock) >= sizeof(o->sun.sun_path))
		return -ENAMETOOLONG;
	o->sun.sun_family = AF_UNIX;
	memcpy(o->sun.sun_path, sock, strlen(sock) + 1);
	o->log.write = syslog_write;
	return 0;
}

/*
 * Start logging for this process under @name (the filesystem, or the
 * command).  With @echo, lines the server logs are also shown on stderr.
 * Idempotent: a second call renames and sets @echo.
 */
int famfs_syslog_start(struct famfs_ctx *ctx, const char *name, int echo)
{
	struct slog_out *o = (struct slog_out *)ctx->slog;

	if (!o) {
		o = calloc(1, sizeof(*o));
		if (!o)
			return -ENOMEM;
		o->fd = -1;
		o->ctx = ctx;
		famfs_slog_init(&o->log);
		if (pick_target(o)) {
			famfs_warn(ctx, "FAMFS_LOG=%s: not syslog, kmsg or none",
				   getenv("FAMFS_LOG"));
		}
		o->log.write_arg = o;
		o->log.echo_arg = o;
		ctx->slog = &o->log;
	}
	o->log.max_prio = ctx->verbose ? LOG_DEBUG : LOG_INFO;
	o->log.echo = echo ? echo_write : NULL;
	famfs_slog_set_name(&o->log, name);
	return 0;
}

void famfs_syslog_stop(struct famfs_ctx *ctx)
{
	struct slog_out *o = (struct slog_out *)ctx->slog;

	if (!o)
		return;
	ctx->slog = NULL;
	if (o->fd >= 0)
		close(o->fd);
	famfs_slog_destroy(&o->log);
	free(o);
}
