// SPDX-License-Identifier: Apache-2.0
/*
 * The control protocol's flat JSON (json.c): quoting a string so it reads
 * back the same, and finding members of a reply by name.  Each case is a
 * named table row; every row runs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "famfs_json.h"
#include "unit_util.h"

static const char reply[] =
	"{\"device\":\"/dev/dax0.0\",\"pid\":1234,\"free\" : 18446744073709551615,"
	"\"note\":\"say \\\"hi\\\"\\n\\ttab\\\\ \\u0041\\u00e9\","
	"\"neg\":-1,\"big\":99999999999999999999,\"obj\":{\"inner\":7},"
	"\"devices\":[{\"index\":0,\"uuid\":\"u0\"},{\"index\":1}]}";

struct u64_row {
	const char *name, *key;
	int err;
	uint64_t want;
};

static const struct u64_row u64_rows[] = {
	{ "plain number", "pid", 0, 1234 },
	{ "spaces around the colon", "free", 0, UINT64_MAX },
	{ "first of two (array member)", "index", 0, 0 },
	{ "nested object member", "inner", 0, 7 },
	{ "negative is not a u64", "neg", -ENOENT, 0 },
	{ "overflow", "big", -ERANGE, 0 },
	{ "a string is not a number", "device", -ENOENT, 0 },
	{ "missing key", "nope", -ENOENT, 0 },
	{ "a prefix of a key is not the key", "pi", -ENOENT, 0 },
};

static void test_u64_rows(void **state)
{
	int bad = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(u64_rows) / sizeof(u64_rows[0]); i++) {
		const struct u64_row *r = &u64_rows[i];
		uint64_t v = 0;
		int rc = famfs_json_u64(reply, r->key, &v);

		if (rc != r->err || (!rc && v != r->want)) {
			print_error("row '%s': rc %d (want %d), value %llu\n",
				    r->name, rc, r->err, (unsigned long long)v);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

struct str_row {
	const char *name, *key;
	size_t len;
	int err;
	const char *want;
};

static const struct str_row str_rows[] = {
	{ "plain", "device", 64, 0, "/dev/dax0.0" },
	{ "escapes; non-ASCII \\u is ?", "note", 64, 0, "say \"hi\"\n\ttab\\ A?" },
	{ "truncated to the buffer", "device", 5, 0, "/dev" },
	{ "a number is not a string", "pid", 64, -ENOENT, NULL },
	{ "missing key", "nope", 64, -ENOENT, NULL },
	{ "zero-length buffer", "device", 0, -ENOENT, NULL },
};

static void test_str_rows(void **state)
{
	int bad = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(str_rows) / sizeof(str_rows[0]); i++) {
		const struct str_row *r = &str_rows[i];
		char out[64] = "";
		int rc = famfs_json_str(reply, r->key, out, r->len);

		if (rc != r->err || (!rc && strcmp(out, r->want))) {
			print_error("row '%s': rc %d (want %d), '%s'\n",
				    r->name, rc, r->err, out);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

static void test_value_and_broken(void **state)
{
	const char *v;

	(void)state;
	v = famfs_json_value(reply, "devices");
	assert_non_null(v);
	assert_int_equal(*v, '[');
	assert_null(famfs_json_value("{\"a\":1,\"unterminated", "b"));
	assert_null(famfs_json_value("", "a"));
	assert_null(famfs_json_value("{\"a\" 1}", "a"));	/* no colon */
	/* a string value equal to the key is not the member */
	v = famfs_json_value("{\"a\":\"b\",\"b\":2}", "b");
	assert_non_null(v);
	assert_string_equal(v, "2}");
}

struct quote_row {
	const char *name, *in;
	size_t len;
	const char *want;
};

static const struct quote_row quote_rows[] = {
	{ "plain", "abc", 64, "\"abc\"" },
	{ "quote and backslash", "a\"b\\c", 64, "\"a\\\"b\\\\c\"" },
	{ "control characters", "a\nb\x01", 64, "\"a\\u000ab\\u0001\"" },
	{ "empty", "", 64, "\"\"" },
	{ "cut to fit, still closed", "abcdefghijklmnop", 12, "\"abc\"" },
};

static void test_quote_rows(void **state)
{
	int bad = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(quote_rows) / sizeof(quote_rows[0]); i++) {
		const struct quote_row *r = &quote_rows[i];
		char buf[64], js[96], back[64];

		famfs_json_quote(buf, r->len, r->in);
		if (strcmp(buf, r->want)) {
			print_error("row '%s': '%s', want '%s'\n", r->name, buf,
				    r->want);
			bad++;
			continue;
		}
		/* what is quoted reads back (a prefix, when cut) */
		snprintf(js, sizeof(js), "{\"k\":%s}", buf);
		if (famfs_json_str(js, "k", back, sizeof(back)) ||
		    strncmp(back, r->in, strlen(back))) {
			print_error("row '%s': reads back as '%s'\n", r->name, back);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_u64_rows),
		cmocka_unit_test(test_str_rows),
		cmocka_unit_test(test_value_and_broken),
		cmocka_unit_test(test_quote_rows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
