/*
 * How the scenario programs report a broken expectation: a "FAIL:" line on
 * stdout (so the output differs from the uninterrupted run's), at most 3
 * lines per kind of failure (per format) and 40 in all, and a count.
 */
#ifndef CKPT_TEST_REPORT_H
#define CKPT_TEST_REPORT_H

#include <stdarg.h>
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

#endif
