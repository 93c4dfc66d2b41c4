/*
 * POSIX message queues kept open across checkpoints, with messages in
 * them at every checkpoint:
 *
 *   a named queue the program created (unlinked only at the end, so a
 *   killed run leaves it behind with whatever it held then), and a
 *   private one unlinked right after mq_open, non-blocking;
 *   each round sends a batch of messages of mixed priorities to each,
 *   computes, then receives them and checks the order (highest priority
 *   first, oldest first within one), the bytes and the priorities.
 *
 * The receives never wait (the messages are there), so no EINTR from a
 * checkpoint can reach them (lib/restart.c's wrappers are another work).
 *
 *   mqueue ROUNDS
 */
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../progs/prog.h"

#define BATCH 9
#define MSGSIZE 128

static uint64_t sum;

static unsigned prio_of(long round, int k)
{
	return (unsigned)((round * 7 + k * 3) % 5);
}

static void send_batch(mqd_t q, long round)
{
	char msg[MSGSIZE];

	for (int k = 0; k < BATCH; k++) {
		int n = snprintf(msg, sizeof(msg), "round %ld message %d", round, k);

		if (mq_send(q, msg, (size_t)n + 1, prio_of(round, k)))
			fail("mq_send: %s", strerror(errno));
	}
}

/* The k expected at position pos: by priority, then by k. */
static int expected_k(long round, int pos)
{
	int order[BATCH], n = 0;

	for (int p = 4; p >= 0; p--)
		for (int k = 0; k < BATCH; k++)
			if (prio_of(round, k) == (unsigned)p)
				order[n++] = k;
	return order[pos];
}

static void receive_batch(mqd_t q, long round, const char *which)
{
	char msg[MSGSIZE], want[MSGSIZE];

	for (int pos = 0; pos < BATCH; pos++) {
		unsigned prio = 99;
		long n = mq_receive(q, msg, sizeof(msg), &prio);
		int k = expected_k(round, pos);

		snprintf(want, sizeof(want), "round %ld message %d", round, k);
		if (n < 0) {
			fail("%s: mq_receive: %s", which, strerror(errno));
			continue;
		}
		if (strcmp(msg, want) || prio != prio_of(round, k))
			fail("%s: got \"%s\" prio %u, not \"%s\" prio %u", which,
			     msg, prio, want, prio_of(round, k));
		for (long i = 0; i < n; i++)
			sum = sum * 31 + (unsigned char)msg[i] + prio;
	}
}

static void check_attr(mqd_t q, long flags, const char *which)
{
	struct mq_attr a;

	if (mq_getattr(q, &a) || a.mq_maxmsg != 10 || a.mq_msgsize != MSGSIZE ||
	    a.mq_flags != flags || a.mq_curmsgs != 0)
		fail("%s: attributes %ld %ld %ld %ld", which, a.mq_maxmsg,
		     a.mq_msgsize, a.mq_flags, a.mq_curmsgs);
}

int main(int argc, char **argv)
{
	long rounds = argc > 1 ? atol(argv[1]) : 1000;
	struct mq_attr attr = { .mq_maxmsg = 10, .mq_msgsize = MSGSIZE };
	char named[64], private[64];
	mqd_t q, p;

	setvbuf(stdout, NULL, _IOLBF, 0);
	snprintf(named, sizeof(named), "/ckpt-test-mq-%ld", (long)getpid());
	snprintf(private, sizeof(private), "/ckpt-test-mqp-%ld", (long)getpid());
	q = mq_open(named, O_RDWR | O_CREAT | O_EXCL, 0600, &attr);
	p = mq_open(private, O_RDWR | O_CREAT | O_EXCL | O_NONBLOCK, 0600, &attr);
	if (q == (mqd_t)-1 || p == (mqd_t)-1) {
		perror("mq_open");
		return 1;
	}
	mq_unlink(private);
	for (long r = 0; r < rounds; r++) {
		send_batch(q, r);
		send_batch(p, r + 1);
		compute(200000);
		receive_batch(q, r, "named");
		receive_batch(p, r + 1, "private");
	}
	check_attr(q, 0, "named");
	check_attr(p, O_NONBLOCK, "private");
	mq_unlink(named);
	printf("mqueue: %ld rounds, sum %016llx\nfailures: %lu\n", rounds,
	       (unsigned long long)sum, failures);
	return failures != 0;
}
