/*
 * A file larger than CKPT_FILE_SAVE_MAX rewritten in place, as a database
 * does: each step reads a few bytes at a random place, changes them and
 * writes them back, so a step redone on a file from the future gives other
 * bytes.  After a resume the file must be exactly as at the checkpoint.
 *
 *   inplace MODE MIB STEPS
 *
 * MODE: pwrite (pwrite, with now and then an ftruncate that cuts the file
 * and grows it again, and a hole punched), write (lseek + write, and
 * writev), or mmap (through a MAP_SHARED mapping of the file, nine steps
 * in ten within its first 4 MiB, as a database's hot pages).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

#include "../progs/prog.h"

static uint64_t rng = 88172645463325252ull;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void create(int fd, uint64_t size)
{
	static uint64_t chunk[1 << 17];

	for (uint64_t off = 0; off < size; off += sizeof(chunk)) {
		for (size_t i = 0; i < sizeof(chunk) / 8; i++)
			chunk[i] = (off / 8 + i) * 0x9e3779b97f4a7c15ull;
		if (pwrite(fd, chunk, sizeof(chunk), (off_t)off) != sizeof(chunk))
			fail("create: pwrite at %llu", (unsigned long long)off);
	}
}

static void change(uint64_t *v, size_t n, long step)
{
	for (size_t i = 0; i < n; i++)
		v[i] = v[i] * 6364136223846793005ull + (uint64_t)step;
}

/* One read-modify-write of n words at off through the descriptor. */
static uint64_t step_fd(int fd, const char *mode, uint64_t off, size_t n,
			long step)
{
	uint64_t v[512];

	if (pread(fd, v, n * 8, (off_t)off) != (ssize_t)(n * 8))
		fail("pread at %llu", (unsigned long long)off);
	change(v, n, step);
	if (!strcmp(mode, "pwrite")) {
		if (pwrite(fd, v, n * 8, (off_t)off) != (ssize_t)(n * 8))
			fail("pwrite at %llu", (unsigned long long)off);
	} else if (step % 2) {
		struct iovec iov[2] = { { v, n * 4 }, { (char *)v + n * 4, n * 4 } };

		lseek(fd, (off_t)off, SEEK_SET);
		if (writev(fd, iov, 2) != (ssize_t)(n * 8))
			fail("writev at %llu", (unsigned long long)off);
	} else {
		lseek(fd, (off_t)off, SEEK_SET);
		if (write(fd, v, n * 8) != (ssize_t)(n * 8))
			fail("write at %llu", (unsigned long long)off);
	}
	return v[0];
}

/* Now and then the end of the file is cut and grown back (its bytes
 * become zeros) and a hole is punched. */
static void reshape(int fd, uint64_t size, long step)
{
	if (step % 20000 == 10000) {
		if (ftruncate(fd, (off_t)(size - (1 << 20))) ||
		    ftruncate(fd, (off_t)size))
			fail("ftruncate");
	}
	if (step % 20000 == 15000 &&
	    fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
		      (off_t)(next() % (size / 65536)) * 65536, 65536))
		fail("fallocate");
}

static uint64_t file_hash(int fd, uint64_t size)
{
	static uint64_t chunk[1 << 17];
	uint64_t h = 1469598103934665603ull;

	for (uint64_t off = 0; off < size; off += sizeof(chunk)) {
		if (pread(fd, chunk, sizeof(chunk), (off_t)off) != sizeof(chunk))
			fail("hash: pread at %llu", (unsigned long long)off);
		for (size_t i = 0; i < sizeof(chunk) / 8; i++)
			h = (h ^ chunk[i]) * 1099511628211ull;
	}
	return h;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "pwrite";
	uint64_t size = (argc > 2 ? strtoull(argv[2], NULL, 10) : 64) << 20;
	long steps = argc > 3 ? atol(argv[3]) : 400000;
	int fd = open("data.bin", O_RDWR | O_CREAT | O_TRUNC, 0644);
	uint64_t sum = 0, *map = NULL;

	if (fd < 0) {
		perror("data.bin");
		return 2;
	}
	create(fd, size);
	if (!strcmp(mode, "mmap")) {
		map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (map == MAP_FAILED) {
			perror("mmap");
			return 2;
		}
	}
	for (long s = 1; s <= steps; s++) {
		uint64_t span = map && s % 10 ? (4u << 20) : size;
		uint64_t off = (next() % (span / 8 - 512)) * 8;
		size_t n = 1 + next() % 512;

		if (map) {
			change(map + off / 8, n, s);
			sum += map[off / 8];
		} else {
			sum += step_fd(fd, mode, off, n, s);
			reshape(fd, size, s);
		}
		if (s % 20000 == 0)
			printf("step %ld sum %016llx\n", s, (unsigned long long)sum);
	}
	printf("done: file %016llx, %lu failures\n",
	       (unsigned long long)file_hash(fd, size), failures);
	return 0;
}
