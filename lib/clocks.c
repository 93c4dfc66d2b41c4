/*
 * POSIX CPU-time clocks.  clock_getcpuclockid and pthread_getcpuclockid
 * encode a pid or a tid in the clock id; after a resume they name a
 * process or thread that is gone, and the kernel answers EINVAL.  The
 * clock calls are interposed and such ids translated to the process's or
 * thread's new ids.  The process's CPU time carries on from its value at
 * the checkpoint instead of starting again from zero.
 *
 * Left as they are: a thread's CPU time (it starts again from zero in the
 * new thread), clock(), times() and getrusage(), and the id of a thread's
 * clock not used between two resumes (its translation is learnt at its
 * first use after a resume, then carried forward).
 */
#include <errno.h>
#include <time.h>

#include "core.h"
#include "sys.h"

#define CPUCLOCK_PERTHREAD 4
#define CPUCLOCK_FD 3
#define PIDS_MAX 16
#define TIDS_MAX 64

/* Every pid this program had before; restored with its memory. */
static int32_t former_pids[PIDS_MAX];
static int nformer;
static int32_t pid_at_checkpoint;
static int64_t cpu_at_checkpoint, cpu_offset;
/* Thread clock ids in use: the tid they name, and that thread's tid now;
 * carried forward at each resume. */
static struct {
	int32_t named, now;
} tids[TIDS_MAX];
static int ntids;

static int32_t thread_now(int32_t named)
{
	int32_t now;

	for (int i = 0; i < ntids; i++)
		if (tids[i].named == named)
			return tids[i].now;
	now = threads_new_tid(named);
	if (now && now != named && ntids < TIDS_MAX) {
		tids[ntids].named = named;
		tids[ntids++].now = now;
	}
	return now;
}

static int64_t cpu_ns(clockid_t clock)
{
	struct timespec ts = { 0 };

	if (sys_clock_gettime(clock, &ts) < 0)
		return 0;
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int former(int32_t pid)
{
	for (int i = 0; i < nformer; i++)
		if (former_pids[i] == pid)
			return 1;
	return 0;
}

/* The clock as this process knows it now; *process says whether it is the
 * process's own CPU-time clock, whose time carries an offset. */
static clockid_t clock_now(clockid_t clock, int *process)
{
	int32_t id = (int32_t)~(clock >> 3);

	*process = clock == CLOCK_PROCESS_CPUTIME_ID;
	if (clock >= 0 || (clock & 7) == CPUCLOCK_FD || !id)
		return clock;
	if (clock & CPUCLOCK_PERTHREAD) {
		int32_t now = thread_now(id);

		return now ? (~(clockid_t)now << 3) | (clock & 7) : clock;
	}
	if (!former(id))
		return clock;
	*process = 1;
	return (~(clockid_t)sys_getpid() << 3) | (clock & 7);
}

CKPT_EXPORT int clock_gettime(clockid_t clock, struct timespec *ts)
{
	int process, rc;
	int64_t ns;

	REAL(clock_gettime);
	clock = clock_now(clock, &process);
	rc = real_clock_gettime(clock, ts);
	if (rc || !process || !cpu_offset)
		return rc;
	ns = (int64_t)ts->tv_sec * 1000000000 + ts->tv_nsec + cpu_offset;
	ts->tv_sec = ns / 1000000000;
	ts->tv_nsec = ns % 1000000000;
	return 0;
}

CKPT_EXPORT int clock_getres(clockid_t clock, struct timespec *res)
{
	int process;

	REAL(clock_getres);
	return real_clock_getres(clock_now(clock, &process), res);
}

clockid_t clocks_translate(clockid_t clock)
{
	int process;

	return clock_now(clock, &process);
}

static int clocks_capture(struct image_writer *state, const struct capture *c)
{
	(void)state;
	(void)c;
	pid_at_checkpoint = (int32_t)sys_getpid();
	cpu_at_checkpoint = cpu_ns(CLOCK_PROCESS_CPUTIME_ID) + cpu_offset;
	return 0;
}

/* After the threads' restore: threads_new_tid knows the new tids. */
static int clocks_restore(struct image_reader *r)
{
	(void)r;
	if (!former(pid_at_checkpoint)) {
		if (nformer == PIDS_MAX)
			nformer--; /* the oldest pids make way */
		for (int i = nformer; i > 0; i--)
			former_pids[i] = former_pids[i - 1];
		former_pids[0] = pid_at_checkpoint;
		nformer++;
	}
	for (int i = 0; i < ntids; i++) {
		int32_t now = threads_new_tid(tids[i].now);

		tids[i].now = now ? now : tids[i].now;
	}
	cpu_offset = cpu_at_checkpoint - cpu_ns(CLOCK_PROCESS_CPUTIME_ID);
	return 0;
}

const struct ckpt_module ckpt_module_clocks = {
	.name = "clocks",
	.capture = clocks_capture,
	.restore = clocks_restore,
};
