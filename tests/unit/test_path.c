// SPDX-License-Identifier: Apache-2.0
/* Relative log paths: famfs_path_check and famfs_path_parent_len (path.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "famfs.h"
#include "unit_util.h"

static int check(const char *p)
{
	return famfs_path_check(p, strlen(p), NULL);
}

/* A buffer of @n copies of @c, NUL-terminated; caller frees. */
static char *repeat(char c, size_t n)
{
	char *s = malloc(n + 1);

	assert_non_null(s);
	memset(s, c, n);
	s[n] = '\0';
	return s;
}

static void test_accepts_simple(void **state)
{
	(void)state;
	assert_int_equal(check("a"), 0);
	assert_int_equal(check("a/b"), 0);
	assert_int_equal(check("dir/sub/file.txt"), 0);
	assert_int_equal(check("..."), 0);
	assert_int_equal(check("a/..b/.c/c."), 0);
	assert_int_equal(check("x/.meta"), 0);
	assert_int_equal(check(".metadata"), 0);
	assert_int_equal(check(".met"), 0);
	assert_int_equal(check("meta"), 0);
	assert_int_equal(check("a/.meta/b"), 0);
	assert_int_equal(check("name with spaces\t\n"), 0);
	assert_int_equal(check("\xff\xfe"), 0);
}

static void test_rejects_empty(void **state)
{
	struct famfs_why why = { "" };

	(void)state;
	assert_int_equal(famfs_path_check("", 0, &why), -EINVAL);
	assert_true(why.msg[0] != '\0');
	/* len governs, not the NUL */
	assert_int_equal(famfs_path_check("abc", 0, NULL), -EINVAL);
}

static void test_rejects_absolute(void **state)
{
	(void)state;
	assert_int_equal(check("/a"), -EINVAL);
	assert_int_equal(check("/"), -EINVAL);
	assert_int_equal(check("//a"), -EINVAL);
}

static void test_rejects_empty_components(void **state)
{
	(void)state;
	assert_int_equal(check("a/"), -EINVAL);
	assert_int_equal(check("a//b"), -EINVAL);
	assert_int_equal(check("a/b/"), -EINVAL);
}

static void test_rejects_dots(void **state)
{
	(void)state;
	assert_int_equal(check("."), -EINVAL);
	assert_int_equal(check(".."), -EINVAL);
	assert_int_equal(check("a/./b"), -EINVAL);
	assert_int_equal(check("a/../b"), -EINVAL);
	assert_int_equal(check("a/.."), -EINVAL);
	assert_int_equal(check("a/."), -EINVAL);
	assert_int_equal(check("./a"), -EINVAL);
	assert_int_equal(check("../a"), -EINVAL);
}

static void test_rejects_meta(void **state)
{
	struct famfs_why why = { "" };

	(void)state;
	assert_int_equal(famfs_path_check(".meta", 5, &why), -EINVAL);
	assert_non_null(strstr(why.msg, ".meta"));
	assert_int_equal(check(".meta/x"), -EINVAL);
	assert_int_equal(check(".meta/.superblock"), -EINVAL);
	/* a prefix of len covering only ".meta" of a longer string */
	assert_int_equal(famfs_path_check(".metadata", 5, NULL), -EINVAL);
}

static void test_component_length(void **state)
{
	char *c255 = repeat('n', 255), *c256 = repeat('n', 256);
	char buf[600];

	(void)state;
	assert_int_equal(check(c255), 0);
	assert_int_equal(check(c256), -ENAMETOOLONG);
	snprintf(buf, sizeof(buf), "a/%s/b", c255);
	assert_int_equal(check(buf), 0);
	snprintf(buf, sizeof(buf), "a/%s/b", c256);
	assert_int_equal(check(buf), -ENAMETOOLONG);
	snprintf(buf, sizeof(buf), "a/%s", c256);
	assert_int_equal(check(buf), -ENAMETOOLONG);
	free(c255);
	free(c256);
}

/* @len bytes: components of @comp bytes separated by slashes. */
static char *long_path(size_t len, size_t comp)
{
	char *s = repeat('p', len);

	for (size_t i = comp; i < len; i += comp + 1)
		s[i] = '/';
	if (s[len - 1] == '/')
		s[len - 1] = 'q';
	return s;
}

static void test_path_length(void **state)
{
	char *p1023 = long_path(1023, 255), *q1023 = long_path(1023, 10);
	char *p1024 = long_path(1024, 100);
	struct famfs_why why = { "" };

	(void)state;
	assert_int_equal(check(p1023), 0);
	assert_int_equal(check(q1023), 0);
	assert_int_equal(famfs_path_check(p1024, 1024, &why), -ENAMETOOLONG);
	assert_non_null(strstr(why.msg, "path longer"));
	free(p1023);
	free(q1023);
	free(p1024);
}

static void test_rejects_nul(void **state)
{
	struct famfs_why why = { "" };

	(void)state;
	assert_int_equal(famfs_path_check("a\0b", 3, &why), -EINVAL);
	assert_non_null(strstr(why.msg, "NUL"));
	assert_int_equal(famfs_path_check("ab\0", 3, NULL), -EINVAL);
	assert_int_equal(famfs_path_check("\0", 1, NULL), -EINVAL);
	/* the NUL just past len is not part of the path */
	assert_int_equal(famfs_path_check("ab", 2, NULL), 0);
}

/* Only the bytes within len count: a longer buffer's tail is ignored. */
static void test_len_bounds_check(void **state)
{
	(void)state;
	assert_int_equal(famfs_path_check("a/b//", 3, NULL), 0);
	assert_int_equal(famfs_path_check("a/", 1, NULL), 0);
	assert_int_equal(famfs_path_check("a/", 2, NULL), -EINVAL);
}

static void test_parent_len(void **state)
{
	(void)state;
	assert_int_equal(famfs_path_parent_len("a", 1), 0);
	assert_int_equal(famfs_path_parent_len("file", 4), 0);
	assert_int_equal(famfs_path_parent_len("a/b", 3), 1);
	assert_int_equal(famfs_path_parent_len("dir/sub/file", 12), 7);
	assert_int_equal(famfs_path_parent_len("dir/sub", 7), 3);
	assert_int_equal(famfs_path_parent_len("dir/sub/file", 7), 3);
	assert_int_equal(famfs_path_parent_len("", 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accepts_simple),
		cmocka_unit_test(test_rejects_empty),
		cmocka_unit_test(test_rejects_absolute),
		cmocka_unit_test(test_rejects_empty_components),
		cmocka_unit_test(test_rejects_dots),
		cmocka_unit_test(test_rejects_meta),
		cmocka_unit_test(test_component_length),
		cmocka_unit_test(test_path_length),
		cmocka_unit_test(test_rejects_nul),
		cmocka_unit_test(test_len_bounds_check),
		cmocka_unit_test(test_parent_len),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
