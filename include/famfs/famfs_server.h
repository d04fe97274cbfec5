/* SPDX-License-Identifier: Apache-2.0 */
/* The FUSE server (server*.c): what the mount command hands it. */
#ifndef FAMFS_SERVER_H
#define FAMFS_SERVER_H

#include "famfs_config.h"
#include "famfs_fs.h"
#include "famfs_sm.h"

struct famfs_slog;

struct famfs_server_opts {
	const char *mnt;		/* absolute mount point */
	double timeout;			/* entry/attr timeout, seconds */
	int debug;			/* libfuse request trace on stderr */
	int allow_other;		/* others may use the mount */
	int default_permissions;	/* kernel checks file modes */
	int master;			/* this host may append to the log */
	enum famfs_datapath data_path;
	unsigned int max_threads;
	const char *damage;		/* mount's verdict was serve-prefix:
					 * where replay stopped; NULL: clean */
	famfs_sm_log_fn log;		/* the server machine's transitions */
	void *log_arg;
	unsigned long mount_flags;	/* MS_* for mount(2); a client adds MS_RDONLY */
	struct famfs_slog *slog;	/* the system log (famfs_slog.h); NULL */
};

/* The running server's own state machine (server_sm.c). */
extern const struct famfs_sm_def famfs_server_machine;

struct famfs_server;

int famfs_server_create(struct famfs_server **out, struct famfs_fs *fs,
			const struct famfs_server_opts *o,
			struct famfs_why *why);
int famfs_server_mount(struct famfs_server *srv, struct famfs_why *why);
int famfs_server_serve(struct famfs_server *srv, struct famfs_why *why);
void famfs_server_destroy(struct famfs_server *srv);

#endif /* FAMFS_SERVER_H */
