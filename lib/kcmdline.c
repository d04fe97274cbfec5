// SPDX-License-Identifier: Apache-2.0
/*
 * Kernel command-line overrides of the configuration (famfs init).
 *
 *   famfs.SECTION.KEY=VALUE   any key of famfs.ini, e.g.
 *                             famfs.mount.mountpoint=/srv/famfs
 *   famfs.KEY=VALUE           a key that only one section has, e.g.
 *                             famfs.payload=/bin/app or famfs.mountpoint=/x
 *
 * Words are split at blanks; double quotes group blanks into a value
 * (famfs.payload="/bin/app -x"), as the kernel's own parser does.  The
 * first famfs.device.path replaces the file's [device] paths; later ones
 * add to it.  An unknown famfs.* key or a bad value is an error that names
 * the word.  famfs.test, famfs.expect and famfs.timeout belong to the VM
 * test harness (tests/vm/guest/init.sh) and are left alone here.
 */
#include <stdio.h>
#include <string.h>

#include "famfs_config.h"

#define WORD_MAX	(FAMFS_CFG_PATH + 128)

static const char *const harness_keys[] = { "test", "expect", "timeout" };

/* Is famfs.@key one of the VM test harness's keys? */
int famfs_cmdline_is_harness(const char *key)
{
	for (size_t i = 0; i < sizeof(harness_keys) / sizeof(harness_keys[0]); i++)
		if (!strcmp(key, harness_keys[i]))
			return 1;
	return 0;
}

/*
 * Copy the next word of *@pp into @w (quotes removed); advance *@pp.
 * Returns 1 for a word, 0 at the end, -E2BIG if it does not fit.
 */
static int next_word(const char **pp, char *w, size_t room)
{
	const char *p = *pp;
	size_t n = 0;
	int quoted = 0;

	while (*p == ' ' || *p == '\t' || *p == '\n')
		p++;
	if (!*p)
		return 0;
	for (; *p && (quoted || (*p != ' ' && *p != '\t' && *p != '\n')); p++) {
		if (*p == '"') {
			quoted = !quoted;
			continue;
		}
		if (n + 1 >= room)
			return -E2BIG;
		w[n++] = *p;
	}
	w[n] = 0;
	*pp = p;
	return 1;
}

struct cmdline_state {
	int device_seen;		/* a famfs.device.path was applied */
};

/* Apply "KEY=VALUE" (after "famfs."). */
static int apply_one(struct famfs_config *cfg, char *kv,
		     struct cmdline_state *st, struct famfs_why *why)
{
	char *eq = strchr(kv, '='), *dot;
	const char *section, *key;
	int rc;

	if (!eq) {
		famfs_why_set(why, "famfs.%s: no value (famfs.KEY=VALUE)", kv);
		return -EINVAL;
	}
	*eq = 0;
	if (famfs_cmdline_is_harness(kv))
		return 0;
	dot = strchr(kv, '.');
	if (dot) {
		*dot = 0;
		section = kv;
		key = dot + 1;
	} else {
		key = kv;
		rc = famfs_config_section_of(key, &section, why);
		if (rc)
			return rc;
	}
	if (!strcmp(section, "device") && !strcmp(key, "path") &&
	    !st->device_seen++)
		cfg->ndevices = 0;
	return famfs_config_set(cfg, section, key, eq + 1, why);
}

/*
 * Apply every famfs.* word of @cmdline to @cfg, then check the whole
 * configuration again.  Returns the number of overrides applied, or a
 * negative errno with @why naming the word: -ENOENT unknown key, -EEXIST
 * ambiguous key, -EINVAL bad value, -E2BIG word too long.
 */
int famfs_cmdline_apply(struct famfs_config *cfg, const char *cmdline,
			struct famfs_why *why)
{
	struct cmdline_state st = { 0 };
	struct famfs_why detail;
	char w[WORD_MAX], shown[64];
	const char *p = cmdline;
	size_t len;
	int n = 0, rc;

	while ((rc = next_word(&p, w, sizeof(w))) > 0) {
		if (strncmp(w, "famfs.", 6))
			continue;
		len = strcspn(w, "=");
		if (len >= sizeof(shown))
			len = sizeof(shown) - 1;
		memcpy(shown, w, len);
		shown[len] = 0;
		rc = apply_one(cfg, w + 6, &st, &detail);
		if (rc) {
			famfs_why_set(why, "%s: %s", shown, detail.msg);
			return rc;
		}
		n += !famfs_cmdline_is_harness(w + 6);
	}
	if (rc < 0) {
		famfs_why_set(why, "a word longer than %d bytes", WORD_MAX - 1);
		return rc;
	}
	rc = famfs_config_check(cfg, &detail);
	if (rc) {
		famfs_why_set(why, "after the overrides: %s", detail.msg);
		return rc;
	}
	return n;
}
