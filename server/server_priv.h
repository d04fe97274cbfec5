/* SPDX-License-Identifier: Apache-2.0 */
/* The FUSE server's state and the helpers its files share. */
#ifndef FAMFS_SERVER_PRIV_H
#define FAMFS_SERVER_PRIV_H

#define FUSE_USE_VERSION 312
#include <fuse_lowlevel.h>
#include <pthread.h>

#include "famfs_ctl.h"
#include "famfs_fmap.h"
#include "famfs_server.h"
#include "famfs_slog.h"

/* A line in the system log; @cause (or NULL) is what a rate limit counts. */
#define srv_log(srv, prio, cause, ...) \
	famfs_slog((srv)->opts.slog, (prio), (cause), __VA_ARGS__)

/* Inode numbers of the .meta files: far above the namespace's dense ones. */
#define FAMFS_INO_META		(1ull << 62)
#define FAMFS_INO_SUPERBLOCK	(FAMFS_INO_META + 1)
#define FAMFS_INO_LOG		(FAMFS_INO_META + 2)
#define FAMFS_INO_CTL		(FAMFS_INO_META + 3)

struct ctl_sess;			/* server_ctl.c */

struct famfs_server {
	struct famfs_fs *fs;		/* protected by ->lock */
	pthread_rwlock_t lock;		/* namespace, bitmaps, replay state */
	struct famfs_server_opts opts;	/* immutable after create */
	struct fuse_session *se;
	int fuse_fd;
	struct famfs_sm sm;		/* famfs_server_machine; ->lock */
	uint64_t refreshed;		/* entries the last refresh applied; ->lock */
	char stale_why[FAMFS_WHY_LEN];	/* ->lock */
	char damage_why[FAMFS_WHY_LEN];	/* where the last replay stopped; ->lock */
	struct ctl_sess *ctl_open;	/* open control files; ->lock */
	struct famfs_fmap *sb_map;	/* immutable: .meta/.superblock */
	struct famfs_fmap *log_map;	/* immutable: .meta/.log */
	/* kernel protocol, set while handling INIT (one thread) */
	uint64_t init_unique;
	int dax_offered;
	int dax_on;			/* FUSE_DAX_FMAP accepted */
	int mmap_offered;
	/* counters, atomic */
	uint64_t n_read, n_write, n_fmap, n_daxdev, n_replay;
};

static inline struct famfs_server *srv_of(fuse_req_t req)
{
	return fuse_req_userdata(req);
}

/* server_sm.c: the server's states (famfs_server_machine) */
enum srv_state {
	SRV_ST_INIT, SRV_ST_SERVING, SRV_ST_REFRESHING, SRV_ST_DAMAGED,
	SRV_ST_STALE, SRV_ST_STOPPING, SRV_ST_STOP,
	_SRV_ST_MAX,
};

int famfs_srv_refresh(struct famfs_server *srv);
int famfs_srv_is_stale(struct famfs_server *srv);
int famfs_srv_is_damaged(struct famfs_server *srv);
void famfs_srv_sm_start(struct famfs_server *srv);
void famfs_srv_sm_stop(struct famfs_server *srv);

/* server.c */
extern const struct fuse_lowlevel_ops famfs_ll_ops;
const struct famfs_fmap *famfs_srv_fmap(struct famfs_server *srv,
					uint64_t ino, uint8_t *file_type);

int famfs_srv_exists(struct famfs_server *srv, uint64_t ino);
int famfs_srv_attr(struct famfs_server *srv, uint64_t ino, struct stat *st);
#define FAMFS_CLIENT_ATTR_TIMEOUT	1.0	/* seconds, see server.c */
double famfs_srv_attr_timeout(const struct famfs_server *srv);
void famfs_srv_fill_entry(struct famfs_server *srv,
			  struct fuse_entry_param *e, uint64_t ino);
void famfs_srv_invalidate(struct famfs_server *srv, uint64_t since);
int famfs_srv_fmap_bounded(struct famfs_server *srv,
			   const struct famfs_fmap *m);

/* server_data.c: the fallback data path */
void famfs_ll_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi);
void famfs_ll_release(fuse_req_t req, fuse_ino_t ino,
		      struct fuse_file_info *fi);
void famfs_ll_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
		   struct fuse_file_info *fi);
void famfs_ll_write(fuse_req_t req, fuse_ino_t ino, const char *buf,
		    size_t size, off_t off, struct fuse_file_info *fi);
void famfs_ll_fsync(fuse_req_t req, fuse_ino_t ino, int datasync,
		    struct fuse_file_info *fi);
void famfs_ll_flush(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi);

/* server_node.c: every kind of inode, xattrs, attributes */
struct famfs_node;
struct famfs_attr_info;
int famfs_srv_may_setattr(const struct famfs_node *n, uid_t uid,
			  const struct famfs_attr_info *a, int default_perm);
int famfs_srv_acl_mode(const void *value, size_t len, uint32_t *rwx);
void famfs_ll_symlink(fuse_req_t req, const char *link, fuse_ino_t parent,
		      const char *name);
void famfs_ll_mknod(fuse_req_t req, fuse_ino_t parent, const char *name,
		    mode_t mode, dev_t rdev);
void famfs_ll_link(fuse_req_t req, fuse_ino_t ino, fuse_ino_t newparent,
		   const char *newname);
void famfs_ll_setxattr(fuse_req_t req, fuse_ino_t ino, const char *name,
		       const char *value, size_t size, int flags);
void famfs_ll_removexattr(fuse_req_t req, fuse_ino_t ino, const char *name);
void famfs_ll_getxattr(fuse_req_t req, fuse_ino_t ino, const char *name,
		       size_t size);
void famfs_ll_listxattr(fuse_req_t req, fuse_ino_t ino, size_t size);
void famfs_ll_setattr(fuse_req_t req, fuse_ino_t ino, struct stat *attr,
		      int to_set, struct fuse_file_info *fi);
void famfs_ll_readlink(fuse_req_t req, fuse_ino_t ino);
int famfs_srv_kill_privs(struct famfs_server *srv, fuse_req_t req,
			 uint64_t ino);

/* server_io.c */
extern const struct fuse_custom_io famfs_custom_io;

/* server_ctl.c */
int famfs_ctl_open(struct famfs_server *srv, fuse_req_t req,
		   struct fuse_file_info *fi);
void famfs_ctl_write(struct famfs_server *srv, fuse_req_t req,
		     const char *buf, size_t size, off_t off,
		     struct fuse_file_info *fi);
void famfs_ctl_ioctl(struct famfs_server *srv, fuse_req_t req,
		     unsigned int cmd, struct fuse_file_info *fi,
		     unsigned int flags, const void *in, size_t in_size,
		     size_t out_size);
void famfs_ctl_read(fuse_req_t req, size_t size, off_t off,
		    struct fuse_file_info *fi);
void famfs_ctl_release(struct famfs_server *srv, struct fuse_file_info *fi);
void famfs_ctl_release_all(struct famfs_server *srv);
int famfs_srv_status_json(struct famfs_server *srv, char *buf, size_t len);

/*
 * server_fault.c: malformed kernel-protocol replies for the fault builds;
 * nothing at all in a release build.
 */
struct fuse_daxdev_out;
struct stat;
#ifdef FAMFS_FAULT_INJECT
void *famfs_srv_fault_fmap(struct famfs_server *srv, void *buf, int *n);
void famfs_srv_fault_daxdev(struct fuse_daxdev_out *out);
void famfs_srv_fault_attr(struct stat *st);
#else
static inline void *famfs_srv_fault_fmap(struct famfs_server *srv, void *buf,
					 int *n)
{
	(void)srv;
	(void)n;
	return buf;
}

static inline void famfs_srv_fault_daxdev(struct fuse_daxdev_out *out)
{
	(void)out;
}

static inline void famfs_srv_fault_attr(struct stat *st)
{
	(void)st;
}
#endif

#endif /* FAMFS_SERVER_PRIV_H */
