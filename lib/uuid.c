// SPDX-License-Identifier: Apache-2.0
/* The text form of a UUID, as every message and report prints it. */
#include <uuid/uuid.h>

#include "famfs.h"

void famfs_uuid_str(const uint8_t u[16], char out[FAMFS_UUID_STR])
{
	uuid_unparse_lower(u, out);
}
