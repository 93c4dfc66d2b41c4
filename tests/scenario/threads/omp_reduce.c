/*
 * An OpenMP (libgomp) parallel integer reduction over many rounds: the
 * worker threads live in libgomp's pool, spinning and waiting on futexes
 * between rounds, which is where checkpoints find them.
 *   omp_reduce ROUNDS
 */
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	long rounds = argc > 1 ? atol(argv[1]) : 2000;
	uint64_t total = 0;

	omp_set_num_threads(4);
	for (long r = 0; r < rounds; r++) {
		uint64_t sum = 0;

#pragma omp parallel for reduction(+ : sum) schedule(static)
		for (long i = 0; i < 200000; i++)
			sum += ((uint64_t)i * 2654435761u + (uint64_t)r) % 1009;
		total = total * 31 + sum;
	}
	printf("%ld rounds: %llu\n", rounds, (unsigned long long)total);
	return 0;
}
