// SPDX-License-Identifier: Apache-2.0
/*
 * Device-dax modes (daxmode.c) against a sysfs tree built in a temporary
 * directory: the device behind a char device number, its driver, align
 * and size, the refusals (kmem, no driver, align below 2 MiB), and the
 * writes of a driver switch.  A temporary tree cannot bind anything: the
 * switch's verification fails here, and that failure is tested; the real
 * switch runs under QEMU (tests/vm).  The busy check runs against a
 * procfs tree of the same kind.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <cmocka.h>

#include "famfs_daxmode.h"
#include "unit_tmp.h"

struct tree {
	struct ut_tmp t;
	char sys[PATH_MAX + 8];
};

static void mkdirs(const char *root, const char *rel)
{
	char p[2 * PATH_MAX];

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = 0;
		mkdir(p, 0755);
		*s = '/';
	}
	mkdir(p, 0755);
}

static void put(const struct tree *tr, const char *rel, const char *text)
{
	char p[2 * PATH_MAX];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", tr->sys, rel);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static void get(const struct tree *tr, const char *rel, char *buf, size_t len)
{
	char p[2 * PATH_MAX];
	FILE *f;
	size_t n;

	snprintf(p, sizeof(p), "%s/%s", tr->sys, rel);
	f = fopen(p, "r");
	assert_non_null(f);
	n = fread(buf, 1, len - 1, f);
	buf[n] = 0;
	fclose(f);
}

static void link_to(const struct tree *tr, const char *rel, const char *target)
{
	char p[2 * PATH_MAX];

	snprintf(p, sizeof(p), "%s/%s", tr->sys, rel);
	unlink(p);
	assert_int_equal(symlink(target, p), 0);
}

/* dax0.0 (252:3, 4 GiB) bound to @drv ("" unbound), align @align. */
static void build(struct tree *tr, const char *drv, const char *align)
{
	static const char *const drivers[] = { "device_dax", "fsdev_dax",
					       "kmem" };

	ut_tmp_make(&tr->t);
	snprintf(tr->sys, sizeof(tr->sys), "%s/sys", tr->t.dir);
	mkdirs(tr->sys, "dev/char");
	mkdirs(tr->sys, "bus/dax/devices/dax0.0");
	for (int i = 0; i < 3; i++) {
		char d[64];

		snprintf(d, sizeof(d), "bus/dax/drivers/%s", drivers[i]);
		mkdirs(tr->sys, d);
		for (int k = 0; k < 4; k++) {
			static const char *const f[] = { "bind", "unbind",
							 "new_id", "remove_id" };
			char p[128];

			snprintf(p, sizeof(p), "%s/%s", d, f[k]);
			put(tr, p, "");
		}
	}
	link_to(tr, "dev/char/252:3", "../../devices/platform/hmem.0/dax0.0");
	link_to(tr, "dev/char/1:3", "../../devices/virtual/mem/null");
	put(tr, "bus/dax/devices/dax0.0/size", "4294967296\n");
	if (align)
		put(tr, "bus/dax/devices/dax0.0/align", align);
	if (drv[0]) {
		char target[128];

		snprintf(target, sizeof(target), "../../../../bus/dax/drivers/%s",
			 drv);
		link_to(tr, "bus/dax/devices/dax0.0/driver", target);
	}
}

static void destroy(struct tree *tr)
{
	ut_tmp_remove(&tr->t);
}

static void test_name(void **state)
{
	struct famfs_why why = { "" };
	struct tree tr;
	char name[FAMFS_DAX_NAME_LEN];

	(void)state;
	build(&tr, "device_dax", "2097152\n");
	assert_int_equal(famfs_dax_name(tr.sys, 252, 3, name, sizeof(name),
					&why), 0);
	assert_string_equal(name, "dax0.0");
	assert_int_equal(famfs_dax_name(tr.sys, 1, 3, name, sizeof(name),
					&why), -ENODEV);
	assert_non_null(strstr(why.msg, "not a device-dax device"));
	assert_int_equal(famfs_dax_name(tr.sys, 252, 9, name, sizeof(name),
					&why), -ENOENT);
	assert_non_null(strstr(why.msg, "/dev/char/252:9"));
	destroy(&tr);
}

static void test_info_modes(void **state)
{
	static const struct {
		const char *drv;
		enum famfs_dax_mode mode;
	} c[] = {
		{ "device_dax", FAMFS_DAX_DEVDAX }, { "fsdev_dax", FAMFS_DAX_FSDEV },
		{ "kmem", FAMFS_DAX_KMEM }, { "", FAMFS_DAX_UNBOUND },
	};
	struct famfs_why why = { "" };
	struct famfs_dax_info info;
	struct tree tr;

	(void)state;
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		build(&tr, c[i].drv, "0x200000\n");
		assert_int_equal(famfs_dax_info(tr.sys, "dax0.0", &info, &why), 0);
		assert_string_equal(info.name, "dax0.0");
		assert_string_equal(info.driver, c[i].drv);
		assert_int_equal(info.mode, c[i].mode);
		assert_int_equal(info.align, 2 << 20);
		assert_int_equal(info.size, 4ull << 30);
		destroy(&tr);
	}
	build(&tr, "device_dax", NULL);		/* a kernel with no align */
	assert_int_equal(famfs_dax_info(tr.sys, "dax0.0", &info, &why), 0);
	assert_int_equal(info.align, 0);
	assert_int_equal(famfs_dax_info(tr.sys, "dax9.9", &info, &why), -ENOENT);
	assert_non_null(strstr(why.msg, "dax9.9/size"));
	assert_int_equal(famfs_dax_info(tr.sys, "../x", &info, &why), -EINVAL);
	destroy(&tr);
}

static void test_usable(void **state)
{
	struct famfs_why why = { "" };
	struct famfs_dax_info info;
	struct tree tr;

	(void)state;
	build(&tr, "kmem", "2097152\n");
	assert_int_equal(famfs_dax_info(tr.sys, "dax0.0", &info, &why), 0);
	assert_int_equal(famfs_dax_usable(&info, &why), -EBUSY);
	assert_non_null(strstr(why.msg, "dax0.0 is in system-ram mode (bound to kmem)"));
	destroy(&tr);
	build(&tr, "fsdev_dax", "4096\n");
	assert_int_equal(famfs_dax_info(tr.sys, "dax0.0", &info, &why), 0);
	assert_int_equal(famfs_dax_usable(&info, &why), -EINVAL);
	assert_non_null(strstr(why.msg, "dax0.0 has align 4096 (below 2 MiB)"));
	destroy(&tr);
	build(&tr, "", "2097152\n");
	assert_int_equal(famfs_dax_info(tr.sys, "dax0.0", &info, &why), 0);
	assert_int_equal(famfs_dax_usable(&info, &why), -ENXIO);
	destroy(&tr);
	build(&tr, "device_dax", "1073741824\n");
	assert_int_equal(famfs_dax_info(tr.sys, "dax0.0", &info, &why), 0);
	assert_int_equal(famfs_dax_usable(&info, &why), 0);
	destroy(&tr);
}

/* The switch from device_dax: unbind, new_id, bind, then the check. */
static void test_switch_writes(void **state)
{
	struct famfs_why why = { "" };
	struct tree tr;
	char b[64];
	int changed;

	(void)state;
	build(&tr, "device_dax", "2097152\n");
	assert_int_equal(famfs_dax_set_driver(tr.sys, "dax0.0", "fsdev_dax",
					      &changed, &why), -ENXIO);
	assert_int_equal(changed, 1);
	/* the tree cannot bind: the link still names device_dax */
	assert_non_null(strstr(why.msg, "dax0.0 did not bind to fsdev_dax (bound to device_dax)"));
	get(&tr, "bus/dax/drivers/device_dax/unbind", b, sizeof(b));
	assert_string_equal(b, "dax0.0");
	get(&tr, "bus/dax/drivers/fsdev_dax/new_id", b, sizeof(b));
	assert_string_equal(b, "dax0.0");
	get(&tr, "bus/dax/drivers/fsdev_dax/bind", b, sizeof(b));
	assert_string_equal(b, "dax0.0");
	get(&tr, "bus/dax/drivers/device_dax/bind", b, sizeof(b));
	assert_string_equal(b, "");
	destroy(&tr);
}

static void test_switch_noop_and_refusals(void **state)
{
	struct famfs_why why = { "" };
	struct tree tr;
	char b[64], p[2 * PATH_MAX];
	int changed;

	(void)state;
	build(&tr, "fsdev_dax", "2097152\n");	/* already: nothing written */
	assert_int_equal(famfs_dax_set_driver(tr.sys, "dax0.0", "fsdev_dax",
					      &changed, &why), 0);
	assert_int_equal(changed, 0);
	get(&tr, "bus/dax/drivers/fsdev_dax/new_id", b, sizeof(b));
	assert_string_equal(b, "");
	destroy(&tr);

	build(&tr, "kmem", "2097152\n");	/* system-ram: refused */
	assert_int_equal(famfs_dax_set_driver(tr.sys, "dax0.0", "fsdev_dax",
					      &changed, &why), -EBUSY);
	assert_non_null(strstr(why.msg, "system-ram mode (bound to kmem)"));
	get(&tr, "bus/dax/drivers/kmem/unbind", b, sizeof(b));
	assert_string_equal(b, "");
	destroy(&tr);

	build(&tr, "device_dax", "2097152\n");	/* no new_id: says which file */
	snprintf(p, sizeof(p), "%s/bus/dax/drivers/fsdev_dax/new_id", tr.sys);
	assert_int_equal(unlink(p), 0);
	assert_int_equal(famfs_dax_set_driver(tr.sys, "dax0.0", "fsdev_dax",
					      &changed, &why), -ENOENT);
	assert_non_null(strstr(why.msg, "writing 'dax0.0' to "));
	assert_non_null(strstr(why.msg, "fsdev_dax/new_id: No such file or directory"));
	destroy(&tr);

	build(&tr, "", "2097152\n");		/* unbound: nothing to unbind */
	assert_int_equal(famfs_dax_set_driver(tr.sys, "dax0.0", "device_dax",
					      &changed, &why), -ENXIO);
	get(&tr, "bus/dax/drivers/device_dax/new_id", b, sizeof(b));
	assert_string_equal(b, "dax0.0");
	destroy(&tr);
}

/* Busy: held by a famfs lock, or mapped by a process (its maps line). */
static void test_busy(void **state)
{
	struct famfs_why why = { "" };
	struct tree tr;
	char dev[PATH_MAX], proc[PATH_MAX + 8], line[PATH_MAX + 256];
	struct stat st;
	int fd;

	(void)state;
	build(&tr, "device_dax", "2097152\n");
	ut_tmp_write(&tr.t, "node", "", dev, sizeof(dev));
	snprintf(proc, sizeof(proc), "%s/proc", tr.t.dir);
	mkdirs(proc, "self");
	mkdirs(proc, "4242");
	put(&tr, "../proc/self/mountinfo", "");
	put(&tr, "../proc/4242/maps",
	    "7f0000000000-7f0000001000 r--p 00000000 08:01 1234 /usr/lib/x\n");
	assert_int_equal(famfs_dax_busy(proc, dev, &why), 0);

	assert_int_equal(stat(dev, &st), 0);
	snprintf(line, sizeof(line),
		 "7f0000200000-7f0000400000 rw-s 00000000 %02x:%02x %lu %s\n",
		 major(st.st_dev), minor(st.st_dev), (unsigned long)st.st_ino,
		 dev);
	put(&tr, "../proc/4242/maps", line);
	assert_int_equal(famfs_dax_busy(proc, dev, &why), 1);
	assert_string_equal(why.msg, "mapped by process 4242");

	put(&tr, "../proc/4242/maps", "");
	fd = open(dev, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(flock(fd, LOCK_SH), 0);	/* a famfs mount's lock */
	assert_int_equal(famfs_dax_busy(proc, dev, &why), 1);
	assert_non_null(strstr(why.msg, "in use by a famfs process"));
	close(fd);
	assert_int_equal(famfs_dax_busy(proc, dev, &why), 0);
	destroy(&tr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_name),
		cmocka_unit_test(test_info_modes),
		cmocka_unit_test(test_usable),
		cmocka_unit_test(test_switch_writes),
		cmocka_unit_test(test_switch_noop_and_refusals),
		cmocka_unit_test(test_busy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
