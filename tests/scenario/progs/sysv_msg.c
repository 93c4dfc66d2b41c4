/*
 * System V message queues, blocked in at checkpoints.  A consumer thread
 * waits in msgrcv on a private queue most of the time; the main thread
 * sends it bursts of typed messages (some stay queued across checkpoints)
 * and waits in msgrcv on a keyed queue for each reply.  Every message,
 * its type and its order are checked; a call that fails (EINTR from a
 * checkpoint, EINVAL from an id the resume lost) is reported.
 *
 *   sysv_msg ROUNDS
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/msg.h>
#include <sys/stat.h>
#include <unistd.h>

#include "prog.h"

#define BURST 3
#define STOP_TYPE 99

struct msg {
	long type;
	char text[64];
};

static int work_q, reply_q;

static key_t reply_key(void) { return run_key(0x436b4d00u); }

static void must(int ok, const char *what)
{
	if (!ok) {
		printf("FAIL: %s: %s\n", what, strerror(errno));
		exit(1);
	}
}

static void *consumer(void *arg)
{
	long expect = 0;
	struct msg m;

	(void)arg;
	for (;;) {
		ssize_t n = msgrcv(work_q, &m, sizeof(m.text), 0, 0);
		char want[64];

		must(n >= 0, "consumer msgrcv");
		if (m.type == STOP_TYPE)
			break;
		snprintf(want, sizeof(want), "work %ld", expect);
		if (m.type != expect % 5 + 1 || strcmp(m.text, want))
			fail("message %ld: type %ld text \"%s\"", expect, m.type,
			     m.text);
		expect++;
		if (expect % BURST == 0) {
			struct msg r = { 1, "" };

			snprintf(r.text, sizeof(r.text), "done %ld", expect);
			must(msgsnd(reply_q, &r, strlen(r.text) + 1, 0) == 0,
			     "consumer msgsnd");
		}
	}
	return NULL;
}

int main(int argc, char **argv)
{
	long rounds = argc > 1 ? atol(argv[1]) : 300;
	int old = msgget(reply_key(), 0);
	struct msqid_ds ds;
	pthread_t t;
	long sent = 0;

	if (old >= 0) /* left by a run that was killed */
		msgctl(old, IPC_RMID, NULL);
	work_q = msgget(IPC_PRIVATE, 0600);
	reply_q = msgget(reply_key(), IPC_CREAT | IPC_EXCL | 0640);
	must(work_q >= 0 && reply_q >= 0, "msgget");
	pthread_create(&t, NULL, consumer, NULL);
	for (long r = 0; r < rounds; r++) {
		struct msg m, reply;
		char want[64];

		for (int i = 0; i < BURST; i++, sent++) {
			m.type = sent % 5 + 1;
			snprintf(m.text, sizeof(m.text), "work %ld", sent);
			must(msgsnd(work_q, &m, strlen(m.text) + 1, 0) == 0,
			     "msgsnd");
		}
		must(msgrcv(reply_q, &reply, sizeof(reply.text), 1, 0) >= 0,
		     "msgrcv of the reply");
		snprintf(want, sizeof(want), "done %ld", sent);
		if (strcmp(reply.text, want))
			fail("round %ld: reply \"%s\"", r, reply.text);
		must(msgctl(reply_q, IPC_STAT, &ds) == 0, "msgctl IPC_STAT");
		if ((ds.msg_perm.mode & 0777) != 0640 ||
		    ds.msg_perm.__key != reply_key())
			fail("round %ld: mode %o key %x", r,
			     ds.msg_perm.mode & 0777, ds.msg_perm.__key);
		if (msgget(reply_key(), 0) != reply_q)
			fail("round %ld: msgget of the key gives another id", r);
		usleep(3000);
		if (r % 50 == 0)
			printf("round %ld\n", r);
	}
	struct msg stop = { STOP_TYPE, "" };
	must(msgsnd(work_q, &stop, 1, 0) == 0, "msgsnd stop");
	pthread_join(t, NULL);
	must(msgctl(work_q, IPC_RMID, NULL) == 0 &&
	     msgctl(reply_q, IPC_RMID, NULL) == 0, "IPC_RMID");
	printf("done: %ld messages, %lu failures\n", sent, failures);
	return 0;
}
