/* Parsing of the settings shared by libckpt and ckpt-launch. */
#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

int ckpt_parse_signal(const char *s)
{
	char *end;
	long v;
	int base = 0, sign = 1;

	if (!strncmp(s, "SIG", 3))
		s += 3;
	if (!strncmp(s, "RTMIN", 5)) {
		base = SIGRTMIN;
		s += 5;
	} else if (!strncmp(s, "RTMAX", 5)) {
		base = SIGRTMAX;
		sign = -1;
		s += 5;
	} else if (!strcmp(s, "USR1")) {
		return SIGUSR1;
	} else if (!strcmp(s, "USR2")) {
		return SIGUSR2;
	}
	if (base && !*s)
		return base;
	if (base && (*s == '-' || *s == '+'))
		s++;
	v = strtol(s, &end, 10);
	if (*end || end == s || v < 0 || v > SIGRTMAX)
		return -1;
	v = base ? base + sign * v : v;
	if (v < 1 || v > SIGRTMAX || v == SIGKILL || v == SIGSTOP ||
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
