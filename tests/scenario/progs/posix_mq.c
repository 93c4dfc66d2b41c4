/*
 * A POSIX message queue receiver blocked in mq_receive (and, one round in
 * four, mq_timedreceive with a far deadline) while checkpoints are due; a
 * sender thread sends one numbered message every few milliseconds, with
 * mq_send.  A second queue, never written, has an mq_notify with
 * SIGEV_THREAD: glibc's helper thread for it blocks every signal, the
 * checkpoint's too.  Checkpoints must be taken while the receiver waits
 * (issue 10: none were), and no call may fail with EINTR.
 *
 *   posix_mq ROUNDS
 */
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "prog.h"

static mqd_t q;
static long rounds;
static char name[64], quiet[80];

static void must(int ok, const char *what)
{
	if (!ok) {
		printf("FAIL: %s: %s\n", what, strerror(errno));
		exit(1);
	}
}

static void notified(union sigval v)
{
	(void)v;
	printf("FAIL: notified of a message on the quiet queue\n");
}

/* The quiet queue, and its notification (never to come). */
static void quiet_queue(void)
{
	struct mq_attr a = { .mq_maxmsg = 1, .mq_msgsize = 8 };
	struct sigevent sev = { .sigev_notify = SIGEV_THREAD };
	mqd_t qq;

	snprintf(quiet, sizeof(quiet), "%s-quiet", name);
	mq_unlink(quiet);
	qq = mq_open(quiet, O_CREAT | O_EXCL | O_RDONLY, 0600, &a);
	must(qq != (mqd_t)-1, "mq_open of the quiet queue");
	sev.sigev_notify_function = notified;
	must(mq_notify(qq, &sev) == 0, "mq_notify");
}

static void *sender(void *arg)
{
	(void)arg;
	for (long i = 0; i < rounds; i++) {
		struct mq_attr now;
		char text[32];

		/* One message in the queue at a time: two queued would come out
		 * by priority, not in the order the receiver checks (a loaded
		 * machine made the uninterrupted run fail so). */
		do {
			usleep(4000);
			must(mq_getattr(q, &now) == 0, "mq_getattr");
		} while (now.mq_curmsgs > 0);
		snprintf(text, sizeof(text), "message %ld", i);
		must(mq_send(q, text, strlen(text) + 1, (unsigned)(i % 3)) == 0,
		     "mq_send");
	}
	return NULL;
}

int main(int argc, char **argv)
{
	struct mq_attr a = { .mq_maxmsg = 8, .mq_msgsize = 64 };
	pthread_t t;

	rounds = argc > 1 ? atol(argv[1]) : 300;
	snprintf(name, sizeof(name), "/ckpt-scenario-mq-%u", (unsigned)getuid());
	mq_unlink(name); /* left by a run that was killed */
	q = mq_open(name, O_CREAT | O_EXCL | O_RDWR, 0600, &a);
	must(q != (mqd_t)-1, "mq_open");
	quiet_queue();
	pthread_create(&t, NULL, sender, NULL);
	for (long i = 0; i < rounds; i++) {
		char text[64], want[32];
		unsigned prio;
		ssize_t n;

		if (i % 4 == 3) {
			struct timespec dl;

			clock_gettime(CLOCK_REALTIME, &dl);
			dl.tv_sec += 3600;
			n = mq_timedreceive(q, text, sizeof(text), &prio, &dl);
		} else {
			n = mq_receive(q, text, sizeof(text), &prio);
		}
		must(n > 0, "mq_receive");
		snprintf(want, sizeof(want), "message %ld", i);
		if (strcmp(text, want) || prio != (unsigned)(i % 3))
			fail("round %ld: \"%s\" priority %u", i, text, prio);
		if (i % 50 == 0)
			printf("round %ld\n", i);
	}
	pthread_join(t, NULL);
	mq_close(q);
	mq_unlink(name);
	mq_unlink(quiet);
	printf("done: %ld messages, %lu failures\n", rounds, failures);
	return 0;
}
