#include <errno.h>
/* Parsing of the settings shared by libckpt and ckpt-launch. */
#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

/* A decimal number, digits only: no sign, no spaces, no hex, no leading
 * "+", so that what a user typed is what ckpt uses.  -1 when malformed or
 * above max. */
static long parse_decimal(const char *s, long max)
{
	long v = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > max / 10)
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v > max ? -1 : v;
}

/* "RTMIN", "RTMIN+n", "RTMAX", "RTMAX-n": offsets point into the range. */
static int parse_rt(const char *s, int base, char toward)
{
	long n;

	if (!*s)
		return base;
	if (*s != toward)
		return -1;
	n = parse_decimal(s + 1, SIGRTMAX - SIGRTMIN);
	if (n < 0)
		return -1;
	return toward == '+' ? base + (int)n : base - (int)n;
}

/* Only signals nothing else sends: the real-time ones (but glibc's 32 and
 * 33) and SIGUSR1/SIGUSR2.  A signal such as SIGSEGV or SIGCHLD would be
 * raised by the program's own faults or children and taken for a request. */
int ckpt_signal_usable(long v)
{
	return v == SIGUSR1 || v == SIGUSR2 || (v >= SIGRTMIN && v <= SIGRTMAX);
}

int ckpt_parse_signal(const char *s)
{
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
	v = parse_decimal(s, 1000);
	return ckpt_signal_usable(v) ? (int)v : -1;
}

/* Seconds as digits with an optional fraction ("30", "0.2") to
 * nanoseconds; -1 if malformed.  No sign, exponent, hex or spaces. */
int ckpt_signal_configured(void)
{
	const char *v = getenv("CKPT_SIGNAL");
	int sig = v ? ckpt_parse_signal(v) : -1;

	return sig > 0 ? sig : SIGRTMAX - 2;
}

void ckpt_signal_block(int sig)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_BLOCK, &set, NULL);
}

int64_t ckpt_parse_period(const char *s)
{
	uint64_t sec = 0, frac = 0, scale = 1000000000u;
	const char *p = s;

	for (; *p >= '0' && *p <= '9'; p++) {
		if (sec > 1000000000u)
			return -1;
		sec = sec * 10 + (uint64_t)(*p - '0');
	}
	if (p == s)
		return -1;
	if (*p == '.') {
		if (p[1] < '0' || p[1] > '9')
			return -1;
		for (p++; *p >= '0' && *p <= '9'; p++)
			if (scale > 1) {
				scale /= 10;
				frac += (uint64_t)(*p - '0') * scale;
			}
	}
	if (*p || sec > 1000000000u)
		return -1;
	sec = sec * 1000000000u + frac;
	return sec && sec < 1000000u ? -1 : (int64_t)sec;
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

int64_t ckpt_parse_count(const char *s)
{
	char *end;
	unsigned long long v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	return *end || errno || v < 1 || v > 1000000 ? -1 : (int64_t)v;
}

const char *ckpt_codec_name(uint32_t codec)
{
	static const char *const names[] = { "none", "zlib", "zstd", "lz4" };

	return codec < sizeof(names) / sizeof(*names) ? names[codec] : NULL;
}

static int level_ok(int codec, long level)
{
	switch (codec) {
	case CKPT_CODEC_ZLIB: return level >= 1 && level <= 9;
	case CKPT_CODEC_ZSTD: return level >= 1 && level <= 19;
	case CKPT_CODEC_LZ4: return level >= 1 && level <= 12;
	default: return level == 0;
	}
}

int ckpt_parse_codec(const char *s, int *codec, int *level)
{
	static const int default_level[] = { 0, 1, 3, 1 };
	const char *colon = strchr(s, ':');
	size_t n = colon ? (size_t)(colon - s) : strlen(s);

	if (s[0] >= '0' && s[0] <= '9' && !s[1]) { /* the old spelling */
		*codec = s[0] == '0' ? CKPT_CODEC_NONE : CKPT_CODEC_ZLIB;
		*level = s[0] - '0';
		return 0;
	}
	for (int c = CKPT_CODEC_NONE; c <= CKPT_CODEC_LZ4; c++) {
		const char *name = ckpt_codec_name((uint32_t)c);
		long v = default_level[c];

		if (strlen(name) != n || strncmp(s, name, n) != 0)
			continue;
		if (colon)
			v = parse_decimal(colon + 1, 99);
		if (!level_ok(c, v))
			return -1;
		*codec = c;
		*level = (int)v;
		return 0;
	}
	return -1;
}
