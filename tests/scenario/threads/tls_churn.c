/*
 * Threads with __thread variables, created and joined all the time: each
 * worker checks its own thread-local counter stays its own, and the main
 * thread creates new workers after every resume as before.
 *   tls_churn ROUNDS WORKERS
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static __thread uint64_t mine = 7;
static __thread char tag[32];
static long failures;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *arg)
{
	uint64_t id = (uint64_t)(uintptr_t)arg, sum = 0;

	snprintf(tag, sizeof(tag), "worker %llu", (unsigned long long)id);
	mine = id * 1000;
	for (int i = 0; i < 20000; i++) {
		mine++;
		sum += mine ^ (uint64_t)i;
		if (mine != id * 1000 + (uint64_t)i + 1 ||
		    strtoull(tag + 7, NULL, 10) != id) {
			pthread_mutex_lock(&lock);
			failures++;
			pthread_mutex_unlock(&lock);
		}
	}
	return (void *)(uintptr_t)(sum & 0xffff);
}

int main(int argc, char **argv)
{
	long rounds = argc > 1 ? atol(argv[1]) : 3000;
	int workers = argc > 2 ? atoi(argv[2]) : 4;
	uint64_t total = 0;

	for (long r = 0; r < rounds; r++) {
		pthread_t t[64];

		for (int w = 0; w < workers; w++)
			pthread_create(&t[w], NULL, worker,
				       (void *)(uintptr_t)(r * workers + w));
		for (int w = 0; w < workers; w++) {
			void *ret;

			pthread_join(t[w], &ret);
			total += (uint64_t)(uintptr_t)ret;
		}
		if (mine != 7)
			failures++;
	}
	printf("%ld rounds of %d threads: total %llu, %ld failures\n", rounds,
	       workers, (unsigned long long)total, failures);
	return failures != 0;
}
