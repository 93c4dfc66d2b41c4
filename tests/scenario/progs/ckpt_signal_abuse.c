/*
 * ckpt_signal_abuse: a program that does to the checkpoint signal
 * (SIGRTMAX-2, ckpt's default) whatever a program may do to any signal.
 * Checkpointing must go on regardless, and the program must see exactly
 * what it set, as it would without ckpt.
 *
 *   ckpt_signal_abuse ROUNDS
 *
 * Phases, in rounds of about 10 ms of computing (ROUNDS/13 per unit):
 *   0  (1 unit)  nothing installed: sigaction(SIGRTMAX-2, NULL, &old) reads
 *                SIG_DFL, no flags, empty mask; the signal is not blocked
 *   1  (3)       sigaction installs a handler (SA_SIGINFO | SA_RESTART,
 *                sa_mask USR1 USR2; the old action read back is SIG_DFL),
 *                and sigprocmask(SIG_SETMASK, full set) blocks everything
 *   2  (3)       the mask restored, then pthread_sigmask(SIG_BLOCK, full
 *                set) blocks everything again
 *   3  (2)       mask restored; signal(SIGRTMAX-2, SIG_IGN), which must
 *                return the handler
 *   4  (2)       sigaction installs another handler (no flags, full
 *                sa_mask; old action SIG_IGN) and everything is blocked
 *                with sigprocmask
 *   5  (2)       mask restored; signal(SIGRTMAX-2, SIG_DFL), which must
 *                return the second handler (the default action of the
 *                signal is to terminate)
 * Every round reads back the disposition of SIGRTMAX-2 and the signal mask
 * (sigprocmask, or pthread_sigmask in phase 2) and compares them with what
 * the program set.  Nobody sends the program SIGRTMAX-2, so its handlers
 * must never run.
 *
 * Under ckpt (CKPT_FILE and a CKPT_PERIOD set in the environment) each
 * phase of at least 5 periods must also see the image's generation (in its
 * header) grow: checkpoints keep being taken while the program blocks,
 * ignores or resets the signal.  The driver's --kills 3 asks for new images
 * too.
 *
 * Prints a fixed report; a violation prints "FAIL: ..." and exits 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "prog.h"

#include "ckpt_image.h"

/* glibc sets it on every sigaction; the kernel reports it back. */
#ifndef SA_RESTORER
#define SA_RESTORER 0x04000000
#endif

static int CK;
static unsigned long checks, checks_ok;
static volatile sig_atomic_t handler_runs;

static void on_ck(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)si;
	(void)uc;
	handler_runs++;
}

static void on_ck2(int sig)
{
	(void)sig;
	handler_runs++;
}

/* What the program set, to compare every read with. */
static struct {
	void *handler;
	int flags;
	sigset_t mask;
} want;
static sigset_t want_blocked, full_blocked;
static int phase;

static void expect_action(void *handler, int flags, const sigset_t *mask)
{
	want.handler = handler;
	want.flags = flags;
	want.mask = *mask;
}

static void check_action(long round)
{
	struct sigaction old;
	char got[300], exp[300];

	memset(&old, 0, sizeof(old));
	if (sigaction(CK, NULL, &old)) {
		fail("sigaction(SIGRTMAX-2, NULL, &old), phase %d round %ld: %s",
		     phase, round, strerror(errno));
		return;
	}
	if ((void *)old.sa_handler != want.handler ||
	    (old.sa_flags & ~SA_RESTORER) != want.flags ||
	    !sets_equal(&old.sa_mask, &want.mask)) {
		set_text(got, sizeof(got), &old.sa_mask);
		set_text(exp, sizeof(exp), &want.mask);
		fail("sigaction(SIGRTMAX-2) read back, phase %d round %ld: "
		     "handler %p flags %#x mask%s; the program set %p flags %#x "
		     "mask%s", phase, round, (void *)old.sa_handler,
		     (unsigned)(old.sa_flags & ~SA_RESTORER), got, want.handler,
		     (unsigned)want.flags, exp);
	} else {
		checks_ok++;
	}
	checks++;
}

static void check_mask(long round, int with_pthread)
{
	sigset_t cur;
	char got[300], exp[300];

	sigemptyset(&cur);
	if (with_pthread)
		pthread_sigmask(SIG_BLOCK, NULL, &cur);
	else
		sigprocmask(SIG_BLOCK, NULL, &cur);
	if (!sets_equal(&cur, &want_blocked)) {
		set_text(got, sizeof(got), &cur);
		set_text(exp, sizeof(exp), &want_blocked);
		fail("%s read back, phase %d round %ld:%s; the program set%s",
		     with_pthread ? "pthread_sigmask" : "sigprocmask", phase,
		     round, got, exp);
	}
}

/* ckpt's image generation, 0 when not under ckpt or unreadable. */
static uint64_t image_generation(void)
{
	const char *path = getenv("CKPT_FILE");
	struct ckpt_header h;
	int fd;
	ssize_t n;

	if (!path || !*path)
		return 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = pread(fd, &h, sizeof(h), 0);
	close(fd);
	if (n != (ssize_t)sizeof(h) || memcmp(h.magic, CKPT_MAGIC, 8))
		return 0;
	return h.generation;
}

static double period_s(void)
{
	const char *v = getenv("CKPT_PERIOD");

	return getenv("CKPT_FILE") && v ? atof(v) : 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void run_phase(int p, long rounds, int with_pthread)
{
	uint64_t gen0 = image_generation(), gen1;
	double t0 = now_s(), period = period_s(), took;

	phase = p;
	for (long r = 0; r < rounds; r++) {
		compute(6000000);
		check_action(r);
		check_mask(r, with_pthread);
	}
	took = now_s() - t0;
	gen1 = image_generation();
	if (period > 0 && took >= 5 * period && gen1 <= gen0)
		fail("no checkpoint was written during phase %d (%.1f s, "
		     "period %.3f s): image generation %llu before and after",
		     p, took, period, (unsigned long long)gen1);
}

int main(int argc, char **argv)
{
	long rounds = argc > 1 ? atol(argv[1]) : 600, unit;
	struct sigaction sa, old;
	sigset_t empty, self, usr12, all, saved, prev;
	void (*prev_handler)(int);

	CK = SIGRTMAX - 2;
	unit = rounds / 13 > 0 ? rounds / 13 : 1;
	sigemptyset(&empty);
	sigemptyset(&self);
	sigaddset(&self, CK);
	sigemptyset(&usr12);
	sigaddset(&usr12, SIGUSR1);
	sigaddset(&usr12, SIGUSR2);
	sigfillset(&all);
	/* What a full set reads back as: the kernel never blocks SIGKILL and
	 * SIGSTOP, glibc never blocks its internal signals 32 and 33. */
	full_blocked = all;
	sigdelset(&full_blocked, SIGKILL);
	sigdelset(&full_blocked, SIGSTOP);
	sigdelset(&full_blocked, 32);
	sigdelset(&full_blocked, 33);

	/* 0: as the program found it. */
	sigprocmask(SIG_BLOCK, NULL, &want_blocked);
	if (sigismember(&want_blocked, CK))
		fail("SIGRTMAX-2 is blocked at the start");
	expect_action(SIG_DFL, 0, &empty);
	run_phase(0, unit, 0);

	/* 1: a handler, and every signal blocked with sigprocmask. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_ck;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sa.sa_mask = usr12;
	memset(&old, 0, sizeof(old));
	if (sigaction(CK, &sa, &old))
		fail("sigaction(SIGRTMAX-2, handler): %s", strerror(errno));
	if (old.sa_handler != SIG_DFL)
		fail("installing a handler: the old action was %p, not SIG_DFL",
		     (void *)old.sa_handler);
	expect_action((void *)on_ck, SA_SIGINFO | SA_RESTART, &usr12);
	sigprocmask(SIG_SETMASK, &all, &saved);
	want_blocked = full_blocked;
	run_phase(1, 3 * unit, 0);
	sigprocmask(SIG_SETMASK, &saved, &prev);
	if (!sets_equal(&prev, &full_blocked))
		fail("sigprocmask(SIG_SETMASK) returned another old mask");
	want_blocked = saved;

	/* 2: every signal blocked with pthread_sigmask. */
	pthread_sigmask(SIG_BLOCK, &all, &saved);
	want_blocked = full_blocked;
	run_phase(2, 3 * unit, 1);
	pthread_sigmask(SIG_SETMASK, &saved, &prev);
	if (!sets_equal(&prev, &full_blocked))
		fail("pthread_sigmask(SIG_SETMASK) returned another old mask");
	want_blocked = saved;

	/* 3: ignored. */
	prev_handler = signal(CK, SIG_IGN);
	if ((void *)prev_handler != (void *)on_ck)
		fail("signal(SIGRTMAX-2, SIG_IGN) returned %p, the handler was "
		     "%p", (void *)prev_handler, (void *)on_ck);
	/* glibc's signal() installs with SA_RESTART, sa_mask the signal. */
	expect_action(SIG_IGN, SA_RESTART, &self);
	run_phase(3, 2 * unit, 0);

	/* 4: another handler, full sa_mask, everything blocked again. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_ck2;
	sa.sa_flags = 0;
	sa.sa_mask = all;
	memset(&old, 0, sizeof(old));
	if (sigaction(CK, &sa, &old))
		fail("sigaction(SIGRTMAX-2, handler 2): %s", strerror(errno));
	if (old.sa_handler != SIG_IGN)
		fail("installing handler 2: the old action was %p, not SIG_IGN",
		     (void *)old.sa_handler);
	{
		/* sa_mask reads back without SIGKILL and SIGSTOP. */
		sigset_t m = all;

		sigdelset(&m, SIGKILL);
		sigdelset(&m, SIGSTOP);
		expect_action((void *)on_ck2, 0, &m);
	}
	sigprocmask(SIG_SETMASK, &all, &saved);
	want_blocked = full_blocked;
	run_phase(4, 2 * unit, 0);
	sigprocmask(SIG_SETMASK, &saved, NULL);
	want_blocked = saved;

	/* 5: back to the default action, which would kill the program. */
	prev_handler = signal(CK, SIG_DFL);
	if ((void *)prev_handler != (void *)on_ck2)
		fail("signal(SIGRTMAX-2, SIG_DFL) returned %p, handler 2 was %p",
		     (void *)prev_handler, (void *)on_ck2);
	expect_action(SIG_DFL, SA_RESTART, &self);
	run_phase(5, 2 * unit, 0);

	if (handler_runs)
		fail("the program's SIGRTMAX-2 handlers ran %d times; nobody "
		     "sent it the signal", (int)handler_runs);
	printf("ckpt_signal_abuse: %ld rounds in 6 phases\n", 13 * unit);
	printf("sigaction(SIGRTMAX-2, NULL, &old) read back what the program "
	       "set: %lu of %lu checks\n", checks_ok, checks);
	printf("the program's SIGRTMAX-2 handlers ran %d times\n",
	       (int)handler_runs);
	printf("ckpt_signal_abuse: %s\n", failures ? "FAILED" : "ok");
	return failures ? 1 : 0;
}
