#include "paths.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

int path_beside_self(char *out, size_t size, const char *rel)
{
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;

	if (n <= 0)
		return -1;
	exe[n] = 0;
	slash = strrchr(exe, '/');
	if (!slash)
		return -1;
	*slash = 0;
	if ((size_t)snprintf(out, size, "%s/%s", exe, rel) >= size)
		return -1;
	return 0;
}
