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
