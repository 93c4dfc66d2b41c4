/*
 * The program's view of signals, kept apart from ckpt's.
 *
 * - Handlers the program installs run through a trampoline that counts them
 *   per thread, so the EINTR wrappers (restart.c) can tell an interruption
 *   by the checkpoint from one by the program's own signal.
 * - The checkpoint signal stays ckpt's: a program that sets a handler for
 *   it, ignores it, blocks it or waits for it sees its wish reflected back
 *   (sigaction and sigprocmask report what it set) while the kernel keeps
 *   delivering it to ckpt.
 *
 * The kernel's dispositions (trampoline included) and this table both lie in
 * saved memory, so they come back together at resume.
 */
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>

#include "core.h"
#include "str.h"
#include "sys.h"

struct program_action {
	struct sigaction sa;
	int wrapped; /* the kernel has the trampoline for it */
};

static struct program_action program_actions[CKPT_NSIG + 1];
/* Signals ckpt sees first (SIGSEGV while undo_maps.c guards mappings): the
 * kernel runs this, which hands on what is not ckpt's (sigwrap_dispatch). */
static void (*first[CKPT_NSIG + 1])(int, siginfo_t *, void *);
static int warned_handler;

__thread unsigned ckpt_tls_program_signals
	__attribute__((tls_model("initial-exec")));
/* The program asked for the checkpoint signal to be blocked. */
static __thread int program_blocks_ckpt
	__attribute__((tls_model("initial-exec")));

/* What the kernel would keep of an action: it never blocks these two. */
static struct sigaction as_kernel_keeps(const struct sigaction *act)
{
	struct sigaction sa = *act;

	sigdelset(&sa.sa_mask, SIGKILL);
	sigdelset(&sa.sa_mask, SIGSTOP);
	return sa;
}

static int is_ckpt_signal(int sig)
{
	return ckpt_is_active() && sig == ckpt_cfg.signal;
}

static void trampoline(int sig, siginfo_t *si, void *uc)
{
	struct program_action *a = &program_actions[sig];
	struct sigaction sa = a->sa;

	ckpt_tls_program_signals++;
	/* The kernel reset the disposition already (we passed the flag on);
	 * the table must say so too. */
	if (sa.sa_flags & SA_RESETHAND) {
		a->sa.sa_handler = SIG_DFL;
		a->wrapped = 0;
	}
	if (sa.sa_flags & SA_SIGINFO)
		sa.sa_sigaction(sig, si, uc);
	else
		sa.sa_handler(sig);
}

static int handler_is_function(const struct sigaction *sa)
{
	return (sa->sa_flags & SA_SIGINFO) ||
	       (sa->sa_handler != SIG_DFL && sa->sa_handler != SIG_IGN);
}

static void warn_ckpt_signal(int sig)
{
	char num[16];

	if (warned_handler)
		return;
	warned_handler = 1;
	str_add_u64(num, num + sizeof(num), (uint64_t)sig);
	say(2, "note: the program sets its own disposition for signal ", num,
	    ", which ckpt uses for checkpoints; ckpt keeps it (choose another"
	    " with CKPT_SIGNAL if the program needs it)");
}

/* The program's action for sig as the kernel's, but with first[sig] as the
 * handler; SA_RESETHAND is done by the trampoline instead. */
static int first_install(int sig)
{
	struct sigaction k = program_actions[sig].sa;

	k.sa_sigaction = first[sig];
	k.sa_flags = (k.sa_flags & ~SA_RESETHAND) | SA_SIGINFO;
	if (ckpt_is_active())
		sigaddset(&k.sa_mask, ckpt_cfg.signal);
	return ckpt_real_sigaction(sig, &k, NULL);
}

CKPT_EXPORT int sigaction(int sig, const struct sigaction *act,
			  struct sigaction *old)
{
	struct program_action *a;
	struct sigaction kact, prev;
	int rc;

	REAL(sigaction);
	if (sig < 1 || sig > CKPT_NSIG)
		return real_sigaction(sig, act, old);
	a = &program_actions[sig];
	if (is_ckpt_signal(sig)) {
		if (old)
			*old = a->sa;
		if (act) {
			a->sa = as_kernel_keeps(act);
			warn_ckpt_signal(sig);
		}
		return 0;
	}
	rc = real_sigaction(sig, NULL, &prev);
	if (rc)
		return rc;
	if (a->wrapped || first[sig])
		prev = a->sa;
	if (act && first[sig]) {
		a->sa = as_kernel_keeps(act);
		a->wrapped = handler_is_function(act);
		rc = first_install(sig);
		if (rc)
			return rc;
	} else if (act) {
		kact = *act;
		if (handler_is_function(act)) {
			kact.sa_sigaction = trampoline;
			kact.sa_flags |= SA_SIGINFO;
		}
		a->sa = as_kernel_keeps(act);
		a->wrapped = handler_is_function(act);
		rc = real_sigaction(sig, &kact, NULL);
		if (rc)
			return rc;
	}
	if (old)
		*old = prev;
	return 0;
}

int sigwrap_take(int sig, void (*handler)(int, siginfo_t *, void *))
{
	struct program_action *a = &program_actions[sig];
	struct sigaction now;

	if (first[sig] == handler)
		return 0;
	if (!a->wrapped) { /* what the kernel has is the program's wish */
		if (ckpt_real_sigaction(sig, NULL, &now))
			return -1;
		a->sa = now;
	}
	first[sig] = handler;
	return first_install(sig);
}

/* A signal that was not ckpt's, to the program's action: its handler, or
 * the default, which the kernel then takes as the fault comes again. */
void sigwrap_dispatch(int sig, siginfo_t *si, void *uc)
{
	struct sigaction dfl;

	if (program_actions[sig].wrapped) {
		trampoline(sig, si, uc);
		return;
	}
	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	first[sig] = NULL;
	ckpt_real_sigaction(sig, &dfl, NULL);
}

/* For ckpt's own handler: straight to libc, past the wrapping above. */
int ckpt_real_sigaction(int sig, const struct sigaction *act,
			struct sigaction *old)
{
	REAL(sigaction);
	return real_sigaction(sig, act, old);
}

/* glibc's signal() calls its internal sigaction, out of our reach: BSD
 * semantics (SA_RESTART), as glibc gives them. */
CKPT_EXPORT sighandler_t signal(int sig, sighandler_t handler)
{
	struct sigaction sa, old;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	if (sig >= 1 && sig <= CKPT_NSIG)
		sigaddset(&sa.sa_mask, sig);
	if (sigaction(sig, &sa, &old))
		return SIG_ERR;
	return old.sa_handler;
}

CKPT_EXPORT sighandler_t bsd_signal(int sig, sighandler_t handler)
{
	return signal(sig, handler);
}

/* Take the checkpoint signal out of a set the program wants applied;
 * remember whether it asked for it (per thread). */
static const sigset_t *mask_filter(int how, const sigset_t *set,
				   sigset_t *copy)
{
	int sig = ckpt_cfg.signal;

	if (!set || !ckpt_is_active())
		return set;
	if (how == SIG_UNBLOCK) {
		if (sigismember(set, sig))
			program_blocks_ckpt = 0;
		return set;
	}
	if (how == SIG_SETMASK)
		program_blocks_ckpt = sigismember(set, sig);
	else if (sigismember(set, sig))
		program_blocks_ckpt = 1;
	*copy = *set;
	sigdelset(copy, sig);
	return copy;
}

static void mask_report(sigset_t *old, int was_blocking)
{
	if (old && ckpt_is_active() && was_blocking)
		sigaddset(old, ckpt_cfg.signal);
}

/* sigprocmask and pthread_sigmask: the same call to libc's own. */
static int mask_call(int (*real)(int, const sigset_t *, sigset_t *), int how,
		     const sigset_t *set, sigset_t *old)
{
	int was = program_blocks_ckpt, rc;
	sigset_t copy;

	rc = real(how, mask_filter(how, set, &copy), old);
	if (!rc)
		mask_report(old, was);
	return rc;
}

CKPT_EXPORT int sigprocmask(int how, const sigset_t *set, sigset_t *old)
{
	REAL(sigprocmask);
	return mask_call(real_sigprocmask, how, set, old);
}

CKPT_EXPORT int pthread_sigmask(int how, const sigset_t *set, sigset_t *old)
{
	REAL(pthread_sigmask);
	return mask_call(real_pthread_sigmask, how, set, old);
}

/* For sigsuspend and the sigwait family: never block or consume the
 * checkpoint signal. */
const sigset_t *ckpt_signal_removed(const sigset_t *set, sigset_t *copy)
{
	if (!set || !ckpt_is_active() || !sigismember(set, ckpt_cfg.signal))
		return set;
	*copy = *set;
	sigdelset(copy, ckpt_cfg.signal);
	return copy;
}
