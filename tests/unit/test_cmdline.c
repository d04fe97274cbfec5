// SPDX-License-Identifier: Apache-2.0
/*
 * famfs init's configuration: the [init] keys of famfs.ini (config.c) and
 * the famfs.* overrides from the kernel command line (lib/kcmdline.c): both
 * naming schemes, quoting, the test harness's keys, every error.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "famfs_config.h"

static struct famfs_config *cfg;
static struct famfs_why why;

static int setup(void **state)
{
	(void)state;
	cfg = malloc(sizeof(*cfg));
	if (!cfg)
		return -1;
	famfs_config_defaults(cfg);
	memset(&why, 0, sizeof(why));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(cfg);
	cfg = NULL;
	return 0;
}

static int apply(const char *cl)
{
	memset(&why, 0, sizeof(why));
	return famfs_cmdline_apply(cfg, cl, &why);
}

/* @cl fails with @rc and a message holding @w1 and @w2. */
static void expect_fail(const char *cl, int rc, const char *w1,
			const char *w2)
{
	int got = apply(cl);

	if (got != rc || !strstr(why.msg, w1) || (w2 && !strstr(why.msg, w2)))
		print_error("'%s' -> %d \"%s\"; wanted %d, \"%s\", \"%s\"\n",
			    cl, got, why.msg, rc, w1, w2 ? w2 : "");
	assert_int_equal(got, rc);
	assert_non_null(strstr(why.msg, w1));
	if (w2)
		assert_non_null(strstr(why.msg, w2));
}

static void test_init_defaults(void **state)
{
	(void)state;
	assert_int_equal(cfg->init.have_uuid, 0);
	assert_int_equal(cfg->init.probe_timeout, 10);
	assert_int_equal(cfg->init.format, 0);
	assert_string_equal(cfg->init.payload, "");
	assert_string_equal(cfg->init.root, "");
	assert_string_equal(cfg->init.root_init, "/sbin/init");
	assert_int_equal(cfg->init.on_exit, FAMFS_EXIT_POWEROFF);
	assert_string_equal(cfg->init.modules, "/lib/modules/load");
}

static void test_init_keys_in_file(void **state)
{
	static const char text[] =
		"[init]\n"
		"device_uuid = a0000000-0000-4000-8000-00000000000a\n"
		"probe_timeout = 3\n"
		"format = blank\n"
		"root = /rootfs\n"
		"root_init = /init\n"
		"on_exit = shell\n"
		"modules =\n";
	int rc = famfs_config_parse_string(cfg, text, &why);

	(void)state;
	if (rc)
		print_error("%s\n", why.msg);
	assert_int_equal(rc, 0);
	assert_int_equal(cfg->init.have_uuid, 1);
	assert_int_equal(cfg->init.device_uuid[0], 0xa0);
	assert_int_equal(cfg->init.device_uuid[15], 0x0a);
	assert_int_equal(cfg->init.probe_timeout, 3);
	assert_int_equal(cfg->init.format, 1);
	assert_string_equal(cfg->init.root, "/rootfs");
	assert_string_equal(cfg->init.root_init, "/init");
	assert_int_equal(cfg->init.on_exit, FAMFS_EXIT_SHELL);
	assert_string_equal(cfg->init.modules, "");
}

static void test_init_bad_values_in_file(void **state)
{
	static const struct {
		const char *text, *want;
	} bad[] = {
		{ "[init]\ndevice_uuid = nope\n", "not a UUID" },
		{ "[init]\nprobe_timeout = -1\n", "not a number of seconds" },
		{ "[init]\nprobe_timeout = 3601\n", "not a number of seconds" },
		{ "[init]\nprobe_timeout = 2s\n", "not a number of seconds" },
		{ "[init]\nformat = always\n", "never|blank" },
		{ "[init]\non_exit = halt\n", "poweroff|reboot|shell" },
		{ "[init]\nroot_init = sbin/init\n", "not an absolute path" },
		{ "[init]\nmodules = load\n", "not an absolute path" },
		{ "[init]\nbogus = 1\n", "unknown key 'bogus' in section [init]" },
		{ "[init]\npayload = /a\nroot = /r\n", "exclude each other" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		famfs_config_defaults(cfg);
		memset(&why, 0, sizeof(why));
		assert_int_equal(famfs_config_parse_string(cfg, bad[i].text, &why),
				 -EINVAL);
		if (!strstr(why.msg, bad[i].want))
			print_error("%s-> \"%s\"\n", bad[i].text, why.msg);
		assert_non_null(strstr(why.msg, bad[i].want));
	}
}

static void test_section_key_form(void **state)
{
	(void)state;
	assert_int_equal(apply("console=ttyS0 famfs.mount.mountpoint=/srv/f "
			       "famfs.init.probe_timeout=2 quiet "
			       "famfs.host.role=client famfs.mkfs.log_len=16M"), 4);
	assert_string_equal(cfg->mountpoint, "/srv/f");
	assert_int_equal(cfg->init.probe_timeout, 2);
	assert_int_equal(cfg->role, FAMFS_ROLE_CLIENT);
	assert_int_equal(cfg->log_len, 16 * 1024 * 1024);
}

static void test_unique_key_form(void **state)
{
	(void)state;
	assert_int_equal(apply("famfs.mountpoint=/x famfs.data_path=fallback "
			       "famfs.on_exit=reboot famfs.format=blank"), 4);
	assert_string_equal(cfg->mountpoint, "/x");
	assert_int_equal(cfg->data_path, FAMFS_DP_FALLBACK);
	assert_int_equal(cfg->init.on_exit, FAMFS_EXIT_REBOOT);
	assert_int_equal(cfg->init.format, 1);
}

static void test_quoted_value(void **state)
{
	(void)state;
	assert_int_equal(apply("a=\"b c\" famfs.init.payload=\"/bin/app -x  y\"\n"), 1);
	assert_string_equal(cfg->init.payload, "/bin/app -x  y");
	assert_int_equal(apply("\"famfs.payload=/bin/b z\""), 1);
	assert_string_equal(cfg->init.payload, "/bin/b z");
}

static void test_harness_keys_ignored(void **state)
{
	(void)state;
	assert_int_equal(apply("famfs.test=boot,fallback1 famfs.expect=dax "
			       "famfs.timeout=160"), 0);
	assert_int_equal(famfs_cmdline_is_harness("test"), 1);
	assert_int_equal(famfs_cmdline_is_harness("probe_timeout"), 0);
	/* the appliance's own timeout is a different key */
	assert_int_equal(apply("famfs.timeout=1 famfs.probe_timeout=7"), 1);
	assert_int_equal(cfg->init.probe_timeout, 7);
}

static void test_device_path_replaces_then_adds(void **state)
{
	struct famfs_why w;

	(void)state;
	assert_int_equal(famfs_config_parse_string(cfg,
			"[device]\npath = /dev/dax0.0\n", &w), 0);
	assert_int_equal(apply("famfs.device.path=/dev/pmem0 famfs.path=/dev/pmem1"), 2);
	assert_int_equal(cfg->ndevices, 2);
	assert_string_equal(cfg->devices[0], "/dev/pmem0");
	assert_string_equal(cfg->devices[1], "/dev/pmem1");
}

static void test_errors(void **state)
{
	(void)state;
	expect_fail("famfs.init.bogus=1", -ENOENT, "famfs.init.bogus:",
		    "unknown key 'bogus' in section [init]");
	expect_fail("famfs.nosuch.path=/x", -ENOENT, "famfs.nosuch.path:",
		    "section [nosuch]");
	expect_fail("famfs.bogus=1", -ENOENT, "famfs.bogus:", "unknown key 'bogus'");
	expect_fail("famfs.init.format=always", -EINVAL, "famfs.init.format:",
		    "never|blank");
	expect_fail("famfs.mountpoint=rel", -EINVAL, "famfs.mountpoint:",
		    "not an absolute path");
	expect_fail("famfs.init.root", -EINVAL, "famfs.init.root:", "no value");
	expect_fail("famfs.init.payload=/a famfs.init.root=/r", -EINVAL,
		    "after the overrides", "exclude each other");
	expect_fail("famfs.mkfs.log_len=3M", -EINVAL, "famfs.mkfs.log_len:", NULL);
}

static void test_first_error_stops(void **state)
{
	(void)state;
	expect_fail("famfs.probe_timeout=5 famfs.x.y=1 famfs.probe_timeout=9",
		    -ENOENT, "famfs.x.y", NULL);
	assert_int_equal(cfg->init.probe_timeout, 5);
}

/* "famfs.payload=/aaa..." of @n bytes (caller frees). */
static char *long_payload(size_t n)
{
	char *cl = malloc(n + 1);

	assert_non_null(cl);
	memcpy(cl, "famfs.payload=/", 15);
	memset(cl + 15, 'a', n - 15);
	cl[n] = 0;
	return cl;
}

static void test_long_word(void **state)
{
	char *cl = long_payload(FAMFS_CFG_PATH + 200);

	(void)state;
	expect_fail(cl, -E2BIG, "longer than", NULL);
	free(cl);
}

static void test_value_too_long(void **state)
{
	char *cl = long_payload(FAMFS_CFG_PATH + 20);

	(void)state;
	expect_fail(cl, -EINVAL, "famfs.payload:", "too long");
	free(cl);
}

static void test_no_famfs_words(void **state)
{
	(void)state;
	assert_int_equal(apply(""), 0);
	assert_int_equal(apply("   \n"), 0);
	assert_int_equal(apply("root=/dev/sda famfsx.a=1 famfs=1"), 0);
	assert_string_equal(cfg->mountpoint, "/mnt/famfs");
}

static void test_section_of(void **state)
{
	const char *s = NULL;

	(void)state;
	assert_int_equal(famfs_config_section_of("root_init", &s, &why), 0);
	assert_string_equal(s, "init");
	assert_int_equal(famfs_config_section_of("path", &s, &why), 0);
	assert_string_equal(s, "device");
	assert_int_equal(famfs_config_section_of("nope", &s, &why), -ENOENT);
	assert_non_null(strstr(why.msg, "unknown key 'nope'"));
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_init_defaults),
		T(test_init_keys_in_file),
		T(test_init_bad_values_in_file),
		T(test_section_key_form),
		T(test_unique_key_form),
		T(test_quoted_value),
		T(test_harness_keys_ignored),
		T(test_device_path_replaces_then_adds),
		T(test_errors),
		T(test_first_error_stops),
		T(test_long_word),
		T(test_value_too_long),
		T(test_no_famfs_words),
		T(test_section_of),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
