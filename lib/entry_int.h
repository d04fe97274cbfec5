/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Inside the entry codec (entry.c, entry_node.c): the pieces the first
 * release's entries and the root-tree entries share.  Only these two files
 * include it.
 */
#ifndef FAMFS_ENTRY_INT_H
#define FAMFS_ENTRY_INT_H

#include "famfs.h"
#include "omf.h"

#define HDR	sizeof(struct famfs_dentry)

static inline uint32_t align8(uint32_t v)
{
	return (v + FAMFS_ENTRY_ALIGN - 1) & ~(FAMFS_ENTRY_ALIGN - 1);
}

int bad(struct famfs_why *why, int err, const char *msg);
const uint8_t *get_str(const uint8_t *p, const uint8_t *end, uint32_t n,
		       uint32_t max, char *out, const char *what,
		       struct famfs_why *why);
int check_pad(const uint8_t *p, const uint8_t *end, struct famfs_why *why);
int check_extent(const struct famfs_dext *x, struct famfs_extent *o,
		 struct famfs_why *why);
int check_coverage(const struct famfs_file_info *f, struct famfs_why *why);

/* entry_node.c: INODE, LINK, XATTR and ATTR */
int famfs_entry_node_size(const struct famfs_entry *e);
void famfs_entry_node_encode(const struct famfs_entry *e, uint8_t *p);
int famfs_entry_node_decode(const uint8_t *p, const uint8_t *end,
			    struct famfs_entry *e, struct famfs_why *why);

#endif /* FAMFS_ENTRY_INT_H */
