// SPDX-License-Identifier: Apache-2.0
/*
 * Test-only fault injection into the famfs kernel protocol (build/famfs-fault,
 * tests/vm/vm.mk; compiled to nothing in build/famfs, see server_priv.h):
 * FAMFS_FAULT_FMAP names one malformed GET_FMAP or GET_DAXDEV reply, sent
 * for regular files only (never for .meta files).  The GET_DAXDEV cases
 * corrupt only replies asked for after a regular file's GET_FMAP, so the
 * device lookups of .meta files stay good.
 */
#ifdef FAMFS_FAULT_INJECT
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/fuse.h>

#include "server_priv.h"

static int fault_reg_seen;

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

/* Corrupt an encoded regular-file map of @n bytes; returns the new length. */
void *famfs_srv_fault_fmap(struct famfs_server *srv, void *buf, int *n)
{
	struct fuse_famfs_fmap_header *h = buf;
	struct fuse_famfs_simple_ext *se;
	struct fuse_famfs_iext *ie;
	const char *c = fault_case();
	void *nb;

	fault_reg_seen = 1;
	if (!c || *n < (int)sizeof(*h))
		return buf;
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

/* Corrupt a GET_DAXDEV reply after a regular file's GET_FMAP. */
void famfs_srv_fault_daxdev(struct fuse_daxdev_out *out)
{
	if (!fault_reg_seen)
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
	} else if (fault_is("index_mismatch")) {
		out->index = (uint16_t)(out->index + 1);
	}
}
#endif /* FAMFS_FAULT_INJECT */
