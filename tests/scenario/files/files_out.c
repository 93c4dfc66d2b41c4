/*
 * Output files, exactly once.  Run in a scratch directory; every iteration
 * writes to files in as many ways as programs do, and the driver compares
 * every file with an uninterrupted run's after kills and resumes:
 *
 *   seq.out     one descriptor, sequential write()
 *   append.out  O_APPEND descriptor kept open
 *   results.out opened with fopen("a"), one line, closed: every iteration
 *   table.out   fixed-size records rewritten in place with pwrite
 *   trunc.out   grows, and is cut back with ftruncate now and then
 *   mapped.out  a MAP_SHARED mapping written in place
 *   step-N.out  a new file created every 40 iterations (O_CREAT|O_APPEND)
 *   counter.out a counter read, incremented and written back in place: a
 *               write repeated after a resume would count twice
 *   stdout      a line every 10 iterations, and the report
 *
 *   files_out ITERATIONS
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define RECORDS 64
#define MAPPED_SIZE 65536

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void write_all(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(fd, s, n);

		if (w <= 0)
			die("write");
		s += w;
		n -= (size_t)w;
	}
}

static void counter_bump(int fd)
{
	char text[32] = { 0 };
	long v;

	if (pread(fd, text, sizeof(text) - 1, 0) < 0)
		die("pread");
	v = atol(text) + 1;
	snprintf(text, sizeof(text), "%020ld\n", v);
	if (pwrite(fd, text, 21, 0) != 21)
		die("pwrite");
}

static void spin(long iterations)
{
	volatile uint64_t x = 0;

	for (long i = 0; i < iterations; i++)
		x += (uint64_t)i * 2654435761u;
}

int main(int argc, char **argv)
{
	long iterations = argc > 1 ? atol(argv[1]) : 400;
	int seq = open("seq.out", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	int app = open("append.out", O_WRONLY | O_CREAT | O_APPEND, 0644);
	int table = open("table.out", O_RDWR | O_CREAT | O_TRUNC, 0644);
	int trunc = open("trunc.out", O_RDWR | O_CREAT | O_TRUNC, 0644);
	int mfd = open("mapped.out", O_RDWR | O_CREAT | O_TRUNC, 0644);
	int counter = open("counter.out", O_RDWR | O_CREAT | O_TRUNC, 0644);
	char line[128], rec[32];
	char *map;

	if (seq < 0 || app < 0 || table < 0 || trunc < 0 || mfd < 0 ||
	    counter < 0)
		die("open");
	if (ftruncate(mfd, MAPPED_SIZE))
		die("ftruncate");
	map = mmap(NULL, MAPPED_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
	if (map == MAP_FAILED)
		die("mmap");
	for (int r = 0; r < RECORDS; r++) {
		snprintf(rec, sizeof(rec), "record %4d: %10d\n", r, 0);
		if (pwrite(table, rec, strlen(rec), (off_t)(r * 31)) < 0)
			die("pwrite");
	}
	for (long i = 0; i < iterations; i++) {
		FILE *f;
		int n = snprintf(line, sizeof(line), "iteration %ld\n", i);

		write_all(seq, line, (size_t)n);
		write_all(app, line, (size_t)n);
		f = fopen("results.out", "a");
		if (!f)
			die("fopen");
		fprintf(f, "result %ld = %ld\n", i, i * i);
		fclose(f);
		snprintf(rec, sizeof(rec), "record %4ld: %10ld\n", i % RECORDS, i);
		if (pwrite(table, rec, strlen(rec), (off_t)(i % RECORDS * 31)) < 0)
			die("pwrite");
		write_all(trunc, line, (size_t)n);
		if (i % 25 == 24 && ftruncate(trunc, lseek(trunc, 0, SEEK_CUR) / 2))
			die("ftruncate");
		if (i % 25 == 24)
			lseek(trunc, 0, SEEK_END);
		memcpy(map + (i * 97) % (MAPPED_SIZE - n), line, (size_t)n);
		if (i % 40 == 0) {
			char name[32];
			int step;

			snprintf(name, sizeof(name), "step-%ld.out", i / 40);
			step = open(name, O_WRONLY | O_CREAT | O_APPEND, 0644);
			if (step < 0)
				die("open step");
			write_all(step, line, (size_t)n);
			close(step);
		}
		counter_bump(counter);
		if (i % 10 == 0) {
			printf("at iteration %ld\n", i);
			fflush(stdout);
		}
		spin(2000000);
		usleep(5000);
	}
	printf("wrote %ld iterations\n", iterations);
	return 0;
}
