/*
 * N threads computing flat out for a while: the subject of the stop-time
 * benchmark (how long a checkpoint takes to park every thread).
 *   busy_threads THREADS SECONDS
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

static volatile int done;

static void *spin(void *arg)
{
	volatile uint64_t x = (uint64_t)(uintptr_t)arg;

	while (!done)
		x = x * 6364136223846793005ull + 1;
	return NULL;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 8;
	int seconds = argc > 2 ? atoi(argv[2]) : 3;
	pthread_t t[1024];

	if (n > 1024)
		n = 1024;
	for (int i = 1; i < n; i++)
		pthread_create(&t[i], NULL, spin, (void *)(uintptr_t)i);
	sleep((unsigned)seconds);
	done = 1;
	for (int i = 1; i < n; i++)
		pthread_join(t[i], NULL);
	return 0;
}
