/* SPDX-License-Identifier: Apache-2.0 */
/* The CLI's side of the control protocol (client.c). */
#ifndef FAMFS_CLIENT_H
#define FAMFS_CLIENT_H

#include <limits.h>

#include "famfs_ctl.h"

struct famfs_client {
	char mnt[PATH_MAX];		/* the famfs mount point */
	int fd;				/* MNT/.meta/.ctl */
	int ioctl;			/* read-only mount: requests by ioctl */
	void *io;			/* request and reply buffers, kept
					 * from call to call until close */
};

int famfs_client_resolve(const char *path, char *mnt, size_t mntlen,
			 char *rel, size_t rellen, struct famfs_why *why);
int famfs_client_open(struct famfs_client *c, const char *mnt,
		      struct famfs_why *why);
int famfs_client_call(struct famfs_client *c, const struct famfs_ctl_req *q,
		      struct famfs_ctl_rep *r, struct famfs_why *why);
int famfs_client_batch(struct famfs_client *c, const void *buf,
		       struct famfs_ctl_rep *r, struct famfs_why *why);
void famfs_client_close(struct famfs_client *c);
int famfs_client_request(const char *mnt, const struct famfs_ctl_req *q,
			 struct famfs_ctl_rep *r, struct famfs_why *why);

#endif /* FAMFS_CLIENT_H */
