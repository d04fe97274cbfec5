/* SPDX-License-Identifier: Apache-2.0 */
/*
 * String functions that invite overflows or silent truncation, banned as
 * git's banned.h bans them.  Included last by famfs.h, after every system
 * header, so a use anywhere in famfs fails to compile.
 */
#ifndef FAMFS_BANNED_H
#define FAMFS_BANNED_H

#define BANNED(func) sorry_##func##_is_a_banned_function

#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) BANNED(strncpy)
#undef strncat
#define strncat(x, y, n) BANNED(strncat)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef strtok
#define strtok(x, y) BANNED(strtok)
#undef gets
#define gets(x) BANNED(gets)

#endif /* FAMFS_BANNED_H */
