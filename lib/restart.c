/*
 * No visible EINTR.  A handled signal makes sleeps, poll, select, epoll,
 * sigsuspend and the sigwait family return early even with SA_RESTART.
 * These wrappers call the real function again, with the time that is left,
 * when the interruption was the checkpoint's alone: the checkpoint count of
 * this thread moved and its count of program handlers did not.
 *
 * Time left is what the kernel reports where it does (nanosleep's rem), and
 * otherwise CLOCK_MONOTONIC elapsed minus the jumps the clock made at
 * resumes in between: a wait measures the program's running time, and the
 * time the program spent killed does not count against it.
 */
#include <dlfcn.h>
#include <errno.h>
#include <mqueue.h>
#include <poll.h>
#include <semaphore.h>
#include <signal.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/msg.h>
#include <sys/select.h>
#include <sys/sem.h>
#include <time.h>
#include <unistd.h>

#include "core.h"

struct wait_mark {
	uint64_t start;
	int64_t shift;
	unsigned checkpoints, program_signals;
};

static void mark(struct wait_mark *m)
{
	m->start = ckpt_monotonic_ns();
	m->shift = ckpt_clock_shift_ns;
	m->checkpoints = ckpt_tls_checkpoints;
	m->program_signals = ckpt_tls_program_signals;
}

/* Was the EINTR just returned due to checkpoints only? */
static int ours(const struct wait_mark *m, int err)
{
	return err == EINTR && ckpt_tls_checkpoints != m->checkpoints &&
	       ckpt_tls_program_signals == m->program_signals;
}

static int64_t elapsed_ns(const struct wait_mark *m)
{
	return (int64_t)(ckpt_monotonic_ns() - m->start) -
	       (ckpt_clock_shift_ns - m->shift);
}

/* Milliseconds left of a timeout in ms; negative stays "forever". */
static int ms_left(const struct wait_mark *m, int timeout)
{
	int64_t left;

	if (timeout < 0)
		return timeout;
	left = (int64_t)timeout - elapsed_ns(m) / 1000000;
	return left > 0 ? (int)left : 0;
}

static struct timespec ts_left(const struct wait_mark *m,
			       const struct timespec *total)
{
	int64_t left = (int64_t)total->tv_sec * 1000000000 + total->tv_nsec -
		       elapsed_ns(m);
	struct timespec ts = { 0, 0 };

	if (left > 0) {
		ts.tv_sec = left / 1000000000;
		ts.tv_nsec = left % 1000000000;
	}
	return ts;
}

CKPT_EXPORT int nanosleep(const struct timespec *req, struct timespec *rem)
{
	struct timespec left = *req, r;
	struct wait_mark m;
	int rc;

	REAL(nanosleep);
	mark(&m);
	while ((rc = real_nanosleep(&left, &r)) && ours(&m, errno))
		left = r;
	if (rc && rem)
		*rem = r;
	return rc;
}

CKPT_EXPORT int clock_nanosleep(clockid_t clock, int flags,
				const struct timespec *req,
				struct timespec *rem)
{
	struct timespec left = *req, r;
	struct wait_mark m;
	int rc;

	REAL(clock_nanosleep);
	mark(&m);
	while ((rc = real_clock_nanosleep(clock, flags, &left, &r)) &&
	       ours(&m, rc))
		if (!(flags & TIMER_ABSTIME))
			left = r;
	if (rc == EINTR && rem && !(flags & TIMER_ABSTIME))
		*rem = r;
	return rc;
}

/* glibc's sleep and usleep call its internal nanosleep, past the wrapper
 * above: both are rebuilt on it. */
CKPT_EXPORT unsigned int sleep(unsigned int seconds)
{
	struct timespec req = { (time_t)seconds, 0 }, rem;

	if (nanosleep(&req, &rem) == 0)
		return 0;
	return (unsigned int)rem.tv_sec + (rem.tv_nsec > 0);
}

CKPT_EXPORT int usleep(useconds_t usec)
{
	struct timespec req = { (time_t)(usec / 1000000),
				(long)(usec % 1000000) * 1000 };

	return nanosleep(&req, NULL);
}

CKPT_EXPORT int poll(struct pollfd *fds, nfds_t n, int timeout)
{
	struct wait_mark m;
	int rc;

	REAL(poll);
	mark(&m);
	/* The time left is always of the timeout asked for: with two
	 * signals a checkpoint (the request, its writer's end), a call is
	 * often cut short twice. */
	for (int left = timeout;
	     (rc = real_poll(fds, n, left)) < 0 && ours(&m, errno);)
		left = ms_left(&m, timeout);
	return rc;
}

CKPT_EXPORT int ppoll(struct pollfd *fds, nfds_t n, const struct timespec *tmo,
		      const sigset_t *mask)
{
	struct timespec left;
	struct wait_mark m;
	sigset_t copy;
	int rc;

	REAL(ppoll);
	mark(&m);
	mask = ckpt_signal_removed(mask, &copy);
	if (tmo)
		left = *tmo;
	while ((rc = real_ppoll(fds, n, tmo ? &left : NULL, mask)) < 0 &&
	       ours(&m, errno))
		if (tmo)
			left = ts_left(&m, tmo);
	return rc;
}

/* The fd sets are the caller's; keep a copy to start each retry from. */
struct fd_sets {
	fd_set r, w, e;
};

static void sets_save(struct fd_sets *s, const fd_set *r, const fd_set *w,
		      const fd_set *e)
{
	if (r)
		s->r = *r;
	if (w)
		s->w = *w;
	if (e)
		s->e = *e;
}

static void sets_load(const struct fd_sets *s, fd_set *r, fd_set *w,
		      fd_set *e)
{
	if (r)
		*r = s->r;
	if (w)
		*w = s->w;
	if (e)
		*e = s->e;
}

CKPT_EXPORT int select(int n, fd_set *r, fd_set *w, fd_set *e,
		       struct timeval *tv)
{
	struct timespec total = { 0, 0 }, left;
	struct wait_mark m;
	struct fd_sets saved;
	int rc;

	REAL(select);
	mark(&m);
	sets_save(&saved, r, w, e);
	if (tv) {
		total.tv_sec = tv->tv_sec;
		total.tv_nsec = tv->tv_usec * 1000;
	}
	while ((rc = real_select(n, r, w, e, tv)) < 0 && ours(&m, errno)) {
		sets_load(&saved, r, w, e);
		if (tv) {
			left = ts_left(&m, &total);
			tv->tv_sec = left.tv_sec;
			tv->tv_usec = left.tv_nsec / 1000;
		}
	}
	return rc;
}

CKPT_EXPORT int pselect(int n, fd_set *r, fd_set *w, fd_set *e,
			const struct timespec *tmo, const sigset_t *mask)
{
	struct timespec left;
	struct wait_mark m;
	struct fd_sets saved;
	sigset_t copy;
	int rc;

	REAL(pselect);
	mark(&m);
	sets_save(&saved, r, w, e);
	mask = ckpt_signal_removed(mask, &copy);
	if (tmo)
		left = *tmo;
	while ((rc = real_pselect(n, r, w, e, tmo ? &left : NULL, mask)) < 0 &&
	       ours(&m, errno)) {
		sets_load(&saved, r, w, e);
		if (tmo)
			left = ts_left(&m, tmo);
	}
	return rc;
}

CKPT_EXPORT int epoll_wait(int ep, struct epoll_event *ev, int max,
			   int timeout)
{
	struct wait_mark m;
	int rc;

	REAL(epoll_wait);
	mark(&m);
	for (int left = timeout;
	     (rc = real_epoll_wait(ep, ev, max, left)) < 0 && ours(&m, errno);)
		left = ms_left(&m, timeout);
	return rc;
}

CKPT_EXPORT int epoll_pwait(int ep, struct epoll_event *ev, int max,
			    int timeout, const sigset_t *mask)
{
	struct wait_mark m;
	sigset_t copy;
	int rc;

	REAL(epoll_pwait);
	mark(&m);
	mask = ckpt_signal_removed(mask, &copy);
	for (int left = timeout;
	     (rc = real_epoll_pwait(ep, ev, max, left, mask)) < 0 &&
	     ours(&m, errno);)
		left = ms_left(&m, timeout);
	return rc;
}

CKPT_EXPORT int sigsuspend(const sigset_t *mask)
{
	struct wait_mark m;
	sigset_t copy;
	int rc;

	REAL(sigsuspend);
	mark(&m);
	mask = ckpt_signal_removed(mask, &copy);
	while ((rc = real_sigsuspend(mask)) < 0 && ours(&m, errno))
		;
	return rc;
}

CKPT_EXPORT int pause(void)
{
	struct wait_mark m;
	int rc;

	REAL(pause);
	mark(&m);
	while ((rc = real_pause()) < 0 && ours(&m, errno))
		;
	return rc;
}

CKPT_EXPORT int sigtimedwait(const sigset_t *set, siginfo_t *info,
			     const struct timespec *tmo)
{
	struct timespec left;
	struct wait_mark m;
	sigset_t copy;
	int rc;

	REAL(sigtimedwait);
	mark(&m);
	set = ckpt_signal_removed(set, &copy);
	if (tmo)
		left = *tmo;
	while ((rc = real_sigtimedwait(set, info, tmo ? &left : NULL)) < 0 &&
	       ours(&m, errno))
		if (tmo)
			left = ts_left(&m, tmo);
	return rc;
}

CKPT_EXPORT int sigwaitinfo(const sigset_t *set, siginfo_t *info)
{
	return sigtimedwait(set, info, NULL);
}

/* sigwait never fails with EINTR, whoever's signal it was. */
CKPT_EXPORT int sigwait(const sigset_t *set, int *sig)
{
	int rc;

	while ((rc = sigtimedwait(set, NULL, NULL)) < 0 && errno == EINTR)
		;
	if (rc < 0)
		return errno;
	*sig = rc;
	return 0;
}

CKPT_EXPORT int sem_timedwait(sem_t *sem, const struct timespec *abstime)
{
	struct wait_mark m;
	int rc;

	REAL(sem_timedwait);
	mark(&m);
	while ((rc = real_sem_timedwait(sem, abstime)) < 0 && ours(&m, errno))
		;
	return rc;
}

CKPT_EXPORT int sem_wait(sem_t *sem)
{
	struct wait_mark m;
	int rc;

	REAL(sem_wait);
	mark(&m);
	while ((rc = real_sem_wait(sem)) < 0 && ours(&m, errno))
		;
	return rc;
}

/*
 * System V IPC: msgrcv, msgsnd and semop fail with EINTR at any handled
 * signal, SA_RESTART or not.  The id is translated again at each try (by
 * ipc.c): a call cut short by a checkpoint may go on in a resumed process,
 * where the queue or set has another id.
 */
CKPT_EXPORT ssize_t msgrcv(int id, void *msg, size_t size, long type, int flags)
{
	struct wait_mark m;
	ssize_t rc;

	REAL(msgrcv);
	mark(&m);
	while ((rc = real_msgrcv(ipc_msg_id(id), msg, size, type, flags)) < 0 &&
	       ours(&m, errno))
		;
	return rc;
}

CKPT_EXPORT int msgsnd(int id, const void *msg, size_t size, int flags)
{
	struct wait_mark m;
	int rc;

	REAL(msgsnd);
	mark(&m);
	while ((rc = real_msgsnd(ipc_msg_id(id), msg, size, flags)) < 0 &&
	       ours(&m, errno))
		;
	return rc;
}

/* semtimedop's timeout is relative: each try gets the time left. */
CKPT_EXPORT int semtimedop(int id, struct sembuf *ops, size_t nops,
			   const struct timespec *tmo)
{
	struct timespec left;
	struct wait_mark m;
	int rc;

	REAL(semtimedop);
	mark(&m);
	if (tmo)
		left = *tmo;
	while ((rc = real_semtimedop(ipc_sem_id(id), ops, nops,
				     tmo ? &left : NULL)) < 0 &&
	       ours(&m, errno))
		if (tmo)
			left = ts_left(&m, tmo);
	return rc;
}

/* glibc's semop calls the system call itself, past semtimedop above. */
CKPT_EXPORT int semop(int id, struct sembuf *ops, size_t nops)
{
	return semtimedop(id, ops, nops, NULL);
}

/*
 * POSIX message queues.  The kernel restarts these under SA_RESTART, which
 * the checkpoint handler has; the wrappers keep the program free of EINTR
 * from a checkpoint whatever the kernel does.  The time-outs are absolute
 * (CLOCK_REALTIME): a retry keeps the deadline as given, as sem_timedwait
 * above.  mq_receive and mq_send are glibc's mq_timed* with no time-out,
 * which its header declares non-null: hence the plain pointers here.
 */
typedef ssize_t (*mq_recv_fn)(mqd_t, char *, size_t, unsigned *,
			      const struct timespec *);
typedef int (*mq_send_fn)(mqd_t, const char *, size_t, unsigned,
			  const struct timespec *);

static ssize_t mq_recv_retry(mqd_t q, char *msg, size_t size, unsigned *prio,
			     const struct timespec *abs)
{
	static mq_recv_fn real;
	struct wait_mark m;
	ssize_t rc;

	if (!real)
		real = (mq_recv_fn)dlsym(RTLD_NEXT, "mq_timedreceive");
	mark(&m);
	while ((rc = real(q, msg, size, prio, abs)) < 0 && ours(&m, errno))
		;
	return rc;
}

static int mq_send_retry(mqd_t q, const char *msg, size_t size, unsigned prio,
			 const struct timespec *abs)
{
	static mq_send_fn real;
	struct wait_mark m;
	int rc;

	if (!real)
		real = (mq_send_fn)dlsym(RTLD_NEXT, "mq_timedsend");
	mark(&m);
	while ((rc = real(q, msg, size, prio, abs)) < 0 && ours(&m, errno))
		;
	return rc;
}

CKPT_EXPORT ssize_t mq_timedreceive(mqd_t q, char *msg, size_t size,
				    unsigned *prio, const struct timespec *abs)
{
	return mq_recv_retry(q, msg, size, prio, abs);
}

CKPT_EXPORT ssize_t mq_receive(mqd_t q, char *msg, size_t size, unsigned *prio)
{
	return mq_recv_retry(q, msg, size, prio, NULL);
}

CKPT_EXPORT int mq_timedsend(mqd_t q, const char *msg, size_t size,
			     unsigned prio, const struct timespec *abs)
{
	return mq_send_retry(q, msg, size, prio, abs);
}

CKPT_EXPORT int mq_send(mqd_t q, const char *msg, size_t size, unsigned prio)
{
	return mq_send_retry(q, msg, size, prio, NULL);
}
