/*
 * What the scenario programs share.  fail() reports a broken expectation:
 * a "FAIL:" line on stdout (so the output differs from the uninterrupted
 * run's), at most 3 lines per kind of failure (per format) and 40 in all,
 * and a count.
 */
#ifndef CKPT_TEST_PROG_H
#define CKPT_TEST_PROG_H

#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

static unsigned long failures;

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void fail(const char *fmt, ...)
{
	static const char *kinds[64];
	static int counts[64];
	va_list ap;
	int k = 0;

	failures++;
	while (k < 64 && kinds[k] && kinds[k] != fmt)
		k++;
	if (k < 64) {
		kinds[k] = fmt;
		if (counts[k]++ >= 3)
			return;
	}
	if (failures > 40)
		return;
	printf("FAIL: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

/* Busy work between checks, n steps of it. */
static volatile uint64_t sink;

static inline void compute(long n)
{
	uint64_t x = sink;

	for (long i = 0; i < n; i++) {
		x ^= x >> 13;
		x *= 0x9e3779b97f4a7c15ull;
		x += (uint64_t)i;
	}
	sink = x;
}

static inline int sets_equal(const sigset_t *a, const sigset_t *b)
{
	for (int sig = 1; sig <= 64; sig++)
		if (sigismember(a, sig) != sigismember(b, sig))
			return 0;
	return 1;
}

/* " 1 2 15" for a set, " (none)" for an empty one. */
static inline void set_text(char *out, size_t size, const sigset_t *s)
{
	size_t n = 0;

	out[0] = 0;
	for (int sig = 1; sig <= 64 && n + 4 < size; sig++)
		if (sigismember(s, sig) == 1)
			n += (size_t)snprintf(out + n, size - n, " %d", sig);
	if (!n)
		snprintf(out, size, " (none)");
}

/* A System V key of the run's own directory, from base: two runs at once
 * (a test and its no-fork twin, in parallel) must not share the object. */
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

static inline key_t run_key(uint32_t base)
{
	struct stat st;

	if (stat(".", &st))
		st.st_ino = (ino_t)getuid();
	return (key_t)(base ^ (((uint32_t)st.st_ino * 2654435761u) & 0xffff) << 4);
}

#endif
