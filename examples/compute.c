/*
 * A deterministic computation that takes a few seconds: the example the
 * README runs under ckpt and the integration tests kill and resume.
 *
 *   compute [ROUNDS]    prints progress to stderr and one result line to
 *                       stdout; the result depends only on ROUNDS.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define CELLS (1u << 20)

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ull;
	return x ^ (x >> 33);
}

int main(int argc, char **argv)
{
	long rounds = argc > 1 ? atol(argv[1]) : 400;
	uint64_t *cells = calloc(CELLS, sizeof(*cells));
	uint64_t sum = 0;

	if (!cells)
		return 1;
	for (long r = 0; r < rounds; r++) {
		for (uint32_t i = 0; i < CELLS; i++)
			cells[i] = mix(cells[i] + (uint64_t)r * CELLS + i);
		sum = 0;
		for (uint32_t i = 0; i < CELLS; i++)
			sum += cells[i];
		if (r % 50 == 0)
			fprintf(stderr, "round %ld of %ld\n", r, rounds);
	}
	printf("result %016llx after %ld rounds\n", (unsigned long long)sum,
	       rounds);
	free(cells);
	return 0;
}
