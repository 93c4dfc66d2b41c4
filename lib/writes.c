/*
 * Interposed calls that change bytes of a file in place: each tells the
 * undo log (undo.c) what it is about to replace, then calls libc's own.
 * And reads, which store into memory from the kernel: a page of a guarded
 * shared mapping they store into is made writable first (undo_maps.c).
 * glibc's stdio writes through its internal write, past these: a stream
 * repositioned over a large file is the one in-place writer they miss
 * (docs/files.md).
 *
 * libc's functions are looked up at load, not at the first call: write is
 * called from signal handlers, where dlsym must not run.
 */
#include <dlfcn.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "core.h"
#include "undo.h"

#define FALLOC_PUNCH_HOLE 0x02
#define FALLOC_COLLAPSE_RANGE 0x08
#define FALLOC_ZERO_RANGE 0x10
#define FALLOC_INSERT_RANGE 0x20
#define RWF_APPEND_FLAG 0x10

CKPT_LIBC(write);
CKPT_LIBC(pwrite);
CKPT_LIBC(pwrite64);
CKPT_LIBC(writev);
CKPT_LIBC(pwritev);
CKPT_LIBC(pwritev64);
CKPT_LIBC(pwritev2);
CKPT_LIBC(pwritev64v2);
CKPT_LIBC(ftruncate);
CKPT_LIBC(ftruncate64);
CKPT_LIBC(truncate);
CKPT_LIBC(truncate64);
CKPT_LIBC(fallocate);
CKPT_LIBC(fallocate64);
CKPT_LIBC(copy_file_range);
CKPT_LIBC(sendfile);
CKPT_LIBC(sendfile64);
CKPT_LIBC(splice);
CKPT_LIBC(fclose);
CKPT_LIBC(read);
CKPT_LIBC(pread);
CKPT_LIBC(pread64);
CKPT_LIBC(readv);
CKPT_LIBC(recv);
CKPT_LIBC(recvfrom);

void writes_init(void)
{
	CKPT_RESOLVE(write);
	CKPT_RESOLVE(pwrite);
	CKPT_RESOLVE(pwrite64);
	CKPT_RESOLVE(writev);
	CKPT_RESOLVE(pwritev);
	CKPT_RESOLVE(pwritev64);
	CKPT_RESOLVE(pwritev2);
	CKPT_RESOLVE(pwritev64v2);
	CKPT_RESOLVE(ftruncate);
	CKPT_RESOLVE(ftruncate64);
	CKPT_RESOLVE(truncate);
	CKPT_RESOLVE(truncate64);
	CKPT_RESOLVE(fallocate);
	CKPT_RESOLVE(fallocate64);
	CKPT_RESOLVE(copy_file_range);
	CKPT_RESOLVE(sendfile);
	CKPT_RESOLVE(sendfile64);
	CKPT_RESOLVE(splice);
	CKPT_RESOLVE(fclose);
	CKPT_RESOLVE(read);
	CKPT_RESOLVE(pread);
	CKPT_RESOLVE(pread64);
	CKPT_RESOLVE(readv);
	CKPT_RESOLVE(recv);
	CKPT_RESOLVE(recvfrom);
}

/* The call of libc's NAME(ARGS) between undo_begin(FD, OFF, LEN, HOW) and
 * undo_end. */
#define GUARDED(type, name, fd, off, len, how, ...)                          \
	do {                                                                 \
		struct undo_guard g;                                         \
		type rc;                                                     \
                                                                             \
		CKPT_RESOLVE(name);                                          \
		undo_begin(&g, fd, off, len, how);                           \
		rc = libc_##name(__VA_ARGS__);                               \
		undo_end(&g);                                                \
		return rc;                                                   \
	} while (0)

static uint64_t iov_bytes(const struct iovec *iov, int n)
{
	uint64_t sum = 0;

	for (int i = 0; i < n && iov; i++)
		sum += iov[i].iov_len;
	return sum;
}

CKPT_EXPORT ssize_t write(int fd, const void *buf, size_t n)
{
	GUARDED(ssize_t, write, fd, UNDO_AT_POS, n, UNDO_WRITE, fd, buf, n);
}

CKPT_EXPORT ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
	GUARDED(ssize_t, pwrite, fd, off, n, UNDO_WRITE, fd, buf, n, off);
}

CKPT_EXPORT ssize_t pwrite64(int fd, const void *buf, size_t n, off64_t off)
{
	GUARDED(ssize_t, pwrite64, fd, off, n, UNDO_WRITE, fd, buf, n, off);
}

CKPT_EXPORT ssize_t writev(int fd, const struct iovec *iov, int n)
{
	GUARDED(ssize_t, writev, fd, UNDO_AT_POS, iov_bytes(iov, n), UNDO_WRITE,
		fd, iov, n);
}

CKPT_EXPORT ssize_t pwritev(int fd, const struct iovec *iov, int n, off_t off)
{
	GUARDED(ssize_t, pwritev, fd, off, iov_bytes(iov, n), UNDO_WRITE, fd,
		iov, n, off);
}

CKPT_EXPORT ssize_t pwritev64(int fd, const struct iovec *iov, int n,
			      off64_t off)
{
	GUARDED(ssize_t, pwritev64, fd, off, iov_bytes(iov, n), UNDO_WRITE, fd,
		iov, n, off);
}

/* Offset -1: at the file position; RWF_APPEND: at its end. */
CKPT_EXPORT ssize_t pwritev2(int fd, const struct iovec *iov, int n, off_t off,
			     int flags)
{
	GUARDED(ssize_t, pwritev2, fd, off < 0 ? UNDO_AT_POS : off,
		(flags & RWF_APPEND_FLAG) ? 0 : iov_bytes(iov, n), UNDO_WRITE,
		fd, iov, n, off, flags);
}

CKPT_EXPORT ssize_t pwritev64v2(int fd, const struct iovec *iov, int n,
				off64_t off, int flags)
{
	GUARDED(ssize_t, pwritev64v2, fd, off < 0 ? UNDO_AT_POS : off,
		(flags & RWF_APPEND_FLAG) ? 0 : iov_bytes(iov, n), UNDO_WRITE,
		fd, iov, n, off, flags);
}

CKPT_EXPORT int ftruncate(int fd, off_t len)
{
	GUARDED(int, ftruncate, fd, len, UNDO_TO_END, UNDO_CHANGE, fd, len);
}

CKPT_EXPORT int ftruncate64(int fd, off64_t len)
{
	GUARDED(int, ftruncate64, fd, len, UNDO_TO_END, UNDO_CHANGE, fd, len);
}

/* What of a file fallocate changes: a hole punched or zeroed, or all from
 * off on when the range is collapsed or inserted; nothing when it only
 * allocates. */
static uint64_t fallocate_len(int mode, uint64_t len)
{
	if (mode & (FALLOC_COLLAPSE_RANGE | FALLOC_INSERT_RANGE))
		return UNDO_TO_END;
	return mode & (FALLOC_PUNCH_HOLE | FALLOC_ZERO_RANGE) ? len : 0;
}

CKPT_EXPORT int fallocate(int fd, int mode, off_t off, off_t len)
{
	GUARDED(int, fallocate, fd, off, fallocate_len(mode, (uint64_t)len),
		UNDO_CHANGE, fd, mode, off, len);
}

CKPT_EXPORT int fallocate64(int fd, int mode, off64_t off, off64_t len)
{
	GUARDED(int, fallocate64, fd, off, fallocate_len(mode, (uint64_t)len),
		UNDO_CHANGE, fd, mode, off, len);
}

CKPT_EXPORT ssize_t copy_file_range(int in, off64_t *in_off, int out,
				    off64_t *out_off, size_t len,
				    unsigned int flags)
{
	GUARDED(ssize_t, copy_file_range, out, out_off ? *out_off : UNDO_AT_POS,
		len, UNDO_WRITE, in, in_off, out, out_off, len, flags);
}

CKPT_EXPORT ssize_t sendfile(int out, int in, off_t *off, size_t count)
{
	GUARDED(ssize_t, sendfile, out, UNDO_AT_POS, count, UNDO_WRITE, out, in,
		off, count);
}

CKPT_EXPORT ssize_t sendfile64(int out, int in, off64_t *off, size_t count)
{
	GUARDED(ssize_t, sendfile64, out, UNDO_AT_POS, count, UNDO_WRITE, out,
		in, off, count);
}

CKPT_EXPORT ssize_t splice(int in, off64_t *in_off, int out, off64_t *out_off,
			   size_t len, unsigned int flags)
{
	GUARDED(ssize_t, splice, out, out_off ? *out_off : UNDO_AT_POS, len,
		UNDO_WRITE, in, in_off, out, out_off, len, flags);
}

static int truncate_at(const char *path, uint64_t len)
{
	struct undo_guard g;
	int rc;

	CKPT_RESOLVE(truncate64);
	undo_path_begin(&g, AT_FDCWD, path, len);
	rc = libc_truncate64(path, (off64_t)len);
	undo_end(&g);
	return rc;
}

CKPT_EXPORT int truncate(const char *path, off_t len)
{
	return truncate_at(path, (uint64_t)len);
}

CKPT_EXPORT int truncate64(const char *path, off64_t len)
{
	return truncate_at(path, (uint64_t)len);
}

/* The stream's descriptor is closed inside libc, past close(). */
CKPT_EXPORT int fclose(FILE *f)
{
	CKPT_RESOLVE(fclose);
	if (f)
		undo_fd_forget(fileno(f));
	return libc_fclose(f);
}

/* --- reads -------------------------------------------------------------- */

CKPT_EXPORT ssize_t read(int fd, void *buf, size_t n)
{
	CKPT_RESOLVE(read);
	undo_maps_prefault(buf, n);
	return libc_read(fd, buf, n);
}

CKPT_EXPORT ssize_t pread(int fd, void *buf, size_t n, off_t off)
{
	CKPT_RESOLVE(pread);
	undo_maps_prefault(buf, n);
	return libc_pread(fd, buf, n, off);
}

CKPT_EXPORT ssize_t pread64(int fd, void *buf, size_t n, off64_t off)
{
	CKPT_RESOLVE(pread64);
	undo_maps_prefault(buf, n);
	return libc_pread64(fd, buf, n, off);
}

CKPT_EXPORT ssize_t readv(int fd, const struct iovec *iov, int n)
{
	CKPT_RESOLVE(readv);
	for (int i = 0; iov && i < n; i++)
		undo_maps_prefault(iov[i].iov_base, iov[i].iov_len);
	return libc_readv(fd, iov, n);
}

CKPT_EXPORT ssize_t recv(int fd, void *buf, size_t n, int flags)
{
	CKPT_RESOLVE(recv);
	undo_maps_prefault(buf, n);
	return libc_recv(fd, buf, n, flags);
}

CKPT_EXPORT ssize_t recvfrom(int fd, void *buf, size_t n, int flags,
			     struct sockaddr *from, socklen_t *len)
{
	CKPT_RESOLVE(recvfrom);
	undo_maps_prefault(buf, n);
	return libc_recvfrom(fd, buf, n, flags, from, len);
}
