/*
 * Reserves a large allocation (default 1024 MiB) but touches only one
 * mebibyte of it, then computes for a while.  Its image must stay small:
 * pages never touched are not stored.
 *
 *   sparse [MIB] [ROUNDS]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	size_t mib = argc > 1 ? strtoul(argv[1], NULL, 10) : 1024;
	long rounds = argc > 2 ? atol(argv[2]) : 3000;
	unsigned char *big = malloc(mib << 20);
	uint64_t sum = 0;

	if (!big)
		return 1;
	for (size_t i = 0; i < (1u << 20); i++)
		big[i] = (unsigned char)(i * 7);
	for (long r = 0; r < rounds; r++)
		for (size_t i = 0; i < (1u << 20); i++) {
			big[i] = (unsigned char)(big[i] * 3 + 1);
			sum += big[i];
		}
	printf("sum %llu\n", (unsigned long long)sum);
	free(big);
	return 0;
}
