// SPDX-License-Identifier: Apache-2.0
/*
 * The namespace entries that change inodes rather than make them: LINK (a
 * second name), XATTR (an extended attribute) and ATTR (mode, owner and
 * times).  Each one names its inode by a path, which may be any of its
 * names.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "famfs_ns.h"

/* The inode a path of an entry names, or NULL (why says so). */
static struct famfs_node *inode_at(struct famfs_ns *ns, const char *path,
				   uint32_t len, struct famfs_why *why)
{
	struct famfs_node *n = famfs_ns_lookup(ns, path, len);

	if (!n) {
		famfs_why_set(why, "'%s' does not exist", path);
		return NULL;
	}
	return famfs_ns_inode(n);
}

/* A LINK entry: @e->path becomes another name of @e->target's inode. */
int famfs_ns_link(struct famfs_ns *ns, const struct famfs_entry *e,
		  struct famfs_why *why)
{
	struct famfs_node *t = inode_at(ns, e->target, e->target_len, why);
	struct famfs_node *n;
	int rc;

	if (!t)
		return -ENOENT;
	if (t->type == FAMFS_ENTRY_MKDIR) {
		famfs_why_set(why, "'%s' is a directory: no hard links to it",
			      e->target);
		return -EPERM;
	}
	if (t->nlink == UINT32_MAX) {
		famfs_why_set(why, "'%s' has too many links", e->target);
		return -EMLINK;
	}
	n = famfs_ns_alloc(ns, sizeof(*n) + e->path_len + 1);
	if (!n)
		return -ENOMEM;
	n->path = (char *)(n + 1);
	memcpy(n->path, e->path, e->path_len + 1);
	n->path_len = e->path_len;
	n->seq = e->seq;
	n->inode = t;
	n->ino = t->ino;
	n->type = t->type;
	n->ifmt = t->ifmt;
	rc = famfs_ns_insert(ns, n, 0, why);
	if (rc)
		return rc;	/* @n stays in the arena until ns_free */
	t->nlink++;
	t->changed = ns->changed_max = e->seq + 1;
	ns->nhardlinks++;
	return 0;
}

const struct famfs_xattr *famfs_ns_getxattr(const struct famfs_node *n,
					    const char *name)
{
	const struct famfs_xattr *x = famfs_ns_inode(n)->xattrs;

	for (; x; x = x->next)
		if (!strcmp(x->name, name))
			return x;
	return NULL;
}

static void xattr_unlink(struct famfs_node *n, struct famfs_xattr *x)
{
	struct famfs_xattr **pp = &n->xattrs;

	while (*pp != x)
		pp = &(*pp)->next;
	*pp = x->next;
	n->xattr_bytes -= x->name_len + 1 + x->value_len;
	free(x->name);
	free(x->value);
	free(x);
}

static int xattr_set(struct famfs_ns *ns, struct famfs_node *n,
		     const struct famfs_xattr_info *xi, struct famfs_xattr *old,
		     struct famfs_why *why)
{
	uint32_t need = xi->name_len + 1 + xi->value_len;
	uint32_t have = n->xattr_bytes - (old ? old->name_len + 1 + old->value_len : 0);
	struct famfs_xattr *x;

	if (have + need > FAMFS_XATTR_LIST_MAX) {
		famfs_why_set(why, "'%s': extended attributes would take %u bytes, the limit is %u",
			      n->path, have + need, FAMFS_XATTR_LIST_MAX);
		return -ENOSPC;
	}
	x = calloc(1, sizeof(*x));
	if (!x || !(x->name = strdup(xi->name)) ||
	    !(x->value = malloc(xi->value_len ? xi->value_len : 1))) {
		if (x)
			free(x->name);
		free(x);
		return -ENOMEM;
	}
	memcpy(x->value, xi->value, xi->value_len);
	x->name_len = xi->name_len;
	x->value_len = xi->value_len;
	if (old)
		xattr_unlink(n, old);
	else
		ns->nxattrs++;
	x->next = n->xattrs;
	n->xattrs = x;
	n->xattr_bytes += need;
	return 0;
}

/* An XATTR entry: set (or replace) one attribute, or remove it. */
int famfs_ns_xattr(struct famfs_ns *ns, const struct famfs_entry *e,
		   struct famfs_why *why)
{
	const struct famfs_xattr_info *xi = &e->xattr;
	struct famfs_node *n = inode_at(ns, e->path, e->path_len, why);
	struct famfs_xattr *old;

	if (!n)
		return -ENOENT;
	n->changed = ns->changed_max = e->seq + 1;	/* harmless if refused */
	old = (struct famfs_xattr *)famfs_ns_getxattr(n, xi->name);
	if (!(xi->flags & FAMFS_XATTR_REMOVE))
		return xattr_set(ns, n, xi, old, why);
	if (!old) {
		famfs_why_set(why, "'%s' has no attribute '%s' to remove",
			      e->path, xi->name);
		return -ENODATA;
	}
	xattr_unlink(n, old);
	ns->nxattrs--;
	return 0;
}

/* An ATTR entry: change what it names; the file type never changes. */
int famfs_ns_attr(struct famfs_ns *ns, const struct famfs_entry *e,
		  struct famfs_why *why)
{
	const struct famfs_attr_info *a = &e->attr;
	struct famfs_node *n = inode_at(ns, e->path, e->path_len, why);

	if (!n)
		return -ENOENT;
	n->changed = ns->changed_max = e->seq + 1;
	if (a->valid & FAMFS_ATTR_MODE)
		n->mode = a->mode;
	if (a->valid & FAMFS_ATTR_UID)
		n->uid = a->uid;
	if (a->valid & FAMFS_ATTR_GID)
		n->gid = a->gid;
	if (a->valid & FAMFS_ATTR_MTIME)
		n->mtime = a->mtime;
	if (a->valid & FAMFS_ATTR_CTIME)
		n->ctime = a->ctime;
	return 0;
}
