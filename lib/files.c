/*
 * File descriptors.  /proc/self/fd and fdinfo are the ground truth (they see
 * what libc opened internally and what the shell passed in); the interposed
 * calls add what /proc cannot say, such as which descriptor a dup came from
 * when kcmp is unavailable.
 *
 * At resume: regular files, directories and character devices are reopened
 * by path at the same number, offset, status flags and close-on-exec flag.
 * Standard streams that were a terminal, a pipe or a socket are left as the
 * resuming shell gave them.  Other kinds are not restored: the descriptor
 * stays closed and a message names it.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include "core.h"
#include "procfs.h"
#include "str.h"
#include "sys.h"

#define KCMP_FILE 0
#define MAX_FDS 65536

struct fd_scan {
	struct ckpt_fd *fds;
	uint32_t n;
	char *strings;
	size_t strings_len, strings_max;
};

static int warned_once;

static int fd_numbers(int *out, int max, int skip_a, int skip_b)
{
	char buf[4096];
	long dir = sys_open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC,
			    0);
	int n = 0;

	if (dir < 0)
		return (int)dir;
	for (;;) {
		long len = sys_getdents64((int)dir, buf, sizeof(buf));

		if (len <= 0)
			break;
		for (long off = 0; off < len;) {
			const char *name = buf + off + 19;
			uint16_t reclen;
			const char *p = name;
			uint64_t v;

			memcpy(&reclen, buf + off + 16, sizeof(reclen));
			off += reclen;
			if (str_parse_u64(&p, p + 12, 10, &v) || *p)
				continue;
			if ((int)v == dir || (int)v == skip_a ||
			    (int)v == skip_b || n == max)
				continue;
			out[n++] = (int)v;
		}
	}
	sys_close((int)dir);
	return n;
}

static char *fd_proc_path(char *buf, size_t size, const char *dir, int fd)
{
	char *p = str_add(buf, buf + size, dir);

	str_add_u64(p, buf + size, (uint64_t)fd);
	return buf;
}

static uint32_t fd_kind(const struct stat *st)
{
	if (S_ISREG(st->st_mode))
		return CKPT_FD_REGULAR;
	if (S_ISDIR(st->st_mode))
		return CKPT_FD_DIR;
	if (S_ISCHR(st->st_mode))
		return CKPT_FD_CHAR;
	if (S_ISFIFO(st->st_mode))
		return CKPT_FD_PIPE;
	return CKPT_FD_OTHER;
}

static int32_t fd_dup_source(const struct fd_scan *s, const struct ckpt_fd *f)
{
	const struct fd_track *t = fd_track_get(f->fd);
	long pid = sys_getpid();

	for (uint32_t i = 0; i < s->n; i++) {
		const struct ckpt_fd *o = &s->fds[i];
		long same;

		if (o->dev != f->dev || o->ino != f->ino || o->dup_of >= 0)
			continue;
		same = sys_kcmp((int)pid, (int)pid, KCMP_FILE, o->fd, f->fd);
		if (same == 0)
			return o->fd;
		if (same < 0 && t && t->known && t->dup_of == o->fd)
			return o->fd;
	}
	return -1;
}

static int fd_capture(struct fd_scan *s, int fd)
{
	struct ckpt_fd *f = &s->fds[s->n];
	char proc[64], text[1024];
	struct fdinfo info;
	struct stat st = { 0 };
	long len;

	memset(f, 0, sizeof(*f));
	f->fd = fd;
	if (sys_fstat(fd, &st) < 0)
		return 0; /* closed meanwhile */
	len = sys_readlink(fd_proc_path(proc, sizeof(proc), "/proc/self/fd/",
					fd),
			   s->strings + s->strings_len,
			   s->strings_max - s->strings_len - 1);
	if (len < 0 || (size_t)len >= s->strings_max - s->strings_len - 1)
		return len < 0 ? 0 : -ENOMEM;
	f->path_off = (uint32_t)s->strings_len;
	s->strings[s->strings_len + (size_t)len] = 0;
	s->strings_len += (size_t)len + 1;
	len = proc_read_file(fd_proc_path(proc, sizeof(proc),
					  "/proc/self/fdinfo/", fd),
			     text, sizeof(text));
	if (len < 0 || fdinfo_parse(text, (size_t)len, &info))
		return 0;
	f->kind = fd_kind(&st);
	f->open_flags = info.flags;
	f->pos = info.pos;
	f->dev = st.st_dev;
	f->ino = st.st_ino;
	f->size = (uint64_t)st.st_size;
	f->mode = st.st_mode;
	f->mtime_sec = st.st_mtim.tv_sec;
	f->mtime_nsec = st.st_mtim.tv_nsec;
	if (sys_fcntl(fd, F_GETFD, 0) & FD_CLOEXEC)
		f->flags |= CKPT_FDF_CLOEXEC;
	if (f->kind == CKPT_FD_REGULAR && st.st_nlink == 0)
		f->flags |= CKPT_FDF_DELETED;
	f->dup_of = -1;
	f->dup_of = fd_dup_source(s, f);
	s->n++;
	return 0;
}

static int std_stream_inherited(const struct ckpt_fd *f, const char *path)
{
	if (f->fd > 2)
		return 0;
	if (f->kind == CKPT_FD_PIPE || f->kind == CKPT_FD_OTHER)
		return 1;
	return f->kind == CKPT_FD_CHAR &&
	       (str_starts(path, "/dev/pts/") || str_starts(path, "/dev/tty"));
}

/* The resuming shell passed the very file the stream had: keep that
 * descriptor (the user may not be allowed to open the file by path, as
 * with a redirection made by another user). */
static int std_stream_same_file(const struct ckpt_fd *f)
{
	struct stat st = { 0 };

	return f->fd <= 2 && f->kind == CKPT_FD_REGULAR &&
	       sys_fstat(f->fd, &st) == 0 && st.st_dev == f->dev &&
	       st.st_ino == f->ino;
}

static void warn_unsupported(const struct fd_scan *s)
{
	char num[16];

	if (warned_once)
		return;
	warned_once = 1;
	for (uint32_t i = 0; i < s->n; i++) {
		const struct ckpt_fd *f = &s->fds[i];
		const char *path = s->strings + f->path_off;

		if (f->dup_of >= 0 || std_stream_inherited(f, path) ||
		    (f->kind != CKPT_FD_PIPE && f->kind != CKPT_FD_OTHER &&
		     !(f->flags & CKPT_FDF_DELETED)))
			continue;
		str_add_u64(num, num + sizeof(num), (uint64_t)f->fd);
		say(2, "warning: descriptor ", num, " (", path,
		    ") cannot be restored at resume");
	}
}

static int files_save(struct image_writer *w, const struct capture *c)
{
	struct fd_scan s = { 0 };
	int *numbers = arena_alloc(MAX_FDS * sizeof(int));
	int count, rc = 0;

	s.fds = arena_alloc(MAX_FDS * sizeof(*s.fds));
	s.strings_max = 4u << 20;
	s.strings = arena_alloc(s.strings_max);
	if (!numbers || !s.fds || !s.strings)
		return -ENOMEM;
	count = fd_numbers(numbers, MAX_FDS, c->image_fd, -1);
	if (count < 0)
		return count;
	for (int i = 0; i < count && !rc; i++)
		rc = fd_capture(&s, numbers[i]);
	if (rc)
		return rc;
	warn_unsupported(&s);
	image_section_begin(w, CKPT_SEC_FILES);
	image_section_write(w, s.fds, s.n * sizeof(*s.fds));
	image_section_write(w, s.strings, s.strings_len);
	image_section_end(w, s.n);
	return w->err;
}

/* --- resume ------------------------------------------------------------- */

static int fd_place(long got, int fd)
{
	if (got < 0 || got == fd)
		return (int)got;
	got = sys_dup2((int)got, fd) < 0 ? -EBADF : got;
	sys_close((int)got);
	return got < 0 ? (int)got : fd;
}

static void fd_report(const struct ckpt_fd *f, const char *path, long err)
{
	char num[16];

	str_add_u64(num, num + sizeof(num), (uint64_t)f->fd);
	say(2, "descriptor ", num, " (", path, ") is not restored: ",
	    err ? errno_text(err) : "this kind of file is not supported",
	    "; it stays closed", NULL);
}

static void fd_restore(const struct ckpt_fd *f, const char *path)
{
	int flags = (int)(f->open_flags & ~(unsigned)(O_CREAT | O_EXCL |
						      O_TRUNC | O_NOCTTY));
	long rc;

	if (std_stream_inherited(f, path))
		return;
	if (f->dup_of >= 0) {
		rc = sys_dup2(f->dup_of, f->fd);
	} else if (std_stream_same_file(f)) {
		rc = sys_lseek(f->fd, (int64_t)f->pos, 0);
	} else if (f->kind == CKPT_FD_PIPE || f->kind == CKPT_FD_OTHER ||
		   (f->flags & CKPT_FDF_DELETED)) {
		sys_close(f->fd);
		fd_report(f, path, 0);
		return;
	} else {
		rc = fd_place(sys_open(path, flags, 0), f->fd);
		if (rc >= 0 && f->kind == CKPT_FD_REGULAR)
			rc = sys_lseek(f->fd, (int64_t)f->pos, 0);
	}
	if (rc < 0) {
		sys_close(f->fd);
		fd_report(f, path, rc);
		return;
	}
	sys_fcntl(f->fd, F_SETFD, (f->flags & CKPT_FDF_CLOEXEC) ? FD_CLOEXEC : 0);
}

/* Close what the resuming process brought along that the program did not
 * have, keeping the inherited standard streams and the image. */
static void fds_close_foreign(int image_fd)
{
	int *numbers = arena_alloc(MAX_FDS * sizeof(int));
	int count = numbers ? fd_numbers(numbers, MAX_FDS, image_fd, -1) : 0;

	for (int i = 0; i < count; i++)
		if (numbers[i] > 2)
			sys_close(numbers[i]);
}

static int files_restore(struct image_reader *r)
{
	const struct ckpt_section *sec = image_find(r, CKPT_SEC_FILES);
	const struct ckpt_fd *fds;
	const char *strings;
	int32_t top = 2;
	long moved;
	void *buf;
	int rc;

	if (!sec)
		return IMAGE_ENOSECTION;
	buf = arena_alloc(sec->size + 1);
	if (!buf)
		return -ENOMEM;
	rc = image_read_section(r, CKPT_SEC_FILES, buf, sec->size, NULL);
	if (rc)
		return rc;
	((char *)buf)[sec->size] = 0;
	fds = buf;
	strings = (const char *)(fds + sec->count);
	for (uint64_t i = 0; i < sec->count; i++)
		top = fds[i].fd > top ? fds[i].fd : top;
	/* The image descriptor must not sit where a program's file goes. */
	moved = sys_fcntl(r->fd, F_DUPFD_CLOEXEC, top + 1);
	if (moved < 0)
		return (int)moved;
	sys_close(r->fd);
	r->fd = (int)moved;
	ckpt_restore_info.image_fd = (int)moved;
	fds_close_foreign(r->fd);
	for (uint64_t i = 0; i < sec->count; i++)
		fd_restore(&fds[i], strings + fds[i].path_off);
	return 0;
}

const struct ckpt_module ckpt_module_files = {
	.name = "files",
	.save = files_save,
	.restore = files_restore,
};
