/*
 * The scenario driver: runs a program uninterrupted for reference, then
 * under ckpt-launch, kills it with SIGKILL at random moments after fresh
 * images appear, resumes it with ckpt-resume, and compares the final output
 * and exit status with the reference.
 *
 *   scenario [OPTIONS] -- PROG [ARGS...]
 *     --bin DIR          where ckpt-launch and ckpt-resume are (required)
 *     --period S         checkpoint period passed to ckpt-launch (0.2)
 *     --compress L       compression level for ckpt-launch
 *     --kills N          kill/resume cycles before the last resume (1)
 *     --max-delay-ms M   random wait after a new image, before the kill (300)
 *     --max-image-kib K  fail when an image is larger than K KiB
 *     --demand           no period: the driver sends the checkpoint signal
 *                        (SIGRTMAX-2) itself, at random moments
 *     --preload LIB      start the program with LD_PRELOAD=LIB and CKPT_*
 *                        variables instead of ckpt-launch
 *     --damage           also check that damaged copies of an image are
 *                        refused cleanly, and that the intact one resumes
 *     --seed N           seed of the random kill moments (printed each run)
 *     --setup CMD        run "sh -c CMD" in both program directories first
 *     --compare FILE     also compare this file the program writes (repeat)
 *     --compare-all      compare every file of the two program directories:
 *                        the same names, the same bytes
 *     --stdout FILE      name of the program's stdout file (default stdout)
 *     --resume-arg ARG   pass ARG to ckpt-resume (repeat)
 *     --during-write     kill while an image is being written (the image's
 *                        .tmp exists), at a random moment in it, until
 *                        --kills kills landed there; after each, the newest
 *                        complete image must be intact
 *     --kill-resumes N   also kill every Nth resume at a random moment in
 *                        its first --max-resume-ms (30) and resume again
 *     --merge            before each resume, merge the image's chain into
 *                        one full image with ckpt-merge, remove the
 *                        chain's IMAGE.N links and resume the merged image
 *                        alone
 *     --keep             keep the work directory
 *
 * Layout of the work directory: ref/ holds the uninterrupted run, run/ the
 * checkpointed one (both start there); resumes start in elsewhere/, so the
 * program must find its files again from its own saved working directory.
 *
 * The driver is a child subreaper and reaps what it started, by pid.
 * Prints "scenario: PASS ..." or "scenario: FAIL reason" and exits 0 or 1.
 */
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ckpt_image.h"
#include "image.h"

static struct {
	const char *bin, *period, *compress;
	int kills, max_delay_ms, damage, keep, demand;
	int during_write, kill_resumes, max_resume_ms;
	int killed_writing, killed_resuming;
	int incremental; /* --incremental: a kill must follow one */
	int merge, merged; /* --merge; chains of more than one image merged */
	int seen_incremental, seen_full, kills_done;
	const char *preload, *setup, *stdout_name;
	const char *compare[16];
	int ncompare, compare_all, nresume_args;
	char *resume_args[8];
	unsigned seed;
	long max_image_kib;
	char work[256], image[320];
	char **prog;
} opt = { .period = "0.2", .kills = 1, .max_delay_ms = 300, .max_resume_ms = 30,
	  .stdout_name = "stdout" };

static pid_t running; /* killed if the scenario fails */
static char *work_file(const char *name);
static char *dir_file(const char *dir, const char *name);

/* Up to max lines of path starting with prefix ("" for the last max
 * lines), so that a CI log shows why, not only that. */
static void show_lines(const char *path, const char *prefix, int max)
{
	char line[512], ring[10][512];
	int n = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, prefix, strlen(prefix)) &&
		    (*prefix ? n < max : 1))
			snprintf(ring[n++ % 10], sizeof(ring[0]), "%s", line);
	fclose(f);
	for (int i = n > max ? n - max : 0; i < n; i++)
		printf("scenario: %s | %s", path, ring[i % 10]);
}

static void __attribute__((noreturn, format(printf, 1, 2)))
fail(const char *fmt, ...)
{
	va_list ap;

	if (opt.work[0]) {
		show_lines(dir_file("run", opt.stdout_name), "FAIL:", 10);
		show_lines(work_file("err"), "", 10);
	}

	printf("scenario: FAIL ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(" (work directory %s kept)\n", opt.work);
	fflush(stdout);
	if (running > 0)
		kill(running, SIGKILL);
	exit(1);
}

static char *work_file(const char *name)
{
	static char bufs[4][512];
	static int next;
	char *b = bufs[next++ % 4];

	snprintf(b, sizeof(bufs[0]), "%s/%s", opt.work, name);
	return b;
}

static char *dir_file(const char *dir, const char *name)
{
	static char bufs[4][600];
	static int next;
	char *b = bufs[next++ % 4];

	snprintf(b, sizeof(bufs[0]), "%s/%s/%s", opt.work, dir, name);
	return b;
}

static char *run_file(const char *name) { return dir_file("run", name); }
static char *ref_file(const char *name) { return dir_file("ref", name); }

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Start argv in dir with stdout to out_path (truncated when trunc) and
 * stderr appended to the work directory's err file. */
static pid_t spawn(char **argv, const char *dir, const char *out_path,
		   int trunc)
{
	pid_t pid = fork();

	if (pid < 0)
		fail("fork: %s", strerror(errno));
	if (pid == 0) {
		int out = open(out_path, O_WRONLY | O_CREAT | (trunc ? O_TRUNC : 0),
			       0644);

		if (chdir(dir))
			_exit(125);
		int err = open(work_file("err"), O_WRONLY | O_CREAT | O_APPEND,
			       0644);

		if (out < 0 || err < 0)
			_exit(126);
		dup2(out, 1);
		dup2(err, 2);
		close(out);
		close(err);
		execv(argv[0], argv);
		_exit(127);
	}
	running = pid;
	return pid;
}

static int wait_exit(pid_t pid, double timeout_s)
{
	double end = now_s() + timeout_s;
	int status;

	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid)
			return status;
		if (r < 0)
			fail("waitpid: %s", strerror(errno));
		if (now_s() > end) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			fail("pid %d did not finish in %.0f s", (int)pid, timeout_s);
		}
		usleep(5000);
	}
}

/* The image's generation (0: none readable); *parent its parent's (0: a
 * full image). */
static uint64_t image_generation_of(const char *path, uint64_t *parent)
{
	struct image_reader r;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	uint64_t gen = 0;

	*parent = 0;
	if (fd < 0)
		return 0;
	if (image_reader_open(&r, fd) == 0) {
		gen = r.hdr.generation;
		*parent = r.hdr.parent_generation;
	}
	close(fd);
	return gen;
}

static int newest_incremental(void)
{
	uint64_t parent;

	return image_generation_of(opt.image, &parent) && parent;
}

static uint64_t image_generation(const char *path)
{
	uint64_t parent;

	return image_generation_of(path, &parent);
}

static void check_image_size(void)
{
	struct stat st;

	if (opt.max_image_kib && !stat(opt.image, &st) &&
	    st.st_size > opt.max_image_kib * 1024)
		fail("image is %lld KiB, more than the %ld KiB allowed",
		     (long long)st.st_size / 1024, opt.max_image_kib);
}

/* Processes of ours that outlived the one we killed (a program resumed
 * under its old pid runs as ckpt-resume's child) end up ours, as the
 * subreaper: wait until none is left, so their pids are free again. */
static void reap_orphans(void)
{
	double end = now_s() + 10;

	while (waitpid(-1, NULL, WNOHANG) >= 0) {
		if (now_s() > end)
			fail("a process of the killed program did not end");
		usleep(2000);
	}
}

/* The image is complete: header, table and every section's checksum. */
static void check_image_intact(uint64_t at_least)
{
	struct image_reader r;
	static char buf[1 << 16];
	int fd = open(opt.image, O_RDONLY | O_CLOEXEC), rc;

	if (fd < 0)
		fail("the image is gone after a kill: %s", strerror(errno));
	rc = image_reader_open(&r, fd);
	for (uint32_t i = 0; !rc && i < r.hdr.nsections; i++)
		rc = image_verify_section(&r, &r.table[i], buf, sizeof(buf));
	close(fd);
	if (rc)
		fail("the image is damaged after a kill: %s", image_strerror(rc));
	if (r.hdr.generation < at_least)
		fail("the image went back from generation %llu to %llu",
		     (unsigned long long)at_least,
		     (unsigned long long)r.hdr.generation);
}

/* Wait until an image is being written, then a random moment in it. */
static void wait_for_writing(pid_t pid)
{
	char tmp[400];
	double end = now_s() + 30;
	struct stat st;
	int status;

	snprintf(tmp, sizeof(tmp), "%s.tmp", opt.image);
	while (stat(tmp, &st)) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			fail("the program ended (status %#x) before the next image "
			     "was written; give it more work", status);
		if (now_s() > end)
			fail("no image being written in 30 s");
		usleep(200);
	}
	usleep((useconds_t)(rand() % (opt.max_delay_ms + 1)) * 1000);
	opt.killed_writing += !stat(tmp, &st);
}

/* Whether pid takes sig without dying of it: blocked (ckpt-launch and
 * ckpt-resume block it first thing) or caught, or already ended (the
 * caller sees that next).  Before its exec has run, no program can
 * protect itself. */
static int signal_safe(pid_t pid, int sig)
{
	char path[64], line[256];
	unsigned long long mask, bit = 1ull << (sig - 1);
	int safe = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (((sscanf(line, "SigBlk: %llx", &mask) == 1 ||
		      sscanf(line, "SigCgt: %llx", &mask) == 1) && (mask & bit)) ||
		    !strncmp(line, "State:\tZ", 8))
			safe = 1;
	fclose(f);
	return safe;
}

/* Wait for an image newer than `after`, let the program run a random
 * while, then kill it.  Returns the generation it was killed after. */
static uint64_t kill_after_new_image(pid_t pid, uint64_t after)
{
	double end = now_s() + 120;
	uint64_t gen;
	int status;

	if (opt.demand) {
		usleep((useconds_t)(rand() % (opt.max_delay_ms + 1)) * 1000);
		while (!signal_safe(pid, SIGRTMAX - 2) && now_s() < end)
			usleep(1000);
		kill(pid, SIGRTMAX - 2);
	}
	uint64_t parent = 0;

	while ((gen = image_generation_of(opt.image, &parent)) <= after) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			fail("the program ended (status %#x) before a new image "
			     "appeared", status);
		if (now_s() > end)
			fail("no new image after generation %llu in 120 s",
			     (unsigned long long)after);
		usleep(2000);
	}
	check_image_size();
	if (opt.during_write)
		wait_for_writing(pid);
	else
		usleep((useconds_t)(rand() % (opt.max_delay_ms + 1)) * 1000);
	/* --incremental: the last kill, if none came after an incremental
	 * image yet, waits for one to be the newest. */
	opt.kills_done++;
	while (opt.incremental && opt.kills_done >= opt.kills &&
	       !opt.seen_incremental && !newest_incremental()) {
		if (now_s() > end)
			fail("no incremental image in 120 s");
		if (waitpid(pid, &status, WNOHANG) == pid)
			fail("the program ended (status %#x) before an "
			     "incremental image was the newest; give it more "
			     "work", status);
		usleep(2000);
	}
	if (waitpid(pid, &status, WNOHANG) == pid)
		fail("the program ended (status %#x) before it could be killed; "
		     "give it more work", status);
	kill(pid, SIGKILL);
	status = wait_exit(pid, 30);
	if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL)
		fail("the program was not killed by SIGKILL (status %#x)", status);
	reap_orphans();
	/* What the resume starts from: the newest image once the program and
	 * its writer are gone, not the first new one, which the random wait
	 * may have left behind.  The next kill still waits for an image newer
	 * than that first one (--during-write: than the one being written). */
	image_generation_of(opt.image, &parent);
	if (parent)
		opt.seen_incremental++;
	else
		opt.seen_full++;
	if (opt.during_write)
		check_image_intact(gen);
	return gen;
}

static char *tool(const char *name)
{
	static char paths[2][512];
	static int next;
	char *p = paths[next++ % 2];

	snprintf(p, sizeof(paths[0]), "%s/%s", opt.bin, name);
	return p;
}

static pid_t launch(void)
{
	char *argv[64];
	int n = 0;

	if (opt.preload) {
		setenv("LD_PRELOAD", opt.preload, 1);
		setenv("CKPT_FILE", opt.image, 1);
		setenv("CKPT_PERIOD", opt.period, 1);
		if (opt.compress)
			setenv("CKPT_COMPRESS", opt.compress, 1);
		pid_t pid = spawn(opt.prog, work_file("run"), run_file(opt.stdout_name), 1);

		unsetenv("LD_PRELOAD");
		return pid;
	}
	argv[n++] = tool("ckpt-launch");
	argv[n++] = "--period";
	argv[n++] = (char *)opt.period;
	argv[n++] = "--file";
	argv[n++] = opt.image;
	if (opt.compress) {
		argv[n++] = "--compress";
		argv[n++] = (char *)opt.compress;
	}
	argv[n++] = "--";
	for (char **p = opt.prog; *p && n < 62; p++)
		argv[n++] = *p;
	argv[n] = NULL;
	return spawn(argv, work_file("run"), run_file(opt.stdout_name), 1);
}

static pid_t resume(const char *image, const char *out)
{
	char *argv[12];
	int n = 0;

	argv[n++] = tool("ckpt-resume");
	for (int i = 0; i < opt.nresume_args; i++)
		argv[n++] = opt.resume_args[i];
	argv[n++] = (char *)image;
	argv[n] = NULL;
	return spawn(argv, work_file("elsewhere"), out, 0);
}

/* The chain made one image (--merge): what resumes next rests on no
 * parent, so the links are gone and only the merged pages count.  Returns
 * its generation: the next kill waits for an image newer than it, one the
 * resumed program wrote. */
static uint64_t merge_chain(void)
{
	char merged[600], *argv[] = { tool("ckpt-merge"), opt.image, merged,
				      NULL };
	uint64_t parent = 0;
	DIR *d;
	struct dirent *e;
	int status;

	image_generation_of(opt.image, &parent);
	snprintf(merged, sizeof(merged), "%s.merged", opt.image);
	status = wait_exit(spawn(argv, opt.work, work_file("merge.out"), 1), 120);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		fail("ckpt-merge failed (status %#x)", status);
	d = opendir(opt.work);
	if (!d)
		fail("opendir: %s", strerror(errno));
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, "prog.ckpt.", 10) &&
		    strspn(e->d_name + 10, "0123456789") == strlen(e->d_name + 10))
			unlink(work_file(e->d_name));
	closedir(d);
	if (rename(merged, opt.image))
		fail("rename: %s", strerror(errno));
	opt.merged += parent != 0;
	return image_generation(opt.image);
}

/* A resume killed at a random moment early on must leave the image as it
 * was, for the next resume. */
static void resume_killed(const char *image)
{
	uint64_t gen = image_generation(image);
	pid_t pid = resume(image, run_file(opt.stdout_name));

	usleep((useconds_t)(rand() % (opt.max_resume_ms + 1)) * 1000);
	kill(pid, SIGKILL);
	wait_exit(pid, 30);
	reap_orphans();
	opt.killed_resuming++;
	check_image_intact(gen);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0;

	if (!f)
		fail("cannot read %s: %s", path, strerror(errno));
	for (;;) {
		if (n == cap) {
			cap = cap ? cap * 2 : 4096;
			buf = realloc(buf, cap);
			if (!buf)
				fail("out of memory");
		}
		size_t got = fread(buf + n, 1, cap - n, f);

		if (!got)
			break;
		n += got;
	}
	fclose(f);
	*len = n;
	return buf;
}

static void compare_outputs(const char *ref, const char *got)
{
	size_t a, b;
	char *x = slurp(ref, &a), *y = slurp(got, &b);

	if (a != b || memcmp(x, y, a) != 0)
		fail("output differs from the uninterrupted run (%zu vs %zu "
		     "bytes): see %s and %s", a, b, ref, got);
	free(x);
	free(y);
}

/* The regular files of dir, sorted, as one string "a\nb\n". */
static char *dir_listing(const char *dir)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);
	size_t cap = 1, len = 0;
	char *out;

	if (n < 0)
		fail("scandir %s: %s", dir, strerror(errno));
	for (int i = 0; i < n; i++)
		cap += strlen(names[i]->d_name) + 1;
	out = calloc(1, cap);
	for (int i = 0; i < n; i++) {
		if (names[i]->d_type == DT_REG)
			len += (size_t)sprintf(out + len, "%s\n",
					       names[i]->d_name);
		free(names[i]);
	}
	free(names);
	return out;
}

static void compare_dirs(void)
{
	char *ref = dir_listing(dir_file("ref", ""));
	char *run = dir_listing(dir_file("run", ""));

	if (strcmp(ref, run))
		fail("the runs left different files:\n%s--- versus ---\n%s",
		     ref, run);
	for (char *p = ref, *nl; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		*nl = 0;
		compare_outputs(ref_file(p), run_file(p));
	}
	free(ref);
	free(run);
}

static void copy_file(const char *from, const char *to, off_t len)
{
	size_t n;
	char *data = slurp(from, &n);
	int fd = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	if (len < 0 || (size_t)len > n)
		len = (off_t)n;
	if (fd < 0 || write(fd, data, (size_t)len) != (ssize_t)len)
		fail("cannot write %s", to);
	close(fd);
	free(data);
}

static void flip_byte(const char *path, uint64_t off)
{
	int fd = open(path, O_RDWR);
	unsigned char c;

	if (fd < 0 || pread(fd, &c, 1, (off_t)off) != 1)
		fail("cannot read %s", path);
	c ^= 0x5a;
	if (pwrite(fd, &c, 1, (off_t)off) != 1)
		fail("cannot write %s", path);
	close(fd);
}

/* A damaged image must be refused: a non-zero exit, not a crash, and a
 * message on stderr naming the image. */
static void expect_refused(const char *image, const char *what)
{
	size_t before, after;
	char *e;
	int status;

	free(slurp(work_file("err"), &before));
	status = wait_exit(resume(image, work_file("damaged.out")), 60);
	if (WIFSIGNALED(status))
		fail("%s: ckpt-resume died of signal %d", what, WTERMSIG(status));
	if (WEXITSTATUS(status) == 0)
		fail("%s: ckpt-resume accepted it", what);
	e = slurp(work_file("err"), &after);
	if (after == before || !memmem(e + before, after - before, image,
				       strlen(image)))
		fail("%s: no message naming the image", what);
	printf("scenario: %s refused: %.*s", what, (int)(after - before),
	       e + before);
	free(e);
}

static void damage_checks(void)
{
	struct image_reader r;
	const struct ckpt_section *pages;
	char copy[512];
	int fd = open(opt.image, O_RDONLY);

	if (fd < 0 || image_reader_open(&r, fd) != 0)
		fail("cannot read the image to damage it");
	snprintf(copy, sizeof(copy), "%s", work_file("damaged.ckpt"));
	pages = image_find(&r, CKPT_SEC_PAGES);
	if (!pages || pages->size < 2)
		fail("the image has no page data to damage");
	close(fd);
	copy_file(opt.image, copy, (off_t)(r.hdr.file_size / 2));
	expect_refused(copy, "an image truncated to half");
	copy_file(opt.image, copy, (off_t)r.hdr.file_size - 1);
	expect_refused(copy, "an image one byte short");
	copy_file(opt.image, copy, 100);
	expect_refused(copy, "an image cut inside its header");
	copy_file(opt.image, copy, -1);
	flip_byte(copy, pages->offset + pages->size / 2);
	expect_refused(copy, "an image with a flipped byte in page data");
	copy_file(opt.image, copy, -1);
	flip_byte(copy, pages->offset + pages->size - 1);
	expect_refused(copy, "an image with its last page byte flipped");
}

static int remove_entry(const char *path, const struct stat *st, int type,
			struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	return remove(path);
}

static void prepare_dirs(void)
{
	const char *dirs[] = { "ref", "run", "elsewhere" };

	for (int i = 0; i < 3; i++) {
		if (mkdir(work_file(dirs[i]), 0755))
			fail("mkdir: %s", strerror(errno));
		if (opt.setup && i < 2) {
			char *argv[] = { "/bin/sh", "-c", (char *)opt.setup, NULL };
			int status = wait_exit(spawn(argv, work_file(dirs[i]),
						     work_file("setup.out"), 1),
					       300);

			if (status)
				fail("setup command failed (status %#x)", status);
		}
	}
}

static void parse_args(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "bin", required_argument, NULL, 'b' },
		{ "period", required_argument, NULL, 'p' },
		{ "compress", required_argument, NULL, 'c' },
		{ "kills", required_argument, NULL, 'k' },
		{ "max-delay-ms", required_argument, NULL, 'd' },
		{ "max-image-kib", required_argument, NULL, 's' },
		{ "damage", no_argument, NULL, 'D' },
		{ "demand", no_argument, NULL, 'M' },
		{ "preload", required_argument, NULL, 'L' },
		{ "keep", no_argument, NULL, 'K' },
		{ "seed", required_argument, NULL, 'S' },
		{ "setup", required_argument, NULL, 'u' },
		{ "compare", required_argument, NULL, 'C' },
		{ "stdout", required_argument, NULL, 'O' },
		{ "compare-all", no_argument, NULL, 'A' },
		{ "resume-arg", required_argument, NULL, 'R' },
		{ "during-write", no_argument, NULL, 'W' },
		{ "kill-resumes", required_argument, NULL, 'r' },
		{ "max-resume-ms", required_argument, NULL, 'm' },
		{ "incremental", no_argument, NULL, 'I' },
		{ "merge", no_argument, NULL, 'G' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		switch (c) {
		case 'b': opt.bin = optarg; break;
		case 'p': opt.period = optarg; break;
		case 'c': opt.compress = optarg; break;
		case 'k': opt.kills = atoi(optarg); break;
		case 'd': opt.max_delay_ms = atoi(optarg); break;
		case 's': opt.max_image_kib = atol(optarg); break;
		case 'D': opt.damage = 1; break;
		case 'W': opt.during_write = 1; break;
		case 'r': opt.kill_resumes = atoi(optarg); break;
		case 'm': opt.max_resume_ms = atoi(optarg); break;
		case 'M': opt.demand = 1; opt.period = "0"; break;
		case 'L': opt.preload = optarg; break;
		case 'K': opt.keep = 1; break;
		case 'I': opt.incremental = 1; break;
		case 'G': opt.merge = 1; break;
		case 'u': opt.setup = optarg; break;
		case 'C':
			if (opt.ncompare == 16)
				fail("too many --compare");
			opt.compare[opt.ncompare++] = optarg;
			break;
		case 'O': opt.stdout_name = optarg; break;
		case 'A': opt.compare_all = 1; break;
		case 'R':
			if (opt.nresume_args == 8)
				fail("too many --resume-arg");
			opt.resume_args[opt.nresume_args++] = optarg;
			break;
		case 'S': opt.seed = (unsigned)strtoul(optarg, NULL, 10); break;
		default: exit(2);
		}
	}
	if (!opt.bin || optind >= argc || !argv[optind]) {
		fprintf(stderr, "usage: scenario --bin DIR [OPTIONS] -- PROG "
				"[ARGS...]\n");
		exit(2);
	}
	opt.prog = argv + optind;
}

int main(int argc, char **argv)
{
	int ref_status, status, k;
	uint64_t gen = 0;
	unsigned seed;
	pid_t pid;

	parse_args(argc, argv);
	seed = opt.seed ? opt.seed : (unsigned)time(NULL) ^ (unsigned)getpid();
	srand(seed);
	setvbuf(stdout, NULL, _IOLBF, 0);
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	snprintf(opt.work, sizeof(opt.work), "/tmp/ckpt-scenario-XXXXXX");
	if (!mkdtemp(opt.work))
		fail("mkdtemp: %s", strerror(errno));
	snprintf(opt.image, sizeof(opt.image), "%s/prog.ckpt", opt.work);
	printf("scenario: %s, uid %d, seed %u\n", argv[optind], (int)getuid(),
	       seed);

	prepare_dirs();
	ref_status = wait_exit(spawn(opt.prog, work_file("ref"),
				     ref_file(opt.stdout_name), 1), 300);
	pid = launch();
	/* With --during-write, --kills counts the kills that landed while an
	 * image was being written. */
	for (k = 0; opt.during_write ? opt.killed_writing < opt.kills
				     : k < opt.kills; k++) {
		if (k >= 2 * opt.kills)
			fail("only %d of %d kills landed while an image was "
			     "written", opt.killed_writing, k);
		gen = kill_after_new_image(pid, gen);
		printf("scenario: killed after image %llu\n",
		       (unsigned long long)gen);
		if (k == 0 && opt.damage)
			damage_checks();
		if (opt.merge)
			gen = merge_chain();
		if (opt.kill_resumes && k % opt.kill_resumes == 0)
			resume_killed(opt.image);
		pid = resume(opt.image, run_file(opt.stdout_name));
	}
	status = wait_exit(pid, 300);
	if (status != ref_status)
		fail("exit status %#x, the uninterrupted run's was %#x", status,
		     ref_status);
	compare_outputs(ref_file(opt.stdout_name), run_file(opt.stdout_name));
	for (int i = 0; i < opt.ncompare; i++)
		compare_outputs(ref_file(opt.compare[i]),
				run_file(opt.compare[i]));
	if (opt.compare_all)
		compare_dirs();
	check_image_size();
	if (opt.incremental && !opt.seen_incremental)
		fail("no incremental image among the %d the kills came after",
		     opt.seen_full);
	if (opt.merge && !opt.merged)
		fail("no chain of images was merged: none to merge when killed");
	if (opt.incremental)
		printf("scenario: %d incremental and %d full image(s) seen before "
		       "kills, %d chain(s) merged\n", opt.seen_incremental,
		       opt.seen_full, opt.merged);
	printf("scenario: PASS %s: %d kill(s) (%d while writing an image, %d "
	       "more of resumes), last image generation %llu, output "
	       "identical\n", opt.prog[0], k, opt.killed_writing,
	       opt.killed_resuming,
	       (unsigned long long)image_generation(opt.image));
	if (!opt.keep)
		nftw(opt.work, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}
