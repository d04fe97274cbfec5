// SPDX-License-Identifier: Apache-2.0
/*
 * Configuration: a table of (section, key) handlers driven by inih.  An
 * unknown key or a bad value makes the handler return 0, so ini_parse()
 * reports the line; the message says which key and why.  The whole result
 * is validated after parsing.  Command-line flags override it.
 */
#include <ctype.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "famfs_config.h"

struct cfg_parse {
	struct famfs_config *cfg;
	struct famfs_why why;
	int bad;			/* a handler already explained */
};

typedef int (*cfg_set_fn)(struct famfs_config *cfg, const char *v,
			  struct famfs_why *why);

static int set_str(char *dst, const char *v, struct famfs_why *why)
{
	size_t n = strlen(v);

	if (n == 0 || n >= FAMFS_CFG_PATH) {
		famfs_why_set(why, "value is empty or too long");
		return -EINVAL;
	}
	memcpy(dst, v, n + 1);
	return 0;
}

static int set_device(struct famfs_config *cfg, const char *v,
		      struct famfs_why *why)
{
	if (cfg->ndevices >= FAMFS_MAX_DEVICES) {
		famfs_why_set(why, "more than %u devices", FAMFS_MAX_DEVICES);
		return -E2BIG;
	}
	return set_str(cfg->devices[cfg->ndevices++], v, why);
}

static int set_uuid_file(struct famfs_config *cfg, const char *v,
			 struct famfs_why *why)
{
	return set_str(cfg->uuid_file, v, why);
}

static int set_mountpoint(struct famfs_config *cfg, const char *v,
			  struct famfs_why *why)
{
	return set_str(cfg->mountpoint, v, why);
}

static int pick(const char *v, const char *const *names, int n,
		struct famfs_why *why)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(v, names[i]))
			return i;
	famfs_why_set(why, "'%s' is not one of %s|%s|%s", v, names[0],
		      names[1], names[2]);
	return -EINVAL;
}

static const char *const role_names[] = { "auto", "master", "client" };
static const char *const dp_names[] = { "auto", "dax", "fallback" };

const char *famfs_role_name(enum famfs_role_cfg r)
{
	return (unsigned int)r < 3 ? role_names[r] : "invalid";
}

static int set_role(struct famfs_config *cfg, const char *v,
		    struct famfs_why *why)
{
	int r = pick(v, role_names, 3, why);

	if (r < 0)
		return r;
	cfg->role = (enum famfs_role_cfg)r;
	return 0;
}

static int set_data_path(struct famfs_config *cfg, const char *v,
			 struct famfs_why *why)
{
	int r = pick(v, dp_names, 3, why);

	if (r < 0)
		return r;
	cfg->data_path = (enum famfs_datapath)r;
	return 0;
}

static int set_size(uint64_t *dst, const char *v, struct famfs_why *why)
{
	if (famfs_parse_size(v, dst)) {
		famfs_why_set(why, "'%s' is not a size (e.g. 8M, 2m, 0x200000)", v);
		return -EINVAL;
	}
	return 0;
}

static int set_log_len(struct famfs_config *cfg, const char *v,
		       struct famfs_why *why)
{
	return set_size(&cfg->log_len, v, why);
}

static int set_alloc_unit(struct famfs_config *cfg, const char *v,
			  struct famfs_why *why)
{
	return set_size(&cfg->alloc_unit, v, why);
}

static const struct {
	const char *section, *key;
	cfg_set_fn set;
} cfg_keys[] = {
	{ "device", "path", set_device },
	{ "host", "uuid_file", set_uuid_file },
	{ "host", "role", set_role },
	{ "mkfs", "log_len", set_log_len },
	{ "mkfs", "alloc_unit", set_alloc_unit },
	{ "mount", "mountpoint", set_mountpoint },
	{ "mount", "data_path", set_data_path },
};

static int cfg_handler(void *user, const char *section, const char *key,
		       const char *value)
{
	struct cfg_parse *p = user;

	struct famfs_why why;

	for (size_t i = 0; i < sizeof(cfg_keys) / sizeof(cfg_keys[0]); i++) {
		if (strcmp(section, cfg_keys[i].section) ||
		    strcmp(key, cfg_keys[i].key))
			continue;
		if (!cfg_keys[i].set(p->cfg, value, &why))
			return 1;
		goto bad;
	}
	famfs_why_set(&why, "unknown key '%s' in section [%s]", key, section);
bad:
	/* inih may go on parsing; keep the first error, which it reports */
	if (!p->bad)
		p->why = why;
	p->bad = 1;
	return 0;
}

void famfs_config_defaults(struct famfs_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	memcpy(cfg->uuid_file, FAMFS_UUID_FILE_DEFAULT,
	       sizeof(FAMFS_UUID_FILE_DEFAULT));
	memcpy(cfg->mountpoint, FAMFS_MNT_DEFAULT, sizeof(FAMFS_MNT_DEFAULT));
	cfg->log_len = FAMFS_LOG_LEN_DEFAULT;
	cfg->alloc_unit = FAMFS_ALLOC_UNIT_DEFAULT;
}

static int cfg_validate(const struct famfs_config *cfg, struct famfs_why *why)
{
	uint64_t au = cfg->alloc_unit, ll = cfg->log_len;

	if (au < FAMFS_ALLOC_UNIT_MIN || au > FAMFS_ALLOC_UNIT_MAX ||
	    (au & (au - 1))) {
		famfs_why_set(why, "[mkfs] alloc_unit must be a power of two from 4K to 1G");
		return -EINVAL;
	}
	if (ll < FAMFS_LOG_LEN_ALIGN || ll > FAMFS_LOG_LEN_MAX ||
	    ll % FAMFS_LOG_LEN_ALIGN) {
		famfs_why_set(why, "[mkfs] log_len must be a multiple of 2M from 2M to 1G");
		return -EINVAL;
	}
	if (cfg->mountpoint[0] != '/') {
		famfs_why_set(why, "[mount] mountpoint must be an absolute path");
		return -EINVAL;
	}
	return 0;
}

static int cfg_finish(struct cfg_parse *p, int line, struct famfs_why *why)
{
	if (line < 0) {
		famfs_why_set(why, "cannot read the file");
		return -EIO;
	}
	if (line > 0) {
		famfs_why_set(why, "line %d: %s", line,
			      p->bad ? p->why.msg : "syntax error");
		return -EINVAL;
	}
	return cfg_validate(p->cfg, why);
}

int famfs_config_parse_string(struct famfs_config *cfg, const char *text,
			      struct famfs_why *why)
{
	struct cfg_parse p = { .cfg = cfg };

	return cfg_finish(&p, ini_parse_string(text, cfg_handler, &p), why);
}

/* Load @path over @cfg (call famfs_config_defaults first). */
int famfs_config_load(struct famfs_config *cfg, const char *path,
		      struct famfs_why *why)
{
	struct cfg_parse p = { .cfg = cfg };
	FILE *f = fopen(path, "re");
	int line;

	if (!f) {
		famfs_why_set(why, "cannot open: %s", strerror(errno));
		return -errno;
	}
	line = ini_parse_file(f, cfg_handler, &p);
	fclose(f);
	return cfg_finish(&p, line, why);
}

/* FAMFS_SYSTEM_UUID_FILE and FAMFS_ROLE override the file. */
int famfs_config_env(struct famfs_config *cfg, struct famfs_why *why)
{
	const char *v = getenv("FAMFS_SYSTEM_UUID_FILE");

	if (v && set_uuid_file(cfg, v, why))
		return -EINVAL;
	v = getenv("FAMFS_ROLE");
	if (v && set_role(cfg, v, why))
		return -EINVAL;
	return 0;
}

/* "4096", "0x1000", "4k", "2M", "1g", "1T" (binary units). */
int famfs_parse_size(const char *s, uint64_t *out)
{
	int hex = s && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
	const char *digits = hex ? s + 2 : s;
	unsigned long long v;
	unsigned int shift = 0;
	char *end;

	if (!s || !(hex ? isxdigit((unsigned char)*digits)
			: isdigit((unsigned char)*digits)))
		return -EINVAL;
	errno = 0;
	v = strtoull(digits, &end, hex ? 16 : 10);
	if (errno)
		return -EINVAL;
	switch (*end) {
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	case 't': case 'T': shift = 40; end++; break;
	}
	if (*end == 'i' && shift)
		end++;
	if (*end == 'b' || *end == 'B')
		end++;
	if (*end || (shift && v > (~0ull >> shift)))
		return -EINVAL;
	*out = (uint64_t)v << shift;
	return 0;
}
