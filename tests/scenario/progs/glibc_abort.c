/*
 * glibc_abort: a program that ends with abort().  A resumed run must die
 * of SIGABRT like the uninterrupted one: the driver compares the wait
 * statuses.
 *
 *   glibc_abort ROUNDS
 *
 * State built: a running checksum over ROUNDS rounds of about 10 ms of
 * computing each, checked every round against a second copy kept in
 * another form (a heap array of the per-round results).
 *
 * Prints the checksum (fixed by ROUNDS) and flushes stdout itself (abort
 * does not), then makes sure no core file is written (RLIMIT_CORE 0, not
 * dumpable), so that the wait status is SIGABRT without the core-dump bit
 * in both runs whatever the system's core settings, and calls abort().
 * A violation prints "FAIL: ..." and exits 1 instead.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/resource.h>

static uint64_t step(uint64_t x, long round)
{
	for (long i = 0; i < 6000000; i++) {
		x ^= x >> 13;
		x *= 0x9e3779b97f4a7c15ull;
		x += (uint64_t)(i ^ round);
	}
	return x;
}

int main(int argc, char **argv)
{
	long rounds = argc > 1 ? atol(argv[1]) : 600;
	uint64_t *results = calloc((size_t)rounds + 1, sizeof(*results));
	uint64_t x = 1, sum = 0;
	struct rlimit no_core = { 0, 0 };

	if (!results)
		return 1;
	for (long r = 0; r < rounds; r++) {
		uint64_t again = 0;

		x = step(x, r);
		results[r] = x;
		sum += x;
		for (long i = 0; i <= r; i++)
			again += results[i];
		if (again != sum) {
			printf("FAIL: running sum, round %ld: %016llx, the "
			       "results add up to %016llx\n", r,
			       (unsigned long long)sum,
			       (unsigned long long)again);
			return 1;
		}
	}
	printf("glibc_abort: %ld rounds, checksum %016llx; aborting\n", rounds,
	       (unsigned long long)sum);
	fflush(stdout);
	setrlimit(RLIMIT_CORE, &no_core);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	abort();
}
