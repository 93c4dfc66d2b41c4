/*
 * Fills MIB mebibytes (default 256) with data derived from its position,
 * then transforms and checksums it round after round.  The image of this
 * program is large: it exercises page capture and restore at size.
 *
 *   bigmem [MIB] [ROUNDS]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	size_t mib = argc > 1 ? strtoul(argv[1], NULL, 10) : 256;
	long rounds = argc > 2 ? atol(argv[2]) : 40;
	size_t n = mib * 1024 * 1024 / sizeof(uint64_t);
	uint64_t *data = malloc(n * sizeof(*data));
	uint64_t sum = 0;

	if (!data)
		return 1;
	for (size_t i = 0; i < n; i++)
		data[i] = i * 0x9e3779b97f4a7c15ull;
	for (long r = 0; r < rounds; r++) {
		sum = 0;
		for (size_t i = 0; i < n; i++) {
			data[i] = (data[i] ^ (data[i] >> 29)) + (uint64_t)r;
			sum = sum * 31 + data[i];
		}
		fprintf(stderr, "round %ld of %ld\n", r, rounds);
	}
	printf("checksum %016llx of %zu MiB after %ld rounds\n",
	       (unsigned long long)sum, mib, rounds);
	free(data);
	return 0;
}
