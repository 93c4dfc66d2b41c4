/*
 * A large sparse reservation, as JVMs, sanitizers and databases make: 64 GiB
 * with MAP_NORESERVE, a few pages of it used.  It must come back (without
 * MAP_NORESERVE the kernel refuses to map it again), with its pages.
 *
 *   noreserve ROUNDS
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#define SIZE (64ull << 30)
#define USED 64

int main(int argc, char **argv)
{
	long rounds = argc > 1 ? atol(argv[1]) : 3000;
	uint64_t *p = mmap(NULL, SIZE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	uint64_t sum = 0;

	if (p == MAP_FAILED) {
		perror("mmap 64 GiB MAP_NORESERVE");
		return 2;
	}
	for (long r = 0; r < rounds; r++) {
		for (int k = 0; k < USED; k++) {
			/* a page every GiB, far apart */
			uint64_t *cell = p + (SIZE / USED / 8) * (uint64_t)k;

			for (int i = 0; i < 512; i++)
				cell[i] = cell[i] * 6364136223846793005ull +
					  (uint64_t)(r + i);
			sum += cell[r % 512];
		}
		if (r % 500 == 0)
			printf("round %ld sum %016llx\n", r,
			       (unsigned long long)sum);
	}
	printf("done %016llx\n", (unsigned long long)sum);
	return 0;
}
