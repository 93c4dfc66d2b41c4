/*
 * stress_alloc: the heap and stdio hammered while checkpoints land at any
 * moment -- inside malloc's locks, inside stdio's buffers.
 *
 *   stress_alloc OPS
 *
 * State built: up to SLOTS live heap blocks of random sizes (a deterministic
 * PRNG; small, medium and mmap-sized blocks) made with malloc, calloc and
 * realloc and freed at random, each with the checksum of its contents; a
 * FILE opened with fopen on a scratch file (in a directory made with
 * mkdtemp under /tmp), an open_memstream stream and an fmemopen stream, all
 * written with fprintf, with the expected text made by snprintf.
 *
 * Checked: every block's checksum whenever it is touched and all of them
 * every SWEEP operations; the prefix realloc keeps; calloc's zeroes; every
 * fprintf's count; every SWEEP operations the scratch file's new bytes (read
 * back with pread, and its offset), the memstream's buffer and the fmemopen
 * buffer against what was written.  The scratch file is only ever appended
 * to, so a resumed run rewrites the same bytes at the same places.
 *
 * Prints the operation counts and a final checksum, all fixed by OPS; a
 * violation prints "FAIL: ..." and the exit status becomes 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SLOTS 2048
#define SWEEP 4096
#define MEMSTREAM_MAX (64 << 10)
#define FMEM_SIZE 4096

struct slot {
	unsigned char *p;
	size_t size;
	uint64_t sum;
	uint64_t seed;
};

static struct slot slots[SLOTS];
static uint64_t rng = 0x9e3779b97f4a7c15ull;
static unsigned long failures;

static struct {
	unsigned long mallocs, callocs, reallocs, frees, rewrites, sweeps;
	unsigned long file_recs, ms_recs, fmem_recs, ms_reopens;
} n;

#define FAIL(...)                                                            \
	do {                                                                 \
		if (failures++ < 20) {                                       \
			printf("FAIL: " __VA_ARGS__);                        \
			putchar('\n');                                       \
			fflush(stdout);                                      \
		}                                                            \
	} while (0)

static uint64_t next(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dull;
}

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ull;
	return x ^ (x >> 33);
}

/* Bytes [from, to) of a block: byte i depends only on (seed, i). */
static void fill(unsigned char *p, size_t from, size_t to, uint64_t seed)
{
	size_t i = from;

	while (i < to) {
		uint64_t w = seed + (i >> 3);

		if ((i & 7) == 0 && i + 8 <= to) {
			memcpy(p + i, &w, 8);
			i += 8;
		} else {
			p[i] = (unsigned char)(w >> (8 * (i & 7)));
			i++;
		}
	}
}

static uint64_t checksum(const unsigned char *p, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ull ^ len;
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		uint64_t w;

		memcpy(&w, p + i, 8);
		h = (h ^ w) * 0x100000001b3ull;
		h ^= h >> 29;
	}
	for (; i < len; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

/* Streaming FNV-1a for the stdio streams. */
static uint64_t fnv(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;

	for (size_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

#define FNV_INIT 0xcbf29ce484222325ull

static size_t pick_size(void)
{
	uint64_t r = next();

	switch (r % 1024) {
	case 0 ... 1:
		return 128 * 1024 + (size_t)(next() % (384 * 1024));
	case 2 ... 64:
		return 1 + (size_t)(next() % (16 * 1024));
	default:
		return 1 + (size_t)(next() % 512);
	}
}

static void verify(unsigned k, const char *when)
{
	struct slot *s = &slots[k];

	if (s->p && checksum(s->p, s->size) != s->sum)
		FAIL("block checksum, slot %u size %zu changed (%s)", k, s->size,
		     when);
}

static void block_new(unsigned k)
{
	struct slot *s = &slots[k];
	size_t size = pick_size();

	s->seed = next();
	if (next() % 8 == 0) {
		s->p = calloc(1, size);
		n.callocs++;
		if (s->p)
			for (size_t i = 0; i < size; i++)
				if (s->p[i]) {
					FAIL("calloc, byte %zu of %zu not zero",
					     i, size);
					break;
				}
	} else {
		s->p = malloc(size);
		n.mallocs++;
	}
	if (!s->p) {
		FAIL("allocation, %zu bytes: %s", size, strerror(errno));
		exit(1);
	}
	s->size = size;
	fill(s->p, 0, size, s->seed);
	s->sum = checksum(s->p, size);
}

static void block_realloc(unsigned k)
{
	struct slot *s = &slots[k];
	size_t size = pick_size(), keep = size < s->size ? size : s->size;
	uint64_t prefix = checksum(s->p, keep);
	unsigned char *p = realloc(s->p, size);

	n.reallocs++;
	if (!p) {
		FAIL("realloc, %zu to %zu bytes: %s", s->size, size,
		     strerror(errno));
		exit(1);
	}
	if (checksum(p, keep) != prefix)
		FAIL("realloc, kept prefix of %zu bytes changed (%zu to %zu)",
		     keep, s->size, size);
	fill(p, keep, size, s->seed);
	s->p = p;
	s->size = size;
	s->sum = checksum(p, size);
}

static void block_rewrite(unsigned k)
{
	struct slot *s = &slots[k];
	size_t a = (size_t)(next() % s->size), b = (size_t)(next() % s->size);

	if (a > b) {
		size_t t = a;

		a = b;
		b = t;
	}
	fill(s->p, a, b + 1, next());
	s->sum = checksum(s->p, s->size);
	n.rewrites++;
}

/* The three streams and what was written to each. */
static struct {
	FILE *file;
	uint64_t file_len, file_sum, file_verified_len, file_verified_sum;
	FILE *ms;
	char *ms_buf;
	size_t ms_size, ms_len;
	uint64_t ms_sum;
	FILE *fm;
	char fm_buf[FMEM_SIZE], fm_expect[FMEM_SIZE];
	size_t fm_pos;
	char dir[64];
} st;

static void memstream_open(void)
{
	st.ms = open_memstream(&st.ms_buf, &st.ms_size);
	if (!st.ms) {
		FAIL("open_memstream: %s", strerror(errno));
		exit(1);
	}
	st.ms_len = 0;
	st.ms_sum = FNV_INIT;
}

static void streams_open(void)
{
	snprintf(st.dir, sizeof(st.dir), "/tmp/ckpt-stress-XXXXXX");
	if (!mkdtemp(st.dir) || chdir(st.dir)) {
		FAIL("scratch directory %s: %s", st.dir, strerror(errno));
		exit(1);
	}
	st.file = fopen("scratch.txt", "w+");
	if (!st.file) {
		FAIL("fopen scratch.txt: %s", strerror(errno));
		exit(1);
	}
	st.file_sum = st.file_verified_sum = FNV_INIT;
	memstream_open();
	st.fm = fmemopen(st.fm_buf, sizeof(st.fm_buf), "w");
	if (!st.fm) {
		FAIL("fmemopen: %s", strerror(errno));
		exit(1);
	}
	setvbuf(st.fm, NULL, _IOFBF, 256);
}

static void stream_record(unsigned long op, unsigned k)
{
	const struct slot *s = &slots[k];
	char line[256];
	int len, got;

	len = snprintf(line, sizeof(line),
		       "op %lu slot %u size %zu sum %016llx ratio %.3f\n", op,
		       k, s->size, (unsigned long long)s->sum,
		       (double)(s->sum % 100000) / 7.0);
	switch (next() % 3) {
	case 0:
		got = fprintf(st.file, "op %lu slot %u size %zu sum %016llx "
				       "ratio %.3f\n", op, k, s->size,
			      (unsigned long long)s->sum,
			      (double)(s->sum % 100000) / 7.0);
		if (got != len)
			FAIL("fprintf to the file, %d bytes, expected %d", got,
			     len);
		st.file_len += (uint64_t)len;
		st.file_sum = fnv(st.file_sum, line, (size_t)len);
		n.file_recs++;
		break;
	case 1:
		got = fprintf(st.ms, "%s", line);
		if (got != len)
			FAIL("fprintf to the memstream, %d bytes, expected %d",
			     got, len);
		st.ms_len += (size_t)len;
		st.ms_sum = fnv(st.ms_sum, line, (size_t)len);
		n.ms_recs++;
		break;
	default:
		if (st.fm_pos + (size_t)len + 1 > FMEM_SIZE) {
			fflush(st.fm);
			rewind(st.fm);
			st.fm_pos = 0;
		}
		got = fprintf(st.fm, "%.*s", len, line);
		if (got != len)
			FAIL("fprintf to the fmemopen stream, %d bytes, "
			     "expected %d", got, len);
		memcpy(st.fm_expect + st.fm_pos, line, (size_t)len);
		st.fm_pos += (size_t)len;
		n.fmem_recs++;
		break;
	}
}

static void streams_verify(void)
{
	int fd = fileno(st.file);
	static char buf[1 << 16];
	off_t off;

	if (fflush(st.file))
		FAIL("fflush of the scratch file: %s", strerror(errno));
	off = lseek(fd, 0, SEEK_CUR);
	if (off != (off_t)st.file_len || ftell(st.file) != (long)st.file_len)
		FAIL("scratch file offset %lld, ftell %ld, expected %llu",
		     (long long)off, ftell(st.file),
		     (unsigned long long)st.file_len);
	while (st.file_verified_len < st.file_len) {
		size_t want = st.file_len - st.file_verified_len;
		ssize_t got;

		if (want > sizeof(buf))
			want = sizeof(buf);
		got = pread(fd, buf, want, (off_t)st.file_verified_len);
		if (got <= 0) {
			FAIL("pread of the scratch file at %llu: %s",
			     (unsigned long long)st.file_verified_len,
			     got ? strerror(errno) : "end of file");
			break;
		}
		st.file_verified_sum = fnv(st.file_verified_sum, buf,
					   (size_t)got);
		st.file_verified_len += (uint64_t)got;
	}
	if (st.file_verified_sum != st.file_sum)
		FAIL("scratch file contents, up to byte %llu",
		     (unsigned long long)st.file_len);
	st.file_verified_sum = st.file_sum;
	st.file_verified_len = st.file_len;

	if (fflush(st.ms))
		FAIL("fflush of the memstream: %s", strerror(errno));
	if (st.ms_size != st.ms_len ||
	    fnv(FNV_INIT, st.ms_buf, st.ms_size) != st.ms_sum)
		FAIL("memstream contents, %zu bytes, expected %zu", st.ms_size,
		     st.ms_len);
	if (st.ms_len > MEMSTREAM_MAX) {
		fclose(st.ms);
		free(st.ms_buf);
		memstream_open();
		n.ms_reopens++;
	}

	if (fflush(st.fm))
		FAIL("fflush of the fmemopen stream: %s", strerror(errno));
	if (memcmp(st.fm_buf, st.fm_expect, st.fm_pos) != 0)
		FAIL("fmemopen buffer contents, %zu bytes", st.fm_pos);
}

static void streams_close(void)
{
	uint64_t sum = FNV_INIT;
	char buf[4096];
	size_t got;

	streams_verify();
	rewind(st.file);
	while ((got = fread(buf, 1, sizeof(buf), st.file)) > 0)
		sum = fnv(sum, buf, got);
	if (sum != st.file_sum)
		FAIL("scratch file contents read back whole with fread");
	fclose(st.file);
	fclose(st.ms);
	free(st.ms_buf);
	fclose(st.fm);
	unlink("scratch.txt");
	if (chdir("/") || rmdir(st.dir))
		FAIL("removing %s: %s", st.dir, strerror(errno));
}

int main(int argc, char **argv)
{
	unsigned long ops = argc > 1 ? strtoul(argv[1], NULL, 10) : 300000;
	uint64_t total = 0;
	unsigned long live = 0;

	streams_open();
	for (unsigned long op = 1; op <= ops; op++) {
		unsigned k = (unsigned)(next() % SLOTS);

		if (!slots[k].p) {
			block_new(k);
		} else {
			verify(k, "before use");
			switch (next() % 3) {
			case 0:
				free(slots[k].p);
				slots[k].p = NULL;
				n.frees++;
				break;
			case 1:
				block_realloc(k);
				break;
			default:
				block_rewrite(k);
				break;
			}
		}
		if (next() % 16 == 0)
			stream_record(op, k);
		if (op % SWEEP == 0) {
			for (unsigned i = 0; i < SLOTS; i++)
				verify(i, "sweep");
			streams_verify();
			n.sweeps++;
		}
	}
	for (unsigned i = 0; i < SLOTS; i++) {
		verify(i, "at the end");
		if (slots[i].p) {
			total = mix(total ^ slots[i].sum) + slots[i].size;
			live++;
			free(slots[i].p);
		}
	}
	streams_close();
	printf("stress_alloc: %lu operations: %lu malloc, %lu calloc, %lu "
	       "realloc, %lu free, %lu rewrites, %lu sweeps\n", ops, n.mallocs,
	       n.callocs, n.reallocs, n.frees, n.rewrites, n.sweeps);
	printf("stress_alloc: %lu blocks live at the end, checksum %016llx\n",
	       live, (unsigned long long)total);
	printf("stdio: %lu file records (%llu bytes), %lu memstream records "
	       "(%lu reopens), %lu fmemopen records\n", n.file_recs,
	       (unsigned long long)st.file_len, n.ms_recs, n.ms_reopens,
	       n.fmem_recs);
	printf("stress_alloc: %s\n", failures ? "FAILED" : "ok");
	return failures ? 1 : 0;
}
