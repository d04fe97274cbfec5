// SPDX-License-Identifier: Apache-2.0
/*
 * famfs status: what a running famfs server says about itself (device,
 * role, state, space, log, I/O counters), asked through MNT/.meta/.ctl.
 *
 * Also the front end's helpers for talking to a server (one request on a
 * fresh control-file session) and for reading the flat JSON objects its
 * replies carry; getmap, logplay, mkdir and clone use them (cmd/cmd.h).
 */
#include <ctype.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "famfs_client.h"

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
	"Options:\n"
	"  -j, --json      print the server's JSON report as it is\n"
	"  -h, --help      this text\n\n"
	"Exit: 0 reported, 1 not a famfs mount (or the server did not answer),\n"
	"2 usage error.\n";

/* --- talking to a server -------------------------------------------------- */

/* One request to the server of mount point @mnt; the reply in @r. */
int famfs_ctl_request(const char *mnt, const struct famfs_ctl_req *q,
		      struct famfs_ctl_rep *r, struct famfs_why *why)
{
	struct famfs_client c;
	int rc;

	rc = famfs_client_open(&c, mnt, why);
	if (rc) {
		if (rc == -EACCES)
			famfs_why_set(why, "only root may use the control file of %s",
				      mnt);
		return rc;
	}
	rc = famfs_client_call(&c, q, r, why);
	famfs_client_close(&c);
	return rc;
}

/* --- reading the server's flat JSON -------------------------------------- */

/* The closing quote of the JSON string whose opening quote is at @p. */
static const char *json_str_end(const char *p)
{
	for (p++; *p && *p != '"'; p++)
		if (*p == '\\' && p[1])
			p++;
	return *p ? p : NULL;
}

static const char *skip_space(const char *p)
{
	while (isspace((unsigned char)*p))
		p++;
	return p;
}

/* Where the value of the first member named @key starts, or NULL. */
const char *famfs_json_value(const char *js, const char *key)
{
	size_t n = strlen(key);
	const char *p = js, *e, *v;

	while ((p = strchr(p, '"')) != NULL) {
		e = json_str_end(p);
		if (!e)
			return NULL;
		v = skip_space(e + 1);
		if (*v == ':' && (size_t)(e - p - 1) == n && !memcmp(p + 1, key, n))
			return skip_space(v + 1);
		p = e + 1;
	}
	return NULL;
}

int famfs_json_u64(const char *js, const char *key, uint64_t *val)
{
	const char *v = famfs_json_value(js, key);
	char *end;

	if (!v || !isdigit((unsigned char)*v))
		return -ENOENT;
	errno = 0;
	*val = strtoull(v, &end, 10);
	return errno ? -errno : 0;
}

static char json_unescape(const char **pp)
{
	const char *p = *pp;
	unsigned int u = 0;

	*pp = p + 1;
	switch (*p) {
	case 'n': return '\n';
	case 't': return '\t';
	case 'r': return '\r';
	case 'b': return '\b';
	case 'f': return '\f';
	case 'u':
		if (sscanf(p + 1, "%4x", &u) == 1 && strlen(p + 1) >= 4)
			*pp = p + 5;
		return u && u < 0x80 ? (char)u : '?';
	default: return *p;		/* \" \\ \/ */
	}
}

/* A string member, unescaped (non-ASCII \u escapes become '?'). */
int famfs_json_str(const char *js, const char *key, char *out, size_t len)
{
	const char *v = famfs_json_value(js, key);
	size_t n = 0;

	if (!v || *v != '"' || !len)
		return -ENOENT;
	for (v++; *v && *v != '"'; ) {
		char c = *v++;

		if (c == '\\' && *v)
			c = json_unescape(&v);
		if (n + 1 < len)
			out[n++] = c;
	}
	out[n] = 0;
	return 0;
}

/* --- famfs status ---------------------------------------------------------- */

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
	printf("  mount       %s\n", str(js, "mount", a, sizeof(a)));
	printf("  role        %s\n", str(js, "role", b, sizeof(b)));
	printf("  state       %s\n", str(js, "state", b, sizeof(b)));
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

	if (famfs_ctl_request(s->mnt, &q, &r, &why) || r.msg[0] != '[')
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
		rc = famfs_ctl_request(s->mnt, &q, &r, &why);
	if (rc) {
		famfs_err(s->ctx, "%s: %s", s->path, why.msg);
		return FAMFS_EXIT_FAIL;
	}
	if (s->json)
		print_json(s, r.msg);
	else
		print_human(s, r.msg);
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
	while ((opt = getopt_long(argc, argv, "jh", status_opts, NULL)) != -1) {
		switch (opt) {
		case 'j': s->json = 1; break;
		case 'h': fputs(famfs_status_usage, stdout); free(s); return 0;
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
