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

struct famfs_node {
	uint64_t ino;
	uint64_t seq;			/* log entry that created it */
	uint32_t type;			/* FAMFS_ENTRY_FILE or _MKDIR */
	uint32_t mode, uid, gid;
	uint64_t size;
	struct famfs_fmap *file;	/* extents; files only */
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
	struct famfs_node **byino;	/* [ino - 2]: nodes by inode number */
	uint64_t icap;
	uint64_t count;			/* nodes, root excluded */
	uint64_t nfiles, ndirs;
	uint64_t file_bytes;		/* sum of file sizes */
};

int famfs_ns_init(struct famfs_ns *ns);
void famfs_ns_free(struct famfs_ns *ns);
struct famfs_node *famfs_ns_lookup(const struct famfs_ns *ns,
				   const char *path, size_t len);
struct famfs_node *famfs_ns_by_ino(const struct famfs_ns *ns, uint64_t ino);
int famfs_ns_add(struct famfs_ns *ns, const struct famfs_entry *e,
		 struct famfs_node **out, struct famfs_why *why);

#endif /* FAMFS_NS_H */
