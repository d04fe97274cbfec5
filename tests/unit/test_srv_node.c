// SPDX-License-Identifier: Apache-2.0
/*
 * The server's pure rules for inodes of every kind (server_node.c):
 * famfs_srv_acl_mode(), the mode bits a POSIX access ACL sets (owner, mask
 * or owning group, others; malformed values refused), and
 * famfs_srv_may_setattr(), who may change what without
 * default_permissions -- and that anyone may only drop set-user-ID and
 * set-group-ID, the change the kernel makes on a write.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "famfs_fs.h"
#include "server_priv.h"

/* An ACL value of @n {tag, perm} entries (ids 0) into @buf; its length. */
static size_t acl(uint8_t *buf, const uint16_t (*e)[2], int n)
{
	memset(buf, 0, 4 + 8 * (size_t)n);
	buf[0] = 2;
	for (int i = 0; i < n; i++) {
		buf[4 + 8 * i] = (uint8_t)e[i][0];
		buf[5 + 8 * i] = (uint8_t)(e[i][0] >> 8);
		buf[6 + 8 * i] = (uint8_t)e[i][1];
	}
	return 4 + 8 * (size_t)n;
}

static void test_acl_mode(void **state)
{
	static const uint16_t minimal[][2] = { { 1, 6 }, { 4, 4 }, { 0x20, 1 } };
	static const uint16_t masked[][2] = { { 1, 7 }, { 2, 4 }, { 4, 0 },
					      { 0x10, 5 }, { 0x20, 0 } };
	uint8_t buf[64] = { 0 };
	uint32_t rwx = 0;
	size_t len;

	(void)state;
	len = acl(buf, minimal, 3);
	assert_int_equal(famfs_srv_acl_mode(buf, len, &rwx), 0);
	assert_int_equal(rwx, 0641);
	len = acl(buf, masked, 5);
	assert_int_equal(famfs_srv_acl_mode(buf, len, &rwx), 0);
	assert_int_equal(rwx, 0750);		/* the mask, not the group */
}

static void test_acl_refused(void **state)
{
	static const uint16_t noother[][2] = { { 1, 6 }, { 4, 4 } };
	static const uint16_t badperm[][2] = { { 1, 8 }, { 4, 4 }, { 0x20, 0 } };
	static const uint16_t badtag[][2] = { { 1, 6 }, { 3, 4 }, { 4, 4 },
					      { 0x20, 0 } };
	uint8_t buf[64] = { 0 };
	uint32_t rwx = 0;
	size_t len;

	(void)state;
	assert_int_equal(famfs_srv_acl_mode(buf, 3, &rwx), -EINVAL);
	len = acl(buf, noother, 2);
	assert_int_equal(famfs_srv_acl_mode(buf, len, &rwx), -EINVAL);
	assert_int_equal(famfs_srv_acl_mode(buf, len - 1, &rwx), -EINVAL);
	len = acl(buf, badperm, 3);
	assert_int_equal(famfs_srv_acl_mode(buf, len, &rwx), -EINVAL);
	len = acl(buf, badtag, 4);
	assert_int_equal(famfs_srv_acl_mode(buf, len, &rwx), -EINVAL);
	len = acl(buf, noother, 2);
	buf[0] = 1;				/* version 1 */
	assert_int_equal(famfs_srv_acl_mode(buf, len, &rwx), -EINVAL);
}

static void test_may_setattr(void **state)
{
	struct famfs_node n = { .mode = 06755, .uid = 100 };
	struct famfs_attr_info a = { .valid = FAMFS_ATTR_MODE | FAMFS_ATTR_CTIME };

	(void)state;
	a.mode = 0755;			/* a write's kill: anyone */
	assert_int_equal(famfs_srv_may_setattr(&n, 200, &a, 0), 0);
	a.mode = 02755;
	assert_int_equal(famfs_srv_may_setattr(&n, 200, &a, 0), 0);
	a.mode = 0777;			/* more than a kill: owner only */
	assert_int_equal(famfs_srv_may_setattr(&n, 200, &a, 0), -EPERM);
	assert_int_equal(famfs_srv_may_setattr(&n, 100, &a, 0), 0);
	assert_int_equal(famfs_srv_may_setattr(&n, 0, &a, 0), 0);
	assert_int_equal(famfs_srv_may_setattr(&n, 200, &a, 1), 0);
	a.valid = FAMFS_ATTR_UID;	/* giving a file away: root only */
	a.uid = 200;
	assert_int_equal(famfs_srv_may_setattr(&n, 100, &a, 0), -EPERM);
	assert_int_equal(famfs_srv_may_setattr(&n, 0, &a, 0), 0);
	a.valid = FAMFS_ATTR_MTIME | FAMFS_ATTR_CTIME;
	assert_int_equal(famfs_srv_may_setattr(&n, 100, &a, 0), 0);
	assert_int_equal(famfs_srv_may_setattr(&n, 200, &a, 0), -EPERM);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_acl_mode),
		cmocka_unit_test(test_acl_refused),
		cmocka_unit_test(test_may_setattr),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
