/*
 * The subject and the baselines of the checkpoint benchmark (bench.sh).
 *
 *   bench_prog run KIND MIB           print the fork() baseline, then loop
 *                                     over MIB of KIND until SIGTERM, one
 *                                     small write per iteration, and print
 *                                     every gap between two iterations
 *                                     above 100 us
 *   bench_prog once KIND MIB          fill, ask for a checkpoint, and when
 *                                     resumed print the wall clock and end
 *   bench_prog base KIND MIB DIR      write()+fsync of the bytes to DIR,
 *                                     and each codec's raw speed and ratio
 *   bench_prog rewrite KIND MIB PCT   at each SIGUSR1, write PCT % of the
 *                                     pages anew (random ones, data of the
 *                                     kind), until SIGTERM
 *   bench_prog calibrate KIND MIB PCT SECONDS
 *                                     the WORK that makes a round of job
 *                                     take SECONDS here
 *   bench_prog job KIND MIB PCT WORK ROUNDS
 *                                     ROUNDS rounds, each writing PCT % of
 *                                     the pages anew with WORK units of
 *                                     arithmetic per page; prints their time
 *
 * BENCH_THP=1 asks for transparent huge pages for the working set.
 *
 * KIND: doubles (numeric data: a smooth field plus noise, as simulations
 * hold), text (words and numbers, as logs and tables), halfzero (every
 * other 64 KiB zero, the rest doubles).
 */
#include <dlfcn.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "codec.h"

static double now(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static uint64_t rng = 88172645463325252ull;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void fill_doubles(double *d, size_t n)
{
	for (size_t i = 0; i < n; i++)
		d[i] = sin((double)i * 1e-4) * 1e3 +
		       (double)(next() % 1000000) * 1e-6;
}

static void fill_text(char *p, size_t len)
{
	static const char *const words[] = {
		"step", "energy", "residual", "converged", "node", "time",
		"pressure", "velocity", "iteration", "error", "ok", "mesh",
	};
	size_t at = 0;

	while (at < len) {
		char line[128];
		int n = snprintf(line, sizeof(line), "%s %s=%llu.%03llu %s\n",
				 words[next() % 12], words[next() % 12],
				 (unsigned long long)(next() % 100000),
				 (unsigned long long)(next() % 1000),
				 words[next() % 12]);

		if ((size_t)n > len - at)
			n = (int)(len - at);
		memcpy(p + at, line, (size_t)n);
		at += (size_t)n;
	}
}

static char *make(const char *kind, size_t bytes)
{
	char *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("mmap");
		exit(2);
	}
	/* BENCH_THP=1: transparent huge pages for the working set, where the
	 * kernel allows them (madvise mode). */
	if (getenv("BENCH_THP") && madvise(p, bytes, MADV_HUGEPAGE))
		perror("madvise(MADV_HUGEPAGE)");
	if (!strcmp(kind, "text")) {
		fill_text(p, bytes);
	} else if (!strcmp(kind, "halfzero")) {
		memset(p, 0, bytes); /* zeros written, not just never touched */
		for (size_t at = 0; at < bytes; at += 128 << 10)
			fill_doubles((double *)(p + at),
				     ((bytes - at < (64u << 10) ? bytes - at
							       : 64u << 10)) / 8);
	} else if (!strcmp(kind, "doubles")) {
		fill_doubles((double *)p, bytes / 8);
	} else {
		fprintf(stderr, "bench_prog: unknown kind %s\n", kind);
		exit(2);
	}
	return p;
}

/* A page written anew, with data of the kind. */
static void page_renew(char *page, const char *kind, size_t offset)
{
	if (!strcmp(kind, "text"))
		fill_text(page, 4096);
	else if (!strcmp(kind, "halfzero") && offset % (128u << 10) >= 64u << 10)
		memset(page, 0, 4096);
	else
		fill_doubles((double *)page, 4096 / 8);
}

static double spin_sink;

/* Arithmetic standing for a job's computation: one unit, a few ns. */
static void spin(long units)
{
	double x = spin_sink;

	for (long i = 0; i < units; i++)
		x = x * 1.0000001 + 1e-9;
	spin_sink = x;
}

/* PCT % of the pages, at random, written anew; work units after each. */
static void rewrite_pages(char *p, size_t bytes, const char *kind, double pct,
			  long work)
{
	size_t pages = bytes / 4096, n = (size_t)((double)pages * pct / 100);

	for (size_t k = 0; k < n; k++) {
		size_t at = (next() % pages) * 4096;

		page_renew(p + at, kind, at);
		spin(work);
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* fork() of this very process, its child ending at once. */
static double fork_median_us(void)
{
	double t[7];

	for (int i = 0; i < 7; i++) {
		double t0 = now(CLOCK_MONOTONIC);
		pid_t pid = fork();

		if (pid == 0)
			_exit(0);
		t[i] = (now(CLOCK_MONOTONIC) - t0) * 1e6;
		waitpid(pid, NULL, 0);
		usleep(20000);
	}
	qsort(t, 7, sizeof(*t), cmp_double);
	return t[3];
}

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

/* Until SIGTERM (or an hour): the harness asks for the checkpoints. */
static int run(char *p, size_t bytes)
{
	double last, t, start;
	size_t pages = bytes / 4096;

	signal(SIGTERM, on_term);
	printf("fork_us %.0f\n", fork_median_us());
	/* CLOCK_MONOTONIC: ckpt leaves a resume's jump out of it. */
	start = last = now(CLOCK_MONOTONIC);
	printf("loop\n");
	fflush(stdout);
	while (!stop && (t = now(CLOCK_MONOTONIC)) < start + 3600) {
		/* A write (the page is the program's again, a copy-on-write
		 * fault while a writer holds it) that keeps the data what it
		 * is: zeros stay zeros. */
		size_t at = (next() % pages) * 4096 + next() % 4096;

		if (t - last > 100e-6)
			printf("gap_us %.0f at %.3f\n", (t - last) * 1e6,
			       t - start);
		last = t;
		((volatile char *)p)[at] = ((volatile char *)p)[at];
	}
	/* Again, the memory now as the checkpoints left it. */
	printf("fork_after_us %.0f\n", fork_median_us());
	return 0;
}

static volatile sig_atomic_t asked;

static void on_usr1(int sig)
{
	(void)sig;
	asked++;
}

static int rewrite(char *p, size_t bytes, const char *kind, double pct)
{
	sigset_t usr1, old;
	int done = 0;

	signal(SIGTERM, on_term);
	signal(SIGUSR1, on_usr1);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigaddset(&usr1, SIGTERM);
	sigprocmask(SIG_BLOCK, &usr1, &old);
	printf("ready\n");
	while (!stop) {
		while (!stop && asked == done)
			sigsuspend(&old);
		for (; !stop && done < asked; done++) {
			rewrite_pages(p, bytes, kind, pct, 0);
			printf("rewritten %d\n", done + 1);
		}
	}
	return 0;
}

static int calibrate(char *p, size_t bytes, const char *kind, double pct,
		     double seconds)
{
	double n = (double)(bytes / 4096) * pct / 100;
	double t0 = now(CLOCK_MONOTONIC), left, unit;

	rewrite_pages(p, bytes, kind, pct, 0);
	/* Per page: the time asked for, less what writing it takes. */
	left = (seconds - (now(CLOCK_MONOTONIC) - t0)) / (n < 1 ? 1 : n);
	t0 = now(CLOCK_MONOTONIC);
	spin(100000000);
	unit = (now(CLOCK_MONOTONIC) - t0) / 1e8;
	printf("work %.0f\n", left > 0 ? left / unit : 0.0);
	return 0;
}

static int job(char *p, size_t bytes, const char *kind, double pct, long work,
	       long rounds)
{
	double t0 = now(CLOCK_MONOTONIC);

	for (long r = 0; r < rounds; r++)
		rewrite_pages(p, bytes, kind, pct, work);
	printf("job_s %.3f\n", now(CLOCK_MONOTONIC) - t0);
	return 0;
}

static int once(void)
{
	int (*checkpoint)(void) =
		(int (*)(void))dlsym(RTLD_DEFAULT, "ckpt_checkpoint");
	int rc;

	if (!checkpoint) {
		fprintf(stderr, "bench_prog: libckpt is not loaded\n");
		return 2;
	}
	rc = checkpoint();
	if (rc == 1)
		printf("resumed_at %.6f\n", now(CLOCK_REALTIME));
	return rc < 0 ? 1 : 0;
}

static double write_fsync_mbs(const char *p, size_t bytes, const char *dir)
{
	char path[4096];
	double t0;
	int fd;

	snprintf(path, sizeof(path), "%s/bench-write.tmp", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return 0;
	t0 = now(CLOCK_MONOTONIC);
	for (size_t at = 0; at < bytes;) {
		ssize_t n = write(fd, p + at, bytes - at < (1u << 20)
						      ? bytes - at : 1u << 20);
		if (n <= 0)
			break;
		at += (size_t)n;
	}
	fsync(fd);
	t0 = now(CLOCK_MONOTONIC) - t0;
	close(fd);
	unlink(path);
	return (double)bytes / t0 / 1e6;
}

/* One core, chunks of 1 MiB as ckpt stores them (zero pages left out). */
static void codec_speed(const char *p, size_t bytes, int codec, int level)
{
	size_t chunk = 1u << 20, in = 0, out = 0;
	size_t size = codec_enc_size(codec, level);
	void *mem = size ? malloc(size) : NULL, *dst = malloc(2 * chunk);
	struct codec_enc e;
	double t0;

	if ((size && !mem) || !dst || codec_enc_init(&e, codec, level, mem, size))
		return;
	t0 = now(CLOCK_MONOTONIC);
	for (size_t at = 0; at + chunk <= bytes; at += chunk) {
		size_t n = codec_encode(&e, p + at, chunk, dst, 2 * chunk);

		in += chunk;
		out += n ? n : chunk;
	}
	t0 = now(CLOCK_MONOTONIC) - t0;
	codec_enc_end(&e);
	printf("codec %d:%d %.0f %.3f\n", codec, level, (double)in / t0 / 1e6,
	       (double)out / (double)in);
	free(mem);
	free(dst);
}

int main(int argc, char **argv)
{
	size_t bytes;
	char *p;

	if (argc < 4) {
		fprintf(stderr, "usage: bench_prog run|once|base|rewrite|calibrate|"
				"job KIND MIB ...\n");
		return 2;
	}
	bytes = strtoul(argv[3], NULL, 10) << 20;
	p = make(argv[2], bytes);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(argv[1], "run"))
		return run(p, bytes);
	if (!strcmp(argv[1], "once"))
		return once();
	if (!strcmp(argv[1], "rewrite") && argc > 4)
		return rewrite(p, bytes, argv[2], atof(argv[4]));
	if (!strcmp(argv[1], "calibrate") && argc > 5)
		return calibrate(p, bytes, argv[2], atof(argv[4]), atof(argv[5]));
	if (!strcmp(argv[1], "job") && argc > 6)
		return job(p, bytes, argv[2], atof(argv[4]), atol(argv[5]),
			   atol(argv[6]));
	if (!strcmp(argv[1], "base") && argc > 4) {
		size_t sample = bytes < (256u << 20) ? bytes : 256u << 20;
		static const int codecs[][2] = {
			{ CKPT_CODEC_LZ4, 1 }, { CKPT_CODEC_ZSTD, 1 },
			{ CKPT_CODEC_ZSTD, 3 }, { CKPT_CODEC_ZLIB, 1 },
		};

		printf("write_fsync_mbs %.0f\n", write_fsync_mbs(p, bytes, argv[4]));
		for (size_t i = 0; i < sizeof(codecs) / sizeof(*codecs); i++)
			codec_speed(p, sample, codecs[i][0], codecs[i][1]);
		return 0;
	}
	fprintf(stderr, "bench_prog: bad arguments\n");
	return 2;
}
