/*
 * The forked writer (writer.h).  Its result comes back through the page
 * of ckpt's range that stays shared across the fork (core.c).
 */
#include "writer.h"

#include <errno.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "core.h"
#include "fault.h"
#include "procfs.h"
#include "str.h"
#include "sys.h"

enum { WRITER_RUNNING = 1, WRITER_DONE = 2 };

struct writer_status {
	volatile int state;
	int rc;
	uint64_t end_ns;
	volatile uint64_t progress; /* bytes of image written */
};

#define STATUS ((struct writer_status *)CKPT_STATUS_ADDR)
#define WCLONE_ 0x80000000

static volatile int writer_pid;
static int last_pid; /* for the exit notice, which may come after a reap */

/* The program comes first: the writer (and its helpers, which inherit
 * it) runs 5 nice levels below it, a third of a program thread's share of
 * a busy core.  Not lower: a program busy on every core would starve it
 * (at 10 levels, the image of 64 busy threads took 0.94 s instead of
 * 0.53 s), and the copies copy-on-write makes last as long as the write. */
static void writer_yield(void)
{
	long nice = 20 - sys_getpriority(PRIO_PROCESS, 0);

	sys_setpriority(PRIO_PROCESS, 0, (int)(nice + 5 > 19 ? 19 : nice + 5));
}

static __attribute__((noreturn)) void writer_main(int (*job)(void))
{
	int rc;

	/* Not one of the program's descriptors stays open in the writer: a
	 * pipe the program closes must reach end-of-file, a lock it drops
	 * must go.  Standard error stays, for ckpt's messages. */
	sys_close(0);
	sys_close(1);
	sys_call3(__NR_close_range, 3, ~0u, 0);
	sys_prctl(PR_SET_NAME, (unsigned long)"ckpt-writer", 0, 0, 0);
	writer_yield();
	ckpt_fault.victim = (int)sys_getppid();
	image_write_progress = &STATUS->progress;
	rc = job();
	STATUS->rc = rc;
	STATUS->end_ns = ckpt_monotonic_ns();
	__atomic_store_n(&STATUS->state, WRITER_DONE, __ATOMIC_RELEASE);
	sys_exit_group(0);
}

int writer_start(int (*job)(void))
{
	long pid;

	STATUS->state = WRITER_RUNNING;
	STATUS->rc = -EINTR;
	STATUS->progress = 0;
	/* fork(), but raw, and with the checkpoint signal for SIGCHLD. */
	pid = sys_call5(__NR_clone, ckpt_cfg.signal, 0, 0, 0, 0);
	if (pid == 0)
		writer_main(job);
	if (pid < 0)
		return (int)pid;
	last_pid = (int)pid;
	writer_pid = (int)pid;
	return 0;
}

int writer_running(void) { return writer_pid != 0; }

/* When and at what count the writer's progress was last seen to move. */
static struct {
	int pid;
	uint64_t progress, at_ns;
} watch;

int writer_stalled(uint64_t timeout_ns, char *wchan, size_t size)
{
	uint64_t now = ckpt_monotonic_ns(), p = STATUS->progress;
	int pid = writer_pid;
	char path[48];
	long n;

	if (!pid || !timeout_ns)
		return 0;
	if (watch.pid != pid || watch.progress != p) {
		watch.pid = pid;
		watch.progress = p;
		watch.at_ns = now;
		return 0;
	}
	if (now - watch.at_ns < timeout_ns)
		return 0;
	str_add(proc_path_n(path, sizeof(path), "/proc/", (uint64_t)pid),
		path + sizeof(path), "/wchan");
	n = proc_read_file(path, wchan, size - 1);
	wchan[n > 0 ? n : 0] = 0;
	sys_kill(pid, SIGKILL);
	watch.pid = 0;
	return 1;
}

int writer_notice(const siginfo_t *si)
{
	return si->si_code >= CLD_EXITED && si->si_code <= CLD_CONTINUED &&
	       last_pid && si->si_pid == last_pid;
}

int writer_reap(struct writer_result *out)
{
	int pid = writer_pid, status = 0;
	long rc;

	if (!pid)
		return 0;
	do
		rc = sys_call4(__NR_wait4, pid, (long)&status,
			       WCLONE_ | WNOHANG, 0);
	while (rc == -EINTR);
	/* 0: running.  -ECHILD: reaped by someone else, the program's own
	 * wait with __WALL: it has ended all the same. */
	if (rc != pid && rc != -ECHILD)
		return 0;
	if (!__sync_bool_compare_and_swap(&writer_pid, pid, 0))
		return 0; /* another thread settles it */
	out->pid = pid;
	out->signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
	if (__atomic_load_n(&STATUS->state, __ATOMIC_ACQUIRE) == WRITER_DONE) {
		out->rc = STATUS->rc;
		out->end_ns = STATUS->end_ns;
	} else {
		out->rc = -EINTR;
		out->end_ns = ckpt_monotonic_ns();
	}
	return 1;
}
