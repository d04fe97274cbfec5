// SPDX-License-Identifier: Apache-2.0
/*
 * The namespace: every directory and file the log has created, as a tree
 * with a hash index on the full relative path.  Inode numbers are dense and
 * stable for one replay: root is 1, then log order; a hard link is a name
 * with the inode number of the name it links to.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "famfs_ns.h"

static uint64_t path_hash(const char *p, size_t n)
{
	uint64_t h = 1469598103934665603ull;	/* FNV-1a */

	while (n--) {
		h ^= (uint8_t)*p++;
		h *= 1099511628211ull;
	}
	return h;
}

int famfs_ns_init(struct famfs_ns *ns)
{
	memset(ns, 0, sizeof(*ns));
	ns->hcap = 1024;
	ns->htab = calloc(ns->hcap, sizeof(*ns->htab));
	if (!ns->htab)
		return -ENOMEM;
	ns->root.ino = FAMFS_ROOT_INO;
	ns->root.type = FAMFS_ENTRY_MKDIR;
	ns->root.ifmt = S_IFDIR;
	ns->root.mode = 0755;
	ns->root.nlink = 2;
	ns->root.path = (char *)"";
	return 0;
}

/*
 * The time of the root and of the files and directories of entries that
 * carry none (FILE, MKDIR): the filesystem's mkfs time.
 */
void famfs_ns_set_epoch(struct famfs_ns *ns, int64_t sec)
{
	ns->epoch.sec = sec;
	ns->epoch.nsec = 0;
	ns->root.mtime = ns->root.ctime = ns->epoch;
}

/*
 * Nodes, their paths, maps and symlink targets live in chunks of the
 * namespace (one mapping per thousands of nodes: replay of a million
 * files is not a million mallocs) and are freed all at once by
 * famfs_ns_free().  Only extended attributes, which change, are malloc'd.
 * A chunk is 2 MiB of anonymous memory the kernel may back with one huge
 * page: replay touches nodes in hash order, and fewer faults and TLB
 * misses are most of its cost.
 */
struct famfs_ns_chunk {
	struct famfs_ns_chunk *next;
	size_t used, cap;		/* bytes of mem[] */
	max_align_t mem[];
};

#define NS_CHUNK ((size_t)2 << 20)

static struct famfs_ns_chunk *chunk_new(size_t len)
{
	size_t map = (sizeof(struct famfs_ns_chunk) + len + 4095) & ~(size_t)4095;
	struct famfs_ns_chunk *c;

	if (map < NS_CHUNK)
		map = NS_CHUNK;
	c = mmap(NULL, map, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (c == MAP_FAILED)
		return NULL;
	if (map == NS_CHUNK)
		madvise(c, map, MADV_HUGEPAGE);	/* advice: failure is fine */
	c->cap = map - sizeof(*c);
	return c;
}

/* @len zeroed bytes, 16-aligned, that live until famfs_ns_free(). */
void *famfs_ns_alloc(struct famfs_ns *ns, size_t len)
{
	struct famfs_ns_chunk *c = ns->arena;

	len = (len + 15) & ~(size_t)15;
	if (c && c->cap - c->used >= len) {
		c->used += len;
		return (uint8_t *)c->mem + c->used - len;
	}
	c = chunk_new(len);
	if (!c)
		return NULL;
	c->used = len;
	if (len > NS_CHUNK / 4 && ns->arena) {	/* behind the current one */
		c->next = ns->arena->next;
		ns->arena->next = c;
	} else {
		c->next = ns->arena;
		ns->arena = c;
	}
	return c->mem;
}

/* What a node owns outside the arena: its extended attributes. */
void famfs_ns_node_free(struct famfs_node *n)
{
	struct famfs_xattr *x, *next;

	for (x = n->xattrs; x; x = next) {
		next = x->next;
		free(x->name);
		free(x->value);
		free(x);
	}
	n->xattrs = NULL;
}

void famfs_ns_free(struct famfs_ns *ns)
{
	struct famfs_ns_chunk *c, *next;

	for (uint64_t i = 0; ns->nxattrs && i < ns->count; i++)
		famfs_ns_node_free(ns->byino[i]);
	famfs_ns_node_free(&ns->root);
	for (c = ns->arena; c; c = next) {
		next = c->next;
		munmap(c, sizeof(*c) + c->cap);
	}
	free(ns->htab);
	free(ns->byino);
	memset(ns, 0, sizeof(*ns));
}

/* The node with inode number @ino, or NULL (nodes live until ns_free). */
struct famfs_node *famfs_ns_by_ino(const struct famfs_ns *ns, uint64_t ino)
{
	if (ino == FAMFS_ROOT_INO)
		return (struct famfs_node *)&ns->root;
	if (ino < FAMFS_ROOT_INO + 1 || ino - FAMFS_ROOT_INO - 1 >= ns->count)
		return NULL;
	return ns->byino[ino - FAMFS_ROOT_INO - 1];
}

static int byino_reserve(struct famfs_ns *ns)
{
	struct famfs_node **t;
	uint64_t cap;

	if (ns->count < ns->icap)
		return 0;
	cap = ns->icap ? ns->icap * 2 : 1024;
	t = realloc(ns->byino, cap * sizeof(*t));
	if (!t)
		return -ENOMEM;
	ns->byino = t;
	ns->icap = cap;
	return 0;
}

struct famfs_node *famfs_ns_lookup(const struct famfs_ns *ns,
				   const char *path, size_t len)
{
	struct famfs_node *n;

	if (len == 0)
		return (struct famfs_node *)&ns->root;
	n = ns->htab[path_hash(path, len) & (ns->hcap - 1)];
	for (; n; n = n->hnext)
		if (n->path_len == len && !memcmp(n->path, path, len))
			return n;
	return NULL;
}

static int grow(struct famfs_ns *ns)
{
	uint64_t cap = ns->hcap * 2;
	struct famfs_node **t = calloc(cap, sizeof(*t));

	if (!t)
		return -ENOMEM;
	for (uint64_t i = 0; i < ns->hcap; i++) {
		struct famfs_node *n = ns->htab[i], *next;

		for (; n; n = next) {
			uint64_t h = path_hash(n->path, n->path_len) & (cap - 1);

			next = n->hnext;
			n->hnext = t[h];
			t[h] = n;
		}
	}
	free(ns->htab);
	ns->htab = t;
	ns->hcap = cap;
	return 0;
}

/* The map of a regular file: FILE, or INODE of a regular file. */
static int node_map(struct famfs_ns *ns, struct famfs_node *n,
		    const struct famfs_file_info *f)
{
	n->file = famfs_ns_alloc(ns, sizeof(*n->file) + f->nextents * sizeof(n->file->ext[0]));
	if (!n->file)
		return -ENOMEM;
	n->file->size = f->size;
	n->file->chunk = f->chunk;
	n->file->ext_type = f->ext_type;
	n->file->nextents = f->nextents;
	memcpy(n->file->ext, f->ext, f->nextents * sizeof(n->file->ext[0]));
	n->size = f->size;
	return 0;
}

/* The attributes of an INODE entry; its map or target follows. */
static void node_inode(struct famfs_node *n, const struct famfs_entry *e)
{
	const struct famfs_inode_info *i = &e->ino;

	n->ifmt = i->mode & S_IFMT;
	n->type = n->ifmt == S_IFREG ? FAMFS_ENTRY_FILE :
		  n->ifmt == S_IFDIR ? FAMFS_ENTRY_MKDIR : FAMFS_ENTRY_INODE;
	n->mode = i->mode & 07777;
	n->uid = i->uid;
	n->gid = i->gid;
	n->rdev_major = i->rdev_major;
	n->rdev_minor = i->rdev_minor;
	n->mtime = i->mtime;
	n->ctime = i->ctime;
}

static int node_body(struct famfs_ns *ns, struct famfs_node *n,
		     const struct famfs_entry *e)
{
	switch (e->type) {
	case FAMFS_ENTRY_FILE:
		n->type = FAMFS_ENTRY_FILE;
		n->ifmt = S_IFREG;
		n->mode = e->file.mode;
		n->uid = e->file.uid;
		n->gid = e->file.gid;
		return node_map(ns, n, &e->file);
	case FAMFS_ENTRY_MKDIR:
		n->type = FAMFS_ENTRY_MKDIR;
		n->ifmt = S_IFDIR;
		n->mode = e->dir.mode;
		n->uid = e->dir.uid;
		n->gid = e->dir.gid;
		return 0;
	}
	node_inode(n, e);
	if (n->ifmt == S_IFREG)
		return node_map(ns, n, &e->file);
	if (n->ifmt == S_IFLNK) {
		n->target = famfs_ns_alloc(ns, e->target_len + 1);
		if (!n->target)
			return -ENOMEM;
		memcpy(n->target, e->target, e->target_len + 1);
		n->size = e->target_len;
	}
	return 0;
}

/* A node and its path in one piece of the arena. */
static struct famfs_node *node_new(struct famfs_ns *ns,
				   const struct famfs_entry *e)
{
	struct famfs_node *n = famfs_ns_alloc(ns, sizeof(*n) + e->path_len + 1);

	if (!n)
		return NULL;
	n->mtime = n->ctime = ns->epoch;
	n->path = (char *)(n + 1);
	if (node_body(ns, n, e))
		return NULL;
	memcpy(n->path, e->path, e->path_len + 1);
	n->path_len = e->path_len;
	n->seq = e->seq;
	n->nlink = n->type == FAMFS_ENTRY_MKDIR ? 2 : 1;
	return n;
}

/* -EEXIST if @n's path exists, -ENOENT/-ENOTDIR if its parent is not a
 * directory; else its parent. */
static int find_parent(struct famfs_ns *ns, const struct famfs_node *n,
		       struct famfs_node **parent, struct famfs_why *why)
{
	int plen = famfs_path_parent_len(n->path, n->path_len);
	struct famfs_node *p;

	if (famfs_ns_lookup(ns, n->path, n->path_len)) {
		famfs_why_set(why, "'%s' already exists", n->path);
		return -EEXIST;
	}
	p = ns->last_parent;
	if (!p || p->path_len != (uint32_t)plen ||
	    memcmp(p->path, n->path, (size_t)plen))
		p = famfs_ns_lookup(ns, n->path, (size_t)plen);
	if (!p || p->type != FAMFS_ENTRY_MKDIR) {
		famfs_why_set(why, "parent of '%s' %s", n->path,
			      p ? "is not a directory" : "does not exist");
		return p ? -ENOTDIR : -ENOENT;
	}
	*parent = ns->last_parent = p;
	return 0;
}

/*
 * Put the new name @n under its parent and into the hash; a new inode
 * (@inode) also gets the next inode number.  On failure the caller still
 * owns @n.
 */
int famfs_ns_insert(struct famfs_ns *ns, struct famfs_node *n, int inode,
		    struct famfs_why *why)
{
	struct famfs_node *parent;
	uint64_t h;
	int rc = find_parent(ns, n, &parent, why);

	if (rc)
		return rc;
	if ((ns->names + 1 > ns->hcap && grow(ns)) ||
	    (inode && byino_reserve(ns)))
		return -ENOMEM;
	if (inode) {
		n->ino = FAMFS_ROOT_INO + 1 + ns->count;
		ns->byino[ns->count++] = n;
	}
	n->name_off = (uint32_t)famfs_path_parent_len(n->path, n->path_len);
	n->name_off += n->name_off ? 1 : 0;
	n->parent = parent;
	n->sibling = parent->child;
	parent->child = n;
	if (n->type == FAMFS_ENTRY_MKDIR)
		parent->nlink++;
	h = path_hash(n->path, n->path_len) & (ns->hcap - 1);
	n->hnext = ns->htab[h];
	ns->htab[h] = n;
	ns->names++;
	return 0;
}

static void count_inode(struct famfs_ns *ns, const struct famfs_node *n)
{
	if (n->type == FAMFS_ENTRY_FILE) {
		ns->nfiles++;
		ns->file_bytes += n->size;
	} else if (n->type == FAMFS_ENTRY_MKDIR) {
		ns->ndirs++;
	} else if (n->ifmt == S_IFLNK) {
		ns->nsymlinks++;
	} else {
		ns->nspecial++;
	}
}

/*
 * Add the file, directory or other inode of a FILE, MKDIR or INODE entry
 * @e.  -EEXIST if the path exists, -ENOENT if the parent does not,
 * -ENOTDIR if the parent is not a directory.
 */
int famfs_ns_add(struct famfs_ns *ns, const struct famfs_entry *e,
		 struct famfs_node **out, struct famfs_why *why)
{
	struct famfs_node *n = node_new(ns, e);
	int rc;

	if (!n)
		return -ENOMEM;
	rc = famfs_ns_insert(ns, n, 1, why);
	if (rc)
		return rc;	/* @n stays in the arena until ns_free */
	count_inode(ns, n);
	if (out)
		*out = n;
	return 0;
}
