// SPDX-License-Identifier: Apache-2.0
/*
 * peakrss: run a command and report its wall-clock time and peak memory.
 *
 *   peakrss [-o FILE] [-t SECONDS] CMD [ARG...]
 *
 * Forks, execs CMD (searched in $PATH), waits for it with wait4() and
 * writes one line to FILE (default: standard error):
 *
 *   <wall seconds> <max RSS KiB> <exit status>
 *
 * Wall time is CLOCK_MONOTONIC from just before fork() to the return of
 * wait4(), so it includes fork and exec (tens to hundreds of microseconds).
 * Max RSS is ru_maxrss of the child as the kernel reports it to wait4()
 * (Linux: KiB, the high-water mark of resident anonymous *and* file-backed
 * pages, e.g. pages of a mapped image that the command has touched).  The
 * exit status is the child's exit code, or 128 + signal number.  peakrss
 * exits with that same status, so callers can still check the command.
 * With -t, a command still running after SECONDS is killed (SIGKILL), so
 * a caller's run time stays bounded; its status is then 128 + 9.
 *
 * Used by bench/run.sh so the benchmarks need neither GNU time nor root.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t expired;

static void on_alarm(int sig)
{
	(void)sig;
	expired = 1;
}

static void usage(void)
{
	fputs("usage: peakrss [-o FILE] [-t SECONDS] CMD [ARG...]\n", stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	const char *out = NULL;
	unsigned int limit = 0;
	struct sigaction sa;
	struct timespec t0, t1;
	struct rusage ru;
	FILE *f = stderr;
	int argi = 1, status, code;
	pid_t pid;
	double wall;

	while (argi + 1 < argc && argv[argi][0] == '-') {
		if (!strcmp(argv[argi], "-o"))
			out = argv[argi + 1];
		else if (!strcmp(argv[argi], "-t"))
			limit = (unsigned int)strtoul(argv[argi + 1], NULL, 10);
		else
			usage();
		argi += 2;
	}
	if (argi >= argc)
		usage();
	if (out) {
		f = fopen(out, "w");
		if (!f) {
			fprintf(stderr, "peakrss: %s: %s\n", out, strerror(errno));
			return 2;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "peakrss: fork: %s\n", strerror(errno));
		return 2;
	}
	if (pid == 0) {
		if (f != stderr)
			fclose(f);
		execvp(argv[argi], argv + argi);
		fprintf(stderr, "peakrss: %s: %s\n", argv[argi], strerror(errno));
		_exit(127);
	}
	if (limit) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_alarm;	/* no SA_RESTART: wait4 returns */
		sigaction(SIGALRM, &sa, NULL);
		alarm(limit);
	}
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno == EINTR) {
			if (expired) {
				fprintf(stderr, "peakrss: %s: killed after %u s\n",
					argv[argi], limit);
				kill(pid, SIGKILL);
				expired = 0;
			}
			continue;
		}
		fprintf(stderr, "peakrss: wait4: %s\n", strerror(errno));
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	wall = (double)(t1.tv_sec - t0.tv_sec) +
	       (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (WIFEXITED(status))
		code = WEXITSTATUS(status);
	else if (WIFSIGNALED(status))
		code = 128 + WTERMSIG(status);
	else
		code = 255;
	fprintf(f, "%.6f %ld %d\n", wall, ru.ru_maxrss, code);
	if (f != stderr && fclose(f)) {
		fprintf(stderr, "peakrss: %s: %s\n", out, strerror(errno));
		return 2;
	}
	return code;
}
