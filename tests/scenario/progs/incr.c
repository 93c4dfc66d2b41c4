/*
 * incr: memory that changes a little between checkpoints, for incremental
 * images (issue 11).
 *
 *   incr rewrite MIB STEPS [NAP_MS]
 *                            each step rewrites a random 1 % of the pages of
 *                            MIB MiB, then sleeps NAP_MS (0)
 *   incr remap STEPS         mappings made, unmapped, moved (mremap), grown,
 *                            protected, written and MADV_DONTNEED'd
 *   incr threads MIB STEPS [NAP_MS]
 *                            4 threads rewriting 1 % of their own quarter
 *                            of MIB MiB per step, all at once
 *
 * Every page holds a value made from its index and the step it was last
 * written at, which a table records; each step checks some pages against
 * the table (remap: all of them), the end checks every page.  Prints a
 * checksum ten times and at the end; a violation prints "FAIL: ...".
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "prog.h"

#define PAGE 4096u
#define WORDS (PAGE / 8)

static uint64_t rng_next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static uint64_t page_value(uint64_t index, uint32_t version)
{
	uint64_t v = (index + 1) * 0x9e3779b97f4a7c15ull ^ version;

	return v ^ (v >> 31);
}

/* Version 0: a page never written, all zero. */
static void page_fill(uint64_t *p, uint64_t index, uint32_t version)
{
	uint64_t v = version ? page_value(index, version) : 0;

	for (unsigned i = 0; i < WORDS; i++)
		p[i] = v;
	if (version)
		p[0] = index;
}

static int page_ok(const uint64_t *p, uint64_t index, uint32_t version)
{
	uint64_t v = version ? page_value(index, version) : 0;

	if (p[0] != (version ? index : 0))
		return 0;
	for (unsigned i = 1; i < WORDS; i++)
		if (p[i] != v)
			return 0;
	return 1;
}

static uint64_t sum_of(const uint32_t *versions, uint64_t n)
{
	uint64_t sum = 0;

	for (uint64_t i = 0; i < n; i++)
		sum = sum * 31 + versions[i];
	return sum;
}

/* --- rewrite, threads ---------------------------------------------------- */

struct part {
	char *mem;
	uint32_t *versions;
	uint64_t first, pages; /* page indexes of this part */
	long steps;
	long nap_ms;           /* a pace closer to a real job's than none */
	uint64_t seed;
	int report;            /* prints the checksum as it goes */
};

static void part_check(const struct part *p, uint64_t i, const char *when,
		       long step)
{
	if (!page_ok((const uint64_t *)(p->mem + i * PAGE), i, p->versions[i]))
		fail("page %llu holds the wrong contents %s step %ld",
		     (unsigned long long)i, when, step);
}

static void *part_run(void *arg)
{
	struct part *p = arg;
	uint64_t per_step = p->pages / 100 ? p->pages / 100 : 1;

	for (uint64_t i = p->first; i < p->first + p->pages; i++) {
		p->versions[i] = 1;
		page_fill((uint64_t *)(p->mem + i * PAGE), i, 1);
	}
	for (long s = 0; s < p->steps; s++) {
		for (uint64_t k = 0; k < per_step; k++) {
			uint64_t i = p->first + rng_next(&p->seed) % p->pages;

			p->versions[i] = (uint32_t)s + 2;
			page_fill((uint64_t *)(p->mem + i * PAGE), i,
				  p->versions[i]);
		}
		for (int k = 0; k < 32; k++)
			part_check(p, p->first + rng_next(&p->seed) % p->pages,
				   "after", s);
		if (p->nap_ms) {
			struct timespec nap = { 0, p->nap_ms * 1000000 };

			nanosleep(&nap, NULL);
		}
		if (p->report && (s + 1) % (p->steps / 10 ? p->steps / 10 : 1) == 0)
			printf("step %ld: checksum %016llx\n", s + 1,
			       (unsigned long long)sum_of(p->versions + p->first,
							  p->pages));
	}
	for (uint64_t i = p->first; i < p->first + p->pages; i++)
		part_check(p, i, "at the end, after", p->steps);
	return NULL;
}

static int rewrite(uint64_t mib, long steps, long nap_ms, int nthreads)
{
	uint64_t pages = mib * 256;
	struct part parts[4];
	pthread_t tids[4];
	char *mem = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint32_t *versions = calloc(pages, sizeof(*versions));

	if (mem == MAP_FAILED || !versions)
		return 2;
	for (int t = 0; t < nthreads; t++) {
		parts[t] = (struct part){ mem, versions, pages / nthreads * t,
					  pages / nthreads, steps, nap_ms,
					  0x1234567ull * (t + 1), nthreads == 1 };
		if (nthreads > 1 &&
		    pthread_create(&tids[t], NULL, part_run, &parts[t]))
			return 2;
	}
	if (nthreads == 1)
		part_run(&parts[0]);
	for (int t = 0; nthreads > 1 && t < nthreads; t++)
		pthread_join(tids[t], NULL);
	printf("incr: %d thread(s), %llu MiB, %ld steps: checksum %016llx\n",
	       nthreads, (unsigned long long)mib, steps,
	       (unsigned long long)sum_of(versions, pages));
	return failures ? 1 : 0;
}

/* --- remap --------------------------------------------------------------- */

#define SLOTS 8
#define SLOT_SPAN (64ull << 20) /* each slot's room in the reservation */
#define SLOT_MAX 256            /* pages */

struct slot {
	uint64_t off;       /* from the reservation's start; 0: unmapped */
	uint32_t pages;
	int readonly;
	uint32_t versions[SLOT_MAX];
};

static char *base;
static struct slot slots[SLOTS];

static char *slot_addr(const struct slot *s) { return base + s->off; }

static uint64_t slot_index(int n, uint32_t page) { return (uint64_t)n * SLOT_MAX + page; }

static void slot_write(int n, uint32_t page, uint32_t version)
{
	struct slot *s = &slots[n];

	s->versions[page] = version;
	page_fill((uint64_t *)(slot_addr(s) + (uint64_t)page * PAGE),
		  slot_index(n, page), version);
}

static void slot_map(int n, uint32_t pages, long step)
{
	struct slot *s = &slots[n];
	char *want = base + (uint64_t)n * SLOT_SPAN + PAGE;

	if (mmap(want, (size_t)pages * PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != want) {
		fail("mmap: %s", strerror(errno));
		return;
	}
	s->off = (uint64_t)(want - base);
	s->pages = pages;
	s->readonly = 0;
	for (uint32_t p = 0; p < pages; p++)
		slot_write(n, p, p % 3 ? (uint32_t)step + 1 : 0);
}

/* Back in the reservation, where it was, as PROT_NONE. */
static void slot_unmap(int n)
{
	struct slot *s = &slots[n];

	mmap(slot_addr(s), (size_t)s->pages * PAGE, PROT_NONE,
	     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0);
	memset(s, 0, sizeof(*s));
}

/* To the other half of its room, and sometimes grown (new pages zero). */
static void slot_move(int n, uint64_t r)
{
	struct slot *s = &slots[n];
	uint64_t room = (uint64_t)n * SLOT_SPAN;
	uint64_t to = s->off < room + SLOT_SPAN / 2 ? room + SLOT_SPAN / 2
						    : room + PAGE;
	uint32_t grow = r % 2 && s->pages < SLOT_MAX - 16 ? 16 : 0;
	void *got = mremap(slot_addr(s), (size_t)s->pages * PAGE,
			   (size_t)(s->pages + grow) * PAGE,
			   MREMAP_MAYMOVE | MREMAP_FIXED, base + to);

	if (got != base + to) {
		fail("mremap: %s", strerror(errno));
		return;
	}
	s->off = to;
	for (uint32_t p = s->pages; p < s->pages + grow; p++)
		s->versions[p] = 0;
	s->pages += grow;
}

static void slot_protect(int n)
{
	struct slot *s = &slots[n];

	s->readonly = !s->readonly;
	if (mprotect(slot_addr(s), (size_t)s->pages * PAGE,
		     s->readonly ? PROT_READ : PROT_READ | PROT_WRITE))
		fail("mprotect: %s", strerror(errno));
}

static void slot_dontneed(int n, uint64_t r)
{
	struct slot *s = &slots[n];
	uint32_t first = (uint32_t)(r % s->pages);
	uint32_t count = 1 + (uint32_t)(r >> 8) % 8;

	if (first + count > s->pages)
		count = s->pages - first;
	if (madvise(slot_addr(s) + (uint64_t)first * PAGE, (size_t)count * PAGE,
		    MADV_DONTNEED))
		fail("madvise: %s", strerror(errno));
	for (uint32_t p = first; p < first + count; p++)
		s->versions[p] = 0;
}

static void slot_rewrite(int n, uint64_t r, long step)
{
	struct slot *s = &slots[n];

	for (int k = 0; k < 4; k++, r >>= 8)
		slot_write(n, (uint32_t)(r % s->pages), (uint32_t)step + 1);
}

static void slots_check(long step)
{
	for (int n = 0; n < SLOTS; n++) {
		const struct slot *s = &slots[n];

		for (uint32_t p = 0; s->off && p < s->pages; p++)
			if (!page_ok((const uint64_t *)(slot_addr(s) +
							(uint64_t)p * PAGE),
				     slot_index(n, p), s->versions[p]))
				fail("slot %d page %u holds the wrong contents "
				     "after step %ld", n, p, step);
	}
}

static uint64_t slots_sum(void)
{
	uint64_t sum = 0;

	for (int n = 0; n < SLOTS; n++)
		sum = sum * 131 + slots[n].off + slots[n].pages * 7 +
		      sum_of(slots[n].versions, slots[n].pages);
	return sum;
}

static void remap_step(long step, uint64_t *seed)
{
	uint64_t r = rng_next(seed);
	int n = (int)(r % SLOTS);
	struct slot *s = &slots[n];

	r >>= 3;
	if (!s->off) {
		slot_map(n, 8 + (uint32_t)(r % 120), step);
		return;
	}
	if (s->readonly) { /* writable again before anything else */
		slot_protect(n);
		return;
	}
	switch ((r >> 4) % 6) {
	case 0: slot_unmap(n); break;
	case 1: slot_move(n, r >> 8); break;
	case 2: slot_protect(n); break;
	case 3: slot_dontneed(n, r >> 8); break;
	default: slot_rewrite(n, r >> 8, step); break;
	}
}

static int remap(long steps)
{
	uint64_t seed = 0xfeedbeefull;
	struct timespec nap = { 0, 1000000 };

	base = mmap(NULL, SLOTS * SLOT_SPAN, PROT_NONE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (base == MAP_FAILED)
		return 2;
	for (long step = 0; step < steps; step++) {
		remap_step(step, &seed);
		slots_check(step);
		nanosleep(&nap, NULL);
		if ((step + 1) % (steps / 10 ? steps / 10 : 1) == 0)
			printf("step %ld: checksum %016llx\n", step + 1,
			       (unsigned long long)slots_sum());
	}
	printf("incr remap: %ld steps: checksum %016llx\n", steps,
	       (unsigned long long)slots_sum());
	return failures ? 1 : 0;
}

int main(int argc, char **argv)
{
	long nap_ms = argc == 5 ? atol(argv[4]) % 1000 : 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if ((argc == 4 || argc == 5) && !strcmp(argv[1], "rewrite"))
		return rewrite(strtoull(argv[2], NULL, 10), atol(argv[3]),
			       nap_ms, 1);
	if ((argc == 4 || argc == 5) && !strcmp(argv[1], "threads"))
		return rewrite(strtoull(argv[2], NULL, 10), atol(argv[3]),
			       nap_ms, 4);
	if (argc == 3 && !strcmp(argv[1], "remap"))
		return remap(atol(argv[2]));
	fprintf(stderr, "usage: incr rewrite MIB STEPS [NAP_MS] | remap STEPS | "
			"threads MIB STEPS [NAP_MS]\n");
	return 2;
}
