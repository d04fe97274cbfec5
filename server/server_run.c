// SPDX-License-Identifier: Apache-2.0
/*
 * Server life cycle: create the state, mount (open /dev/fuse and call
 * mount(2) ourselves, as custom I/O requires), serve with the multithreaded
 * loop until the filesystem is unmounted or a signal arrives, destroy.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "server_priv.h"

static struct famfs_fmap *one_extent_map(uint64_t offset, uint64_t len)
{
	struct famfs_fmap *m = calloc(1, sizeof(*m) + sizeof(m->ext[0]));

	if (!m)
		return NULL;
	m->size = len;
	m->ext_type = FAMFS_EXT_SIMPLE;
	m->nextents = 1;
	m->ext[0] = (struct famfs_extent){ .dev = 0, .offset = offset,
					   .len = len };
	return m;
}

int famfs_server_create(struct famfs_server **out, struct famfs_fs *fs,
			const struct famfs_server_opts *o,
			struct famfs_why *why)
{
	struct famfs_server *srv = calloc(1, sizeof(*srv));

	if (!srv)
		goto nomem;
	srv->fs = fs;
	srv->opts = *o;
	srv->fuse_fd = -1;
	srv->sb_map = one_extent_map(0, FAMFS_SB_REGION);
	srv->log_map = one_extent_map(fs->sb.log_offset, fs->sb.log_len);
	if (!srv->sb_map || !srv->log_map ||
	    pthread_rwlock_init(&srv->lock, NULL)) {
		famfs_server_destroy(srv);
		goto nomem;
	}
	famfs_srv_sm_start(srv);
	*out = srv;
	return 0;
nomem:
	famfs_why_set(why, "out of memory");
	return -ENOMEM;
}

static int do_mount(struct famfs_server *srv, struct famfs_why *why)
{
	char opts[256];

	srv->fuse_fd = open("/dev/fuse", O_RDWR | O_CLOEXEC);
	if (srv->fuse_fd < 0) {
		famfs_why_set(why, "cannot open /dev/fuse: %s", strerror(errno));
		return -errno;
	}
	snprintf(opts, sizeof(opts),
		 "fd=%d,rootmode=40000,user_id=0,group_id=0%s%s",
		 srv->fuse_fd, srv->opts.allow_other ? ",allow_other" : "",
		 srv->opts.default_permissions ? ",default_permissions" : "");
	if (mount(srv->fs->dev.path, srv->opts.mnt, "fuse.famfs",
		  srv->opts.mount_flags | (srv->opts.master ? 0 : MS_RDONLY),
		  opts)) {
		famfs_why_set(why, "mount(2) on %s failed: %s", srv->opts.mnt,
			      strerror(errno));
		return -errno;
	}
	return 0;
}

/* Mount and set up the session; on failure nothing stays mounted. */
int famfs_server_mount(struct famfs_server *srv, struct famfs_why *why)
{
	char prog[] = "famfs", debug[] = "-d", *argv[] = { prog, debug, NULL };
	struct fuse_args args = FUSE_ARGS_INIT(srv->opts.debug ? 2 : 1, argv);
	int rc = do_mount(srv, why);

	if (rc)
		return rc;
	srv->se = fuse_session_new(&args, &famfs_ll_ops, sizeof(famfs_ll_ops),
				   srv);
	fuse_opt_free_args(&args);	/* the session copied what it needs */
	if (!srv->se || fuse_session_custom_io(srv->se, &famfs_custom_io,
					       srv->fuse_fd)) {
		famfs_why_set(why, "cannot set up the FUSE session");
		umount2(srv->opts.mnt, MNT_DETACH);
		return -EIO;
	}
	srv->fuse_fd = -1;		/* the session owns it now */
	return 0;
}

/*
 * Serve until the filesystem is unmounted (the kernel ends the session) or
 * SIGTERM/SIGINT/SIGHUP asks us to stop, in which case we unmount.
 */
int famfs_server_serve(struct famfs_server *srv, struct famfs_why *why)
{
	struct fuse_loop_config *cfg = fuse_loop_cfg_create();
	int rc;

	if (!cfg || fuse_set_signal_handlers(srv->se)) {
		fuse_loop_cfg_destroy(cfg);
		famfs_why_set(why, "cannot set up the request loop");
		return -ENOMEM;
	}
	fuse_loop_cfg_set_clone_fd(cfg, 0);
	fuse_loop_cfg_set_max_threads(cfg, srv->opts.max_threads ?
				      srv->opts.max_threads : 16);
	rc = fuse_session_loop_mt(srv->se, cfg);
	fuse_loop_cfg_destroy(cfg);
	fuse_remove_signal_handlers(srv->se);
	famfs_srv_sm_stop(srv);		/* stopping: unmount if still mounted */
	if (rc < 0)
		famfs_why_set(why, "request loop failed: %s", strerror(-rc));
	return rc < 0 ? rc : 0;
}

void famfs_server_destroy(struct famfs_server *srv)
{
	if (!srv)
		return;
	if (srv->se)
		fuse_session_destroy(srv->se);
	if (srv->fuse_fd >= 0)
		close(srv->fuse_fd);
	famfs_ctl_release_all(srv);
	pthread_rwlock_destroy(&srv->lock);
	free(srv->sb_map);
	free(srv->log_map);
	free(srv);
}
