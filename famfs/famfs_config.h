/* SPDX-License-Identifier: Apache-2.0 */
/* conf/famfs.ini (config.c): parsed with inih, validated as a whole. */
#ifndef FAMFS_CONFIG_H
#define FAMFS_CONFIG_H

#include "famfs.h"

#define FAMFS_CONFIG_DEFAULT	"/etc/famfs.ini"
#define FAMFS_UUID_FILE_DEFAULT	"/opt/famfs/system_uuid"
#define FAMFS_MNT_DEFAULT	"/mnt/famfs"
#define FAMFS_CFG_PATH		4096
#define FAMFS_SCAN_DEFAULT	"/dev/pmem* /dev/dax*"

enum famfs_role_cfg { FAMFS_ROLE_AUTO, FAMFS_ROLE_MASTER, FAMFS_ROLE_CLIENT };
enum famfs_datapath { FAMFS_DP_AUTO, FAMFS_DP_DAX, FAMFS_DP_FALLBACK };

struct famfs_config {
	char devices[FAMFS_MAX_DEVICES][FAMFS_CFG_PATH]; /* [device] path */
	unsigned int ndevices;
	char scan[FAMFS_CFG_PATH];	/* [device] scan: globs, space-separated */
	int scan_set;			/* scan given in the file (appends) */
	int scan_image_dir;		/* [device] scan_image_dir */
	char uuid_file[FAMFS_CFG_PATH];	/* [host] uuid_file */
	enum famfs_role_cfg role;	/* [host] role */
	uint64_t log_len;		/* [mkfs] log_len */
	uint64_t alloc_unit;		/* [mkfs] alloc_unit */
	char mountpoint[FAMFS_CFG_PATH];	/* [mount] mountpoint */
	enum famfs_datapath data_path;	/* [mount] data_path */
};

void famfs_config_defaults(struct famfs_config *cfg);
int famfs_config_parse_string(struct famfs_config *cfg, const char *text,
			      struct famfs_why *why);
int famfs_config_load(struct famfs_config *cfg, const char *path,
		      struct famfs_why *why);
int famfs_config_env(struct famfs_config *cfg, struct famfs_why *why);
int famfs_parse_size(const char *s, uint64_t *out);
const char *famfs_role_name(enum famfs_role_cfg r);

#endif /* FAMFS_CONFIG_H */
