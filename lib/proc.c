/*
 * Process state: registers and FS base, the mm layout the kernel keeps
 * (code, data, brk, stack, argv/env, auxv), the vDSO location, cwd, umask,
 * and glibc's per-thread bookkeeping that must follow the new thread id.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core.h"
#include "journal.h"
#include "procfs.h"
#include "str.h"
#include "sys.h"

#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003
#define ARCH_GET_GS 0x1004

/* Where glibc keeps this thread's tid inside struct pthread, found at load
 * time by looking for gettid() there: glibc's layout is private. */
static long tid_offset = -1;

void proc_init(void)
{
	const int *self = (const int *)pthread_self();
	int tid = (int)sys_gettid();

	for (long i = 0; i < 1024; i++) {
		if (self[i] == tid) {
			tid_offset = i * (long)sizeof(int);
			break;
		}
	}
	threads_init(tid_offset);
}

static int mm_fields(struct ckpt_proc *p)
{
	static const int fields[] = { 26, 27, 45, 46, 47, 28, 48, 49, 50, 51 };
	uint64_t *out[] = { &p->start_code, &p->end_code, &p->start_data,
			    &p->end_data,   &p->start_brk, &p->start_stack,
			    &p->arg_start,  &p->arg_end,   &p->env_start,
			    &p->env_end };
	char buf[2048];
	long n = proc_read_file("/proc/thread-self/stat", buf, sizeof(buf));

	if (n < 0)
		return (int)n;
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (stat_field(buf, (size_t)n, fields[i], out[i]))
			return -EINVAL;
	p->brk = (uint64_t)sys_brk(0);
	return 0;
}

static int auxv_read(struct ckpt_proc *p)
{
	long n = proc_read_file("/proc/thread-self/auxv", (char *)p->auxv,
				sizeof(p->auxv));

	if (n < 0)
		return (int)n;
	p->auxv_words = (uint32_t)((size_t)n / sizeof(uint64_t));
	return 0;
}

static int proc_capture(struct image_writer *w, const struct capture *c)
{
	struct ckpt_proc *p = arena_alloc(sizeof(*p));
	long n;
	int rc;

	if (!p)
		return -ENOMEM;
	memset(p, 0, sizeof(*p));
	p->pid = (uint32_t)sys_getpid();
	p->uid = (uint32_t)sys_getuid();
	p->gid = (uint32_t)sys_getgid();
	memcpy(p->journal_key, journal_key_get(), sizeof(p->journal_key));
	p->umask = (uint32_t)sys_umask(022);
	sys_umask((int)p->umask);
	sys_arch_prctl(ARCH_GET_FS, (unsigned long)&p->fs_base);
	sys_arch_prctl(ARCH_GET_GS, (unsigned long)&p->gs_base);
	p->context_addr = (uint64_t)&ckpt_context;
	p->restore_info_addr = (uint64_t)&ckpt_restore_info;
	p->hole_start = CKPT_RANGE_START;
	p->hole_end = CKPT_RANGE_START + CKPT_RANGE_SIZE;
	rc = mm_fields(p);
	if (!rc)
		rc = auxv_read(p);
	if (rc)
		return rc;
	vdso_areas_find(c->maps, c->maps_len, p->vdso);
	for (int i = 0; i < CKPT_RLIMITS; i++)
		sys_getrlimit(i, &p->rlimit[i]);
	p->nice = 20 - (int32_t)sys_getpriority(PRIO_PROCESS, 0);
	sys_prctl(PR_GET_NAME, (unsigned long)p->comm, 0, 0, 0);
	if (sys_getcwd(p->cwd, sizeof(p->cwd)) < 0)
		p->cwd[0] = 0;
	n = sys_readlink("/proc/thread-self/exe", p->exe, sizeof(p->exe) - 1);
	p->exe[n > 0 ? n : 0] = 0;
	image_section_begin(w, CKPT_SEC_PROC);
	image_section_write(w, p, sizeof(*p));
	image_section_end(w, 1);
	return w->err;
}

/* Limits and priority come back where the user may set them; lowering
 * the nice value or raising a hard limit needs privilege, and is reported. */
static void attrs_restore(const struct ckpt_proc *p)
{
	for (int i = 0; i < CKPT_RLIMITS; i++) {
		struct { uint64_t cur, max; } now = { 0, 0 };

		sys_getrlimit(i, &now);
		if ((now.cur != p->rlimit[i].cur || now.max != p->rlimit[i].max) &&
		    sys_setrlimit(i, &p->rlimit[i]) < 0) {
			char num[8];

			str_add_u64(num, num + sizeof(num), (uint64_t)i);
			say(2, "warning: resource limit ", num, " cannot be set "
			       "back as it was (the hard limit is lower here)");
		}
	}
	if (20 - sys_getpriority(PRIO_PROCESS, 0) != p->nice &&
	    sys_setpriority(PRIO_PROCESS, 0, p->nice) < 0)
		say(2, "warning: the nice value cannot be lowered back without "
		       "privilege; the program runs at the resuming shell's");
	sys_prctl(PR_SET_NAME, (unsigned long)p->comm, 0, 0, 0);
}

/* PROC into arena memory, whole and consistent: a shorter section would
 * leave fields unwritten, and its strings must end inside their arrays. */
static int proc_read(struct image_reader *r, struct ckpt_proc **out)
{
	struct ckpt_proc *p = arena_alloc(sizeof(*p));
	const struct ckpt_section *s;
	int rc;

	if (!p)
		return -ENOMEM;
	rc = image_read_section(r, CKPT_SEC_PROC, p, sizeof(*p), &s);
	if (!rc && s->size != sizeof(*p))
		rc = IMAGE_EMALFORMED;
	if (!rc)
		rc = image_proc_check(p);
	*out = p;
	return rc;
}

static int proc_restore(struct image_reader *r)
{
	struct ckpt_proc *p;
	int rc = proc_read(r, &p);

	if (rc)
		return rc;
	sys_umask((int)p->umask);
	if (p->cwd[0] && sys_chdir(p->cwd) < 0)
		say(2, "warning: cannot return to the working directory ",
		    p->cwd);
	return 0;
}

const struct ckpt_module ckpt_module_proc = {
	.name = "proc",
	.capture = proc_capture,
	.restore = proc_restore,
};

/* Limits come back last: a lowered RLIMIT_NOFILE must not stand in the way
 * of the other modules' descriptors. */
static int limits_restore(struct image_reader *r)
{
	struct ckpt_proc *p;
	int rc = proc_read(r, &p);

	if (!rc)
		attrs_restore(p);
	return rc;
}

const struct ckpt_module ckpt_module_limits = {
	.name = "limits",
	.restore = limits_restore,
};
