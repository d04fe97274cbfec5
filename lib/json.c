// SPDX-License-Identifier: Apache-2.0
/*
 * The flat JSON of the control protocol: quoting a string for the server's
 * replies, and reading members of a reply for the commands.  Not a general
 * parser: a member is found by name wherever it first appears, which is
 * what the server's flat objects (and its one array of flat objects) need.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "famfs_json.h"

/*
 * @s as a JSON string literal, quotes included, into @buf (truncated to
 * fit, always terminated).  Returns @buf.
 */
char *famfs_json_quote(char *buf, size_t len, const char *s)
{
	size_t o = 0;

	if (len < 3)
		return buf;
	buf[o++] = '"';
	for (; *s && o + 8 < len; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			o += (size_t)snprintf(buf + o, len - o, "\\%c", c);
		else if (c < 0x20)
			o += (size_t)snprintf(buf + o, len - o, "\\u%04x", c);
		else
			buf[o++] = (char)c;
	}
	buf[o++] = '"';
	buf[o] = 0;
	return buf;
}

/* The closing quote of the JSON string whose opening quote is at @p. */
static const char *json_str_end(const char *p)
{
	for (p++; *p && *p != '"'; p++)
		if (*p == '\\' && p[1])
			p++;
	return *p ? p : NULL;
}

static const char *skip_space(const char *p)
{
	while (isspace((unsigned char)*p))
		p++;
	return p;
}

/* Where the value of the first member named @key starts, or NULL. */
const char *famfs_json_value(const char *js, const char *key)
{
	size_t n = strlen(key);
	const char *p = js, *e, *v;

	while ((p = strchr(p, '"')) != NULL) {
		e = json_str_end(p);
		if (!e)
			return NULL;
		v = skip_space(e + 1);
		if (*v == ':' && (size_t)(e - p - 1) == n && !memcmp(p + 1, key, n))
			return skip_space(v + 1);
		p = e + 1;
	}
	return NULL;
}

int famfs_json_u64(const char *js, const char *key, uint64_t *val)
{
	const char *v = famfs_json_value(js, key);
	char *end;

	if (!v || !isdigit((unsigned char)*v))
		return -ENOENT;
	errno = 0;
	*val = strtoull(v, &end, 10);
	return errno ? -errno : 0;
}

static char json_unescape(const char **pp)
{
	const char *p = *pp;
	unsigned int u = 0;

	*pp = p + 1;
	switch (*p) {
	case 'n': return '\n';
	case 't': return '\t';
	case 'r': return '\r';
	case 'b': return '\b';
	case 'f': return '\f';
	case 'u':
		if (sscanf(p + 1, "%4x", &u) == 1 && strlen(p + 1) >= 4)
			*pp = p + 5;
		return u && u < 0x80 ? (char)u : '?';
	default: return *p;		/* \" \\ \/ */
	}
}

/* A string member, unescaped (non-ASCII \u escapes become '?'). */
int famfs_json_str(const char *js, const char *key, char *out, size_t len)
{
	const char *v = famfs_json_value(js, key);
	size_t n = 0;

	if (!v || *v != '"' || !len)
		return -ENOENT;
	for (v++; *v && *v != '"'; ) {
		char c = *v++;

		if (c == '\\' && *v)
			c = json_unescape(&v);
		if (n + 1 < len)
			out[n++] = c;
	}
	out[n] = 0;
	return 0;
}
