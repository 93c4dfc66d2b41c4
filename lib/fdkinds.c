#include "fdkinds.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/epoll.h>

#include "core.h"
#include "journal.h"
#include "procfs.h"
#include "str.h"
#include "sys.h"

/* Contents of deleted files and memfds are all there is of them: kept up
 * to this size whatever CKPT_FILE_SAVE_MAX says. */
#define DELETED_SAVE_MAX (1ull << 30)

static const struct {
	const char *path;
	uint32_t kind;
} anon_kinds[] = {
	{ "anon_inode:[eventfd]", CKPT_FD_EVENTFD },
	{ "anon_inode:[timerfd]", CKPT_FD_TIMERFD },
	{ "anon_inode:[signalfd]", CKPT_FD_SIGNALFD },
	{ "anon_inode:[eventpoll]", CKPT_FD_EPOLL },
};

uint32_t fd_kind_of(const struct stat *st, const char *path)
{
	if (S_ISREG(st->st_mode))
		return str_starts(path, "/memfd:") ? CKPT_FD_MEMFD
						   : CKPT_FD_REGULAR;
	if (S_ISDIR(st->st_mode))
		return CKPT_FD_DIR;
	if (S_ISCHR(st->st_mode))
		return CKPT_FD_CHAR;
	if (S_ISFIFO(st->st_mode))
		return str_starts(path, "pipe:[") ? CKPT_FD_PIPE : CKPT_FD_FIFO;
	for (size_t i = 0; i < sizeof(anon_kinds) / sizeof(*anon_kinds); i++)
		if (str_eq(path, anon_kinds[i].path))
			return anon_kinds[i].kind;
	return CKPT_FD_OTHER;
}

static uint32_t access_mode(const struct ckpt_fd *f)
{
	return f->open_flags & O_ACCMODE;
}

/* --- capture ------------------------------------------------------------ */

static void data_begin(struct fd_scan *s, struct ckpt_fd *f)
{
	f->data_off = s->data_len;
	f->data_len = 0;
	f->flags |= CKPT_FDF_DATA;
}

static void data_add(struct fd_scan *s, struct ckpt_fd *f, const void *p,
		     size_t n)
{
	image_section_write(s->w, p, n);
	s->data_len += n;
	f->data_len += n;
}

/* The first `len` bytes of the descriptor's file, through a read-only
 * descriptor of our own: the program's may be write-only, and its offset
 * must not move.  A file we may not read keeps only its size. */
static int data_from_file(struct fd_scan *s, struct ckpt_fd *f, uint64_t len)
{
	char proc[64];
	long fd, n = 0;

	proc_path_n(proc, sizeof(proc), "/proc/thread-self/fd/",
		    (uint64_t)f->fd);
	fd = sys_open(f->fd >= 0 ? proc : s->strings + f->path_off,
		      O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0)
		return 0;
	data_begin(s, f);
	for (uint64_t off = 0; off < len; off += (uint64_t)n) {
		size_t want = len - off < s->buf_size ? len - off : s->buf_size;

		n = sys_pread((int)fd, s->buf, want, off);
		if (n == -EINTR) {
			n = 0;
			continue;
		}
		if (n <= 0)
			break;
		data_add(s, f, s->buf, (size_t)n);
	}
	sys_close((int)fd);
	if (n < 0)
		return (int)n;
	return f->data_len == len ? s->w->err : -EIO;
}

/* Another descriptor of this inode has its contents saved already. */
static int inode_saved(const struct fd_scan *s, const struct ckpt_fd *f)
{
	for (const struct ckpt_fd *o = s->fds; o < f; o++)
		if (o->dev == f->dev && o->ino == f->ino &&
		    (o->flags & CKPT_FDF_DATA))
			return 1;
	return 0;
}

/*
 * A writable descriptor the program got from its parent (other than the
 * standard streams) may be a file some live process still writes, such as
 * a test harness's log: only files the program opened itself, and its
 * standard streams, are put back to their checkpoint state.
 */
static int written_by_program(const struct ckpt_fd *f)
{
	const struct fd_track *t = fd_track_get(f->fd);
	const struct output_file *o;
	uint32_t n = output_files(&o);

	if (f->fd <= 2 || (t && t->known))
		return 1;
	for (uint32_t i = 0; i < n; i++)
		if (o[i].dev == f->dev && o[i].ino == f->ino)
			return 1;
	return 0;
}

int fd_output_capture(struct fd_scan *s, struct ckpt_fd *f)
{
	f->flags |= CKPT_FDF_OUTPUT;
	if (f->size > ckpt_cfg.file_save_max || inode_saved(s, f))
		return 0;
	return data_from_file(s, f, f->size);
}

static int regular_capture(struct fd_scan *s, struct ckpt_fd *f)
{
	int deleted = (f->flags & CKPT_FDF_DELETED) || f->kind == CKPT_FD_MEMFD;

	if (deleted) {
		if (f->size > DELETED_SAVE_MAX || inode_saved(s, f))
			return 0;
		return data_from_file(s, f, f->size);
	}
	if (access_mode(f) == O_RDONLY || !written_by_program(f))
		return 0;
	return fd_output_capture(s, f);
}

static int epoll_capture(struct fd_scan *s, struct ckpt_fd *f, size_t len)
{
	struct ckpt_epoll_target t;
	size_t pos = 0;

	data_begin(s, f);
	while (!fdinfo_epoll_next(s->info, len, &pos, &t.fd, &t.events,
				  &t.data))
		data_add(s, f, &t, sizeof(t));
	return s->w->err;
}

static int timerfd_capture(struct ckpt_fd *f, const char *info, size_t len)
{
	uint64_t sec, nsec;

	fdinfo_value(info, len, "clockid:", 10, &f->aux[0]);
	fdinfo_value(info, len, "settime flags:", 8, &f->aux[1]);
	if (!fdinfo_pair(info, len, "it_value:", &sec, &nsec))
		f->aux[2] = sec * 1000000000u + nsec;
	if (!fdinfo_pair(info, len, "it_interval:", &sec, &nsec))
		f->aux[3] = sec * 1000000000u + nsec;
	return 0;
}

int fd_kind_capture(struct fd_scan *s, struct ckpt_fd *f, size_t len)
{
	switch (f->kind) {
	case CKPT_FD_REGULAR:
	case CKPT_FD_MEMFD:
		return regular_capture(s, f);
	case CKPT_FD_PIPE:
	case CKPT_FD_FIFO:
		f->aux[0] = (uint64_t)sys_fcntl(f->fd, F_GETPIPE_SZ, 0);
		return 0;
	case CKPT_FD_EVENTFD:
		fdinfo_value(s->info, len, "eventfd-count:", 16, &f->aux[0]);
		fdinfo_value(s->info, len, "eventfd-semaphore:", 10, &f->aux[1]);
		return 0;
	case CKPT_FD_TIMERFD:
		return timerfd_capture(f, s->info, len);
	case CKPT_FD_SIGNALFD:
		fdinfo_value(s->info, len, "sigmask:", 16, &f->aux[0]);
		return 0;
	case CKPT_FD_EPOLL:
		return epoll_capture(s, f, len);
	default:
		return 0;
	}
}

/* The other end of a pipe or FIFO among the program's descriptors. */
static const struct ckpt_fd *pipe_peer(const struct ckpt_fd *fds, uint32_t n,
				       const struct ckpt_fd *f)
{
	uint32_t want = access_mode(f) == O_RDONLY ? O_WRONLY : O_RDONLY;

	for (uint32_t i = 0; i < n; i++)
		if (fds[i].kind == f->kind && fds[i].ino == f->ino &&
		    fds[i].dev == f->dev && fds[i].dup_of < 0 &&
		    access_mode(&fds[i]) == want)
			return &fds[i];
	return NULL;
}

/* Take the bytes out of the pipe and put them straight back: the program
 * is stopped, and they fit, since they were there. */
static int pipe_drain(struct fd_scan *s, struct ckpt_fd *rd,
		      const struct ckpt_fd *wr)
{
	long got = 0, n;

	sys_fcntl(rd->fd, F_SETFL, (long)(rd->open_flags | O_NONBLOCK));
	while ((size_t)got < s->buf_size &&
	       (n = sys_read(rd->fd, s->buf + got, s->buf_size - (size_t)got)) > 0)
		got += n;
	sys_fcntl(rd->fd, F_SETFL, (long)rd->open_flags);
	data_begin(s, rd);
	data_add(s, rd, s->buf, (size_t)got);
	for (long off = 0; off < got; off += n) {
		n = sys_write(wr->fd, s->buf + off, (size_t)(got - off));
		if (n <= 0)
			return n < 0 ? (int)n : -EIO;
	}
	return s->w->err;
}

int fd_pipes_capture(struct fd_scan *s)
{
	for (uint32_t i = 0; i < s->n; i++) {
		struct ckpt_fd *f = &s->fds[i];
		const struct ckpt_fd *peer;
		int rc;

		if ((f->kind != CKPT_FD_PIPE && f->kind != CKPT_FD_FIFO) ||
		    f->dup_of >= 0 || access_mode(f) != O_RDONLY)
			continue;
		peer = pipe_peer(s->fds, s->n, f);
		if (!peer)
			continue;
		rc = pipe_drain(s, f, peer);
		if (rc)
			return rc;
	}
	return 0;
}

int fd_std_stream_inherited(const struct ckpt_fd *f, const char *path,
			    int keep_std)
{
	if (f->fd < 0 || f->fd > 2)
		return 0;
	if (keep_std & (1 << f->fd))
		return 1;
	if (f->kind == CKPT_FD_PIPE || f->kind == CKPT_FD_OTHER)
		return 1;
	return f->kind == CKPT_FD_CHAR &&
	       (str_starts(path, "/dev/pts/") || str_starts(path, "/dev/tty"));
}

int fd_restorable(const struct ckpt_fd *fds, uint32_t n,
		  const struct ckpt_fd *f)
{
	switch (f->kind) {
	case CKPT_FD_REGULAR:
		return !(f->flags & CKPT_FDF_DELETED) ||
		       (f->flags & CKPT_FDF_DATA);
	case CKPT_FD_MEMFD:
		return (f->flags & CKPT_FDF_DATA) != 0;
	case CKPT_FD_PIPE:
		return pipe_peer(fds, n, f) != NULL;
	case CKPT_FD_FIFO:
		return access_mode(f) == O_RDONLY || pipe_peer(fds, n, f);
	case CKPT_FD_OTHER:
		return 0;
	default:
		return 1;
	}
}

/* --- resume ------------------------------------------------------------- */

/* A restore error as text: -errno, or one of the reader's IMAGE_E*. */
static const char *error_text(long rc)
{
	return rc < -4096 ? image_strerror((int)rc) : errno_text(rc);
}

static void report(const struct ckpt_fd *f, const char *path, const char *why)
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
static int data_ok(const struct fd_restore *x, const struct ckpt_fd *f)
{
	return image_range_ok(f->data_off, f->data_len, x->data->size);
}

/* The saved bytes of f into fd: at their offsets (pwrite) or in order. */
static int data_to_fd(struct fd_restore *x, const struct ckpt_fd *f, int fd,
		      int positioned)
{
	if (!data_ok(x, f))
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

static int std_stream_same_file(const struct ckpt_fd *f)
{
	struct stat st = { 0 };

	return f->fd <= 2 && f->kind == CKPT_FD_REGULAR &&
	       sys_fstat(f->fd, &st) == 0 && st.st_dev == f->dev &&
	       st.st_ino == f->ino;
}

static const struct ckpt_fd *inode_data(const struct fd_restore *x,
					const struct ckpt_fd *f)
{
	for (uint32_t i = 0; i < x->n; i++)
		if (x->fds[i].dev == f->dev && x->fds[i].ino == f->ino &&
		    (x->fds[i].flags & CKPT_FDF_DATA))
			return &x->fds[i];
	return NULL;
}

static void output_warn(const char *path, const char *why)
{
	say(2, "warning: the output file ", path,
	    " cannot be put back as it was at the checkpoint: ", why);
}

static void output_restore(struct fd_restore *x, const struct ckpt_fd *f,
			   const char *path)
{
	const struct ckpt_fd *d = inode_data(x, f);
	struct stat st = { 0 };
	long fd = std_stream_same_file(f)
			  ? f->fd
			  : sys_open(path, O_WRONLY | O_CREAT | O_CLOEXEC,
				     (int)(f->mode & 07777));
	int rc = 0;

	if (fd < 0) {
		output_warn(path, errno_text(fd));
		return;
	}
	if (d)
		rc = data_to_fd(x, d, (int)fd, 1);
	else if (sys_fstat((int)fd, &st) == 0 && (uint64_t)st.st_size < f->size)
		output_warn(path, "it is shorter than at the checkpoint");
	if (!rc)
		rc = (int)sys_ftruncate((int)fd, f->size);
	if (rc)
		output_warn(path, error_text(rc));
	if (fd != f->fd)
		sys_close((int)fd);
}

void fd_outputs_restore(struct fd_restore *x)
{
	for (uint32_t i = 0; i < x->n; i++) {
		const struct ckpt_fd *f = &x->fds[i];
		const char *path = fd_path(x, f);
		int seen = 0;

		/* fd -1 (closed outputs): no shift by a negative count. */
		if (!(f->flags & CKPT_FDF_OUTPUT) || !path ||
		    (f->fd >= 0 && f->fd <= 2 && (x->keep_std & (1 << f->fd))))
			continue;
		for (uint32_t j = 0; j < i && !seen; j++)
			seen = (x->fds[j].flags & CKPT_FDF_OUTPUT) &&
			       x->fds[j].dev == f->dev && x->fds[j].ino == f->ino;
		if (!seen)
			output_restore(x, f, path);
	}
}

/* Move a new descriptor to its number; its temporary number is freed. */
static int fd_place(long got, int fd)
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

/* What open() needs to make the same description again: not creation,
 * not truncation, and not O_TMPFILE, which the kernel keeps in f_flags. */
static int reopen_flags(const struct ckpt_fd *f)
{
	return (int)(f->open_flags & ~(unsigned)(O_CREAT | O_EXCL | O_TRUNC |
						 O_NOCTTY | O_TMPFILE));
}

static void strip_deleted(char *path)
{
	size_t n = str_len(path);

	if (str_ends(path, n, " (deleted)"))
		path[n - 10] = 0;
}

/* A deleted file comes back as an unnamed file (O_TMPFILE) in its old
 * directory, or in /tmp, with its contents. */
static long deleted_create(const struct ckpt_fd *f, const char *path)
{
	char dir[CKPT_PATH_MAX], *slash;
	long fd;

	str_add(dir, dir + sizeof(dir), path);
	strip_deleted(dir);
	slash = dir;
	for (char *p = dir; *p; p++)
		if (*p == '/')
			slash = p;
	slash[slash == dir ? 1 : 0] = 0;
	fd = sys_open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, (int)(f->mode & 07777));
	if (fd < 0)
		fd = sys_open("/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC,
			      (int)(f->mode & 07777));
	return fd;
}

static long memfd_create_named(const char *path)
{
	char name[256];

	/* The kind comes from the image too: never skip past a path's end. */
	str_add(name, name + sizeof(name),
		str_starts(path, "/memfd:") ? path + 7 : path);
	strip_deleted(name);
	return sys_memfd_create(name, 0);
}

static long unnamed_restore(struct fd_restore *x, const struct ckpt_fd *f,
			    const char *path)
{
	const struct ckpt_fd *d = inode_data(x, f);
	char proc[64];
	long fd, again;
	int rc;

	if (!d)
		return -ENOENT;
	fd = f->kind == CKPT_FD_MEMFD ? memfd_create_named(path)
				      : deleted_create(f, path);
	if (fd < 0)
		return fd;
	rc = data_to_fd(x, d, (int)fd, 1);
	if (rc) {
		sys_close((int)fd);
		return rc;
	}
	/* The original access mode and status flags, through /proc. */
	proc_path_n(proc, sizeof(proc), "/proc/thread-self/fd/",
		    (uint64_t)fd);
	again = sys_open(proc, reopen_flags(f), 0);
	sys_close((int)fd);
	return again;
}

/* Both ends of a pipe or FIFO; `f` is either.  Data goes back in. */
static long pipe_restore(struct fd_restore *x, uint32_t i, const char *path)
{
	const struct ckpt_fd *f = &x->fds[i];
	const struct ckpt_fd *peer = pipe_peer(x->fds, x->n, f);
	const struct ckpt_fd *rd = access_mode(f) == O_RDONLY ? f : peer;
	const struct ckpt_fd *wr = rd == f ? peer : f;
	long ends[2];
	int p[2] = { -1, -1 };

	if (f->kind == CKPT_FD_FIFO && !peer && rd == f)
		return sys_open(path, reopen_flags(f), 0);
	if (!peer)
		return -EPIPE;
	/* Non-blocking while the saved bytes go in: more than the pipe holds
	 * (a forged length, or a capacity this system refuses) must not hang
	 * the resume.  Both ends get their own flags right after. */
	if (f->kind == CKPT_FD_PIPE) {
		long rc = sys_pipe2(p, O_CLOEXEC | O_NONBLOCK);

		if (rc < 0)
			return rc;
		ends[0] = p[0];
		ends[1] = p[1];
	} else {
		ends[0] = sys_open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC, 0);
		ends[1] = sys_open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC, 0);
		if (ends[0] < 0 || ends[1] < 0)
			return ends[0] < 0 ? ends[0] : ends[1];
	}
	if (rd->aux[0])
		sys_fcntl((int)ends[1], F_SETPIPE_SZ, (long)rd->aux[0]);
	if (rd->flags & CKPT_FDF_DATA)
		data_to_fd(x, rd, (int)ends[1], 0);
	sys_fcntl((int)ends[0], F_SETFL, (long)rd->open_flags);
	sys_fcntl((int)ends[1], F_SETFL, (long)wr->open_flags);
	/* Out of the way of each other's numbers before placing. */
	for (int e = 0; e < 2; e++) {
		long hi = sys_fcntl((int)ends[e], F_DUPFD_CLOEXEC,
				    ckpt_restore_info.image_fd + 1);

		sys_close((int)ends[e]);
		ends[e] = hi;
	}
	x->done[peer - x->fds] = 1;
	fd_place(ends[rd == f ? 1 : 0], peer->fd);
	sys_fcntl(peer->fd, F_SETFD,
		  (peer->flags & CKPT_FDF_CLOEXEC) ? FD_CLOEXEC : 0);
	return ends[rd == f ? 0 : 1];
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

static long epoll_restore(struct fd_restore *x, const struct ckpt_fd *f)
{
	long ep;

	if (!data_ok(x, f))
		return IMAGE_EMALFORMED;
	ep = sys_epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0)
		return ep;
	for (uint64_t off = 0; off + sizeof(struct ckpt_epoll_target) <=
			       f->data_len;
	     off += sizeof(struct ckpt_epoll_target)) {
		struct ckpt_epoll_target t;
		struct epoll_event ev;

		if (image_pread(x->r, &t, sizeof(t),
				x->data->offset + f->data_off + off))
			break;
		if (!program_fd(x, t.fd))
			continue;
		ev.events = t.events;
		ev.data.u64 = t.data;
		sys_epoll_ctl((int)ep, EPOLL_CTL_ADD, t.fd, &ev);
	}
	return ep;
}

static long anon_restore(struct fd_restore *x, const struct ckpt_fd *f)
{
	int nonblock = (f->open_flags & O_NONBLOCK) ? O_NONBLOCK : 0;
	long fd;

	switch (f->kind) {
	case CKPT_FD_EVENTFD:
		fd = sys_eventfd2(0, nonblock | (f->aux[1] ? 1 /* EFD_SEMAPHORE */
							   : 0));
		if (fd >= 0 && f->aux[0])
			sys_write((int)fd, &f->aux[0], sizeof(f->aux[0]));
		return fd;
	case CKPT_FD_TIMERFD: {
		struct { struct { int64_t s, ns; } interval, value; } its = {
			{ (int64_t)(f->aux[3] / 1000000000u),
			  (int64_t)(f->aux[3] % 1000000000u) },
			{ (int64_t)(f->aux[2] / 1000000000u),
			  (int64_t)(f->aux[2] % 1000000000u) },
		};

		fd = sys_timerfd_create((int)f->aux[0], nonblock);
		if (fd >= 0)
			sys_timerfd_settime((int)fd, 0, &its);
		return fd;
	}
	case CKPT_FD_SIGNALFD:
		return sys_signalfd4(-1, &f->aux[0], nonblock);
	case CKPT_FD_EPOLL:
		return epoll_restore(x, f);
	default: /* a kind this version does not know */
		return -ENOTSUP;
	}
}

static long kind_open(struct fd_restore *x, uint32_t i, const char *path)
{
	const struct ckpt_fd *f = &x->fds[i];

	switch (f->kind) {
	case CKPT_FD_REGULAR:
		if (f->flags & CKPT_FDF_DELETED)
			return unnamed_restore(x, f, path);
		return sys_open(path, reopen_flags(f), 0);
	case CKPT_FD_DIR:
	case CKPT_FD_CHAR:
		return sys_open(path, reopen_flags(f), 0);
	case CKPT_FD_MEMFD:
		return unnamed_restore(x, f, path);
	case CKPT_FD_PIPE:
	case CKPT_FD_FIFO:
		return pipe_restore(x, i, path);
	case CKPT_FD_OTHER:
		return -ENOTSUP;
	default:
		return anon_restore(x, f);
	}
}

void fd_kind_restore(struct fd_restore *x, uint32_t i)
{
	const struct ckpt_fd *f = &x->fds[i];
	const char *path = fd_path(x, f);
	long rc;

	if (!path || f->fd < 0 || x->done[i] ||
	    fd_std_stream_inherited(f, path, x->keep_std))
		return;
	x->done[i] = 1;
	if (f->dup_of >= 0) {
		rc = sys_dup2(f->dup_of, f->fd);
	} else if (std_stream_same_file(f)) {
		rc = sys_lseek(f->fd, (int64_t)f->pos, 0);
	} else {
		rc = fd_place(kind_open(x, i, path), f->fd);
		if (rc >= 0 && (f->kind == CKPT_FD_REGULAR ||
				f->kind == CKPT_FD_MEMFD || f->kind == CKPT_FD_DIR))
			rc = sys_lseek(f->fd, (int64_t)f->pos, 0);
	}
	if (rc < 0) {
		sys_close(f->fd);
		report(f, path, rc == -ENOTSUP ? "this kind of file is not "
						 "supported"
			       : rc == -EPIPE ? "the other end of its pipe is "
						"not the program's"
					      : error_text(rc));
		return;
	}
	sys_fcntl(f->fd, F_SETFD, (f->flags & CKPT_FDF_CLOEXEC) ? FD_CLOEXEC : 0);
}
