// SPDX-License-Identifier: Apache-2.0
/*
 * Inodes of every kind through the mount: symbolic links, extended
 * attributes, and on the master the changes the log records (symlink,
 * link, mknod of FIFOs, sockets and devices, setxattr, removexattr,
 * chmod, chown, utimens), each logged with the library's famfs_fs_*()
 * calls under ->lock (write), as the control file's creates are.  A client
 * refuses every change (EROFS: its mount is read-only).
 *
 * Permissions: with default_permissions the kernel checked the caller
 * before the request came; without it the server applies the owner rules
 * of chmod(2), chown(2) and utimensat(2) itself (famfs_srv_may_setattr()).
 *
 * What the kernel caches, and how a change reaches it:
 *  - attributes, for the mount's timeout (a year by default).  The master
 *    replies to its own changes with the new attributes; any host that
 *    replays LINK, XATTR or ATTR entries (a lookup miss, a listing, an
 *    open, a getattr or getxattr) invalidates those inodes' attributes and
 *    ACLs in its kernel (famfs_srv_invalidate()), so a client shows a
 *    change after its next look at the log, not within the timeout.
 *  - POSIX ACLs: FUSE_POSIX_ACL is requested when the mount uses
 *    default_permissions, so the kernel enforces system.posix_acl_access
 *    and _default, stored as ordinary xattrs; setting an access ACL also
 *    logs the mode bits it implies (the kernel leaves that to the server,
 *    and ignores an ACL whose group bits are 0).  Default ACLs are stored
 *    but not inherited by new nodes.
 *  - set-user-ID on write: HANDLE_KILLPRIV is off, so on the DAX path the
 *    kernel clears the bits with a SETATTR from the writer, which
 *    famfs_srv_may_setattr() lets anyone make; on the fallback path
 *    (direct I/O, no such SETATTR) famfs_srv_kill_privs() does it.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>

#include "server_priv.h"

#define NAME_IDENTITY	"user.famfs.identity"

/* Copy @ino's path (its first name) into @buf; 0 or -errno.  ->lock held. */
static int ino_path(struct famfs_server *srv, uint64_t ino, char *buf,
		    size_t len)
{
	const struct famfs_node *n = famfs_ns_by_ino(&srv->fs->ns, ino);

	if (ino >= FAMFS_INO_META)
		return -EPERM;		/* .meta: the log changes only by appends */
	if (!n)
		return -ENOENT;
	if (n->path_len >= len)
		return -ENAMETOOLONG;
	memcpy(buf, n->path, n->path_len + 1);
	return 0;
}

/* The path of @name in directory @parent; 0 or -errno.  ->lock held. */
static int child_path(struct famfs_server *srv, uint64_t parent,
		      const char *name, char *buf, size_t len)
{
	const struct famfs_node *p = famfs_ns_by_ino(&srv->fs->ns, parent);
	int n;

	if (parent >= FAMFS_INO_META)
		return -EPERM;
	if (!p)
		return -ENOENT;
	if (p->type != FAMFS_ENTRY_MKDIR)
		return -ENOTDIR;
	n = snprintf(buf, len, "%s%s%s", p->path, p->path_len ? "/" : "",
		     name);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/*
 * Start a change: a client refuses it; the master catches up with the log
 * and takes ->lock for writing (0), unless the mount is stale or damaged.
 */
static int change_begin(struct famfs_server *srv, struct famfs_why *why)
{
	int rc;

	if (!srv->opts.master) {
		famfs_why_set(why, "this host is a client: its mount is read-only");
		return -EROFS;
	}
	rc = famfs_srv_refresh(srv);
	pthread_rwlock_wrlock(&srv->lock);
	if (rc == -ESTALE || srv->sm.state != SRV_ST_SERVING) {
		famfs_why_set(why, "the filesystem is %s: changes are refused; run famfs fsck",
			      famfs_sm_name(&srv->sm));
		pthread_rwlock_unlock(&srv->lock);
		return rc == -ESTALE ? rc : -EROFS;
	}
	return 0;
}

/* A change that failed says why in the log, and errno to the caller. */
static void change_failed(fuse_req_t req, const char *op, const char *what,
			  int rc, const struct famfs_why *why)
{
	struct famfs_server *srv = srv_of(req);
	const struct fuse_ctx *cx = fuse_req_ctx(req);

	srv_log(srv, rc == -EROFS ? LOG_WARNING : LOG_NOTICE, "change-refused",
		"%s '%s' refused (%s), pid %d uid %u: %s", op, what,
		strerror(-rc), (int)cx->pid, (unsigned int)cx->uid,
		why->msg[0] ? why->msg : strerror(-rc));
	fuse_reply_err(req, -rc);
}

/* Reply with the entry at @path, just made.  ->lock not held. */
static void reply_made(fuse_req_t req, const char *path)
{
	struct famfs_server *srv = srv_of(req);
	const struct famfs_node *n;
	struct fuse_entry_param e;

	pthread_rwlock_rdlock(&srv->lock);
	n = famfs_ns_lookup(&srv->fs->ns, path, strlen(path));
	pthread_rwlock_unlock(&srv->lock);
	if (!n) {
		fuse_reply_err(req, EIO);
		return;
	}
	famfs_srv_fill_entry(srv, &e, n->ino);
	fuse_reply_entry(req, &e);
}

/*
 * A new name or xattr changes the inode's status: its ctime is now, as the
 * kernel shows it at once (a second entry, ATTR).  A failure leaves the
 * change made and the old ctime; it is logged.  ->lock held.
 */
static void touch_ctime(struct famfs_server *srv, const char *path)
{
	struct famfs_attr_info a = { .valid = FAMFS_ATTR_CTIME,
				     .ctime = famfs_now() };
	struct famfs_why why = { "" };
	int rc = famfs_fs_setattr(srv->fs, path, &a, &why);

	if (rc)
		srv_log(srv, LOG_WARNING, "ctime", "'%s': changed, but its ctime is not logged: %s",
			path, why.msg[0] ? why.msg : strerror(-rc));
}

/* Make @name in @parent an inode of mode @mode (and @target, @rdev). */
static void make_node(fuse_req_t req, uint64_t parent, const char *name,
		      uint32_t mode, const char *target, dev_t rdev)
{
	struct famfs_server *srv = srv_of(req);
	const struct fuse_ctx *cx = fuse_req_ctx(req);
	struct famfs_inode_info a = {
		.mode = mode, .uid = cx->uid, .gid = cx->gid,
		.mtime = famfs_now(),
	};
	struct famfs_why why = { "" };
	char path[FAMFS_PATH_MAX + 2];
	int rc;

	a.ctime = a.mtime;
	if (S_ISCHR(mode) || S_ISBLK(mode)) {
		a.rdev_major = major(rdev);
		a.rdev_minor = minor(rdev);
	}
	rc = change_begin(srv, &why);
	if (rc) {
		change_failed(req, "create", name, rc, &why);
		return;
	}
	rc = child_path(srv, parent, name, path, sizeof(path));
	if (!rc)
		rc = famfs_fs_mknode(srv->fs, path, &a, 0, NULL, target, &why);
	pthread_rwlock_unlock(&srv->lock);
	if (rc)
		change_failed(req, "create", name, rc, &why);
	else
		reply_made(req, path);
}

void famfs_ll_symlink(fuse_req_t req, const char *link, fuse_ino_t parent,
		      const char *name)
{
	make_node(req, parent, name, S_IFLNK | 0777, link, 0);
}

/*
 * FIFOs, sockets and device nodes (the kernel lets only CAP_MKNOD make a
 * device; without default_permissions the server asks for root).  A
 * regular file needs its size, which mknod does not give: famfs creat.
 */
void famfs_ll_mknod(fuse_req_t req, fuse_ino_t parent, const char *name,
		    mode_t mode, dev_t rdev)
{
	struct famfs_server *srv = srv_of(req);
	struct famfs_why why = { "" };

	if (S_ISREG(mode) || S_ISDIR(mode)) {
		famfs_why_set(&why, "a regular file is made with famfs creat or cp (it needs a size)");
		change_failed(req, "mknod", name, srv->opts.master ? -EPERM : -EROFS,
			      &why);
		return;
	}
	if ((S_ISCHR(mode) || S_ISBLK(mode)) && fuse_req_ctx(req)->uid != 0) {
		famfs_why_set(&why, "only root makes device nodes");
		change_failed(req, "mknod", name, -EPERM, &why);
		return;
	}
	make_node(req, parent, name, (uint32_t)mode, NULL, rdev);
}

void famfs_ll_link(fuse_req_t req, fuse_ino_t ino, fuse_ino_t newparent,
		   const char *newname)
{
	struct famfs_server *srv = srv_of(req);
	char path[FAMFS_PATH_MAX + 2], old[FAMFS_PATH_MAX + 2];
	struct famfs_why why = { "" };
	int rc = change_begin(srv, &why);

	if (rc) {
		change_failed(req, "link", newname, rc, &why);
		return;
	}
	rc = ino_path(srv, ino, old, sizeof(old));
	if (!rc)
		rc = child_path(srv, newparent, newname, path, sizeof(path));
	if (!rc)
		rc = famfs_fs_link(srv->fs, path, old, &why);
	if (!rc)
		touch_ctime(srv, old);
	pthread_rwlock_unlock(&srv->lock);
	if (rc)
		change_failed(req, "link", newname, rc, &why);
	else
		reply_made(req, path);
}

/* ---- extended attributes -------------------------------------------------- */

#define ACL_ACCESS	"system.posix_acl_access"

/*
 * The permission bits a POSIX access ACL (Linux's xattr form: le32 version
 * 2, then {le16 tag, le16 perm, le32 id} entries) gives the mode: owner,
 * then the mask (the owning group without one), then others.  0 and
 * *rwx, or -EINVAL for a value that is no such ACL.
 */
int famfs_srv_acl_mode(const void *value, size_t len, uint32_t *rwx)
{
	enum { USER_OBJ = 0x01, GROUP_OBJ = 0x04, MASK = 0x10, OTHER = 0x20 };
	const uint8_t *p = value;
	uint32_t perm[0x21] = { 0 }, seen = 0;

	if (len < 4 || (len - 4) % 8 || p[0] != 2 || p[1] || p[2] || p[3])
		return -EINVAL;
	for (p += 4, len -= 4; len; p += 8, len -= 8) {
		uint32_t tag = p[0] | (uint32_t)p[1] << 8;
		uint32_t bits = p[2] | (uint32_t)p[3] << 8;

		if (bits & ~7u || !tag || tag > OTHER || (tag & (tag - 1)))
			return -EINVAL;
		perm[tag] = bits;
		seen |= tag;
	}
	if ((seen & (USER_OBJ | GROUP_OBJ | OTHER)) != (USER_OBJ | GROUP_OBJ | OTHER))
		return -EINVAL;
	*rwx = perm[USER_OBJ] << 6 | perm[seen & MASK ? MASK : GROUP_OBJ] << 3 |
	       perm[OTHER];
	return 0;
}

/*
 * An access ACL was set on @path: the mode's permission bits follow it, as
 * the kernel leaves to the server (and checks an ACL only when the group
 * bits allow something).  A second entry, ATTR, with the ctime: 1 when
 * it is logged, 0 when the mode stays, or -errno.  ->lock held.
 */
static int acl_sets_mode(struct famfs_server *srv, const char *path,
			 const void *value, size_t len, struct famfs_why *why)
{
	const struct famfs_node *n = famfs_ns_lookup(&srv->fs->ns, path,
						     strlen(path));
	struct famfs_attr_info a = { .valid = FAMFS_ATTR_MODE | FAMFS_ATTR_CTIME };
	uint32_t rwx;
	int rc;

	if (!n || famfs_srv_acl_mode(value, len, &rwx))
		return 0;		/* stored as given; the mode stays */
	n = famfs_ns_inode(n);
	a.mode = (n->mode & ~0777u) | rwx;
	if (a.mode == n->mode)
		return 0;
	a.ctime = famfs_now();
	rc = famfs_fs_setattr(srv->fs, path, &a, why);
	return rc ? rc : 1;
}

/* Log an XATTR entry for @ino: set @name (or remove it, FAMFS_XATTR_REMOVE). */
static void change_xattr(fuse_req_t req, uint64_t ino, const char *name,
			 const void *value, size_t size, uint32_t flags)
{
	struct famfs_server *srv = srv_of(req);
	char path[FAMFS_PATH_MAX + 2];
	struct famfs_why why = { "" };
	int rc;

	if (!strcmp(name, NAME_IDENTITY)) {
		famfs_why_set(&why, "%s is the server's own, read-only", name);
		change_failed(req, "setxattr", name, srv->opts.master ? -EPERM : -EROFS,
			      &why);
		return;
	}
	if (size > UINT32_MAX)
		size = UINT32_MAX;	/* refused as too large below */
	rc = change_begin(srv, &why);
	if (!rc) {
		rc = ino_path(srv, ino, path, sizeof(path));
		if (!rc)
			rc = famfs_fs_setxattr(srv->fs, path, name, value,
					       (uint32_t)size, flags, &why);
		if (!rc && !(flags & FAMFS_XATTR_REMOVE) &&
		    !strcmp(name, ACL_ACCESS))
			rc = acl_sets_mode(srv, path, value, size, &why);
		if (!rc)
			touch_ctime(srv, path);
		rc = rc == 1 ? 0 : rc;
		pthread_rwlock_unlock(&srv->lock);
	}
	if (rc)
		change_failed(req, flags & FAMFS_XATTR_REMOVE ? "removexattr" :
			      "setxattr", name, rc, &why);
	else
		fuse_reply_err(req, 0);
}

void famfs_ll_setxattr(fuse_req_t req, fuse_ino_t ino, const char *name,
		       const char *value, size_t size, int flags)
{
	uint32_t f = 0;

	if (flags & ~(XATTR_CREATE | XATTR_REPLACE)) {
		fuse_reply_err(req, EINVAL);
		return;
	}
	if (flags & XATTR_CREATE)
		f |= FAMFS_SETX_CREATE;
	if (flags & XATTR_REPLACE)
		f |= FAMFS_SETX_REPLACE;
	change_xattr(req, ino, name, value, size, f);
}

void famfs_ll_removexattr(fuse_req_t req, fuse_ino_t ino, const char *name)
{
	change_xattr(req, ino, name, NULL, 0, FAMFS_XATTR_REMOVE);
}

static int identity(struct famfs_server *srv, char *buf, size_t len)
{
	char uuid[FAMFS_UUID_STR];

	famfs_uuid_str(srv->fs->sb.fs_uuid, uuid);
	return snprintf(buf, len, "fs_uuid=%s role=%s", uuid,
			srv->opts.master ? "master" : "client");
}

/* getxattr(2)'s and listxattr(2)'s answer: the size, ERANGE or the bytes. */
static void reply_sized(fuse_req_t req, const void *buf, size_t n,
			size_t size)
{
	if (size == 0)
		fuse_reply_xattr(req, n);
	else if (size < n)
		fuse_reply_err(req, ERANGE);
	else
		fuse_reply_buf(req, buf, n);
}

/*
 * @name of @ino: the server's identity on every inode (as before), or the
 * inode's own attribute.  The value is copied under ->lock: an XATTR entry
 * replayed meanwhile frees the old one.
 */
void famfs_ll_getxattr(fuse_req_t req, fuse_ino_t ino, const char *name,
		       size_t size)
{
	struct famfs_server *srv = srv_of(req);
	const struct famfs_xattr *x;
	const struct famfs_node *n;
	char id[128], *val = NULL;
	size_t len = 0;
	int rc = 0;

	if (!famfs_srv_exists(srv, ino)) {
		fuse_reply_err(req, ENOENT);
		return;
	}
	/* who serves: answered also on a stale mount */
	if (!strcmp(name, NAME_IDENTITY)) {
		reply_sized(req, id, (size_t)identity(srv, id, sizeof(id)), size);
		return;
	}
	/* the kernel caches no xattr but ACLs: each read asks, and sees
	 * what the log says now */
	if (famfs_srv_refresh(srv) == -ESTALE) {
		fuse_reply_err(req, ESTALE);
		return;
	}
	pthread_rwlock_rdlock(&srv->lock);
	n = famfs_ns_by_ino(&srv->fs->ns, ino);
	x = n ? famfs_ns_getxattr(n, name) : NULL;
	if (!x)
		rc = -ENODATA;
	else if (size && (len = x->value_len) <= size &&
		 !(val = malloc(len ? len : 1)))
		rc = -ENOMEM;
	else if (val)
		memcpy(val, x->value, len);
	else
		len = x->value_len;
	pthread_rwlock_unlock(&srv->lock);
	if (rc)
		fuse_reply_err(req, -rc);
	else
		reply_sized(req, val, len, size);
	free(val);
}

/* The names of @ino's attributes, each with its NUL, after the identity. */
void famfs_ll_listxattr(fuse_req_t req, fuse_ino_t ino, size_t size)
{
	struct famfs_server *srv = srv_of(req);
	const struct famfs_xattr *x;
	const struct famfs_node *n;
	size_t len = sizeof(NAME_IDENTITY), at;
	char *buf;

	if (famfs_srv_refresh(srv) == -ESTALE || !famfs_srv_exists(srv, ino)) {
		fuse_reply_err(req, famfs_srv_is_stale(srv) ? ESTALE : ENOENT);
		return;
	}
	pthread_rwlock_rdlock(&srv->lock);
	n = famfs_ns_by_ino(&srv->fs->ns, ino);
	for (x = n ? famfs_ns_inode(n)->xattrs : NULL; x; x = x->next)
		len += x->name_len + 1;
	buf = malloc(len);
	if (buf) {
		memcpy(buf, NAME_IDENTITY, sizeof(NAME_IDENTITY));
		at = sizeof(NAME_IDENTITY);
		for (x = n ? famfs_ns_inode(n)->xattrs : NULL; x; x = x->next) {
			memcpy(buf + at, x->name, x->name_len + 1);
			at += x->name_len + 1;
		}
	}
	pthread_rwlock_unlock(&srv->lock);
	if (!buf)
		fuse_reply_err(req, ENOMEM);
	else
		reply_sized(req, buf, len, size);
	free(buf);
}

/* ---- attributes ------------------------------------------------------------ */

#define SET_TIMES (FUSE_SET_ATTR_MTIME | FUSE_SET_ATTR_MTIME_NOW)

/* What famfs records of a setattr request: the ATTR entry (valid 0: none). */
static void attr_of(const struct stat *in, int to_set, struct famfs_attr_info *a)
{
	memset(a, 0, sizeof(*a));
	if (to_set & FUSE_SET_ATTR_MODE) {
		a->valid |= FAMFS_ATTR_MODE;
		a->mode = in->st_mode & 07777;
	}
	if (to_set & FUSE_SET_ATTR_UID) {
		a->valid |= FAMFS_ATTR_UID;
		a->uid = in->st_uid;
	}
	if (to_set & FUSE_SET_ATTR_GID) {
		a->valid |= FAMFS_ATTR_GID;
		a->gid = in->st_gid;
	}
	if (to_set & FUSE_SET_ATTR_MTIME_NOW) {
		a->valid |= FAMFS_ATTR_MTIME;
		a->mtime = famfs_now();
	} else if (to_set & FUSE_SET_ATTR_MTIME) {
		a->valid |= FAMFS_ATTR_MTIME;
		a->mtime = (struct famfs_time){ in->st_mtim.tv_sec,
						(uint32_t)in->st_mtim.tv_nsec };
	}
	/* any change is a status change: ctime is now, as the kernel's is */
	if (a->valid) {
		a->valid |= FAMFS_ATTR_CTIME;
		a->ctime = famfs_now();
	}
}

/*
 * May @cx make change @a to inode @n?  The kernel decided already with
 * default_permissions; without it: root may do anything, the owner may
 * change the mode and times and give the file to a group, nobody else may
 * change anything -- but for the one change the kernel makes on anyone's
 * write (file_remove_privs): the mode less S_ISUID and S_ISGID.  0 or
 * -EPERM.  ->lock held.
 */
int famfs_srv_may_setattr(const struct famfs_node *n, uid_t uid,
			  const struct famfs_attr_info *a, int default_perm)
{
	uint32_t kill = S_ISUID | S_ISGID;

	if (default_perm || uid == 0)
		return 0;
	if ((a->valid & ~(uint32_t)FAMFS_ATTR_CTIME) == FAMFS_ATTR_MODE &&
	    (a->mode & ~kill) == (n->mode & ~kill) && !(a->mode & ~n->mode))
		return 0;			/* only removes privileges */
	if (uid != n->uid)
		return -EPERM;
	if ((a->valid & FAMFS_ATTR_UID) && a->uid != n->uid)
		return -EPERM;
	return 0;
}

/* Log @a for @ino; 0 or -errno (and why). */
static int set_attr(struct famfs_server *srv, uint64_t ino, uid_t uid,
		    const struct famfs_attr_info *a, struct famfs_why *why)
{
	char path[FAMFS_PATH_MAX + 2];
	const struct famfs_node *n;
	int rc = change_begin(srv, why);

	if (rc)
		return rc;
	n = famfs_ns_by_ino(&srv->fs->ns, ino);
	if (ino >= FAMFS_INO_META) {
		famfs_why_set(why, ".meta files change only by log appends");
		rc = -EPERM;
	} else if (!n) {
		rc = -ENOENT;
	} else {
		rc = famfs_srv_may_setattr(famfs_ns_inode(n), uid, a,
					   srv->opts.default_permissions);
		if (rc)
			famfs_why_set(why, "only the owner or root may change it");
	}
	if (!rc)
		rc = ino_path(srv, ino, path, sizeof(path));
	if (!rc)
		rc = famfs_fs_setattr(srv->fs, path, a, why);
	pthread_rwlock_unlock(&srv->lock);
	return rc;
}

/*
 * chmod, chown and utimens are logged (ATTR); a size change is refused,
 * as the memory is preallocated; the access time is not kept.  The reply
 * carries the attributes as replay made them.
 */
void famfs_ll_setattr(fuse_req_t req, fuse_ino_t ino, struct stat *attr,
		      int to_set, struct fuse_file_info *fi)
{
	struct famfs_server *srv = srv_of(req);
	struct famfs_why why = { "" };
	struct famfs_attr_info a;
	struct stat st;
	int rc = famfs_srv_attr(srv, ino, &st);

	(void)fi;
	if (!rc && (to_set & FUSE_SET_ATTR_SIZE) && attr->st_size != st.st_size) {
		famfs_why_set(&why, "files are preallocated: the size never changes");
		rc = srv->opts.master ? -EPERM : -EROFS;
	}
	attr_of(attr, to_set, &a);
	if (!rc && a.valid)
		rc = set_attr(srv, ino, fuse_req_ctx(req)->uid, &a, &why);
	if (!rc && !a.valid && !srv->opts.master &&
	    (to_set & (FUSE_SET_ATTR_ATIME | FUSE_SET_ATTR_ATIME_NOW)))
		rc = -EROFS;
	if (!rc)
		rc = famfs_srv_attr(srv, ino, &st);
	if (rc)
		change_failed(req, "setattr", "inode", rc, &why);
	else
		fuse_reply_attr(req, &st, srv->opts.timeout);
}

/* ---- symbolic links ------------------------------------------------------- */

void famfs_ll_readlink(fuse_req_t req, fuse_ino_t ino)
{
	struct famfs_server *srv = srv_of(req);
	const struct famfs_node *n;
	char *target = NULL;
	int rc = 0;

	pthread_rwlock_rdlock(&srv->lock);
	n = famfs_ns_by_ino(&srv->fs->ns, ino);
	if (!n)
		rc = -ENOENT;
	else if (!n->target)
		rc = -EINVAL;
	else if (!(target = strdup(n->target)))
		rc = -ENOMEM;
	pthread_rwlock_unlock(&srv->lock);
	if (rc)
		fuse_reply_err(req, -rc);
	else
		fuse_reply_readlink(req, target);
	free(target);
}

/*
 * A write by anyone but root clears S_ISUID, and S_ISGID of a group-
 * executable file, as the kernel's file_remove_privs() does -- which the
 * kernel leaves to the server on the fallback path (direct I/O): logged
 * as an ATTR entry, so every host and every later mount sees it.  Root
 * stands for CAP_FSETID, which the server cannot see.  0 or -errno.
 */
int famfs_srv_kill_privs(struct famfs_server *srv, fuse_req_t req,
			 uint64_t ino)
{
	struct famfs_attr_info a = { .valid = FAMFS_ATTR_MODE };
	const struct fuse_ctx *cx = fuse_req_ctx(req);
	struct famfs_why why = { "" };
	const struct famfs_node *n;
	uint32_t old = 0;
	int rc;

	if (cx->uid == 0)
		return 0;
	pthread_rwlock_rdlock(&srv->lock);	/* ATTR entries change modes */
	n = famfs_ns_by_ino(&srv->fs->ns, ino);
	if (n)
		old = famfs_ns_inode(n)->mode;
	pthread_rwlock_unlock(&srv->lock);
	a.mode = old & ~(uint32_t)S_ISUID;
	if ((a.mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP))
		a.mode &= ~(uint32_t)S_ISGID;
	if (a.mode == old)
		return 0;
	a.valid |= FAMFS_ATTR_CTIME;
	a.ctime = famfs_now();
	rc = set_attr(srv, ino, cx->uid, &a, &why);
	/* the kernel asked for no setattr: it caches the old mode */
	if (!rc)
		fuse_lowlevel_notify_inval_inode(srv->se, ino, -1, 0);
	if (rc)
		srv_log(srv, LOG_ERR, "kill-privs", "inode %" PRIu64 ": cannot clear set-user/group-ID on a write by uid %u (write refused): %s",
			ino, (unsigned int)cx->uid, why.msg[0] ? why.msg : strerror(-rc));
	return rc;
}
