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
/* What famfs init does when the payload (or its shell) exits. */
enum famfs_on_exit { FAMFS_EXIT_POWEROFF, FAMFS_EXIT_REBOOT, FAMFS_EXIT_SHELL };

#define FAMFS_INIT_PROBE_DEFAULT	10	/* seconds */
#define FAMFS_INIT_ROOT_INIT_DEFAULT	"/sbin/init"
#define FAMFS_INIT_MODULES_DEFAULT	"/lib/modules/load"

/* [init]: the appliance's PID 1 (famfs init, cmd/init.c). */
struct famfs_init_config {
	uint8_t device_uuid[16];	/* device_uuid: find the fs by UUID */
	int have_uuid;
	unsigned int probe_timeout;	/* probe_timeout, seconds */
	int format;			/* format = blank (1) | never (0) */
	char payload[FAMFS_CFG_PATH];	/* payload: command, "" = a shell */
	char root[FAMFS_CFG_PATH];	/* root: famfs path of a root tree */
	char root_init[FAMFS_CFG_PATH];	/* root_init */
	enum famfs_on_exit on_exit;	/* on_exit */
	char modules[FAMFS_CFG_PATH];	/* modules: list of .ko to load */
};

struct famfs_config {
	char devices[FAMFS_MAX_DEVICES][FAMFS_CFG_PATH]; /* [device] path */
	unsigned int ndevices;
	char scan[FAMFS_CFG_PATH];	/* [device] scan: globs, space-separated */
	int scan_set;			/* scan given in the file (appends) */
	int scan_image_dir;		/* [device] scan_image_dir */
	int set_daxmode;		/* [device] set_daxmode: fsdev_dax */
	char uuid_file[FAMFS_CFG_PATH];	/* [host] uuid_file */
	enum famfs_role_cfg role;	/* [host] role */
	uint64_t log_len;		/* [mkfs] log_len */
	uint64_t alloc_unit;		/* [mkfs] alloc_unit */
	char mountpoint[FAMFS_CFG_PATH];	/* [mount] mountpoint */
	enum famfs_datapath data_path;	/* [mount] data_path */
	struct famfs_init_config init;	/* [init] */
};

void famfs_config_defaults(struct famfs_config *cfg);
int famfs_config_parse_string(struct famfs_config *cfg, const char *text,
			      struct famfs_why *why);
int famfs_config_load(struct famfs_config *cfg, const char *path,
		      struct famfs_why *why);
int famfs_config_env(struct famfs_config *cfg, struct famfs_why *why);
int famfs_config_set(struct famfs_config *cfg, const char *section,
		     const char *key, const char *value, struct famfs_why *why);
int famfs_config_section_of(const char *key, const char **section,
			    struct famfs_why *why);
int famfs_config_check(const struct famfs_config *cfg, struct famfs_why *why);
int famfs_config_format(const struct famfs_config *cfg, char **out);
const char *famfs_on_exit_name(enum famfs_on_exit e);
/* lib/kcmdline.c: famfs.* overrides from the kernel command line */
int famfs_cmdline_apply(struct famfs_config *cfg, const char *cmdline,
			struct famfs_why *why);
int famfs_cmdline_is_harness(const char *key);
int famfs_parse_size(const char *s, uint64_t *out);
const char *famfs_role_name(enum famfs_role_cfg r);
const char *famfs_datapath_name(enum famfs_datapath dp);
int famfs_datapath_parse(const char *v, enum famfs_datapath *dp,
			 struct famfs_why *why);

#endif /* FAMFS_CONFIG_H */
