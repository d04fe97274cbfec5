// SPDX-License-Identifier: Apache-2.0
/*
 * The master's side of root trees: inodes of any type with their times
 * (INODE), second names (LINK), extended attributes (XATTR) and attribute
 * changes (ATTR).  Each call checks, under the log lock, everything replay
 * will check when it applies the entry, so a logged entry always applies:
 * a refused call writes nothing.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "famfs_fs.h"
#include "create_int.h"

#define NSEC_PER_SEC	1000000000u

struct famfs_time famfs_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (struct famfs_time){ .sec = ts.tv_sec, .nsec = (uint32_t)ts.tv_nsec };
}

/* What an INODE entry may hold, checked before anything is locked. */
static int check_inode(const struct famfs_inode_info *a, uint64_t size,
		       const char *target, struct famfs_why *why)
{
	uint32_t fmt = a->mode & S_IFMT;
	int dev = fmt == S_IFCHR || fmt == S_IFBLK;

	if ((a->mode & ~(uint32_t)(S_IFMT | 07777)) ||
	    (fmt != S_IFREG && fmt != S_IFDIR && fmt != S_IFLNK &&
	     fmt != S_IFIFO && fmt != S_IFSOCK && !dev)) {
		famfs_why_set(why, "mode %#o is not a file type famfs stores", a->mode);
		return -EINVAL;
	}
	if (a->mtime.nsec >= NSEC_PER_SEC || a->ctime.nsec >= NSEC_PER_SEC) {
		famfs_why_set(why, "a time has 10^9 nanoseconds or more");
		return -EINVAL;
	}
	if (!dev && (a->rdev_major || a->rdev_minor)) {
		famfs_why_set(why, "only device nodes have a device number");
		return -EINVAL;
	}
	if ((fmt == S_IFLNK) != (target != NULL) || (fmt != S_IFREG && size)) {
		famfs_why_set(why, "only a symbolic link has a target, only a regular file a size");
		return -EINVAL;
	}
	if (target && (!*target || strlen(target) > FAMFS_SYMLINK_MAX)) {
		famfs_why_set(why, "symbolic link target is empty or longer than %u bytes",
			      FAMFS_SYMLINK_MAX);
		return *target ? -ENAMETOOLONG : -ENOENT;
	}
	return 0;
}

/* Allocate a regular file's memory: @size bytes laid out as @lay says. */
static int place(struct famfs_fs *fs, struct famfs_entry *e, const char *path,
		 uint64_t size, const struct famfs_layout *lay,
		 struct famfs_why *why)
{
	if (size > famfs_cr_total_size(fs)) {
		famfs_why_set(why, "size %" PRIu64 " is zero or larger than the devices", size);
		return -EINVAL;
	}
	e->file.size = size;
	return famfs_cr_allocate(fs, path, size, lay, &e->file, why);
}

/* What an entry's check under the log lock needs besides the entry. */
struct node_req {
	const char *path;		/* the name the entry makes or changes */
	const char *existing;		/* LINK: the name it links to */
	uint64_t size;			/* INODE: a regular file's bytes */
	const struct famfs_layout *lay;
	uint32_t flags;			/* XATTR: FAMFS_XATTR_*, FAMFS_SETX_* */
};

typedef int (*node_check_fn)(struct famfs_fs *fs, struct famfs_entry *e,
			     const struct node_req *r, struct famfs_why *why);

/*
 * The entry each call below builds, zeroed: one per thread, not a calloc.
 * A 14.5 KiB malloc is served by musl with a fresh mapping: a batch of
 * creates paid a page fault per page and an munmap (with its TLB
 * shootdown) per file, a third of the server's time in creat -M.
 */
static struct famfs_entry *new_entry(void)
{
	static __thread struct famfs_entry e;

	memset(&e, 0, sizeof(e));
	return &e;
}

/*
 * Log @e: under the log lock, caught up with the log, once @check accepts
 * it against the current namespace.
 */
static int log_entry(struct famfs_fs *fs, struct famfs_entry *e,
		     node_check_fn check, const struct node_req *r,
		     struct famfs_why *why)
{
	int rc = famfs_cr_begin(fs, why);

	if (!rc) {
		rc = check(fs, e, r, why);
		if (!rc)
			rc = famfs_cr_commit(fs, e, why);
		famfs_cr_end(fs);
	}
	return rc;
}

static int mknode_check(struct famfs_fs *fs, struct famfs_entry *e,
			const struct node_req *r, struct famfs_why *why)
{
	int rc = famfs_cr_precheck(fs, e, r->path, why);

	if (!rc && r->size)
		rc = place(fs, e, r->path, r->size, r->lay, why);
	return rc;
}

/*
 * Make @path an inode of the type in @a->mode with @a's attributes: a
 * regular file of @size bytes (0 = empty, no memory; laid out as @lay), a
 * directory, a symbolic link to @target, a FIFO, a socket or a device
 * node.  Returns 0 when it is in the log.
 */
int famfs_fs_mknode(struct famfs_fs *fs, const char *path,
		    const struct famfs_inode_info *a, uint64_t size,
		    const struct famfs_layout *lay, const char *target,
		    struct famfs_why *why)
{
	struct famfs_entry *e;
	int rc = check_inode(a, size, target, why);

	if (!rc && lay && size)
		rc = famfs_cr_check_layout(fs, lay, why);
	if (rc)
		return rc;
	e = new_entry();
	e->type = FAMFS_ENTRY_INODE;
	e->ino = *a;
	e->file.mode = a->mode & 07777;
	e->file.uid = a->uid;
	e->file.gid = a->gid;
	if (target)
		famfs_entry_set_target(e, target);
	return log_entry(fs, e, mknode_check,
			 &(struct node_req){ .path = path, .size = size,
					     .lay = lay }, why);
}

/* The inode an existing name of the namespace names, or NULL. */
static struct famfs_node *inode_of(struct famfs_fs *fs, const char *path,
				   struct famfs_why *why)
{
	struct famfs_node *n = famfs_ns_lookup(&fs->ns, path, strlen(path));

	if (!n)
		famfs_why_set(why, "'%s' does not exist", path);
	return n ? famfs_ns_inode(n) : NULL;
}

static int link_check(struct famfs_fs *fs, struct famfs_entry *e,
		      const struct node_req *r, struct famfs_why *why)
{
	struct famfs_node *t = inode_of(fs, r->existing, why);

	if (!t)
		return -ENOENT;
	if (t->type == FAMFS_ENTRY_MKDIR) {
		famfs_why_set(why, "'%s' is a directory: no hard links to it",
			      r->existing);
		return -EPERM;
	}
	if (t->nlink == UINT32_MAX) {
		famfs_why_set(why, "'%s' has too many links", r->existing);
		return -EMLINK;
	}
	return famfs_cr_precheck(fs, e, r->path, why);
}

/* @path becomes another name of the non-directory @existing. */
int famfs_fs_link(struct famfs_fs *fs, const char *path,
		  const char *existing, struct famfs_why *why)
{
	struct famfs_entry *e = new_entry();

	e->type = FAMFS_ENTRY_LINK;
	if (famfs_entry_set_target(e, existing)) {
		famfs_why_set(why, "'%s' is not a famfs path", existing);
		return -ENAMETOOLONG;
	}
	return log_entry(fs, e, link_check,
			 &(struct node_req){ .path = path, .existing = existing },
			 why);
}

/* Linux's rules for an attribute name and value, with its errnos. */
static int check_xattr(const char *name, uint32_t len, struct famfs_why *why)
{
	static const char *const ns[] = { "user.", "trusted.", "security.",
					  "system." };
	size_t n = strlen(name);
	int known = 0;

	for (size_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++)
		known |= n > strlen(ns[i]) && !strncmp(name, ns[i], strlen(ns[i]));
	if (n > FAMFS_XATTR_NAME_MAX) {
		famfs_why_set(why, "attribute name longer than %u bytes", FAMFS_XATTR_NAME_MAX);
		return -ERANGE;
	}
	if (!known) {
		famfs_why_set(why, "attribute '%s' is not in the user, trusted, security or system namespace",
			      name);
		return -EOPNOTSUPP;
	}
	if (len > FAMFS_XATTR_VALUE_MAX) {
		famfs_why_set(why, "attribute value of %u bytes: the limit is %u",
			      len, FAMFS_XATTR_VALUE_MAX);
		return -E2BIG;
	}
	return 0;
}

/* The checks famfs_ns_xattr() makes when it applies the entry. */
static int xattr_applies(const struct famfs_node *n, const char *path,
			 const struct famfs_xattr_info *xi, uint32_t flags,
			 struct famfs_why *why)
{
	const struct famfs_xattr *old = famfs_ns_getxattr(n, xi->name);
	uint32_t have = n->xattr_bytes;

	if (!old && (flags & (FAMFS_XATTR_REMOVE | FAMFS_SETX_REPLACE))) {
		famfs_why_set(why, "'%s' has no attribute '%s'", path, xi->name);
		return -ENODATA;
	}
	if (old && (flags & FAMFS_SETX_CREATE)) {
		famfs_why_set(why, "'%s' already has attribute '%s'", path, xi->name);
		return -EEXIST;
	}
	if (old)
		have -= old->name_len + 1 + old->value_len;
	if (!(flags & FAMFS_XATTR_REMOVE) &&
	    have + xi->name_len + 1 + xi->value_len > FAMFS_XATTR_LIST_MAX) {
		famfs_why_set(why, "'%s': its extended attributes would take more than %u bytes",
			      path, FAMFS_XATTR_LIST_MAX);
		return -ENOSPC;
	}
	return 0;
}

static int xattr_check(struct famfs_fs *fs, struct famfs_entry *e,
		       const struct node_req *r, struct famfs_why *why)
{
	struct famfs_node *n = inode_of(fs, r->path, why);
	int rc = n ? xattr_applies(n, r->path, &e->xattr, r->flags, why)
		   : -ENOENT;

	return rc ? rc : famfs_entry_set_path(e, r->path);
}

/* ATTR and XATTR name an existing inode by any of its names. */
static int exists_check(struct famfs_fs *fs, struct famfs_entry *e,
			const struct node_req *r, struct famfs_why *why)
{
	return inode_of(fs, r->path, why) ? famfs_entry_set_path(e, r->path)
					  : -ENOENT;
}

/*
 * Set attribute @name of @path to @len bytes at @value, or remove it
 * (FAMFS_XATTR_REMOVE).  FAMFS_SETX_CREATE / _REPLACE are setxattr(2)'s
 * XATTR_CREATE and XATTR_REPLACE.
 */
int famfs_fs_setxattr(struct famfs_fs *fs, const char *path,
		      const char *name, const void *value, uint32_t len,
		      uint32_t flags, struct famfs_why *why)
{
	struct famfs_entry *e;
	int rc = check_xattr(name, (flags & FAMFS_XATTR_REMOVE) ? 0 : len, why);

	if (rc)
		return rc;
	e = new_entry();
	e->type = FAMFS_ENTRY_XATTR;
	e->xattr.flags = flags & FAMFS_XATTR_REMOVE;
	e->xattr.name_len = (uint32_t)strlen(name);
	memcpy(e->xattr.name, name, e->xattr.name_len + 1);
	e->xattr.value_len = (flags & FAMFS_XATTR_REMOVE) ? 0 : len;
	if (e->xattr.value_len)		/* a removal may pass no value */
		memcpy(e->xattr.value, value, e->xattr.value_len);
	return log_entry(fs, e, xattr_check,
			 &(struct node_req){ .path = path, .flags = flags }, why);
}

/* Change the mode bits, owner, group or times of @path (a->valid). */
int famfs_fs_setattr(struct famfs_fs *fs, const char *path,
		     const struct famfs_attr_info *a, struct famfs_why *why)
{
	struct famfs_entry *e;

	if (!a->valid || (a->valid & ~FAMFS_ATTR_ALL) || (a->mode & ~07777u) ||
	    a->mtime.nsec >= NSEC_PER_SEC || a->ctime.nsec >= NSEC_PER_SEC) {
		famfs_why_set(why, "nothing to change, or a mode or time famfs does not store");
		return -EINVAL;
	}
	e = new_entry();
	e->type = FAMFS_ENTRY_ATTR;
	e->attr.valid = a->valid;	/* fields it does not name stay zero */
	if (a->valid & FAMFS_ATTR_MODE)
		e->attr.mode = a->mode;
	if (a->valid & FAMFS_ATTR_UID)
		e->attr.uid = a->uid;
	if (a->valid & FAMFS_ATTR_GID)
		e->attr.gid = a->gid;
	if (a->valid & FAMFS_ATTR_MTIME)
		e->attr.mtime = a->mtime;
	if (a->valid & FAMFS_ATTR_CTIME)
		e->attr.ctime = a->ctime;
	return log_entry(fs, e, exists_check, &(struct node_req){ .path = path },
			 why);
}
