/*
 * System V semaphores, blocked in at checkpoints.  A worker thread waits in
 * semtimedop (a long relative time-out) for the main thread's go, takes a
 * lock (a keyed set, SEM_UNDO) around a counter, counts the round in a
 * third semaphore and signals back; the main thread waits for that in
 * semop.  Every round checks the values the kernel holds (GETVAL), so a
 * set that came back empty, or a call that failed with EINTR or EINVAL
 * after a resume, is reported.
 *
 *   sysv_sem ROUNDS
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sem.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "prog.h"

enum { GO, DONE, COUNT };

static int set, lock;
static volatile long counter;
static long rounds;

static key_t lock_key(void) { return run_key(0x436b5300u); }

static void must(int ok, const char *what)
{
	if (!ok) {
		printf("FAIL: %s: %s\n", what, strerror(errno));
		exit(1);
	}
}

static void op(int id, unsigned short num, short delta, short flags,
	       const char *what)
{
	struct sembuf b = { num, delta, flags };

	must(semop(id, &b, 1) == 0, what);
}

static void *worker(void *arg)
{
	struct timespec tmo = { 30, 0 };

	(void)arg;
	for (long r = 0; r < rounds; r++) {
		struct sembuf go = { GO, -1, 0 };

		must(semtimedop(set, &go, 1, &tmo) == 0, "semtimedop go");
		op(lock, 0, -1, SEM_UNDO, "lock");
		counter++;
		op(lock, 0, 1, SEM_UNDO, "unlock");
		op(set, COUNT, 1, 0, "count");
		op(set, DONE, 1, 0, "done");
	}
	return NULL;
}

int main(int argc, char **argv)
{
	int old = semget(lock_key(), 0, 0);
	pthread_t t;

	rounds = argc > 1 ? atol(argv[1]) : 300;
	if (old >= 0) /* left by a run that was killed */
		semctl(old, 0, IPC_RMID);
	set = semget(IPC_PRIVATE, 3, 0600);
	lock = semget(lock_key(), 1, IPC_CREAT | IPC_EXCL | 0600);
	must(set >= 0 && lock >= 0, "semget");
	must(semctl(lock, 0, SETVAL, 1) == 0, "SETVAL");
	pthread_create(&t, NULL, worker, NULL);
	for (long r = 0; r < rounds; r++) {
		usleep(3000); /* the worker waits meanwhile */
		op(set, GO, 1, 0, "go");
		op(set, DONE, -1, 0, "wait done");
		if (semctl(set, COUNT, GETVAL) != (r + 1) % 30000 ||
		    semctl(lock, 0, GETVAL) != 1 || counter != r + 1)
			fail("round %ld: count %d lock %d counter %ld", r,
			     semctl(set, COUNT, GETVAL), semctl(lock, 0, GETVAL),
			     counter);
		if (semget(lock_key(), 1, 0) != lock)
			fail("round %ld: semget of the key gives another id", r);
		if (r % 50 == 0)
			printf("round %ld\n", r);
	}
	pthread_join(t, NULL);
	must(semctl(set, 0, IPC_RMID) == 0 && semctl(lock, 0, IPC_RMID) == 0,
	     "IPC_RMID");
	printf("done: %ld rounds, %lu failures\n", rounds, failures);
	return 0;
}
