// SPDX-License-Identifier: Apache-2.0
/*
 * The namespace (ns.c) from hand-built entries: adds, lookups, the error
 * cases, inode numbering, tree links, hash growth and the counters; the
 * parent cache, the arena's chunks and changed_max.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "famfs_ns.h"

static struct famfs_ns ns;
static struct famfs_entry *ent;
static uint64_t next_seq;

static int setup(void **state)
{
	(void)state;
	next_seq = 0;
	ent = malloc(sizeof(*ent));
	if (!ent || famfs_ns_init(&ns))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	famfs_ns_free(&ns);
	free(ent);
	return 0;
}

static void set_path(const char *path)
{
	assert_int_equal(famfs_entry_set_path(ent, path), 0);
}

static int add_dir(const char *path, struct famfs_node **out,
		   struct famfs_why *why)
{
	memset(ent, 0, sizeof(*ent));
	ent->seq = next_seq++;
	ent->type = FAMFS_ENTRY_MKDIR;
	ent->dir.mode = 0750;
	ent->dir.uid = 10;
	ent->dir.gid = 20;
	set_path(path);
	return famfs_ns_add(&ns, ent, out, why);
}

static int add_file(const char *path, uint64_t size, struct famfs_node **out,
		    struct famfs_why *why)
{
	memset(ent, 0, sizeof(*ent));
	ent->seq = next_seq++;
	ent->type = FAMFS_ENTRY_FILE;
	ent->file.size = size;
	ent->file.mode = 0640;
	ent->file.uid = 30;
	ent->file.gid = 40;
	ent->file.nextents = 2;
	ent->file.ext[0] = (struct famfs_extent){ 0, 0x1000000, 0x200000 };
	ent->file.ext[1] = (struct famfs_extent){ 1, 0x4000000, 0x400000 };
	set_path(path);
	return famfs_ns_add(&ns, ent, out, why);
}

static struct famfs_node *lookup(const char *path)
{
	return famfs_ns_lookup(&ns, path, strlen(path));
}

static void dir_ok(const char *path)
{
	assert_int_equal(add_dir(path, NULL, NULL), 0);
}

static void file_ok(const char *path, uint64_t size)
{
	assert_int_equal(add_file(path, size, NULL, NULL), 0);
}

static void test_root(void **state)
{
	struct famfs_node *r = famfs_ns_lookup(&ns, "", 0);

	(void)state;
	assert_ptr_equal(r, &ns.root);
	assert_int_equal(r->ino, FAMFS_ROOT_INO);
	assert_int_equal(r->ino, 1);
	assert_int_equal(r->type, FAMFS_ENTRY_MKDIR);
	assert_null(r->parent);
	assert_null(r->child);
	assert_string_equal(r->path, "");
	assert_int_equal(ns.count, 0);
	assert_int_equal(ns.nfiles, 0);
	assert_int_equal(ns.ndirs, 0);
	assert_null(lookup("a"));
}

static void test_add_and_lookup(void **state)
{
	struct famfs_node *d, *f, *n;

	(void)state;
	assert_int_equal(add_dir("data", &d, NULL), 0);
	assert_int_equal(add_file("data/blob.bin", 12345, &f, NULL), 0);

	n = lookup("data");
	assert_ptr_equal(n, d);
	assert_int_equal(n->type, FAMFS_ENTRY_MKDIR);
	assert_int_equal(n->mode, 0750);
	assert_int_equal(n->uid, 10);
	assert_int_equal(n->gid, 20);
	assert_null(n->file);
	assert_int_equal(n->seq, 0);

	n = lookup("data/blob.bin");
	assert_ptr_equal(n, f);
	assert_int_equal(n->type, FAMFS_ENTRY_FILE);
	assert_int_equal(n->size, 12345);
	assert_int_equal(n->mode, 0640);
	assert_int_equal(n->uid, 30);
	assert_int_equal(n->gid, 40);
	assert_int_equal(n->seq, 1);
	assert_string_equal(n->path, "data/blob.bin");
	assert_int_equal(n->path_len, 13);
	assert_string_equal(n->path + n->name_off, "blob.bin");
	assert_non_null(n->file);
	assert_int_equal(n->file->nextents, 2);
	assert_int_equal(n->file->ext[1].dev, 1);
	assert_int_equal(n->file->ext[1].offset, 0x4000000);
	assert_int_equal(n->file->ext[1].len, 0x400000);

	assert_null(lookup("dat"));
	assert_null(lookup("data/"));
	assert_null(lookup("data/blob"));
	assert_null(lookup("blob.bin"));
}

static void test_lookup_uses_len(void **state)
{
	(void)state;
	dir_ok("a");
	dir_ok("a/bc");
	/* a prefix of a longer string names the shorter path */
	assert_ptr_equal(famfs_ns_lookup(&ns, "a/bc/d", 1), lookup("a"));
	assert_ptr_equal(famfs_ns_lookup(&ns, "a/bc/d", 4), lookup("a/bc"));
	assert_null(famfs_ns_lookup(&ns, "a/bc/d", 3));
}

static void test_entry_is_copied(void **state)
{
	struct famfs_node *n;

	(void)state;
	assert_int_equal(add_file("f", 100, &n, NULL), 0);
	/* the caller reuses its entry; the node must not change */
	ent->file.size = 999;
	ent->file.ext[0].offset = 0;
	set_path("g");
	assert_int_equal(n->size, 100);
	assert_int_equal(n->file->size, 100);
	assert_int_equal(n->file->ext[0].offset, 0x1000000);
	assert_string_equal(n->path, "f");
	assert_ptr_equal(lookup("f"), n);
	assert_null(lookup("g"));
}

static void test_duplicate(void **state)
{
	struct famfs_why why = { "" };
	struct famfs_node *out = (struct famfs_node *)&why;

	(void)state;
	dir_ok("x");
	file_ok("x/y", 1);
	assert_int_equal(add_dir("x", &out, &why), -EEXIST);
	assert_ptr_equal(out, (struct famfs_node *)&why);	/* untouched */
	assert_non_null(strstr(why.msg, "'x' already exists"));
	assert_int_equal(add_file("x/y", 5, NULL, &why), -EEXIST);
	assert_int_equal(add_dir("x/y", NULL, &why), -EEXIST);
	assert_int_equal(add_file("x", 5, NULL, &why), -EEXIST);
	assert_int_equal(ns.count, 2);
	assert_int_equal(ns.nfiles, 1);
	assert_int_equal(ns.ndirs, 1);
	assert_int_equal(ns.file_bytes, 1);
	assert_int_equal(lookup("x/y")->size, 1);
}

static void test_missing_parent(void **state)
{
	struct famfs_why why = { "" };

	(void)state;
	dir_ok("a");
	assert_int_equal(add_file("b/c", 1, NULL, &why), -ENOENT);
	assert_non_null(strstr(why.msg, "does not exist"));
	assert_int_equal(add_dir("a/b/c", NULL, &why), -ENOENT);
	assert_null(lookup("b/c"));
	assert_null(lookup("a/b/c"));
	assert_int_equal(ns.count, 1);
}

static void test_parent_is_file(void **state)
{
	struct famfs_why why = { "" };

	(void)state;
	file_ok("f", 10);
	assert_int_equal(add_dir("f/d", NULL, &why), -ENOTDIR);
	assert_non_null(strstr(why.msg, "not a directory"));
	assert_int_equal(add_file("f/g", 1, NULL, &why), -ENOTDIR);
	assert_null(lookup("f/d"));
	assert_int_equal(ns.count, 1);
	assert_int_equal(ns.nfiles, 1);
}

static void test_inodes_dense(void **state)
{
	struct famfs_node *n;

	(void)state;
	assert_int_equal(add_dir("a", &n, NULL), 0);
	assert_int_equal(n->ino, 2);
	assert_int_equal(add_file("a/f", 1, &n, NULL), 0);
	assert_int_equal(n->ino, 3);
	/* failed adds do not use up a number */
	assert_int_equal(add_dir("a", NULL, NULL), -EEXIST);
	assert_int_equal(add_dir("zz/q", NULL, NULL), -ENOENT);
	assert_int_equal(add_dir("a/f/q", NULL, NULL), -ENOTDIR);
	assert_int_equal(add_dir("b", &n, NULL), 0);
	assert_int_equal(n->ino, 4);
	assert_int_equal(lookup("a")->ino, 2);
	assert_int_equal(lookup("a/f")->ino, 3);
	assert_int_equal(lookup("b")->ino, 4);
}

static int is_child(const struct famfs_node *parent,
		    const struct famfs_node *n)
{
	for (const struct famfs_node *c = parent->child; c; c = c->sibling)
		if (c == n)
			return 1;
	return 0;
}

static int nchildren(const struct famfs_node *parent)
{
	int k = 0;

	for (const struct famfs_node *c = parent->child; c; c = c->sibling)
		k++;
	return k;
}

static void test_tree_links(void **state)
{
	struct famfs_node *a, *b, *ab, *ac, *abf;

	(void)state;
	dir_ok("a");
	dir_ok("b");
	dir_ok("a/b");
	file_ok("a/c", 3);
	file_ok("a/b/f", 4);
	a = lookup("a");
	b = lookup("b");
	ab = lookup("a/b");
	ac = lookup("a/c");
	abf = lookup("a/b/f");

	assert_ptr_equal(a->parent, &ns.root);
	assert_ptr_equal(b->parent, &ns.root);
	assert_ptr_equal(ab->parent, a);
	assert_ptr_equal(ac->parent, a);
	assert_ptr_equal(abf->parent, ab);

	assert_int_equal(nchildren(&ns.root), 2);
	assert_true(is_child(&ns.root, a));
	assert_true(is_child(&ns.root, b));
	assert_int_equal(nchildren(a), 2);
	assert_true(is_child(a, ab));
	assert_true(is_child(a, ac));
	assert_int_equal(nchildren(ab), 1);
	assert_ptr_equal(ab->child, abf);
	assert_null(abf->sibling);
	assert_null(b->child);
	assert_null(ac->child);

	assert_string_equal(ab->path + ab->name_off, "b");
	assert_string_equal(abf->path + abf->name_off, "f");
	assert_int_equal(a->name_off, 0);
}

static void test_counts(void **state)
{
	(void)state;
	dir_ok("d1");
	dir_ok("d1/d2");
	file_ok("f1", 1);
	file_ok("d1/f2", 4096);
	file_ok("d1/d2/f3", 1ull << 40);
	assert_int_equal(ns.count, 5);
	assert_int_equal(ns.ndirs, 2);
	assert_int_equal(ns.nfiles, 3);
	assert_int_equal(ns.file_bytes, 1 + 4096 + (1ull << 40));
}

static void check_hcap(void)
{
	assert_true(ns.hcap >= ns.count);
	assert_int_equal(ns.hcap & (ns.hcap - 1), 0);
}

/* Past the initial 1024 buckets: every node is still found. */
static void test_growth_past_1024(void **state)
{
	char p[32];

	(void)state;
	for (unsigned int i = 0; i < 3000; i++) {
		snprintf(p, sizeof(p), "n%u", i);
		if (i % 3)
			file_ok(p, i + 1);
		else
			dir_ok(p);
	}
	check_hcap();
	assert_true(ns.hcap > 1024);
	for (unsigned int i = 0; i < 3000; i++) {
		struct famfs_node *n;

		snprintf(p, sizeof(p), "n%u", i);
		n = lookup(p);
		assert_non_null(n);
		assert_int_equal(n->ino, 2 + i);
		assert_string_equal(n->path, p);
	}
	assert_null(lookup("n3000"));
	assert_int_equal(nchildren(&ns.root), 3000);
}

static void test_growth_100k(void **state)
{
	const unsigned int ndir = 100, per = 1000;
	char p[32];

	(void)state;
	for (unsigned int d = 0; d < ndir; d++) {
		snprintf(p, sizeof(p), "d%u", d);
		dir_ok(p);
		for (unsigned int i = 0; i < per; i++) {
			snprintf(p, sizeof(p), "d%u/e%u", d, i);
			if (i % 10 == 0)
				file_ok(p, 7);
			else
				dir_ok(p);
		}
	}
	assert_int_equal(ns.count, ndir + ndir * per);
	assert_int_equal(ns.nfiles, ndir * per / 10);
	assert_int_equal(ns.ndirs, ndir + ndir * per * 9 / 10);
	assert_int_equal(ns.file_bytes, 7ull * ndir * per / 10);
	check_hcap();
	for (unsigned int d = 0; d < ndir; d++) {
		struct famfs_node *dn;

		snprintf(p, sizeof(p), "d%u", d);
		dn = lookup(p);
		assert_non_null(dn);
		for (unsigned int i = 0; i < per; i++) {
			struct famfs_node *n;

			snprintf(p, sizeof(p), "d%u/e%u", d, i);
			n = lookup(p);
			if (!n)
				print_error("lost %s\n", p);
			assert_non_null(n);
			assert_ptr_equal(n->parent, dn);
			assert_int_equal(n->ino, 2 + d * (per + 1) + 1 + i);
		}
		assert_null(famfs_ns_lookup(&ns, "d0/e1000", 8));
	}
}

/*
 * The parent of the previous insert is tried first: a name whose parent
 * path only shares a prefix with it, a parent that is a file and a
 * duplicate are still told apart.
 */
static void test_parent_cache(void **state)
{
	struct famfs_node *a, *ab, *n;

	(void)state;
	dir_ok("a");
	dir_ok("ab");
	a = lookup("a");
	ab = lookup("ab");
	file_ok("a/x", 1);
	file_ok("ab/y", 1);
	file_ok("a/z", 1);
	assert_ptr_equal(lookup("a/x")->parent, a);
	assert_ptr_equal(lookup("ab/y")->parent, ab);
	assert_ptr_equal(lookup("a/z")->parent, a);
	assert_int_equal(add_file("ab/y/q", 1, NULL, NULL), -ENOTDIR);
	assert_int_equal(add_file("a/x", 1, NULL, NULL), -EEXIST);
	assert_int_equal(add_file("b/x", 1, NULL, NULL), -ENOENT);
	file_ok("top", 1);
	assert_int_equal(add_dir("a/d", &n, NULL), 0);
	assert_ptr_equal(n->parent, a);
	assert_ptr_equal(lookup("top")->parent, &ns.root);
	assert_int_equal(nchildren(a), 3);
}

/* 30,000 files span many chunks of the arena; each keeps its own map. */
static void test_arena_chunks(void **state)
{
	char p[32];

	(void)state;
	dir_ok("d");
	for (unsigned int i = 0; i < 30000; i++) {
		snprintf(p, sizeof(p), "d/file-%u", i);
		file_ok(p, i + 1);
	}
	for (unsigned int i = 0; i < 30000; i++) {
		struct famfs_node *n;

		snprintf(p, sizeof(p), "d/file-%u", i);
		n = lookup(p);
		assert_non_null(n);
		assert_string_equal(n->path, p);
		assert_int_equal(n->size, i + 1);
		assert_int_equal(n->file->nextents, 2);
		assert_int_equal(n->file->ext[1].offset, 0x4000000);
		assert_int_equal(n->file->ext[1].len, 0x400000);
		assert_int_equal((uintptr_t)n % 16, 0);
	}
}

/* changed_max follows the last LINK that changed an inode. */
static void test_changed_max(void **state)
{
	(void)state;
	file_ok("f", 1);
	assert_int_equal(ns.changed_max, 0);
	memset(ent, 0, sizeof(*ent));
	ent->seq = 41;
	ent->type = FAMFS_ENTRY_LINK;
	set_path("g");
	memcpy(ent->target, "f", 2);
	ent->target_len = 1;
	assert_int_equal(famfs_ns_link(&ns, ent, NULL), 0);
	assert_int_equal(ns.changed_max, 42);
	assert_int_equal(lookup("f")->changed, 42);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_root),
		T(test_add_and_lookup),
		T(test_lookup_uses_len),
		T(test_entry_is_copied),
		T(test_duplicate),
		T(test_missing_parent),
		T(test_parent_is_file),
		T(test_inodes_dense),
		T(test_tree_links),
		T(test_counts),
		T(test_growth_past_1024),
		T(test_growth_100k),
		T(test_parent_cache),
		T(test_arena_chunks),
		T(test_changed_max),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
