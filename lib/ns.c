// SPDX-License-Identifier: Apache-2.0
/*
 * The namespace: every directory and file the log has created, as a tree
 * with a hash index on the full relative path.  Inode numbers are dense and
 * stable for one replay: root is 1, then log order.
 */
#include <stdlib.h>
#include <string.h>

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
	ns->root.mode = 0755;
	ns->root.path = (char *)"";
	return 0;
}

void famfs_ns_free(struct famfs_ns *ns)
{
	for (uint64_t i = 0; ns->htab && i < ns->hcap; i++) {
		struct famfs_node *n = ns->htab[i], *next;

		for (; n; n = next) {
			next = n->hnext;
			free(n->file);
			free(n->path);
			free(n);
		}
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

static struct famfs_node *node_new(const struct famfs_entry *e)
{
	struct famfs_node *n = calloc(1, sizeof(*n));

	if (!n)
		return NULL;
	n->path = malloc(e->path_len + 1);
	if (e->type == FAMFS_ENTRY_FILE)
		n->file = malloc(sizeof(*n->file) + e->file.nextents *
				 sizeof(n->file->ext[0]));
	if (!n->path || (e->type == FAMFS_ENTRY_FILE && !n->file)) {
		free(n->path);
		free(n);
		return NULL;
	}
	memcpy(n->path, e->path, e->path_len + 1);
	n->path_len = e->path_len;
	n->seq = e->seq;
	n->type = e->type;
	if (e->type == FAMFS_ENTRY_FILE) {
		n->file->size = e->file.size;
		n->file->chunk = e->file.chunk;
		n->file->ext_type = e->file.ext_type;
		n->file->nextents = e->file.nextents;
		memcpy(n->file->ext, e->file.ext,
		       e->file.nextents * sizeof(n->file->ext[0]));
		n->mode = e->file.mode;
		n->uid = e->file.uid;
		n->gid = e->file.gid;
		n->size = e->file.size;
	} else {
		n->mode = e->dir.mode;
		n->uid = e->dir.uid;
		n->gid = e->dir.gid;
	}
	return n;
}

/*
 * Add the file or directory of entry @e.  -EEXIST if the path exists,
 * -ENOENT if the parent does not, -ENOTDIR if the parent is a file.
 */
int famfs_ns_add(struct famfs_ns *ns, const struct famfs_entry *e,
		 struct famfs_node **out, struct famfs_why *why)
{
	int plen = famfs_path_parent_len(e->path, e->path_len);
	struct famfs_node *parent, *n;
	uint64_t h;

	if (famfs_ns_lookup(ns, e->path, e->path_len)) {
		famfs_why_set(why, "'%s' already exists", e->path);
		return -EEXIST;
	}
	parent = famfs_ns_lookup(ns, e->path, (size_t)plen);
	if (!parent || parent->type != FAMFS_ENTRY_MKDIR) {
		famfs_why_set(why, "parent of '%s' %s", e->path,
			      parent ? "is not a directory" : "does not exist");
		return parent ? -ENOTDIR : -ENOENT;
	}
	if ((ns->count + 1 > ns->hcap && grow(ns)) || byino_reserve(ns))
		return -ENOMEM;
	n = node_new(e);
	if (!n)
		return -ENOMEM;
	n->ino = FAMFS_ROOT_INO + 1 + ns->count;
	n->name_off = plen ? (uint32_t)plen + 1 : 0;
	n->parent = parent;
	n->sibling = parent->child;
	parent->child = n;
	h = path_hash(n->path, n->path_len) & (ns->hcap - 1);
	n->hnext = ns->htab[h];
	ns->htab[h] = n;
	ns->byino[ns->count] = n;
	ns->count++;
	if (n->type == FAMFS_ENTRY_FILE) {
		ns->nfiles++;
		ns->file_bytes += n->size;
	} else {
		ns->ndirs++;
	}
	if (out)
		*out = n;
	return 0;
}
