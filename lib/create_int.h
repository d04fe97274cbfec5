/* SPDX-License-Identifier: Apache-2.0 */
/* Inside the master's create path (create.c, create_node.c). */
#ifndef FAMFS_CREATE_INT_H
#define FAMFS_CREATE_INT_H

#include "famfs_fs.h"

int famfs_cr_begin(struct famfs_fs *fs, struct famfs_why *why);
void famfs_cr_end(struct famfs_fs *fs);
int famfs_cr_precheck(struct famfs_fs *fs, struct famfs_entry *e,
		      const char *path, struct famfs_why *why);
int famfs_cr_commit(struct famfs_fs *fs, struct famfs_entry *e,
		    struct famfs_why *why);
int famfs_cr_check_layout(const struct famfs_fs *fs,
			  const struct famfs_layout *lay,
			  struct famfs_why *why);
int famfs_cr_allocate(struct famfs_fs *fs, const char *path, uint64_t size,
		      const struct famfs_layout *lay, struct famfs_file_info *f,
		      struct famfs_why *why);
uint64_t famfs_cr_total_size(const struct famfs_fs *fs);

#endif /* FAMFS_CREATE_INT_H */
