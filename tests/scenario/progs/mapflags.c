/*
 * Mappings with flags and advice of their own: MAP_NORESERVE,
 * MAP_GROWSDOWN, MADV_DONTFORK, MADV_WIPEONFORK, MADV_DONTDUMP,
 * MADV_HUGEPAGE, MADV_NOHUGEPAGE, mlock, and guard pages
 * (MADV_GUARD_INSTALL).  Each round rewrites their data, keeping a copy in
 * the heap; every CHECK rounds it compares them, reads its own smaps
 * VmFlags and touches each page of the guarded mapping (the guard pages
 * must fault, the others not).  A resume that lost a flag, a guard page or
 * the data of a DONTFORK or WIPEONFORK range prints FAIL.
 *
 *   mapflags ROUNDS [writer]
 *
 * With "writer", the mappings whose flags a forked writer cannot see
 * (DONTFORK, WIPEONFORK, mlock) are left out: libckpt then reads the
 * flags in its writer, off the pause.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL 102
#endif

#define PAGE 4096ul
#define PAGES 8
#define CHECK 50

struct map {
	const char *name;
	const char *flag; /* the VmFlags it must show */
	int mmap_flags;
	int advice;       /* 0: none; -1: mlock */
	uint64_t *p;
	uint64_t *copy;
	int skip;
};

static struct map maps[] = {
	{ "noreserve", "nr", MAP_NORESERVE, 0, 0, 0, 0 },
	{ "growsdown", "gd", MAP_GROWSDOWN, 0, 0, 0, 0 },
	{ "dontfork", "dc", 0, MADV_DONTFORK, 0, 0, 0 },
	{ "wipeonfork", "wf", 0, MADV_WIPEONFORK, 0, 0, 0 },
	{ "dontdump", "dd", 0, MADV_DONTDUMP, 0, 0, 0 },
	{ "hugepage", "hg", 0, MADV_HUGEPAGE, 0, 0, 0 },
	{ "nohugepage", "nh", 0, MADV_NOHUGEPAGE, 0, 0, 0 },
	{ "mlocked", "lo", 0, -1, 0, 0, 0 },
	{ "guarded", NULL, 0, 0, 0, 0, 0 },
};
#define NMAPS (sizeof(maps) / sizeof(maps[0]))
#define GUARDED (&maps[NMAPS - 1])
#define WORDS (PAGES * PAGE / 8)

/* Pages 2, 3 and 6 of the guarded mapping are guard pages. */
static int is_guard(int page)
{
	return page == 2 || page == 3 || page == 6;
}

static void die(const char *what, const char *name)
{
	printf("FAIL %s %s\n", what, name);
	fflush(stdout);
	exit(1);
}

static void map_make(struct map *m)
{
	/* A PROT_NONE page on each side keeps it from merging with anything. */
	char *area = mmap(NULL, (PAGES + 2) * PAGE, PROT_NONE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	void *p;

	if (area == MAP_FAILED)
		die("mmap", m->name);
	p = mmap(area + PAGE, PAGES * PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | m->mmap_flags, -1, 0);
	if (p == MAP_FAILED)
		die("mmap", m->name);
	if (m->advice > 0 && madvise(p, PAGES * PAGE, m->advice))
		die("madvise", m->name);
	if (m->advice < 0 && mlock(p, PAGES * PAGE))
		die("mlock", m->name);
	m->p = p;
	m->copy = calloc(WORDS, 8);
	if (m == GUARDED)
		for (int i = 0; i < PAGES; i++)
			if (is_guard(i) &&
			    madvise((char *)p + i * PAGE, PAGE, MADV_GUARD_INSTALL))
				die("MADV_GUARD_INSTALL", m->name);
}

static void map_step(struct map *m, long r)
{
	for (size_t i = 0; i < WORDS; i += 7) {
		uint64_t v;

		if (m == GUARDED && is_guard((int)(i * 8 / PAGE)))
			continue;
		v = m->copy[i] * 6364136223846793005ull + (uint64_t)r + i;
		m->p[i] = m->copy[i] = v;
	}
}

/* The VmFlags line of the smaps entry holding addr, into flags. */
static int vmflags_of(const void *addr, char *flags, size_t size)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[512];
	int here = 0, found = 0;

	if (!f)
		return -1;
	while (!found && fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;

		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 &&
		    strchr(line, '-') < strchr(line, ' '))
			here = (uintptr_t)addr >= lo && (uintptr_t)addr < hi;
		else if (here && !strncmp(line, "VmFlags:", 8)) {
			snprintf(flags, size, "%s", line + 8);
			found = 1;
		}
	}
	fclose(f);
	return found ? 0 : -1;
}

static int has_flag(const char *flags, const char *name)
{
	for (const char *p = flags; (p = strstr(p, name)); p++)
		if ((p == flags || p[-1] == ' ') &&
		    (p[2] == ' ' || p[2] == '\n' || !p[2]))
			return 1;
	return 0;
}

static sigjmp_buf fault_env;

static void on_segv(int sig)
{
	(void)sig;
	siglongjmp(fault_env, 1);
}

static int faults(volatile const char *p)
{
	if (sigsetjmp(fault_env, 1))
		return 1;
	(void)*p;
	return 0;
}

static void check_flags(const struct map *m)
{
	char flags[512];

	if (vmflags_of(m->p, flags, sizeof(flags)))
		die("no smaps entry for", m->name);
	if (m->flag && !has_flag(flags, m->flag)) {
		printf("FAIL %s lost VmFlags %s: %s", m->name, m->flag, flags);
		fflush(stdout);
		exit(1);
	}
}

static void check(long r)
{
	for (size_t k = 0; k < NMAPS; k++) {
		if (maps[k].skip)
			continue;
		if (&maps[k] != GUARDED &&
		    memcmp(maps[k].p, maps[k].copy, WORDS * 8))
			die("data lost in", maps[k].name);
		check_flags(&maps[k]);
	}
	for (int i = 0; i < PAGES; i++) {
		const char *page = (const char *)GUARDED->p + i * PAGE;

		if (faults(page) != is_guard(i))
			die(is_guard(i) ? "guard page readable in"
					: "page faults in", GUARDED->name);
		if (!is_guard(i) && memcmp(page, (char *)GUARDED->copy + i * PAGE,
					   PAGE))
			die("data lost in", GUARDED->name);
	}
	printf("round %ld: flags, guards and data ok\n", r);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	long rounds = argc > 1 ? atol(argv[1]) : 1000;
	struct sigaction sa = { 0 };
	uint64_t sum = 0;

	sa.sa_handler = on_segv;
	sigaction(SIGSEGV, &sa, NULL);
	for (size_t k = 0; k < NMAPS; k++) {
		maps[k].skip = argc > 2 && !strcmp(argv[2], "writer") &&
			       (maps[k].advice < 0 ||
				maps[k].advice == MADV_DONTFORK ||
				maps[k].advice == MADV_WIPEONFORK);
		if (!maps[k].skip)
			map_make(&maps[k]);
	}
	for (long r = 0; r < rounds; r++) {
		for (size_t k = 0; k < NMAPS; k++)
			if (!maps[k].skip)
				map_step(&maps[k], r);
		if (r % CHECK == 0)
			check(r);
		usleep(2000);
	}
	check(rounds);
	for (size_t k = 0; k < NMAPS; k++)
		for (size_t i = 0; i < WORDS && !maps[k].skip; i++)
			sum = sum * 31 + maps[k].copy[i];
	printf("done %016llx\n", (unsigned long long)sum);
	return 0;
}
