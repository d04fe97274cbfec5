// SPDX-License-Identifier: Apache-2.0
/*
 * The fallback data path: on a kernel without famfs DAX the server serves
 * READ and WRITE itself from its shared mapping of the device, bounded by
 * the file's size.  Files are opened with direct I/O so that every read
 * reaches the server and sees what other hosts wrote; on memory another
 * host may write (pmem, device-dax) the CPU caches are invalidated before a
 * read and written back after a write.  An image file is page-cache memory,
 * coherent for every process of this host, and needs neither.
 */
#include <inttypes.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "server_priv.h"

/*
 * Pieces one READ reply points at in the mapping.  A request is at most
 * 1 MiB (256 pages: libfuse 3.14's largest max_pages) and extents and
 * chunks are page-aligned, so a request touches at most 257 pieces; a
 * larger one, should the kernel ever send it, is copied into a buffer.
 */
#define MAX_IOV 257

/*
 * The map of a regular file or .meta file, and its kernel file type;
 * NULL for anything else.  The map is immutable: no lock needed after.
 */
const struct famfs_fmap *famfs_srv_fmap(struct famfs_server *srv,
					uint64_t ino, uint8_t *file_type)
{
	const struct famfs_node *n;

	if (ino == FAMFS_INO_SUPERBLOCK) {
		*file_type = FAMFS_FMAP_SUPERBLOCK;
		return srv->sb_map;
	}
	if (ino == FAMFS_INO_LOG) {
		*file_type = FAMFS_FMAP_LOG;
		return srv->log_map;
	}
	pthread_rwlock_rdlock(&srv->lock);
	n = famfs_ns_by_ino(&srv->fs->ns, ino);
	pthread_rwlock_unlock(&srv->lock);
	*file_type = FAMFS_FMAP_REG;
	return n ? n->file : NULL;
}

/*
 * 0 if every extent of @m lies inside its device, else -EIO.  Replay
 * already refused such entries; a map is checked again before the server
 * hands it to the kernel (GET_FMAP) or opens its file for I/O.
 */
int famfs_srv_fmap_bounded(struct famfs_server *srv,
			   const struct famfs_fmap *m)
{
	const struct famfs_fs *fs = srv->fs;
	uint64_t size[FAMFS_MAX_DEVICES];
	uint32_t n;

	pthread_rwlock_rdlock(&srv->lock);
	n = fs->ndevs;
	for (uint32_t i = 0; i < n; i++)
		size[i] = fs->devs[i].size;
	pthread_rwlock_unlock(&srv->lock);
	/* the primary device as opened, in case it is smaller than recorded */
	if (n && fs->dev.size < size[0])
		size[0] = fs->dev.size;
	return famfs_fmap_check_devs(m, size, n) ? -EIO : 0;
}

/* Memory another host may write: caches are flushed and invalidated. */
static int shared_memory(const struct famfs_dev *dev)
{
	return !famfs_dev_coherent(dev);
}

void famfs_ll_open(fuse_req_t req, fuse_ino_t ino,
		       struct fuse_file_info *fi)
{
	struct famfs_server *srv = srv_of(req);
	int wr = (fi->flags & O_ACCMODE) != O_RDONLY;
	struct famfs_why why = { "" };
	const struct famfs_fmap *m;
	uint8_t type;
	int rc;

	if (ino == FAMFS_INO_CTL) {
		rc = famfs_ctl_open(srv, req, fi);
		if (rc)
			fuse_reply_err(req, -rc);
		else
			fuse_reply_open(req, fi);
		return;
	}
	m = famfs_srv_fmap(srv, ino, &type);
	if (!m) {
		fuse_reply_err(req, famfs_srv_exists(srv, ino) ? EISDIR : ENOENT);
		return;
	}
	/* a file's memory may belong to a re-created filesystem by now */
	if (type == FAMFS_FMAP_REG && famfs_srv_refresh(srv) == -ESTALE) {
		fuse_reply_err(req, ESTALE);
		return;
	}
	m = famfs_srv_fmap(srv, ino, &type);	/* again: after a replay */
	if (!m || famfs_srv_fmap_bounded(srv, m)) {
		if (m)
			srv_log(srv, LOG_ERR, "fmap-bounds", "inode %" PRIu64 ": extents outside their device, open refused (EIO; run famfs fsck)",
				(uint64_t)ino);
		fuse_reply_err(req, EIO);
		return;
	}
	/* every device of the file must be on this host (ENXIO otherwise) */
	rc = famfs_fs_file_devs(srv->fs, m, &why);
	if (rc) {
		srv_log(srv, LOG_WARNING, "device-missing", "inode %" PRIu64 ": open refused: %s",
			(uint64_t)ino, why.msg);
		fuse_reply_err(req, -rc);
		return;
	}
	if (fi->flags & O_TRUNC) {
		srv_log(srv, LOG_WARNING, "refused-change", "inode %" PRIu64 ": open with O_TRUNC refused (pid %d)",
			(uint64_t)ino, (int)fuse_req_ctx(req)->pid);
		fuse_reply_err(req, srv->opts.master ? EPERM : EROFS);
		return;
	}
	/* .meta files are read-only even for root: the log changes only
	 * through appends (the control file or the CLI on the device) */
	if (wr && (!srv->opts.master || type != FAMFS_FMAP_REG)) {
		srv_log(srv, LOG_WARNING, "refused-change", "inode %" PRIu64 ": open for writing refused on a %s (pid %d)",
			(uint64_t)ino, srv->opts.master ? ".meta file" : "client",
			(int)fuse_req_ctx(req)->pid);
		fuse_reply_err(req, srv->opts.master ? EACCES : EROFS);
		return;
	}
	/* an empty file gets no map (GET_FMAP): never any page cache */
	fi->direct_io = !srv->dax_on || m->nextents == 0;
	fi->keep_cache = 0;
	fi->fh = 0;
	fuse_reply_open(req, fi);
}

void famfs_ll_release(fuse_req_t req, fuse_ino_t ino,
			  struct fuse_file_info *fi)
{
	if (ino == FAMFS_INO_CTL)
		famfs_ctl_release(srv_of(req), fi);
	fuse_reply_err(req, 0);
}

/* Bytes of the file at @off that I/O may touch: min(size, size - off). */
static size_t io_len(const struct famfs_fmap *m, off_t off, size_t size)
{
	uint64_t left;

	if (off < 0 || (uint64_t)off >= m->size)
		return 0;
	left = m->size - (uint64_t)off;
	return size < left ? size : (size_t)left;
}

/*
 * Walk [off, off+n) of @m, calling @fn for each contiguous device piece.
 * Returns 0 or -errno (a map that does not cover the range).
 */
static int for_each_piece(struct famfs_server *srv, const struct famfs_fmap *m,
			  uint64_t off, size_t n,
			  int (*fn)(void *arg, const struct famfs_dev *dev,
				    uint8_t *mem, size_t len),
			  void *arg)
{
	while (n) {
		struct famfs_dev *dev;
		uint32_t idx;
		uint64_t doff, len;
		int rc = famfs_fmap_resolve(m, off, &idx, &doff, &len);

		if (rc)
			return rc;
		rc = famfs_fs_dev(srv->fs, idx, &dev, NULL);
		if (rc)
			return rc;
		if (doff + len > dev->size)
			return -EIO;
		if (len > n)
			len = n;
		rc = fn(arg, dev, dev->base + doff, (size_t)len);
		if (rc)
			return rc;
		off += len;
		n -= (size_t)len;
	}
	return 0;
}

struct read_ctx {
	struct famfs_server *srv;
	struct iovec iov[MAX_IOV];
	int n;
	uint8_t *bounce;		/* when pieces exceed MAX_IOV */
	size_t done;
};

static int read_piece(void *arg, const struct famfs_dev *dev, uint8_t *mem,
		      size_t len)
{
	struct read_ctx *rc = arg;

	if (shared_memory(dev))
		famfs_invalidate(mem, len);
	if (rc->bounce) {
		memcpy(rc->bounce + rc->done, mem, len);
	} else if (rc->n < MAX_IOV) {
		rc->iov[rc->n].iov_base = mem;
		rc->iov[rc->n++].iov_len = len;
	} else {
		return -E2BIG;
	}
	rc->done += len;
	return 0;
}

static int do_read(struct famfs_server *srv, fuse_req_t req,
		   const struct famfs_fmap *m, off_t off, size_t n)
{
	struct read_ctx rc = { .srv = srv };
	int err = for_each_piece(srv, m, (uint64_t)off, n, read_piece, &rc);

	if (err == -E2BIG) {		/* many small pieces: copy them */
		memset(&rc, 0, sizeof(rc));
		rc.srv = srv;
		rc.bounce = malloc(n);
		if (!rc.bounce)
			return -ENOMEM;
		err = for_each_piece(srv, m, (uint64_t)off, n, read_piece, &rc);
		if (!err)
			fuse_reply_buf(req, (const char *)rc.bounce, n);
		free(rc.bounce);
		return err;
	}
	if (!err)
		fuse_reply_iov(req, rc.iov, rc.n);
	return err;
}

void famfs_ll_read(fuse_req_t req, fuse_ino_t ino, size_t size,
		       off_t off, struct fuse_file_info *fi)
{
	struct famfs_server *srv = srv_of(req);
	const struct famfs_fmap *m;
	uint8_t type;
	size_t n;
	int rc;

	if (ino == FAMFS_INO_CTL) {
		famfs_ctl_read(req, size, off, fi);
		return;
	}
	m = famfs_srv_fmap(srv, ino, &type);
	if (!m || (type == FAMFS_FMAP_REG && famfs_srv_is_stale(srv))) {
		fuse_reply_err(req, m ? ESTALE : EISDIR);
		return;
	}
	__atomic_add_fetch(&srv->n_read, 1, __ATOMIC_RELAXED);
	n = io_len(m, off, size);
	if (!n) {
		fuse_reply_buf(req, NULL, 0);
		return;
	}
	rc = do_read(srv, req, m, off, n);
	if (rc)
		fuse_reply_err(req, -rc);
}

struct write_ctx {
	struct famfs_server *srv;
	const char *src;
};

static int write_piece(void *arg, const struct famfs_dev *dev, uint8_t *mem,
		       size_t len)
{
	struct write_ctx *wc = arg;

	memcpy(mem, wc->src, len);
	if (shared_memory(dev))
		famfs_flush(mem, len);
	wc->src += len;
	return 0;
}

/*
 * Files are preallocated: a write at or past the end fails with ENOSPC and
 * a write that straddles the end is short.
 */
void famfs_ll_write(fuse_req_t req, fuse_ino_t ino, const char *buf,
			size_t size, off_t off, struct fuse_file_info *fi)
{
	struct famfs_server *srv = srv_of(req);
	struct write_ctx wc = { srv, buf };
	const struct famfs_fmap *m;
	uint8_t type;
	size_t n;
	int rc;

	if (ino == FAMFS_INO_CTL) {
		famfs_ctl_write(srv, req, buf, size, off, fi);
		return;
	}
	if (!srv->opts.master) {
		fuse_reply_err(req, EROFS);
		return;
	}
	m = famfs_srv_fmap(srv, ino, &type);
	if (!m || type != FAMFS_FMAP_REG) {
		fuse_reply_err(req, m ? EACCES : EISDIR);
		return;
	}
	if (type == FAMFS_FMAP_REG && famfs_srv_is_stale(srv)) {
		fuse_reply_err(req, ESTALE);
		return;
	}
	__atomic_add_fetch(&srv->n_write, 1, __ATOMIC_RELAXED);
	n = io_len(m, off, size);
	if (!n) {
		fuse_reply_err(req, ENOSPC);
		return;
	}
	rc = famfs_srv_kill_privs(srv, req, ino);
	if (rc) {
		fuse_reply_err(req, -rc);
		return;
	}
	rc = for_each_piece(srv, m, (uint64_t)off, n, write_piece, &wc);
	if (rc)
		fuse_reply_err(req, -rc);
	else
		fuse_reply_write(req, n);
}

static int sync_piece(void *arg, const struct famfs_dev *dev, uint8_t *mem,
		      size_t len)
{
	uintptr_t pg = (uintptr_t)mem & ~(uintptr_t)4095;

	(void)arg;
	if (shared_memory(dev)) {
		famfs_flush(mem, len);
		return 0;
	}
	return msync((void *)pg, len + ((uintptr_t)mem - pg), MS_SYNC) ?
	       -errno : 0;
}

/* fsync: write the file's memory back from the CPU caches (or page cache). */
void famfs_ll_fsync(fuse_req_t req, fuse_ino_t ino, int datasync,
			struct fuse_file_info *fi)
{
	struct famfs_server *srv = srv_of(req);
	const struct famfs_fmap *m;
	uint8_t type;
	int rc = 0;

	(void)datasync;
	(void)fi;
	m = famfs_srv_fmap(srv, ino, &type);
	if (m)
		rc = for_each_piece(srv, m, 0, (size_t)m->size, sync_piece, srv);
	fuse_reply_err(req, -rc);
}

void famfs_ll_flush(fuse_req_t req, fuse_ino_t ino,
			   struct fuse_file_info *fi)
{
	(void)ino;
	(void)fi;
	fuse_reply_err(req, 0);
}
