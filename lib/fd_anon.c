/*
 * Anonymous-inode descriptors that hold a few numbers: eventfd (its count
 * and semaphore mode), timerfd (clock, time left and interval), signalfd
 * (its mask).  fdinfo says all of it; the kernel makes them again.
 */
#include <errno.h>
#include <fcntl.h>

#include "fdkinds.h"
#include "procfs.h"
#include "str.h"
#include "sys.h"

#define EFD_SEMAPHORE_FLAG 1

static int nonblock_of(const struct ckpt_fd *f)
{
	return (f->open_flags & O_NONBLOCK) ? O_NONBLOCK : 0;
}

/* --- eventfd ------------------------------------------------------------- */

static int eventfd_capture(struct fd_scan *s, struct ckpt_fd *f, size_t len)
{
	fdinfo_value(s->info, len, "eventfd-count:", 16, &f->aux[0]);
	fdinfo_value(s->info, len, "eventfd-semaphore:", 10, &f->aux[1]);
	return 0;
}

static long eventfd_open(struct fd_restore *x, uint32_t i, const char *path)
{
	const struct ckpt_fd *f = &x->fds[i];
	long fd = sys_eventfd2(0, nonblock_of(f) |
				       (f->aux[1] ? EFD_SEMAPHORE_FLAG : 0));

	(void)path;
	if (fd >= 0 && f->aux[0])
		sys_write((int)fd, &f->aux[0], sizeof(f->aux[0]));
	return fd;
}

/* --- timerfd ------------------------------------------------------------- */

static int timerfd_capture(struct fd_scan *s, struct ckpt_fd *f, size_t len)
{
	uint64_t sec, nsec;

	fdinfo_value(s->info, len, "clockid:", 10, &f->aux[0]);
	fdinfo_value(s->info, len, "settime flags:", 8, &f->aux[1]);
	if (!fdinfo_pair(s->info, len, "it_value:", &sec, &nsec))
		f->aux[2] = sec * 1000000000u + nsec;
	if (!fdinfo_pair(s->info, len, "it_interval:", &sec, &nsec))
		f->aux[3] = sec * 1000000000u + nsec;
	return 0;
}

/* Armed again with the time that was left (relative, so a resume hours
 * later does not fire it at once). */
static long timerfd_open(struct fd_restore *x, uint32_t i, const char *path)
{
	const struct ckpt_fd *f = &x->fds[i];
	struct { struct { int64_t s, ns; } interval, value; } its = {
		{ (int64_t)(f->aux[3] / 1000000000u),
		  (int64_t)(f->aux[3] % 1000000000u) },
		{ (int64_t)(f->aux[2] / 1000000000u),
		  (int64_t)(f->aux[2] % 1000000000u) },
	};
	long fd = sys_timerfd_create((int)f->aux[0], nonblock_of(f));

	(void)path;
	if (fd >= 0)
		sys_timerfd_settime((int)fd, 0, &its);
	return fd;
}

/* --- signalfd ------------------------------------------------------------ */

static int signalfd_capture(struct fd_scan *s, struct ckpt_fd *f, size_t len)
{
	fdinfo_value(s->info, len, "sigmask:", 16, &f->aux[0]);
	return 0;
}

static long signalfd_open(struct fd_restore *x, uint32_t i, const char *path)
{
	(void)path;
	return sys_signalfd4(-1, &x->fds[i].aux[0], nonblock_of(&x->fds[i]));
}

/* --- the kinds ----------------------------------------------------------- */

static int match_eventfd(int fd, const struct stat *st, const char *path)
{
	(void)fd;
	(void)st;
	return str_eq(path, "anon_inode:[eventfd]");
}

static int match_timerfd(int fd, const struct stat *st, const char *path)
{
	(void)fd;
	(void)st;
	return str_eq(path, "anon_inode:[timerfd]");
}

static int match_signalfd(int fd, const struct stat *st, const char *path)
{
	(void)fd;
	(void)st;
	return str_eq(path, "anon_inode:[signalfd]");
}

const struct fd_kind_ops fd_ops_eventfd = {
	.kind = CKPT_FD_EVENTFD,
	.match = match_eventfd,
	.capture = eventfd_capture,
	.open = eventfd_open,
};

const struct fd_kind_ops fd_ops_timerfd = {
	.kind = CKPT_FD_TIMERFD,
	.match = match_timerfd,
	.capture = timerfd_capture,
	.open = timerfd_open,
};

const struct fd_kind_ops fd_ops_signalfd = {
	.kind = CKPT_FD_SIGNALFD,
	.match = match_signalfd,
	.capture = signalfd_capture,
	.open = signalfd_open,
};
