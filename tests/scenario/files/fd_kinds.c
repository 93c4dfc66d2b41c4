/*
 * Every kind of descriptor ckpt recreates, checked all through the run:
 *
 *   input.txt read a line at a time (its offset must follow)
 *   tmpfile() and a file unlinked after open, contents checked
 *   a pipe whose both ends the program holds, with bytes left in it
 *   a FIFO in the working directory, both ends, with bytes in it
 *   /dev/null, /dev/zero, /dev/urandom
 *   a directory read with readdir, position kept
 *   a memfd, eventfd (count kept), timerfd (armed), signalfd, epoll
 *   a descriptor dup'ed (shared offset) and one with FD_CLOEXEC
 *
 *   fd_kinds ITERATIONS   (run in a scratch directory)
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <unistd.h>

static long failures;

#define CHECK(cond, ...)                                                     \
	do {                                                                 \
		if (!(cond) && failures++ < 20) {                            \
			printf("FAIL: " __VA_ARGS__);                        \
			printf("\n");                                        \
		}                                                            \
	} while (0)

static void die(const char *what)
{
	perror(what);
	exit(1);
}

struct state {
	FILE *input, *tmp;
	int unlinked, pipe_r, pipe_w, fifo_r, fifo_w, null, zero, urandom;
	int memfd, efd, tfd, sfd, ep, dup_a, dup_b, cloexec;
	DIR *dir;
	long entries_read;
};

static void make_files(void)
{
	FILE *f = fopen("input.txt", "w");

	for (int i = 0; i < 5000; i++)
		fprintf(f, "line %d\n", i);
	fclose(f);
	mkdir("dir", 0755);
	for (int i = 0; i < 50; i++) {
		char name[32];

		snprintf(name, sizeof(name), "dir/entry%02d", i);
		close(open(name, O_WRONLY | O_CREAT, 0644));
	}
	unlink("fifo");
	if (mkfifo("fifo", 0600))
		die("mkfifo");
}

static void open_all(struct state *s)
{
	int p[2];
	sigset_t usr1;

	s->input = fopen("input.txt", "r");
	s->tmp = tmpfile();
	s->unlinked = open("gone.txt", O_RDWR | O_CREAT | O_TRUNC, 0600);
	unlink("gone.txt");
	if (!s->input || !s->tmp || s->unlinked < 0 || pipe(p))
		die("open");
	s->pipe_r = p[0];
	s->pipe_w = p[1];
	s->fifo_r = open("fifo", O_RDONLY | O_NONBLOCK);
	s->fifo_w = open("fifo", O_WRONLY);
	s->null = open("/dev/null", O_RDWR);
	s->zero = open("/dev/zero", O_RDONLY);
	s->urandom = open("/dev/urandom", O_RDONLY);
	s->memfd = memfd_create("kinds", 0);
	s->efd = eventfd(0, EFD_NONBLOCK);
	s->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, NULL);
	s->sfd = signalfd(-1, &usr1, SFD_NONBLOCK);
	s->ep = epoll_create1(0);
	s->dup_a = open("input.txt", O_RDONLY);
	s->dup_b = dup(s->dup_a);
	s->cloexec = open("input.txt", O_RDONLY | O_CLOEXEC);
	s->dir = opendir("dir");
	if (s->fifo_r < 0 || s->fifo_w < 0 || s->null < 0 || s->memfd < 0 ||
	    s->efd < 0 || s->tfd < 0 || s->sfd < 0 || s->ep < 0 || !s->dir)
		die("open kinds");
}

static void arm(struct state *s)
{
	struct itimerspec its = { { 3600, 0 }, { 3600, 0 } };
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 0x1234 };

	if (timerfd_settime(s->tfd, 0, &its, NULL) ||
	    epoll_ctl(s->ep, EPOLL_CTL_ADD, s->efd, &ev))
		die("arm");
	ev.data.u64 = 0x5678;
	if (epoll_ctl(s->ep, EPOLL_CTL_ADD, s->pipe_r, &ev))
		die("epoll_ctl");
}

/* Bytes written to a pipe or FIFO in one iteration are read back in the
 * next, so there is always something in flight at a checkpoint. */
static void pipe_step(int r, int w, long i, const char *what)
{
	char msg[32], got[32] = { 0 };
	int n = snprintf(msg, sizeof(msg), "%s %06ld", what, i - 1);

	if (i > 0) {
		CHECK(read(r, got, (size_t)n) == n, "%s read at %ld: %s", what, i,
		      strerror(errno));
		CHECK(!memcmp(got, msg, (size_t)n), "%s data at %ld: %s", what, i,
		      got);
	}
	n = snprintf(msg, sizeof(msg), "%s %06ld", what, i);
	CHECK(write(w, msg, (size_t)n) == n, "%s write", what);
}

static void file_step(FILE *f, int fd, long i)
{
	char line[64];
	long v;

	fprintf(f, "%ld\n", i);
	fflush(f);
	dprintf(fd, "%ld\n", i);
	rewind(f);
	for (long k = 0; k <= i; k++)
		CHECK(fgets(line, sizeof(line), f) && (v = atol(line)) == k,
		      "tmpfile line %ld at %ld", k, i);
	fseek(f, 0, SEEK_END);
	CHECK(lseek(fd, 0, SEEK_CUR) == lseek(fd, 0, SEEK_END),
	      "unlinked file offset at %ld", i);
}

static void check_step(struct state *s, long i)
{
	char line[64], want[64], byte;
	uint64_t count = 0;
	struct itimerspec its;
	struct epoll_event evs[4];
	struct dirent *d;
	struct signalfd_siginfo info;

	snprintf(want, sizeof(want), "line %ld\n", i);
	CHECK(fgets(line, sizeof(line), s->input) && !strcmp(line, want),
	      "input line %ld", i);
	file_step(s->tmp, s->unlinked, i);
	pipe_step(s->pipe_r, s->pipe_w, i, "pipe");
	pipe_step(s->fifo_r, s->fifo_w, i, "fifo");
	CHECK(write(s->null, "x", 1) == 1, "/dev/null");
	CHECK(read(s->zero, &byte, 1) == 1 && byte == 0, "/dev/zero");
	CHECK(read(s->urandom, &byte, 1) == 1, "/dev/urandom");
	CHECK(write(s->memfd, "m", 1) == 1 && lseek(s->memfd, 0, SEEK_END) == i + 1,
	      "memfd size at %ld", i);
	/* The count left at the end of the last iteration is still there. */
	if (i > 0) {
		int n = epoll_wait(s->ep, evs, 4, 0), seen = 0;

		for (int k = 0; k < n; k++)
			seen |= evs[k].data.u64 == 0x1234;
		CHECK(seen, "epoll sees the eventfd at %ld", i);
		CHECK(read(s->efd, &count, 8) == 8 && count == 5,
		      "eventfd count kept at %ld", i);
	}
	CHECK(eventfd_write(s->efd, 5) == 0, "eventfd write");
	CHECK(timerfd_gettime(s->tfd, &its) == 0 && its.it_interval.tv_sec == 3600 &&
	      its.it_value.tv_sec > 3000, "timerfd armed");
	CHECK(read(s->sfd, &info, sizeof(info)) < 0 && errno == EAGAIN,
	      "signalfd empty");
	CHECK(lseek(s->dup_a, 1, SEEK_CUR) == lseek(s->dup_b, 0, SEEK_CUR),
	      "dup shares the offset");
	CHECK(fcntl(s->cloexec, F_GETFD) == FD_CLOEXEC, "close-on-exec kept");
	CHECK(fcntl(s->fifo_r, F_GETFL) & O_NONBLOCK, "fifo O_NONBLOCK kept");
	if (i % 10 == 0 && s->entries_read < 52) {
		d = readdir(s->dir);
		s->entries_read += d != NULL;
	}
}

int main(int argc, char **argv)
{
	long iterations = argc > 1 ? atol(argv[1]) : 600;
	struct state s = { 0 };

	make_files();
	open_all(&s);
	arm(&s);
	for (long i = 0; i < iterations; i++) {
		check_step(&s, i);
		usleep(10000);
	}
	printf("%ld iterations, %ld directory entries read, %ld failures\n",
	       iterations, s.entries_read, failures);
	return failures != 0;
}
