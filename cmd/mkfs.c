// SPDX-License-Identifier: Apache-2.0
/*
 * famfs mkfs / mkfs.famfs: its own state machine (famfs_mkfs_machine),
 *   init -start-> probe -ok-> check -format-> format -ok-> verify -done-> stop
 *                             check -kill-> kill -done-> stop
 *   any -error-> failed -done-> stop
 * Every refusal happens before the first write (probe, check); stop's entry
 * action closes what probe and format opened.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cmd.h"
#include "famfs_fs.h"
#include "famfs_mkfs.h"
#include "famfs_sm.h"
#include "machines.h"

const char famfs_mkfs_usage[] =
	"usage: famfs mkfs [options] DEVICE [DEVICE...]\n"
	"       mkfs.famfs [options] DEVICE [DEVICE...]\n\n"
	"Create a famfs filesystem on DEVICE: a memory image file, /dev/pmemN or\n"
	"/dev/daxN.M.  Only the superblock and the log are written; file data\n"
	"is never touched.  This host becomes the filesystem's master.\n"
	"With several devices the first is the primary (superblock and log) and\n"
	"each other one gets a secondary superblock and an ADD_DAXDEV log entry,\n"
	"indices 1, 2, ... in the order given.  Every device is checked before\n"
	"any is written.\n\n"
	"Options:\n"
	"  -f, --force            overwrite an existing famfs filesystem\n"
	"  -k, --kill             with -f: only invalidate the superblock\n"
	"  -l, --loglen SIZE      log length, a multiple of 2M up to 1G, or auto\n"
	"                         (default auto: 1/256 of the device, about one\n"
	"                         file per 64K, at least 8M, at most 512M)\n"
	"  -a, --alloc-unit SIZE  allocation unit, a power of two from 4K to 1G\n"
	"                         (default 2M).  Files smaller than the unit are\n"
	"                         packed at 4K granularity in units set aside\n"
	"                         for small files; files of 2M and more start\n"
	"                         2M-aligned\n"
	"  -v, --verbose          show state transitions\n"
	"  -h, -?, --help         this text\n\n"
	"Upstream famfs's flags, accepted so its scripts run unchanged:\n"
	"      --fuse             FUSE mode: the only mode here; no effect\n"
	"  -F, --nofuse           refused: there is no standalone (v1) kernel\n"
	"                         module mode (also FAMFS_MODE=v1)\n"
	"  -M, --set-daxmode      put each device-dax DEVICE in famfs mode first:\n"
	"                         bind it to fsdev_dax, so that mounts get DAX\n"
	"                         (a no-op when it is; a note for an image file\n"
	"                         or pmem).  Without -M a device is formatted in\n"
	"                         the mode it is in\n"
	"  -D, --nodax            no effect: mkfs never needs a dummy mount\n\n"
	"A device-dax device in system-ram mode (kmem) or with an align below\n"
	"2M is refused.\n"
	"DEVICE defaults to the [device] paths of the configuration.\n"
	"Exit: 0 created, 1 refused or failed (nothing was changed when\n"
	"refused), 2 usage error.\n";

struct mkfs_ctx {
	struct famfs_ctx *ctx;
	const char *path;		/* the primary: paths[0] */
	const char *paths[FAMFS_MAX_DEVICES];
	unsigned int ndev;
	int force, kill, set_daxmode;
	uint64_t log_len, alloc_unit;
	struct famfs_dev devs[FAMFS_MAX_DEVICES];
	struct famfs_sb_info sb;	/* the primary's */
	struct famfs_fs fs;		/* the new filesystem, to add devices */
	struct timespec t0;
};

/* The same device twice is refused (before the locks would say "in use"). */
static int mkfs_distinct(struct mkfs_ctx *m)
{
	struct stat st[FAMFS_MAX_DEVICES];

	for (unsigned int i = 0; i < m->ndev; i++) {
		if (stat(m->paths[i], &st[i])) {
			famfs_err(m->ctx, "cannot open '%s': %s", m->paths[i],
				  strerror(errno));
			return -errno;
		}
		for (unsigned int j = 0; j < i; j++) {
			if (st[i].st_ino == st[j].st_ino &&
			    st[i].st_dev == st[j].st_dev &&
			    st[i].st_rdev == st[j].st_rdev) {
				famfs_err(m->ctx, "%s: the same device as %s",
					  m->paths[i], m->paths[j]);
				return -EINVAL;
			}
		}
	}
	return 0;
}

/* Open every device exclusively. */
static enum famfs_event mkfs_probe(struct famfs_sm *sm)
{
	struct mkfs_ctx *m = sm->ctx;
	struct famfs_why why = { "" };

	if (mkfs_distinct(m))
		return FAMFS_EV_ERROR;
	for (unsigned int i = 0; i < m->ndev; i++) {
		const char *p = m->paths[i];

		if (famfs_dev_in_use(p, &why) > 0) {
			famfs_err(m->ctx, "%s: %s", p, why.msg);
			return FAMFS_EV_ERROR;
		}
		if (m->set_daxmode && famfs_set_daxmode(m->ctx, p))
			return FAMFS_EV_ERROR;
		if (famfs_dev_open(&m->devs[i], p, FAMFS_DEV_RDWR | FAMFS_DEV_EXCL,
				   &why)) {
			famfs_err(m->ctx, "cannot open '%s': %s", p, why.msg);
			return FAMFS_EV_ERROR;
		}
		famfs_verbose(m->ctx, "%s: %s, %" PRIu64 " bytes", p,
			      famfs_dev_kind_name(m->devs[i].kind),
			      m->devs[i].size);
	}
	return FAMFS_EV_OK;
}

/* Refuse (unless -f) a device that holds a famfs superblock. */
static int mkfs_refuse(struct mkfs_ctx *m, unsigned int i)
{
	struct famfs_why why = { "" };
	struct famfs_sb_info sb;
	char fs[37], master[37];
	int rc;

	famfs_invalidate(m->devs[i].base, FAMFS_SB_SIZE);
	rc = famfs_sb_decode(m->devs[i].base, m->devs[i].size, &sb, &why);
	if (rc == -ENODATA || m->force)
		return 0;
	if (rc) {
		famfs_err(m->ctx, "%s: holds a damaged famfs superblock (%s); use -f to overwrite it",
			  m->paths[i], why.msg);
		return -EEXIST;
	}
	famfs_uuid_str(sb.fs_uuid, fs);
	famfs_uuid_str(sb.master_uuid, master);
	famfs_err(m->ctx, "%s: already holds famfs filesystem %s (%s device %u, master %s); use -f to overwrite it",
		  m->paths[i], fs, famfs_sb_is_primary(&sb) ? "primary" : "secondary",
		  sb.dev_index, master);
	return -EEXIST;
}

/* Refuse (unless -f) any device that holds famfs; then format or kill. */
static enum famfs_event mkfs_check(struct famfs_sm *sm)
{
	struct mkfs_ctx *m = sm->ctx;
	int refused = 0;

	for (unsigned int i = 0; i < m->ndev; i++)
		refused |= mkfs_refuse(m, i) != 0;
	if (refused)
		return FAMFS_EV_ERROR;
	return m->kill ? FAMFS_EV_KILL : FAMFS_EV_FORMAT;
}

static void mkfs_summary(const struct mkfs_ctx *m);

/* The new superblock reads back; then say what was made. */
static enum famfs_event mkfs_verify(struct famfs_sm *sm)
{
	struct mkfs_ctx *m = sm->ctx;
	struct famfs_why why = { "" };

	famfs_invalidate(m->fs.dev.base, FAMFS_SB_SIZE);
	if (famfs_sb_decode(m->fs.dev.base, m->fs.dev.size, &m->sb, &why)) {
		famfs_err(m->ctx, "%s: the new superblock does not read back: %s",
			  m->path, why.msg);
		return FAMFS_EV_ERROR;
	}
	mkfs_summary(m);
	return FAMFS_EV_DONE;
}

static enum famfs_event mkfs_kill(struct famfs_sm *sm)
{
	struct mkfs_ctx *m = sm->ctx;
	struct famfs_why why = { "" };

	for (unsigned int i = 0; i < m->ndev; i++) {
		if (famfs_kill_super(&m->devs[i], &why)) {
			famfs_err(m->ctx, "%s: %s", m->paths[i], why.msg);
			return FAMFS_EV_ERROR;
		}
		printf("famfs mkfs: %s: superblock invalidated\n", m->paths[i]);
	}
	return FAMFS_EV_DONE;
}

/* Every check that needs no write, for every device. */
static int mkfs_plan(struct mkfs_ctx *m, struct famfs_mkfs_opts *o)
{
	struct famfs_why why = { "" };
	struct famfs_sb_info sec;

	if (famfs_mkfs_plan(&m->devs[0], o, &m->sb, &why)) {
		famfs_err(m->ctx, "%s: %s", m->path, why.msg);
		return -EINVAL;
	}
	for (unsigned int i = 1; i < m->ndev; i++) {
		if (famfs_mkfs_plan_secondary(&m->devs[i], &m->sb, i, &sec,
					      &why)) {
			famfs_err(m->ctx, "%s: %s", m->paths[i], why.msg);
			return -EINVAL;
		}
	}
	if (famfs_hostid_get(m->ctx->cfg.uuid_file, 1, o->master_uuid, &why)) {
		famfs_err(m->ctx, "%s", why.msg);
		return -EIO;
	}
	memcpy(m->sb.master_uuid, o->master_uuid, 16);
	return 0;
}

/* Primary first (superblock last), then each secondary and its entry. */
static int mkfs_write(struct mkfs_ctx *m)
{
	struct famfs_why why = { "" };
	struct famfs_scan scan;
	uint32_t idx;

	if (famfs_mkfs_write(&m->devs[0], &m->sb, &why)) {
		famfs_err(m->ctx, "%s: write failed: %s", m->path, why.msg);
		return -EIO;
	}
	m->fs.dev = m->devs[0];		/* the filesystem owns it now */
	m->devs[0].open = 0;
	if (famfs_sb_decode(m->fs.dev.base, m->fs.dev.size, &m->fs.sb, &why) ||
	    famfs_fs_attach(&m->fs, &why) ||
	    famfs_fs_replay(&m->fs, &scan, &why) < 0) {
		famfs_err(m->ctx, "%s: the new filesystem does not open: %s",
			  m->path, why.msg);
		return -EIO;
	}
	for (unsigned int i = 1; i < m->ndev; i++) {
		if (famfs_fs_add_device(&m->fs, &m->devs[i], 1, &idx, &why)) {
			famfs_err(m->ctx, "%s: cannot add it as device %u: %s",
				  m->paths[i], i, why.msg);
			return -EIO;
		}
	}
	return 0;
}

static enum famfs_event mkfs_format(struct famfs_sm *sm)
{
	struct mkfs_ctx *m = sm->ctx;
	struct famfs_mkfs_opts o = {
		.log_len = m->log_len,
		.alloc_unit = m->alloc_unit,
		.mkfs_time = (uint64_t)time(NULL),
	};

	if (mkfs_plan(m, &o) || mkfs_write(m))
		return FAMFS_EV_ERROR;
	return FAMFS_EV_OK;
}

static enum famfs_event mkfs_failed(struct famfs_sm *sm)
{
	(void)sm;
	return FAMFS_EV_DONE;
}

/* Close what probe opened and what format made, on every path. */
static enum famfs_event mkfs_stop(struct famfs_sm *sm)
{
	struct mkfs_ctx *m = sm->ctx;

	for (unsigned int i = 0; i < m->ndev; i++)
		famfs_dev_close(&m->devs[i]);
	famfs_fs_close(&m->fs);
	return FAMFS_EV_NONE;
}

#define EV(e) FAMFS_SM_EV(e)

static const struct famfs_sm_state mkfs_states[] = {
	[MKFS_ST_INIT] = { "init", NULL, NULL, 0, EV(START) },
	[MKFS_ST_PROBE] = { "probe", mkfs_probe, NULL, EV(OK) | EV(ERROR), 0 },
	[MKFS_ST_CHECK] = { "check", mkfs_check, NULL,
			    EV(FORMAT) | EV(KILL) | EV(ERROR), 0 },
	[MKFS_ST_FORMAT] = { "format", mkfs_format, NULL, EV(OK) | EV(ERROR), 0 },
	[MKFS_ST_KILL] = { "kill", mkfs_kill, NULL, EV(DONE) | EV(ERROR), 0 },
	[MKFS_ST_VERIFY] = { "verify", mkfs_verify, NULL, EV(DONE) | EV(ERROR), 0 },
	[MKFS_ST_FAILED] = { "failed", mkfs_failed, NULL, EV(DONE), 0 },
	[MKFS_ST_STOP] = { "stop", mkfs_stop, NULL, 0, 0 },
};

_Static_assert(FAMFS_SM_COUNT(mkfs_states) == _MKFS_ST_MAX,
	       "mkfs state table");

static const struct famfs_sm_rule mkfs_rules[] = {
	{ MKFS_ST_INIT, FAMFS_EV_START, MKFS_ST_PROBE },
	{ MKFS_ST_PROBE, FAMFS_EV_OK, MKFS_ST_CHECK },
	{ MKFS_ST_CHECK, FAMFS_EV_FORMAT, MKFS_ST_FORMAT },
	{ MKFS_ST_CHECK, FAMFS_EV_KILL, MKFS_ST_KILL },
	{ MKFS_ST_FORMAT, FAMFS_EV_OK, MKFS_ST_VERIFY },
	{ MKFS_ST_VERIFY, FAMFS_EV_DONE, MKFS_ST_STOP },
	{ MKFS_ST_KILL, FAMFS_EV_DONE, MKFS_ST_STOP },
	{ MKFS_ST_FAILED, FAMFS_EV_DONE, MKFS_ST_STOP },
};

const struct famfs_sm_def famfs_mkfs_machine =
	FAMFS_SM_DEF("mkfs", mkfs_states, mkfs_rules, MKFS_ST_INIT, MKFS_ST_STOP,
		     MKFS_ST_FAILED, MKFS_ST_STOP);

static void mkfs_summary(const struct mkfs_ctx *m)
{
	const struct famfs_sb_info *s = &m->sb;
	struct famfs_entry sample = {
		.type = FAMFS_ENTRY_FILE, .file.nextents = 1, .path_len = 40,
	};
	uint64_t entries = (s->log_len - FAMFS_LOG_ENTRIES) /
			   (uint64_t)famfs_entry_size(&sample);
	char a[32], b[32], c[32], d[32], fs[37], dev[37], master[37];
	struct timespec t1;
	double ms;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (double)(t1.tv_sec - m->t0.tv_sec) * 1e3 +
	     (double)(t1.tv_nsec - m->t0.tv_nsec) / 1e6;
	famfs_uuid_str(s->fs_uuid, fs);
	famfs_uuid_str(s->dev_uuid, dev);
	famfs_uuid_str(s->master_uuid, master);
	printf("famfs mkfs: created famfs on %s (%s)\n"
	       "  filesystem UUID  %s\n"
	       "  device UUID      %s\n"
	       "  master (host)    %s\n"
	       "  device size      %s\n"
	       "  allocation unit  %s\n"
	       "  log              %s%s (room for %" PRIu64 " one-extent files with 40-byte paths)\n"
	       "  small files      %s\n"
	       "  data             %s from offset %#" PRIx64 "\n",
	       m->path, famfs_dev_kind_name(m->fs.dev.kind), fs, dev, master,
	       famfs_human(s->dev_size, a, sizeof(a)),
	       famfs_human(s->alloc_unit, b, sizeof(b)),
	       famfs_human(s->log_len, c, sizeof(c)),
	       m->log_len ? "" : " (auto: 1/256 of the device, 8M to 512M)",
	       entries,
	       s->incompat & FAMFS_FEATURE_PACKED ?
	       "packed at 4K granularity; files of 2M and more 2M-aligned" :
	       "one allocation unit or more each (not packed)",
	       famfs_human(s->dev_size - s->data_offset, d, sizeof(d)),
	       s->data_offset);
	for (uint32_t i = 1; i < m->fs.ndevs; i++) {
		const struct famfs_devslot *ds = &m->fs.devs[i];

		famfs_uuid_str(ds->uuid, dev);
		printf("  device %-2u        %s (%s), UUID %s, %s of data\n", i,
		       m->paths[i], famfs_dev_kind_name(ds->dev ? ds->dev->kind :
							 FAMFS_DEV_FILE),
		       dev, famfs_human(ds->size - ds->data_offset, a, sizeof(a)));
	}
	printf("  time             %.1f ms\n", ms);
}

static const struct option mkfs_opts[] = {
	{ "force", no_argument, NULL, 'f' },
	{ "kill", no_argument, NULL, 'k' },
	{ "loglen", required_argument, NULL, 'l' },
	{ "alloc-unit", required_argument, NULL, 'a' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ "fuse", no_argument, NULL, FAMFS_OPT_FUSE },
	{ "nofuse", no_argument, NULL, 'F' },
	{ "set-daxmode", no_argument, NULL, 'M' },
	{ "nodax", no_argument, NULL, 'D' },
	{ NULL, 0, NULL, 0 },
};

static int mkfs_args(struct mkfs_ctx *m, int argc, char **argv)
{
	struct famfs_why why = { "not a size (e.g. 8M, 2m, 0x200000)" };
	struct famfs_ctx *ctx = m->ctx;
	int opt;

	while ((opt = famfs_getopt(argc, argv, mkfs_opts)) != -1) {
		switch (opt) {
		case 'f': m->force = 1; break;
		case 'k': m->kill = 1; break;
		case 'v': ctx->verbose++; break;
		case 'h': case FAMFS_OPT_HELP: return famfs_show_help(ctx);
		case FAMFS_OPT_FUSE: ctx->mode_opt = FAMFS_MODE_FUSE; break;
		case 'F': ctx->mode_opt = FAMFS_MODE_V1; break;
		case 'M': m->set_daxmode = 1; break;
		case 'D': break;	/* upstream: nothing to do here */
		case 'l':
			m->log_len = 0;
			if (strcmp(optarg, "auto") &&
			    (famfs_parse_size(optarg, &m->log_len) ||
			     famfs_check_log_len(m->log_len, &why)))
				return famfs_usage_error(ctx, "bad log length '%s': %s",
							 optarg, why.msg);
			break;
		case 'a':
			if (famfs_parse_size(optarg, &m->alloc_unit) ||
			    famfs_check_alloc_unit(m->alloc_unit, &why))
				return famfs_usage_error(ctx, "bad allocation unit '%s': %s",
							 optarg, why.msg);
			break;
		default:
			return famfs_bad_option(ctx);
		}
	}
	opt = famfs_mode_check(ctx);
	if (opt)
		return opt;
	if (m->kill && !m->force)
		return famfs_usage_error(ctx, "-k/--kill needs -f/--force");
	if (argc - optind > (int)FAMFS_MAX_DEVICES)
		return famfs_usage_error(ctx, "at most %u devices", FAMFS_MAX_DEVICES);
	for (int i = optind; i < argc; i++)
		m->paths[m->ndev++] = argv[i];
	for (unsigned int i = 0; !m->ndev && i < ctx->cfg.ndevices; i++)
		m->paths[i] = ctx->cfg.devices[i];
	if (!m->ndev)
		m->ndev = ctx->cfg.ndevices;
	if (!m->ndev)
		return famfs_usage_error(ctx, "no device given");
	m->path = m->paths[0];
	return 0;
}

int famfs_cmd_mkfs(struct famfs_ctx *ctx, int argc, char **argv)
{
	struct mkfs_ctx *m = calloc(1, sizeof(*m));
	struct famfs_sm sm;
	int rc;

	if (!m)
		return FAMFS_EXIT_FAIL;
	m->ctx = ctx;
	m->log_len = ctx->cfg.log_len;
	m->alloc_unit = ctx->cfg.alloc_unit;
	clock_gettime(CLOCK_MONOTONIC, &m->t0);
	rc = mkfs_args(m, argc, argv);
	if (rc) {
		free(m);
		return rc < 0 ? 0 : rc;
	}
	famfs_sm_init(&sm, &famfs_mkfs_machine, m, famfs_sm_log_cb, ctx);
	rc = famfs_sm_run(&sm);
	free(m);
	return rc ? FAMFS_EXIT_FAIL : FAMFS_EXIT_OK;
}
