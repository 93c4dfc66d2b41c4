/*
 * A thread ckpt cannot stop for a while: it calls vfork(), and the kernel
 * holds a vfork parent until its child execs or exits (here after
 * HOLD_MS).  Checkpoints due meanwhile must be given up on, with a line
 * that says so, and the program must go on; the main thread counts.
 *
 *   stall ROUNDS [HOLD_MS]
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long hold_ms = 1500;
static volatile int done;

static void *vforker(void *arg)
{
	(void)arg;
	while (!done) {
		pid_t pid = vfork();

		if (pid == 0) {
			struct timespec ts = { hold_ms / 1000,
					       (hold_ms % 1000) * 1000000 };

			syscall(SYS_nanosleep, &ts, NULL);
			_exit(0);
		}
		if (pid > 0)
			waitpid(pid, NULL, 0);
		usleep(300000);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	long rounds = argc > 1 ? atol(argv[1]) : 40;
	uint64_t x = 1;
	pthread_t t;

	if (argc > 2)
		hold_ms = atol(argv[2]);
	pthread_create(&t, NULL, vforker, NULL);
	for (long r = 0; r < rounds; r++) {
		for (long i = 0; i < 20000000; i++)
			x = x * 6364136223846793005ull + 1442695040888963407ull;
		printf("round %ld %016llx\n", r, (unsigned long long)x);
		fflush(stdout);
	}
	done = 1;
	pthread_join(t, NULL);
	printf("done\n");
	return 0;
}
