// SPDX-License-Identifier: Apache-2.0
/*
 * libFuzzer target: the configuration parser (lib/config.c over inih),
 * fed arbitrary text.  No crash, UB or leak; a refusal says why (the line
 * when it is the text's fault); an accepted configuration has every value
 * in range: log length and allocation unit as mkfs accepts them, an
 * absolute NUL-terminated mountpoint, known role and data path, device
 * paths nonempty and terminated, at most FAMFS_MAX_DEVICES of them.  The
 * same text parses the same way twice (no hidden state), and
 * famfs_parse_size() agrees with a value it printed itself.
 */
#include <inttypes.h>

#include "famfs_config.h"
#include "fuzz_util.h"

static struct famfs_config cfg, cfg2;

static void check_str(const char *s, size_t cap)
{
	size_t n = strnlen(s, cap);

	FUZZ_ASSERT(n > 0 && n < cap);
}

static void check_cfg(const struct famfs_config *c)
{
	/* 0 is "auto": the log length follows the device (mkfs) */
	FUZZ_ASSERT(!c->log_len || !famfs_check_log_len(c->log_len, NULL));
	FUZZ_ASSERT(!famfs_check_alloc_unit(c->alloc_unit, NULL));
	check_str(c->mountpoint, sizeof(c->mountpoint));
	FUZZ_ASSERT(c->mountpoint[0] == '/');
	check_str(c->uuid_file, sizeof(c->uuid_file));
	FUZZ_ASSERT((unsigned int)c->role <= FAMFS_ROLE_CLIENT);
	FUZZ_ASSERT((unsigned int)c->data_path <= FAMFS_DP_FALLBACK);
	FUZZ_ASSERT(c->ndevices <= FAMFS_MAX_DEVICES);
	for (unsigned int i = 0; i < c->ndevices; i++)
		check_str(c->devices[i], sizeof(c->devices[i]));
}

/* Sizes the parser reads back as they were written. */
static void check_size_text(uint64_t v)
{
	char t[32];
	uint64_t back = 0;

	snprintf(t, sizeof(t), "%" PRIu64, v);
	FUZZ_ASSERT(!famfs_parse_size(t, &back) && back == v);
	snprintf(t, sizeof(t), "0x%" PRIx64, v);
	FUZZ_ASSERT(!famfs_parse_size(t, &back) && back == v);
	if (v % 1024 == 0) {
		snprintf(t, sizeof(t), "%" PRIu64 "KiB", v / 1024);
		FUZZ_ASSERT(!famfs_parse_size(t, &back) && back == v);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	struct famfs_why why, why2;
	uint64_t v;
	int rc, rc2;

	FUZZ_ASSERT(text);
	memcpy(text, data, size);
	text[size] = 0;			/* the API takes a C string */
	famfs_config_defaults(&cfg);
	memset(&why, 0, sizeof(why));
	rc = famfs_config_parse_string(&cfg, text, &why);
	FUZZ_ASSERT(rc == 0 || rc == -EINVAL);
	if (rc)
		FUZZ_ASSERT(why.msg[0] && memchr(why.msg, 0, sizeof(why.msg)));
	else
		check_cfg(&cfg);
	famfs_config_defaults(&cfg2);
	memset(&why2, 0, sizeof(why2));
	rc2 = famfs_config_parse_string(&cfg2, text, &why2);
	FUZZ_ASSERT(rc2 == rc && !strcmp(why.msg, why2.msg));
	FUZZ_ASSERT(!memcmp(&cfg, &cfg2, sizeof(cfg)) || rc);
	if (!famfs_parse_size(text, &v))
		check_size_text(v);
	free(text);
	return 0;
}
