/*
 * Recursive and error-checking mutexes held across checkpoints, as V8's
 * are: glibc lets only the owner's thread id unlock them, and a thread's
 * id changes at a resume.  Each thread holds its mutexes for most of each
 * round; every unlock must succeed and the next lock must not wait for
 * ever.
 *
 *   recmutex ROUNDS
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "prog.h"

#define THREADS 3

static long rounds;
static uint64_t sums[THREADS];

static void *worker(void *arg)
{
	long id = (long)arg;
	pthread_mutexattr_t a;
	pthread_mutex_t rec, chk;

	pthread_mutexattr_init(&a);
	pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&rec, &a);
	pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ERRORCHECK);
	pthread_mutex_init(&chk, &a);
	for (long r = 0; r < rounds; r++) {
		if (pthread_mutex_lock(&rec) || pthread_mutex_lock(&rec) ||
		    pthread_mutex_lock(&chk))
			fail("thread %ld round %ld: lock failed", id, r);
		for (int i = 0; i < 200000; i++)
			sums[id] = sums[id] * 6364136223846793005ull + (uint64_t)i;
		if (pthread_mutex_unlock(&chk) || pthread_mutex_unlock(&rec) ||
		    pthread_mutex_unlock(&rec))
			fail("thread %ld round %ld: unlock failed", id, r);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t[THREADS];

	rounds = argc > 1 ? atol(argv[1]) : 3000;
	for (long i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, worker, (void *)i);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < THREADS; i++)
		printf("thread %d %016llx\n", i, (unsigned long long)sums[i]);
	printf("done: %lu failures\n", failures);
	return 0;
}
