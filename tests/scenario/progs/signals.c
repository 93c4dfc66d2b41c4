/*
 * signals: the program's own signal state stays its own across checkpoints
 * and resumes.
 *
 *   signals ROUNDS
 *
 * State built:
 *   SIGUSR1   handler, SA_SIGINFO | SA_RESTART, sa_mask HUP QUIT RTMIN+3
 *   SIGHUP    handler, SA_NODEFER (it raises itself once more, nested)
 *   SIGTERM   handler, SA_SIGINFO | SA_RESETHAND, raised once: SIG_DFL after
 *   SIGPIPE   SIG_IGN
 *   SIGWINCH  handler, SA_SIGINFO | SA_ONSTACK, on a sigaltstack
 *   SIGALRM   ITIMER_REAL every 10 ms;  SIGPROF  ITIMER_PROF every 10 ms
 *   SIGRTMIN+2  a POSIX timer (CLOCK_MONOTONIC, SIGEV_SIGNAL, value 4242)
 *             every 10 ms
 *   blocked   SIGUSR2, SIGRTMIN+5, SIGINT, SIGTSTP
 *   pending   SIGUSR2 (raise) and SIGRTMIN+5 queued twice with sigqueue,
 *             values 111 then 222, kept pending the whole run
 *
 * Each round does some computing, then checks: every signal's disposition
 * (handler, flags, mask) against what was installed and against a snapshot,
 * the signal mask, sigpending(), sigaltstack(); that the three timers keep
 * ticking and report their 10 ms interval; and raises SIGUSR1, SIGHUP and
 * SIGWINCH, whose handlers check the mask they run with (and the stack).
 * At the end the timers stop, the pending signals are unblocked and their
 * handlers must see SI_TKILL, then SI_QUEUE 111 and 222 in that order.
 *
 * Prints a fixed report; a violation prints "FAIL: ..." and exits 1.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "prog.h"

#define ALT_SIZE (64 * 1024)
#define TICK_US 10000

static char altstack[ALT_SIZE] __attribute__((aligned(16)));
static timer_t posix_timer;
static int RT_TIMER, RT_QUEUED, RT_MASKED;

/* Set by the handlers; checked and reset by the main loop. */
static volatile sig_atomic_t n_usr1, n_hup, hup_depth, hup_max, n_winch,
	n_term, n_alrm, n_prof, n_timer, n_usr2, n_rtq;
static volatile sig_atomic_t bad_usr1, bad_hup, bad_winch, bad_timer;
static volatile int usr2_code, rtq_code[4], rtq_value[4];

static void set_of(sigset_t *s, const int *sigs)
{
	sigemptyset(s);
	for (; *sigs; sigs++)
		sigaddset(s, *sigs);
}

static sigset_t base_blocked, base_pending;

/* The mask a handler must run with: the interrupted code's, sa_mask, and
 * the signal itself unless SA_NODEFER. */
static int handler_mask_is(const int *extra)
{
	sigset_t cur, want = base_blocked;

	for (; *extra; extra++)
		sigaddset(&want, *extra);
	sigprocmask(SIG_BLOCK, NULL, &cur);
	return sets_equal(&cur, &want);
}

static void on_usr1(int sig, siginfo_t *si, void *uc)
{
	int want[] = { SIGUSR1, SIGHUP, SIGQUIT, RT_MASKED, 0 };

	(void)uc;
	if (sig != SIGUSR1 || si->si_signo != SIGUSR1 ||
	    si->si_code != SI_TKILL || !handler_mask_is(want))
		bad_usr1++;
	n_usr1++;
}

static void on_hup(int sig)
{
	int want[] = { 0 };

	if (sig != SIGHUP || !handler_mask_is(want))
		bad_hup++;
	hup_depth++;
	if (hup_depth > hup_max)
		hup_max = hup_depth;
	if (hup_depth == 1)
		raise(SIGHUP);
	hup_depth--;
	n_hup++;
}

static void on_term(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)si;
	(void)uc;
	n_term++;
}

static void on_winch(int sig, siginfo_t *si, void *uc)
{
	int want[] = { SIGWINCH, 0 };
	char here;
	stack_t ss;

	(void)sig;
	(void)si;
	(void)uc;
	if (&here < altstack || &here >= altstack + ALT_SIZE ||
	    sigaltstack(NULL, &ss) || !(ss.ss_flags & SS_ONSTACK) ||
	    !handler_mask_is(want))
		bad_winch++;
	n_winch++;
}

static void on_alrm(int sig)
{
	(void)sig;
	n_alrm++;
}

static void on_prof(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)si;
	(void)uc;
	n_prof++;
}

static void on_timer(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	if (si->si_code != SI_TIMER || si->si_value.sival_int != 4242)
		bad_timer++;
	n_timer++;
}

static void on_usr2(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	usr2_code = si->si_code;
	n_usr2++;
}

static void on_rtq(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	if (n_rtq < 4) {
		rtq_code[n_rtq] = si->si_code;
		rtq_value[n_rtq] = si->si_value.sival_int;
	}
	n_rtq++;
}

/* What each signal was given, to check against. */
struct disp {
	int sig;
	void *handler;
	int flags;
	int mask[4];
};

static struct disp disps[16];
static int ndisps;
static struct sigaction snapshot[65];
static int snap_ok[65];

static void install(int sig, void *handler, int flags, const int *mask)
{
	struct disp *d = &disps[ndisps++];
	struct sigaction sa = { 0 };
	int i;

	d->sig = sig;
	d->handler = handler;
	d->flags = flags;
	sigemptyset(&sa.sa_mask);
	for (i = 0; mask && mask[i]; i++) {
		d->mask[i] = mask[i];
		sigaddset(&sa.sa_mask, mask[i]);
	}
	d->mask[i] = 0;
	if (flags & SA_SIGINFO)
		sa.sa_sigaction = handler;
	else
		sa.sa_handler = handler;
	sa.sa_flags = flags;
	if (sigaction(sig, &sa, NULL))
		fail("sigaction(%d): %s", sig, strerror(errno));
}

static void check_dispositions(long round)
{
	for (int i = 0; i < ndisps; i++) {
		const struct disp *d = &disps[i];
		struct sigaction sa;
		sigset_t want;

		set_of(&want, d->mask);
		if (sigaction(d->sig, NULL, &sa)) {
			fail("sigaction(%d) read, round %ld: %s", d->sig, round,
			     strerror(errno));
			continue;
		}
		if ((void *)sa.sa_handler != d->handler ||
		    (sa.sa_flags & d->flags) != d->flags ||
		    !sets_equal(&sa.sa_mask, &want)) {
			char got[200], exp[200];

			set_text(got, sizeof(got), &sa.sa_mask);
			set_text(exp, sizeof(exp), &want);
			fail("disposition of signal %d, round %ld: handler %p "
			     "flags %#x mask%s; installed %p flags %#x mask%s",
			     d->sig, round, (void *)sa.sa_handler,
			     (unsigned)sa.sa_flags, got, d->handler,
			     (unsigned)d->flags, exp);
		}
	}
	for (int sig = 1; sig <= 64; sig++) {
		struct sigaction sa;
		int okr = sigaction(sig, NULL, &sa) == 0;

		if (okr != snap_ok[sig])
			fail("sigaction(%d) read %s, round %ld", sig,
			     okr ? "works now" : "fails now", round);
		else if (okr && (sa.sa_handler != snapshot[sig].sa_handler ||
				 sa.sa_flags != snapshot[sig].sa_flags ||
				 !sets_equal(&sa.sa_mask,
					     &snapshot[sig].sa_mask)))
			fail("disposition of signal %d changed, round %ld: "
			     "handler %p flags %#x, was %p flags %#x", sig, round,
			     (void *)sa.sa_handler, (unsigned)sa.sa_flags,
			     (void *)snapshot[sig].sa_handler,
			     (unsigned)snapshot[sig].sa_flags);
	}
}

static void take_snapshot(void)
{
	for (int sig = 1; sig <= 64; sig++)
		snap_ok[sig] = sigaction(sig, NULL, &snapshot[sig]) == 0;
}

static void check_masks(long round)
{
	sigset_t cur;
	stack_t ss;
	char got[200], exp[200];

	sigprocmask(SIG_BLOCK, NULL, &cur);
	if (!sets_equal(&cur, &base_blocked)) {
		set_text(got, sizeof(got), &cur);
		set_text(exp, sizeof(exp), &base_blocked);
		fail("signal mask, round %ld:%s, expected%s", round, got, exp);
	}
	sigpending(&cur);
	if (!sets_equal(&cur, &base_pending)) {
		set_text(got, sizeof(got), &cur);
		set_text(exp, sizeof(exp), &base_pending);
		fail("pending signals, round %ld:%s, expected%s", round, got,
		     exp);
	}
	if (sigaltstack(NULL, &ss))
		fail("sigaltstack read, round %ld: %s", round, strerror(errno));
	else if (ss.ss_sp != altstack || ss.ss_size != ALT_SIZE ||
		 ss.ss_flags != 0)
		fail("sigaltstack, round %ld: sp %p size %zu flags %#x, "
		     "expected %p %d 0", round, ss.ss_sp, ss.ss_size,
		     (unsigned)ss.ss_flags, (void *)altstack, ALT_SIZE);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A tick count must move past `before` within 2 s (burning CPU, for
 * ITIMER_PROF's sake).  Once a timer was found stopped, no more waiting
 * for it, so that the run still ends in time. */
static void await_tick(volatile sig_atomic_t *count, sig_atomic_t before,
		       int *stopped, const char *what, long round)
{
	double end = now_s() + 2;

	while (*count == before && !*stopped && now_s() < end)
		compute(10000);
	if (*count == before) {
		fail("%s stopped ticking, round %ld (%d ticks so far)", what,
		     round, (int)before);
		*stopped = 1;
	}
}

/* Each timer reports its 10 ms interval and at most 10 ms to go.  (A value
 * of 0 is possible for a moment: ITIMER_REAL that just expired is re-armed
 * only when its SIGALRM is delivered.  A timer disarmed for good also
 * reports interval 0, and stops ticking, which await_tick sees.) */
static void check_timers(long round)
{
	struct itimerval it;
	struct itimerspec its;
	const int which[] = { ITIMER_REAL, ITIMER_PROF };
	const char *names[] = { "ITIMER_REAL", "ITIMER_PROF" };
	/* A process CPU timer armed in a process that just started (the
	 * resumed one) reads against the group's CPU clock as last sampled,
	 * up to a scheduler tick (4 ms at HZ=250) behind: seen as 12 and
	 * 14 ms left of a 10 ms timer, 2 runs in 30. */
	const long slack[] = { 0, 5000 };

	for (int i = 0; i < 2; i++) {
		if (getitimer(which[i], &it))
			fail("getitimer(%s): %s", names[i], strerror(errno));
		else if (it.it_interval.tv_sec != 0 ||
			 it.it_interval.tv_usec != TICK_US ||
			 it.it_value.tv_sec != 0 ||
			 it.it_value.tv_usec > TICK_US + slack[i])
			fail("getitimer(%s), round %ld: interval %ld.%06ld value "
			     "%ld.%06ld, expected interval 0.010000",
			     names[i], round, (long)it.it_interval.tv_sec,
			     (long)it.it_interval.tv_usec,
			     (long)it.it_value.tv_sec,
			     (long)it.it_value.tv_usec);
	}
	if (timer_gettime(posix_timer, &its))
		fail("timer_gettime, round %ld: %s", round, strerror(errno));
	else if (its.it_interval.tv_sec != 0 ||
		 its.it_interval.tv_nsec != TICK_US * 1000l ||
		 its.it_value.tv_sec != 0 ||
		 its.it_value.tv_nsec > TICK_US * 1000l)
		fail("timer_gettime, round %ld: interval %ld.%09ld value "
		     "%ld.%09ld, expected interval 0.010000000", round,
		     (long)its.it_interval.tv_sec, its.it_interval.tv_nsec,
		     (long)its.it_value.tv_sec, its.it_value.tv_nsec);
}

static void setup(void)
{
	int usr1_mask[] = { SIGHUP, SIGQUIT, RT_MASKED, 0 };
	int blocked[] = { SIGUSR2, RT_QUEUED, SIGINT, SIGTSTP, 0 };
	int pending[] = { SIGUSR2, RT_QUEUED, 0 };
	struct itimerval it = { { 0, TICK_US }, { 0, TICK_US } };
	struct itimerspec its = { { 0, TICK_US * 1000l },
				  { 0, TICK_US * 1000l } };
	struct sigevent sev = { 0 };
	stack_t ss = { .ss_sp = altstack, .ss_size = ALT_SIZE };

	if (sigaltstack(&ss, NULL))
		fail("sigaltstack: %s", strerror(errno));
	install(SIGUSR1, on_usr1, SA_SIGINFO | SA_RESTART, usr1_mask);
	install(SIGHUP, on_hup, SA_NODEFER, NULL);
	install(SIGWINCH, on_winch, SA_SIGINFO | SA_ONSTACK, NULL);
	install(SIGALRM, on_alrm, SA_RESTART, NULL);
	install(SIGPROF, on_prof, SA_SIGINFO | SA_RESTART, NULL);
	install(RT_TIMER, on_timer, SA_SIGINFO | SA_RESTART, NULL);
	install(SIGUSR2, on_usr2, SA_SIGINFO, NULL);
	install(RT_QUEUED, on_rtq, SA_SIGINFO, NULL);
	install(SIGPIPE, SIG_IGN, 0, NULL);
	{
		struct sigaction sa = { 0 };

		sa.sa_sigaction = on_term;
		sa.sa_flags = SA_SIGINFO | SA_RESETHAND;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGTERM, &sa, NULL);
		raise(SIGTERM);
		if (n_term != 1)
			fail("SIGTERM handler ran %d times", (int)n_term);
		disps[ndisps++] = (struct disp){ SIGTERM, SIG_DFL, 0, { 0 } };
	}

	set_of(&base_blocked, blocked);
	set_of(&base_pending, pending);
	sigprocmask(SIG_BLOCK, &base_blocked, NULL);
	raise(SIGUSR2);
	if (sigqueue(getpid(), RT_QUEUED, (union sigval){ .sival_int = 111 }) ||
	    sigqueue(getpid(), RT_QUEUED, (union sigval){ .sival_int = 222 }))
		fail("sigqueue: %s", strerror(errno));

	if (setitimer(ITIMER_REAL, &it, NULL) ||
	    setitimer(ITIMER_PROF, &it, NULL))
		fail("setitimer: %s", strerror(errno));
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = RT_TIMER;
	sev.sigev_value.sival_int = 4242;
	if (timer_create(CLOCK_MONOTONIC, &sev, &posix_timer) ||
	    timer_settime(posix_timer, 0, &its, NULL))
		fail("timer_create: %s", strerror(errno));
	take_snapshot();
}

static void raise_checked(int sig, volatile sig_atomic_t *count,
			  volatile sig_atomic_t *bad, int per_raise,
			  const char *what, long round)
{
	sig_atomic_t before = *count, bad_before = *bad;

	raise(sig);
	if (*count != before + per_raise)
		fail("%s: handler ran %d times for one raise, round %ld", what,
		     (int)(*count - before), round);
	if (*bad != bad_before)
		fail("%s: the handler ran with the wrong mask, stack or "
		     "siginfo, round %ld", what, round);
}

int main(int argc, char **argv)
{
	long rounds = argc > 1 ? atol(argv[1]) : 200;
	sig_atomic_t last_alrm, last_prof, last_timer;
	int stopped[3] = { 0, 0, 0 };
	sigset_t unblock;

	RT_TIMER = SIGRTMIN + 2;
	RT_MASKED = SIGRTMIN + 3;
	RT_QUEUED = SIGRTMIN + 5;
	setup();
	last_alrm = n_alrm;
	last_prof = n_prof;
	last_timer = n_timer;
	for (long r = 0; r < rounds; r++) {
		compute(20000000);
		check_dispositions(r);
		check_masks(r);
		check_timers(r);
		await_tick(&n_alrm, last_alrm, &stopped[0], "ITIMER_REAL", r);
		await_tick(&n_prof, last_prof, &stopped[1], "ITIMER_PROF", r);
		await_tick(&n_timer, last_timer, &stopped[2], "the POSIX timer",
			   r);
		last_alrm = n_alrm;
		last_prof = n_prof;
		last_timer = n_timer;
		if (bad_timer) {
			fail("POSIX timer signal without SI_TIMER or value "
			     "4242, round %ld", r);
			bad_timer = 0;
		}
		raise_checked(SIGUSR1, &n_usr1, &bad_usr1, 1, "SIGUSR1", r);
		hup_max = 0;
		raise_checked(SIGHUP, &n_hup, &bad_hup, 2, "SIGHUP", r);
		if (hup_max != 2)
			fail("SIGHUP (SA_NODEFER) did not nest, round %ld", r);
		raise_checked(SIGWINCH, &n_winch, &bad_winch, 1, "SIGWINCH", r);
	}

	{
		struct itimerval off = { { 0, 0 }, { 0, 0 } };

		setitimer(ITIMER_REAL, &off, NULL);
		setitimer(ITIMER_PROF, &off, NULL);
		timer_delete(posix_timer);
	}
	check_masks(rounds);
	sigemptyset(&unblock);
	sigaddset(&unblock, SIGUSR2);
	sigaddset(&unblock, RT_QUEUED);
	sigprocmask(SIG_UNBLOCK, &unblock, NULL);
	if (n_usr2 != 1 || usr2_code != SI_TKILL)
		fail("pending SIGUSR2: handler ran %d times, si_code %d "
		     "(SI_TKILL is %d)", (int)n_usr2, usr2_code, SI_TKILL);
	if (n_rtq != 2 || rtq_code[0] != SI_QUEUE || rtq_code[1] != SI_QUEUE ||
	    rtq_value[0] != 111 || rtq_value[1] != 222)
		fail("queued SIGRTMIN+5: %d deliveries, values %d %d, si_code "
		     "%d %d; expected 2, 111 222, SI_QUEUE", (int)n_rtq,
		     rtq_value[0], rtq_value[1], rtq_code[0], rtq_code[1]);

	printf("signals: %ld rounds\n", rounds);
	printf("SIGUSR1 (SA_SIGINFO|SA_RESTART, sa_mask HUP QUIT RTMIN+3): %d "
	       "deliveries\n", (int)n_usr1);
	printf("SIGHUP (SA_NODEFER): %d deliveries, nested\n", (int)n_hup);
	printf("SIGWINCH (SA_ONSTACK): %d deliveries on the alternate stack\n",
	       (int)n_winch);
	printf("SIGTERM (SA_RESETHAND): delivered %d time, SIG_DFL since\n",
	       (int)n_term);
	printf("SIGPIPE: ignored\n");
	printf("timers ITIMER_REAL, ITIMER_PROF and SIGRTMIN+2: %s\n",
	       stopped[0] || stopped[1] || stopped[2] ? "one stopped"
						      : "kept ticking");
	printf("SIGUSR2: pending all along, delivered %d time (si_code %d)\n",
	       (int)n_usr2, usr2_code);
	printf("SIGRTMIN+5: pending all along, delivered %d times, values %d "
	       "%d\n", (int)n_rtq, rtq_value[0], rtq_value[1]);
	printf("signals: %s\n", failures ? "FAILED" : "ok");
	return failures ? 1 : 0;
}
