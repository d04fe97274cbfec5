/* SPDX-License-Identifier: Apache-2.0 */
/* The in-memory namespace built by replay (ns.c). */
#ifndef FAMFS_NS_H
#define FAMFS_NS_H

#include "famfs.h"

#define FAMFS_ROOT_INO 1

/* A file's map as replay keeps it: only as many extents as it has. */
struct famfs_fmap {
	uint64_t size;
	uint64_t chunk;			/* interleave chunk, 0 if simple */
	uint32_t ext_type;		/* FAMFS_EXT_* */
	uint32_t nextents;
	struct famfs_extent ext[];
};

/* One extended attribute of an inode. */
struct famfs_xattr {
	struct famfs_xattr *next;
	uint32_t name_len, value_len;
	char *name;			/* NUL-terminated */
	uint8_t *value;
};

/*
 * A name in the namespace.  Most names are their own inode; a hard link
 * (a LINK entry) is a name whose ->inode is the node of the first name,
 * with the same ino: read an inode's attributes through famfs_ns_inode().
 */
struct famfs_node {
	uint64_t ino;
	uint64_t seq;			/* log entry that created it */
	uint64_t changed;		/* inodes: seq + 1 of the last LINK,
					 * XATTR or ATTR entry that changed
					 * it, 0 if none (what a server
					 * invalidates after a replay) */
	uint32_t type;			/* FAMFS_ENTRY_FILE (regular file),
					 * _MKDIR (directory) or _INODE (any
					 * other type) */
	uint32_t ifmt;			/* S_IFREG, S_IFDIR, S_IFLNK, ... */
	uint32_t mode, uid, gid;	/* mode: permission bits 07777 */
	uint64_t size;			/* file size; symlink: target length */
	uint32_t nlink;			/* names; directories: 2 + subdirs */
	uint32_t rdev_major, rdev_minor;
	struct famfs_time mtime, ctime;	/* FILE and MKDIR: ns->epoch */
	struct famfs_fmap *file;	/* extents; regular files only */
	char *target;			/* symbolic links only */
	struct famfs_xattr *xattrs;
	uint32_t xattr_bytes;		/* names, their NULs and values */
	struct famfs_node *inode;	/* itself, or a hard link's inode */
	struct famfs_node *parent;
	struct famfs_node *child;	/* first child (directories) */
	struct famfs_node *sibling;	/* next child of the parent */
	struct famfs_node *hnext;	/* hash chain */
	uint32_t path_len;
	uint32_t name_off;		/* last component within path */
	char *path;			/* "" for the root */
};

struct famfs_ns {
	struct famfs_node root;
	struct famfs_node **htab;
	uint64_t hcap;			/* power of two */
	struct famfs_node **byino;	/* [ino - 2]: inodes by number */
	uint64_t icap;
	uint64_t count;			/* inodes, root excluded */
	uint64_t names;			/* names, root excluded */
	uint64_t nfiles, ndirs;		/* regular files, directories */
	uint64_t nsymlinks, nspecial;	/* symlinks; fifos, sockets, devices */
	uint64_t nhardlinks;		/* names made by LINK entries */
	uint64_t nxattrs;		/* extended attributes set */
	uint64_t file_bytes;		/* sum of file sizes */
	struct famfs_time epoch;	/* times of entries that have none */
	uint64_t changed_max;		/* the largest node ->changed: no
					 * node changed since a seq >= it */
	struct famfs_ns_chunk *arena;	/* nodes, paths, maps, targets */
	struct famfs_node *last_parent;	/* of the last insert: the next
					 * one is likely its sibling */
};

static inline struct famfs_node *famfs_ns_inode(const struct famfs_node *n)
{
	return n->inode ? n->inode : (struct famfs_node *)n;
}

void famfs_ns_set_epoch(struct famfs_ns *ns, int64_t sec);
int famfs_ns_init(struct famfs_ns *ns);
void famfs_ns_free(struct famfs_ns *ns);
struct famfs_node *famfs_ns_lookup(const struct famfs_ns *ns,
				   const char *path, size_t len);
struct famfs_node *famfs_ns_by_ino(const struct famfs_ns *ns, uint64_t ino);
int famfs_ns_add(struct famfs_ns *ns, const struct famfs_entry *e,
		 struct famfs_node **out, struct famfs_why *why);
/* ns_attr.c: LINK, XATTR and ATTR entries */
int famfs_ns_link(struct famfs_ns *ns, const struct famfs_entry *e,
		  struct famfs_why *why);
int famfs_ns_xattr(struct famfs_ns *ns, const struct famfs_entry *e,
		   struct famfs_why *why);
int famfs_ns_attr(struct famfs_ns *ns, const struct famfs_entry *e,
		  struct famfs_why *why);
const struct famfs_xattr *famfs_ns_getxattr(const struct famfs_node *n,
					    const char *name);
/* internal to ns.c and ns_attr.c */
void *famfs_ns_alloc(struct famfs_ns *ns, size_t len);
int famfs_ns_insert(struct famfs_ns *ns, struct famfs_node *n, int inode,
		    struct famfs_why *why);
void famfs_ns_node_free(struct famfs_node *n);

#endif /* FAMFS_NS_H */
