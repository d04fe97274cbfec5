// SPDX-License-Identifier: Apache-2.0
/* The library's only channel for human-readable detail: struct famfs_why. */
#include <stdio.h>

#include "famfs.h"

void famfs_why_set(struct famfs_why *why, const char *fmt, ...)
{
	va_list ap;

	if (!why)
		return;
	va_start(ap, fmt);
	vsnprintf(why->msg, sizeof(why->msg), fmt, ap);
	va_end(ap);
}

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
