/*
 * Producers and consumers around one queue guarded by a mutex and two
 * condition variables; the total of what was consumed is deterministic.
 * Threads block in pthread_cond_wait and pthread_mutex_lock all the time, so
 * checkpoints catch them there.
 *
 *   prodcons THREADS ITEMS_PER_PRODUCER   (THREADS even: half produce)
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define QUEUE 64

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t not_empty = PTHREAD_COND_INITIALIZER;
static pthread_cond_t not_full = PTHREAD_COND_INITIALIZER;
static uint64_t queue[QUEUE];
static int head, count, producers_left;
static long items;

static uint64_t work(uint64_t x)
{
	for (int i = 0; i < 2000; i++)
		x = x * 6364136223846793005ull + 1442695040888963407ull;
	return x >> 17;
}

static void *produce(void *arg)
{
	uint64_t id = (uint64_t)(uintptr_t)arg;

	for (long i = 0; i < items; i++) {
		uint64_t v = work(id * 1000003u + (uint64_t)i) % 1000;

		pthread_mutex_lock(&lock);
		while (count == QUEUE)
			pthread_cond_wait(&not_full, &lock);
		queue[(head + count++) % QUEUE] = v;
		pthread_cond_signal(&not_empty);
		pthread_mutex_unlock(&lock);
	}
	pthread_mutex_lock(&lock);
	producers_left--;
	pthread_cond_broadcast(&not_empty);
	pthread_mutex_unlock(&lock);
	return NULL;
}

static void *consume(void *arg)
{
	uint64_t *sum = arg;

	for (;;) {
		uint64_t v;

		pthread_mutex_lock(&lock);
		while (!count && producers_left)
			pthread_cond_wait(&not_empty, &lock);
		if (!count) {
			pthread_mutex_unlock(&lock);
			return NULL;
		}
		v = queue[head];
		head = (head + 1) % QUEUE;
		count--;
		pthread_cond_signal(&not_full);
		pthread_mutex_unlock(&lock);
		*sum += work(v) % 7 + v;
	}
}

int main(int argc, char **argv)
{
	int threads = argc > 1 ? atoi(argv[1]) : 4;
	int half = threads / 2;
	pthread_t t[256];
	uint64_t sums[128] = { 0 }, total = 0;

	items = argc > 2 ? atol(argv[2]) : 20000;
	producers_left = half;
	for (int i = 0; i < half; i++) {
		pthread_create(&t[i], NULL, produce, (void *)(uintptr_t)i);
		pthread_create(&t[half + i], NULL, consume, &sums[i]);
	}
	for (int i = 0; i < 2 * half; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < half; i++)
		total += sums[i];
	printf("%d threads, %ld items each: total %llu\n", 2 * half, items,
	       (unsigned long long)total);
	return 0;
}
