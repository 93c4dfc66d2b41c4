/*
 * The program of the fault-injection tests (faults.sh):
 *   faultprog ROUNDS   a deterministic computation over 4 MiB that calls
 *                      ckpt_checkpoint() after a third and after two thirds
 *                      of its rounds; prints the result to stdout and what
 *                      each call returned to stderr ("api: N"), and what
 *                      it returns in a child, where ckpt is not active
 *                      ("child api: N").
 */
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#define CELLS (1u << 19)

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	return x ^ (x >> 29);
}

int main(int argc, char **argv)
{
	int (*checkpoint)(void) = (int (*)(void))dlsym(RTLD_DEFAULT,
						       "ckpt_checkpoint");
	long rounds = argc > 1 ? atol(argv[1]) : 30;
	uint64_t *cells = calloc(CELLS, sizeof(*cells)), sum = 0;

	if (!cells)
		return 1;
	for (long r = 0; r < rounds; r++) {
		if (checkpoint && (r == rounds / 3 || r == 2 * rounds / 3))
			fprintf(stderr, "api: %d\n", checkpoint());
		for (uint32_t i = 0; i < CELLS; i++)
			cells[i] = mix(cells[i] + (uint64_t)r * CELLS + i);
	}
	for (uint32_t i = 0; i < CELLS; i++)
		sum += cells[i];
	if (checkpoint && fork() == 0) {
		fprintf(stderr, "child api: %d\n", checkpoint());
		_exit(0);
	}
	wait(NULL);
	printf("result %016llx\n", (unsigned long long)sum);
	return 0;
}
