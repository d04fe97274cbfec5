/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The server half of the server_io.c tests (test_srv_io, test_srv_v10): a
 * SOCK_SEQPACKET pair stands in for /dev/fuse (one request per read), and
 * the server state has the lock, the filesystem @fs and a .meta/.superblock
 * map (2 MiB at offset 0 of device 0) that GET_FMAP can serve without a
 * replay.  Include after <cmocka.h> and server_priv.h.
 */
#ifndef FAMFS_UNIT_SRV_H
#define FAMFS_UNIT_SRV_H

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static inline void usrv_init(struct famfs_server *srv, int sv[2],
			     struct famfs_fs *fs)
{
	struct famfs_fmap *m;

	memset(srv, 0, sizeof(*srv));
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	assert_int_equal(pthread_rwlock_init(&srv->lock, NULL), 0);
	srv->fs = fs;
	m = calloc(1, sizeof(*m) + sizeof(m->ext[0]));
	assert_non_null(m);
	m->ext_type = FAMFS_EXT_SIMPLE;
	m->size = 2ull << 20;
	m->nextents = 1;
	m->ext[0] = (struct famfs_extent){ 0, 0, 2ull << 20 };
	srv->sb_map = m;
}

static inline void usrv_fini(struct famfs_server *srv, int sv[2])
{
	close(sv[0]);
	close(sv[1]);
	free(srv->sb_map);
	srv->sb_map = NULL;
	pthread_rwlock_destroy(&srv->lock);
}

#endif /* FAMFS_UNIT_SRV_H */
