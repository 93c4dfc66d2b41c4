/* Parsing of the settings shared by libckpt and ckpt-launch. */
#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

/* "RTMIN", "RTMIN+n", "RTMAX", "RTMAX-n": offsets point into the range. */
static int parse_rt(const char *s, int base, char toward)
{
	char *end;
	long n;

	if (!*s)
		return base;
	if (*s != toward || s[1] < '0' || s[1] > '9')
		return -1;
	n = strtol(s + 1, &end, 10);
	if (*end || n > SIGRTMAX - SIGRTMIN)
		return -1;
	return toward == '+' ? base + (int)n : base - (int)n;
}

int ckpt_parse_signal(const char *s)
{
	char *end;
	long v;

	if (!strncmp(s, "SIG", 3))
		s += 3;
	if (!strncmp(s, "RTMIN", 5))
		return parse_rt(s + 5, SIGRTMIN, '+');
	if (!strncmp(s, "RTMAX", 5))
		return parse_rt(s + 5, SIGRTMAX, '-');
	if (!strcmp(s, "USR1"))
		return SIGUSR1;
	if (!strcmp(s, "USR2"))
		return SIGUSR2;
	if (*s < '0' || *s > '9')
		return -1;
	v = strtol(s, &end, 10);
	if (*end || v < 1 || v > SIGRTMAX || v == SIGKILL || v == SIGSTOP ||
	    (v > 31 && v < SIGRTMIN))
		return -1;
	return (int)v;
}

/* Seconds as a decimal ("30", "0.2") to nanoseconds; -1 if malformed. */
int64_t ckpt_parse_period(const char *s)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || *end || !(v >= 0) || v > 1e9)
		return -1;
	if (v > 0 && v < 0.001)
		return -1;
	return (int64_t)(v * 1e9 + 0.5);
}

int64_t ckpt_parse_size(const char *s)
{
	char *end;
	unsigned long long v;
	int shift = 0;

	if (*s < '0' || *s > '9')
		return -1;
	v = strtoull(s, &end, 10);
	if (*end == 'K' || *end == 'k')
		shift = 10;
	else if (*end == 'M' || *end == 'm')
		shift = 20;
	else if (*end == 'G' || *end == 'g')
		shift = 30;
	if (shift)
		end++;
	if (*end || v > (1ull << (62 - shift)))
		return -1;
	return (int64_t)(v << shift);
}
