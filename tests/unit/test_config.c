/*
 * Tests of the settings parsers (lib/config.c): the checkpoint period and
 * the checkpoint signal, as given in the environment or on the command line.
 */
#include <check.h>
#include <signal.h>
#include <stdint.h>

#include "config.h"
#include "unit.h"

struct period_case {
	const char *text;
	int64_t ns; /* -1: refused */
};

static const struct period_case periods[] = {
	{ "30", 30000000000LL },
	{ "0.2", 200000000LL },
	{ "0", 0 },
	{ "1", 1000000000LL },
	{ "0.001", 1000000LL },  /* the smallest period allowed */
	{ "2.5", 2500000000LL },
	{ "1e-4", -1 },          /* below a millisecond */
	{ "0.0009", -1 },
	{ "-1", -1 },
	{ "-0.5", -1 },
	{ "abc", -1 },
	{ "", -1 },
	{ "5x", -1 },
	{ "5 ", -1 },
	{ "nan", -1 },
	{ "inf", -1 },
	{ "0x10", -1 },          /* no hex */
	{ " 5", -1 },            /* no spaces */
	{ "+5", -1 },            /* no sign */
	{ "-0", -1 },
	{ "5.", -1 },
	{ ".5", -1 },
	{ "1e3", -1 },           /* no exponent */
	{ "0.0010", 1000000LL },
	{ "1.123456789123", 1123456789LL }, /* past nanoseconds: cut */
	{ "1000000000", 1000000000000000000LL },
	{ "1000000001", -1 },
	{ "99999999999999999999999", -1 },
};

START_TEST(parse_period)
{
	const struct period_case *c = &periods[_i];

	ck_assert_msg(ckpt_parse_period(c->text) == c->ns,
		      "ckpt_parse_period(\"%s\") = %lld, want %lld", c->text,
		      (long long)ckpt_parse_period(c->text), (long long)c->ns);
}
END_TEST

struct signal_case {
	const char *text;
	int sig;              /* -1: refused */
	int rt_base, rt_delta; /* 1: SIGRTMIN + delta, -1: SIGRTMAX + delta */
};

/* SIGRTMIN and SIGRTMAX are glibc functions, not constants. */
static int want_signal(const struct signal_case *c)
{
	if (c->rt_base == 0)
		return c->sig;
	return (c->rt_base < 0 ? SIGRTMAX : SIGRTMIN) + c->rt_delta;
}

#define FIXED(text, sig) { text, sig, 0, 0 }
#define RT_MIN(text, delta) { text, 0, 1, delta }
#define RT_MAX(text, delta) { text, 0, -1, delta }

static const struct signal_case signals[] = {
	FIXED("62", 62),
	FIXED("12", SIGUSR2),
	FIXED("10", SIGUSR1),
	FIXED("USR2", SIGUSR2),
	FIXED("SIGUSR2", SIGUSR2),
	FIXED("USR1", SIGUSR1),
	FIXED("SIGUSR1", SIGUSR1),
	RT_MAX("RTMAX-2", -2),
	RT_MAX("SIGRTMAX-2", -2),
	RT_MAX("RTMAX", 0),
	RT_MIN("RTMIN+1", 1),
	RT_MIN("SIGRTMIN+3", 3),
	RT_MIN("RTMIN", 0),
	RT_MAX("RTMAX-30", -30),      /* == SIGRTMIN */
	FIXED("9", -1),               /* SIGKILL cannot be caught */
	FIXED("19", -1),              /* nor SIGSTOP */
	FIXED("32", -1),              /* reserved by glibc for threads */
	FIXED("33", -1),
	FIXED("0", -1),
	FIXED("-5", -1),
	FIXED("65", -1),
	FIXED("99", -1),
	FIXED("RTMIN+31", -1),        /* past SIGRTMAX */
	FIXED("RTMAX-31", -1),        /* 33, glibc's */
	FIXED("foo", -1),
	FIXED("", -1),
	FIXED("SIG", -1),
	FIXED("USR3", -1),
	FIXED("KILL", -1),
	FIXED("12x", -1),
	FIXED("11", -1),              /* SIGSEGV: the program's own faults */
	FIXED("SEGV", -1),
	FIXED("17", -1),              /* SIGCHLD: its children */
	FIXED("14", -1),              /* SIGALRM: its timers */
	FIXED("1", -1),
	FIXED("31", -1),
	FIXED("0x3e", -1),            /* no hex */
	FIXED(" 62", -1),
	FIXED("+62", -1),
	FIXED("062", 62),             /* decimal, leading zero allowed */
	FIXED("RTMIN+-1", -1),
	FIXED("RTMIN+ 1", -1),
	FIXED("RTMAX-", -1),
};

START_TEST(parse_signal)
{
	const struct signal_case *c = &signals[_i];
	int want = want_signal(c);

	ck_assert_msg(ckpt_parse_signal(c->text) == want,
		      "ckpt_parse_signal(\"%s\") = %d, want %d", c->text,
		      ckpt_parse_signal(c->text), want);
}
END_TEST

/*
 * The sign after RTMIN/RTMAX must be the one the user wrote: RTMIN-1 is
 * signal 33 (glibc's, refused), not RTMIN+1; RTMAX+1 is past the last.
 */
static const char *const wrong_direction[] = { "RTMIN-1", "SIGRTMIN-2",
					       "RTMAX+1", "SIGRTMAX+2" };

START_TEST(parse_signal_offset_sign)
{
	const char *s = wrong_direction[_i];

	ck_assert_msg(ckpt_parse_signal(s) == -1,
		      "ckpt_parse_signal(\"%s\") = %d, want -1 (refused)", s,
		      ckpt_parse_signal(s));
}
END_TEST

struct codec_case {
	const char *text;
	int codec, level; /* codec -1: refused */
};

static const struct codec_case codecs[] = {
	{ "zstd", CKPT_CODEC_ZSTD, 3 },
	{ "zstd:1", CKPT_CODEC_ZSTD, 1 },
	{ "zstd:19", CKPT_CODEC_ZSTD, 19 },
	{ "lz4", CKPT_CODEC_LZ4, 1 },
	{ "lz4:9", CKPT_CODEC_LZ4, 9 },
	{ "zlib", CKPT_CODEC_ZLIB, 1 },
	{ "zlib:9", CKPT_CODEC_ZLIB, 9 },
	{ "none", CKPT_CODEC_NONE, 0 },
	{ "0", CKPT_CODEC_NONE, 0 },      /* the old spellings: zlib levels */
	{ "1", CKPT_CODEC_ZLIB, 1 },
	{ "9", CKPT_CODEC_ZLIB, 9 },
	{ "10", -1, 0 },
	{ "12", -1, 0 },
	{ "zstd:0", -1, 0 },
	{ "zstd:20", -1, 0 },
	{ "zstd:", -1, 0 },
	{ "zstd:x", -1, 0 },
	{ "zstd:+3", -1, 0 },
	{ "zstd: 3", -1, 0 },
	{ "zstd3", -1, 0 },
	{ "lz4:13", -1, 0 },
	{ "zlib:0", -1, 0 },
	{ "none:1", -1, 0 },
	{ "ZSTD", -1, 0 },
	{ "brotli", -1, 0 },
	{ "", -1, 0 },
	{ ":3", -1, 0 },
};

START_TEST(parse_codec)
{
	const struct codec_case *k = &codecs[_i];
	int codec = -1, level = -1;
	int rc = ckpt_parse_codec(k->text, &codec, &level);

	ck_assert_ptr_null(ckpt_codec_name(CKPT_CODEC_LZ4 + 1));
	if (k->codec < 0) {
		ck_assert_msg(rc == -1, "\"%s\" accepted, want refused", k->text);
		return;
	}
	ck_assert_msg(rc == 0 && codec == k->codec && level == k->level,
		      "\"%s\": rc %d, codec %d level %d, want %d:%d", k->text,
		      rc, codec, level, k->codec, k->level);
	ck_assert_str_eq(ckpt_codec_name((uint32_t)codec),
			 k->text[0] >= '0' && k->text[0] <= '9'
				 ? (codec ? "zlib" : "none")
				 : ckpt_codec_name((uint32_t)k->codec));
}
END_TEST

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

Suite *config_suite(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("period");

	tcase_add_loop_test(tc, parse_period, 0, N(periods));
	suite_add_tcase(s, tc);
	tc = tcase_create("signal");
	tcase_add_loop_test(tc, parse_signal, 0, N(signals));
	tcase_add_loop_test(tc, parse_signal_offset_sign, 0,
			    N(wrong_direction));
	suite_add_tcase(s, tc);
	tc = tcase_create("codec");
	tcase_add_loop_test(tc, parse_codec, 0, N(codecs));
	suite_add_tcase(s, tc);
	return s;
}
