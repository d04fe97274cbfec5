// SPDX-License-Identifier: Apache-2.0
/*
 * famfs status: what a running famfs server says about itself (device,
 * role, state, space, log, I/O counters), asked through MNT/.meta/.ctl
 * (lib/client.c) and read from its JSON reply (lib/json.c).
 */
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "famfs_alloc.h"
#include "famfs_client.h"
#include "famfs_json.h"

const char famfs_status_usage[] =
	"usage: famfs status [options] [MOUNTPOINT]\n\n"
	"Show what the famfs server of MOUNTPOINT reports: device and its kind,\n"
	"role of this host (master or client), server state and pid, data path\n"
	"(dax or fallback), capacity, used and free space, files, directories,\n"
	"log entries and log use, I/O counters, and the server's last warnings\n"
	"and errors with their times (as in the system log; \"recent\" in the\n"
	"JSON).  MOUNTPOINT may be any path\n"
	"inside the mount; it defaults to the configured [mount] mountpoint.\n"
	"Only root can ask a server.\n\n"
	"Server states: serving (the whole log is replayed), refreshing\n"
	"(replaying new entries), damaged (replay stops at an entry it cannot\n"
	"pass: the entries before it are served, creates are refused; run famfs\n"
	"fsck), stale (the filesystem was re-created under the mount), stopping.\n\n"
	"Options:\n"
	"  -j, --json      print the server's JSON report as it is\n"
	"  -h, --help      this text\n\n"
	"Exit: 0 reported, 1 not a famfs mount (or the server did not answer),\n"
	"2 usage error.\n";

struct status_cmd {
	struct famfs_ctx *ctx;
	const char *path;
	int json;
	char mnt[PATH_MAX];
};

static uint64_t num(const char *js, const char *key)
{
	uint64_t v = 0;

	famfs_json_u64(js, key, &v);
	return v;
}

static const char *str(const char *js, const char *key, char *buf, size_t len)
{
	if (famfs_json_str(js, key, buf, len))
		snprintf(buf, len, "?");
	return buf;
}

static void pct(uint64_t part, uint64_t whole, char *buf, size_t len)
{
	snprintf(buf, len, "%.2f%%",
		 whole ? 100.0 * (double)part / (double)whole : 0.0);
}

static void print_space(const char *js)
{
	uint64_t cap = num(js, "capacity"), used = num(js, "used");
	char a[32], b[32], c[32], p[16];

	pct(used, cap, p, sizeof(p));
	printf("  capacity    %s (%" PRIu64 " bytes)\n",
	       famfs_human(cap, a, sizeof(a)), cap);
	printf("  used        %s (%s)\n", famfs_human(used, b, sizeof(b)), p);
	printf("  free        %s (%" PRIu64 " bytes)\n",
	       famfs_human(num(js, "free"), c, sizeof(c)), num(js, "free"));
}

/* One line per device of the log: index, UUID, state, path or reason. */
static void print_devices(const char *js)
{
	const char *p = famfs_json_value(js, "devices");
	char uuid[40], state[16], where[PATH_MAX];
	uint64_t idx;

	if (!p || *p != '[')
		return;
	while ((p = strstr(p, "{\"index\":")) != NULL) {
		if (famfs_json_u64(p, "index", &idx) ||
		    famfs_json_str(p, "uuid", uuid, sizeof(uuid)) ||
		    famfs_json_str(p, "state", state, sizeof(state)))
			break;
		if (famfs_json_str(p, strcmp(state, "found") ? "why" : "path",
				   where, sizeof(where)))
			where[0] = 0;
		printf("  device %-3" PRIu64 " %s %-10s %s\n", idx, uuid, state,
		       where);
		p++;
	}
}

static void print_recent(const struct status_cmd *s);

static void print_human(const struct status_cmd *s, const char *js)
{
	char a[PATH_MAX], b[64], c[32], d[32], p[16];
	uint64_t log_used = num(js, "log_used"), log_len = num(js, "log_len");

	printf("%s: famfs %s\n", s->mnt, str(js, "fs_uuid", b, sizeof(b)));
	printf("  device      %s", str(js, "device", a, sizeof(a)));
	printf(" (%s)\n", str(js, "device_kind", b, sizeof(b)));
	printf("  access      %s\n", str(js, "device_access", b, sizeof(b)));
	printf("  mount       %s\n", str(js, "mount", a, sizeof(a)));
	printf("  role        %s\n", str(js, "role", b, sizeof(b)));
	printf("  state       %s", str(js, "state", b, sizeof(b)));
	if (!famfs_json_str(js, "state_why", a, sizeof(a)) && a[0])
		printf(" (%s)", a);
	putchar('\n');
	printf("  server pid  %" PRIu64 "\n", num(js, "pid"));
	printf("  data path   %s\n", str(js, "data_path", b, sizeof(b)));
	print_space(js);
	print_devices(js);
	printf("  files       %" PRIu64 " files, %" PRIu64 " directories\n",
	       num(js, "files"), num(js, "directories"));
	pct(log_used, log_len, p, sizeof(p));
	printf("  log         %" PRIu64 " entries, %s of %s used (%s)\n",
	       num(js, "log_entries"), famfs_human(log_used, c, sizeof(c)),
	       famfs_human(log_len, d, sizeof(d)), p);
	printf("  I/O         %" PRIu64 " reads, %" PRIu64 " writes, %" PRIu64
	       " fmaps, %" PRIu64 " daxdevs, %" PRIu64 " replays\n",
	       num(js, "reads"), num(js, "writes"), num(js, "fmaps"),
	       num(js, "daxdevs"), num(js, "replays"));
	print_recent(s);
}

/* The server's recent warnings and errors: a JSON array, "[]" if none. */
static void recent(const struct status_cmd *s, char *out, size_t len)
{
	struct famfs_ctl_req q = { .op = FAMFS_CTL_EVENTS };
	struct famfs_why why = { "" };
	struct famfs_ctl_rep r;

	if (famfs_client_request(s->mnt, &q, &r, &why) || r.msg[0] != '[')
		snprintf(out, len, "[]");	/* an older server */
	else
		snprintf(out, len, "%s", r.msg);
}

/* The report with "recent":[...] added as its last member. */
static void print_json(const struct status_cmd *s, const char *js)
{
	char ev[FAMFS_CTL_MSG];
	size_t n = strlen(js);

	recent(s, ev, sizeof(ev));
	if (n && js[n - 1] == '}')
		printf("%.*s,\"recent\":%s}\n", (int)(n - 1), js, ev);
	else
		printf("%s\n", js);
}

/* One line per recent warning or error: time, priority, message. */
static void print_recent(const struct status_cmd *s)
{
	char ev[FAMFS_CTL_MSG], t[40], pr[16], msg[FAMFS_CTL_MSG];
	const char *p = ev;
	int any = 0;

	recent(s, ev, sizeof(ev));
	while ((p = strstr(p, "{\"time\":")) != NULL) {
		if (famfs_json_str(p, "time", t, sizeof(t)) ||
		    famfs_json_str(p, "priority", pr, sizeof(pr)) ||
		    famfs_json_str(p, "message", msg, sizeof(msg)))
			break;
		printf("  %-11s %s %s: %s\n", any ? "" : "recent", t, pr, msg);
		any = 1;
		p++;
	}
	if (!any)
		printf("  recent      no warnings or errors\n");
}

/* On stderr, whatever the format: the log or the space nearly full. */
static void warn_full(const struct status_cmd *s, const char *js)
{
	struct famfs_why why = { "" };

	if (famfs_full_warning(1, num(js, "log_used"), num(js, "log_len"),
			       &why))
		famfs_warn(s->ctx, "%s: %s", s->mnt, why.msg);
	if (famfs_full_warning(0, num(js, "used"), num(js, "capacity"), &why))
		famfs_warn(s->ctx, "%s: %s", s->mnt, why.msg);
}

static int status_run(struct status_cmd *s)
{
	struct famfs_ctl_req q = { .op = FAMFS_CTL_STATUS };
	struct famfs_why why = { "" };
	struct famfs_ctl_rep r;
	char rel[FAMFS_PATH_MAX + 1];
	int rc;

	rc = famfs_client_resolve(s->path, s->mnt, sizeof(s->mnt), rel,
				  sizeof(rel), &why);
	if (rc == -ENOTTY) {
		famfs_err(s->ctx, "'%s' is not a famfs mount", s->path);
		return FAMFS_EXIT_FAIL;
	}
	if (!rc)
		rc = famfs_client_request(s->mnt, &q, &r, &why);
	if (rc) {
		famfs_err(s->ctx, "%s: %s", s->path, why.msg);
		return FAMFS_EXIT_FAIL;
	}
	if (s->json)
		print_json(s, r.msg);
	else
		print_human(s, r.msg);
	warn_full(s, r.msg);
	return FAMFS_EXIT_OK;
}

static const struct option status_opts[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

int famfs_cmd_status(struct famfs_ctx *ctx, int argc, char **argv)
{
	struct status_cmd *s = calloc(1, sizeof(*s));
	int opt, rc;

	if (!s)
		return FAMFS_EXIT_FAIL;
	s->ctx = ctx;
	while ((opt = famfs_getopt(argc, argv, status_opts)) != -1) {
		switch (opt) {
		case 'j': s->json = 1; break;
		case 'h': case FAMFS_OPT_HELP: fputs(famfs_status_usage, stdout); free(s); return 0;
		default: free(s); return famfs_bad_option(ctx);
		}
	}
	if (argc - optind > 1) {
		free(s);
		return famfs_usage_error(ctx, "too many arguments");
	}
	s->path = optind < argc ? argv[optind] : ctx->cfg.mountpoint;
	if (!s->path[0]) {
		free(s);
		return famfs_usage_error(ctx, "no mount point given or configured");
	}
	rc = status_run(s);
	free(s);
	return rc;
}
