// SPDX-License-Identifier: Apache-2.0
/*
 * The famfs kernel protocol on stock libfuse: fuse_session_custom_io() lets
 * the server see every raw request before libfuse does.  The read hook
 * answers GET_FMAP (54) and GET_DAXDEV (55) itself and notes what INIT
 * offers; the writev hook amends libfuse's INIT reply to accept
 * FUSE_DAX_FMAP (and direct-I/O mmap) when the server may use them.
 *
 * Both requests come in two forms, ours (kernel/patches) and the V10
 * famfs series' (see kernel/README.md), told apart by the length of the
 * in-arg and nothing else.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <unistd.h>
#include <linux/capability.h>
#include <linux/fuse.h>

#include "server_priv.h"

#define CAP_RAWIO_BIT 17	/* CAP_SYS_RAWIO */

/* Does this process hold CAP_SYS_RAWIO (needed to be offered DAX)? */
static int have_rawio(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];

	if (syscall(SYS_capget, &hdr, data))
		return 0;
	return !!(data[0].effective & (1u << CAP_RAWIO_BIT));
}

static ssize_t reply(int fd, uint64_t unique, int err, const void *arg,
		     size_t len)
{
	struct fuse_out_header out = {
		.len = (uint32_t)(sizeof(out) + (err ? 0 : len)),
		.error = err,
		.unique = unique,
	};
	struct iovec iov[2] = {
		{ &out, sizeof(out) },
		{ (void *)arg, len },
	};

	return writev(fd, iov, err || !len ? 1 : 2);
}

/*
 * Which GET_FMAP the kernel sent, told by the in-arg length alone: ours
 * carries struct fuse_famfs_get_fmap_in, the size of the kernel's reply
 * buffer; the V10 series sends no in-arg and reads at most
 * FAMFS_V10_FMAP_BUFSIZE bytes.  Sets *room; FORM_OURS, FORM_V10, or
 * -EINVAL for a request of neither form.
 */
enum { FORM_OURS, FORM_V10 };

static int fmap_form(const struct fuse_in_header *in, const void *arg,
		     size_t *room)
{
	const struct fuse_famfs_get_fmap_in *gi = arg;
	size_t arglen = in->len - sizeof(*in);

	if (!arglen) {
		*room = FAMFS_V10_FMAP_BUFSIZE;
		return FORM_V10;
	}
	if (arglen < sizeof(*gi))
		return -EINVAL;
	*room = gi->size < FAMFS_FMAP_MAX ? gi->size : FAMFS_FMAP_MAX;
	return FORM_OURS;
}

/*
 * An empty file has no memory.  Our kernel takes an empty reply as "no
 * map" and reads the file through the server (EOF at 0); a V10 kernel
 * cannot represent it at all and fails the open on an empty reply, so
 * that form gets a clear refusal.  The reply's error (0 or -errno).
 */
static int empty_map(struct famfs_server *srv, const struct fuse_in_header *in,
		     int form)
{
	if (form != FORM_V10)
		return 0;
	srv_log(srv, LOG_WARNING, "v10-fmap", "inode %" PRIu64 ": an empty file has no map, which a V10 kernel cannot take; GET_FMAP refused (EINVAL)",
		(uint64_t)in->nodeid);
	return -EINVAL;
}

/*
 * Encode the map into @buf; its length or -errno.  A map outside its
 * device never leaves the server.  A map larger than a V10 kernel reads
 * is refused with E2BIG: sent anyway, the kernel would drop the reply and
 * fail the open with EIO, with no word of why.  (No map within the
 * extent limits is that large, see famfs_check_fuse_layout().)
 */
static int encode_map(struct famfs_server *srv, const struct fuse_in_header *in,
		      const struct famfs_fmap *m, uint8_t type, void *buf,
		      size_t room, int form)
{
	int n = famfs_srv_fmap_bounded(srv, m);

	if (n) {
		srv_log(srv, LOG_ERR, "fmap-bounds", "inode %" PRIu64 ": extents outside their device, GET_FMAP refused (run famfs fsck)",
			(uint64_t)in->nodeid);
		return n;
	}
	n = famfs_fmap_encode(m, type, m->size, buf, room);
	if (n == -ERANGE && form == FORM_V10) {
		srv_log(srv, LOG_ERR, "v10-fmap", "inode %" PRIu64 ": its map takes %d bytes, more than the %u a V10 kernel reads; GET_FMAP refused (E2BIG)",
			(uint64_t)in->nodeid, famfs_fmap_reply_size(m),
			FAMFS_V10_FMAP_BUFSIZE);
		n = -E2BIG;
	}
	return n;
}

static void get_fmap(struct famfs_server *srv, int fd,
		     const struct fuse_in_header *in, const void *arg)
{
	const struct famfs_fmap *m;
	size_t room;
	uint8_t type;
	void *buf;
	int form = fmap_form(in, arg, &room);
	int n;

	if (form < 0) {
		srv_log(srv, LOG_WARNING, "fmap-form", "GET_FMAP refused: %u-byte in-arg, neither form (EINVAL)",
			(unsigned int)(in->len - sizeof(*in)));
		reply(fd, in->unique, form, NULL, 0);
		return;
	}
	m = famfs_srv_fmap(srv, in->nodeid, &type);
	if (m && type == FAMFS_FMAP_REG && famfs_srv_refresh(srv) == -ESTALE) {
		reply(fd, in->unique, -ESTALE, NULL, 0);
		return;
	}
	if (m && type == FAMFS_FMAP_REG && !m->nextents) {
		__atomic_add_fetch(&srv->n_fmap, 1, __ATOMIC_RELAXED);
		reply(fd, in->unique, empty_map(srv, in, form), NULL, 0);
		return;
	}
	buf = malloc(room);
	if (!m || !buf) {
		free(buf);
		reply(fd, in->unique, m ? -ENOMEM : -ENOENT, NULL, 0);
		return;
	}
	n = encode_map(srv, in, m, type, buf, room, form);
	if (n >= 0 && type == FAMFS_FMAP_REG)
		buf = famfs_srv_fault_fmap(srv, buf, &n);
	__atomic_add_fetch(&srv->n_fmap, 1, __ATOMIC_RELAXED);
	reply(fd, in->unique, n < 0 ? n : 0, buf, n < 0 ? 0 : (size_t)n);
	free(buf);
}

/*
 * The device index of a GET_DAXDEV, told by the in-arg length alone: our
 * kernel sends struct fuse_get_daxdev_in (and the index as the nodeid
 * too); the V10 series sends the index as the nodeid with no in-arg.  0,
 * or -EINVAL for a request of neither form.
 */
static int daxdev_index(const struct fuse_in_header *in, const void *arg,
			uint32_t *idx)
{
	const struct fuse_get_daxdev_in *di = arg;
	size_t arglen = in->len - sizeof(*in);

	if (!arglen && in->nodeid <= UINT32_MAX) {
		*idx = (uint32_t)in->nodeid;
		return 0;
	}
	if (arglen < sizeof(*di))
		return -EINVAL;
	*idx = di->daxdev_num;
	return 0;
}

/*
 * The number of the device, which the kernel prefers to its path (see
 * FAMFS_DAXDEV_HAS_DEVNUM): a pmem block device's, or a device-dax char
 * device's when it is bound to fsdev_dax (*chardev set: the kernel claims
 * it by dev_t, with no path).  0 for anything else: an image file, and a
 * device-dax device in device_dax mode, which fs-dax cannot use; it is
 * named by its path only, and famfs mount serves such a filesystem on the
 * fallback path (see mount_dax_note).  The V10 series reads the path
 * alone, and accepts only a character device there.
 */
static uint64_t daxdev_number(const struct famfs_dev *dev, int *chardev)
{
	struct stat st;

	*chardev = 0;
	if (dev->kind == FAMFS_DEV_FILE || fstat(dev->fd, &st))
		return 0;
	if (S_ISCHR(st.st_mode) && dev->rwio)
		*chardev = 1;
	else if (!S_ISBLK(st.st_mode))
		return 0;
	return famfs_new_encode_dev(major(st.st_rdev), minor(st.st_rdev));
}

/*
 * GET_DAXDEV: the device of any index the log knows, found by its UUID
 * now if no file has used it yet.  An index beyond the table gets one
 * replay first (the log may have grown); a device that is not found on
 * this host is -ENXIO (famfs status says which UUID).  Both forms get the
 * same 280-byte reply.
 */
static void get_daxdev(struct famfs_server *srv, int fd,
		       const struct fuse_in_header *in, const void *arg)
{
	struct famfs_why why = { "" };
	struct fuse_daxdev_out out;
	struct famfs_dev *dev;
	uint64_t devnum;
	uint32_t idx;
	int chardev;
	int rc = daxdev_index(in, arg, &idx);

	if (rc) {
		srv_log(srv, LOG_WARNING, "daxdev", "GET_DAXDEV refused: %u-byte in-arg, nodeid %" PRIu64 " (EINVAL)",
			(unsigned int)(in->len - sizeof(*in)), (uint64_t)in->nodeid);
		reply(fd, in->unique, rc, NULL, 0);
		return;
	}
	rc = famfs_fs_dev(srv->fs, idx, &dev, &why);
	if (rc == -ENODEV && famfs_srv_refresh(srv) >= 0)
		rc = famfs_fs_dev(srv->fs, idx, &dev, &why);
	if (rc) {
		srv_log(srv, LOG_WARNING, "daxdev", "GET_DAXDEV %u refused: %s",
			(unsigned int)idx, why.msg[0] ? why.msg : strerror(-rc));
		reply(fd, in->unique, rc, NULL, 0);
		return;
	}
	devnum = daxdev_number(dev, &chardev);
	if (!devnum)
		chardev = 0;	/* a number the dev_t cannot hold */
	rc = famfs_daxdev_encode(idx, devnum, chardev, dev->path, &out);
	if (!rc)
		srv_log(srv, LOG_INFO, "daxdev-found", "device %u found at %s",
			(unsigned int)idx, dev->path);
	if (!rc)
		famfs_srv_fault_daxdev(&out);
	__atomic_add_fetch(&srv->n_daxdev, 1, __ATOMIC_RELAXED);
	reply(fd, in->unique, rc, &out, sizeof(out));
}

static void note_init(struct famfs_server *srv, const struct fuse_in_header *in,
		      const void *arg)
{
	const struct fuse_init_in *ii = arg;
	uint64_t flags;

	if (in->len < sizeof(*in) + offsetof(struct fuse_init_in, unused))
		return;
	flags = ii->flags;
	if (flags & FUSE_INIT_EXT)
		flags |= (uint64_t)ii->flags2 << 32;
	srv->init_unique = in->unique;
	srv->dax_offered = !!(flags & FUSE_DAX_FMAP_FLAG);
	srv->mmap_offered = !!(flags & FUSE_DIRECT_IO_ALLOW_MMAP_FLAG);
}

/*
 * Read requests for libfuse, answering the famfs opcodes here.  Returns
 * like read(2): libfuse reads errno on -1.
 */
static ssize_t io_read(int fd, void *buf, size_t len, void *userdata)
{
	struct famfs_server *srv = userdata;

	for (;;) {
		const struct fuse_in_header *in = buf;
		ssize_t n = read(fd, buf, len);

		if (n < (ssize_t)sizeof(*in) || (size_t)n != in->len)
			return n;
		switch (in->opcode) {
		case FUSE_GET_FMAP_OP:
			get_fmap(srv, fd, in, in + 1);
			continue;
		case FUSE_GET_DAXDEV_OP:
			get_daxdev(srv, fd, in, in + 1);
			continue;
		case FUSE_INIT:
			note_init(srv, in, in + 1);
			break;
		}
		return n;
	}
}

/* Accept DAX and direct-I/O mmap in the INIT reply when allowed. */
static void amend_init(struct famfs_server *srv, struct iovec *iov, int count)
{
	struct fuse_init_out *out;
	uint64_t add = 0;

	if (count < 2 || iov[1].iov_len < sizeof(*out))
		return;
	out = iov[1].iov_base;
	if (srv->dax_offered && srv->opts.data_path != FAMFS_DP_FALLBACK &&
	    have_rawio())
		add |= FUSE_DAX_FMAP_FLAG;
	if (srv->mmap_offered)
		add |= FUSE_DIRECT_IO_ALLOW_MMAP_FLAG;
	srv->dax_on = !!(add & FUSE_DAX_FMAP_FLAG);
	if (!add)
		return;
	out->flags |= FUSE_INIT_EXT;
	out->flags2 |= (uint32_t)(add >> 32);
}

static ssize_t io_writev(int fd, struct iovec *iov, int count, void *userdata)
{
	struct famfs_server *srv = userdata;
	const struct fuse_out_header *out = iov[0].iov_base;

	if (srv->init_unique && out->unique == srv->init_unique &&
	    out->error == 0) {
		amend_init(srv, iov, count);
		srv->init_unique = 0;
	}
	return writev(fd, iov, count);
}

const struct fuse_custom_io famfs_custom_io = {
	.read = io_read,
	.writev = io_writev,
};
