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
#include <uuid/uuid.h>

#include "famfs_config.h"

struct cfg_parse {
	struct famfs_config *cfg;
	struct famfs_why why;		/* the first bad key or value */
	int bad_line;			/* its line, 0 if none */
	int line;			/* line the reader returned last */
	FILE *file;			/* source: a file ... */
	const char *text;		/* ... or a string */
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

/* [device] scan: the first one replaces the default, later ones append. */
static int set_scan(struct famfs_config *cfg, const char *v,
		    struct famfs_why *why)
{
	size_t have = cfg->scan_set ? strlen(cfg->scan) : 0, n = strlen(v);

	if (have + n + 2 > sizeof(cfg->scan)) {
		famfs_why_set(why, "scan list too long");
		return -E2BIG;
	}
	if (have && n)
		cfg->scan[have++] = ' ';
	memcpy(cfg->scan + have, v, n + 1);
	cfg->scan_set = 1;
	return 0;
}

static int yes_no(const char *v, int *out, struct famfs_why *why)
{
	if (!strcmp(v, "yes") || !strcmp(v, "no")) {
		*out = !strcmp(v, "yes");
		return 0;
	}
	famfs_why_set(why, "'%s' is not yes or no", v);
	return -EINVAL;
}

static int set_scan_image_dir(struct famfs_config *cfg, const char *v,
			      struct famfs_why *why)
{
	return yes_no(v, &cfg->scan_image_dir, why);
}

static int set_daxmode(struct famfs_config *cfg, const char *v,
		       struct famfs_why *why)
{
	return yes_no(v, &cfg->set_daxmode, why);
}

static int set_uuid_file(struct famfs_config *cfg, const char *v,
			 struct famfs_why *why)
{
	return set_str(cfg->uuid_file, v, why);
}

static int set_mountpoint(struct famfs_config *cfg, const char *v,
			  struct famfs_why *why)
{
	if (v[0] != '/') {
		famfs_why_set(why, "mountpoint '%s' is not an absolute path", v);
		return -EINVAL;
	}
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
static const char *const dp_names[] = {
	[FAMFS_DP_AUTO] = "auto",
	[FAMFS_DP_DAX] = "dax",
	[FAMFS_DP_FALLBACK] = "fallback",
};

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

/* The data path's name: auto, dax, fallback (famfs.ini, mount -m). */
const char *famfs_datapath_name(enum famfs_datapath dp)
{
	return (unsigned int)dp < 3 ? dp_names[dp] : "invalid";
}

/* @v as a data path; -EINVAL and why ("... is not one of ...") if none. */
int famfs_datapath_parse(const char *v, enum famfs_datapath *dp,
			 struct famfs_why *why)
{
	int r = pick(v, dp_names, 3, why);

	if (r < 0)
		return r;
	*dp = (enum famfs_datapath)r;
	return 0;
}

static int set_data_path(struct famfs_config *cfg, const char *v,
			 struct famfs_why *why)
{
	return famfs_datapath_parse(v, &cfg->data_path, why);
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
	if (!strcmp(v, "auto")) {
		cfg->log_len = 0;	/* mkfs sizes it from the device */
		return 0;
	}
	if (set_size(&cfg->log_len, v, why))
		return -EINVAL;
	return famfs_check_log_len(cfg->log_len, why);
}

static int set_alloc_unit(struct famfs_config *cfg, const char *v,
			  struct famfs_why *why)
{
	if (set_size(&cfg->alloc_unit, v, why))
		return -EINVAL;
	return famfs_check_alloc_unit(cfg->alloc_unit, why);
}

static int set_device_uuid(struct famfs_config *cfg, const char *v,
			   struct famfs_why *why)
{
	cfg->init.have_uuid = 0;
	if (!*v)
		return 0;
	if (uuid_parse(v, cfg->init.device_uuid)) {
		famfs_why_set(why, "'%s' is not a UUID", v);
		return -EINVAL;
	}
	cfg->init.have_uuid = 1;
	return 0;
}

static int set_probe_timeout(struct famfs_config *cfg, const char *v,
			     struct famfs_why *why)
{
	char *end;
	unsigned long t;

	errno = 0;
	t = strtoul(v, &end, 10);
	if (!isdigit((unsigned char)v[0]) || *end || errno || t > 3600) {
		famfs_why_set(why, "'%s' is not a number of seconds (0 to 3600)", v);
		return -EINVAL;
	}
	cfg->init.probe_timeout = (unsigned int)t;
	return 0;
}

static int set_format(struct famfs_config *cfg, const char *v,
		      struct famfs_why *why)
{
	if (strcmp(v, "never") && strcmp(v, "blank")) {
		famfs_why_set(why, "'%s' is not one of never|blank", v);
		return -EINVAL;
	}
	cfg->init.format = !strcmp(v, "blank");
	return 0;
}

/* An empty value is allowed here: "no payload" (a shell) / "no root". */
static int set_opt_str(char *dst, const char *v, struct famfs_why *why)
{
	if (!*v) {
		dst[0] = 0;
		return 0;
	}
	return set_str(dst, v, why);
}

static int set_payload(struct famfs_config *cfg, const char *v,
		       struct famfs_why *why)
{
	return set_opt_str(cfg->init.payload, v, why);
}

static int set_root(struct famfs_config *cfg, const char *v,
		    struct famfs_why *why)
{
	return set_opt_str(cfg->init.root, v, why);
}

static int set_abs(char *dst, const char *v, struct famfs_why *why)
{
	if (v[0] != '/') {
		famfs_why_set(why, "'%s' is not an absolute path", v);
		return -EINVAL;
	}
	return set_str(dst, v, why);
}

static int set_root_init(struct famfs_config *cfg, const char *v,
			 struct famfs_why *why)
{
	return set_abs(cfg->init.root_init, v, why);
}

static int set_modules(struct famfs_config *cfg, const char *v,
		       struct famfs_why *why)
{
	return *v ? set_abs(cfg->init.modules, v, why) :
		    set_opt_str(cfg->init.modules, v, why);
}

static const char *const exit_names[] = { "poweroff", "reboot", "shell" };

const char *famfs_on_exit_name(enum famfs_on_exit e)
{
	return (unsigned int)e < 3 ? exit_names[e] : "invalid";
}

static int set_on_exit(struct famfs_config *cfg, const char *v,
		       struct famfs_why *why)
{
	int r = pick(v, exit_names, 3, why);

	if (r < 0)
		return r;
	cfg->init.on_exit = (enum famfs_on_exit)r;
	return 0;
}

static const struct {
	const char *section, *key;
	cfg_set_fn set;
} cfg_keys[] = {
	{ "device", "path", set_device },
	{ "device", "scan", set_scan },
	{ "device", "scan_image_dir", set_scan_image_dir },
	{ "device", "set_daxmode", set_daxmode },
	{ "host", "uuid_file", set_uuid_file },
	{ "host", "role", set_role },
	{ "mkfs", "log_len", set_log_len },
	{ "mkfs", "alloc_unit", set_alloc_unit },
	{ "mount", "mountpoint", set_mountpoint },
	{ "mount", "data_path", set_data_path },
	{ "init", "device_uuid", set_device_uuid },
	{ "init", "probe_timeout", set_probe_timeout },
	{ "init", "format", set_format },
	{ "init", "payload", set_payload },
	{ "init", "root", set_root },
	{ "init", "root_init", set_root_init },
	{ "init", "on_exit", set_on_exit },
	{ "init", "modules", set_modules },
};

#define NKEYS (sizeof(cfg_keys) / sizeof(cfg_keys[0]))

/*
 * Set one (section, key): -ENOENT for an unknown key, -EINVAL (with the
 * reason) for a bad value.
 */
int famfs_config_set(struct famfs_config *cfg, const char *section,
		     const char *key, const char *value, struct famfs_why *why)
{
	struct famfs_why detail;

	for (size_t i = 0; i < NKEYS; i++) {
		if (strcmp(section, cfg_keys[i].section) ||
		    strcmp(key, cfg_keys[i].key))
			continue;
		if (!cfg_keys[i].set(cfg, value, &detail))
			return 0;
		famfs_why_set(why, "[%s] %s: %s", section, key, detail.msg);
		return -EINVAL;
	}
	famfs_why_set(why, "unknown key '%s' in section [%s]", key, section);
	return -ENOENT;
}

/* The one section that has @key: -ENOENT if none, -EEXIST if several. */
int famfs_config_section_of(const char *key, const char **section,
			    struct famfs_why *why)
{
	int n = 0;

	for (size_t i = 0; i < NKEYS; i++) {
		if (strcmp(key, cfg_keys[i].key))
			continue;
		if (n++)
			break;
		*section = cfg_keys[i].section;
	}
	if (n == 1)
		return 0;
	famfs_why_set(why, n ? "key '%s' is in several sections: name one" :
		      "unknown key '%s'", key);
	return n ? -EEXIST : -ENOENT;
}

static int cfg_handler(void *user, const char *section, const char *key,
		       const char *value)
{
	struct cfg_parse *p = user;
	struct famfs_why why;

	if (!famfs_config_set(p->cfg, section, key, value, &why))
		return 1;
	/* inih may go on parsing: keep the first error, with its line */
	if (!p->bad_line) {
		p->why = why;
		p->bad_line = p->line;
	}
	return 0;
}

/* Line readers that count lines, so a handler knows where it is. */
static char *read_line(char *str, int num, void *stream)
{
	struct cfg_parse *p = stream;
	const char *nl;
	size_t n;

	if (p->file) {
		if (!fgets(str, num, p->file))
			return NULL;
		n = strlen(str);
		if (n && str[n - 1] == '\n')
			p->line++;
		else if (feof(p->file))
			p->line++;
		return str;
	}
	if (!*p->text || num < 2)
		return NULL;
	nl = strchr(p->text, '\n');
	n = nl ? (size_t)(nl - p->text) + 1 : strlen(p->text);
	if (n > (size_t)num - 1)
		n = (size_t)num - 1;
	memcpy(str, p->text, n);
	str[n] = 0;
	if (str[n - 1] == '\n' || !p->text[n])
		p->line++;
	p->text += n;
	return str;
}

void famfs_config_defaults(struct famfs_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	memcpy(cfg->uuid_file, FAMFS_UUID_FILE_DEFAULT,
	       sizeof(FAMFS_UUID_FILE_DEFAULT));
	memcpy(cfg->mountpoint, FAMFS_MNT_DEFAULT, sizeof(FAMFS_MNT_DEFAULT));
	memcpy(cfg->scan, FAMFS_SCAN_DEFAULT, sizeof(FAMFS_SCAN_DEFAULT));
	cfg->scan_image_dir = 1;
	cfg->log_len = 0;		/* auto: famfs_auto_log_len() */
	cfg->alloc_unit = FAMFS_ALLOC_UNIT_DEFAULT;
	cfg->init.probe_timeout = FAMFS_INIT_PROBE_DEFAULT;
	memcpy(cfg->init.root_init, FAMFS_INIT_ROOT_INIT_DEFAULT,
	       sizeof(FAMFS_INIT_ROOT_INIT_DEFAULT));
	memcpy(cfg->init.modules, FAMFS_INIT_MODULES_DEFAULT,
	       sizeof(FAMFS_INIT_MODULES_DEFAULT));
}

/* Rules that involve more than one key; also after overrides. */
int famfs_config_check(const struct famfs_config *cfg, struct famfs_why *why)
{
	if ((cfg->log_len && famfs_check_log_len(cfg->log_len, why)) ||
	    famfs_check_alloc_unit(cfg->alloc_unit, why))
		return -EINVAL;
	if (cfg->mountpoint[0] != '/') {
		famfs_why_set(why, "mountpoint is not an absolute path");
		return -EINVAL;
	}
	if (cfg->init.payload[0] && cfg->init.root[0]) {
		famfs_why_set(why, "[init] payload and root exclude each other");
		return -EINVAL;
	}
	return 0;
}

static int cfg_parse(struct cfg_parse *p, struct famfs_why *why)
{
	int line = ini_parse_stream(read_line, p, cfg_handler, p);

	if (line < 0) {
		famfs_why_set(why, "cannot read the file");
		return -EIO;
	}
	if (line > 0) {
		if (p->bad_line == line)
			famfs_why_set(why, "line %d: %s", line, p->why.msg);
		else
			famfs_why_set(why, "line %d: syntax error", line);
		return -EINVAL;
	}
	return famfs_config_check(p->cfg, why);
}

int famfs_config_parse_string(struct famfs_config *cfg, const char *text,
			      struct famfs_why *why)
{
	struct cfg_parse p = { .cfg = cfg, .text = text };

	return cfg_parse(&p, why);
}

/* Load @path over @cfg (call famfs_config_defaults first). */
int famfs_config_load(struct famfs_config *cfg, const char *path,
		      struct famfs_why *why)
{
	struct cfg_parse p = { .cfg = cfg };
	int rc;

	p.file = fopen(path, "re");
	if (!p.file) {
		famfs_why_set(why, "cannot open: %s", strerror(errno));
		return -errno;
	}
	rc = cfg_parse(&p, why);
	fclose(p.file);
	return rc;
}

/*
 * The whole configuration as ini text that famfs_config_load() reads back
 * to the same values: what famfs init hands to the commands it starts
 * (FAMFS_CONFIG), so overrides from the kernel command line reach them.
 * Returns a malloc'd string in *out, or -ENOMEM.
 */
int famfs_config_format(const struct famfs_config *c, char **out)
{
	const struct famfs_init_config *i = &c->init;
	char u[FAMFS_UUID_STR] = "";
	size_t len;
	FILE *f;

	*out = NULL;
	f = open_memstream(out, &len);
	if (!f)
		return -ENOMEM;
	fputs("[device]\n", f);
	for (unsigned int d = 0; d < c->ndevices; d++)
		fprintf(f, "path = %s\n", c->devices[d]);
	fprintf(f, "scan = %s\nscan_image_dir = %s\nset_daxmode = %s\n",
		c->scan, c->scan_image_dir ? "yes" : "no",
		c->set_daxmode ? "yes" : "no");
	fprintf(f, "[host]\nuuid_file = %s\nrole = %s\n", c->uuid_file,
		famfs_role_name(c->role));
	if (c->log_len)
		fprintf(f, "[mkfs]\nlog_len = %llu\n",
			(unsigned long long)c->log_len);
	else
		fputs("[mkfs]\nlog_len = auto\n", f);
	fprintf(f, "alloc_unit = %llu\n", (unsigned long long)c->alloc_unit);
	fprintf(f, "[mount]\nmountpoint = %s\ndata_path = %s\n",
		c->mountpoint, famfs_datapath_name(c->data_path));
	if (i->have_uuid)
		famfs_uuid_str(i->device_uuid, u);
	fprintf(f, "[init]\ndevice_uuid = %s\nprobe_timeout = %u\n"
		"format = %s\npayload = %s\nroot = %s\nroot_init = %s\n"
		"on_exit = %s\nmodules = %s\n", u, i->probe_timeout,
		i->format ? "blank" : "never", i->payload, i->root,
		i->root_init, famfs_on_exit_name(i->on_exit), i->modules);
	if (fclose(f)) {
		free(*out);
		*out = NULL;
		return -ENOMEM;
	}
	return 0;
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
