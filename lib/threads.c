/*
 * Threads.  The thread the checkpoint signal reaches first coordinates: it
 * sends the signal to every other thread of the process (tgkill), waits
 * until each has saved its own context in its handler and parked there,
 * writes the image, and lets them go.  Threads created meanwhile are caught
 * by listing /proc/self/task again until nothing new shows up; threads that
 * exit before they arrive are dropped.
 *
 * At resume the bootstrap continues the coordinator alone.  It creates each
 * other thread again with clone (same TLS, glibc's tid field set by
 * CLONE_PARENT_SETTID and cleared at exit by CLONE_CHILD_CLEARTID, so
 * pthread_join works), and each new thread re-registers its robust list,
 * rseq area, name and CPU affinity, then jumps into the context it saved;
 * there it parks again until the coordinator has finished the restore, and
 * returns from its handler through sigreturn with all its registers and
 * its signal mask.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/rseq.h>

#include "core.h"
#include "ctxjump.h"
#include "procfs.h"
#include "str.h"
#include "sys.h"

#define MAX_THREADS 4096
#define FUTEX_WAIT_PRIVATE 128
#define FUTEX_WAKE_PRIVATE 129
#define RSEQ_SIG 0x53053053
#define THREAD_STACK (64u << 10)
#define THREAD_PENDING_MAX 8
#define CLONE_THREAD_FLAGS                                                   \
	(0x100 | 0x200 | 0x400 | 0x800 | 0x10000 | 0x40000 | 0x80000 |      \
	 0x100000 | 0x200000)
/* CLONE_VM FS FILES SIGHAND THREAD SYSVSEM SETTLS PARENT_SETTID
 * CHILD_CLEARTID */

struct thread_rec {
	int32_t tid;
	int32_t new_tid;
	volatile int32_t arrived;
	int32_t reserved;
	uint64_t fs_base;
	void *pd;           /* pthread_self() */
	void *robust_head;
	size_t robust_len;
	char comm[16];
	uint64_t affinity[16];
	uint32_t npending;
	volatile int32_t collected; /* took its late signals this round */
	struct ckpt_siginfo pending[THREAD_PENDING_MAX];
	ucontext_t ctx;
};

/* Slot 0 is the coordinator's; others claim theirs as they arrive. */
static struct thread_rec recs[MAX_THREADS];
static volatile int nrecs = 1;
static volatile int arrivals;       /* futex: participants parked */
static volatile int release_gen;    /* bumped to let them go */
static volatile int phase;          /* futex: bumped to collect, to release */
static volatile int collect_req;    /* participants: take late signals */
static volatile int collected;      /* futex: participants that did */
static volatile int round_on;       /* a checkpoint is in progress */
static volatile int overflow;       /* a thread found no slot this round */
static long tid_offset = -1;

void threads_init(long tid_field_offset) { tid_offset = tid_field_offset; }

static void futex_wait(volatile int *addr, int val, long timeout_ns)
{
	struct timespec ts = { 0, timeout_ns };

	sys_futex(addr, FUTEX_WAIT_PRIVATE, val, timeout_ns ? &ts : NULL);
}

static void futex_wake(volatile int *addr)
{
	sys_futex(addr, FUTEX_WAKE_PRIVATE, 0x7fffffff, NULL);
}

/*
 * Signals pending on this very thread (pthread_kill, tgkill), not on the
 * process: "SigPnd" of /proc/thread-self/status.  They are taken out while
 * the checkpoint runs (so the process-wide ones can be told apart, see
 * signals.c) and queued again to the same thread after it, and at resume.
 */
static void private_pending_take(struct thread_rec *r)
{
	char text[2048];
	long n = proc_read_file("/proc/thread-self/status", text, sizeof(text));
	uint64_t set = 0;

	if (n > 0 && !fdinfo_value(text, (size_t)n, "SigPnd:", 16, &set))
		r->npending += signals_dequeue(set, r->pending + r->npending,
					       THREAD_PENDING_MAX - r->npending);
}

static void private_pending_requeue(const struct thread_rec *r)
{
	long pid = sys_getpid(), tid = sys_gettid();

	for (uint32_t i = 0; i < r->npending; i++)
		sys_rt_tgsigqueueinfo((int)pid, (int)tid, (int)r->pending[i].sig,
				      r->pending[i].info);
}

/* What each thread keeps of itself, taken in its own handler. */
static void rec_fill(struct thread_rec *r)
{
	r->tid = (int32_t)sys_gettid();
	r->pd = (void *)pthread_self();
	sys_arch_prctl(0x1003 /* ARCH_GET_FS */, (unsigned long)&r->fs_base);
	sys_get_robust_list(0, &r->robust_head, &r->robust_len);
	sys_prctl(PR_GET_NAME, (unsigned long)r->comm, 0, 0, 0);
	memset(r->affinity, 0, sizeof(r->affinity));
	sys_sched_getaffinity(0, sizeof(r->affinity), r->affinity);
	r->npending = 0;
	r->collected = 0;
	private_pending_take(r);
}

int threads_claim_coordinator(void)
{
	return __sync_bool_compare_and_swap(&round_on, 0, 1);
}

/* A stop request sent by a coordinator whose round is over already. */
int threads_stale_request(const siginfo_t *si)
{
	return !round_on && si->si_code == SI_TKILL &&
	       si->si_pid == (pid_t)sys_getpid();
}

void threads_coordinator_begin(void)
{
	/* Nobody was asked yet: a late thread of a round given up on, that
	 * took a slot as that round ended, is not of this one. */
	nrecs = 1;
	arrivals = 0;
	rec_fill(&recs[0]);
}

static int rec_arrived(int32_t tid)
{
	for (int i = 1; i < nrecs; i++)
		if (recs[i].tid == tid && recs[i].arrived)
			return 1;
	return 0;
}

/*
 * Deaf threads: glibc's helper threads (the one of SIGEV_THREAD timers,
 * the one of mq_notify with SIGEV_THREAD) block every signal for their
 * whole life and wait in the kernel, so the checkpoint signal stays
 * pending on them and they never arrive; waiting for them hung every
 * checkpoint.  A thread seen asleep with the checkpoint signal blocked for
 * longer than a grace (a thread being created blocks all signals too, but
 * only briefly) is left out of the image, with a warning, and not asked
 * again while it stays so.  The program's own threads cannot block the
 * signal (sigwrap.c takes it out of their masks).
 */
#define DEAF_MAX 16
#define DEAF_GRACE_NS (100u * 1000000u)

static int32_t deaf[DEAF_MAX];
static int ndeaf;

static int deaf_known(int32_t tid)
{
	for (int i = 0; i < ndeaf; i++)
		if (deaf[i] == tid)
			return 1;
	return 0;
}

/* Asleep in the kernel with the checkpoint signal blocked. */
static int thread_deaf(int32_t tid)
{
	char path[64], text[2048];
	uint64_t blocked = 0;
	const char *st;
	long n;

	proc_path_n(path, sizeof(path), "/proc/self/task/", (uint64_t)tid);
	str_add(path + str_len(path), path + sizeof(path), "/status");
	n = proc_read_file(path, text, sizeof(text) - 1);
	if (n <= 0 || fdinfo_value(text, (size_t)n, "SigBlk:", 16, &blocked))
		return 0;
	text[n] = 0;
	for (st = text; *st && !str_starts(st, "\nState:\t"); st++)
		;
	if (!*st || (st[8] != 'S' && st[8] != 'D'))
		return 0;
	return (blocked >> (ckpt_cfg.signal - 1)) & 1;
}

static void deaf_note(int32_t tid)
{
	char num[16];

	if (deaf_known(tid))
		return;
	if (ndeaf < DEAF_MAX)
		deaf[ndeaf++] = tid;
	str_add_u64(num, num + sizeof(num), (uint64_t)tid);
	say(2, "warning: thread ", num, " blocks the checkpoint signal (a "
	    "libc helper thread, as of a SIGEV_THREAD timer or mq_notify); it "
	    "is left out of the image and does not exist after a resume", NULL);
}

struct ask {
	int32_t *asked;
	int nasked, max, fresh;
	int32_t self, pid;
};

static void ask_one(int tid, int dirfd, void *arg)
{
	struct ask *a = arg;

	(void)dirfd;
	if (tid == a->self || a->nasked == a->max)
		return;
	for (int i = 0; i < a->nasked; i++)
		if (a->asked[i] == tid || a->asked[i] == -tid)
			return;
	if (deaf_known(tid) && thread_deaf(tid)) {
		/* Asked once already: the request is still pending there. */
		a->asked[a->nasked++] = -tid;
		return;
	}
	a->asked[a->nasked++] = tid;
	sys_tgkill(a->pid, tid, ckpt_cfg.signal);
	a->fresh++;
}

/* Ask every thread not asked yet; returns how many were new. */
static int ask_new_threads(int32_t *asked, int *nasked, int max)
{
	struct ask a = { asked, *nasked, max, 0, (int32_t)sys_gettid(),
			 (int32_t)sys_getpid() };

	proc_list_numbers("/proc/self/task", ask_one, &a);
	*nasked = a.nasked;
	return a.fresh;
}

/*
 * Gone, or never to answer: a thread group leader that ended with
 * pthread_exit stays a zombie, listed, until the whole process exits (after
 * a resume the leader is whichever thread took the checkpoint, so this is
 * common).
 */
static int thread_gone(int32_t pid, int32_t tid)
{
	char path[64], text[512];
	const char *p = NULL;
	long n;

	if (sys_tgkill(pid, tid, 0) == -ESRCH)
		return 1;
	proc_path_n(path, sizeof(path), "/proc/self/task/", (uint64_t)tid);
	str_add(path + str_len(path), path + sizeof(path), "/stat");
	n = proc_read_file(path, text, sizeof(text));
	if (n < 0)
		return n == -ENOENT;
	for (long i = 0; i < n; i++)
		if (text[i] == ')')
			p = text + i;
	return p && p + 2 < text + n && (p[2] == 'Z' || p[2] == 'X');
}

static int thread_left_out(int32_t tid, uint64_t since)
{
	if (!deaf_known(tid) && ckpt_monotonic_ns() - since < DEAF_GRACE_NS)
		return 0;
	if (!thread_deaf(tid))
		return 0;
	deaf_note(tid);
	return 1;
}

/* The thread a stop gave up on (threads_stuck). */
static int32_t stuck_tid;

/* Every asked thread has arrived, is gone, or is deaf: 0; -ETIMEDOUT when
 * one has not within the configured bound (a vfork parent waits for its
 * child, a thread in uninterruptible sleep, one stopped by a tracer). */
static int wait_arrivals(int32_t *asked, int nasked, uint64_t since)
{
	int32_t pid = (int32_t)sys_getpid();

	for (;;) {
		int seen = arrivals, missing = 0;

		/* A gone thread stays listed, negated, so that the next
		 * look at /proc/self/task does not ask it again. */
		for (int i = 0; i < nasked; i++) {
			if (asked[i] < 0 || rec_arrived(asked[i]))
				continue;
			if (thread_gone(pid, asked[i]) ||
			    thread_left_out(asked[i], since))
				asked[i] = -asked[i];
			else if (missing++ == 0)
				stuck_tid = asked[i];
		}
		if (!missing || overflow)
			return 0;
		if (ckpt_cfg.timeout_ns &&
		    ckpt_monotonic_ns() - since > ckpt_cfg.timeout_ns)
			return -ETIMEDOUT;
		futex_wait(&arrivals, seen, 2000000);
	}
}

/* What the stuck thread is doing: its state and where it waits. */
void threads_stuck(int32_t *tid, char *state, size_t size)
{
	char path[64];
	long n;

	*tid = stuck_tid;
	proc_path_n(path, sizeof(path), "/proc/self/task/", (uint64_t)stuck_tid);
	str_add(path + str_len(path), path + sizeof(path), "/wchan");
	n = proc_read_file(path, state, size - 1);
	state[n > 0 ? n : 0] = 0;
}

/* Returns how many threads stopped, or -errno. */
static void phase_bump(void)
{
	__sync_fetch_and_add(&phase, 1);
	futex_wake(&phase);
}

/*
 * A thread still running before it parked may have sent a signal to one
 * that had taken its own already (pthread_kill, tgkill): blocked in the
 * handler, it would stay pending in the kernel and be missing from the
 * image.  Once every thread is parked, each takes what came since.
 */
static void late_signals_collect(void)
{
	int want = nrecs - 1;

	collect_req = 1;
	phase_bump();
	for (int seen; (seen = collected) < want;)
		futex_wait(&collected, seen, 2000000);
	private_pending_take(&recs[0]);
}

int threads_stop_others(void)
{
	int32_t *asked = arena_alloc(MAX_THREADS * sizeof(int32_t));
	uint64_t since = ckpt_monotonic_ns();
	int nasked = 0, rc = 0;

	if (!asked)
		return -ENOMEM;
	while (!rc && !overflow &&
	       ask_new_threads(asked, &nasked, MAX_THREADS - 1))
		rc = wait_arrivals(asked, nasked, since);
	if (rc)
		return rc;
	if (overflow)
		return -E2BIG;
	late_signals_collect();
	return nrecs - 1;
}

void threads_release(void)
{
	private_pending_requeue(&recs[0]);
	nrecs = 1;
	arrivals = 0;
	overflow = 0;
	collect_req = 0;
	collected = 0;
	/* Over before the parked wake: a thread that comes late (a stop given
	 * up on) finds no round to join, and goes back to the program. */
	round_on = 0;
	__sync_fetch_and_add(&release_gen, 1);
	phase_bump();
}

/* Parked until the release, serving a collect request once (r NULL: a
 * thread without a record). */
static void park(struct thread_rec *r, int gen)
{
	for (;;) {
		int seen = phase;

		if (release_gen != gen || !round_on)
			return;
		if (r && collect_req && !r->collected) {
			private_pending_take(r);
			r->collected = 1;
			__sync_fetch_and_add(&collected, 1);
			futex_wake(&collected);
		}
		futex_wait(&phase, seen, 0);
	}
}

void threads_participant(void)
{
	int slot = __sync_fetch_and_add(&nrecs, 1);
	int gen = release_gen;
	struct thread_rec *r;

	if (slot >= MAX_THREADS) {
		/* Too many threads to keep: this round writes no image. */
		overflow = 1;
		futex_wake(&arrivals);
		park(NULL, gen);
		return;
	}
	r = &recs[slot];
	r->arrived = 0;
	rec_fill(r);
	getcontext(&r->ctx);
	/* Here twice, as in the coordinator's handler: now, and at resume in
	 * a thread created again, once it jumped into r->ctx. */
	r->arrived = 1;
	__sync_fetch_and_add(&arrivals, 1);
	futex_wake(&arrivals);
	park(r, gen);
	private_pending_requeue(r);
}

/* --- resume ------------------------------------------------------------- */

/* The kernel's per-thread registrations for the calling thread. */
static void registrations_restore(const struct thread_rec *r)
{
	char *pd = (char *)pthread_self();

	mutexes_old_tid(r->tid);
	if (tid_offset >= 0) {
		*(int *)(pd + tid_offset) = (int)sys_gettid();
		sys_set_tid_address(pd + tid_offset);
	}
	if (r->robust_head)
		sys_set_robust_list(r->robust_head, r->robust_len);
	if (__rseq_size)
		sys_rseq(pd + __rseq_offset, __rseq_size < 32 ? 32 : __rseq_size,
			 0, RSEQ_SIG);
	sys_prctl(PR_SET_NAME, (unsigned long)r->comm, 0, 0, 0);
	sys_sched_setaffinity(0, sizeof(r->affinity), r->affinity);
}

static void thread_start(void *arg)
{
	struct thread_rec *r = arg;
	struct ctx_regs regs;

	registrations_restore(r);
	ctx_regs_from(&regs, &r->ctx);
	ckpt_ctx_jump(&regs);
}

/*
 * How many records the restored memory holds.  nrecs comes back with the
 * image's pages, not through a section the reader checked: never trusted
 * beyond the array.
 */
static int recs_restored(void)
{
	int n = nrecs;

	return n < 1 ? 1 : n > MAX_THREADS ? MAX_THREADS : n;
}

static int threads_restore(struct image_reader *rd)
{
	int n = recs_restored(), created = 0;

	(void)rd;
	registrations_restore(&recs[0]);
	arrivals = 0;
	ndeaf = 0; /* tids of the process that was */
	for (int i = 1; i < n; i++) {
		struct thread_rec *r = &recs[i];
		char *stack = arena_alloc(THREAD_STACK);
		int *tidp = tid_offset >= 0 ? (int *)((char *)r->pd + tid_offset)
					    : &r->new_tid;
		long tid;

		if (!stack || !r->arrived)
			continue;
		r->arrived = 0;
		tid = ckpt_clone_thread(CLONE_THREAD_FLAGS, stack + THREAD_STACK,
					tidp, tidp, r->fs_base, thread_start, r);
		if (tid < 0)
			return (int)tid;
		r->new_tid = (int32_t)tid;
		created++;
	}
	for (int seen; (seen = arrivals) < created;)
		futex_wait(&arrivals, seen, 0);
	dl_locks_rebind();
	return 0;
}

/* The new tid of a thread known by its tid at the checkpoint. */
int32_t threads_new_tid(int32_t old)
{
	int n = recs_restored();

	if (old == recs[0].tid)
		return (int32_t)sys_gettid();
	for (int i = 1; i < n; i++)
		if (recs[i].tid == old)
			return recs[i].new_tid;
	return 0;
}

static int threads_capture(struct image_writer *w, const struct capture *c)
{
	(void)c;
	image_section_begin(w, CKPT_SEC_THREADS);
	for (int i = 0; i < nrecs; i++) {
		struct ckpt_thread t = {
			.tid = recs[i].tid,
			.fs_base = recs[i].fs_base,
			.context_addr = (uint64_t)(uintptr_t)(i ? &recs[i].ctx
								 : &ckpt_context),
		};

		memcpy(t.comm, recs[i].comm, sizeof(t.comm));
		image_section_write(w, &t, sizeof(t));
	}
	image_section_end(w, (uint64_t)nrecs);
	return w->err;
}

const struct ckpt_module ckpt_module_threads = {
	.name = "threads",
	.capture = threads_capture,
	.restore = threads_restore,
};
