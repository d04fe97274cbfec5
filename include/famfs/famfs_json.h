/* SPDX-License-Identifier: Apache-2.0 */
/* The control protocol's flat JSON: write a string, read members (json.c). */
#ifndef FAMFS_JSON_H
#define FAMFS_JSON_H

#include <stddef.h>
#include <stdint.h>

char *famfs_json_quote(char *buf, size_t len, const char *s);
const char *famfs_json_value(const char *js, const char *key);
int famfs_json_u64(const char *js, const char *key, uint64_t *val);
int famfs_json_str(const char *js, const char *key, char *out, size_t len);

#endif /* FAMFS_JSON_H */
