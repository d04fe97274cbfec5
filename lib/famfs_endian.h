/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Little-endian load/store for on-media fields.  Private to the decoders
 * (sb.c, log.c, entry.c): nothing else touches an __le field.
 */
#ifndef FAMFS_ENDIAN_H
#define FAMFS_ENDIAN_H

#include <endian.h>
#include <stdint.h>
#include <linux/types.h>

static inline uint16_t le16_get(__le16 v) { return le16toh((uint16_t)v); }
static inline uint32_t le32_get(__le32 v) { return le32toh((uint32_t)v); }
static inline uint64_t le64_get(__le64 v) { return le64toh((uint64_t)v); }
static inline __le16 le16_put(uint16_t v) { return (__le16)htole16(v); }
static inline __le32 le32_put(uint32_t v) { return (__le32)htole32(v); }
static inline __le64 le64_put(uint64_t v) { return (__le64)htole64(v); }

#endif /* FAMFS_ENDIAN_H */
