/*
 * POSIX CPU-time clocks named by pid and tid (clock_getcpuclockid of
 * getpid(), pthread_getcpuclockid), taken once at the start and read in
 * every round: after a resume they must still work, and the process's CPU
 * time must go on from where it was, never back.
 *
 *   cpuclock ROUNDS
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double seconds(clockid_t clock, const char *what, long round)
{
	struct timespec ts;

	if (clock_gettime(clock, &ts)) {
		printf("FAIL: round %ld: clock_gettime of the %s clock: %s\n",
		       round, what, strerror(errno));
		exit(1);
	}
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
	long rounds = argc > 1 ? atol(argv[1]) : 2000;
	clockid_t process, thread;
	struct timespec res;
	double last = 0;
	uint64_t x = 1;

	if (clock_getcpuclockid(getpid(), &process) ||
	    pthread_getcpuclockid(pthread_self(), &thread))
		return 2;
	for (long r = 0; r < rounds; r++) {
		double p = seconds(process, "process", r);

		seconds(thread, "thread", r);
		if (clock_getres(process, &res) || clock_getres(thread, &res)) {
			printf("FAIL: round %ld: clock_getres: %s\n", r,
			       strerror(errno));
			return 1;
		}
		if (p < last) {
			printf("FAIL: round %ld: the process's CPU time went "
			       "back from %.6f to %.6f s\n", r, last, p);
			return 1;
		}
		last = p;
		for (int i = 0; i < 200000; i++)
			x = x * 6364136223846793005ull + 1;
		if (r % 200 == 0)
			printf("round %ld\n", r);
	}
	printf("done %016llx, CPU clocks fine\n", (unsigned long long)x);
	return 0;
}
