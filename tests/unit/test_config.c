// SPDX-License-Identifier: Apache-2.0
/*
 * Configuration (config.c): every key, the defaults, errors with their line
 * numbers, famfs_parse_size, the environment overrides, and loading a file
 * (a memfd, opened by its /proc/self/fd name).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <cmocka.h>

#include "famfs_config.h"

#define KiB (1024ull)
#define MiB (1024ull * KiB)
#define GiB (1024ull * MiB)
#define TiB (1024ull * GiB)

static struct famfs_config *cfg;

static int setup(void **state)
{
	(void)state;
	cfg = malloc(sizeof(*cfg));
	if (!cfg)
		return -1;
	famfs_config_defaults(cfg);
	unsetenv("FAMFS_SYSTEM_UUID_FILE");
	unsetenv("FAMFS_ROLE");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(cfg);
	cfg = NULL;
	unsetenv("FAMFS_SYSTEM_UUID_FILE");
	unsetenv("FAMFS_ROLE");
	return 0;
}

static int parse(const char *text, struct famfs_why *why)
{
	memset(why, 0, sizeof(*why));
	return famfs_config_parse_string(cfg, text, why);
}

/* The error is -EINVAL and its message has "line N" and every @want. */
static void expect_error(const char *text, int line, const char *want)
{
	struct famfs_why why;
	char tag[32];
	int rc = parse(text, &why);

	snprintf(tag, sizeof(tag), "line %d:", line);
	if (rc != -EINVAL || !strstr(why.msg, tag) ||
	    (want && !strstr(why.msg, want)))
		print_error("config:\n%s\n-> rc %d, \"%s\"; wanted -EINVAL, \"%s\" and \"%s\"\n",
			    text, rc, why.msg, tag, want ? want : "");
	assert_int_equal(rc, -EINVAL);
	assert_non_null(strstr(why.msg, tag));
	if (want)
		assert_non_null(strstr(why.msg, want));
}

/* ---- defaults and every key ------------------------------------------- */

static void test_defaults(void **state)
{
	(void)state;
	assert_int_equal(cfg->ndevices, 0);
	assert_string_equal(cfg->uuid_file, FAMFS_UUID_FILE_DEFAULT);
	assert_string_equal(cfg->uuid_file, "/opt/famfs/system_uuid");
	assert_int_equal(cfg->role, FAMFS_ROLE_AUTO);
	assert_int_equal(cfg->log_len, 0);		/* auto */
	assert_int_equal(cfg->alloc_unit, 2 * MiB);
	assert_string_equal(cfg->mountpoint, "/mnt/famfs");
	assert_int_equal(cfg->data_path, FAMFS_DP_AUTO);
}

static void test_empty_text_keeps_defaults(void **state)
{
	struct famfs_why why;

	(void)state;
	assert_int_equal(parse("", &why), 0);
	assert_int_equal(parse("; only a comment\n\n# another\n", &why), 0);
	assert_int_equal(cfg->ndevices, 0);
	assert_int_equal(cfg->log_len, 0);		/* auto */
	assert_string_equal(cfg->mountpoint, "/mnt/famfs");
}

static void test_every_key(void **state)
{
	static const char text[] =
		"[device]\n"
		"path = /dev/dax0.0\n"
		"path = /dev/pmem1\n"
		"\n"
		"[host]\n"
		"uuid_file = /var/lib/famfs/uuid\n"
		"role = master\n"
		"\n"
		"[mkfs]\n"
		"log_len = 16M\n"
		"alloc_unit = 4K\n"
		"\n"
		"[mount]\n"
		"mountpoint = /srv/famfs\n"
		"data_path = fallback\n";
	struct famfs_why why;
	int rc;

	(void)state;
	rc = parse(text, &why);
	if (rc)
		print_error("%s\n", why.msg);
	assert_int_equal(rc, 0);
	assert_int_equal(cfg->ndevices, 2);
	assert_string_equal(cfg->devices[0], "/dev/dax0.0");
	assert_string_equal(cfg->devices[1], "/dev/pmem1");
	assert_string_equal(cfg->uuid_file, "/var/lib/famfs/uuid");
	assert_int_equal(cfg->role, FAMFS_ROLE_MASTER);
	assert_int_equal(cfg->log_len, 16 * MiB);
	assert_int_equal(cfg->alloc_unit, 4 * KiB);
	assert_string_equal(cfg->mountpoint, "/srv/famfs");
	assert_int_equal(cfg->data_path, FAMFS_DP_FALLBACK);
}

/* [device] scan: default, replaced by the first line, appended by more. */
static void test_scan_keys(void **state)
{
	struct famfs_why why;

	(void)state;
	assert_string_equal(cfg->scan, "/dev/pmem* /dev/dax*");
	assert_int_equal(cfg->scan_image_dir, 1);
	assert_int_equal(parse("[device]\nscan = /a/*\nscan = /b? /c\n"
			       "scan_image_dir = no\n", &why), 0);
	assert_string_equal(cfg->scan, "/a/* /b? /c");
	assert_int_equal(cfg->scan_image_dir, 0);
	famfs_config_defaults(cfg);
	assert_int_equal(parse("[device]\nscan =\n", &why), 0);
	assert_string_equal(cfg->scan, "");
	famfs_config_defaults(cfg);
	expect_error("[device]\nscan_image_dir = maybe\n", 2, "not yes or no");
	assert_int_equal(cfg->set_daxmode, 0);
	famfs_config_defaults(cfg);
	assert_int_equal(parse("[device]\nset_daxmode = yes\n", &why), 0);
	assert_int_equal(cfg->set_daxmode, 1);
	expect_error("[device]\nset_daxmode = 1\n", 2, "not yes or no");
}

static void test_role_values(void **state)
{
	static const struct {
		const char *text;
		enum famfs_role_cfg role;
	} t[] = {
		{ "[host]\nrole = client\n", FAMFS_ROLE_CLIENT },
		{ "[host]\nrole = master\n", FAMFS_ROLE_MASTER },
		{ "[host]\nrole = auto\n", FAMFS_ROLE_AUTO },
	};
	struct famfs_why why;

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_int_equal(parse(t[i].text, &why), 0);
		assert_int_equal(cfg->role, t[i].role);
	}
	assert_string_equal(famfs_role_name(FAMFS_ROLE_AUTO), "auto");
	assert_string_equal(famfs_role_name(FAMFS_ROLE_MASTER), "master");
	assert_string_equal(famfs_role_name(FAMFS_ROLE_CLIENT), "client");
	assert_string_equal(famfs_role_name((enum famfs_role_cfg)3), "invalid");
	assert_string_equal(famfs_role_name((enum famfs_role_cfg)-1), "invalid");
}

static void test_data_path_values(void **state)
{
	static const struct {
		const char *text;
		enum famfs_datapath dp;
	} t[] = {
		{ "[mount]\ndata_path = dax\n", FAMFS_DP_DAX },
		{ "[mount]\ndata_path = fallback\n", FAMFS_DP_FALLBACK },
		{ "[mount]\ndata_path = auto\n", FAMFS_DP_AUTO },
	};
	struct famfs_why why;

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_int_equal(parse(t[i].text, &why), 0);
		assert_int_equal(cfg->data_path, t[i].dp);
	}
}

/* The one name table: every name parses to its value and back. */
static void test_data_path_names(void **state)
{
	static const char *const names[] = { "auto", "dax", "fallback" };
	struct famfs_why why = { "" };
	enum famfs_datapath dp;

	(void)state;
	for (int i = 0; i < 3; i++) {
		assert_int_equal(famfs_datapath_parse(names[i], &dp, &why), 0);
		assert_int_equal(dp, i);
		assert_string_equal(famfs_datapath_name(dp), names[i]);
	}
	dp = FAMFS_DP_DAX;
	assert_int_equal(famfs_datapath_parse("DAX", &dp, &why), -EINVAL);
	assert_string_equal(why.msg, "'DAX' is not one of auto|dax|fallback");
	assert_int_equal(dp, FAMFS_DP_DAX);	/* untouched on failure */
	assert_string_equal(famfs_datapath_name((enum famfs_datapath)3),
			    "invalid");
}

static void test_sizes_in_all_forms(void **state)
{
	struct famfs_why why;

	(void)state;
	assert_int_equal(parse("[mkfs]\nlog_len = 0x400000\nalloc_unit = 1G\n",
			       &why), 0);
	assert_int_equal(cfg->log_len, 4 * MiB);
	assert_int_equal(cfg->alloc_unit, GiB);
	assert_int_equal(parse("[mkfs]\nlog_len = 1024MiB\nalloc_unit = 65536\n",
			       &why), 0);
	assert_int_equal(cfg->log_len, GiB);
	assert_int_equal(cfg->alloc_unit, 64 * KiB);
}

static void test_later_value_wins(void **state)
{
	struct famfs_why why;

	(void)state;
	assert_int_equal(parse("[host]\nrole = master\nrole = client\n", &why), 0);
	assert_int_equal(cfg->role, FAMFS_ROLE_CLIENT);
}

static void test_too_many_devices(void **state)
{
	static char text[FAMFS_MAX_DEVICES * 32 + 64];
	size_t n = 0;

	(void)state;
	n += (size_t)snprintf(text + n, sizeof(text) - n, "[device]\n");
	for (unsigned int i = 0; i <= FAMFS_MAX_DEVICES; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n,
				      "path = /dev/dax%u.0\n", i);
	/* device 65 is on line 66 */
	expect_error(text, FAMFS_MAX_DEVICES + 2, "more than 64 devices");
}

/* ---- errors and their line numbers -------------------------------------- */

static void test_unknown_key(void **state)
{
	(void)state;
	expect_error("[host]\n"
		     "role = master\n"
		     "; comment\n"
		     "\n"
		     "colour = blue\n", 5, "'colour'");
	expect_error("[mount]\nmountpoint = /x\nlog_len = 8M\n", 3, "'log_len'");
}

static void test_unknown_section(void **state)
{
	(void)state;
	expect_error("[mkfs]\n"
		     "log_len = 8M\n"
		     "[tuning]\n"
		     "path = /dev/dax0.0\n", 4, "[tuning]");
	/* a key before any section */
	expect_error("role = master\n", 1, "'role'");
}

static void test_bad_role(void **state)
{
	(void)state;
	expect_error("[host]\nuuid_file = /u\nrole = boss\n", 3, "boss");
}

static void test_bad_data_path(void **state)
{
	(void)state;
	expect_error("[mount]\ndata_path = mmap\n", 2, "mmap");
}

/*
 * Values that parse but are out of range.  They are rejected by the
 * validation after parsing; the first test checks the refusal, the second
 * that the message still points at the offending line.
 */
static const struct {
	const char *text;
	int line;
	const char *key;
} out_of_range[] = {
	{ "[mkfs]\nalloc_unit = 2M\nlog_len = 3M\n", 3, "log_len" },
	{ "[mkfs]\nlog_len = 1536M\n", 2, "log_len" },
	{ "[mkfs]\nalloc_unit = 3K\n", 2, "alloc_unit" },
	{ "[host]\nrole = auto\n[mkfs]\nalloc_unit = 2G\n", 4, "alloc_unit" },
	{ "[mkfs]\nalloc_unit = 2K\n", 2, "alloc_unit" },
	{ "[mkfs]\nalloc_unit = 12K\n", 2, "alloc_unit" },
	{ "[mkfs]\nalloc_unit = 3M\n", 2, "alloc_unit" },
	{ "[mount]\n\nmountpoint = mnt/famfs\n", 3, "mountpoint" },
};

static void test_out_of_range_rejected(void **state)
{
	struct famfs_why why;

	(void)state;
	for (size_t i = 0; i < sizeof(out_of_range) / sizeof(out_of_range[0]); i++) {
		famfs_config_defaults(cfg);
		assert_int_equal(parse(out_of_range[i].text, &why), -EINVAL);
		if (!strstr(why.msg, out_of_range[i].key))
			print_error("\"%s\" does not name %s\n", why.msg,
				    out_of_range[i].key);
		assert_non_null(strstr(why.msg, out_of_range[i].key));
	}
}

static void test_out_of_range_names_line(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(out_of_range) / sizeof(out_of_range[0]); i++) {
		famfs_config_defaults(cfg);
		expect_error(out_of_range[i].text, out_of_range[i].line,
			     out_of_range[i].key);
	}
}

static void test_bad_size_garbage(void **state)
{
	(void)state;
	expect_error("[mkfs]\nlog_len = 12Q\n", 2, "12Q");
	expect_error("[mkfs]\n\nalloc_unit = -1\n", 3, "-1");
	expect_error("[mkfs]\nlog_len = 8M\nalloc_unit = 0x\n", 3, "0x");
}

static void test_empty_value(void **state)
{
	(void)state;
	expect_error("[host]\nuuid_file =\n", 2, "empty");
}

static void test_syntax_error(void **state)
{
	(void)state;
	expect_error("[host]\nrole master\n", 2, "syntax error");
	expect_error("[host]\nrole = client\n\n[mkfs\n", 4, "syntax error");
}

/* The first error is reported, with its own message. */
static void test_first_error_wins(void **state)
{
	(void)state;
	expect_error("[host]\nrole = boss\ncolour = blue\n", 2, "boss");
}

static void test_syntax_error_then_bad_key(void **state)
{
	struct famfs_why why;

	(void)state;
	assert_int_equal(parse("[host]\nno equals sign here\ncolour = blue\n",
			       &why), -EINVAL);
	assert_non_null(strstr(why.msg, "line 2:"));
	/* line 2 is the syntax error, not the unknown key of line 3 */
	if (strstr(why.msg, "colour"))
		print_error("message pairs line 2 with line 3's error: \"%s\"\n",
			    why.msg);
	assert_null(strstr(why.msg, "colour"));
	assert_non_null(strstr(why.msg, "syntax error"));

	/* the keys after a broken section header are not in section [] */
	assert_int_equal(parse("[mkfs\nlog_len = 8M\n", &why), -EINVAL);
	assert_non_null(strstr(why.msg, "line 1:"));
	assert_non_null(strstr(why.msg, "syntax error"));
}

/* ---- famfs_parse_size ---------------------------------------------------- */

static void test_parse_size_good(void **state)
{
	static const struct {
		const char *s;
		uint64_t v;
	} t[] = {
		{ "0", 0 },
		{ "4096", 4096 },
		{ "4k", 4 * KiB },
		{ "4K", 4 * KiB },
		{ "4KiB", 4 * KiB },
		{ "2M", 2 * MiB },
		{ "2m", 2 * MiB },
		{ "2MiB", 2 * MiB },
		{ "1g", GiB },
		{ "1G", GiB },
		{ "1T", TiB },
		{ "1t", TiB },
		{ "0x1000", 0x1000 },
		{ "0X1000", 0x1000 },
		{ "0xfFfF", 0xffff },
		{ "16777215T", 16777215ull * TiB },
		{ "18446744073709551615", 18446744073709551615ull },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		uint64_t v = 12345;
		int rc = famfs_parse_size(t[i].s, &v);

		if (rc || v != t[i].v)
			print_error("'%s' -> rc %d, %llu\n", t[i].s, rc,
				    (unsigned long long)v);
		assert_int_equal(rc, 0);
		assert_int_equal(v, t[i].v);
	}
}

static void test_parse_size_bad(void **state)
{
	static const char *const t[] = {
		"", "k", "M", "1.5M", "-1", "+1", " 1", "1 ", "0x", "0xg",
		"12Q", "4i", "4KK", "4KiBx", "99999999999999T", "16777216T",
		"18446744073709551616", "0x10000000000000000",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		uint64_t v = 777;
		int rc = famfs_parse_size(t[i], &v);

		if (rc != -EINVAL)
			print_error("'%s' accepted as %llu\n", t[i],
				    (unsigned long long)v);
		assert_int_equal(rc, -EINVAL);
		assert_int_equal(v, 777);	/* untouched on error */
	}
	assert_int_equal(famfs_parse_size(NULL, &(uint64_t){ 0 }), -EINVAL);
}

/* ---- environment ------------------------------------------------------------ */

static void test_env_overrides(void **state)
{
	struct famfs_why why = { "" };

	(void)state;
	assert_int_equal(famfs_config_env(cfg, &why), 0);
	assert_string_equal(cfg->uuid_file, FAMFS_UUID_FILE_DEFAULT);
	assert_int_equal(cfg->role, FAMFS_ROLE_AUTO);

	setenv("FAMFS_SYSTEM_UUID_FILE", "/run/famfs/uuid", 1);
	setenv("FAMFS_ROLE", "client", 1);
	assert_int_equal(famfs_config_env(cfg, &why), 0);
	assert_string_equal(cfg->uuid_file, "/run/famfs/uuid");
	assert_int_equal(cfg->role, FAMFS_ROLE_CLIENT);

	/* the environment beats the file */
	assert_int_equal(parse("[host]\nrole = master\n", &why), 0);
	assert_int_equal(cfg->role, FAMFS_ROLE_MASTER);
	assert_int_equal(famfs_config_env(cfg, &why), 0);
	assert_int_equal(cfg->role, FAMFS_ROLE_CLIENT);
}

static void test_env_bad_role(void **state)
{
	struct famfs_why why = { "" };

	(void)state;
	setenv("FAMFS_ROLE", "boss", 1);
	assert_int_equal(famfs_config_env(cfg, &why), -EINVAL);
	assert_non_null(strstr(why.msg, "boss"));
	assert_int_equal(cfg->role, FAMFS_ROLE_AUTO);
}

static void test_env_empty_uuid_file(void **state)
{
	struct famfs_why why = { "" };

	(void)state;
	setenv("FAMFS_SYSTEM_UUID_FILE", "", 1);
	assert_int_equal(famfs_config_env(cfg, &why), -EINVAL);
	assert_string_equal(cfg->uuid_file, FAMFS_UUID_FILE_DEFAULT);
}

/* ---- famfs_config_load ------------------------------------------------------ */

static int memfd_with(const char *text, char *path, size_t room)
{
	int fd = memfd_create("famfs-ini", MFD_CLOEXEC);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	snprintf(path, room, "/proc/self/fd/%d", fd);
	return fd;
}

static void test_load_file(void **state)
{
	struct famfs_why why = { "" };
	char path[64];
	int fd, rc;

	(void)state;
	fd = memfd_with("# famfs.ini\n"
			"[device]\npath = /dev/dax1.0\n"
			"[host]\nrole = client\n"
			"[mkfs]\nlog_len = 2M\nalloc_unit = 64K\n"
			"[mount]\nmountpoint = /famfs\ndata_path = dax\n",
			path, sizeof(path));
	rc = famfs_config_load(cfg, path, &why);
	if (rc)
		print_error("%s\n", why.msg);
	assert_int_equal(rc, 0);
	assert_int_equal(cfg->ndevices, 1);
	assert_string_equal(cfg->devices[0], "/dev/dax1.0");
	assert_int_equal(cfg->role, FAMFS_ROLE_CLIENT);
	assert_int_equal(cfg->log_len, 2 * MiB);
	assert_int_equal(cfg->alloc_unit, 64 * KiB);
	assert_string_equal(cfg->mountpoint, "/famfs");
	assert_int_equal(cfg->data_path, FAMFS_DP_DAX);
	/* untouched keys keep their defaults */
	assert_string_equal(cfg->uuid_file, FAMFS_UUID_FILE_DEFAULT);
	close(fd);
}

static void test_load_file_error_line(void **state)
{
	struct famfs_why why = { "" };
	char path[64];
	int fd;

	(void)state;
	fd = memfd_with("[host]\nrole = auto\n\n[mkfs]\nsize = 1G\n",
			path, sizeof(path));
	assert_int_equal(famfs_config_load(cfg, path, &why), -EINVAL);
	assert_non_null(strstr(why.msg, "line 5:"));
	assert_non_null(strstr(why.msg, "'size'"));
	close(fd);
}

static void test_load_missing_file(void **state)
{
	struct famfs_why why = { "" };
	int fd = memfd_create("famfs-gone", MFD_CLOEXEC);
	char path[64];

	(void)state;
	assert_true(fd >= 0);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	close(fd);		/* the name now resolves to nothing */
	assert_int_equal(famfs_config_load(cfg, path, &why), -ENOENT);
	assert_non_null(strstr(why.msg, "cannot open"));
}

/* famfs_config_format: the text reads back to the very same values. */
static void format_round_trip(void)
{
	struct famfs_config *back = malloc(sizeof(*back));
	struct famfs_why why = { "" };
	char *text = NULL;

	assert_non_null(back);
	assert_int_equal(famfs_config_format(cfg, &text), 0);
	assert_non_null(text);
	famfs_config_defaults(back);
	assert_int_equal(famfs_config_parse_string(back, text, &why), 0);
	assert_int_equal(back->ndevices, cfg->ndevices);
	for (unsigned int d = 0; d < cfg->ndevices; d++)
		assert_string_equal(back->devices[d], cfg->devices[d]);
	assert_string_equal(back->scan, cfg->scan);
	assert_int_equal(back->scan_image_dir, cfg->scan_image_dir);
	assert_int_equal(back->set_daxmode, cfg->set_daxmode);
	assert_string_equal(back->uuid_file, cfg->uuid_file);
	assert_int_equal(back->role, cfg->role);
	assert_int_equal(back->log_len, cfg->log_len);
	assert_int_equal(back->alloc_unit, cfg->alloc_unit);
	assert_string_equal(back->mountpoint, cfg->mountpoint);
	assert_int_equal(back->data_path, cfg->data_path);
	assert_int_equal(back->init.have_uuid, cfg->init.have_uuid);
	assert_memory_equal(back->init.device_uuid, cfg->init.device_uuid, 16);
	assert_int_equal(back->init.probe_timeout, cfg->init.probe_timeout);
	assert_int_equal(back->init.format, cfg->init.format);
	assert_string_equal(back->init.payload, cfg->init.payload);
	assert_string_equal(back->init.root, cfg->init.root);
	assert_string_equal(back->init.root_init, cfg->init.root_init);
	assert_int_equal(back->init.on_exit, cfg->init.on_exit);
	assert_string_equal(back->init.modules, cfg->init.modules);
	free(text);
	free(back);
}

static void test_format_defaults(void **state)
{
	(void)state;
	format_round_trip();
}

static void test_format_every_key(void **state)
{
	struct famfs_why why = { "" };

	(void)state;
	assert_int_equal(famfs_config_parse_string(cfg,
		"[device]\npath = /dev/pmem0\npath = /img/b\n"
		"scan = /x/* /y?\nscan_image_dir = no\nset_daxmode = yes\n"
		"[host]\nuuid_file = /u\nrole = client\n"
		"[mkfs]\nlog_len = 16M\nalloc_unit = 4k\n"
		"[mount]\nmountpoint = /m\ndata_path = fallback\n"
		"[init]\ndevice_uuid = 0b0c54a6-5f6e-4f3c-9d2a-18e5b0b4c1d7\n"
		"probe_timeout = 3\nformat = blank\n"
		"payload = /bin/sh -c true\non_exit = shell\n"
		"root_init = /init\nmodules = /m/load\n", &why), 0);
	format_round_trip();
	cfg->init.payload[0] = 0;
	memcpy(cfg->init.root, "/rootfs", 8);
	cfg->scan[0] = 0;
	format_round_trip();
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_defaults),
		T(test_empty_text_keeps_defaults),
		T(test_every_key),
		T(test_scan_keys),
		T(test_role_values),
		T(test_data_path_values),
		T(test_data_path_names),
		T(test_sizes_in_all_forms),
		T(test_later_value_wins),
		T(test_too_many_devices),
		T(test_unknown_key),
		T(test_unknown_section),
		T(test_bad_role),
		T(test_bad_data_path),
		T(test_out_of_range_rejected),
		T(test_out_of_range_names_line),
		T(test_bad_size_garbage),
		T(test_empty_value),
		T(test_syntax_error),
		T(test_first_error_wins),
		T(test_syntax_error_then_bad_key),
		T(test_parse_size_good),
		T(test_parse_size_bad),
		T(test_env_overrides),
		T(test_env_bad_role),
		T(test_env_empty_uuid_file),
		T(test_load_file),
		T(test_load_file_error_line),
		T(test_load_missing_file),
		T(test_format_defaults),
		T(test_format_every_key),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
