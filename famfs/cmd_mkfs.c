// SPDX-License-Identifier: Apache-2.0
/*
 * famfs mkfs / mkfs.famfs: a path through the state machine,
 *   INIT -> PROBE -> VALIDATE -(blank|format)-> FORMAT -ok-> VALIDATE -done-> STOP
 * Every refusal happens before the first write.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "famfs_mkfs.h"
#include "famfs_sm.h"

const char famfs_mkfs_usage[] =
	"usage: famfs mkfs [options] DEVICE\n"
	"       mkfs.famfs [options] DEVICE\n\n"
	"Create a famfs filesystem on DEVICE: a memory image file, /dev/pmemN or\n"
	"/dev/daxN.M.  Only the superblock and the log are written; file data\n"
	"is never touched.  This host becomes the filesystem's master.\n\n"
	"Options:\n"
	"  -f, --force            overwrite an existing famfs filesystem\n"
	"  -k, --kill             with -f: only invalidate the superblock\n"
	"  -l, --loglen SIZE      log length, a multiple of 2M (default 8M)\n"
	"  -a, --alloc-unit SIZE  allocation unit, a power of two from 4K to 1G\n"
	"                         (default 2M)\n"
	"  -v, --verbose          show state transitions\n"
	"  -h, --help             this text\n\n"
	"DEVICE defaults to the first [device] path of the configuration.\n"
	"Exit: 0 created, 1 refused or failed (nothing was changed when\n"
	"refused), 2 usage error.\n";

struct mkfs_ctx {
	struct famfs_ctx *ctx;
	const char *path;
	int force, kill, formatted;
	uint64_t log_len, alloc_unit;
	struct famfs_dev dev;
	struct famfs_sb_info sb;
	struct timespec t0;
};

static enum famfs_event mkfs_probe(struct famfs_sm *sm)
{
	struct mkfs_ctx *m = sm->ctx;
	struct famfs_why why = { "" };
	int rc = famfs_dev_in_use(m->path, &why);

	if (rc > 0) {
		famfs_err(m->ctx, "%s: %s", m->path, why.msg);
		return FAMFS_EV_ERROR;
	}
	rc = famfs_dev_open(&m->dev, m->path, FAMFS_DEV_RDWR | FAMFS_DEV_EXCL,
			    &why);
	if (rc) {
		famfs_err(m->ctx, "cannot open '%s': %s", m->path, why.msg);
		return FAMFS_EV_ERROR;
	}
	famfs_verbose(m->ctx, "%s: %s, %" PRIu64 " bytes", m->path,
		      famfs_dev_kind_name(m->dev.kind), m->dev.size);
	return FAMFS_EV_OK;
}

static enum famfs_event mkfs_refuse(struct mkfs_ctx *m, int rc,
				    const char *why)
{
	char fs[37], master[37];

	if (rc == -ENODATA)
		return FAMFS_EV_BLANK;
	if (m->force)
		return FAMFS_EV_FORMAT;
	if (rc) {
		famfs_err(m->ctx, "%s: holds a damaged famfs superblock (%s); use -f to overwrite it",
			  m->path, why);
		return FAMFS_EV_ERROR;
	}
	famfs_uuid_str(m->sb.fs_uuid, fs);
	famfs_uuid_str(m->sb.master_uuid, master);
	famfs_err(m->ctx, "%s: already holds famfs filesystem %s (master %s); use -f to overwrite it",
		  m->path, fs, master);
	return FAMFS_EV_ERROR;
}

static enum famfs_event mkfs_validate(struct famfs_sm *sm)
{
	struct mkfs_ctx *m = sm->ctx;
	struct famfs_why why = { "" };
	int rc;

	famfs_invalidate(m->dev.base, FAMFS_SB_SIZE);
	rc = famfs_sb_decode(m->dev.base, m->dev.size, &m->sb, &why);
	if (!m->formatted)
		return mkfs_refuse(m, rc, why.msg);
	if (rc) {
		famfs_err(m->ctx, "%s: the new superblock does not read back: %s",
			  m->path, why.msg);
		return FAMFS_EV_ERROR;
	}
	return FAMFS_EV_DONE;
}

static enum famfs_event mkfs_format(struct famfs_sm *sm)
{
	struct mkfs_ctx *m = sm->ctx;
	struct famfs_mkfs_opts o = {
		.log_len = m->log_len,
		.alloc_unit = m->alloc_unit,
		.mkfs_time = (uint64_t)time(NULL),
	};
	struct famfs_why why = { "" };

	if (m->kill) {
		if (famfs_kill_super(&m->dev, &why)) {
			famfs_err(m->ctx, "%s: %s", m->path, why.msg);
			return FAMFS_EV_ERROR;
		}
		printf("famfs mkfs: %s: superblock invalidated\n", m->path);
		return FAMFS_EV_DONE;
	}
	if (famfs_mkfs_plan(&m->dev, &o, &m->sb, &why)) {
		famfs_err(m->ctx, "%s: %s", m->path, why.msg);
		return FAMFS_EV_ERROR;
	}
	if (famfs_load_hostid(m->ctx, 1, o.master_uuid))
		return FAMFS_EV_ERROR;
	memcpy(m->sb.master_uuid, o.master_uuid, 16);
	if (famfs_mkfs_write(&m->dev, &m->sb, &why)) {
		famfs_err(m->ctx, "%s: write failed: %s", m->path, why.msg);
		return FAMFS_EV_ERROR;
	}
	m->formatted = 1;
	return FAMFS_EV_OK;
}

static enum famfs_event mkfs_failed(struct famfs_sm *sm)
{
	(void)sm;
	return FAMFS_EV_DONE;
}

static const famfs_enter_fn mkfs_actions[_FAMFS_ST_MAX] = {
	[FAMFS_ST_PROBE] = mkfs_probe,
	[FAMFS_ST_VALIDATE] = mkfs_validate,
	[FAMFS_ST_FORMAT] = mkfs_format,
	[FAMFS_ST_FAILED] = mkfs_failed,
};

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
	       "  log              %s (room for %" PRIu64 " one-extent files with 40-byte paths)\n"
	       "  data             %s from offset %#" PRIx64 "\n"
	       "  time             %.1f ms\n",
	       m->path, famfs_dev_kind_name(m->dev.kind), fs, dev, master,
	       famfs_human(s->dev_size, a, sizeof(a)),
	       famfs_human(s->alloc_unit, b, sizeof(b)),
	       famfs_human(s->log_len, c, sizeof(c)), entries,
	       famfs_human(s->dev_size - s->data_offset, d, sizeof(d)),
	       s->data_offset, ms);
}

static const struct option mkfs_opts[] = {
	{ "force", no_argument, NULL, 'f' },
	{ "kill", no_argument, NULL, 'k' },
	{ "loglen", required_argument, NULL, 'l' },
	{ "alloc-unit", required_argument, NULL, 'a' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int mkfs_args(struct mkfs_ctx *m, int argc, char **argv)
{
	struct famfs_why why = { "not a size (e.g. 8M, 2m, 0x200000)" };
	struct famfs_ctx *ctx = m->ctx;
	int opt;

	while ((opt = getopt_long(argc, argv, "fkl:a:vh", mkfs_opts, NULL)) != -1) {
		switch (opt) {
		case 'f': m->force = 1; break;
		case 'k': m->kill = 1; break;
		case 'v': ctx->verbose++; break;
		case 'h': fputs(famfs_mkfs_usage, stdout); return -1;
		case 'l':
			if (famfs_parse_size(optarg, &m->log_len) ||
			    famfs_check_log_len(m->log_len, &why))
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
	if (m->kill && !m->force)
		return famfs_usage_error(ctx, "-k/--kill needs -f/--force");
	return famfs_device_arg(ctx, argc, argv, &m->path);
}

int famfs_cmd_mkfs(struct famfs_ctx *ctx, int argc, char **argv)
{
	struct mkfs_ctx *m = calloc(1, sizeof(*m));
	struct famfs_sm sm;
	int rc;

	if (!m)
		return FAMFS_EXIT_FAIL;
	m->ctx = ctx;
	m->dev.fd = -1;
	m->log_len = ctx->cfg.log_len;
	m->alloc_unit = ctx->cfg.alloc_unit;
	clock_gettime(CLOCK_MONOTONIC, &m->t0);
	rc = mkfs_args(m, argc, argv);
	if (rc) {
		free(m);
		return rc < 0 ? 0 : rc;
	}
	famfs_sm_init(&sm, mkfs_actions, m, famfs_sm_log_cb, ctx);
	rc = famfs_sm_run(&sm);
	if (!rc && m->formatted)
		mkfs_summary(m);
	famfs_dev_close(&m->dev);
	free(m);
	return rc ? FAMFS_EXIT_FAIL : FAMFS_EXIT_OK;
}
