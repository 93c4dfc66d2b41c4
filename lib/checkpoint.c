/*
 * The checkpoint core: the signal handler, the image writing sequence and
 * the restore sequence that runs in the resumed process.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <time.h>

#include "chain.h"
#include "core.h"
#include "fault.h"
#include "journal.h"
#include "procfs.h"
#include "str.h"
#include "sys.h"
#include "undo.h"
#include "writer.h"
#include "written.h"

/* Order matters at restore: the working directory comes before the files,
 * in-place writes are undone before the files' sizes are put back, signal
 * dispositions after them, resource limits last.  At capture, undo starts
 * its new interval after the memory map is taken (its bitmaps lose their
 * bits, not their mappings) and before the files module notes the files;
 * the written pages are scanned after every other capture. */
static const struct ckpt_module *const modules[] = {
	&ckpt_module_proc,
	&ckpt_module_ipc, /* before memory, which leaves it the job's segments */
	&ckpt_module_memory,
	&ckpt_module_undo,
	&ckpt_module_files,
	&ckpt_module_threads,
	&ckpt_module_clocks,
	&ckpt_module_timers,
	&ckpt_module_signals,
	&ckpt_module_limits,
	&ckpt_module_written, /* last: the pages written in the pause too */
};
#define NMODULES (sizeof(modules) / sizeof(modules[0]))

__thread unsigned ckpt_tls_checkpoints
	__attribute__((tls_model("initial-exec")));
int64_t ckpt_clock_shift_ns;
static uint64_t mono_at_checkpoint;

static int ckpt_active;
/* A checkpoint signal this thread sends itself through the API, told apart
 * from the stale thread-directed requests threads.c drops. */
static __thread int api_request __attribute__((tls_model("initial-exec")));
static int ckpt_timer_id = -1;

/* The sections modules captured in the pause: the whole of the program's
 * state but its pages, which may be large (output files' contents). */
#define STATE_MAX (160u << 20)
static struct image_writer state;

/* /proc/thread-self, not /proc/self: once the thread group leader has
 * exited (it may be any thread after a resume), /proc/PID shows no memory
 * and no descriptors. */
static long read_maps(struct capture *c)
{
	size_t size = 1 << 20;

	for (;;) {
		char *buf = arena_alloc(size);
		long n;

		if (!buf)
			return -ENOMEM;
		n = proc_read_file("/proc/thread-self/maps", buf, size);
		if (n < 0)
			return n;
		if ((size_t)n + 1 < size) {
			c->maps = buf;
			c->maps_len = (size_t)n;
			return 0;
		}
		size *= 4;
	}
}

/* The rename is durable only once the directory is synced. */
static long dir_sync(void)
{
	long fd = sys_open(ckpt_cfg.dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
	long rc;

	if (fd < 0)
		return fd;
	rc = fault_inject(FAULT_DIRSYNC);
	if (!rc)
		rc = sys_fsync((int)fd);
	sys_close((int)fd);
	return rc;
}

static long fsync_image(int fd)
{
	long rc = fault_inject(FAULT_FSYNC);

	return rc ? rc : sys_fsync(fd);
}

static long open_tmp(void)
{
	long rc = fault_inject(FAULT_OPEN);

	if (rc)
		return rc;
	/* A name nobody can have planted: O_EXCL never follows a symlink. */
	return sys_open(ckpt_cfg.tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
					      O_CLOEXEC, 0600);
}

static long rename_image(void)
{
	long rc = fault_inject(FAULT_RENAME);

	return rc ? rc : sys_rename(ckpt_cfg.tmp, ckpt_cfg.image);
}

/*
 * A write past RLIMIT_FSIZE fails with EFBIG and raises SIGXFSZ, whose
 * default action kills the program; the signal is blocked in the handler
 * and would be delivered at its return.  Take it back unless the program
 * had one pending already.
 */
static void sigxfsz_take_back(uint64_t pending_before)
{
	uint64_t set = 1ull << (SIGXFSZ - 1);
	struct timespec zero = { 0, 0 };
	siginfo_t info;

	if (!(pending_before & set))
		sys_rt_sigtimedwait(&set, &info, &zero);
}

/* A lock on IMAGE.tmp while it is written, so that ckpt-resume can wait
 * for a writer still at work instead of taking the previous image. */
static long tmp_lock(int fd)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };

	return sys_fcntl(fd, F_OFD_SETLK, (long)&fl);
}

static int capture_all(uint64_t blocked)
{
	struct capture c = { .blocked = blocked };
	char *buf;
	int rc;

	undo_maps_release(); /* the image records the program's protections */
	rc = read_maps(&c);

	buf = arena_alloc(STATE_MAX);
	if (!rc && !buf)
		rc = -ENOMEM;
	if (rc)
		return rc;
	image_writer_init(&state, -1, buf, STATE_MAX);
	for (size_t i = 0; i < NMODULES && !rc; i++)
		if (modules[i]->capture)
			rc = modules[i]->capture(&state, &c);
	return rc ? rc : state.err;
}

static int emit_all(int fd)
{
	struct image_writer w;
	struct timespec now = { 0 };
	size_t bufsize = 1 << 20;
	char *buf = arena_alloc(bufsize);
	int rc = 0;

	if (!buf)
		return -ENOMEM;
	image_writer_init(&w, fd, buf, bufsize);
	sys_clock_gettime(CLOCK_REALTIME, &now);
	w.hdr.created_ns = (uint64_t)now.tv_sec * 1000000000u +
			   (uint64_t)now.tv_nsec;
	w.hdr.generation = ckpt_generation;
	image_sections_copy(&w, &state);
	for (size_t i = 0; i < NMODULES && !rc; i++)
		if (modules[i]->emit)
			rc = modules[i]->emit(&w);
	if (!rc)
		rc = image_writer_finish(&w);
	return rc ? rc : (int)fsync_image(fd);
}

/* The image from what was captured: IMAGE.tmp, fsync, rename over IMAGE,
 * fsync of the directory.  In place, or in the forked writer. */
static int image_commit(void)
{
	long fd, rc;

	sys_unlink(ckpt_cfg.tmp);
	fd = open_tmp();
	if (fd < 0)
		return (int)fd;
	rc = tmp_lock((int)fd);
	if (!rc)
		rc = emit_all((int)fd);
	if (!rc)
		rc = rename_image();
	sys_close((int)fd); /* after the rename: a waiter then finds IMAGE */
	if (rc) {
		sys_unlink(ckpt_cfg.tmp);
		chain_end(0, 0);
		return (int)rc;
	}
	rc = dir_sync();
	chain_end(1, rc == 0);
	if (rc)
		say(2, "checkpoint written to ", ckpt_cfg.image, ", but syncing its "
		    "directory failed: ", errno_text(rc), "; after a crash of the "
		    "machine the previous image may be the one found", NULL);
	else
		undo_image_written();
	return 0;
}

/* Figures of the last checkpoint, for CKPT_VERBOSE and the benchmarks. */
static struct {
	uint64_t start_ns, stop_ns, pause_ns;
	uint64_t pending; /* signals pending before it */
	int threads;
} last;

/* ", a full image of 1.2 MiB" or ", an incremental image of ...", from
 * the image itself: in a forked writer, only it knew which it wrote. */
static char *image_kind(char *p, char *end)
{
	struct ckpt_header h;
	long fd = sys_open(ckpt_cfg.image, O_RDONLY | O_NOFOLLOW | O_CLOEXEC, 0);
	long n = fd < 0 ? -1 : sys_pread((int)fd, &h, sizeof(h), 0);

	if (fd >= 0)
		sys_close((int)fd);
	if (n != (long)sizeof(h))
		return p;
	p = str_add(p, end, h.parent_generation ? ", an incremental image of "
						: ", a full image of ");
	p = str_add_u64(p, end, h.file_size >> 20);
	p = str_add(p, end, ".");
	p = str_add_u64(p, end, ((h.file_size & 0xfffff) * 10) >> 20);
	return str_add(p, end, " MiB");
}

static void report_written(uint64_t end_ns)
{
	char gen[24], thr[16], stop[24], pause[24], wr[24], kind[64];

	str_add_u64(gen, gen + sizeof(gen), ckpt_generation);
	str_add_u64(thr, thr + sizeof(thr), (uint64_t)last.threads);
	str_add_u64(stop, stop + sizeof(stop), last.stop_ns / 1000);
	str_add_u64(pause, pause + sizeof(pause), last.pause_ns / 1000);
	str_add_u64(wr, wr + sizeof(wr), (end_ns - last.start_ns) / 1000000);
	*image_kind(kind, kind + sizeof(kind) - 1) = 0;
	say(2, "checkpoint ", gen, " written to ", ckpt_cfg.image, " (",
	    thr, last.threads == 1 ? " thread" : " threads", " stopped in ",
	    stop, " us, paused ", pause, " us, written in ", wr, " ms", kind,
	    ")");
}

/* The running writer was killed for a stall (writer_watch). */
static int writer_abandoned;

/* What the last checkpoint request came to, for ckpt_checkpoint(): 0
 * written, -1 failed, 1 in a resumed process. */
static volatile int checkpoint_outcome;

static void report_writer_lost(const char *gen, const struct writer_result *wr)
{
	char pid[16], sig[16];

	str_add_u64(pid, pid + sizeof(pid), (uint64_t)wr->pid);
	str_add_u64(sig, sig + sizeof(sig), (uint64_t)wr->signal);
	say(2, "checkpoint ", gen, " to ", ckpt_cfg.image, " failed: its writer "
	    "(pid ", pid, wr->signal ? ") was killed by signal " : ") ended",
	    wr->signal ? sig : "", " before it finished; the previous image "
	    "is kept", NULL);
}

static void report_failed(long rc, const struct writer_result *wr)
{
	char gen[24];

	if (wr && writer_abandoned) { /* said so already */
		writer_abandoned = 0;
		return;
	}
	str_add_u64(gen, gen + sizeof(gen), ckpt_generation);
	if (wr && rc == -EINTR) {
		report_writer_lost(gen, wr);
		return;
	}
	say(2, "checkpoint ", gen, " to ", ckpt_cfg.image, " failed: ",
	    rc < -4096 ? image_strerror((int)rc) : errno_text(rc),
	    "; the previous image is kept", NULL);
}

/* A checkpoint has ended, written or not. */
static void checkpoint_settle(long rc, uint64_t end_ns,
			      const struct writer_result *wr)
{
	if (rc) {
		/* The generation is not taken again: the journal's marker of
		 * this one may be written already (journal.c). */
		report_failed(rc, wr);
		checkpoint_outcome = -1;
		return;
	}
	checkpoint_outcome = 0;
	undo_image_done(ckpt_generation);
	written_image_done(ckpt_generation);
	if (ckpt_cfg.verbose)
		report_written(end_ns);
}

static int timer_arm(void);
static int timer_arm_in(uint64_t ns);

/* A writer that made no progress for CKPT_TIMEOUT is killed, and its
 * checkpoint given up on, in a line that says where it waited. */
static void writer_watch(void)
{
	char gen[24], ms[24], wchan[64];

	if (!writer_stalled(ckpt_cfg.timeout_ns, wchan, sizeof(wchan)))
		return;
	writer_abandoned = 1;
	str_add_u64(gen, gen + sizeof(gen), ckpt_generation);
	str_add_u64(ms, ms + sizeof(ms), ckpt_cfg.timeout_ns / 1000000u);
	say(2, "checkpoint ", gen, " abandoned: its writer wrote nothing to ",
	    ckpt_cfg.tmp, " for ", ms, " ms (it waits in the kernel in ",
	    *wchan ? wchan : "?", "); it is killed, the program goes on, and "
	    "the previous image is kept (CKPT_TIMEOUT sets the bound)", NULL);
}

/* A writer that has ended settles its checkpoint; the period counts from
 * there.  With wait, until it has, watched for a stall. */
static int writer_collect(int wait)
{
	struct writer_result wr;
	struct { int64_t s, ns; } nap = { 0, 50000 };

	while (!writer_reap(&wr)) {
		if (!wait || !writer_running())
			return 0;
		writer_watch();
		sys_call2(__NR_nanosleep, SYS_L(&nap), 0);
		nap.ns = nap.ns < 5000000 ? nap.ns * 2 : nap.ns;
	}
	checkpoint_settle(wr.rc, wr.end_ns, &wr);
	timer_arm();
	return 1;
}

static void checkpoint_run(uint64_t blocked)
{
	long rc;

	arena_reset();
	fault_checkpoint_begin();
	ckpt_generation++;
	mono_at_checkpoint = ckpt_monotonic_ns();
	sys_rt_sigpending(&last.pending);
	rc = capture_all(blocked);
	if (!rc && !ckpt_cfg.no_fork) {
		rc = writer_start(image_commit);
		if (!rc) {
			last.pause_ns = ckpt_monotonic_ns() - last.start_ns;
			return;
		}
		say(2, "cannot fork a writer (", errno_text(rc), "); this "
		    "checkpoint is written in place", NULL);
	}
	if (!rc)
		rc = image_commit();
	if (rc == -EFBIG)
		sigxfsz_take_back(last.pending);
	last.pause_ns = ckpt_monotonic_ns() - last.start_ns;
	checkpoint_settle(rc, ckpt_monotonic_ns(), NULL);
}

/* An API call waiting for a writer reaps it itself. */
static volatile int api_waiting;
/* Asked for while a writer ran: taken when it ends. */
static volatile int deferred_request;
static int defer_told;

/*
 * A checkpoint due while the previous one is still being written is never
 * stacked: the timer's is skipped (the period counts from the end of the
 * write), one asked for is deferred until the write ends.
 */
static int checkpoint_defer(const siginfo_t *si)
{
	int timer = si->si_code == SI_TIMER;

	if (!writer_running())
		return 0;
	writer_watch();
	if (!timer)
		deferred_request = 1;
	if (ckpt_cfg.verbose && !defer_told++)
		say(2, timer ? "checkpoint skipped" : "checkpoint deferred",
		    ": the previous one is still being written to ",
		    ckpt_cfg.image, NULL);
	/* Again a period on (or sooner, to watch a stall), should the
	 * writer's exit notice be lost (a standard signal merges with one
	 * already pending). */
	timer_arm_in(ckpt_cfg.timeout_ns &&
				     ckpt_cfg.timeout_ns / 2 < ckpt_cfg.period_ns
			     ? ckpt_cfg.timeout_ns / 2
			     : ckpt_cfg.period_ns);
	return 1;
}

/* The period counts from the end of the previous checkpoint, so a program
 * whose image takes longer to write than the period still runs between two
 * checkpoints. */
static int timer_arm_in(uint64_t ns)
{
	struct itimerspec its = { 0 };

	if (ckpt_timer_id < 0)
		return 0;
	its.it_value.tv_sec = (time_t)(ns / 1000000000u);
	its.it_value.tv_nsec = (long)(ns % 1000000000u);
	return (int)sys_timer_settime(ckpt_timer_id, 0, &its, NULL);
}

static int timer_arm(void) { return timer_arm_in(ckpt_cfg.period_ns); }

int timer_start(void)
{
	struct sigevent sev = { 0 };
	long rc;

	ckpt_timer_id = -1;
	if (!ckpt_cfg.period_ns)
		return 0;
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = ckpt_cfg.signal;
	rc = sys_timer_create(CLOCK_MONOTONIC, &sev, &ckpt_timer_id);
	if (rc < 0) {
		ckpt_timer_id = -1;
		return (int)rc;
	}
	return timer_arm();
}

static void restore_run(void)
{
	struct image_reader r;
	int rc;

	range_map(1);
	arena_reset();
	ckpt_clock_shift_ns += (int64_t)(ckpt_monotonic_ns() - mono_at_checkpoint);
	sys_unlink(ckpt_cfg.tmp); /* of a writer killed before this resume */
	rc = image_reader_open(&r, ckpt_restore_info.image_fd);
	if (!rc)
		written_restore(r.hdr.generation, ckpt_restore_info.uffd);
	for (size_t i = 0; i < NMODULES && !rc; i++)
		if (modules[i]->restore)
			rc = modules[i]->restore(&r);
	sys_close(ckpt_restore_info.image_fd);
	if (rc) {
		say(2, "resume failed: ",
		    rc < -4096 ? image_strerror(rc) : errno_text(rc));
		sys_exit_group(127);
	}
	rc = timer_start();
	if (rc)
		say(2, "cannot restart the checkpoint timer: ", errno_text(rc));
	if (ckpt_cfg.verbose)
		say(2, "resumed from ", ckpt_cfg.image);
	checkpoint_outcome = 1;
	ckpt_restore_info.restored = 0;
}

/* A stop given up on: the thread waited for, and where it waits. */
static void report_stuck(void)
{
	char tid[16], ms[24], wchan[64];
	int32_t t;

	threads_stuck(&t, wchan, sizeof(wchan));
	str_add_u64(tid, tid + sizeof(tid), (uint64_t)t);
	str_add_u64(ms, ms + sizeof(ms), ckpt_cfg.timeout_ns / 1000000u);
	say(2, "checkpoint abandoned: thread ", tid, " did not stop within ",
	    ms, " ms (it waits in the kernel in ", *wchan ? wchan : "?",
	    "; a vfork parent, a thread in uninterruptible sleep or one "
	    "stopped by a tracer cannot be stopped); the program goes on, "
	    "and the previous image is kept (CKPT_TIMEOUT sets the bound)",
	    NULL);
}

static void checkpoint_take(uint64_t blocked)
{
	int stopped;

	last.start_ns = ckpt_monotonic_ns();
	stopped = threads_stop_others();
	last.stop_ns = ckpt_monotonic_ns() - last.start_ns;
	last.threads = stopped + 1;
	if (stopped == -ETIMEDOUT)
		report_stuck();
	else if (stopped < 0)
		say(2, "checkpoint skipped: cannot stop the other threads: ",
		    stopped == -E2BIG ? "more than 4096 threads"
				      : errno_text(stopped));
	else
		checkpoint_run(blocked);
	mem_pause_over();
	ipc_pause_over();
}

/* Whether this signal starts a checkpoint round. */
static int checkpoint_wanted(const siginfo_t *si)
{
	if (!api_waiting)
		writer_collect(0);
	if (writer_notice(si)) {
		if (!deferred_request)
			return 0;
		deferred_request = 0;
		defer_told = 0;
		return !writer_running();
	}
	if (threads_stale_request(si) && !api_request)
		return 0;
	if (!api_request && checkpoint_defer(si))
		return 0;
	defer_told = 0;
	return 1;
}

static void ckpt_handler(int sig, siginfo_t *si, void *ucv)
{
	const ucontext_t *uc = ucv;
	int saved_errno = errno;
	uint64_t blocked;

	(void)sig;
	if (!ckpt_active)
		goto out;
	/* Every run of this handler may have cut a system call short, a
	 * writer's exit notice or a deferred request too: restart.c tells
	 * its EINTR from the program's own by this count. */
	ckpt_tls_checkpoints++;
	if (!checkpoint_wanted(si))
		goto out;
	api_request = 0;
	if (!threads_claim_coordinator()) {
		threads_participant();
		goto out;
	}
	__builtin_memcpy(&blocked, &uc->uc_sigmask, sizeof(blocked));
	threads_coordinator_begin();
	/* Both ways out of getcontext run here: right after the call, and
	 * again in the resumed process when the bootstrap jumps back into
	 * ckpt_context with ckpt_restore_info.restored set. */
	getcontext(&ckpt_context);
	if (ckpt_restore_info.restored)
		restore_run();
	else
		checkpoint_take(blocked);
	arena_release();
	threads_release();
	timer_arm();
out:
	errno = saved_errno;
}

int handler_install(void)
{
	struct sigaction sa = { 0 };

	sa.sa_sigaction = ckpt_handler;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigfillset(&sa.sa_mask);
	return ckpt_real_sigaction(ckpt_cfg.signal, &sa, NULL);
}

/* ckpt_checkpoint(): the signal raised right here, handled before tgkill
 * returns, in this thread. */
int checkpoint_request(void)
{
	int rc;

	/* The previous image is finished first, and this one before the
	 * call returns: ckpt_checkpoint() means "an image is on disk". */
	api_waiting = 1;
	writer_collect(1);
	checkpoint_outcome = -1;
	api_request = 1;
	rc = (int)sys_tgkill((int)sys_getpid(), (int)sys_gettid(),
			    ckpt_cfg.signal);
	api_request = 0;
	writer_collect(1);
	api_waiting = 0;
	return rc ? -1 : checkpoint_outcome;
}

void ckpt_activate(void) { ckpt_active = 1; }
void ckpt_deactivate(void) { ckpt_active = 0; }
int ckpt_is_active(void) { return ckpt_active; }
