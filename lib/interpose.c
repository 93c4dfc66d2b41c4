/*
 * Interposed descriptor calls.  They pass everything through unchanged and
 * note, per descriptor, how it was made: the flags it was opened with and,
 * for a duplicate, its source.  /proc stays the ground truth at checkpoint
 * time; this table fills in what /proc does not tell.
 */
#include <dlfcn.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core.h"
#include "journal.h"

#define TRACK_MAX 65536

static struct fd_track track[TRACK_MAX];

const struct fd_track *fd_track_get(int fd)
{
	return fd >= 0 && fd < TRACK_MAX ? &track[fd] : NULL;
}

static int track_open(int fd, int flags)
{
	if (fd >= 0 && fd < TRACK_MAX) {
		track[fd].open_flags = (uint32_t)flags;
		track[fd].dup_of = -1;
		track[fd].known = 1;
	}
	return fd;
}

static int track_dup(int fd, int from)
{
	undo_fd_forget(fd);
	if (fd >= 0 && fd < TRACK_MAX && fd != from) {
		const struct fd_track *src = fd_track_get(from);

		track[fd].open_flags = src ? src->open_flags : 0;
		track[fd].dup_of = from;
		track[fd].known = 1;
	}
	return fd;
}

static int open_writes(int flags)
{
	int writes = (flags & O_ACCMODE) != O_RDONLY || (flags & (O_CREAT | O_TRUNC));

	return writes ? PRIOR_WRITES | (flags & O_TRUNC ? PRIOR_TRUNCATES : 0) : 0;
}

static mode_t open_mode(int flags, va_list ap)
{
	return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE
		       ? (mode_t)va_arg(ap, int)
		       : 0;
}

CKPT_EXPORT int open(const char *path, int flags, ...)
{
	struct prior prior;
	va_list ap;
	mode_t mode;

	REAL(open);
	va_start(ap, flags);
	mode = open_mode(flags, ap);
	va_end(ap);
	output_prior(&prior, AT_FDCWD, path, open_writes(flags));
	return track_open(output_opened(real_open(path, flags, mode), &prior),
			  flags);
}

CKPT_EXPORT int open64(const char *path, int flags, ...)
{
	struct prior prior;
	va_list ap;
	mode_t mode;

	REAL(open64);
	va_start(ap, flags);
	mode = open_mode(flags, ap);
	va_end(ap);
	output_prior(&prior, AT_FDCWD, path, open_writes(flags));
	return track_open(output_opened(real_open64(path, flags, mode), &prior),
			  flags);
}

CKPT_EXPORT int openat(int dirfd, const char *path, int flags, ...)
{
	struct prior prior;
	va_list ap;
	mode_t mode;

	REAL(openat);
	va_start(ap, flags);
	mode = open_mode(flags, ap);
	va_end(ap);
	output_prior(&prior, dirfd, path, open_writes(flags));
	return track_open(output_opened(real_openat(dirfd, path, flags, mode),
					&prior),
			  flags);
}

CKPT_EXPORT int openat64(int dirfd, const char *path, int flags, ...)
{
	struct prior prior;
	va_list ap;
	mode_t mode;

	REAL(openat64);
	va_start(ap, flags);
	mode = open_mode(flags, ap);
	va_end(ap);
	output_prior(&prior, dirfd, path, open_writes(flags));
	return track_open(output_opened(real_openat64(dirfd, path, flags, mode),
					&prior),
			  flags);
}

CKPT_EXPORT int creat(const char *path, mode_t mode)
{
	REAL(creat);
	struct prior prior;

	output_prior(&prior, AT_FDCWD, path, PRIOR_WRITES | PRIOR_TRUNCATES);
	return track_open(output_opened(real_creat(path, mode), &prior),
			  O_CREAT | O_WRONLY | O_TRUNC);
}

CKPT_EXPORT int creat64(const char *path, mode_t mode)
{
	REAL(creat64);
	struct prior prior;

	output_prior(&prior, AT_FDCWD, path, PRIOR_WRITES | PRIOR_TRUNCATES);
	return track_open(output_opened(real_creat64(path, mode), &prior),
			  O_CREAT | O_WRONLY | O_TRUNC);
}

CKPT_EXPORT int close(int fd)
{
	REAL(close);
	if (fd >= 0 && fd < TRACK_MAX)
		track[fd].known = 0;
	undo_fd_forget(fd);
	return real_close(fd);
}

CKPT_EXPORT int dup(int fd)
{
	REAL(dup);
	return track_dup(real_dup(fd), fd);
}

CKPT_EXPORT int dup2(int fd, int to)
{
	REAL(dup2);
	return track_dup(real_dup2(fd, to), fd);
}

CKPT_EXPORT int dup3(int fd, int to, int flags)
{
	REAL(dup3);
	return track_dup(real_dup3(fd, to, flags), fd);
}

static int fcntl_tracked(int fd, int cmd, int rc)
{
	if (cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC)
		return track_dup(rc, fd);
	if (cmd == F_SETFL) /* O_APPEND may have changed */
		undo_fd_forget(fd);
	return rc;
}

CKPT_EXPORT int fcntl(int fd, int cmd, ...)
{
	va_list ap;
	long arg;

	REAL(fcntl);
	va_start(ap, cmd);
	arg = va_arg(ap, long);
	va_end(ap);
	return fcntl_tracked(fd, cmd, real_fcntl(fd, cmd, arg));
}

CKPT_EXPORT int fcntl64(int fd, int cmd, ...)
{
	va_list ap;
	long arg;

	REAL(fcntl64);
	va_start(ap, cmd);
	arg = va_arg(ap, long);
	va_end(ap);
	return fcntl_tracked(fd, cmd, real_fcntl64(fd, cmd, arg));
}

/* stdio opens files through glibc's internal open, past the wrappers
 * above: fopen and freopen note their files here. */
static FILE *fopen_noted(FILE *f, struct prior *p)
{
	output_opened(f ? fileno(f) : -1, p);
	return f;
}

static int fopen_writes(const char *mode)
{
	if (mode[0] == 'w')
		return PRIOR_WRITES | PRIOR_TRUNCATES;
	return mode[0] == 'a' || (mode[0] && mode[1] == '+') ||
	       (mode[0] && mode[1] && mode[2] == '+');
}

CKPT_EXPORT FILE *fopen(const char *path, const char *mode)
{
	struct prior prior;

	REAL(fopen);
	output_prior(&prior, AT_FDCWD, path, fopen_writes(mode));
	return fopen_noted(real_fopen(path, mode), &prior);
}

CKPT_EXPORT FILE *fopen64(const char *path, const char *mode)
{
	struct prior prior;

	REAL(fopen64);
	output_prior(&prior, AT_FDCWD, path, fopen_writes(mode));
	return fopen_noted(real_fopen64(path, mode), &prior);
}

CKPT_EXPORT FILE *freopen(const char *path, const char *mode, FILE *stream)
{
	struct prior prior;

	REAL(freopen);
	output_prior(&prior, AT_FDCWD, path ? path : "",
		     path && fopen_writes(mode));
	return fopen_noted(real_freopen(path, mode, stream), &prior);
}
