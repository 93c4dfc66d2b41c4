/*
 * soak_prog: a long malloc/stdio load for the soak benchmark (soak.sh).
 *
 *   soak_prog SECONDS FILE [REPORTS]
 *
 * Fills SLOTS heap blocks, then for SECONDS frees and allocates them again
 * at random (16 B to 64 KiB, most of them small), touching every block,
 * and writes one fprintf line per operation to FILE (rewound every 64 KiB,
 * so the file stays small).  It sleeps 1 ms every 2000 operations, which
 * keeps it near half a core.  The random sequence starts again every CYCLE
 * operations and the figures are taken at the end of a cycle: malloc's
 * state depends only on the calls made to it, so on its own the program's
 * heap settles within a few cycles and then stays flat -- any growth comes
 * from calls someone else makes.
 *
 * Prints REPORTS + 1 lines (default 10 + 1), at the start (after two
 * seconds of churn) and at equal steps to the end:
 *   t=S rss_kb=N file_kb=N heap_kb=N anon_kb=N fds=N inuse_kb=N free_kb=N
 *   ops=N
 * rss and file from /proc/self/status (VmRSS, RssFile), heap and anon the
 * Rss of [heap] and of the other anonymous mappings in /proc/self/smaps, fds the entries of
 * /proc/self/fd, inuse and free malloc's own figures (mallinfo2).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define SLOTS 4096
#define FILE_MAX (64 << 10)
#define CYCLE (1ul << 18)
#define SEED 0x9e3779b97f4a7c15ull

static void *slots[SLOTS];
static uint64_t rng = SEED ^ 1;

static uint64_t next(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dull;
}

static size_t block_size(void)
{
	uint64_t r = next();

	switch (r % 64) {
	case 0:
		return 4096 + (size_t)(r >> 8) % (60 << 10);
	case 1 ... 8:
		return 512 + (size_t)(r >> 8) % 3584;
	default:
		return 16 + (size_t)(r >> 8) % 512;
	}
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The figures are read without malloc, so that taking them leaves the heap
 * as it was: a static buffer, open and read, getdents64. */
static char text[1 << 20];

static const char *read_text(const char *path)
{
	size_t len = 0;
	ssize_t n = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		while (len < sizeof(text) - 1 &&
		       (n = read(fd, text + len, sizeof(text) - 1 - len)) > 0)
			len += (size_t)n;
		close(fd);
	}
	text[len] = 0;
	return text;
}

static long status_kb(const char *key)
{
	const char *p = strstr(read_text("/proc/self/status"), key);

	return p ? atol(p + strlen(key)) : -1;
}

/* Rss of [heap], and of the other anonymous mappings. */
static void smaps_kb(long *heap, long *anon)
{
	int kind = 0; /* 1 heap, 2 other anonymous */

	*heap = *anon = 0;
	for (char *line = (char *)read_text("/proc/self/smaps"), *end; *line;
	     line = end + !!*end) {
		const char *sp = strchr(line, ' ');
		char path[256] = "";
		unsigned long inode = 1;

		end = strchrnul(line, '\n');
		if (sp && sp < end && sp[-1] != ':') { /* a mapping's first line */
			char c = *end;

			*end = 0;
			sscanf(line, "%*s %*s %*s %*s %lu %255s", &inode, path);
			*end = c;
			kind = !strcmp(path, "[heap]")   ? 1
			       : !path[0] && inode == 0 ? 2
							 : 0;
		} else if (!strncmp(line, "Rss:", 4)) {
			if (kind == 1)
				*heap += atol(line + 4);
			else if (kind == 2)
				*anon += atol(line + 4);
		}
	}
}

static int fd_count(void)
{
	int fd = open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int count = 0;
	long n;

	if (fd < 0)
		return -1;
	while ((n = syscall(SYS_getdents64, fd, text, sizeof(text))) > 0)
		for (long off = 0; off < n;) {
			struct dirent64 *e = (struct dirent64 *)(text + off);

			count += e->d_name[0] != '.';
			off += e->d_reclen;
		}
	close(fd);
	return count - 1; /* the directory's own */
}

static void report(double t, unsigned long ops)
{
	struct mallinfo2 mi = mallinfo2();
	long heap, anon;

	smaps_kb(&heap, &anon);
	printf("t=%.0f rss_kb=%ld file_kb=%ld heap_kb=%ld anon_kb=%ld fds=%d"
	       " inuse_kb=%zu free_kb=%zu ops=%lu\n",
	       t, status_kb("VmRSS:"), status_kb("RssFile:"), heap, anon,
	       fd_count(),
	       mi.uordblks / 1024, mi.fordblks / 1024, ops);
	fflush(stdout);
}

static void churn(FILE *out, unsigned long op)
{
	size_t i = (size_t)(next() % SLOTS), size = block_size();

	free(slots[i]);
	slots[i] = malloc(size);
	if (!slots[i]) {
		fprintf(stderr, "soak_prog: out of memory\n");
		exit(1);
	}
	memset(slots[i], (int)(op & 0xff), size);
	fprintf(out, "op %lu slot %zu size %zu\n", op, i, size);
	if (ftell(out) > FILE_MAX)
		rewind(out);
}

/* One cycle: the same blocks allocated, churned and freed again. */
static void cycle(FILE *out, unsigned long *op)
{
	rng = SEED;
	for (size_t i = 0; i < SLOTS; i++)
		slots[i] = malloc(block_size());
	for (unsigned long end = *op + CYCLE; *op < end;) {
		churn(out, *op);
		if (++*op % 2000 == 0) {
			struct timespec ms = { 0, 1000000 };

			nanosleep(&ms, NULL);
		}
	}
}

static void cycle_free(void)
{
	for (size_t i = 0; i < SLOTS; i++) {
		free(slots[i]);
		slots[i] = NULL;
	}
}

int main(int argc, char **argv)
{
	double seconds, t0, step;
	int reports = argc > 3 ? atoi(argv[3]) : 10;
	unsigned long op = 0;
	FILE *out;

	if (argc < 3 || (seconds = atof(argv[1])) <= 0 || reports < 1) {
		fprintf(stderr, "usage: soak_prog SECONDS FILE [REPORTS]\n");
		return 2;
	}
	out = fopen(argv[2], "w");
	if (!out) {
		perror(argv[2]);
		return 1;
	}
	t0 = now() + 2.0;
	step = seconds / reports;
	for (int r = 0; r <= reports;) {
		cycle(out, &op);
		if (now() - t0 >= r * step)
			report(now() - t0, op), r++;
		cycle_free();
	}
	return fclose(out) ? 1 : 0;
}
