/*
 * Files of the process's own /proc kept open across checkpoints:
 * /proc/self/status (read again with pread: its Pid must be the process's
 * pid now, Name its name), /proc/self/maps read a piece at a time with
 * read (its offset must follow: lseek tells it), /proc/thread-self/comm,
 * and the /proc/self/fd directory (it must list the descriptors open now).
 *
 *   procself ITERATIONS
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "../progs/prog.h"

static char text[1 << 16];

static long field(const char *t, const char *key)
{
	const char *p = strstr(t, key);

	return p ? atol(p + strlen(key)) : -1;
}

/* The pid changes at a resume (without privilege): a checkpoint between
 * the read and getpid() would compare two processes, so the read is made
 * again until getpid() is the same around it. */
static void check_status(int fd)
{
	long n, pid;

	do {
		pid = (long)getpid();
		n = pread(fd, text, sizeof(text) - 1, 0);
	} while (pid != (long)getpid());
	if (n <= 0) {
		fail("status: %s", n ? strerror(errno) : "empty");
		return;
	}
	text[n] = 0;
	if (field(text, "\nPid:\t") != pid)
		fail("status: Pid %ld, not %ld", field(text, "\nPid:\t"), pid);
	if (strncmp(text, "Name:\tprocself\n", 15))
		fail("status: %.20s", text);
}

/* maps, a piece each time, from the start again at its end. */
static void step_maps(int fd, long *pos, long *rounds)
{
	char piece[100];
	long n = read(fd, piece, sizeof(piece)), at;

	if (n < 0) {
		fail("maps: %s", strerror(errno));
		return;
	}
	*pos += n;
	at = lseek(fd, 0, SEEK_CUR);
	if (at != *pos)
		fail("maps: offset %ld, not %ld", at, *pos);
	if (n == 0) {
		lseek(fd, 0, SEEK_SET);
		*pos = 0;
		(*rounds)++;
	}
}

static void check_comm(int fd)
{
	char name[32] = { 0 };

	if (pread(fd, name, sizeof(name) - 1, 0) <= 0 ||
	    strcmp(name, "procself\n"))
		fail("comm: %s", name);
}

/* /proc/self/fd lists the four descriptors above 2 that are open now. */
static void check_fd_dir(DIR *d, int expect)
{
	struct dirent *e;
	int found = 0;

	rewinddir(d);
	while ((e = readdir(d)))
		found += atoi(e->d_name) == expect;
	if (!found)
		fail("fd dir: no %d", expect);
}

int main(int argc, char **argv)
{
	long iterations = argc > 1 ? atol(argv[1]) : 1000, pos = 0, rounds = 0;
	int status = open("/proc/self/status", O_RDONLY);
	int maps = open("/proc/self/maps", O_RDONLY);
	int comm = open("/proc/thread-self/comm", O_RDONLY);
	DIR *fds = opendir("/proc/self/fd");

	setvbuf(stdout, NULL, _IOLBF, 0);
	prctl(PR_SET_NAME, "procself");
	if (status < 0 || maps < 0 || comm < 0 || !fds)
		return 1;
	for (long i = 0; i < iterations; i++) {
		check_status(status);
		step_maps(maps, &pos, &rounds);
		check_comm(comm);
		if (i % 16 == 0)
			check_fd_dir(fds, maps);
		compute(20000);
	}
	printf("procself: %ld iterations, maps read through: %s\n", iterations,
	       rounds > 0 ? "yes" : "no");
	printf("failures: %lu\n", failures);
	return failures != 0;
}
