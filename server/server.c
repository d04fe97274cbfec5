// SPDX-License-Identifier: Apache-2.0
/*
 * The famfs FUSE server: low-level operations in the passthrough_ll shape.
 * All state is in struct famfs_server, passed as session userdata; every
 * handler replies exactly once.  Helpers return 0 or a negative errno.
 *
 * Nodes are never freed while mounted (the log only grows), so a node
 * pointer taken under ->lock stays valid after the lock is dropped, and so
 * does its map, which never changes.  ->lock guards the index structures
 * that replay grows, and what LINK, XATTR and ATTR entries change in a
 * node (links, xattrs, mode, owner, times): read those under it.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "server_priv.h"

#define COOKIE_DOT	1
#define COOKIE_DOTDOT	2
#define COOKIE_META	3
#define COOKIE_CHILD	16	/* children: their ino + COOKIE_CHILD */
#define COOKIE_ALIAS	(1ull << 62)	/* hard links' second names */

static const struct {
	const char *name;
	uint64_t ino;
} meta_files[] = {
	{ ".superblock", FAMFS_INO_SUPERBLOCK },
	{ ".log", FAMFS_INO_LOG },
	{ FAMFS_CTL_NAME, FAMFS_INO_CTL },
};

#define NMETA (sizeof(meta_files) / sizeof(meta_files[0]))

static int is_meta(uint64_t ino)
{
	return ino >= FAMFS_INO_META && ino <= FAMFS_INO_CTL;
}

static int is_client(const struct famfs_server *srv)
{
	return !srv->opts.master;
}

/* Attributes of a .meta inode. */
static void meta_attr(const struct famfs_server *srv, uint64_t ino,
		      struct stat *st)
{
	const struct famfs_sb_info *sb = &srv->fs->sb;

	st->st_ino = ino;
	st->st_nlink = 1;
	st->st_blksize = 4096;
	st->st_mtime = st->st_ctime = st->st_atime = (time_t)sb->mkfs_time;
	switch (ino) {
	case FAMFS_INO_META:
		st->st_mode = S_IFDIR | 0755;
		st->st_nlink = 2;
		break;
	case FAMFS_INO_SUPERBLOCK:
		st->st_mode = S_IFREG | 0444;
		st->st_size = (off_t)FAMFS_SB_REGION;
		break;
	case FAMFS_INO_LOG:
		/* written only by log appends, never through the mount */
		st->st_mode = S_IFREG | 0444;
		st->st_size = (off_t)sb->log_len;
		break;
	case FAMFS_INO_CTL:
		st->st_mode = S_IFREG | 0600;
		break;
	}
	st->st_blocks = st->st_size / 512;
}

static struct timespec ts_of(struct famfs_time t)
{
	return (struct timespec){ .tv_sec = (time_t)t.sec,
				  .tv_nsec = (long)t.nsec };
}

/*
 * The attributes of @n's inode (every name of a hard link has its ino).
 * A client shows regular files without write bits: its mount is
 * read-only and the files' memory is the master's to write.
 */
static void node_attr(const struct famfs_server *srv,
		      const struct famfs_node *n, struct stat *st)
{
	const struct famfs_node *i = famfs_ns_inode(n);

	memset(st, 0, sizeof(*st));
	st->st_ino = i->ino;
	st->st_mode = (mode_t)(i->ifmt | i->mode);
	if (is_client(srv) && S_ISREG(st->st_mode))
		st->st_mode &= ~(mode_t)0222;
	st->st_nlink = i->nlink;
	st->st_uid = i->uid;
	st->st_gid = i->gid;
	st->st_size = (off_t)i->size;
	st->st_rdev = makedev(i->rdev_major, i->rdev_minor);
	st->st_blksize = 4096;
	if (i->file)
		for (uint32_t k = 0; k < i->file->nextents; k++)
			st->st_blocks += (blkcnt_t)(i->file->ext[k].len / 512);
	st->st_mtim = ts_of(i->mtime);
	st->st_atim = st->st_mtim;	/* famfs keeps no access time */
	st->st_ctim = ts_of(i->ctime);
}

/* Attributes of any inode; -ENOENT if unknown.  Takes ->lock. */
int famfs_srv_attr(struct famfs_server *srv, uint64_t ino, struct stat *st)
{
	const struct famfs_node *n;

	memset(st, 0, sizeof(*st));
	if (is_meta(ino)) {
		meta_attr(srv, ino, st);
		return 0;
	}
	pthread_rwlock_rdlock(&srv->lock);
	n = famfs_ns_by_ino(&srv->fs->ns, ino);
	if (n)
		node_attr(srv, n, st);
	pthread_rwlock_unlock(&srv->lock);
	return n ? 0 : -ENOENT;
}

/* Look @name up in directory @parent; 0 and *ino, or -errno.  ->lock held. */
static int find_child(struct famfs_server *srv, uint64_t parent,
		      const char *name, uint64_t *ino)
{
	const struct famfs_node *p = famfs_ns_by_ino(&srv->fs->ns, parent);
	char path[FAMFS_PATH_MAX + 2];
	const struct famfs_node *n;
	int len;

	if (!p || p->type != FAMFS_ENTRY_MKDIR)
		return p ? -ENOTDIR : -ENOENT;
	len = snprintf(path, sizeof(path), "%s%s%s", p->path,
		       p->path_len ? "/" : "", name);
	if (len < 0 || (size_t)len > FAMFS_PATH_MAX)
		return -ENAMETOOLONG;
	n = famfs_ns_lookup(&srv->fs->ns, path, (size_t)len);
	if (!n)
		return -ENOENT;
	*ino = n->ino;
	return 0;
}

static int lookup_ino(struct famfs_server *srv, uint64_t parent,
		      const char *name, uint64_t *ino)
{
	int rc = -ENOENT;

	if (parent == FAMFS_INO_META) {
		for (size_t i = 0; i < NMETA; i++)
			if (!strcmp(name, meta_files[i].name))
				*ino = meta_files[i].ino;
		return *ino ? 0 : -ENOENT;
	}
	if (parent == FAMFS_ROOT_INO && !strcmp(name, FAMFS_META_DIR_NAME)) {
		*ino = FAMFS_INO_META;
		return 0;
	}
	for (int pass = 0; pass < 2 && rc == -ENOENT; pass++) {
		/* a miss re-reads the log tail once: another host may have
		 * created the name since the last replay */
		if (pass) {
			int r = famfs_srv_refresh(srv);

			if (r <= 0) {	/* damage: the name is not served */
				rc = r == -ESTALE ? r : rc;
				break;
			}
		}
		pthread_rwlock_rdlock(&srv->lock);
		rc = famfs_srv_is_stale(srv) ? -ESTALE :
		     find_child(srv, parent, name, ino);
		pthread_rwlock_unlock(&srv->lock);
	}
	return rc;
}

/*
 * How long the kernel may keep an inode's attributes.  A client learns of
 * the master's changes (ATTR, XATTR, LINK entries) only when it reads the
 * log, so its kernel asks again at least every FAMFS_CLIENT_ATTR_TIMEOUT
 * seconds: the getattr that follows replays and answers what is current.
 * On the master every change goes through this server, which invalidates
 * what it changed, so the mount's timeout stands.
 */
double famfs_srv_attr_timeout(const struct famfs_server *srv)
{
	if (!srv->opts.master && srv->opts.timeout > FAMFS_CLIENT_ATTR_TIMEOUT)
		return FAMFS_CLIENT_ATTR_TIMEOUT;
	return srv->opts.timeout;
}

/* An entry for @ino with the mount's timeouts and no attributes yet. */
static void entry_init(const struct famfs_server *srv,
		       struct fuse_entry_param *e, uint64_t ino)
{
	memset(e, 0, sizeof(*e));
	e->ino = ino;
	e->attr_timeout = famfs_srv_attr_timeout(srv);
	e->entry_timeout = srv->opts.timeout;
}

void famfs_srv_fill_entry(struct famfs_server *srv,
			  struct fuse_entry_param *e, uint64_t ino)
{
	entry_init(srv, e, ino);
	famfs_srv_attr(srv, ino, &e->attr);
}

static void famfs_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	struct famfs_server *srv = srv_of(req);
	struct fuse_entry_param e;
	uint64_t ino = 0;
	int rc = lookup_ino(srv, parent, name, &ino);

	if (rc) {
		fuse_reply_err(req, -rc);	/* no negative caching */
		return;
	}
	famfs_srv_fill_entry(srv, &e, ino);
	fuse_reply_entry(req, &e);
}

/* Nodes live as long as the mount: forget has nothing to release. */
static void famfs_forget(fuse_req_t req, fuse_ino_t ino, uint64_t nlookup)
{
	(void)ino;
	(void)nlookup;
	fuse_reply_none(req);
}

static void famfs_forget_multi(fuse_req_t req, size_t count,
			       struct fuse_forget_data *forgets)
{
	(void)count;
	(void)forgets;
	fuse_reply_none(req);
}

static void famfs_getattr(fuse_req_t req, fuse_ino_t ino,
			  struct fuse_file_info *fi)
{
	struct famfs_server *srv = srv_of(req);
	struct stat st;
	int rc;

	/* asked when the cache expired or was invalidated: catch up first
	 * (changed attributes of a replay are invalidated in the kernel) */
	(void)fi;
	if (!is_meta(ino))
		famfs_srv_refresh(srv);
	rc = famfs_srv_attr(srv, ino, &st);
	if (rc) {
		fuse_reply_err(req, -rc);
		return;
	}
	if (!is_meta(ino))
		famfs_srv_fault_attr(&st);
	fuse_reply_attr(req, &st, famfs_srv_attr_timeout(srv));
}

/* Only the control file answers an ioctl: a request on a read-only mount. */
static void famfs_ioctl(fuse_req_t req, fuse_ino_t ino, unsigned int cmd,
			void *arg,
			struct fuse_file_info *fi, unsigned int flags,
			const void *in, size_t in_size, size_t out_size)
{
	(void)arg;
	if (ino != FAMFS_INO_CTL) {
		fuse_reply_err(req, ENOTTY);
		return;
	}
	famfs_ctl_ioctl(srv_of(req), req, cmd, fi, flags, in,
			in_size, out_size);
}

/* A change the log cannot record: refused, and logged as misuse. */
static void reply_refuse(fuse_req_t req)
{
	struct famfs_server *srv = srv_of(req);
	const struct fuse_ctx *cx = fuse_req_ctx(req);

	srv_log(srv, LOG_WARNING, "refused-change",
		"refused a change through the mount (%s): pid %d uid %u",
		is_client(srv) ? "EROFS, a client" : "EPERM, preallocated files",
		(int)cx->pid, (unsigned int)cx->uid);
	fuse_reply_err(req, is_client(srv) ? EROFS : EPERM);
}

static void famfs_mkdir(fuse_req_t req, fuse_ino_t parent, const char *name,
			mode_t mode)
{
	(void)parent; (void)name; (void)mode;
	reply_refuse(req);
}

static void famfs_unlink(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	(void)parent; (void)name;
	reply_refuse(req);
}

static void famfs_rename(fuse_req_t req, fuse_ino_t parent, const char *name,
			 fuse_ino_t newparent, const char *newname,
			 unsigned int flags)
{
	(void)parent; (void)name; (void)newparent; (void)newname; (void)flags;
	reply_refuse(req);
}

static void famfs_create(fuse_req_t req, fuse_ino_t parent, const char *name,
			 mode_t mode, struct fuse_file_info *fi)
{
	(void)parent; (void)name; (void)mode; (void)fi;
	reply_refuse(req);
}

static void famfs_fallocate(fuse_req_t req, fuse_ino_t ino, int mode,
			    off_t offset, off_t length,
			    struct fuse_file_info *fi)
{
	(void)ino; (void)mode; (void)offset; (void)length; (void)fi;
	reply_refuse(req);
}

int famfs_srv_exists(struct famfs_server *srv, uint64_t ino)
{
	struct stat st;

	return famfs_srv_attr(srv, ino, &st) == 0;
}

static void famfs_opendir(fuse_req_t req, fuse_ino_t ino,
			  struct fuse_file_info *fi)
{
	struct stat st;
	int rc = famfs_srv_attr(srv_of(req), ino, &st);

	if (!rc && !S_ISDIR(st.st_mode))
		rc = -ENOTDIR;
	if (rc) {
		fuse_reply_err(req, -rc);
		return;
	}
	fi->fh = 0;
	fuse_reply_open(req, fi);
}

static void famfs_releasedir(fuse_req_t req, fuse_ino_t ino,
			     struct fuse_file_info *fi)
{
	(void)ino;
	(void)fi;
	fuse_reply_err(req, 0);
}

struct dirbuf {
	fuse_req_t req;
	struct famfs_server *srv;
	char *buf;
	size_t size, used;
	int plus;
};

/*
 * Add one entry; 0 if it fit, 1 if the buffer is full.  @n is the node of
 * a child (->lock held) or NULL (".", "..", .meta: looked up by @ino).  A
 * plain listing carries only the inode number and type.
 */
static int dir_add(struct dirbuf *d, const char *name, uint64_t ino,
		   const struct famfs_node *n, off_t next)
{
	struct fuse_entry_param e = { 0 };
	size_t len;

	if (!n) {
		famfs_srv_fill_entry(d->srv, &e, ino);
	} else if (d->plus) {
		entry_init(d->srv, &e, ino);
		node_attr(d->srv, n, &e.attr);
	} else {
		e.attr.st_ino = ino;
		e.attr.st_mode = (mode_t)famfs_ns_inode(n)->ifmt;
	}
	if (d->plus)
		len = fuse_add_direntry_plus(d->req, d->buf + d->used,
					     d->size - d->used, name, &e, next);
	else
		len = fuse_add_direntry(d->req, d->buf + d->used,
					d->size - d->used, name, &e.attr, next);
	if (len > d->size - d->used)
		return 1;
	d->used += len;
	return 0;
}

static void list_meta(struct dirbuf *d, off_t off)
{
	for (size_t i = (size_t)off; i < NMETA; i++)
		if (dir_add(d, meta_files[i].name, meta_files[i].ino, NULL,
			    (off_t)i + 1))
			return;
}

/*
 * The cookie after child @n: its inode number + COOKIE_CHILD, or for the
 * second name of a hard link (not in the inode index) COOKIE_ALIAS + the
 * seq of its LINK entry.
 */
static off_t child_cookie(const struct famfs_node *n)
{
	if (n->inode)
		return (off_t)(COOKIE_ALIAS + n->seq);
	return (off_t)(n->ino + COOKIE_CHILD);
}

/* The child of @dir a cookie names, or NULL.  ->lock held. */
static const struct famfs_node *cookie_child(struct famfs_server *srv,
					     const struct famfs_node *dir,
					     off_t off)
{
	const struct famfs_node *n;

	if ((uint64_t)off < COOKIE_ALIAS) {
		n = famfs_ns_by_ino(&srv->fs->ns, (uint64_t)off - COOKIE_CHILD);
		return n && n->parent == dir ? n : NULL;
	}
	/* rare: a listing that stopped at a hard link's second name */
	for (n = dir->child; n; n = n->sibling)
		if (n->inode && child_cookie(n) == off)
			return n;
	return NULL;
}

/*
 * Children are listed from the newest (head of the list); a listing
 * resumes at the sibling of the child its cookie names, in O(1) but for
 * hard links' second names.  The list only grows at its head, so resuming
 * is stable while other entries are added.  ->lock held.
 */
static void list_children(struct dirbuf *d, const struct famfs_node *dir,
			  off_t off)
{
	const struct famfs_node *n = dir->child;

	if (off >= COOKIE_CHILD) {
		n = cookie_child(d->srv, dir, off);
		n = n ? n->sibling : NULL;
	}
	for (; n; n = n->sibling)
		if (dir_add(d, n->path + n->name_off, n->ino, n,
			    child_cookie(n)))
			return;
}

static void list_dir(struct dirbuf *d, uint64_t ino, off_t off)
{
	const struct famfs_node *dir;

	pthread_rwlock_rdlock(&d->srv->lock);
	dir = famfs_ns_by_ino(&d->srv->fs->ns, ino);
	if (off < COOKIE_DOT && dir_add(d, ".", ino, NULL, COOKIE_DOT))
		goto out;
	if (off < COOKIE_DOTDOT &&
	    dir_add(d, "..", dir->parent ? dir->parent->ino : ino, NULL,
		    COOKIE_DOTDOT))
		goto out;
	if (ino == FAMFS_ROOT_INO && off < COOKIE_META &&
	    dir_add(d, FAMFS_META_DIR_NAME, FAMFS_INO_META, NULL,
		    COOKIE_META))
		goto out;
	list_children(d, dir, off < COOKIE_CHILD ? 0 : off);
out:
	pthread_rwlock_unlock(&d->srv->lock);
}

/*
 * A listing of up to DIRBUF_STACK bytes (what the kernel asks for a 32 KiB
 * getdents buffer, as readdir(3) uses) is built on the stack: a malloc of
 * that size is an mmap and munmap in musl, whose TLB shootdown across the
 * server's threads cost more than filling the entries.
 */
#define DIRBUF_STACK	32768

static void do_readdir(fuse_req_t req, fuse_ino_t ino, size_t size,
		       off_t off, int plus)
{
	char stack[DIRBUF_STACK];
	struct dirbuf d = { req, srv_of(req),
			    size <= sizeof(stack) ? stack : malloc(size),
			    size, 0, plus };
	struct stat st;
	int rc;

	if (!d.buf) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	/* a listing from the start re-reads the log tail; damage past what
	 * was replayed leaves the replayed prefix served, as mount says */
	rc = 0;
	if (off == 0 && ino != FAMFS_INO_META &&
	    famfs_srv_refresh(d.srv) == -ESTALE)
		rc = -ESTALE;
	if (ino != FAMFS_INO_META && famfs_srv_is_stale(d.srv))
		rc = -ESTALE;
	if (!rc || rc > 0)
		rc = famfs_srv_attr(d.srv, ino, &st);
	if (!rc && !S_ISDIR(st.st_mode))
		rc = -ENOTDIR;
	if (!rc && ino == FAMFS_INO_META)
		list_meta(&d, off);
	else if (!rc)
		list_dir(&d, ino, off);
	if (rc)
		fuse_reply_err(req, -rc);
	else
		fuse_reply_buf(req, d.buf, d.used);
	if (d.buf != stack)
		free(d.buf);
}

static void famfs_readdir(fuse_req_t req, fuse_ino_t ino, size_t size,
			  off_t off, struct fuse_file_info *fi)
{
	(void)fi;
	do_readdir(req, ino, size, off, 0);
}

static void famfs_readdirplus(fuse_req_t req, fuse_ino_t ino, size_t size,
			      off_t off, struct fuse_file_info *fi)
{
	(void)fi;
	do_readdir(req, ino, size, off, 1);
}

/*
 * Capacity and free space as fsck counts them: in allocation units, or in
 * 4 KiB blocks on a filesystem that packs small files (the part of a unit
 * small files have not used is free).  The preferred I/O size stays the
 * allocation unit.
 */
static void famfs_statfs(fuse_req_t req, fuse_ino_t ino)
{
	struct famfs_server *srv = srv_of(req);
	struct famfs_fs *fs = srv->fs;
	uint64_t au = fs->sb.alloc_unit, gr = famfs_sb_granule(&fs->sb);
	uint64_t cap, used, log_free;
	struct statvfs sv;

	(void)ino;
	memset(&sv, 0, sizeof(sv));
	pthread_rwlock_rdlock(&srv->lock);
	cap = famfs_fs_capacity(fs);
	used = famfs_fs_used(fs);
	log_free = fs->log.info.log_len - fs->log.tail.next_off;
	sv.f_files = fs->ns.count + 1 + log_free / 64;
	sv.f_ffree = log_free / 64;
	pthread_rwlock_unlock(&srv->lock);
	sv.f_bsize = au;
	sv.f_frsize = gr;
	sv.f_blocks = cap / gr;
	sv.f_bfree = (cap - used) / gr;
	sv.f_bavail = sv.f_bfree;
	sv.f_favail = sv.f_ffree;
	sv.f_namemax = FAMFS_NAME_MAX;
	fuse_reply_statfs(req, &sv);
}

/*
 * The kernel clears set-user-ID on write by calling setattr, which the
 * server logs (HANDLE_KILLPRIV off; on the fallback path famfs_ll_write
 * does it, see famfs_srv_kill_privs()).  POSIX ACLs stored as xattrs are
 * enforced by the kernel when it checks permissions (default_permissions:
 * FUSE_POSIX_ACL would turn it on regardless of -p).
 */
static void famfs_init(void *userdata, struct fuse_conn_info *conn)
{
	struct famfs_server *srv = userdata;

	/* nothing is cached that another host could change under us */
	conn->want &= ~FUSE_CAP_AUTO_INVAL_DATA;
	conn->want &= ~FUSE_CAP_HANDLE_KILLPRIV;
	if (conn->capable & FUSE_CAP_READDIRPLUS)
		conn->want |= FUSE_CAP_READDIRPLUS;
	if ((conn->capable & FUSE_CAP_POSIX_ACL) &&
	    srv->opts.default_permissions)
		conn->want |= FUSE_CAP_POSIX_ACL;
}

const struct fuse_lowlevel_ops famfs_ll_ops = {
	.init		= famfs_init,
	.lookup		= famfs_lookup,
	.forget		= famfs_forget,
	.forget_multi	= famfs_forget_multi,
	.getattr	= famfs_getattr,
	.setattr	= famfs_ll_setattr,
	.readlink	= famfs_ll_readlink,
	.mknod		= famfs_ll_mknod,
	.mkdir		= famfs_mkdir,
	.unlink		= famfs_unlink,
	.rmdir		= famfs_unlink,
	.symlink	= famfs_ll_symlink,
	.rename		= famfs_rename,
	.link		= famfs_ll_link,
	.create		= famfs_create,
	.fallocate	= famfs_fallocate,
	.setxattr	= famfs_ll_setxattr,
	.removexattr	= famfs_ll_removexattr,
	.getxattr	= famfs_ll_getxattr,
	.listxattr	= famfs_ll_listxattr,
	.open		= famfs_ll_open,
	.release	= famfs_ll_release,
	.read		= famfs_ll_read,
	.write		= famfs_ll_write,
	.flush		= famfs_ll_flush,
	.fsync		= famfs_ll_fsync,
	.ioctl		= famfs_ioctl,
	.opendir	= famfs_opendir,
	.releasedir	= famfs_releasedir,
	.readdir	= famfs_readdir,
	.readdirplus	= famfs_readdirplus,
	.statfs		= famfs_statfs,
};
