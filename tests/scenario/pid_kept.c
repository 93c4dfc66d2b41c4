/*
 * Reports whether its process id stayed the same all through the run:
 * with ckpt-resume --same-pid (privileged) a resumed program keeps it.
 *   pid_kept ITERATIONS
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long iterations = argc > 1 ? atol(argv[1]) : 500;
	pid_t first = getpid();
	long changed = 0;

	for (long i = 0; i < iterations; i++) {
		usleep(10000);
		changed += getpid() != first;
	}
	printf("%s\n", changed ? "pid changed" : "pid kept");
	return 0;
}
