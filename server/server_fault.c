// SPDX-License-Identifier: Apache-2.0
/*
 * Test-only fault injection into the famfs kernel protocol (build/famfs-fault,
 * tests/vm/vm.mk; compiled to nothing in build/famfs, see server_priv.h):
 * FAMFS_FAULT_FMAP names one malformed GET_FMAP or GET_DAXDEV reply, sent
 * for regular files only (never for .meta files).  The GET_DAXDEV cases
 * corrupt only replies asked for after a regular file's GET_FMAP, so the
 * device lookups of .meta files stay good.
 *
 * FAMFS_FAULT_FMAP=getattr_size makes GETATTR replies lie about the size
 * of regular files.
 *
 * FAMFS_FAULT_FMAP=chardev:MAJ:MIN makes those GET_DAXDEV replies name
 * character device MAJ:MIN as a device-dax instance.
 *
 * FAMFS_FAULT_FMAP=random:SEED is the malicious-server fuzz of the VM
 * tests: every regular file's GET_FMAP reply, and every GET_DAXDEV reply
 * after one, is mutated at random (a byte, a length, a field, an extent;
 * one reply in eight is left intact), reproducibly from SEED.
 */
#ifdef FAMFS_FAULT_INJECT
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/capability.h>
#include <linux/fuse.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "server_priv.h"

static int fault_reg_seen;
static uint64_t fault_rng;

/* The random case's generator (xorshift64*), seeded once from SEED */
static uint64_t fault_rand(void)
{
	if (!fault_rng) {
		const char *c = getenv("FAMFS_FAULT_FMAP");

		fault_rng = strtoull(c + strlen("random:"), NULL, 0) * 2654435761u + 1;
	}
	fault_rng ^= fault_rng >> 12;
	fault_rng ^= fault_rng << 25;
	fault_rng ^= fault_rng >> 27;
	return fault_rng * 0x2545F4914F6CDD1DULL;
}

static int fault_random(void)
{
	const char *c = getenv("FAMFS_FAULT_FMAP");

	return c && !strncmp(c, "random:", strlen("random:"));
}

/* A random 64-bit value: small, page-aligned, near a limit, or any */
static uint64_t fault_value(void)
{
	switch (fault_rand() % 4) {
	case 0:
		return fault_rand() % 64;
	case 1:
		return (fault_rand() % (1ULL << 34)) & ~4095ULL;
	case 2:
		return 0ULL - (fault_rand() % (4ULL << 20));
	}
	return fault_rand();
}

/* Mutate @n bytes at @buf (a whole reply) in one random way */
static void *fault_mutate(void *buf, int *n, int *field_at, int nfields)
{
	uint8_t *b = buf;
	size_t add;
	void *nb;

	switch (fault_rand() % 8) {
	case 0:				/* intact */
		break;
	case 1:				/* one byte */
	case 2:
		if (*n)
			b[fault_rand() % (uint64_t)*n] = (uint8_t)fault_rand();
		break;
	case 3:				/* cut short */
		if (*n)
			*n = (int)(fault_rand() % (uint64_t)*n);
		break;
	case 4:				/* grown */
		add = 1 + fault_rand() % 64;
		nb = realloc(buf, (size_t)*n + add);
		if (!nb)
			break;
		for (b = nb; add; add--)
			b[(*n)++] = (uint8_t)fault_rand();
		buf = nb;
		break;
	default:			/* a field: 8 bytes at a field offset */
		if (nfields) {
			uint64_t v = fault_value();
			int at = field_at[fault_rand() % (uint64_t)nfields];

			if (at + 8 <= *n)
				memcpy(b + at, &v, 8);
		}
	}
	return buf;
}

/* Offsets of the 64-bit-sized places in an encoded map worth corrupting */
static int fault_fields(int n, int *at, int max)
{
	int k = 0, off;

	at[k++] = 0;			/* file_type, version, ext_type */
	at[k++] = 8;			/* nextents, reserved0 */
	at[k++] = (int)offsetof(struct fuse_famfs_fmap_header, file_size);
	for (off = (int)sizeof(struct fuse_famfs_fmap_header);
	     off + 8 <= n && k < max; off += 8)
		at[k++] = off;
	return k;
}

static const char *fault_case(void)
{
	const char *c = getenv("FAMFS_FAULT_FMAP");

	return c && *c ? c : NULL;
}

static int fault_is(const char *name)
{
	const char *c = fault_case();

	return c && !strcmp(c, name);
}

/*
 * Drop CAP_SYS_RAWIO from the calling thread's effective set: the reply it
 * writes next comes from a process that lacks the privilege (a /dev/fuse
 * descriptor handed to a less privileged process).  Every server thread
 * that answers a GET_FMAP drops its own.
 */
static void fault_drop_rawio(void)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];

	if (syscall(SYS_capget, &h, d)) {
		perror("famfs-fault: capget");
		return;
	}
	d[CAP_TO_INDEX(CAP_SYS_RAWIO)].effective &= ~CAP_TO_MASK(CAP_SYS_RAWIO);
	if (syscall(SYS_capset, &h, d))
		perror("famfs-fault: capset");
}

/* Append a copy of the first simple extent: two extents on one memory */
static void *fault_overlap(void *buf, int *n)
{
	struct fuse_famfs_fmap_header *h = buf;
	size_t sz = sizeof(struct fuse_famfs_simple_ext);
	void *nb;

	if (h->ext_type != FAMFS_FMAP_SIMPLE || !h->nextents) {
		fprintf(stderr, "famfs-fault: overlap needs a simple map\n");
		return buf;
	}
	nb = realloc(buf, (size_t)*n + sz);
	if (!nb)
		return buf;
	h = nb;
	memcpy((char *)nb + *n, h + 1, sz);
	h->nextents++;
	*n += (int)sz;
	return nb;
}

/* Corrupt an encoded regular-file map of @n bytes; returns the new length. */
void *famfs_srv_fault_fmap(struct famfs_server *srv, void *buf, int *n)
{
	struct fuse_famfs_fmap_header *h = buf;
	struct fuse_famfs_simple_ext *se;
	struct fuse_famfs_iext *ie;
	const char *c = fault_case();
	void *nb;

	if (!c || *n < (int)sizeof(*h)) {
		fault_reg_seen = 1;
		return buf;
	}
	if (fault_random()) {
		int at[64];

		fault_reg_seen = 1;
		return fault_mutate(buf, n, at, fault_fields(*n, at, 64));
	}
	/* the first regular file's first GET_FMAP: "no map" (empty reply) */
	if (!strcmp(c, "nomap_once") && !fault_reg_seen) {
		fault_reg_seen = 1;
		*n = 0;
		return buf;
	}
	fault_reg_seen = 1;
	if (!strcmp(c, "no_rawio"))
		fault_drop_rawio();
	else if (!strcmp(c, "overlap"))
		return fault_overlap(buf, n);
	ie = (void *)(h + 1);
	se = h->ext_type == FAMFS_FMAP_INTERLEAVE ? (void *)(ie + 1) :
						     (void *)(h + 1);
	if (!strcmp(c, "truncated")) {
		*n = (int)sizeof(*h) - 8;
	} else if (!strcmp(c, "trailing")) {
		nb = realloc(buf, (size_t)*n + 8);
		if (!nb)
			return buf;
		memset((char *)nb + *n, 0, 8);
		*n += 8;
		buf = nb;
	} else if (!strcmp(c, "bad_count")) {
		h->nextents = 0;
	} else if (!strcmp(c, "bad_count33")) {
		h->nextents = 33;
	} else if (!strcmp(c, "bad_version")) {
		h->fmap_version = 2;
	} else if (!strcmp(c, "reserved")) {
		h->reserved0 = 1;
	} else if (!strcmp(c, "overflow")) {
		se->se_offset = 0ULL - 4096;
		se->se_len = 8192;
	} else if (!strcmp(c, "overflow_aligned")) {
		se->se_offset = 0ULL - (2ULL << 20);	/* PMD-aligned */
	} else if (!strcmp(c, "beyond_device")) {
		se->se_offset = srv->fs->dev.size;
	} else if (!strcmp(c, "misaligned")) {
		se->se_offset += 512;
	} else if (!strcmp(c, "misaligned_pmd")) {
		se->se_offset += 4096;		/* page- but not PMD-aligned */
	} else if (!strcmp(c, "unknown_index")) {
		se->se_devindex = 5;
	} else if (!strcmp(c, "short_strip")) {
		/* strip 1 one chunk long, strip 0 longer: the sum still fits */
		if (h->ext_type == FAMFS_FMAP_INTERLEAVE && ie->ie_nstrips >= 2 &&
		    se[1].se_len > ie->ie_chunk_size) {
			se[0].se_len += se[1].se_len - ie->ie_chunk_size;
			se[1].se_len = ie->ie_chunk_size;
		} else {
			fprintf(stderr, "famfs-fault: short_strip needs an interleaved file with 2 strips\n");
		}
	}
	return buf;
}

static void fault_name(struct fuse_daxdev_out *out, const char *name)
{
	memset(out->name, 0, sizeof(out->name));
	memcpy(out->name, name, strlen(name));
}

/* A random GET_DAXDEV mutation; its size stays the structure's */
static void fault_random_daxdev(struct fuse_daxdev_out *out)
{
	switch (fault_rand() % 6) {
	case 0:
		break;
	case 1:
		out->index = (uint16_t)(fault_rand() % 70);
		break;
	case 2:
		out->reserved3 = fault_value();
		break;
	case 3:
		out->reserved = (uint16_t)fault_rand();
		break;
	case 4:
		out->reserved3 = famfs_new_encode_dev(
			(unsigned int)(fault_rand() % 300),
			(unsigned int)(fault_rand() % 16));
		break;
	default:
		((uint8_t *)out)[fault_rand() % sizeof(*out)] =
			(uint8_t)fault_rand();
	}
}

/*
 * "chardev:MAJ:MIN": the reply names character device MAJ:MIN as the
 * device-dax instance (FAMFS_DAXDEV_CHARDEV), whatever that device is and
 * whichever driver has it.  Returns 1 if the case is this one.
 */
static int fault_chardev(struct fuse_daxdev_out *out)
{
	const char *c = fault_case();
	unsigned int maj, min;
	char end;

	if (!c || strchr(c, '-') ||
	    sscanf(c, "chardev:%u:%u%c", &maj, &min, &end) != 2)
		return 0;
	out->reserved |= FAMFS_DAXDEV_HAS_DEVNUM | FAMFS_DAXDEV_CHARDEV;
	out->reserved3 = famfs_new_encode_dev(maj, min);
	return 1;
}

/* Corrupt a GET_DAXDEV reply after a regular file's GET_FMAP. */
void famfs_srv_fault_daxdev(struct fuse_daxdev_out *out)
{
	if (!fault_reg_seen)
		return;
	if (fault_random()) {
		fault_random_daxdev(out);
		return;
	}
	if (fault_chardev(out))
		return;
	if (fault_is("bad_daxdev_name")) {
		out->reserved &= (uint16_t)~FAMFS_DAXDEV_HAS_DEVNUM;
		out->reserved3 = 0;
		fault_name(out, "/dev/famfs-no-such-device");
	} else if (fault_is("non_blk_name")) {
		out->reserved &= (uint16_t)~FAMFS_DAXDEV_HAS_DEVNUM;
		out->reserved3 = 0;
		fault_name(out, "/dev/null");
	} else if (fault_is("non_dax_device")) {
		/* dev_t 1:3 (/dev/null's numbers); no block driver has them */
		out->reserved |= FAMFS_DAXDEV_HAS_DEVNUM;
		out->reserved3 = famfs_new_encode_dev(1, 3);
	} else if (fault_is("name_only")) {
		/* the right device, by path only */
		out->reserved &= (uint16_t)~FAMFS_DAXDEV_HAS_DEVNUM;
		out->reserved3 = 0;
	} else if (fault_is("index_mismatch")) {
		out->index = (uint16_t)(out->index + 1);
	}
}

/*
 * "getattr_size": GETATTR replies give regular files 4 KiB more than
 * their size.  Only the map sets a famfs file's size in the kernel, so a
 * server that says otherwise must not change it (issue 12, D6).
 */
void famfs_srv_fault_attr(struct stat *st)
{
	if (fault_is("getattr_size") && S_ISREG(st->st_mode))
		st->st_size += 4096;
}
#endif /* FAMFS_FAULT_INJECT */
