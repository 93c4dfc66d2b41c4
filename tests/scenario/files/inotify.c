/*
 * An inotify descriptor watching directories the program changes, kept
 * across checkpoints:
 *
 *   watches on a/, b/ and c/ (wd 1, 2, 3), then b/'s removed: the wds of
 *   a/ and c/ must stay 1 and 3, and the next watch added (d/, at the
 *   end) must get 4;
 *   each step creates a file in a/ or c/ and reads the IN_CREATE event
 *   (its wd, mask and name checked).  Events queued and unread at a
 *   checkpoint are lost at resume (docs/files.md): when none comes within
 *   300 ms the file is made again, so the report stays the same.
 *
 *   inotify STEPS
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../progs/prog.h"

static int ifd;
static long retries;

/* The next event, or NULL after 300 ms without one. */
static const struct inotify_event *next_event(void)
{
	static char buf[4096] __attribute__((aligned(8)));
	static long have, at;
	struct pollfd p = { .fd = ifd, .events = POLLIN };
	const struct inotify_event *e;

	if (at >= have) {
		if (poll(&p, 1, 300) <= 0)
			return NULL;
		have = read(ifd, buf, sizeof(buf));
		at = 0;
		if (have <= 0) {
			fail("read: %s", have ? strerror(errno) : "nothing");
			have = 0;
			return NULL;
		}
	}
	e = (const void *)(buf + at);
	at += (long)sizeof(*e) + e->len;
	return e;
}

/* Wait for IN_CREATE of name in the directory watched by wd. */
static int wait_create(int wd, const char *name)
{
	const struct inotify_event *e;

	while ((e = next_event())) {
		if (!(e->mask & IN_CREATE) || strcmp(e->name, name))
			continue; /* a deletion of a retry, an older event */
		if (e->wd != wd)
			fail("event for %s has wd %d, not %d", name, e->wd, wd);
		return 1;
	}
	return 0;
}

static void step(long i, int wd, const char *dir)
{
	char path[64], name[32];

	snprintf(name, sizeof(name), "f%ld", i);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	for (int t = 0; t < 5; t++) {
		close(open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644));
		if (wait_create(wd, name))
			break;
		retries++;
		unlink(path);
		if (t == 4)
			fail("no event for %s", path);
	}
	if (i >= 4) {
		snprintf(path, sizeof(path), "%s/f%ld", dir, i - 4);
		unlink(path);
	}
}

int main(int argc, char **argv)
{
	long steps = argc > 1 ? atol(argv[1]) : 1000;
	int wa, wb, wc, wd;

	setvbuf(stdout, NULL, _IOLBF, 0);
	mkdir("a", 0755);
	mkdir("b", 0755);
	mkdir("c", 0755);
	mkdir("d", 0755);
	ifd = inotify_init1(IN_CLOEXEC);
	wa = inotify_add_watch(ifd, "a", IN_CREATE | IN_DELETE);
	wb = inotify_add_watch(ifd, "b", IN_CREATE);
	wc = inotify_add_watch(ifd, "c", IN_CREATE);
	if (ifd < 0 || wa != 1 || wb != 2 || wc != 3)
		return 1;
	inotify_rm_watch(ifd, wb);
	for (long i = 0; i < steps; i++) {
		step(i, i % 2 ? wc : wa, i % 2 ? "c" : "a");
		compute(100000);
	}
	wd = inotify_add_watch(ifd, "d", IN_CREATE);
	printf("inotify: %ld steps, new watch wd %d\n", steps, wd);
	printf("failures: %lu\n", failures);
	fprintf(stderr, "inotify: %ld retries\n", retries);
	return failures != 0;
}
