/*
 * sleeps: many short sleeps and blocking waits, under a checkpoint period
 * shorter than a few of them, so the checkpoint signal keeps landing inside
 * the calls.  A checkpoint must stay invisible: no call may fail with EINTR
 * because of it, and none may return before its time.
 *
 *   sleeps ROUNDS
 *
 * State built: a pipe whose write end the program's SIGALRM handler (with
 * SA_RESTART) writes to, an epoll instance, SIGUSR1 blocked for good and
 * never sent, ITIMER_REAL armed around the calls it is meant to wake, and
 * with it a 2 s watchdog (a POSIX timer, SIGUSR2) that ends those calls
 * should the SIGALRM never come, so that the run fails instead of hanging.
 *
 * Each round makes each of these calls once and checks it, measuring with
 * CLOCK_MONOTONIC from before the call (a resume can make a call look long,
 * never short):
 *   sleep(0) returns 0; usleep(3000), nanosleep 3 ms (rem left alone when
 *   it succeeds), clock_nanosleep 3 ms relative and to an absolute
 *   CLOCK_MONOTONIC deadline, poll(NULL, 0, 3), select and pselect with
 *   3 ms, epoll_wait with 3 ms: success (0), no EINTR, not early;
 *   sigtimedwait 3 ms on the blocked SIGUSR1: EAGAIN, not EINTR, not early;
 *   sigsuspend and pause: return only once the program's own SIGALRM
 *   (ITIMER_REAL, 5 ms) ran;
 *   read() of the pipe: the byte the SIGALRM handler writes after 5 ms,
 *   never EINTR;
 *   waitpid on a child that sleeps 5 ms and exits with 7;
 *   nanosleep 60 ms with ITIMER_REAL ticking every 10 ms: interrupted by
 *   the program's own SIGALRM (EINTR is right here), with rem consistent:
 *   0 < rem < 60 ms and elapsed + rem >= 60 ms.
 *
 * Prints "KIND: N calls ok" per kind at the end (N = ROUNDS when all went
 * well); a violation prints "FAIL: KIND, ..." (the first few per kind).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MS 1000000ll

enum kind {
	K_SLEEP0, K_USLEEP, K_NANOSLEEP, K_CLOCK_REL, K_CLOCK_ABS, K_POLL,
	K_SELECT, K_PSELECT, K_EPOLL, K_SIGTIMEDWAIT, K_SIGSUSPEND, K_PAUSE,
	K_READ_PIPE, K_WAITPID, K_NANOSLEEP_INTR, K_COUNT
};

static const char *const kind_name[K_COUNT] = {
	"sleep(0)", "usleep", "nanosleep", "clock_nanosleep relative",
	"clock_nanosleep TIMER_ABSTIME", "poll", "select", "pselect",
	"epoll_wait", "sigtimedwait", "sigsuspend", "pause", "read pipe",
	"waitpid", "nanosleep interrupted by SIGALRM",
};

static unsigned long ok[K_COUNT], failed[K_COUNT];
static volatile sig_atomic_t alarms, pipe_armed, watchdog_fired;
static int pipe_fd[2], epoll_fd;
static timer_t watchdog;

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

static void fail(enum kind k, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void fail(enum kind k, const char *fmt, ...)
{
	va_list ap;

	if (failed[k]++ >= 5)
		return;
	printf("FAIL: %s, ", kind_name[k]);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

/* The common verdict: the call's result, its errno, how long it took. */
static void judge(enum kind k, int failed_call, int err, int64_t start,
		  int64_t want_ns)
{
	int64_t took = now_ns() - start;

	if (failed_call)
		fail(k, "failed with %s after %.3f ms", strerrorname_np(err),
		     (double)took / MS);
	else if (took < want_ns)
		fail(k, "returned after %.3f ms, before the %.3f ms asked",
		     (double)took / MS, (double)want_ns / MS);
	else
		ok[k]++;
}

static void on_alarm(int sig)
{
	int saved = errno;

	(void)sig;
	alarms++;
	if (pipe_armed) {
		pipe_armed = 0;
		if (write(pipe_fd[1], "a", 1) != 1)
			_exit(99);
	}
	errno = saved;
}

/* Should the program's SIGALRM never come, the watchdog (SIGUSR2 from a
 * POSIX timer, 2 s) ends the wait, so that the run fails rather than
 * hangs.  It never fires when all is well. */
static void on_watchdog(int sig)
{
	int saved = errno;

	(void)sig;
	watchdog_fired = 1;
	if (pipe_armed) {
		pipe_armed = 0;
		if (write(pipe_fd[1], "w", 1) != 1)
			_exit(99);
	}
	errno = saved;
}

static const char *cause(void)
{
	return watchdog_fired ? " (the program's SIGALRM never came: a 2 s "
				"watchdog ended the wait)" : "";
}

/* ITIMER_REAL: first expiry after first_ms, then every every_ms (0: once);
 * the watchdog armed with it, disarmed with it. */
static void alarm_in(int first_ms, int every_ms)
{
	struct itimerval it = {
		.it_value = { 0, first_ms * 1000 },
		.it_interval = { 0, every_ms * 1000 },
	};
	struct itimerspec wd = { .it_value = { first_ms ? 2 : 0, 0 } };

	watchdog_fired = 0;
	if (timer_settime(watchdog, 0, &wd, NULL))
		perror("timer_settime");
	if (setitimer(ITIMER_REAL, &it, NULL))
		perror("setitimer");
}

/* Disarmed; a SIGALRM already generated is delivered as this returns. */
static void alarm_off(void)
{
	alarm_in(0, 0);
}

static struct timespec ts_ms(int ms)
{
	return (struct timespec){ ms / 1000, (long)(ms % 1000) * MS };
}

static void round_sleeps(void)
{
	struct timespec req, rem, abs;
	struct timeval tv;
	int64_t t;
	int r;

	r = (int)sleep(0);
	if (r != 0)
		fail(K_SLEEP0, "returned %d", r);
	else
		ok[K_SLEEP0]++;

	t = now_ns();
	r = usleep(3000);
	judge(K_USLEEP, r != 0, errno, t, 3 * MS);

	req = ts_ms(3);
	rem = (struct timespec){ 12345, 678 };
	t = now_ns();
	r = nanosleep(&req, &rem);
	judge(K_NANOSLEEP, r != 0, errno, t, 3 * MS);
	if (r == 0 && (rem.tv_sec != 12345 || rem.tv_nsec != 678))
		fail(K_NANOSLEEP, "succeeded but wrote rem (%lld.%09ld)",
		     (long long)rem.tv_sec, rem.tv_nsec);

	req = ts_ms(3);
	t = now_ns();
	r = clock_nanosleep(CLOCK_MONOTONIC, 0, &req, NULL);
	judge(K_CLOCK_REL, r != 0, r, t, 3 * MS);

	t = now_ns();
	clock_gettime(CLOCK_MONOTONIC, &abs);
	abs.tv_nsec += 3 * MS;
	if (abs.tv_nsec >= 1000 * MS) {
		abs.tv_nsec -= 1000 * MS;
		abs.tv_sec++;
	}
	r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, NULL);
	judge(K_CLOCK_ABS, r != 0, r, t, 3 * MS);

	t = now_ns();
	r = poll(NULL, 0, 3);
	judge(K_POLL, r != 0, errno, t, 3 * MS);

	tv = (struct timeval){ 0, 3000 };
	t = now_ns();
	r = select(0, NULL, NULL, NULL, &tv);
	judge(K_SELECT, r != 0, errno, t, 3 * MS);
}

static void round_waits(void)
{
	struct epoll_event ev;
	struct timespec req;
	sigset_t usr1, now_mask;
	siginfo_t si;
	int64_t t;
	int r;

	sigprocmask(SIG_BLOCK, NULL, &now_mask);
	req = ts_ms(3);
	t = now_ns();
	r = pselect(0, NULL, NULL, NULL, &req, &now_mask);
	judge(K_PSELECT, r != 0, errno, t, 3 * MS);

	t = now_ns();
	r = epoll_wait(epoll_fd, &ev, 1, 3);
	judge(K_EPOLL, r != 0, errno, t, 3 * MS);

	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	req = ts_ms(3);
	t = now_ns();
	r = sigtimedwait(&usr1, &si, &req);
	if (r >= 0)
		fail(K_SIGTIMEDWAIT, "returned signal %d nobody sent", r);
	else if (errno != EAGAIN)
		judge(K_SIGTIMEDWAIT, 1, errno, t, 3 * MS);
	else
		judge(K_SIGTIMEDWAIT, 0, 0, t, 3 * MS);
}

/* sigsuspend: SIGALRM is blocked until sigsuspend unblocks it, so the
 * alarm cannot be missed; only the alarm may end the call. */
static void round_sigsuspend(void)
{
	sigset_t alrm, old, wait_mask;
	sig_atomic_t before;
	int64_t t;
	int r, err;

	sigemptyset(&alrm);
	sigaddset(&alrm, SIGALRM);
	sigprocmask(SIG_BLOCK, &alrm, &old);
	wait_mask = old;
	sigdelset(&wait_mask, SIGALRM);
	t = now_ns();
	before = alarms;
	alarm_in(5, 0);
	r = sigsuspend(&wait_mask);
	err = errno;
	if (r != -1 || err != EINTR)
		fail(K_SIGSUSPEND, "returned %d (%s)", r, strerrorname_np(err));
	else if (alarms == before)
		fail(K_SIGSUSPEND, "returned after %.3f ms, before the program's "
		     "SIGALRM%s", (double)(now_ns() - t) / MS, cause());
	else
		judge(K_SIGSUSPEND, 0, 0, t, 5 * MS);
	alarm_off();
	sigprocmask(SIG_SETMASK, &old, NULL);
}

/* pause: the alarm repeats every 5 ms, so one that fires just before
 * pause() is entered only delays the return. */
static void round_pause(void)
{
	sig_atomic_t before;
	int64_t t;
	int r, err;

	t = now_ns();
	alarm_in(5, 5);
	before = alarms;
	r = pause();
	err = errno;
	if (r != -1 || err != EINTR)
		fail(K_PAUSE, "returned %d (%s)", r, strerrorname_np(err));
	else if (alarms == before)
		fail(K_PAUSE, "returned after %.3f ms, before the program's "
		     "SIGALRM%s", (double)(now_ns() - t) / MS, cause());
	else
		judge(K_PAUSE, 0, 0, t, 5 * MS);
	alarm_off();
}

static void round_read_pipe(void)
{
	int64_t t;
	ssize_t r;
	char c = 0;

	t = now_ns();
	pipe_armed = 1;
	alarm_in(5, 0);
	r = read(pipe_fd[0], &c, 1);
	if (r == 1 && c != 'a')
		fail(K_READ_PIPE, "read '%c', the SIGALRM handler writes 'a'%s",
		     c, cause());
	else
		judge(K_READ_PIPE, r != 1, r ? errno : 0, t, 5 * MS);
	alarm_off();
	pipe_armed = 0;
}

static void round_waitpid(void)
{
	int64_t t = now_ns();
	int status = 0;
	pid_t self = getpid(), pid = fork(), r;

	if (pid < 0) {
		fail(K_WAITPID, "fork: %s", strerror(errno));
		return;
	}
	if (pid == 0) {
		struct timespec d = ts_ms(5);

		while (nanosleep(&d, &d))
			;
		_exit(7);
	}
	r = waitpid(pid, &status, 0);
	/* Resumed from an image taken while the child lived: the child is
	 * not brought back (a process tree, issue 13), so the round is made
	 * again.  What is checked here is that a checkpoint never cuts the
	 * wait short. */
	if (r < 0 && errno == ECHILD && getpid() != self) {
		round_waitpid();
		return;
	}
	if (r == pid && !(WIFEXITED(status) && WEXITSTATUS(status) == 7))
		fail(K_WAITPID, "child status %#x, expected exit 7", status);
	else
		judge(K_WAITPID, r != pid, errno, t, 5 * MS);
}

static void round_nanosleep_intr(void)
{
	struct timespec req = ts_ms(60), rem = { 0, 0 };
	sig_atomic_t before = alarms;
	int64_t t, took, left;
	int r, err;

	t = now_ns();
	alarm_in(10, 10);
	r = nanosleep(&req, &rem);
	err = errno;
	took = now_ns() - t;
	alarm_off();
	left = (int64_t)rem.tv_sec * 1000000000ll + rem.tv_nsec;
	if (r == 0)
		fail(K_NANOSLEEP_INTR, "slept the whole 60 ms: no SIGALRM came "
		     "(ITIMER_REAL every 10 ms)");
	else if (err != EINTR)
		fail(K_NANOSLEEP_INTR, "failed with %s", strerrorname_np(err));
	else if (alarms == before)
		fail(K_NANOSLEEP_INTR, "EINTR after %.3f ms, but the program's "
		     "SIGALRM had not run", (double)took / MS);
	else if (left <= 0 || left >= 60 * MS || took + left < 60 * MS)
		fail(K_NANOSLEEP_INTR, "rem %lld.%09ld after %.3f ms of 60",
		     (long long)rem.tv_sec, rem.tv_nsec, (double)took / MS);
	else
		ok[K_NANOSLEEP_INTR]++;
}

int main(int argc, char **argv)
{
	long rounds = argc > 1 ? atol(argv[1]) : 100;
	struct sigaction sa = { 0 };
	sigset_t usr1;
	int bad = 0;

	sa.sa_handler = on_alarm;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	sa.sa_handler = on_watchdog;
	sigaction(SIGUSR2, &sa, NULL);
	{
		struct sigevent sev = { .sigev_notify = SIGEV_SIGNAL,
					.sigev_signo = SIGUSR2 };

		if (timer_create(CLOCK_MONOTONIC, &sev, &watchdog)) {
			printf("FAIL: setup, timer_create: %s\n",
			       strerror(errno));
			return 1;
		}
	}
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, NULL);
	if (pipe(pipe_fd) || (epoll_fd = epoll_create1(0)) < 0) {
		printf("FAIL: setup, %s\n", strerror(errno));
		return 1;
	}
	for (long i = 0; i < rounds; i++) {
		round_sleeps();
		round_waits();
		round_sigsuspend();
		round_pause();
		round_read_pipe();
		round_waitpid();
		round_nanosleep_intr();
	}
	for (int k = 0; k < K_COUNT; k++) {
		printf("%s: %lu calls ok\n", kind_name[k], ok[k]);
		bad |= failed[k] != 0;
	}
	printf("sleeps: %s\n", bad ? "FAILED" : "ok");
	return bad;
}
