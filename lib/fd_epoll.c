/*
 * epoll: its interest list (descriptor, events, data) from fdinfo, added
 * again at resume once every other descriptor is back (the kind is late).
 */
#include <errno.h>
#include <sys/epoll.h>

#include "fdkinds.h"
#include "procfs.h"
#include "str.h"
#include "sys.h"

static int epoll_capture(struct fd_scan *s, struct ckpt_fd *f, size_t len)
{
	struct ckpt_epoll_target t;
	size_t pos = 0;

	fd_data_begin(s, f);
	while (!fdinfo_epoll_next(s->info, len, &pos, &t.fd, &t.events,
				  &t.data))
		fd_data_add(s, f, &t, sizeof(t));
	return s->w->err;
}

/* An epoll target must be one of the program's descriptors: the image's
 * word alone must not make it watch ckpt's own. */
static int program_fd(const struct fd_restore *x, int32_t fd)
{
	for (uint32_t i = 0; i < x->n; i++)
		if (fd >= 0 && x->fds[i].fd == fd)
			return 1;
	return 0;
}

static long epoll_open(struct fd_restore *x, uint32_t i, const char *path)
{
	const struct ckpt_fd *f = &x->fds[i];
	const uint64_t size = sizeof(struct ckpt_epoll_target);
	long ep;

	(void)path;
	if (!fd_data_ok(x, f))
		return IMAGE_EMALFORMED;
	ep = sys_epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0)
		return ep;
	for (uint64_t off = 0; off + size <= f->data_len; off += size) {
		struct ckpt_epoll_target t;
		struct epoll_event ev;

		if (fd_data_read(x, f, off, &t, sizeof(t)))
			break;
		if (!program_fd(x, t.fd))
			continue;
		ev.events = t.events;
		ev.data.u64 = t.data;
		sys_epoll_ctl((int)ep, EPOLL_CTL_ADD, t.fd, &ev);
	}
	return ep;
}

static int match_epoll(int fd, const struct stat *st, const char *path)
{
	(void)fd;
	(void)st;
	return str_eq(path, "anon_inode:[eventpoll]");
}

const struct fd_kind_ops fd_ops_epoll = {
	.kind = CKPT_FD_EPOLL,
	.match = match_epoll,
	.capture = epoll_capture,
	.open = epoll_open,
	.late = 1,
};

/* Sockets, half a pipe and what else no family takes: named in a warning
 * at the first checkpoint, left closed at resume. */
const struct fd_kind_ops fd_ops_other = {
	.kind = CKPT_FD_OTHER,
};
