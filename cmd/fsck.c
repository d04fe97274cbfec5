// SPDX-License-Identifier: Apache-2.0
/*
 * famfs fsck / fsck.famfs: its own state machine (famfs_fsck_machine),
 *   init -start-> probe -ok-> validate -ok-> check -done-> report -done-> stop
 *                             validate -corrupt-> report  (no log to check)
 *   any -error-> failed -done-> stop
 * report (or failed) prints the verdict; stop's entry action releases the
 * device or the mount's image.  The exit code is the fsck(8) bitmask: 0
 * clean, 1 corrected, 4 errors left, 8 operational error, 16 usage.
 */
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "famfs_alloc.h"
#include "famfs_client.h"
#include "famfs_fsck.h"
#include "famfs_sm.h"
#include "machines.h"

const char famfs_fsck_usage[] =
	"usage: famfs fsck [options] DEVICE|MOUNTPOINT\n"
	"       fsck.famfs [options] DEVICE|MOUNTPOINT\n\n"
	"Check the famfs filesystem on DEVICE: superblock, log header and tail,\n"
	"every log entry, the namespace, every extent and cross-links between\n"
	"files.  Refuses a mounted device: give its MOUNTPOINT (or a directory\n"
	"in it) instead, to check the superblock and log read through the\n"
	"mount's .meta files (no --repair there).\n"
	"Every secondary device of the log is looked for by its UUID (among the\n"
	"--device paths, famfs.ini [device] path and scan, and the files next to an\n"
	"image-file DEVICE, as mount does) and checked: its superblock must\n"
	"agree with the log; use is reported per device.\n\n"
	"Options:\n"
	"  -p, -a, -y, --repair, --preen, --yes\n"
	"                  fix what is safe to fix: a torn or garbage log tail\n"
	"                  after the last committed entry, a damaged tail record\n"
	"                  (the fsck(8) letters; fsck -a/-p/-y pass them)\n"
	"  -n, --no        check only (the default)\n"
	"  -j, --json      print the report as JSON\n"
	"      --device DEV  a candidate secondary device: path or glob\n"
	"                  (repeatable)\n"
	"  -h, --human     print upstream's capacity lines in GiB (\"%.2fG\")\n"
	"  -B, --nbuckets N  also print the free space of each of N equal\n"
	"                  buckets of the primary device (1..64)\n"
	"  -v, --verbose   show state transitions, and the log's entries and\n"
	"                  bytes per entry kind\n"
	"  -?, --help      this text\n\n"
	"After our own lines the report has upstream famfs's key lines in its\n"
	"words (Famfs Superblock:, Log stats:, Capacity:, Device capacity:,\n"
	"Famfs log: ...), which its scripts read.\n\n"
	"Upstream famfs's other flags, accepted so its scripts run unchanged:\n"
	"  -m, --mmap      read the superblock and log through a mapping: what\n"
	"                  famfs always does; no effect\n"
	"  -r, --read      upstream reads them with read(2) instead: the check\n"
	"                  is the same here; no effect (not with -m)\n"
	"  -f, --force     accepted and ignored, as upstream\n"
	"      --fuse      FUSE mode: the only mode here; no effect\n"
	"  -F, --nofuse    refused: there is no standalone (v1) kernel module\n"
	"                  mode (also FAMFS_MODE=v1)\n"
	"  -M, --set-daxmode, --mock  no effect: the device is read in its\n"
	"                  mode, fsdev_dax with pread (--mock: upstream's test hook)\n"
	"  -L, --load-module  no effect: FUSE needs no famfs kernel module\n"
	"  -D, --nodax     no effect: fsck never needs a dummy mount\n\n"
	"As fsck.famfs (run by fsck(8)) the options are fsck(8)'s: -a, -p, -y\n"
	"repair, -n checks only, -f is ignored, -h is help, and\n"
	"  -D, --device DEV  is a candidate secondary device, as --device.\n\n"
	"Exit (fsck(8) bits): 0 clean, 1 problems corrected, 4 problems left,\n"
	"8 operational error (cannot open, not famfs, in use), 16 usage error,\n"
	"64 a device of the filesystem was not found (named by its UUID).\n";

struct fsck_cmd {
	struct famfs_ctx *ctx;
	const char *path;
	int repair, json, code;
	int human, readmode;		/* -h; -m/-r (upstream, no effect) */
	unsigned int nbuckets;		/* -B */
	struct famfs_fsck ck;
	uint8_t host[16];
	int have_host;
	char error[FAMFS_WHY_LEN + 64];	/* why the check could not run */
	int is_dir, mounted;		/* MOUNTPOINT given; it is famfs */
	char mnt[PATH_MAX];
	uint8_t *img;			/* the mount's .meta files, as on the device */
	uint64_t img_size;
	const char *extra[FAMFS_MAX_DEVICES];	/* -D */
	unsigned int nextra;
};

/* Read @len bytes of @path, through the mount, into @buf. */
static int read_meta(const char *path, uint8_t *buf, uint64_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc = 0;
	uint64_t done = 0;

	if (fd < 0)
		return -errno;
	while (done < len && !rc) {
		ssize_t n = pread(fd, buf + done, len - done, (off_t)done);

		if (n > 0)
			done += (uint64_t)n;
		else if (n == 0)
			rc = -ENODATA;
		else if (errno != EINTR)
			rc = -errno;
	}
	close(fd);
	return rc;
}

static int meta_error(struct fsck_cmd *f, const char *name, int rc)
{
	snprintf(f->error, sizeof(f->error), "cannot read the mount's %s: %s",
		 name, rc == -ENODATA ? "shorter than expected" : strerror(-rc));
	return rc;
}

/*
 * A mount is checked from its .meta files: the superblock and the log are
 * read through the mount into a private anonymous map of the device's
 * size, at their device offsets (file data is not needed and reads as 0).
 */
static int load_mount(struct fsck_cmd *f)
{
	char sbp[PATH_MAX + 32], logp[PATH_MAX + 32];
	uint64_t log_off = FAMFS_LOG_OFFSET, size, sb_len;
	uint8_t head[FAMFS_SB_SIZE];
	struct famfs_sb_info sbi;
	struct stat st;
	void *p;
	int rc;

	snprintf(sbp, sizeof(sbp), "%s/%s/.superblock", f->mnt,
		 FAMFS_META_DIR_NAME);
	snprintf(logp, sizeof(logp), "%s/%s/.log", f->mnt, FAMFS_META_DIR_NAME);
	rc = read_meta(sbp, head, sizeof(head));
	if (rc)
		return meta_error(f, ".meta/.superblock", rc);
	if (stat(logp, &st))
		return meta_error(f, ".meta/.log", -errno);
	size = log_off + (uint64_t)st.st_size;
	if (!famfs_sb_decode(head, 0, &sbi, NULL) &&
	    sbi.log_offset + (uint64_t)st.st_size <= sbi.dev_size) {
		size = sbi.dev_size;
		log_off = sbi.log_offset;
	}
	p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED) {
		snprintf(f->error, sizeof(f->error), "cannot map %" PRIu64 " bytes: %s",
			 size, strerror(errno));
		return -ENOMEM;
	}
	f->img = p;
	f->img_size = size;
	sb_len = log_off < FAMFS_SB_REGION ? log_off : FAMFS_SB_REGION;
	rc = read_meta(sbp, f->img, sb_len);
	if (rc)
		return meta_error(f, ".meta/.superblock", rc);
	rc = read_meta(logp, f->img + log_off, (uint64_t)st.st_size);
	if (rc)
		return meta_error(f, ".meta/.log", rc);
	return famfs_fsck_open_image(&f->ck, f->img, size);
}

static enum famfs_event fsck_probe_mount(struct fsck_cmd *f)
{
	if (!f->mounted)
		snprintf(f->error, sizeof(f->error),
			 "a directory, but not in a famfs mount");
	if (!f->mounted || load_mount(f)) {
		famfs_err(f->ctx, "%s: %s", f->path, f->error);
		return FAMFS_EV_ERROR;
	}
	famfs_verbose(f->ctx, "checking the filesystem mounted at %s through its .meta files",
		      f->mnt);
	return FAMFS_EV_OK;
}

static enum famfs_event fsck_probe(struct famfs_sm *sm)
{
	struct fsck_cmd *f = sm->ctx;
	struct famfs_why why = { "" };
	int rc;

	if (f->is_dir)
		return fsck_probe_mount(f);
	rc = famfs_dev_in_use(f->path, &why);
	if (rc > 0) {
		snprintf(f->error, sizeof(f->error),
			 "%s; check it through the mount instead", why.msg);
		famfs_err(f->ctx, "%s: %s", f->path, f->error);
		return FAMFS_EV_ERROR;
	}
	rc = famfs_fsck_open(&f->ck, f->path, f->repair, &why);
	if (!rc && famfs_set_candidates(f->ctx, &f->ck.fs, f->extra, f->nextra)) {
		famfs_why_set(&why, "out of memory");
		rc = -ENOMEM;
	}
	if (rc) {
		snprintf(f->error, sizeof(f->error), "cannot open: %s", why.msg);
		famfs_err(f->ctx, "%s: %s", f->path, f->error);
		return FAMFS_EV_ERROR;
	}
	return FAMFS_EV_OK;
}

static enum famfs_event fsck_validate(struct famfs_sm *sm)
{
	struct fsck_cmd *f = sm->ctx;

	if (famfs_fsck_validate(&f->ck))
		return FAMFS_EV_ERROR;
	return f->ck.have_log ? FAMFS_EV_OK : FAMFS_EV_CORRUPT;
}

static enum famfs_event fsck_check(struct famfs_sm *sm)
{
	struct fsck_cmd *f = sm->ctx;

	if (famfs_fsck_check(&f->ck)) {
		famfs_err(f->ctx, "%s: out of memory", f->path);
		return FAMFS_EV_ERROR;
	}
	famfs_verbose(f->ctx, "%u problem(s), %u fixed", f->ck.nproblems,
		      f->ck.nfixed);
	return FAMFS_EV_DONE;
}

static const char *role_str(const struct fsck_cmd *f)
{
	if (!f->have_host || !f->ck.have_sb)
		return "unknown";
	return memcmp(f->host, f->ck.st.master_uuid, 16) ? "client" : "master";
}

/* The role in upstream's words ("role of this node:") */
static const char *upstream_role(const struct fsck_cmd *f)
{
	const char *r = role_str(f);

	return !strcmp(r, "master") ? "Owner" : !strcmp(r, "client") ? "Client" :
	       "Unknown";
}

static void json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			printf("\\u%04x", *s);
		else
			putchar(*s);
	}
	putchar('"');
}

static const char *const dev_states[] = {
	[FAMFS_DS_UNKNOWN] = "unchecked",
	[FAMFS_DS_FOUND] = "found",
	[FAMFS_DS_MISSING] = "missing",
	[FAMFS_DS_MISMATCH] = "mismatch",
};

static void report_json_devices(const struct fsck_cmd *f)
{
	const struct famfs_fsck_stats *st = &f->ck.st;
	char u[37];

	printf(",\"device_list\":[");
	for (uint32_t i = 0; i < st->ndevs; i++) {
		const struct famfs_fsck_dev *d = &st->dev[i];

		famfs_uuid_str(d->uuid, u);
		printf("%s{\"index\":%u,\"uuid\":\"%s\",\"size\":%" PRIu64 ",\"capacity\":%" PRIu64 ",\"used\":%" PRIu64 ",\"state\":\"%s\",\"path\":",
		       i ? "," : "", i, u, d->size, d->capacity, d->used,
		       dev_states[d->state]);
		json_str(i ? d->path : f->path);
		putchar('}');
	}
	putchar(']');
}

/* The superblock's incompat features by name ("none" for the 0.1 format). */
static const char *features(const struct famfs_fsck_stats *st, char *buf,
			    size_t len)
{
	if (!st->incompat)
		return "none";
	if (famfs_features_str(st->incompat, buf, len))
		snprintf(buf, len, "%#x", st->incompat);
	return buf;
}

static void report_json_kinds(const struct famfs_fsck_stats *st)
{
	char fb[320];

	printf(",\"features\":\"%s\",\"feature_incompat\":%u,"
	       "\"feature_compat\":%u,\"feature_ro_compat\":%u,"
	       "\"symlinks\":%" PRIu64 ",\"special_files\":%" PRIu64 ","
	       "\"empty_files\":%" PRIu64 ",\"hard_links\":%" PRIu64 ","
	       "\"xattrs\":%" PRIu64 ",\"attr_changes\":%" PRIu64 ",\"entry_kinds\":{",
	       features(st, fb, sizeof(fb)), st->incompat, st->compat,
	       st->ro_compat, st->symlinks, st->special, st->empty,
	       st->hardlinks, st->xattrs, st->attrs);
	for (int k = 0; k < _FAMFS_EK_MAX; k++)
		printf("%s\"%s\":{\"entries\":%" PRIu64 ",\"bytes\":%" PRIu64 "}",
		       k ? "," : "", famfs_entry_kind_name(k),
		       st->kind_entries[k], st->kind_bytes[k]);
	putchar('}');
}

static void report_json(const struct fsck_cmd *f, int code)
{
	const struct famfs_fsck_stats *st = &f->ck.st;
	char fs[37], master[37];

	famfs_uuid_str(st->fs_uuid, fs);
	famfs_uuid_str(st->master_uuid, master);
	printf("{\"device\":");
	json_str(f->path);
	printf(",\"exit\":%d,\"clean\":%s,\"fs_uuid\":\"%s\",\"master_uuid\":\"%s\","
	       "\"role\":\"%s\",\"dev_size\":%" PRIu64 ",\"alloc_unit\":%" PRIu64 ","
	       "\"devices\":%u,\"capacity\":%" PRIu64 ",\"used\":%" PRIu64 ","
	       "\"free\":%" PRIu64 ",\"files\":%" PRIu64 ",\"directories\":%" PRIu64 ","
	       "\"file_bytes\":%" PRIu64 ",\"log_len\":%" PRIu64 ",\"log_used\":%" PRIu64 ","
	       "\"log_entries\":%" PRIu64 ",\"problems_total\":%u,\"fixed\":%u,\"problems\":[",
	       code, code ? "false" : "true", fs, master, role_str(f),
	       st->dev_size, st->alloc_unit, st->ndevs, st->capacity, st->used,
	       st->capacity - st->used, st->files, st->dirs, st->file_bytes,
	       st->log_len, st->log_used, st->entries, f->ck.nproblems,
	       f->ck.nfixed);
	for (unsigned int i = 0; i < f->ck.nitems; i++) {
		const struct famfs_fsck_item *it = &f->ck.items[i];

		printf("%s{\"code\":\"%s\",\"fixed\":%s,\"message\":", i ? "," : "",
		       famfs_problem_desc(it->code)->name,
		       it->fixed ? "true" : "false");
		json_str(it->msg);
		putchar('}');
	}
	putchar(']');
	report_json_kinds(st);
	report_json_devices(f);
	printf("}\n");
}

static void report_json_error(const struct fsck_cmd *f, int code)
{
	printf("{\"device\":");
	json_str(f->path);
	printf(",\"exit\":%d,\"clean\":false,\"error\":", code);
	json_str(f->error[0] ? f->error : "the check could not run");
	printf("}\n");
}

static void pct(uint64_t part, uint64_t whole, char *buf, size_t len)
{
	snprintf(buf, len, "%.2f%%", whole ? 100.0 * (double)part / (double)whole : 0.0);
}

/* With several devices: one line each, its use and where it was found. */
static void report_devices(const struct fsck_cmd *f)
{
	const struct famfs_fsck_stats *st = &f->ck.st;
	char a[32], b[32], u[37], p[16];

	for (uint32_t i = 0; st->ndevs > 1 && i < st->ndevs; i++) {
		const struct famfs_fsck_dev *d = &st->dev[i];

		famfs_uuid_str(d->uuid, u);
		pct(d->used, d->capacity, p, sizeof(p));
		printf("  device %-2u %s  %s of %s used (%s)  %s\n", i, u,
		       famfs_human(d->used, a, sizeof(a)),
		       famfs_human(d->capacity, b, sizeof(b)), p,
		       d->state == FAMFS_DS_FOUND ? (i ? d->path : f->path) :
		       dev_states[d->state]);
	}
}

/* The new kinds, on the files line only when the log has them. */
static void report_kinds(const struct famfs_fsck_stats *st)
{
	const struct { const char *what; uint64_t n; } k[] = {
		{ "symlinks", st->symlinks },
		{ "special files", st->special },
		{ "empty files", st->empty },
		{ "hard links", st->hardlinks },
		{ "xattrs", st->xattrs },
		{ "attribute changes", st->attrs },
	};

	for (size_t i = 0; i < sizeof(k) / sizeof(k[0]); i++)
		if (k[i].n)
			printf(", %" PRIu64 " %s", k[i].n, k[i].what);
}

/* -v: the log's entries and bytes per entry kind */
static void report_kind_bytes(const struct famfs_fsck_stats *st)
{
	printf("  log bytes per entry kind:\n");
	for (int k = 0; k < _FAMFS_EK_MAX; k++) {
		if (!st->kind_entries[k])
			continue;
		printf("    %-14s %8" PRIu64 " entries %12" PRIu64 " bytes  %7.1f bytes/entry\n",
		       famfs_entry_kind_name(k), st->kind_entries[k],
		       st->kind_bytes[k],
		       (double)st->kind_bytes[k] / (double)st->kind_entries[k]);
	}
}

static void report_human(const struct fsck_cmd *f, int code)
{
	const struct famfs_fsck_stats *st = &f->ck.st;
	char a[32], b[32], c[32], d[32], p[16], fs[37], fb[320];

	for (unsigned int i = 0; i < f->ck.nitems; i++)
		printf("%s%s\n", f->ck.items[i].fixed ? "FIXED: " : "",
		       f->ck.items[i].msg);
	if (f->ck.nproblems > f->ck.nitems)
		printf("... and %u more problems\n",
		       f->ck.nproblems - f->ck.nitems);
	if (!f->ck.have_log)
		goto verdict;
	famfs_uuid_str(st->fs_uuid, fs);
	printf("%s: famfs %s, role of this host: %s\n", f->path, fs, role_str(f));
	pct(st->log_used, st->log_len, p, sizeof(p));
	printf("  log       %" PRIu64 " entries, %s of %s used (%s)\n", st->entries,
	       famfs_human(st->log_used, a, sizeof(a)),
	       famfs_human(st->log_len, b, sizeof(b)), p);
	printf("  features  %s\n", features(st, fb, sizeof(fb)));
	printf("  files     %" PRIu64 " files (%s), %" PRIu64 " directories",
	       st->files, famfs_human(st->file_bytes, a, sizeof(a)), st->dirs);
	report_kinds(st);
	putchar('\n');
	if (f->ctx->verbose)
		report_kind_bytes(st);
	pct(st->used, st->capacity, p, sizeof(p));
	printf("  space     %s used of %s (%s), %s free, %u device(s), allocation unit %s\n",
	       famfs_human(st->used, a, sizeof(a)),
	       famfs_human(st->capacity, b, sizeof(b)), p,
	       famfs_human(st->capacity - st->used, c, sizeof(c)), st->ndevs,
	       famfs_human(st->alloc_unit, d, sizeof(d)));
	report_devices(f);
	famfs_fsck_upstream_report(&f->ck, upstream_role(f), f->human,
				   f->nbuckets);
verdict:
	if (code == 0)
		printf("%s: clean\n", f->path);
	else
		printf("%s: %u problem(s), %u fixed; exit %d\n", f->path,
		       f->ck.nproblems, f->ck.nfixed, code);
}

/* On stderr, whatever the format: the log or the space nearly full. */
static void warn_full(const struct fsck_cmd *f)
{
	const struct famfs_fsck_stats *st = &f->ck.st;
	struct famfs_why why = { "" };

	if (!f->ck.have_log)
		return;
	if (famfs_full_warning(1, st->log_used, st->log_len, &why))
		famfs_warn(f->ctx, "%s: %s", f->path, why.msg);
	if (famfs_full_warning(0, st->used, st->capacity, &why))
		famfs_warn(f->ctx, "%s: %s", f->path, why.msg);
}

static enum famfs_event fsck_report(struct famfs_sm *sm)
{
	struct fsck_cmd *f = sm->ctx;

	f->code = famfs_fsck_exit(&f->ck);
	if (f->json)
		report_json(f, f->code);
	else
		report_human(f, f->code);
	warn_full(f);
	return FAMFS_EV_DONE;
}

/* The check could not run; what it found before is still reported. */
static enum famfs_event fsck_failed(struct famfs_sm *sm)
{
	struct fsck_cmd *f = sm->ctx;

	if (f->ck.nproblems)
		return fsck_report(sm);
	f->code = FAMFS_FSCK_OPERROR;
	if (f->json)
		report_json_error(f, f->code);
	return FAMFS_EV_DONE;
}

static enum famfs_event fsck_stop(struct famfs_sm *sm)
{
	struct fsck_cmd *f = sm->ctx;

	famfs_fsck_done(&f->ck);
	if (f->img)
		munmap(f->img, f->img_size);
	f->img = NULL;
	return FAMFS_EV_NONE;
}

#define EV(e) FAMFS_SM_EV(e)

static const struct famfs_sm_state fsck_states[] = {
	[FSCK_ST_INIT] = { "init", NULL, NULL, 0, EV(START) },
	[FSCK_ST_PROBE] = { "probe", fsck_probe, NULL, EV(OK) | EV(ERROR), 0 },
	[FSCK_ST_VALIDATE] = { "validate", fsck_validate, NULL,
			       EV(OK) | EV(CORRUPT) | EV(ERROR), 0 },
	[FSCK_ST_CHECK] = { "check", fsck_check, NULL, EV(DONE) | EV(ERROR), 0 },
	[FSCK_ST_REPORT] = { "report", fsck_report, NULL, EV(DONE), 0 },
	[FSCK_ST_FAILED] = { "failed", fsck_failed, NULL, EV(DONE), 0 },
	[FSCK_ST_STOP] = { "stop", fsck_stop, NULL, 0, 0 },
};

_Static_assert(FAMFS_SM_COUNT(fsck_states) == _FSCK_ST_MAX, "fsck state table");

static const struct famfs_sm_rule fsck_rules[] = {
	{ FSCK_ST_INIT, FAMFS_EV_START, FSCK_ST_PROBE },
	{ FSCK_ST_PROBE, FAMFS_EV_OK, FSCK_ST_VALIDATE },
	{ FSCK_ST_VALIDATE, FAMFS_EV_OK, FSCK_ST_CHECK },
	{ FSCK_ST_VALIDATE, FAMFS_EV_CORRUPT, FSCK_ST_REPORT },
	{ FSCK_ST_CHECK, FAMFS_EV_DONE, FSCK_ST_REPORT },
	{ FSCK_ST_REPORT, FAMFS_EV_DONE, FSCK_ST_STOP },
	{ FSCK_ST_FAILED, FAMFS_EV_DONE, FSCK_ST_STOP },
};

const struct famfs_sm_def famfs_fsck_machine =
	FAMFS_SM_DEF("fsck", fsck_states, fsck_rules, FSCK_ST_INIT, FSCK_ST_STOP,
		     FSCK_ST_FAILED, FSCK_ST_STOP);

enum { OPT_DEVICE = FAMFS_OPT_LONG };

/* famfs fsck: upstream famfs's letters win (-h human, -r read, -D nodax) */
static const struct option fsck_opts[] = {
	{ "repair", no_argument, NULL, 'p' },
	{ "preen", no_argument, NULL, 'a' },
	{ "yes", no_argument, NULL, 'y' },
	{ "no", no_argument, NULL, 'n' },
	{ "json", no_argument, NULL, 'j' },
	{ "device", required_argument, NULL, OPT_DEVICE },
	{ "human", no_argument, NULL, 'h' },
	{ "nbuckets", required_argument, NULL, 'B' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, FAMFS_OPT_HELP },
	{ "mmap", no_argument, NULL, 'm' },
	{ "read", no_argument, NULL, 'r' },
	{ "force", no_argument, NULL, 'f' },
	{ "fuse", no_argument, NULL, FAMFS_OPT_FUSE },
	{ "nofuse", no_argument, NULL, 'F' },
	{ "set-daxmode", no_argument, NULL, 'M' },
	{ "mock", no_argument, NULL, 'M' },
	{ "load-module", no_argument, NULL, 'L' },
	{ "nodax", no_argument, NULL, 'D' },
	{ NULL, 0, NULL, 0 },
};

/* fsck.famfs: fsck(8)'s conventions (-h help, -D a device) */
static const struct option fsck_alias_opts[] = {
	{ "repair", no_argument, NULL, 'p' },
	{ "preen", no_argument, NULL, 'a' },
	{ "yes", no_argument, NULL, 'y' },
	{ "no", no_argument, NULL, 'n' },
	{ "json", no_argument, NULL, 'j' },
	{ "device", required_argument, NULL, 'D' },
	{ "force", no_argument, NULL, 'f' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* A directory: a famfs mount point or a path in one (checked read-only). */
static int mount_arg(struct fsck_cmd *f)
{
	char rel[FAMFS_PATH_MAX + 1];
	struct famfs_why why = { "" };
	struct stat st;

	if (stat(f->path, &st) || !S_ISDIR(st.st_mode))
		return 0;
	f->is_dir = 1;
	f->mounted = !famfs_client_resolve(f->path, f->mnt, sizeof(f->mnt), rel,
					   sizeof(rel), &why);
	if (f->mounted && f->repair)
		return famfs_usage_error(f->ctx, "%s is a mounted famfs filesystem: --repair works only on the unmounted device (umount %s, then fsck --repair DEVICE)",
					 f->path, f->mnt);
	return 0;
}

static int add_device(struct fsck_cmd *f, const char *v)
{
	if (f->nextra >= FAMFS_MAX_DEVICES)
		return famfs_usage_error(f->ctx, "at most %u --device devices",
					 FAMFS_MAX_DEVICES);
	f->extra[f->nextra++] = v;
	return 0;
}

static int set_buckets(struct fsck_cmd *f, const char *v)
{
	char *end;
	unsigned long n = strtoul(v, &end, 10);

	if (end == v || *end || n < 1 || n > 64)
		return famfs_usage_error(f->ctx, "bad bucket count '%s' (1..64)", v);
	f->nbuckets = (unsigned int)n;
	return 0;
}

/* -m and -r: upstream's two ways to read the log, which exclude each other */
static int set_readmode(struct fsck_cmd *f, int opt)
{
	if (f->readmode && f->readmode != opt)
		return famfs_usage_error(f->ctx, "-m/--mmap and -r/--read exclude each other");
	f->readmode = opt;
	return 0;
}

/* One option; 0, -1 after the help, or the usage exit code. */
static int fsck_opt(struct fsck_cmd *f, int opt, int alias)
{
	struct famfs_ctx *ctx = f->ctx;

	switch (opt) {
	case 'p': case 'a': case 'y': f->repair = 1; return 0;
	case 'n': f->repair = 0; return 0;
	case 'j': f->json = 1; return 0;
	case OPT_DEVICE: return add_device(f, optarg);
	case 'D': return alias ? add_device(f, optarg) : 0;	/* --nodax */
	case 'h':
		if (alias)
			return famfs_show_help(ctx);
		f->human = 1;
		return 0;
	case 'B': return set_buckets(f, optarg);
	case 'v': ctx->verbose++; return 0;
	case FAMFS_OPT_HELP: return famfs_show_help(ctx);
	case 'm': case 'r': return set_readmode(f, opt);
	case FAMFS_OPT_FUSE: ctx->mode_opt = FAMFS_MODE_FUSE; return 0;
	case 'F': ctx->mode_opt = FAMFS_MODE_V1; return 0;
	case 'f': case 'M': case 'L': return 0;	/* nothing to do here */
	}
	return famfs_bad_option(ctx);
}

static int fsck_args(struct fsck_cmd *f, int argc, char **argv)
{
	struct famfs_ctx *ctx = f->ctx;
	int alias = ctx->alias != NULL;
	const struct option *lo = alias ? fsck_alias_opts : fsck_opts;
	int opt, rc;

	while ((opt = famfs_getopt(argc, argv, lo)) != -1) {
		rc = fsck_opt(f, opt, alias);
		if (rc)
			return rc;
	}
	rc = famfs_mode_check(ctx);
	if (!rc)
		rc = famfs_device_arg(ctx, argc, argv, &f->path);
	return rc ? rc : mount_arg(f);
}

int famfs_cmd_fsck(struct famfs_ctx *ctx, int argc, char **argv)
{
	struct fsck_cmd *f = calloc(1, sizeof(*f));
	struct famfs_why why;
	struct famfs_sm sm;
	int rc, code;

	if (!f)
		return FAMFS_FSCK_OPERROR;
	f->ctx = ctx;
	f->ck.fs.dev.fd = -1;
	rc = fsck_args(f, argc, argv);
	if (rc) {
		free(f);
		return rc < 0 ? 0 : rc;
	}
	f->have_host = !famfs_hostid_get(ctx->cfg.uuid_file, 0, f->host, &why);
	famfs_sm_init(&sm, &famfs_fsck_machine, f, famfs_sm_log_cb, ctx);
	rc = famfs_sm_run(&sm);
	code = f->code;
	if (rc && rc != -ECANCELED)
		code |= FAMFS_FSCK_OPERROR;
	free(f);
	return code;
}
