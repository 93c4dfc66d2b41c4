/*
 * The table of descriptor kinds and what the families (lib/fd_*.c) share:
 * the FILEDATA helpers, placing descriptors at their numbers, messages.
 */
#include "fdkinds.h"

#include <errno.h>
#include <fcntl.h>

#include "core.h"
#include "procfs.h"
#include "str.h"
#include "sys.h"

/* Order matters where two would match: a memfd, a file of /proc/self or a
 * message queue is a regular file too. */
static const struct fd_kind_ops *const kinds[] = {
	&fd_ops_memfd,
	&fd_ops_procself,
	&fd_ops_mqueue,
	&fd_ops_regular,
	&fd_ops_dir,
	&fd_ops_char,
	&fd_ops_pipe,
	&fd_ops_fifo,
	&fd_ops_eventfd,
	&fd_ops_timerfd,
	&fd_ops_signalfd,
	&fd_ops_epoll,
	&fd_ops_unix,
	&fd_ops_inotify,
	&fd_ops_other,
};

#define NKINDS (sizeof(kinds) / sizeof(*kinds))

static const struct fd_kind_ops *ops_of(uint32_t kind)
{
	for (size_t i = 0; i < NKINDS; i++)
		if (kinds[i]->kind == kind)
			return kinds[i];
	return NULL;
}

uint32_t fd_kind_of(int fd, const struct stat *st, const char *path)
{
	for (size_t i = 0; i < NKINDS; i++)
		if (kinds[i]->match && kinds[i]->match(fd, st, path))
			return kinds[i]->kind;
	return CKPT_FD_OTHER;
}

int fd_kind_capture(struct fd_scan *s, struct ckpt_fd *f, size_t info_len)
{
	const struct fd_kind_ops *k = ops_of(f->kind);

	return k && k->capture ? k->capture(s, f, info_len) : 0;
}

int fd_kinds_capture_all(struct fd_scan *s)
{
	int rc = 0;

	for (size_t i = 0; i < NKINDS && !rc; i++)
		if (kinds[i]->capture_all)
			rc = kinds[i]->capture_all(s);
	return rc;
}

int fd_std_stream_inherited(const struct ckpt_fd *f, const char *path,
			    int keep_std)
{
	if (f->fd < 0 || f->fd > 2)
		return 0;
	if (keep_std & (1 << f->fd))
		return 1;
	if (f->kind == CKPT_FD_PIPE || f->kind == CKPT_FD_UNIX ||
	    f->kind == CKPT_FD_OTHER)
		return 1;
	return f->kind == CKPT_FD_CHAR &&
	       (str_starts(path, "/dev/pts/") || str_starts(path, "/dev/tty"));
}

int fd_restorable(const struct ckpt_fd *fds, uint32_t n,
		  const struct ckpt_fd *f)
{
	const struct fd_kind_ops *k = ops_of(f->kind);

	if (!k || !k->open)
		return 0;
	return k->restorable ? k->restorable(fds, n, f) : 1;
}

/* --- capture helpers ----------------------------------------------------- */

void fd_data_begin(struct fd_scan *s, struct ckpt_fd *f)
{
	f->data_off = s->data_len;
	f->data_len = 0;
	f->flags |= CKPT_FDF_DATA;
}

void fd_data_add(struct fd_scan *s, struct ckpt_fd *f, const void *p,
		 size_t n)
{
	image_section_write(s->w, p, n);
	s->data_len += n;
	f->data_len += n;
}

/* The first `len` bytes of the descriptor's file, through a read-only
 * descriptor of our own: the program's may be write-only, and its offset
 * must not move.  A file we may not read keeps only its size. */
int fd_data_from_file(struct fd_scan *s, struct ckpt_fd *f, uint64_t len)
{
	char proc[64];
	long fd, n = 0;

	proc_path_n(proc, sizeof(proc), "/proc/thread-self/fd/",
		    (uint64_t)f->fd);
	fd = sys_open(f->fd >= 0 ? proc : s->strings + f->path_off,
		      O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0)
		return 0;
	fd_data_begin(s, f);
	for (uint64_t off = 0; off < len; off += (uint64_t)n) {
		size_t want = len - off < s->buf_size ? len - off : s->buf_size;

		n = sys_pread((int)fd, s->buf, want, off);
		if (n == -EINTR) {
			n = 0;
			continue;
		}
		if (n <= 0)
			break;
		fd_data_add(s, f, s->buf, (size_t)n);
	}
	sys_close((int)fd);
	if (n < 0)
		return (int)n;
	return f->data_len == len ? s->w->err : -EIO;
}

int fd_inode_saved(const struct fd_scan *s, const struct ckpt_fd *f)
{
	for (const struct ckpt_fd *o = s->fds; o < f; o++)
		if (o->dev == f->dev && o->ino == f->ino &&
		    (o->flags & CKPT_FDF_DATA))
			return 1;
	return 0;
}

/* --- restore helpers ----------------------------------------------------- */

const char *fd_error_text(long rc)
{
	return rc < -4096 ? image_strerror((int)rc) : errno_text(rc);
}

void fd_report(const struct ckpt_fd *f, const char *path, const char *why)
{
	char num[16];

	str_add_u64(num, num + sizeof(num), (uint64_t)f->fd);
	say(2, "descriptor ", num, " (", path, ") is not restored: ", why,
	    "; it stays closed");
}

/* f's path, through the checked accessor over the FILES body files_load
 * read (fd_restore keeps only the tail's start).  files_load refused an
 * image with a bad one, so NULL means a bug, and the entry is skipped. */
static const char *fd_path(const struct fd_restore *x, const struct ckpt_fd *f)
{
	return image_table_string(&x->table, f->path_off);
}

/* f's bytes lie inside FILEDATA (files_load checked; kept where they are
 * read, so no other caller can miss it). */
int fd_data_ok(const struct fd_restore *x, const struct ckpt_fd *f)
{
	return image_range_ok(f->data_off, f->data_len, x->data->size);
}

int fd_data_read(struct fd_restore *x, const struct ckpt_fd *f, uint64_t off,
		 void *p, size_t n)
{
	if (!fd_data_ok(x, f) || off > f->data_len || n > f->data_len - off)
		return IMAGE_EMALFORMED;
	return image_pread(x->r, p, n, x->data->offset + f->data_off + off);
}

int fd_data_to_fd(struct fd_restore *x, const struct ckpt_fd *f, int fd,
		  int positioned)
{
	if (!fd_data_ok(x, f))
		return IMAGE_EMALFORMED;
	for (uint64_t off = 0; off < f->data_len;) {
		size_t n = f->data_len - off < x->buf_size ? f->data_len - off
							   : x->buf_size;
		int rc = image_pread(x->r, x->buf, n,
				     x->data->offset + f->data_off + off);

		if (rc)
			return rc;
		for (size_t done = 0; done < n;) {
			long w = positioned
					 ? sys_pwrite(fd, x->buf + done, n - done,
						      off + done)
					 : sys_write(fd, x->buf + done, n - done);

			if (w <= 0)
				return w < 0 ? (int)w : -EIO;
			done += (size_t)w;
		}
		off += n;
	}
	return 0;
}

const struct ckpt_fd *fd_inode_data(const struct fd_restore *x,
				    const struct ckpt_fd *f)
{
	for (uint32_t i = 0; i < x->n; i++)
		if (x->fds[i].dev == f->dev && x->fds[i].ino == f->ino &&
		    (x->fds[i].flags & CKPT_FDF_DATA))
			return &x->fds[i];
	return NULL;
}

/* Not creation, not truncation, and not O_TMPFILE, which the kernel keeps
 * in f_flags. */
int fd_reopen_flags(const struct ckpt_fd *f)
{
	return (int)(f->open_flags & ~(unsigned)(O_CREAT | O_EXCL | O_TRUNC |
						 O_NOCTTY | O_TMPFILE));
}

int fd_place(long got, int fd)
{
	if (got < 0 || got == fd)
		return (int)got;
	if (sys_dup2((int)got, fd) < 0) {
		sys_close((int)got);
		return -EBADF;
	}
	sys_close((int)got);
	return fd;
}

/* The image descriptor sits above every program number (files.c moved
 * it there). */
long fd_out_of_the_way(long fd)
{
	long hi;

	if (fd < 0)
		return fd;
	hi = sys_fcntl((int)fd, F_DUPFD_CLOEXEC, ckpt_restore_info.image_fd + 1);
	sys_close((int)fd);
	return hi;
}

void fd_place_peer(struct fd_restore *x, const struct ckpt_fd *peer, long got)
{
	x->done[peer - x->fds] = 1;
	if (fd_place(got, peer->fd) < 0)
		return;
	sys_fcntl(peer->fd, F_SETFD,
		  (peer->flags & CKPT_FDF_CLOEXEC) ? FD_CLOEXEC : 0);
}

static const char *why_text(long rc)
{
	if (rc == -ENOTSUP)
		return "this kind of file is not supported";
	if (rc == -EPIPE)
		return "the other end of its pipe is not the program's";
	return fd_error_text(rc);
}

static long kind_open(struct fd_restore *x, uint32_t i, const char *path)
{
	const struct fd_kind_ops *k = ops_of(x->fds[i].kind);

	/* A kind this version does not know, or one never restored. */
	if (!k || !k->open)
		return -ENOTSUP;
	return k->open(x, i, path);
}

void fd_kind_restore(struct fd_restore *x, uint32_t i, int pass)
{
	const struct ckpt_fd *f = &x->fds[i];
	const struct fd_kind_ops *k = ops_of(f->kind);
	const char *path = fd_path(x, f);
	long rc;

	if ((k && k->late) != (pass == 1))
		return;
	if (!path || f->fd < 0 || x->done[i] ||
	    fd_std_stream_inherited(f, path, x->keep_std))
		return;
	x->done[i] = 1;
	if (f->dup_of >= 0) {
		rc = sys_dup2(f->dup_of, f->fd);
	} else if (fd_std_stream_same_file(f)) {
		rc = sys_lseek(f->fd, (int64_t)f->pos, 0);
	} else {
		rc = fd_place(kind_open(x, i, path), f->fd);
		if (rc >= 0 && k && k->seek)
			rc = sys_lseek(f->fd, (int64_t)f->pos, 0);
	}
	if (rc < 0) {
		sys_close(f->fd);
		fd_report(f, path, why_text(rc));
		return;
	}
	sys_fcntl(f->fd, F_SETFD, (f->flags & CKPT_FDF_CLOEXEC) ? FD_CLOEXEC : 0);
}
