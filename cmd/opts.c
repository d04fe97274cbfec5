// SPDX-License-Identifier: Apache-2.0
/*
 * Option parsing shared by every command: the getopt short-option string
 * is made from the command's struct option table, so the two cannot
 * drift; "-?" is help, as upstream famfs has it; FAMFS_MODE and
 * --fuse/--nofuse choose the mode, and FUSE is the only mode there is.
 *
 * In a table, an entry whose val is a letter or digit is also that short
 * option (with the table's has_arg); a val of FAMFS_OPT_LONG or more is a
 * long option only.
 */
#include <ctype.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

/* The short-option string of @lo, "+" first when @in_order. */
static void short_string(const struct option *lo, int in_order, char *buf,
			 size_t len)
{
	size_t n = 0;

	if (in_order)
		buf[n++] = '+';
	for (; lo->name; lo++) {
		if (lo->val <= 0 || lo->val >= 128 || !isalnum(lo->val))
			continue;
		buf[n] = 0;
		if (strchr(buf, lo->val) || n + 4 > len)
			continue;	/* the same letter for two long names */
		buf[n++] = (char)lo->val;
		if (lo->has_arg != no_argument)
			buf[n++] = ':';
		if (lo->has_arg == optional_argument)
			buf[n++] = ':';
	}
	buf[n] = 0;
}

static int getopt_table(int argc, char **argv, const struct option *lo,
			int in_order)
{
	/*
	 * The string of the last table: a command calls this once per
	 * option (creat -M, 40,000 arguments: rebuilding it was 15% of the
	 * run's instructions).  Options are parsed by one thread.
	 */
	static const struct option *last;
	static int last_order;
	static char shorts[FAMFS_OPT_SHORTS];
	int c;

	if (lo != last || in_order != last_order) {
		short_string(lo, in_order, shorts, sizeof(shorts));
		last = lo;
		last_order = in_order;
	}
	optopt = 0;
	c = getopt_long(argc, argv, shorts, lo, NULL);
	/* '?' is in no table: getopt refuses "-?" and names it in optopt */
	if (c == '?' && optopt == '?')
		return FAMFS_OPT_HELP;
	return c;
}

int famfs_getopt(int argc, char **argv, const struct option *lo)
{
	return getopt_table(argc, argv, lo, 0);
}

int famfs_getopt_inorder(int argc, char **argv, const struct option *lo)
{
	return getopt_table(argc, argv, lo, 1);
}

void famfs_shortopts(const struct option *lo, char *buf, size_t len)
{
	short_string(lo, 0, buf, len);
}

/* The command's help on stdout; the commands return -1 after it (exit 0). */
int famfs_show_help(const struct famfs_ctx *ctx)
{
	fputs(ctx->cmd->usage, stdout);
	return -1;
}

/* FAMFS_MODE: 0 unset, 1 fuse, 2 v1; anything else is warned about once. */
static int env_mode(const struct famfs_ctx *ctx)
{
	const char *e = getenv("FAMFS_MODE");

	if (!e || !*e)
		return 0;
	if (!strcmp(e, "fuse"))
		return FAMFS_MODE_FUSE;
	if (!strcmp(e, "v1"))
		return FAMFS_MODE_V1;
	famfs_warn(ctx, "FAMFS_MODE=%s is neither fuse nor v1; ignored (famfs runs as FUSE)",
		   e);
	return 0;
}

/*
 * After the options: the mode asked for by --fuse/--nofuse, else by
 * FAMFS_MODE (the flags win, as upstream).  FUSE is the only mode here:
 * the standalone "v1" kernel module does not exist for this famfs, so
 * v1 is refused before anything is touched.  Returns 0 or the command's
 * usage exit code.
 */
int famfs_mode_check(const struct famfs_ctx *ctx)
{
	int env = env_mode(ctx);

	if (ctx->mode_opt == FAMFS_MODE_V1)
		return famfs_usage_error(ctx, "-F/--nofuse (the standalone famfs v1 kernel module) is not supported: this famfs runs only as a FUSE filesystem; drop -F/--nofuse (nothing was done)");
	if (!ctx->mode_opt && env == FAMFS_MODE_V1)
		return famfs_usage_error(ctx, "FAMFS_MODE=v1 (the standalone famfs v1 kernel module) is not supported: this famfs runs only as a FUSE filesystem; unset FAMFS_MODE or set it to fuse (nothing was done)");
	return 0;
}
