/*
 * Pipes and FIFOs.  A pipe comes back only with both its ends (a new pipe,
 * the same capacity and buffered bytes); a FIFO is reopened by path, and
 * with both ends held, its bytes are put back too.
 */
#include <errno.h>
#include <fcntl.h>

#include "core.h"
#include "fdkinds.h"
#include "str.h"
#include "sys.h"

/* The other end of a pipe or FIFO among the program's descriptors. */
static const struct ckpt_fd *pipe_peer(const struct ckpt_fd *fds, uint32_t n,
				       const struct ckpt_fd *f)
{
	uint32_t want = fd_access_mode(f) == O_RDONLY ? O_WRONLY : O_RDONLY;

	for (uint32_t i = 0; i < n; i++)
		if (fds[i].kind == f->kind && fds[i].ino == f->ino &&
		    fds[i].dev == f->dev && fds[i].dup_of < 0 &&
		    fd_access_mode(&fds[i]) == want)
			return &fds[i];
	return NULL;
}

/* --- capture ------------------------------------------------------------- */

static int pipe_capture(struct fd_scan *s, struct ckpt_fd *f, size_t len)
{
	(void)s;
	(void)len;
	f->aux[0] = (uint64_t)sys_fcntl(f->fd, F_GETPIPE_SZ, 0);
	return 0;
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
	fd_data_begin(s, rd);
	fd_data_add(s, rd, s->buf, (size_t)got);
	for (long off = 0; off < got; off += n) {
		n = sys_write(wr->fd, s->buf + off, (size_t)(got - off));
		if (n <= 0)
			return n < 0 ? (int)n : -EIO;
	}
	return s->w->err;
}

/* Pipes and FIFOs alike: the bytes of each one whose both ends are held,
 * saved with its read end. */
static int pipes_capture_all(struct fd_scan *s)
{
	for (uint32_t i = 0; i < s->n; i++) {
		struct ckpt_fd *f = &s->fds[i];
		const struct ckpt_fd *peer;
		int rc;

		if ((f->kind != CKPT_FD_PIPE && f->kind != CKPT_FD_FIFO) ||
		    f->dup_of >= 0 || fd_access_mode(f) != O_RDONLY)
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

static int pipe_restorable(const struct ckpt_fd *fds, uint32_t n,
			   const struct ckpt_fd *f)
{
	return pipe_peer(fds, n, f) != NULL;
}

static int fifo_restorable(const struct ckpt_fd *fds, uint32_t n,
			   const struct ckpt_fd *f)
{
	return fd_access_mode(f) == O_RDONLY || pipe_peer(fds, n, f);
}

/* --- resume -------------------------------------------------------------- */

/* Both new ends, non-blocking while the saved bytes go in: more than the
 * pipe holds (a forged length, or a capacity this system refuses) must not
 * hang the resume.  Each end gets its own flags afterwards. */
static long ends_make(const struct ckpt_fd *f, const char *path, long ends[2])
{
	int p[2] = { -1, -1 };
	long rc;

	if (f->kind == CKPT_FD_PIPE) {
		rc = sys_pipe2(p, O_CLOEXEC | O_NONBLOCK);
		ends[0] = p[0];
		ends[1] = p[1];
		return rc;
	}
	ends[0] = sys_open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC, 0);
	ends[1] = sys_open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC, 0);
	if (ends[0] >= 0 && ends[1] >= 0)
		return 0;
	if (ends[0] >= 0)
		sys_close((int)ends[0]);
	if (ends[1] >= 0)
		sys_close((int)ends[1]);
	return ends[0] < 0 ? ends[0] : ends[1];
}

/* Both ends of a pipe or FIFO; `f` is either.  Data goes back in. */
static long pipe_open(struct fd_restore *x, uint32_t i, const char *path)
{
	const struct ckpt_fd *f = &x->fds[i];
	const struct ckpt_fd *peer = pipe_peer(x->fds, x->n, f);
	const struct ckpt_fd *rd = fd_access_mode(f) == O_RDONLY ? f : peer;
	const struct ckpt_fd *wr = rd == f ? peer : f;
	long ends[2], rc;

	if (f->kind == CKPT_FD_FIFO && !peer && rd == f)
		return sys_open(path, fd_reopen_flags(f), 0);
	if (!peer)
		return -EPIPE;
	rc = ends_make(f, path, ends);
	if (rc < 0)
		return rc;
	if (rd->aux[0])
		sys_fcntl((int)ends[1], F_SETPIPE_SZ, (long)rd->aux[0]);
	if (rd->flags & CKPT_FDF_DATA)
		fd_data_to_fd(x, rd, (int)ends[1], 0);
	sys_fcntl((int)ends[0], F_SETFL, (long)rd->open_flags);
	sys_fcntl((int)ends[1], F_SETFL, (long)wr->open_flags);
	for (int e = 0; e < 2; e++)
		ends[e] = fd_out_of_the_way(ends[e]);
	fd_place_peer(x, peer, ends[rd == f ? 1 : 0]);
	return ends[rd == f ? 0 : 1];
}

static int match_pipe(int fd, const struct stat *st, const char *path)
{
	(void)fd;
	return S_ISFIFO(st->st_mode) && str_starts(path, "pipe:[");
}

static int match_fifo(int fd, const struct stat *st, const char *path)
{
	(void)fd;
	(void)path;
	return S_ISFIFO(st->st_mode);
}

const struct fd_kind_ops fd_ops_pipe = {
	.kind = CKPT_FD_PIPE,
	.match = match_pipe,
	.capture = pipe_capture,
	.capture_all = pipes_capture_all,
	.restorable = pipe_restorable,
	.open = pipe_open,
};

const struct fd_kind_ops fd_ops_fifo = {
	.kind = CKPT_FD_FIFO,
	.match = match_fifo,
	.capture = pipe_capture,
	.restorable = fifo_restorable,
	.open = pipe_open,
};
