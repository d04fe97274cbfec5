/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A file's map on the FUSE wire (fmap.c): the GET_FMAP and GET_DAXDEV
 * replies the famfs FUSE server sends to the kernel, and the offset
 * resolver that states what the kernel will compute from them.
 *
 * The encoder applies the kernel's validation rules (shared/design/
 * KERNEL.md "5 In-memory fmap and validation") before it writes a byte, so
 * the server refuses a map with -EINVAL instead of the kernel failing the
 * open with -EIO.  Device bounds are not checked here: they need the
 * device table.
 */
#ifndef FAMFS_FMAP_H
#define FAMFS_FMAP_H

#include "famfs_ns.h"
#include "fuse_famfs.h"

/*
 * Device offsets, extent lengths and interleave chunks must be multiples of
 * this: the kernel parses replies with PAGE_SIZE alignment (x86-64 only).
 */
#define FAMFS_FMAP_ALIGN	4096u

/*
 * Bytes of the GET_FMAP reply for @m (header + extents), or -EINVAL for an
 * unknown extent type.  Pure layout arithmetic: the extent limits are
 * famfs_fmap_encode()'s business.
 */
int famfs_fmap_reply_size(const struct famfs_fmap *m);

/*
 * Encode the GET_FMAP reply for @m into @buf: the header, then the simple
 * extents, or one interleaved extent followed by its strips.  Returns the
 * length written, -EINVAL for a map the kernel must refuse, -ERANGE if the
 * reply does not fit @room or FAMFS_FMAP_MAX.  Nothing is written to @buf
 * on failure.
 */
int famfs_fmap_encode(const struct famfs_fmap *m, uint8_t file_type,
		      uint64_t file_size, void *buf, size_t room);

/*
 * Does every extent (or strip) of @m lie inside its device?  @dev_size[i]
 * is the size in bytes of device index i, @ndevs the number of devices.
 * 0, or -ERANGE for an unknown device index or an extent that runs past
 * (or wraps around) the end of its device.  Replay refuses such entries;
 * this is checked again before a map leaves the server.
 */
int famfs_fmap_check_devs(const struct famfs_fmap *m, const uint64_t *dev_size,
			  uint32_t ndevs);

/*
 * Fill the GET_DAXDEV reply @out for device @index named @name.  A nonzero
 * @devnum (see famfs_new_encode_dev()) is sent flagged with
 * FAMFS_DAXDEV_HAS_DEVNUM; @chardev adds FAMFS_DAXDEV_CHARDEV (the number
 * is a device-dax char device's).  Returns 0, -ENAMETOOLONG if @name does
 * not fit FAMFS_DAXDEV_NAME_LEN with its NUL, -EINVAL for an index above
 * 65535, a devnum above 32 bits or @chardev without a devnum.  @out is
 * untouched on failure.
 */
int famfs_daxdev_encode(uint32_t index, uint64_t devnum, int chardev,
			const char *name, struct fuse_daxdev_out *out);

/*
 * Linux new_encode_dev(): the 32-bit dev_t userspace ABI encoding.
 * Returns 0 ("no device number") when @major > 0xfff or @minor > 0xfffff,
 * which the kernel's dev_t cannot hold.
 */
uint64_t famfs_new_encode_dev(unsigned int major, unsigned int minor);

/*
 * Resolve file offset @off of @m to device index @dev, device offset @doff
 * and @len bytes contiguous from there, capped at the end of the extent or
 * chunk and at the end of the file.  Returns 0, or -EINVAL if @off is not
 * below the file size or the map does not cover it.  The outputs are
 * written only on success.
 */
int famfs_fmap_resolve(const struct famfs_fmap *m, uint64_t off,
		       uint32_t *dev, uint64_t *doff, uint64_t *len);

#endif /* FAMFS_FMAP_H */
