/*
 * Files and directories of the process's own /proc/PID (opened as
 * /proc/self/..., /proc/thread-self/... or /proc/PID/...; the kernel shows
 * them all as /proc/PID/...).  The old pid is gone after a resume, or is
 * another process's: they are reopened under the new pid, a
 * /proc/PID/task/TID path under the thread's new tid where ckpt knows it
 * (the main thread's), and put at their old offset where the file allows
 * seeking (a seq_file such as maps or status reads again from its start up
 * to it).  What they read is the new process's.
 */
#include <errno.h>

#include "core.h"
#include "fdkinds.h"
#include "str.h"
#include "sys.h"

/* The number at *p, and *p past it; 0 when there is none. */
static uint64_t number_at(const char **p)
{
	const char *end = *p + 20;
	uint64_t v = 0;

	if (str_parse_u64(p, end, 10, &v))
		return 0;
	return v;
}

/* "/proc/PID" with PID ours, followed by '/' or the end. */
static int match_procself(int fd, const struct stat *st, const char *path)
{
	const char *p = path + 6;
	uint64_t pid;

	(void)fd;
	if (!(S_ISREG(st->st_mode) || S_ISDIR(st->st_mode)) ||
	    !str_starts(path, "/proc/"))
		return 0;
	pid = number_at(&p);
	return pid && pid == (uint64_t)sys_getpid() && (*p == '/' || !*p);
}

/* The saved path with the new pid (and tid) into out. */
static int path_rewrite(const char *path, char *out, size_t size)
{
	const char *p = path + 6;
	char *o = out, *end = out + size;
	uint64_t old_pid = number_at(&p), tid;
	int32_t new_tid;

	if (!str_starts(path, "/proc/") || !old_pid)
		return -ENOENT;
	o = str_add(o, end, "/proc/");
	o = str_add_u64(o, end, (uint64_t)sys_getpid());
	if (str_starts(p, "/task/")) {
		o = str_add(o, end, "/task/");
		p += 6;
		tid = number_at(&p);
		new_tid = tid == old_pid ? (int32_t)sys_gettid()
					 : threads_new_tid((int32_t)tid);
		if (!tid || new_tid <= 0)
			return -ENOENT;
		o = str_add_u64(o, end, (uint64_t)new_tid);
	}
	o = str_add(o, end, p);
	return o + 1 < end ? 0 : -ENAMETOOLONG;
}

static long procself_open(struct fd_restore *x, uint32_t i, const char *path)
{
	const struct ckpt_fd *f = &x->fds[i];
	char now[CKPT_PATH_MAX];
	long fd;
	int rc = path_rewrite(path, now, sizeof(now));

	if (rc)
		return rc;
	fd = sys_open(now, fd_reopen_flags(f), 0);
	/* Some /proc files do not seek (the offset means nothing there):
	 * they are read from their start. */
	if (fd >= 0 && f->pos)
		sys_lseek((int)fd, (int64_t)f->pos, 0);
	return fd;
}

const struct fd_kind_ops fd_ops_procself = {
	.kind = CKPT_FD_PROCSELF,
	.match = match_procself,
	.open = procself_open,
};
