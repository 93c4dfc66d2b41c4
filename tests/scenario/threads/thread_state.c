/*
 * Per-thread state across resumes, checked by every thread all through the
 * run:
 *   - its name (pthread_setname_np) and CPU affinity;
 *   - its own signal mask: workers block everything (the checkpoint signal
 *     must still reach them) except SIGUSR1, which the main thread sends to
 *     each worker with pthread_kill; the handler counts per thread;
 *   - a barrier all workers wait on each round, a semaphore they post;
 *   - SIGUSR1 sent to each worker ROUNDS/10 times, each one waited for;
 *   - detached threads that end with pthread_exit.
 *   thread_state ROUNDS
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define WORKERS 4

static pthread_barrier_t barrier;
static sem_t done_sem;
static long rounds;
static long failures;
static __thread int my_id;
static volatile long usr1_seen[WORKERS];
static volatile int stop, leave_round, ready;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void fail(const char *what, int id, long round)
{
	pthread_mutex_lock(&lock);
	if (failures++ < 20)
		printf("FAIL: worker %d round %ld: %s\n", id, round, what);
	pthread_mutex_unlock(&lock);
}

static void on_usr1(int sig)
{
	(void)sig;
	__atomic_add_fetch(&usr1_seen[my_id], 1, __ATOMIC_SEQ_CST);
}

static void *detached(void *arg)
{
	(void)arg;
	pthread_exit(NULL);
}

static void check_self(int id, long r, const cpu_set_t *want_cpus)
{
	char name[16], want[16];
	cpu_set_t cpus;
	sigset_t mask;

	snprintf(want, sizeof(want), "worker-%d", id);
	if (pthread_getname_np(pthread_self(), name, sizeof(name)) ||
	    strcmp(name, want))
		fail("name lost", id, r);
	if (pthread_getaffinity_np(pthread_self(), sizeof(cpus), &cpus) ||
	    !CPU_EQUAL(&cpus, want_cpus))
		fail("CPU affinity lost", id, r);
	pthread_sigmask(SIG_BLOCK, NULL, &mask);
	if (!sigismember(&mask, SIGUSR2) || sigismember(&mask, SIGUSR1) ||
	    !sigismember(&mask, SIGTERM))
		fail("signal mask changed", id, r);
}

static void *worker(void *arg)
{
	int id = (int)(intptr_t)arg;
	char name[16];
	cpu_set_t cpus;
	sigset_t mask;
	volatile uint64_t x = 1;

	my_id = id;
	snprintf(name, sizeof(name), "worker-%d", id);
	pthread_setname_np(pthread_self(), name);
	CPU_ZERO(&cpus);
	CPU_SET(id % 2, &cpus);
	pthread_setaffinity_np(pthread_self(), sizeof(cpus), &cpus);
	sigfillset(&mask);
	sigdelset(&mask, SIGUSR1);
	pthread_sigmask(SIG_SETMASK, &mask, NULL);
	/* SIGUSR1 is counted under my_id: none is sent before it is set. */
	__atomic_add_fetch(&ready, 1, __ATOMIC_SEQ_CST);
	/* All workers leave the loop in the same round: one of them copies
	 * the flag between two barriers, all read the copy after the second. */
	for (long r = 0;; r++) {
		for (int i = 0; i < 100000; i++)
			x = x * 6364136223846793005ull + (uint64_t)id;
		check_self(id, r, &cpus);
		if (pthread_barrier_wait(&barrier) == PTHREAD_BARRIER_SERIAL_THREAD)
			leave_round = stop;
		pthread_barrier_wait(&barrier);
		if (leave_round)
			break;
	}
	sem_post(&done_sem);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t[WORKERS];
	struct sigaction sa;

	rounds = argc > 1 ? atol(argv[1]) : 1500;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGUSR1, &sa, NULL);
	pthread_barrier_init(&barrier, NULL, WORKERS);
	sem_init(&done_sem, 0, 0);
	for (int i = 0; i < WORKERS; i++)
		pthread_create(&t[i], NULL, worker, (void *)(intptr_t)i);
	while (ready < WORKERS)
		usleep(100);
	/* Each signal is waited for before the next: the count is exact. */
	for (long r = 0; r < rounds / 10; r++) {
		pthread_t d;

		for (int i = 0; i < WORKERS; i++) {
			long before = usr1_seen[i];

			pthread_kill(t[i], SIGUSR1);
			while (usr1_seen[i] == before)
				usleep(100);
		}
		if (pthread_create(&d, NULL, detached, NULL) == 0)
			pthread_detach(d);
		usleep(20000);
	}
	stop = 1;
	for (int i = 0; i < WORKERS; i++)
		sem_wait(&done_sem);
	for (int i = 0; i < WORKERS; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < WORKERS; i++)
		if (usr1_seen[i] != rounds / 10)
			printf("FAIL: worker %d saw %ld of %ld SIGUSR1\n", i,
			       usr1_seen[i], rounds / 10);
	printf("%d workers, %ld signals each, %ld failures\n", WORKERS,
	       rounds / 10, failures);
	return failures != 0;
}
