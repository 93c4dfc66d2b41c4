/*
 * Files with a name: regular files, directories, character devices,
 * memfds and files deleted while open, and the output files put back as
 * they were at the checkpoint (docs/files.md).
 */
#include <errno.h>
#include <fcntl.h>

#include "core.h"
#include "fdkinds.h"
#include "journal.h"
#include "procfs.h"
#include "str.h"
#include "sys.h"

/* Contents of deleted files and memfds are all there is of them: kept up
 * to this size whatever CKPT_FILE_SAVE_MAX says. */
#define DELETED_SAVE_MAX (1ull << 30)

/* --- capture ------------------------------------------------------------- */

/*
 * A writable descriptor the program got from its parent (other than the
 * standard streams) may be a file some live process still writes, such as
 * a test harness's log: only files the program opened itself, and its
 * standard streams, are put back to their checkpoint state.
 */
static int written_by_program(const struct ckpt_fd *f)
{
	const struct fd_track *t = fd_track_get(f->fd);

	return f->fd <= 2 || (t && t->known) || output_known(f->dev, f->ino);
}

int fd_output_capture(struct fd_scan *s, struct ckpt_fd *f)
{
	f->flags |= CKPT_FDF_OUTPUT;
	if (f->size > ckpt_cfg.file_save_max || fd_inode_saved(s, f))
		return 0;
	return fd_data_from_file(s, f, f->size);
}

static int regular_capture(struct fd_scan *s, struct ckpt_fd *f, size_t len)
{
	int deleted = (f->flags & CKPT_FDF_DELETED) || f->kind == CKPT_FD_MEMFD;

	(void)len;
	if (deleted) {
		if (f->size > DELETED_SAVE_MAX || fd_inode_saved(s, f))
			return 0;
		return fd_data_from_file(s, f, f->size);
	}
	if (fd_access_mode(f) == O_RDONLY || !written_by_program(f))
		return 0;
	return fd_output_capture(s, f);
}

static int regular_restorable(const struct ckpt_fd *fds, uint32_t n,
			      const struct ckpt_fd *f)
{
	(void)fds;
	(void)n;
	return !(f->flags & CKPT_FDF_DELETED) || (f->flags & CKPT_FDF_DATA);
}

static int memfd_restorable(const struct ckpt_fd *fds, uint32_t n,
			    const struct ckpt_fd *f)
{
	(void)fds;
	(void)n;
	return (f->flags & CKPT_FDF_DATA) != 0;
}

/* --- resume: outputs ----------------------------------------------------- */

int fd_std_stream_same_file(const struct ckpt_fd *f)
{
	struct stat st = { 0 };

	return f->fd <= 2 && f->kind == CKPT_FD_REGULAR &&
	       sys_fstat(f->fd, &st) == 0 && st.st_dev == f->dev &&
	       st.st_ino == f->ino;
}

static void output_warn(const char *path, const char *why)
{
	say(2, "warning: the output file ", path,
	    " cannot be put back as it was at the checkpoint: ", why);
}

static void output_restore(struct fd_restore *x, const struct ckpt_fd *f,
			   const char *path)
{
	const struct ckpt_fd *d = fd_inode_data(x, f);
	struct stat st = { 0 };
	long fd = fd_std_stream_same_file(f)
			  ? f->fd
			  : sys_open(path, O_WRONLY | O_CREAT | O_CLOEXEC,
				     (int)(f->mode & 07777));
	int rc = 0;

	if (fd < 0) {
		output_warn(path, errno_text(fd));
		return;
	}
	if (d)
		rc = fd_data_to_fd(x, d, (int)fd, 1);
	else if (sys_fstat((int)fd, &st) == 0 && (uint64_t)st.st_size < f->size)
		output_warn(path, "it is shorter than at the checkpoint");
	if (!rc)
		rc = (int)sys_ftruncate((int)fd, f->size);
	if (rc)
		output_warn(path, fd_error_text(rc));
	if (fd != f->fd)
		sys_close((int)fd);
}

void fd_outputs_restore(struct fd_restore *x)
{
	for (uint32_t i = 0; i < x->n; i++) {
		const struct ckpt_fd *f = &x->fds[i];
		const char *path = image_table_string(&x->table, f->path_off);
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

/* --- resume: descriptors ------------------------------------------------- */

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
	const struct ckpt_fd *d = fd_inode_data(x, f);
	char proc[64];
	long fd, again;
	int rc;

	if (!d)
		return -ENOENT;
	fd = f->kind == CKPT_FD_MEMFD ? memfd_create_named(path)
				      : deleted_create(f, path);
	if (fd < 0)
		return fd;
	rc = fd_data_to_fd(x, d, (int)fd, 1);
	if (rc) {
		sys_close((int)fd);
		return rc;
	}
	/* The original access mode and status flags, through /proc. */
	proc_path_n(proc, sizeof(proc), "/proc/thread-self/fd/",
		    (uint64_t)fd);
	again = sys_open(proc, fd_reopen_flags(f), 0);
	sys_close((int)fd);
	return again;
}

static long regular_open(struct fd_restore *x, uint32_t i, const char *path)
{
	const struct ckpt_fd *f = &x->fds[i];

	if (f->kind == CKPT_FD_MEMFD || (f->flags & CKPT_FDF_DELETED))
		return unnamed_restore(x, f, path);
	return sys_open(path, fd_reopen_flags(f), 0);
}

/* --- the kinds ----------------------------------------------------------- */

static int match_memfd(int fd, const struct stat *st, const char *path)
{
	(void)fd;
	return S_ISREG(st->st_mode) && str_starts(path, "/memfd:");
}

static int match_regular(int fd, const struct stat *st, const char *path)
{
	(void)fd;
	(void)path;
	return S_ISREG(st->st_mode);
}

static int match_dir(int fd, const struct stat *st, const char *path)
{
	(void)fd;
	(void)path;
	return S_ISDIR(st->st_mode);
}

static int match_char(int fd, const struct stat *st, const char *path)
{
	(void)fd;
	(void)path;
	return S_ISCHR(st->st_mode);
}

const struct fd_kind_ops fd_ops_memfd = {
	.kind = CKPT_FD_MEMFD,
	.match = match_memfd,
	.capture = regular_capture,
	.restorable = memfd_restorable,
	.open = regular_open,
	.seek = 1,
};

const struct fd_kind_ops fd_ops_regular = {
	.kind = CKPT_FD_REGULAR,
	.match = match_regular,
	.capture = regular_capture,
	.restorable = regular_restorable,
	.open = regular_open,
	.seek = 1,
};

/* Directories keep their offset, for readdir. */
const struct fd_kind_ops fd_ops_dir = {
	.kind = CKPT_FD_DIR,
	.match = match_dir,
	.open = regular_open,
	.seek = 1,
};

/* /dev/null, /dev/zero, a terminal: reopened by path. */
const struct fd_kind_ops fd_ops_char = {
	.kind = CKPT_FD_CHAR,
	.match = match_char,
	.open = regular_open,
};
