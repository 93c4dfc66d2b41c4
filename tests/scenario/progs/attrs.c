/*
 * attrs: process attributes a resume must bring back as they were.
 *
 *   attrs ROUNDS
 *
 * State built: a scratch directory made with mkdtemp under /tmp (the start
 * directory may not be writable), and in it a directory "scratch" the
 * program chdirs into and then only uses relative paths; umask 027;
 * RLIMIT_NOFILE soft limit lowered to 200, RLIMIT_CORE soft 0 and hard
 * lowered to 1 MiB, RLIMIT_STACK soft lowered to 4 MiB; nice(3); the name
 * "ckpt-attrs" (PR_SET_NAME); descriptors at chosen numbers:
 *   17  "data.bin" read-only, FD_CLOEXEC, read 16 bytes a round at known
 *       offsets (the file holds a pattern fixed by the offset)
 *   41  dup of 17 (no FD_CLOEXEC, the offset shared with 17)
 *   40  "log.txt" O_WRONLY | O_APPEND, then O_NONBLOCK added with
 *       F_SETFL, at offset 100 (lseek), never written
 *
 * Every round checks all of these: getcwd, umask (umask(x) and back) and a
 * new file's mode (0666 & ~027), getrlimit, getpriority, PR_GET_NAME,
 * F_GETFD and F_GETFL of each descriptor, lseek(fd, 0, SEEK_CUR), the
 * bytes read, relative paths (stat of "data.bin" and "../scratch").
 *
 * Prints a fixed report; a violation prints "FAIL: ..." and exits 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "prog.h"

#define DATA_SIZE (64 * 1024)
#define FD_DATA 17
#define FD_LOG 40
#define FD_DUP 41
#define LOG_OFFSET 100
#define NOFILE_SOFT 200
#define STACK_SOFT (4ul << 20)
#define CORE_HARD (1ul << 20)

static char top[64], cwd[4096];
static int nice_want;
static struct rlimit lim_want[3];
static const int lim_res[3] = { RLIMIT_NOFILE, RLIMIT_CORE, RLIMIT_STACK };
static const char *const lim_name[3] = { "RLIMIT_NOFILE", "RLIMIT_CORE",
					 "RLIMIT_STACK" };
static int fl_data, fl_log, fl_dup;
static off_t data_off;

static void die(const char *what)
{
	printf("FAIL: setup, %s: %s\n", what, strerror(errno));
	exit(1);
}

static unsigned char pattern(off_t off)
{
	return (unsigned char)((off * 131 + (off >> 8) * 7) ^ 0x5a);
}

static void make_files(void)
{
	unsigned char buf[DATA_SIZE];
	int fd;

	for (off_t i = 0; i < DATA_SIZE; i++)
		buf[i] = pattern(i);
	fd = open("data.bin", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf) ||
	    close(fd))
		die("data.bin");
	fd = open("log.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, buf, 4096) != 4096 || close(fd))
		die("log.txt");
}

static void move_fd(int fd, int to)
{
	if (fd < 0 || dup2(fd, to) != to)
		die("dup2");
	close(fd);
}

static void setup(void)
{
	struct rlimit rl;
	int before;

	snprintf(top, sizeof(top), "/tmp/ckpt-attrs-XXXXXX");
	if (!mkdtemp(top) || chdir(top))
		die("mkdtemp");
	if (mkdir("scratch", 0700) || chdir("scratch"))
		die("scratch directory");
	if (!getcwd(cwd, sizeof(cwd)))
		die("getcwd");
	umask(027);

	getrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_cur = NOFILE_SOFT;
	if (setrlimit(RLIMIT_NOFILE, &rl))
		die("setrlimit(RLIMIT_NOFILE)");
	getrlimit(RLIMIT_CORE, &rl);
	rl.rlim_cur = 0;
	if (rl.rlim_max == RLIM_INFINITY || rl.rlim_max > CORE_HARD)
		rl.rlim_max = CORE_HARD;
	if (setrlimit(RLIMIT_CORE, &rl))
		die("setrlimit(RLIMIT_CORE)");
	getrlimit(RLIMIT_STACK, &rl);
	if (rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= STACK_SOFT)
		rl.rlim_cur = STACK_SOFT;
	if (setrlimit(RLIMIT_STACK, &rl))
		die("setrlimit(RLIMIT_STACK)");
	for (int i = 0; i < 3; i++)
		getrlimit(lim_res[i], &lim_want[i]);

	errno = 0;
	before = getpriority(PRIO_PROCESS, 0);
	errno = 0;
	if (nice(3) == -1 && errno)
		die("nice");
	nice_want = before + 3 > 19 ? 19 : before + 3;
	if (prctl(PR_SET_NAME, "ckpt-attrs", 0, 0, 0))
		die("PR_SET_NAME");

	make_files();
	move_fd(open("data.bin", O_RDONLY), FD_DATA);
	if (fcntl(FD_DATA, F_SETFD, FD_CLOEXEC))
		die("F_SETFD");
	if (dup2(FD_DATA, FD_DUP) != FD_DUP)
		die("dup2");
	move_fd(open("log.txt", O_WRONLY | O_APPEND), FD_LOG);
	if (fcntl(FD_LOG, F_SETFL, O_APPEND | O_NONBLOCK))
		die("F_SETFL");
	if (lseek(FD_LOG, LOG_OFFSET, SEEK_SET) != LOG_OFFSET)
		die("lseek");
	fl_data = fcntl(FD_DATA, F_GETFL);
	fl_dup = fcntl(FD_DUP, F_GETFL);
	fl_log = fcntl(FD_LOG, F_GETFL);
	if ((fl_data & O_ACCMODE) != O_RDONLY || fl_dup != fl_data ||
	    (fl_log & (O_ACCMODE | O_APPEND | O_NONBLOCK)) !=
		    (O_WRONLY | O_APPEND | O_NONBLOCK))
		die("status flags");
}

static void check_fd(int fd, int want_fd_flags, int want_fl, off_t want_off,
		     long round)
{
	int fdf = fcntl(fd, F_GETFD), fl = fcntl(fd, F_GETFL);
	off_t off = lseek(fd, 0, SEEK_CUR);

	if (fdf != want_fd_flags)
		fail("fd %d, round %ld: F_GETFD %d, expected %d", fd, round, fdf,
		     want_fd_flags);
	if (fl != want_fl)
		fail("fd %d, round %ld: F_GETFL %#o, expected %#o", fd, round,
		     (unsigned)fl, (unsigned)want_fl);
	if (off != want_off)
		fail("fd %d, round %ld: offset %lld, expected %lld", fd, round,
		     (long long)off, (long long)want_off);
}

static void check_all(long round)
{
	char buf[4096], name[16];
	unsigned char data[16];
	struct rlimit rl;
	struct stat st;
	mode_t m;
	int prio, fd;
	ssize_t n;

	errno = 0;
	if (!getcwd(buf, sizeof(buf)) || strcmp(buf, cwd))
		fail("getcwd, round %ld: %s", round,
		     errno ? strerror(errno) : "another directory");
	if (stat("data.bin", &st) || st.st_size != DATA_SIZE ||
	    stat("../scratch", &st) || !S_ISDIR(st.st_mode))
		fail("relative paths, round %ld: %s", round, strerror(errno));

	m = umask(0);
	umask(m);
	if (m != 027)
		fail("umask, round %ld: %03o, expected 027", round, (unsigned)m);
	fd = open("new.tmp", O_WRONLY | O_CREAT | O_EXCL, 0666);
	if (fd < 0 || fstat(fd, &st))
		fail("creating new.tmp, round %ld: %s", round, strerror(errno));
	else if ((st.st_mode & 0777) != 0640)
		fail("mode of a new file, round %ld: %03o, expected 640", round,
		     (unsigned)(st.st_mode & 0777));
	if (fd >= 0)
		close(fd);
	unlink("new.tmp");

	for (int i = 0; i < 3; i++) {
		getrlimit(lim_res[i], &rl);
		if (rl.rlim_cur != lim_want[i].rlim_cur ||
		    rl.rlim_max != lim_want[i].rlim_max)
			fail("%s, round %ld: %llu/%llu, expected %llu/%llu",
			     lim_name[i], round, (unsigned long long)rl.rlim_cur,
			     (unsigned long long)rl.rlim_max,
			     (unsigned long long)lim_want[i].rlim_cur,
			     (unsigned long long)lim_want[i].rlim_max);
	}
	errno = 0;
	prio = getpriority(PRIO_PROCESS, 0);
	if (prio != nice_want)
		fail("nice value, round %ld: %d, expected %d", round, prio,
		     nice_want);
	memset(name, 0, sizeof(name));
	prctl(PR_GET_NAME, name, 0, 0, 0);
	if (strcmp(name, "ckpt-attrs"))
		fail("PR_GET_NAME, round %ld: '%s', expected 'ckpt-attrs'",
		     round, name);

	check_fd(FD_DATA, FD_CLOEXEC, fl_data, data_off, round);
	check_fd(FD_DUP, 0, fl_dup, data_off, round);
	check_fd(FD_LOG, 0, fl_log, LOG_OFFSET, round);

	n = read(round % 2 ? FD_DUP : FD_DATA, data, sizeof(data));
	if (n != (ssize_t)sizeof(data)) {
		fail("read at %lld, round %ld: %zd (%s)", (long long)data_off,
		     round, n, strerror(errno));
	} else {
		for (int i = 0; i < (int)sizeof(data); i++)
			if (data[i] != pattern(data_off + i)) {
				fail("bytes read at %lld, round %ld",
				     (long long)data_off, round);
				break;
			}
		data_off += n;
	}
	if (data_off + 16 > DATA_SIZE) {
		data_off = 0;
		lseek(FD_DATA, 0, SEEK_SET);
	}
}

int main(int argc, char **argv)
{
	long rounds = argc > 1 ? atol(argv[1]) : 600;

	setup();
	for (long r = 0; r < rounds; r++) {
		compute(6000000);
		check_all(r);
	}
	printf("attrs: %ld rounds\n", rounds);
	printf("cwd: a directory made at the start, relative paths work\n");
	printf("umask: 027, new files 0640\n");
	printf("RLIMIT_NOFILE soft %llu, RLIMIT_CORE soft %llu, RLIMIT_STACK "
	       "soft %llu\n", (unsigned long long)lim_want[0].rlim_cur,
	       (unsigned long long)lim_want[1].rlim_cur,
	       (unsigned long long)lim_want[2].rlim_cur);
	printf("nice: raised by 3\n");
	printf("name: ckpt-attrs\n");
	printf("fd %d: O_RDONLY, FD_CLOEXEC, offset %lld; fd %d its dup; fd %d "
	       "O_WRONLY|O_APPEND|O_NONBLOCK at offset %d\n", FD_DATA,
	       (long long)data_off, FD_DUP, FD_LOG, LOG_OFFSET);
	close(FD_DATA);
	close(FD_DUP);
	close(FD_LOG);
	unlink("data.bin");
	unlink("log.txt");
	if (chdir("..") || rmdir("scratch") || chdir("/") || rmdir(top))
		fail("removing the scratch directory: %s", strerror(errno));
	printf("attrs: %s\n", failures ? "FAILED" : "ok");
	return failures ? 1 : 0;
}
