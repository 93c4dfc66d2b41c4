/*
 * A program that exports getenv, setenv and deflate of its own, as bash
 * (getenv, setenv) and node (a whole zlib) do.  libckpt must not take them
 * for glibc's or zlib's: its settings come from the real environment and
 * its images are compressed by its own codecs.  This getenv knows nothing
 * (bash's, before its main), this setenv drops everything, and this
 * deflate aborts (in a writer, the image is then never written).
 *
 *   exports ROUNDS
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

char *getenv(const char *name)
{
	(void)name;
	return NULL;
}

int setenv(const char *name, const char *value, int overwrite)
{
	(void)name;
	(void)value;
	(void)overwrite;
	return 0;
}

int deflate(void *strm, int flush);
int deflate(void *strm, int flush)
{
	(void)strm;
	(void)flush;
	fputs("exports: the program's deflate was called\n", stderr);
	abort();
}

int main(int argc, char **argv)
{
	long rounds = argc > 1 ? atol(argv[1]) : 2000;
	static uint64_t cells[1 << 18];
	uint64_t sum = 0;

	for (long r = 0; r < rounds; r++) {
		for (size_t i = 0; i < sizeof(cells) / sizeof(*cells); i++)
			cells[i] = cells[i] * 6364136223846793005ull + (uint64_t)r;
		if (r % 100 == 0)
			printf("round %ld\n", r);
	}
	for (size_t i = 0; i < sizeof(cells) / sizeof(*cells); i++)
		sum += cells[i];
	printf("sum %016llx\n", (unsigned long long)sum);
	return 0;
}
