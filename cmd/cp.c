// SPDX-License-Identifier: Apache-2.0
/*
 * famfs cp: copy files and trees into a mounted famfs (on the master).
 * Every destination directory and file is made through the control file
 * first, in order; then the data of all files is copied through the mount
 * by a pool of threads.  An existing destination of the same size is
 * reused and rewritten, so an interrupted cp can simply be run again.
 */
#include <dirent.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "batch.h"
#include "cmd.h"
#include "cp.h"
#include "famfs_ctl.h"

const char famfs_cp_usage[] =
	"usage: famfs cp [options] SRC DEST\n"
	"       famfs cp [options] SRC... DIR\n\n"
	"Copy files (and with -r, directory trees) into a mounted famfs\n"
	"filesystem, on its master.  DEST is a new or existing file, or an\n"
	"existing directory (also the mount point, with or without a trailing\n"
	"slash); several sources need a directory.  A destination file that\n"
	"exists with the source's size is rewritten (an interrupted cp can be\n"
	"run again); another size is an error.  Without -a famfs files cannot\n"
	"be empty: empty sources are skipped (an error when it is the only\n"
	"file); symbolic links inside trees are copied as links, never\n"
	"followed (as cp -r does), and devices, FIFOs and sockets are refused.\n\n"
	"With -a (archive, as cp -a) everything is copied as it is: directories\n"
	"recursively; symbolic links as links, never followed (also SRC itself);\n"
	"empty files, FIFOs, sockets and device nodes (their number only);\n"
	"every mode bit (setuid, setgid, sticky), owner, group and mtime (to the\n"
	"nanosecond); names of one source inode inside the copy as hard links;\n"
	"extended attributes of every namespace (user, trusted, security, system:\n"
	"capabilities, POSIX ACLs; not user.famfs.identity, which a famfs server\n"
	"shows of itself).  The ctime of a copy is the time it was made.\n"
	"Running the same cp -a again finishes an interrupted copy: what is in\n"
	"place (same type; files of the same size, rewritten; links to the same\n"
	"target; the same attributes) is kept and not logged again, and what\n"
	"differs in mode, owner or mtime is set to the source's.  A DEST that\n"
	"a first cp -a SRC DEST made (a directory with SRC's mode, owner and\n"
	"mtime to the nanosecond, and no entry named as SRC) is taken as the\n"
	"copy again, not as a directory to copy into; -T says so always.\n\n"
	"Options:\n"
	"  -a, --archive          copy trees as they are (see above)\n"
	"  -T, --no-target-directory\n"
	"                         DEST is the copy of SRC even when it is an\n"
	"                         existing directory (copy into it)\n"
	"  -r, --recursive        copy directories and their contents\n"
	"  -t, --threads N        copy threads, 0..256 (default: one per CPU;\n"
	"                         0 = copy in the calling thread)\n"
	"      --threadct N       the same as --threads\n"
	"  -m, --mode OCTAL       mode of the new files (default, or 0: the\n"
	"                         source's mode & 0777; with -a the source's\n"
	"                         whole mode, and -m sets regular files' only)\n"
	"  -u, --uid N            owner (numeric; default: the caller; with -a\n"
	"                         the source's, and -u sets every copy's)\n"
	"  -g, --gid N            group (numeric; as -u)\n"
	"  -N, --nstrips N        interleave files over N strips (0..32)\n"
	"  -C, --chunksize SIZE   interleave chunk (default 2M; used with -N)\n"
	"  -B, --nbuckets N       accepted for compatibility: N >= nstrips, <= 64\n"
	"  -c, --compare          copy nothing: compare each source with its\n"
	"                         destination (which must exist), as upstream's\n"
	"                         cp -c; exit 1 names the first difference\n"
	"  -v, --verbose          name every file copied\n"
	"  -h, -?, --help         this text\n\n"
	"On a terminal, progress (bytes copied / total) is shown on stderr.\n"
	"Each failure is one line naming the source and the cause.  When the\n"
	"filesystem has no room left (memory or log full) or refuses every\n"
	"change, cp stops at once, after writing the data of the files it made.\n"
	"Exit: 0 everything copied, 1 something was not copied (or cp stopped),\n"
	"2 usage error.\n";

static const struct option cp_opts[] = {
	{ "recursive", no_argument, NULL, 'r' },
	{ "archive", no_argument, NULL, 'a' },
	{ "no-target-directory", no_argument, NULL, 'T' },
	{ "threads", required_argument, NULL, 't' },
	{ "threadct", required_argument, NULL, 't' },
	{ "mode", required_argument, NULL, 'm' },
	{ "uid", required_argument, NULL, 'u' },
	{ "gid", required_argument, NULL, 'g' },
	{ "nstrips", required_argument, NULL, 'N' },
	{ "chunksize", required_argument, NULL, 'C' },
	{ "nbuckets", required_argument, NULL, 'B' },
	{ "compare", no_argument, NULL, 'c' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int cp_args(struct cp_ctx *cp, int argc, char **argv)
{
	struct famfs_ctx *ctx = cp->ctx;
	int opt, rc;

	while ((opt = famfs_getopt(argc, argv, cp_opts)) != -1) {
		cp->uid_set |= opt == 'u';
		cp->gid_set |= opt == 'g';
		rc = famfs_make_opt(ctx, opt, optarg, &cp->o);
		if (rc >= 0) {
			if (rc)
				return rc;
			continue;
		}
		switch (opt) {
		case 'r': cp->recursive = 1; break;
		case 'a': cp->archive = cp->recursive = 1; break;
		case 'T': cp->no_target_dir = 1; break;
		case 'c': cp->compare = 1; break;
		case 'v': ctx->verbose++; break;
		case 'h': case FAMFS_OPT_HELP: fputs(famfs_cp_usage, stdout); return -1;
		default: return famfs_bad_option(ctx);
		}
	}
	if (argc - optind < 2)
		return famfs_usage_error(ctx, "%s", argc == optind ?
					 "no source and destination given" :
					 "no destination given");
	cp->srcs = argv + optind;
	cp->nsrc = argc - optind - 1;
	cp->dest = argv[argc - 1];
	if (cp->no_target_dir && cp->nsrc > 1)
		return famfs_usage_error(ctx, "-T/--no-target-directory takes one source");
	if (cp->archive && cp->compare)
		return famfs_usage_error(ctx, "-a/--archive and -c/--compare do not go together");
	return famfs_make_opts_check(ctx, &cp->o);
}

void famfs_cp_err(struct cp_ctx *cp, const char *path, const char *why)
{
	famfs_err(cp->ctx, "%s: %s", path, why);
	cp->errors++;
}

/* Errors after which no other request can succeed: stop copying. */
int famfs_cp_fatal(int rc)
{
	return rc == -ENOSPC || rc == -EROFS || rc == -ESTALE ||
	       rc == -ENOTCONN || rc == -EDQUOT;
}

/* The last component of @src (its real one for ".", ".." or "x/.."). */
static char *src_name(const char *src)
{
	size_t len = strlen(src), start;
	char real[PATH_MAX];
	const char *base;

	while (len > 1 && src[len - 1] == '/')
		len--;
	for (start = len; start > 0 && src[start - 1] != '/'; start--)
		;
	if (len - start && !(len - start == 1 && src[start] == '.') &&
	    !(len - start == 2 && !memcmp(src + start, "..", 2)))
		return strndup(src + start, len - start);
	if (!realpath(src, real) || !strcmp(real, "/"))
		return NULL;
	base = strrchr(real, '/') + 1;
	return strdup(base);
}

int famfs_cp_add_copy(struct cp_ctx *cp, const char *src, char *dst,
		      uint64_t size)
{
	size_t cap = cp->cap ? 2 * cp->cap : 64;
	struct famfs_dataio_file *f = cp->f;

	if (cp->n == cp->cap) {		/* grow by doubling: trees are big */
		f = realloc(cp->f, cap * sizeof(*f));
		if (!f)
			return -ENOMEM;
		cp->f = f;
		cp->cap = cap;
	}
	f = &cp->f[cp->n];
	memset(f, 0, sizeof(*f));
	f->src = strdup(src);
	if (!f->src)
		return -ENOMEM;
	f->path = dst;
	f->size = size;
	cp->n++;
	return 0;
}

/* The outcome of one queued create (batch.c); nonzero: stop copying. */
static int cp_done(void *arg, struct famfs_batch_item *it, int rc, int made,
		   const char *msg)
{
	struct cp_ctx *cp = arg;

	if (rc && famfs_cp_fatal(rc)) {
		/* plain cp names the file it could not make, -a the source */
		famfs_err(cp->ctx, "%s: %s: copy stopped",
			  it->tag == CPB_FILE || it->tag == CPB_DIR ? it->dst :
			  it->src, msg);
		cp->errors++;
		cp->stop = 1;
		return 1;
	}
	if (rc && it->tag == CPB_FILE) {
		famfs_make_explain(cp->ctx, it->dst, it->dst, it->size, rc, msg);
		cp->errors++;
		return 0;
	}
	if (rc) {
		famfs_cp_err(cp, it->src, msg);
		return 0;
	}
	cp->nodes += it->tag == CPB_NODE || it->tag == CPB_AFILE;
	if (it->tag == CPB_FILE)
		famfs_verbose(cp->ctx, "%s -> %s (%s)", it->src, it->dst,
			      made ? "created" : "exists with that size: rewritten");
	else if (it->tag != CPB_XATTR && it->tag != CPB_DIR)
		famfs_verbose(cp->ctx, "%s -> %s (%s)", it->src, it->dst,
			      made ? "copied" : "already there: kept");
	if (it->tag != CPB_FILE && it->tag != CPB_AFILE)
		return 0;
	if (famfs_cp_add_copy(cp, it->src, it->dst, it->size)) {
		famfs_cp_err(cp, it->src, "out of memory");
		return 0;
	}
	it->dst = NULL;			/* the copy list has it now */
	cp->f[cp->n - 1].tag = it->tag == CPB_AFILE;
	cp->f[cp->n - 1].update = it->tag == CPB_AFILE && !made;
	return 0;
}

/*
 * Queue the create @q made for @src (shown as @dst; @size bytes of data
 * to copy when it is a file).  0, or -errno when copying must stop.
 */
int famfs_cp_queue(struct cp_ctx *cp, const struct famfs_ctl_req *q,
		   const char *src, const char *dst, uint64_t size, int kind)
{
	struct famfs_batch_item it = {
		.src = strdup(src), .dst = strdup(dst), .size = size,
		.tag = kind,
	};
	int rc;

	if (!cp->b)
		cp->b = famfs_batch_new(cp->c, cp_done, cp);
	if (!it.src || !it.dst || !cp->b) {
		free(it.src);
		free(it.dst);
		famfs_cp_err(cp, src, "out of memory");
		return -ENOMEM;
	}
	rc = famfs_batch_add(cp->b, q, &it);
	if (rc == -EINVAL)
		famfs_cp_err(cp, src, "cannot be sent to the server (too long)");
	return rc == -ECANCELED ? 0 : rc;
}

/* Create the destination of regular file @src and queue its data. */
static void copy_file(struct cp_ctx *cp, const char *src, const char *rel,
		      const struct stat *st)
{
	uint32_t mode = cp->o.mode ? cp->o.mode : (uint32_t)st->st_mode & 0777;
	char *dst;

	if (!st->st_size) {
		if (cp->single)
			famfs_cp_err(cp, src, "is empty: famfs files cannot be empty");
		else
			famfs_warn(cp->ctx, "%s: is empty: skipped (famfs files cannot be empty)",
				   src);
		return;
	}
	dst = famfs_path_join(famfs_make_mnt(cp->c), rel);
	if (!dst) {
		famfs_cp_err(cp, src, "out of memory");
		return;
	}
	if (cp->compare) {		/* -c: nothing is created */
		if (famfs_cp_add_copy(cp, src, dst, (uint64_t)st->st_size)) {
			famfs_cp_err(cp, src, "out of memory");
			free(dst);
		}
		return;
	}
	if (strlen(rel) > FAMFS_PATH_MAX) {
		famfs_cp_err(cp, dst, "path longer than 1023 bytes");
		free(dst);
		return;
	}
	memset(cp->q, 0, sizeof(*cp->q));
	cp->q->op = FAMFS_CTL_CREATE;
	cp->q->flags = FAMFS_CTL_F_EXIST_OK;
	cp->q->mode = mode & 07777;
	cp->q->uid = cp->o.uid;
	cp->q->gid = cp->o.gid;
	cp->q->size = (uint64_t)st->st_size;
	if (cp->o.nstrips) {
		cp->q->nstrips = cp->o.nstrips;
		cp->q->chunk = cp->o.chunk;
	}
	memcpy(cp->q->path, rel, strlen(rel) + 1);
	famfs_cp_queue(cp, cp->q, src, dst, (uint64_t)st->st_size, CPB_FILE);
	free(dst);
}

static void copy_tree(struct cp_ctx *cp, const char *dir, const char *rel,
		      const struct stat *st);

/* One entry of a source tree (not followed if a symbolic link). */
static void copy_entry(struct cp_ctx *cp, const char *dir, const char *rel,
		       const char *name)
{
	char *src = famfs_path_join(dir, name);
	char *crel = famfs_path_join(rel, name);
	struct stat st;

	if (!src || !crel)
		famfs_cp_err(cp, dir, "out of memory");
	else if (lstat(src, &st))
		famfs_cp_err(cp, src, strerror(errno));
	else if (cp->archive && !S_ISDIR(st.st_mode))
		famfs_cpa_node(cp, src, crel, &st);
	else if (S_ISDIR(st.st_mode))
		copy_tree(cp, src, crel, &st);
	else if (S_ISREG(st.st_mode))
		copy_file(cp, src, crel, &st);
	else if (S_ISLNK(st.st_mode))
		famfs_cp_symlink(cp, src, crel, &st);	/* reported */
	else
		famfs_cp_err(cp, src, "not a regular file: not copied");
	free(src);
	free(crel);
}

/* Directory @dir as @rel (mkdir -p), then everything in it. */
static void copy_tree(struct cp_ctx *cp, const char *dir, const char *rel,
		      const struct stat *st)
{
	char *shown = famfs_path_join(famfs_make_mnt(cp->c), rel);
	struct dirent **ents = NULL;
	int n, rc;

	cp->single = 0;			/* empty files in trees are skipped */
	if (cp->archive)
		rc = famfs_cpa_node(cp, dir, rel, st) ? -1 : 0;
	else if (cp->compare || !*rel)
		rc = 0;
	else if (!shown || strlen(rel) > FAMFS_PATH_MAX)
		rc = -ENAMETOOLONG;
	else {
		memset(cp->q, 0, sizeof(*cp->q));
		cp->q->op = FAMFS_CTL_MKDIR;
		cp->q->flags = FAMFS_CTL_F_PARENTS;
		cp->q->mode = (uint32_t)st->st_mode & 0777;
		cp->q->uid = cp->o.uid;
		cp->q->gid = cp->o.gid;
		memcpy(cp->q->path, rel, strlen(rel) + 1);
		rc = famfs_cp_queue(cp, cp->q, dir, shown, 0, CPB_DIR);
	}
	free(shown);
	if (rc) {
		if (rc == -ENAMETOOLONG)
			famfs_cp_err(cp, dir, "path longer than 1023 bytes");
		cp->stop |= famfs_cp_fatal(rc);
		return;
	}
	n = scandir(dir, &ents, NULL, alphasort);
	if (n < 0) {
		famfs_cp_err(cp, dir, strerror(errno));
		return;
	}
	for (int i = 0; i < n; i++) {
		const char *name = ents[i]->d_name;

		if (strcmp(name, ".") && strcmp(name, "..") && !cp->stop)
			copy_entry(cp, dir, rel, name);
		free(ents[i]);
	}
	free(ents);
}

/* Is the destination @rel (in the current mount) inside directory @src? */
static int into_itself(struct cp_ctx *cp, const char *src, const char *rel)
{
	char real[PATH_MAX], *dst = famfs_path_join(famfs_make_mnt(cp->c), rel);
	size_t n;
	int in;

	if (!dst || !realpath(src, real)) {
		free(dst);
		return 0;
	}
	n = strlen(real);
	in = !strncmp(dst, real, n) && (dst[n] == '/' || !dst[n] || n == 1);
	free(dst);
	return in;
}

/* One command-line source, to @rel or (@into_dir) to @rel/its name. */
static void copy_arg(struct cp_ctx *cp, const char *src, const char *rel,
		     int into_dir)
{
	char *name = NULL, *trel = NULL;
	struct stat st;

	if (cp->stop)
		return;
	if (cp->archive ? lstat(src, &st) : stat(src, &st)) {
		famfs_cp_err(cp, src, strerror(errno));
		return;
	}
	if (S_ISDIR(st.st_mode) && !cp->recursive) {
		famfs_cp_err(cp, src, "is a directory: not copied (use -r)");
		return;
	}
	if (!cp->archive && !S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode)) {
		famfs_cp_err(cp, src, "not a regular file: not copied");
		return;
	}
	name = into_dir ? src_name(src) : NULL;
	trel = into_dir ? (name ? famfs_path_join(rel, name) : NULL) :
			  strdup(rel);
	if (!trel)
		famfs_cp_err(cp, src, name || !into_dir ? "out of memory" :
		       "has no name to copy to");
	else if (cp->archive && !S_ISDIR(st.st_mode))
		famfs_cpa_node(cp, src, trel, &st);
	else if (S_ISREG(st.st_mode))
		copy_file(cp, src, trel, &st);
	else if (into_itself(cp, src, trel))
		famfs_cp_err(cp, src, "cannot copy a directory into itself");
	else
		copy_tree(cp, src, trel, &st);
	free(name);
	free(trel);
}

/*
 * cp -a SRC DEST run again: DEST (@st) is the directory the first run made
 * of SRC when it has SRC's mode, owner and mtime to the nanosecond and no
 * entry named as SRC; then it is the copy, not where the copy goes.
 */
static int earlier_copy(const struct cp_ctx *cp, const struct stat *st)
{
	size_t len = strlen(cp->dest);
	char *name, *in;
	struct stat s, x;
	int same;

	if (!cp->archive || cp->nsrc != 1 || (len && cp->dest[len - 1] == '/') ||
	    lstat(cp->srcs[0], &s) || !S_ISDIR(s.st_mode))
		return 0;
	same = s.st_mode == st->st_mode && s.st_uid == st->st_uid &&
	       s.st_gid == st->st_gid && s.st_mtim.tv_sec == st->st_mtim.tv_sec &&
	       s.st_mtim.tv_nsec == st->st_mtim.tv_nsec;
	name = same ? src_name(cp->srcs[0]) : NULL;
	in = name ? famfs_path_join(cp->dest, name) : NULL;
	same = in && lstat(in, &x) && errno == ENOENT;
	free(name);
	free(in);
	return same;
}

/*
 * Where DEST is: its path relative to the famfs root in @rel, and whether
 * sources go into it (an existing directory).  0 or the exit code.
 */
static int dest_of(struct cp_ctx *cp, char *rel, size_t rellen, int *into)
{
	size_t len = strlen(cp->dest);
	struct stat st;
	int exists = !stat(cp->dest, &st);

	*into = exists && S_ISDIR(st.st_mode) && !cp->no_target_dir;
	if (*into && earlier_copy(cp, &st)) {
		famfs_verbose(cp->ctx, "%s is the copy of %s made before: finishing it",
			      cp->dest, cp->srcs[0]);
		*into = 0;
	}
	if (!*into && (cp->nsrc > 1 || (len && cp->dest[len - 1] == '/'))) {
		famfs_err(cp->ctx, "%s: %s", cp->dest,
			  exists ? "not a directory" : "no such directory");
		return FAMFS_EXIT_FAIL;
	}
	if (famfs_make_target(cp->ctx, cp->c, cp->dest, rel, rellen))
		return FAMFS_EXIT_FAIL;
	return 0;
}

#define CMP_BUF	(1u << 20)

/* Read up to @len bytes of @fd at @off; 0 or -errno. */
static int read_at(int fd, char *buf, size_t len, uint64_t off, size_t *got)
{
	ssize_t n;

	*got = 0;
	while (*got < len) {
		n = pread(fd, buf + *got, len - *got, (off_t)(off + *got));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		*got += (size_t)n;
	}
	return 0;
}

/* -c: @f->src against @f->path; 0 when they are the same bytes. */
static int compare_one(struct cp_ctx *cp, const struct famfs_dataio_file *f,
		       char *a, char *b)
{
	int fa = open(f->src, O_RDONLY | O_CLOEXEC);
	int fb = open(f->path, O_RDONLY | O_CLOEXEC);
	size_t na = 0, nb = 0;
	uint64_t off = 0;
	int rc = fa < 0 || fb < 0 ? -errno : 0;

	struct stat st;

	if (rc)
		famfs_err(cp->ctx, "%s: %s", fa < 0 ? f->src : f->path,
			  strerror(-rc));
	if (!rc && !fstat(fb, &st) && (uint64_t)st.st_size != f->size) {
		famfs_err(cp->ctx, "%s and %s differ in size (%" PRIu64 " and %lld bytes)",
			  f->src, f->path, f->size, (long long)st.st_size);
		rc = -EILSEQ;
	}
	for (; !rc && off < f->size; off += na) {
		rc = read_at(fa, a, CMP_BUF, off, &na);
		if (!rc)
			rc = read_at(fb, b, CMP_BUF, off, &nb);
		if (rc) {
			famfs_err(cp->ctx, "%s: %s", f->src, strerror(-rc));
		} else if (na != nb || !na || memcmp(a, b, na)) {
			size_t i = 0;

			while (i < na && i < nb && a[i] == b[i])
				i++;
			famfs_err(cp->ctx, "%s and %s differ at offset %" PRIu64,
				  f->src, f->path, off + i);
			rc = -EILSEQ;
		}
	}
	if (fa >= 0)
		close(fa);
	if (fb >= 0)
		close(fb);
	if (!rc)
		famfs_verbose(cp->ctx, "%s and %s are the same", f->src, f->path);
	return rc;
}

static size_t compare_all(struct cp_ctx *cp)
{
	char *a = malloc(CMP_BUF), *b = malloc(CMP_BUF);
	size_t bad = 0;

	if (!a || !b) {
		famfs_err(cp->ctx, "out of memory");
		bad = cp->n ? cp->n : 1;
	}
	for (size_t i = 0; a && b && i < cp->n; i++)
		bad += compare_one(cp, &cp->f[i], a, b) != 0;
	free(a);
	free(b);
	return bad;
}

static void copy_data(struct cp_ctx *cp)
{
	size_t bad;

	if (cp->b)
		famfs_batch_flush(cp->b);
	if (cp->compare) {
		cp->errors += compare_all(cp);
		goto done;
	}
	bad = famfs_dataio_run(cp->ctx, FAMFS_DATAIO_COPY, cp->f, cp->n,
			   cp->o.threads, isatty(2));

	for (size_t i = 0; bad && i < cp->n; i++)
		famfs_dataio_report(cp->ctx, &cp->f[i]);
	cp->errors += bad;
	if (cp->archive)
		famfs_cpa_after_data(cp);
	if (cp->b)
		famfs_batch_flush(cp->b);
done:
	for (size_t i = 0; i < cp->n; i++) {
		free(cp->f[i].src);
		free(cp->f[i].path);
	}
	free(cp->f);
}

int famfs_cmd_cp(struct famfs_ctx *ctx, int argc, char **argv)
{
	struct cp_ctx cp = { .ctx = ctx };
	char rel[PATH_MAX];
	int rc, into;

	famfs_make_opts_init(&cp.o, 0);
	rc = cp_args(&cp, argc, argv);
	if (rc)
		return rc < 0 ? FAMFS_EXIT_OK : rc;
	cp.c = famfs_make_ctl_new();
	if (!cp.c)
		return FAMFS_EXIT_FAIL;
	rc = dest_of(&cp, rel, sizeof(rel), &into);
	cp.q = rc ? NULL : malloc(sizeof(*cp.q));
	if (!rc && !cp.q)
		rc = FAMFS_EXIT_FAIL;
	if (!rc) {
		cp.single = cp.nsrc == 1;
		for (int i = 0; i < cp.nsrc; i++)
			copy_arg(&cp, cp.srcs[i], rel, into);
		copy_data(&cp);
	}
	famfs_batch_free(cp.b);
	famfs_make_ctl_free(cp.c);
	famfs_cpa_free(&cp);
	if (rc)
		return rc;
	if (cp.archive)
		famfs_verbose(ctx, "%zu name(s) in place, %zu with data, %zu error(s)",
			      cp.nodes, cp.n, cp.errors);
	else
		famfs_verbose(ctx, "%zu file(s) copied, %zu error(s)", cp.n,
			      cp.errors);
	return cp.errors ? FAMFS_EXIT_FAIL : FAMFS_EXIT_OK;
}
