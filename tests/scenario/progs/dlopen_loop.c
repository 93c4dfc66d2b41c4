/*
 * dlopen and dlclose in a loop, as plugin hosts and interpreters do: the
 * dynamic loader's lock (a recursive mutex that records its owner's thread
 * id) is held during each call, and a thread's id changes at a resume.
 * Resumed three times, the program must keep loading.
 *
 *   dlopen_loop ROUNDS PLUGIN
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	long rounds = argc > 1 ? atol(argv[1]) : 20000;
	const char *path = argc > 2 ? argv[2] : "./plugin.so";
	long sum = 0;

	for (long r = 0; r < rounds; r++) {
		void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
		int (*answer)(int);

		if (!h) {
			printf("FAIL: dlopen: %s\n", dlerror());
			return 1;
		}
		answer = (int (*)(int))dlsym(h, "plugin_answer");
		sum += answer ? answer((int)(r % 7)) : -1;
		if (dlclose(h)) {
			printf("FAIL: dlclose: %s\n", dlerror());
			return 1;
		}
		if (r % 2000 == 0)
			printf("round %ld sum %ld\n", r, sum);
	}
	printf("done %ld\n", sum);
	return 0;
}
