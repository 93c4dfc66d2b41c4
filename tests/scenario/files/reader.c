/*
 * Reads a file of numbers slowly, printing a running sum for each line to
 * stdout: an input file held open, and a stdout that may be a pipe.
 *   reader FILE
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	FILE *in = argc > 1 ? fopen(argv[1], "r") : NULL;
	char line[64];
	long sum = 0, n = 0;

	if (!in)
		return 2;
	while (n < 400 && fgets(line, sizeof(line), in)) {
		sum += atol(line);
		printf("%ld %ld\n", ++n, sum);
		fflush(stdout);
		usleep(15000);
	}
	printf("total %ld over %ld lines\n", sum, n);
	return 0;
}
