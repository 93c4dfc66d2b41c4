/*
 * Threads blocked in system calls at the checkpoint: one waits on a futex
 * word, one in read() on a pipe, one in nanosleep, one in pthread_cond_wait.
 * The main thread computes, then wakes them in order; each reports what it
 * got.  Checkpoints land while they are blocked.
 *   blocked ROUNDS
 */
#include <linux/futex.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int word;
static int pipe_fds[2];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int go;

static void *futex_waiter(void *arg)
{
	(void)arg;
	while (__atomic_load_n(&word, __ATOMIC_SEQ_CST) == 0)
		syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
	return (void *)(intptr_t)word;
}

static void *reader(void *arg)
{
	char buf[16] = { 0 };

	(void)arg;
	if (read(pipe_fds[0], buf, 5) != 5)
		return (void *)-1;
	return (void *)(intptr_t)atoi(buf);
}

static void *sleeper(void *arg)
{
	struct timespec ts = { 2, 0 };

	(void)arg;
	return (void *)(intptr_t)nanosleep(&ts, NULL);
}

static void *cond_waiter(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&lock);
	while (!go)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
	return (void *)(intptr_t)go;
}

int main(int argc, char **argv)
{
	long rounds = argc > 1 ? atol(argv[1]) : 300;
	void *(*fns[])(void *) = { futex_waiter, reader, sleeper, cond_waiter };
	const char *names[] = { "futex", "read", "nanosleep", "cond_wait" };
	pthread_t t[4];
	volatile uint64_t x = 1;

	if (pipe(pipe_fds))
		return 2;
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, fns[i], NULL);
	for (long r = 0; r < rounds; r++) {
		for (int i = 0; i < 200000; i++)
			x = x * 6364136223846793005ull + 1;
		usleep(10000);
	}
	__atomic_store_n(&word, 42, __ATOMIC_SEQ_CST);
	syscall(SYS_futex, &word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	if (write(pipe_fds[1], "00017", 5) != 5)
		return 2;
	pthread_mutex_lock(&lock);
	go = 9;
	pthread_cond_signal(&cond);
	pthread_mutex_unlock(&lock);
	for (int i = 0; i < 4; i++) {
		void *ret;

		pthread_join(t[i], &ret);
		printf("%s: %ld\n", names[i], (long)(intptr_t)ret);
	}
	return 0;
}
