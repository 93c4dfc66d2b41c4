/*
 * A SIGEV_THREAD timer: glibc runs its notifications from a helper thread
 * that blocks every signal, the checkpoint's too.  Checkpoints must still
 * be taken (issue 10: none were, the checkpoint waited for that thread for
 * ever).  The timer fires once, before the work; the helper thread stays.
 *
 *   timer_thread ROUNDS
 */
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "prog.h"

static sem_t fired;

static void notify(union sigval v)
{
	(void)v;
	sem_post(&fired);
}

int main(int argc, char **argv)
{
	long rounds = argc > 1 ? atol(argv[1]) : 300;
	struct itimerspec its = { { 0, 0 }, { 0, 20000000 } };
	struct sigevent sev;
	timer_t t;

	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_THREAD;
	sev.sigev_notify_function = notify;
	sem_init(&fired, 0, 0);
	if (timer_create(CLOCK_MONOTONIC, &sev, &t) ||
	    timer_settime(t, 0, &its, NULL))
		return 2;
	while (sem_wait(&fired))
		;
	if (timer_delete(t))
		fail("timer_delete");
	printf("timer fired\n");
	for (long r = 0; r < rounds; r++) {
		compute(200000);
		usleep(2000);
		if (r % 100 == 0)
			printf("round %ld\n", r);
	}
	printf("done: %ld rounds, %lu failures\n", rounds, failures);
	return 0;
}
