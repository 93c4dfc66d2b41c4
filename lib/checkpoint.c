/*
 * The checkpoint core: the signal handler, the image writing sequence and
 * the restore sequence that runs in the resumed process.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <time.h>

#include "core.h"
#include "fault.h"
#include "journal.h"
#include "procfs.h"
#include "str.h"
#include "sys.h"

struct ckpt_config ckpt_cfg;
struct ckpt_restore_info ckpt_restore_info;
ucontext_t ckpt_context;

/* Order matters at restore: the working directory comes before the files,
 * signal dispositions after them, resource limits last. */
static const struct ckpt_module *const modules[] = {
	&ckpt_module_proc,
	&ckpt_module_memory,
	&ckpt_module_files,
	&ckpt_module_threads,
	&ckpt_module_timers,
	&ckpt_module_signals,
	&ckpt_module_limits,
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
static uint64_t ckpt_generation;
static size_t arena_used;

void *arena_alloc(size_t size)
{
	char *p = (char *)CKPT_ARENA_START + arena_used;

	/* Compared before rounding, which could wrap; the arena's size and
	 * use stay multiples of 64, so the rounded size fits too. */
	if (size > CKPT_ARENA_SIZE - arena_used)
		return NULL;
	size = (size + 63) & ~(size_t)63;
	arena_used += size;
	return p;
}

void arena_reset(void) { arena_used = 0; }

/* Nothing in the arena outlives a checkpoint or a resume: its pages go
 * back to the kernel, or the most it ever held (the maps text, output
 * files' contents, the write buffer) would stay in the program's RSS. */
static void arena_release(void)
{
	sys_madvise((void *)CKPT_ARENA_START, arena_used, MADV_DONTNEED);
	arena_reset();
}

int range_map(int fixed_replace)
{
	int how = fixed_replace ? MAP_FIXED : MAP_FIXED_NOREPLACE;
	long rc;

	rc = sys_mmap((void *)CKPT_RANGE_START, CKPT_BOOT_SIZE, PROT_NONE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | how, -1, 0);
	if (rc != (long)CKPT_RANGE_START)
		return rc < 0 ? (int)rc : -EEXIST;
	rc = sys_mmap((void *)CKPT_ARENA_START, CKPT_ARENA_SIZE,
		      PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | how, -1, 0);
	if (rc != (long)CKPT_ARENA_START)
		return rc < 0 ? (int)rc : -EEXIST;
	return 0;
}

uint64_t ckpt_monotonic_ns(void)
{
	struct timespec ts = { 0 };

	sys_clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

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

static int write_image(int fd, const struct capture *c)
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
	if (ckpt_cfg.compress_level)
		w.hdr.flags |= CKPT_HDR_COMPRESSED;
	for (size_t i = 0; i < NMODULES && !rc; i++)
		if (modules[i]->save)
			rc = modules[i]->save(&w, c);
	if (!rc)
		rc = image_writer_finish(&w);
	return rc ? rc : (int)fsync_image(fd);
}

/* Figures of the last checkpoint, for CKPT_VERBOSE and the benchmarks. */
static struct {
	uint64_t stop_ns, write_ns;
	int threads;
} last;

static void report_written(void)
{
	char gen[24], thr[16], stop[24], wr[24];

	str_add_u64(gen, gen + sizeof(gen), ckpt_generation);
	str_add_u64(thr, thr + sizeof(thr), (uint64_t)last.threads);
	str_add_u64(stop, stop + sizeof(stop), last.stop_ns / 1000);
	str_add_u64(wr, wr + sizeof(wr), last.write_ns / 1000000);
	say(2, "checkpoint ", gen, " written to ", ckpt_cfg.image, " (",
	    thr, last.threads == 1 ? " thread" : " threads", " stopped in ",
	    stop, " us, written in ", wr, " ms)");
}

/* What the last checkpoint request came to, for ckpt_checkpoint(): 0
 * written, -1 failed, 1 in a resumed process. */
static volatile int checkpoint_outcome;

static void report_failed(long rc)
{
	say(2, "checkpoint to ", ckpt_cfg.image, " failed: ",
	    rc < -4096 ? image_strerror((int)rc) : errno_text(rc),
	    "; the previous image is kept", NULL);
}

static void checkpoint_run(uint64_t blocked)
{
	struct capture c = { .blocked = blocked };
	uint64_t start = ckpt_monotonic_ns(), pending = 0;
	long fd, rc;

	arena_reset();
	fault_checkpoint_begin();
	ckpt_generation++;
	checkpoint_outcome = -1;
	mono_at_checkpoint = ckpt_monotonic_ns();
	sys_rt_sigpending(&pending);
	sys_unlink(ckpt_cfg.tmp);
	fd = open_tmp();
	if (fd < 0) {
		rc = fd;
		goto fail;
	}
	c.image_fd = (int)fd;
	rc = read_maps(&c);
	if (!rc)
		rc = write_image((int)fd, &c);
	sys_close((int)fd);
	if (!rc)
		rc = rename_image();
	if (rc) {
		sys_unlink(ckpt_cfg.tmp);
		goto fail;
	}
	rc = dir_sync();
	if (rc)
		say(2, "checkpoint written to ", ckpt_cfg.image, ", but syncing its "
		    "directory failed: ", errno_text(rc), "; after a crash of the "
		    "machine the previous image may be the one found", NULL);
	journal_reset();
	checkpoint_outcome = 0;
	last.write_ns = ckpt_monotonic_ns() - start;
	if (ckpt_cfg.verbose)
		report_written();
	return;
fail:
	ckpt_generation--;
	if (rc == -EFBIG)
		sigxfsz_take_back(pending);
	report_failed(rc);
}

/* The period counts from the end of the previous checkpoint, so a program
 * whose image takes longer to write than the period still runs between two
 * checkpoints. */
static int timer_arm(void)
{
	struct itimerspec its = { 0 };

	if (ckpt_timer_id < 0)
		return 0;
	its.it_value.tv_sec = (time_t)(ckpt_cfg.period_ns / 1000000000u);
	its.it_value.tv_nsec = (long)(ckpt_cfg.period_ns % 1000000000u);
	return (int)sys_timer_settime(ckpt_timer_id, 0, &its, NULL);
}

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

static void ckpt_handler(int sig, siginfo_t *si, void *ucv)
{
	const ucontext_t *uc = ucv;
	int saved_errno = errno;
	uint64_t blocked;

	(void)sig;
	if (!ckpt_active || (threads_stale_request(si) && !api_request))
		return;
	api_request = 0;
	ckpt_tls_checkpoints++;
	if (!threads_claim_coordinator()) {
		threads_participant();
		errno = saved_errno;
		return;
	}
	__builtin_memcpy(&blocked, &uc->uc_sigmask, sizeof(blocked));
	threads_coordinator_begin();
	/* Both ways out of getcontext run here: right after the call, and
	 * again in the resumed process when the bootstrap jumps back into
	 * ckpt_context with ckpt_restore_info.restored set. */
	getcontext(&ckpt_context);
	if (ckpt_restore_info.restored) {
		restore_run();
	} else {
		uint64_t start = ckpt_monotonic_ns();
		int stopped = threads_stop_others();

		last.stop_ns = ckpt_monotonic_ns() - start;
		last.threads = stopped + 1;
		if (stopped < 0)
			say(2, "checkpoint skipped: cannot stop the other threads: ",
			    stopped == -E2BIG ? "more than 4096 threads"
					      : errno_text(stopped));
		else
			checkpoint_run(blocked);
	}
	arena_release();
	threads_release();
	timer_arm();
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

/* ckpt_checkpoint(): the signal raised right here, handled before raise()
 * returns, in this thread. */
int checkpoint_request(void)
{
	checkpoint_outcome = -1;
	api_request = 1;
	if (sys_tgkill((int)sys_getpid(), (int)sys_gettid(), ckpt_cfg.signal))
		return -1;
	api_request = 0;
	return checkpoint_outcome;
}

void ckpt_activate(void) { ckpt_active = 1; }
void ckpt_deactivate(void) { ckpt_active = 0; }
int ckpt_is_active(void) { return ckpt_active; }
