// SPDX-License-Identifier: Apache-2.0
/*
 * The control file, .meta/.ctl: how the famfs CLI asks a running server to
 * create files and directories, replay, or report its status.  Only root
 * may open it or write a request to it (both checked here, whatever
 * default_permissions says); mutating requests are refused on a client.
 * Each open file carries the reply to its last request.
 */
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "famfs_json.h"
#include "server_priv.h"

/*
 * One open control file.  Open ones are listed in the server (->ctl_open,
 * under ->lock): the kernel sends RELEASE asynchronously, so a file closed
 * just before umount may never be released; the server frees the rest
 * when it is destroyed.
 */
struct ctl_sess {
	struct ctl_sess *next, *prev;
	size_t len;			/* reply bytes, 0 before a request */
	struct famfs_ctl_drep rep;
	/*
	 * The decoded request and the reply being made: the kernel sends one
	 * request of an open file at a time (write, then read of the reply),
	 * and a tree copy sends thousands: no allocation per request.
	 */
	struct famfs_ctl_req q;
	struct famfs_ctl_rep r;
};

int famfs_ctl_open(struct famfs_server *srv, fuse_req_t req,
		   struct fuse_file_info *fi)
{
	const struct fuse_ctx *cx = fuse_req_ctx(req);
	struct ctl_sess *s;

	if (cx->uid != 0) {
		srv_log(srv, LOG_WARNING, "ctl-denied", "control file opened by uid %u (pid %d): refused (EACCES)",
			(unsigned int)cx->uid, (int)cx->pid);
		return -EACCES;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	pthread_rwlock_wrlock(&srv->lock);
	s->next = srv->ctl_open;
	if (s->next)
		s->next->prev = s;
	srv->ctl_open = s;
	pthread_rwlock_unlock(&srv->lock);
	fi->fh = (uintptr_t)s;
	fi->direct_io = 1;
	return 0;
}

static void unlink_sess(struct famfs_server *srv, struct ctl_sess *s)
{
	if (s->prev)
		s->prev->next = s->next;
	else
		srv->ctl_open = s->next;
	if (s->next)
		s->next->prev = s->prev;
	free(s);
}

void famfs_ctl_release(struct famfs_server *srv, struct fuse_file_info *fi)
{
	pthread_rwlock_wrlock(&srv->lock);
	unlink_sess(srv, (struct ctl_sess *)(uintptr_t)fi->fh);
	pthread_rwlock_unlock(&srv->lock);
}

/* The server is going away: free the files never released. */
void famfs_ctl_release_all(struct famfs_server *srv)
{
	while (srv->ctl_open)
		unlink_sess(srv, srv->ctl_open);
}

/*
 * May creat/cp restart on @m?  A request that names no interleave takes
 * the file as it is laid out (re-randomizing a file cp -N made); one that
 * does must find that layout.
 */
static int same_layout(const struct famfs_fmap *m,
		       const struct famfs_ctl_req *q)
{
	if (!q->nstrips)
		return 1;
	if (q->size <= q->chunk)
		return m->ext_type == FAMFS_EXT_SIMPLE;
	return m->ext_type == FAMFS_EXT_INTERLEAVE &&
	       m->nextents == q->nstrips && m->chunk == q->chunk;
}

static int create_file(struct famfs_server *srv, const struct famfs_ctl_req *q,
		       struct famfs_ctl_rep *r, struct famfs_why *why)
{
	struct famfs_layout lay = { .nstrips = q->nstrips, .chunk = q->chunk };
	struct famfs_fs *fs = srv->fs;
	const struct famfs_node *n;
	int rc;

	rc = famfs_fs_mkfile_layout(fs, q->path, q->size, q->mode, q->uid,
				    q->gid, &lay, why);
	n = famfs_ns_lookup(&fs->ns, q->path, strlen(q->path));
	if (rc == -EEXIST && (q->flags & FAMFS_CTL_F_EXIST_OK) && n &&
	    n->type == FAMFS_ENTRY_FILE && n->size == q->size &&
	    same_layout(n->file, q))
		rc = 0;			/* restartable: same file again */
	else if (rc == -EEXIST && n && n->type == FAMFS_ENTRY_FILE &&
		 n->size == q->size)
		famfs_why_set(why, "'%s' exists with size %" PRIu64 " but another layout (%s; asked: interleaved over %u strips of %" PRIu64 " bytes)",
			      q->path, n->size,
			      n->file->ext_type == FAMFS_EXT_INTERLEAVE ?
			      "interleaved" : "contiguous", q->nstrips, q->chunk);
	else if (rc == -EEXIST && n && n->type == FAMFS_ENTRY_FILE)
		famfs_why_set(why, "'%s' exists with size %" PRIu64, q->path,
			      n->size);
	else if (!rc)
		r->count = 1;
	if (n)
		r->ino = n->ino;
	return rc;
}

/* mkdir -p: every missing component; existing directories are fine. */
static int make_dirs(struct famfs_server *srv, const struct famfs_ctl_req *q,
		     struct famfs_ctl_rep *r, struct famfs_why *why)
{
	struct famfs_fs *fs = srv->fs;
	char path[FAMFS_PATH_MAX + 1];
	const struct famfs_node *n;
	size_t len = strlen(q->path);
	int rc = 0;

	memcpy(path, q->path, len + 1);
	for (size_t i = 1; i <= len && !rc; i++) {
		if (i < len && path[i] != '/')
			continue;
		path[i] = 0;
		n = famfs_ns_lookup(&fs->ns, path, i);
		if (n && n->type != FAMFS_ENTRY_MKDIR) {
			famfs_why_set(why, "'%s' is a file", path);
			rc = -ENOTDIR;
		} else if (!n) {
			/* as mkdir(1) -p: parents get the default mode */
			rc = famfs_fs_mkdir(fs, path, i < len ? 0755 : q->mode,
					    q->uid, q->gid, why);
			r->count += !rc;
			if (rc == -EEXIST)	/* made meanwhile by another */
				rc = 0;
		}
		if (i < len)
			path[i] = '/';
	}
	n = famfs_ns_lookup(&fs->ns, q->path, len);
	r->ino = n ? n->ino : 0;
	return rc;
}

static int make_dir(struct famfs_server *srv, const struct famfs_ctl_req *q,
		    struct famfs_ctl_rep *r, struct famfs_why *why)
{
	const struct famfs_node *n;
	int rc;

	if (q->flags & FAMFS_CTL_F_PARENTS)
		return make_dirs(srv, q, r, why);
	rc = famfs_fs_mkdir(srv->fs, q->path, q->mode, q->uid, q->gid, why);
	n = famfs_ns_lookup(&srv->fs->ns, q->path, strlen(q->path));
	r->ino = n ? n->ino : 0;
	r->count = !rc;
	return rc;
}

static int count_entry(void *arg, const struct famfs_entry *e, uint64_t off)
{
	(void)e;
	(void)off;
	(*(uint64_t *)arg)++;
	return 0;
}

static int logplay(struct famfs_server *srv, const struct famfs_ctl_req *q,
		   struct famfs_ctl_rep *r, struct famfs_why *why)
{
	struct famfs_fs *fs = srv->fs;
	struct famfs_scan scan;
	struct famfs_log log;
	uint64_t off, seq;
	int rc;

	if (!(q->flags & FAMFS_CTL_F_DRYRUN)) {
		rc = famfs_srv_refresh(srv);
		pthread_rwlock_rdlock(&srv->lock);
		if (rc >= 0 && srv->sm.state == SRV_ST_DAMAGED)
			rc = -EFSCORRUPTED;	/* asked for: say where it stops */
		pthread_rwlock_unlock(&srv->lock);
		if (rc < 0) {
			pthread_rwlock_rdlock(&srv->lock);
			famfs_why_set(why, "%s", srv->stale_why[0] ?
				      srv->stale_why : srv->damage_why[0] ?
				      srv->damage_why : strerror(-rc));
			pthread_rwlock_unlock(&srv->lock);
			return rc;
		}
		r->count = (uint64_t)rc;
		return 0;
	}
	/* a private copy of the log state: readers share ->lock */
	pthread_rwlock_rdlock(&srv->lock);
	log = fs->log;
	off = fs->applied_off;
	seq = fs->applied_seq;
	pthread_rwlock_unlock(&srv->lock);
	rc = famfs_log_read_tail(&log, why);
	if (!rc)
		famfs_log_scan(&log, off, seq, log.tail.next_off, count_entry,
			       &r->count, &scan);
	return rc;
}

static int getmap(struct famfs_server *srv, const struct famfs_ctl_req *q,
		  struct famfs_ctl_rep *r, struct famfs_why *why)
{
	const struct famfs_node *n;
	const struct famfs_fmap *m;
	size_t used;

	pthread_rwlock_rdlock(&srv->lock);
	n = famfs_ns_lookup(&srv->fs->ns, q->path, strlen(q->path));
	pthread_rwlock_unlock(&srv->lock);
	if (!n || !n->file) {
		famfs_why_set(why, "'%s' is %s", q->path,
			      n ? "a directory" : "not in this filesystem");
		return n ? -EISDIR : -ENOENT;
	}
	m = n->file;
	r->ino = n->ino;
	r->count = m->nextents;
	used = (size_t)snprintf(r->msg, sizeof(r->msg),
				"{\"size\":%" PRIu64 ",\"ext_type\":\"%s\",\"chunk\":%" PRIu64 ",\"extents\":[",
				m->size, m->ext_type ? "interleave" : "simple",
				m->chunk);
	for (uint32_t i = 0; i < m->nextents && used < sizeof(r->msg); i++)
		used += (size_t)snprintf(r->msg + used, sizeof(r->msg) - used,
					 "%s{\"dev\":%u,\"offset\":%" PRIu64 ",\"len\":%" PRIu64 "}",
					 i ? "," : "", m->ext[i].dev,
					 m->ext[i].offset, m->ext[i].len);
	if (used < sizeof(r->msg))
		snprintf(r->msg + used, sizeof(r->msg) - used, "]}");
	return 0;
}

/* Add the device at q->path (absolute) as the next index; ->lock held. */
static int devadd(struct famfs_server *srv, const struct famfs_ctl_req *q,
		  struct famfs_ctl_rep *r, struct famfs_why *why)
{
	struct famfs_dev dev;
	uint32_t idx;
	int rc;

	if (q->path[0] != '/') {
		famfs_why_set(why, "the device path must be absolute");
		return -EINVAL;
	}
	rc = famfs_fs_index_of(srv->fs, q->path);
	if (rc >= 0) {
		famfs_why_set(why, "already device %d of this filesystem", rc);
		return -EEXIST;
	}
	rc = famfs_dev_in_use(q->path, why);
	if (rc > 0)
		return -EBUSY;
	rc = famfs_dev_open(&dev, q->path, FAMFS_DEV_RDWR | FAMFS_DEV_EXCL, why);
	if (!rc)
		rc = famfs_fs_add_device(srv->fs, &dev, !!(q->flags & FAMFS_CTL_F_FORCE),
					 &idx, why);
	famfs_dev_close(&dev);
	if (!rc)
		r->count = idx;
	return rc;
}

/* ---- root trees: MKNODE, LINK, SETXATTR, SETATTR ------------------------ */

static int times_equal(struct famfs_time a, struct famfs_time b)
{
	return a.sec == b.sec && a.nsec == b.nsec;
}

/* The request's ctime, or the server's clock when it names none. */
static struct famfs_time req_ctime(const struct famfs_ctl_req *q)
{
	return q->ctime.sec || q->ctime.nsec ? q->ctime : famfs_now();
}

/*
 * MKNODE over an existing @n (F_EXIST_OK): the same node again when it has
 * the type, and the size and layout, device number or target asked for;
 * then mode, owner and mtime are brought to the request's (one ATTR entry,
 * only when one differs); the reply's count stays 0: no node was made.
 * -EEXIST when it is another node.
 */
static int node_again(struct famfs_server *srv, const struct famfs_node *n,
		      const struct famfs_ctl_req *q, struct famfs_ctl_rep *r,
		      struct famfs_why *why)
{
	const struct famfs_node *i = famfs_ns_inode(n);
	uint32_t fmt = q->mode & S_IFMT;
	struct famfs_attr_info a = { 0 };

	if (i->ifmt != fmt ||
	    (fmt == S_IFREG && (i->size != q->size ||
				(i->file && !same_layout(i->file, q)))) ||
	    (fmt == S_IFLNK && (!i->target || strcmp(i->target, (const char *)q->data))) ||
	    ((fmt == S_IFCHR || fmt == S_IFBLK) &&
	     (i->rdev_major != q->rdev_major || i->rdev_minor != q->rdev_minor))) {
		famfs_why_set(why, "'%s' already exists as another %s", q->path,
			      i->ifmt == fmt ? "node of that type" : "type of node");
		return -EEXIST;
	}
	r->ino = i->ino;
	a.mode = q->mode & 07777;
	a.uid = q->uid;
	a.gid = q->gid;
	a.mtime = q->mtime;
	a.valid = (i->mode != a.mode ? FAMFS_ATTR_MODE : 0) |
		  (i->uid != a.uid ? FAMFS_ATTR_UID : 0) |
		  (i->gid != a.gid ? FAMFS_ATTR_GID : 0) |
		  (!times_equal(i->mtime, a.mtime) ? FAMFS_ATTR_MTIME : 0);
	if (!a.valid)
		return 0;
	a.valid |= FAMFS_ATTR_CTIME;
	a.ctime = req_ctime(q);
	return famfs_fs_setattr(srv->fs, q->path, &a, why);	/* count: 0,
								 * none made */
}

static int make_node(struct famfs_server *srv, const struct famfs_ctl_req *q,
		     struct famfs_ctl_rep *r, struct famfs_why *why)
{
	struct famfs_layout lay = { .nstrips = q->nstrips, .chunk = q->chunk };
	struct famfs_inode_info a = {
		.mode = q->mode, .uid = q->uid, .gid = q->gid,
		.rdev_major = q->rdev_major, .rdev_minor = q->rdev_minor,
		.mtime = q->mtime, .ctime = req_ctime(q),
	};
	int lnk = (q->mode & S_IFMT) == S_IFLNK;
	const struct famfs_node *n;
	int rc;

	rc = famfs_fs_mknode(srv->fs, q->path, &a, q->size, &lay,
			     lnk ? (const char *)q->data : NULL, why);
	n = famfs_ns_lookup(&srv->fs->ns, q->path, strlen(q->path));
	if (rc == -EEXIST && n && (q->flags & FAMFS_CTL_F_EXIST_OK))
		return node_again(srv, n, q, r, why);
	r->count = !rc;
	r->ino = n ? n->ino : 0;
	return rc;
}

/* LINK: q->path becomes a name of q->src; the same again is fine. */
static int make_link(struct famfs_server *srv, const struct famfs_ctl_req *q,
		     struct famfs_ctl_rep *r, struct famfs_why *why)
{
	struct famfs_ns *ns = &srv->fs->ns;
	const struct famfs_node *n, *t;
	int rc;

	/* the second path is checked as the first is (by the lib) */
	rc = famfs_path_check(q->src, strlen(q->src), why);
	if (rc)
		return -EINVAL;
	rc = famfs_fs_link(srv->fs, q->path, q->src, why);
	n = famfs_ns_lookup(ns, q->path, strlen(q->path));
	t = famfs_ns_lookup(ns, q->src, strlen(q->src));
	if (rc == -EEXIST && n && t && famfs_ns_inode(n) == famfs_ns_inode(t) &&
	    (q->flags & FAMFS_CTL_F_EXIST_OK))
		rc = 0;			/* restartable: that link is there */
	else if (rc == -EEXIST && n && t)
		famfs_why_set(why, "'%s' already exists (%s '%s')", q->path,
			      famfs_ns_inode(n) == famfs_ns_inode(t) ?
			      "a name of" : "not a name of", q->src);
	else
		r->count = !rc;
	r->ino = n ? n->ino : 0;
	return rc;
}

static int set_xattr(struct famfs_server *srv, const struct famfs_ctl_req *q,
		     struct famfs_ctl_rep *r, struct famfs_why *why)
{
	const struct famfs_node *n = famfs_ns_lookup(&srv->fs->ns, q->path,
						     strlen(q->path));
	const struct famfs_xattr *x = n ? famfs_ns_getxattr(famfs_ns_inode(n),
							    q->src) : NULL;
	uint32_t flags = (q->xflags & FAMFS_CTL_X_REMOVE ? FAMFS_XATTR_REMOVE : 0) |
			 (q->xflags & FAMFS_CTL_X_CREATE ? FAMFS_SETX_CREATE : 0) |
			 (q->xflags & FAMFS_CTL_X_REPLACE ? FAMFS_SETX_REPLACE : 0);
	int rc;

	if (n && (q->flags & FAMFS_CTL_F_EXIST_OK)) {
		r->ino = n->ino;
		if (flags & FAMFS_XATTR_REMOVE ? !x :
		    x && x->value_len == q->data_len &&
		    !memcmp(x->value, q->data, q->data_len))
			return 0;	/* already so: nothing logged */
	}
	rc = famfs_fs_setxattr(srv->fs, q->path, q->src, q->data, q->data_len,
			       flags, why);
	r->count = !rc;
	return rc;
}

static int set_attr(struct famfs_server *srv, const struct famfs_ctl_req *q,
		    struct famfs_ctl_rep *r, struct famfs_why *why)
{
	const struct famfs_node *n = famfs_ns_lookup(&srv->fs->ns, q->path,
						     strlen(q->path));
	const struct famfs_node *i = n ? famfs_ns_inode(n) : NULL;
	struct famfs_attr_info a = {
		.mode = q->mode, .uid = q->uid, .gid = q->gid,
		.mtime = q->mtime, .ctime = req_ctime(q),
	};
	int rc;

	a.valid = (q->valid & FAMFS_CTL_A_MODE ? FAMFS_ATTR_MODE : 0) |
		  (q->valid & FAMFS_CTL_A_UID ? FAMFS_ATTR_UID : 0) |
		  (q->valid & FAMFS_CTL_A_GID ? FAMFS_ATTR_GID : 0) |
		  (q->valid & FAMFS_CTL_A_MTIME ? FAMFS_ATTR_MTIME : 0) |
		  (q->valid & FAMFS_CTL_A_CTIME ? FAMFS_ATTR_CTIME : 0);
	if (i && (q->flags & FAMFS_CTL_F_EXIST_OK) &&
	    !(a.valid & FAMFS_ATTR_CTIME) &&
	    (!(a.valid & FAMFS_ATTR_MODE) || i->mode == a.mode) &&
	    (!(a.valid & FAMFS_ATTR_UID) || i->uid == a.uid) &&
	    (!(a.valid & FAMFS_ATTR_GID) || i->gid == a.gid) &&
	    (!(a.valid & FAMFS_ATTR_MTIME) || times_equal(i->mtime, a.mtime))) {
		r->ino = i->ino;
		return 0;		/* already so: nothing logged */
	}
	rc = famfs_fs_setattr(srv->fs, q->path, &a, why);
	r->ino = i ? i->ino : 0;
	r->count = !rc;
	return rc;
}

/*
 * May this server create now?  On success ->lock is held for writing,
 * caught up with what other writers appended.
 */
static int mutate_begin(struct famfs_server *srv, struct famfs_why *why)
{
	int rc;

	if (!srv->opts.master) {
		famfs_why_set(why, "this host is a client of the filesystem: only the master can create");
		return -EROFS;
	}
	/* catch up first: damage another writer left is seen before creating */
	rc = famfs_srv_refresh(srv);
	pthread_rwlock_wrlock(&srv->lock);
	if (rc == -ESTALE || srv->sm.state != SRV_ST_SERVING) {
		famfs_why_set(why, "the filesystem is %s (%s): creates are refused; run famfs fsck",
			      famfs_sm_name(&srv->sm), rc == -ESTALE ?
			      srv->stale_why : srv->damage_why);
		pthread_rwlock_unlock(&srv->lock);
		return rc == -ESTALE ? rc : -EROFS;
	}
	return 0;
}

/* One mutating request, ->lock held for writing. */
static int run_op(struct famfs_server *srv, const struct famfs_ctl_req *q,
		  struct famfs_ctl_rep *r, struct famfs_why *why)
{
	switch (q->op) {
	case FAMFS_CTL_CREATE:
		return create_file(srv, q, r, why);
	case FAMFS_CTL_MKDIR:
		return make_dir(srv, q, r, why);
	case FAMFS_CTL_DEVADD:
		return devadd(srv, q, r, why);
	case FAMFS_CTL_MKNODE:
		return make_node(srv, q, r, why);
	case FAMFS_CTL_LINK:
		return make_link(srv, q, r, why);
	case FAMFS_CTL_SETXATTR:
		return set_xattr(srv, q, r, why);
	case FAMFS_CTL_SETATTR:
		return set_attr(srv, q, r, why);
	}
	return famfs_fs_clone(srv->fs, q->src, q->path, why);
}

/*
 * A link, an attribute or xattr change (or a node made again with other
 * attributes) changes what the kernel caches of an inode it may know
 * under any of its names: it asks again.  A node just made is not known.
 */
static int stale_inode(const struct famfs_ctl_req *q,
		       const struct famfs_ctl_rep *r)
{
	return r->ino && q->op >= FAMFS_CTL_MKNODE &&
	       !(q->op == FAMFS_CTL_MKNODE && r->count);
}

static int mutate(struct famfs_server *srv, const struct famfs_ctl_req *q,
		  struct famfs_ctl_rep *r, struct famfs_why *why)
{
	int rc = mutate_begin(srv, why);

	if (rc)
		return rc;
	rc = run_op(srv, q, r, why);
	pthread_rwlock_unlock(&srv->lock);
	if (!rc && r->ino && srv->se && q->op >= FAMFS_CTL_MKNODE)
		fuse_lowlevel_notify_inval_inode(srv->se, r->ino, -1, 0);
	return rc;
}

/* What one batch did: per record made or not, the inodes to invalidate. */
struct batch_out {
	uint8_t made[FAMFS_CTL_BATCH_MAX];
	uint64_t inval[FAMFS_CTL_BATCH_MAX];
	uint32_t done, ninval;
};

/*
 * The records of a checked batch, in order, under ->lock and one log lock
 * (famfs_fs_batch_begin); their entries are published together at the
 * end, before ->lock goes: no reader, here or on another host, sees a
 * part of the batch.  Stops at the first record that fails.
 */
static int run_batch(struct famfs_server *srv, const void *buf, size_t len,
		     uint32_t n, struct ctl_sess *s, struct batch_out *o,
		     struct famfs_why *why)
{
	size_t off = sizeof(struct famfs_ctl_dbatch);
	int rc = mutate_begin(srv, why);

	if (rc)
		return rc;
	rc = famfs_fs_batch_begin(srv->fs, why);
	for (; !rc && o->done < n; o->done += !rc) {
		memset(&s->r, 0, offsetof(struct famfs_ctl_rep, msg));
		rc = famfs_ctl_batch_next(buf, len, &off, &s->q, why);
		if (!rc)
			rc = run_op(srv, &s->q, &s->r, why);
		if (rc)
			break;
		o->made[o->done] = s->r.count != 0;
		if (stale_inode(&s->q, &s->r))
			o->inval[o->ninval++] = s->r.ino;
	}
	famfs_fs_batch_end(srv->fs);
	pthread_rwlock_unlock(&srv->lock);
	return rc;
}

/* BATCH: the reply says how many records were done, which were made. */
static int batch(struct famfs_server *srv, const void *buf, size_t len,
		 struct ctl_sess *s, struct famfs_ctl_rep *r)
{
	struct famfs_why why = { "" };
	struct batch_out *o = calloc(1, sizeof(*o));
	uint32_t n = 0;
	size_t used;
	int rc;

	if (!o)
		return ENOMEM;
	if (famfs_ctl_batch_check(buf, len, &n, &why)) {
		srv_log(srv, LOG_WARNING, "ctl-bad", "malformed batch request: %s",
			why.msg);
		free(o);
		return EINVAL;
	}
	rc = run_batch(srv, buf, len, n, s, o, &why);
	for (uint32_t i = 0; srv->se && i < o->ninval; i++)
		fuse_lowlevel_notify_inval_inode(srv->se, o->inval[i], -1, 0);
	memset(r, 0, sizeof(*r));
	r->count = o->done;
	r->err = rc < 0 ? -rc : 0;
	famfs_ctl_batch_made_put(r->msg, sizeof(r->msg), o->made, o->done);
	used = strlen(r->msg);
	if (rc < 0) {
		snprintf(r->msg + used, sizeof(r->msg) - used, " %s",
			 why.msg[0] ? why.msg : strerror(-rc));
		srv_log(srv, rc == -ENOSPC || rc == -EROFS ? LOG_WARNING : LOG_NOTICE,
			"ctl-failed", "batch record %u of %u failed: %s",
			o->done, n, r->msg + used + 1);
	}
	free(o);
	return 0;
}

static void handle(struct famfs_server *srv, const struct famfs_ctl_req *q,
		   struct famfs_ctl_rep *r)
{
	struct famfs_why why = { "" };
	int rc;

	switch (q->op) {
	case FAMFS_CTL_STATUS:
		rc = famfs_srv_status_json(srv, r->msg, sizeof(r->msg));
		break;
	case FAMFS_CTL_LOGPLAY:
		rc = logplay(srv, q, r, &why);
		break;
	case FAMFS_CTL_GETMAP:
		rc = getmap(srv, q, r, &why);
		break;
	case FAMFS_CTL_EVENTS:
		rc = srv->opts.slog ? famfs_slog_recent_json(srv->opts.slog, r->msg,
							    sizeof(r->msg)) : 0;
		if (!srv->opts.slog)
			snprintf(r->msg, sizeof(r->msg), "[]");
		rc = rc < 0 ? rc : 0;
		break;
	default:
		rc = mutate(srv, q, r, &why);
		break;
	}
	r->err = rc < 0 ? -rc : 0;
	if (rc < 0)
		snprintf(r->msg, sizeof(r->msg), "%s",
			 why.msg[0] ? why.msg : strerror(-rc));
	if (rc < 0 && q->op != FAMFS_CTL_GETMAP && q->op != FAMFS_CTL_EVENTS)
		srv_log(srv, rc == -ENOSPC || rc == -EROFS ? LOG_WARNING : LOG_NOTICE,
			"ctl-failed", "control request %u on '%s' failed: %s",
			q->op, q->path, r->msg);
}

/*
 * Decode, check and run one request from @req into @out; 0 or an errno
 * for the reply.  The caller of each request must be root, not only the
 * opener: a root-opened descriptor passed to (or inherited by) another
 * user drives nothing.
 */
static int serve_request(struct famfs_server *srv, fuse_req_t req,
			 const void *buf, size_t size, struct ctl_sess *s,
			 struct famfs_ctl_drep *out)
{
	const struct fuse_ctx *cx = fuse_req_ctx(req);
	struct famfs_ctl_req *q = &s->q;
	struct famfs_ctl_rep *r = &s->r;
	struct famfs_why why = { "" };

	if (cx->uid != 0) {
		srv_log(srv, LOG_WARNING, "ctl-denied", "control request from uid %u (pid %d) refused (EACCES)",
			(unsigned int)cx->uid, (int)cx->pid);
		return EACCES;
	}
	if (famfs_ctl_is_batch(buf, size)) {
		int err = batch(srv, buf, size, s, r);

		if (!err)
			famfs_ctl_rep_encode(r, out);
		return err;
	}
	if (famfs_ctl_req_decode(buf, size, q, &why)) {
		srv_log(srv, LOG_WARNING, "ctl-bad", "malformed control request (pid %d): %s",
			(int)cx->pid, why.msg);
		return EINVAL;
	}
	memset(r, 0, sizeof(*r));
	handle(srv, q, r);
	famfs_ctl_rep_encode(r, out);
	return 0;
}

void famfs_ctl_write(struct famfs_server *srv, fuse_req_t req,
		     const char *buf, size_t size, off_t off,
		     struct fuse_file_info *fi)
{
	struct ctl_sess *s = (struct ctl_sess *)(uintptr_t)fi->fh;
	int err = off ? EINVAL : serve_request(srv, req, buf, size, s, &s->rep);

	if (err) {
		fuse_reply_err(req, err);
		return;
	}
	s->len = sizeof(s->rep);
	fuse_reply_write(req, size);
}

/*
 * The same request as one ioctl (FAMFS_CTL_IOC): what a read-only mount
 * allows, where the control file cannot be opened for writing.  The
 * buffer holds the request on the way in and the reply on the way out.
 */
void famfs_ctl_ioctl(struct famfs_server *srv, fuse_req_t req,
		     unsigned int cmd, struct fuse_file_info *fi,
		     unsigned int flags, const void *in, size_t in_size,
		     size_t out_size)
{
	struct ctl_sess *tmp;		/* ioctls of one file may overlap */
	int err;

	(void)fi;
	if (cmd != FAMFS_CTL_IOC || (flags & FUSE_IOCTL_COMPAT) ||
	    in_size != sizeof(tmp->rep) || out_size != sizeof(tmp->rep)) {
		fuse_reply_err(req, ENOTTY);
		return;
	}
	tmp = calloc(1, sizeof(*tmp));
	err = tmp ? serve_request(srv, req, in, sizeof(struct famfs_ctl_dreq),
				  tmp, &tmp->rep) : ENOMEM;
	if (err)
		fuse_reply_err(req, err);
	else
		fuse_reply_ioctl(req, 0, &tmp->rep, sizeof(tmp->rep));
	free(tmp);
}

void famfs_ctl_read(fuse_req_t req, size_t size, off_t off,
		    struct fuse_file_info *fi)
{
	struct ctl_sess *s = (struct ctl_sess *)(uintptr_t)fi->fh;
	struct famfs_ctl_drep copy;

	if (fuse_req_ctx(req)->uid != 0) {	/* replies hold device offsets */
		fuse_reply_err(req, EACCES);
		return;
	}
	if (!s->len) {
		fuse_reply_err(req, ENODATA);
		return;
	}
	if (off < 0 || (size_t)off >= s->len) {
		fuse_reply_buf(req, NULL, 0);
		return;
	}
	if (size > s->len - (size_t)off)
		size = s->len - (size_t)off;
	/*
	 * Reply from a copy on this stack: once the kernel has the bytes the
	 * caller may close the file, and another thread may free @s before
	 * writev() has returned here (ASan checks the iovec after the call).
	 */
	memcpy(&copy, (const char *)&s->rep + off, size);
	fuse_reply_buf(req, (const char *)&copy, size);
}

static const char *const ds_names[] = {
	[FAMFS_DS_UNKNOWN] = "unresolved",
	[FAMFS_DS_FOUND] = "found",
	[FAMFS_DS_MISSING] = "missing",
	[FAMFS_DS_MISMATCH] = "mismatch",
};

/* ,"devices":[...]: index, UUID, state, path or the reason it has none. */
static void devices_json(struct famfs_fs *fs, char *buf, size_t len)
{
	char uuid[FAMFS_UUID_STR], q[2 * FAMFS_WHY_LEN + 256];
	size_t used = (size_t)snprintf(buf, len, ",\"devices\":[");

	pthread_mutex_lock(&fs->dev_lock);
	for (uint32_t i = 0; i < famfs_fs_ndevs(fs) && used + 1 < len; i++) {
		const struct famfs_devslot *d = &fs->devs[i];

		famfs_uuid_str(d->uuid, uuid);
		famfs_json_quote(q, sizeof(q), d->dev ? d->dev->path : d->why);
		used += (size_t)snprintf(buf + used, len - used,
					 "%s{\"index\":%u,\"uuid\":\"%s\",\"size\":%" PRIu64 ",\"state\":\"%s\",\"%s\":%s}",
					 i ? "," : "", i, uuid, d->size,
					 ds_names[d->state],
					 d->dev ? "path" : "why", q);
	}
	pthread_mutex_unlock(&fs->dev_lock);
	if (used + 2 < len)
		snprintf(buf + used, len - used, "]");
	else
		snprintf(buf, len, ",\"devices\":\"too many to list\"");
}

int famfs_srv_status_json(struct famfs_server *srv, char *buf, size_t len)
{
	char devs[FAMFS_CTL_MSG - 1024], why[2 * FAMFS_WHY_LEN];
	struct famfs_fs *fs = srv->fs;
	char uuid[FAMFS_UUID_STR], mnt[2 * PATH_MAX], dev[2 * PATH_MAX];
	uint64_t cap, used;

	famfs_uuid_str(fs->sb.fs_uuid, uuid);
	pthread_rwlock_rdlock(&srv->lock);
	cap = famfs_fs_capacity(fs);
	used = famfs_fs_used(fs);
	famfs_json_quote(mnt, sizeof(mnt), srv->opts.mnt);
	famfs_json_quote(dev, sizeof(dev), fs->dev.path);
	devices_json(fs, devs, sizeof(devs));
	famfs_json_quote(why, sizeof(why), famfs_srv_is_stale(srv) ?
			 srv->stale_why : famfs_srv_is_damaged(srv) ?
			 srv->damage_why : "");
	snprintf(buf, len,
		 "{\"mount\":%s,\"device\":%s,\"device_kind\":\"%s\","
		 "\"device_access\":\"%s\","
		 "\"fs_uuid\":\"%s\",\"role\":\"%s\",\"state\":\"%s\",\"state_why\":%s,\"pid\":%d,"
		 "\"data_path\":\"%s\",\"capacity\":%" PRIu64 ",\"used\":%" PRIu64 ","
		 "\"free\":%" PRIu64 ",\"files\":%" PRIu64 ",\"directories\":%" PRIu64 ","
		 "\"log_entries\":%" PRIu64 ",\"log_used\":%" PRIu64 ",\"log_len\":%" PRIu64 ","
		 "\"reads\":%" PRIu64 ",\"writes\":%" PRIu64 ",\"fmaps\":%" PRIu64 ","
		 "\"daxdevs\":%" PRIu64 ",\"replays\":%" PRIu64 "%s}",
		 mnt, dev, famfs_dev_kind_name(fs->dev.kind),
		 famfs_dev_access_name(&fs->dev), uuid, srv->opts.master ? "master" : "client",
		 famfs_sm_name(&srv->sm), why, (int)getpid(),
		 srv->dax_on ? "dax" : "fallback", cap, used, cap - used,
		 fs->ns.nfiles, fs->ns.ndirs, fs->applied_seq,
		 fs->log.tail.next_off, fs->log.info.log_len,
		 __atomic_load_n(&srv->n_read, __ATOMIC_RELAXED),
		 __atomic_load_n(&srv->n_write, __ATOMIC_RELAXED),
		 __atomic_load_n(&srv->n_fmap, __ATOMIC_RELAXED),
		 __atomic_load_n(&srv->n_daxdev, __ATOMIC_RELAXED),
		 __atomic_load_n(&srv->n_replay, __ATOMIC_RELAXED), devs);
	pthread_rwlock_unlock(&srv->lock);
	return 0;
}
