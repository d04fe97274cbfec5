// SPDX-License-Identifier: Apache-2.0
/*
 * This host's system UUID: the identity that makes a host the master of a
 * filesystem (the superblock names the master's UUID).  Kept in a file,
 * /opt/famfs/system_uuid by default, created on first use (dir 0755, file
 * 0444) as upstream famfs does.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <uuid/uuid.h>

#include "famfs.h"

static int mkdir_parents(const char *file)
{
	char dir[PATH_MAX];
	size_t n = strlen(file);

	if (n >= sizeof(dir))
		return -ENAMETOOLONG;
	memcpy(dir, file, n + 1);
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(dir, 0755) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	return 0;
}

static int hostid_create(const char *file, uint8_t uuid[16],
			 struct famfs_why *why)
{
	char text[40];
	int fd, rc;
	ssize_t n;

	rc = mkdir_parents(file);
	if (rc) {
		famfs_why_set(why, "cannot create the directory of %s: %s",
			      file, strerror(-rc));
		return rc;
	}
	uuid_generate(uuid);
	uuid_unparse_lower(uuid, text);
	text[36] = '\n';
	fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0444);
	if (fd < 0) {
		rc = -errno;
		if (rc == -EEXIST)	/* another process won the race */
			return famfs_hostid_get(file, 0, uuid, why);
		famfs_why_set(why, "cannot create %s: %s", file, strerror(errno));
		return rc;
	}
	n = write(fd, text, 37);
	rc = (n == 37 && fsync(fd) == 0) ? 0 : -EIO;
	close(fd);
	if (rc)
		famfs_why_set(why, "cannot write %s", file);
	return rc;
}

int famfs_hostid_get(const char *file, int create, uint8_t uuid[16],
		     struct famfs_why *why)
{
	char text[64];
	FILE *f = fopen(file, "re");

	if (!f) {
		if (errno == ENOENT && create)
			return hostid_create(file, uuid, why);
		famfs_why_set(why, "cannot read the system UUID from %s: %s",
			      file, strerror(errno));
		return -errno;
	}
	if (!fgets(text, sizeof(text), f)) {
		int rc = ferror(f) ? -errno : -EINVAL;

		fclose(f);
		if (rc == -EINVAL)
			famfs_why_set(why, "%s is empty", file);
		else
			famfs_why_set(why, "cannot read the system UUID from %s: %s",
				      file, strerror(-rc));
		return rc;
	}
	fclose(f);
	text[strcspn(text, " \t\r\n")] = 0;
	if (uuid_parse(text, uuid)) {
		famfs_why_set(why, "%s does not hold a UUID", file);
		return -EINVAL;
	}
	return 0;
}
