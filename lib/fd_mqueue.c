/*
 * POSIX message queue descriptors (mq_open).  The descriptor's path is the
 * queue's name ("/name", with " (deleted)" once unlinked); its attributes
 * come from mq_getsetattr, its mode from fstat.
 *
 * Messages: the kernel has no peek.  In the pause, with every thread of the
 * program stopped, ckpt receives them all through a descriptor of its own
 * (opened through /proc, so an unlinked queue too) and sends them back in
 * the order received, each with its priority: receiving takes the highest
 * priority first and the oldest first within one, and sending appends at
 * the end of its priority, so the queue ends as it was.  Another process
 * using the queue meanwhile could slip a message in between (and one
 * waiting in mq_receive could take one sent back): a queue shared with
 * other processes is not the job's to save.
 *
 * Resume: a queue that is gone is created again (the same name, mode,
 * mq_maxmsg and mq_msgsize) and refilled; a queue the job created itself
 * (mq_open is interposed to know it) and that still exists is emptied and
 * refilled, since what it holds is what the killed run left; any other
 * queue is reopened as it is.  A queue unlinked while open is created,
 * refilled and unlinked again.  mq_notify registrations are not restored.
 */
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stdarg.h>
#include <string.h>
#include <sys/vfs.h>

#include "core.h"
#include "fdkinds.h"
#include "procfs.h"
#include "str.h"
#include "sys.h"

#define MQUEUE_MAGIC 0x19800202
#define MQ_SAVE_MAX (64ull << 20) /* bytes of messages kept per queue */
#define MQ_SAVED 1u   /* aux[3]: the messages are in data */
#define MQ_OWNED 2u   /* aux[3]: the job created the queue */
#define CREATED_MAX 256
#define MQ_NAME_MAX 256

/* The kernel's struct mq_attr. */
struct kmq_attr {
	long flags, maxmsg, msgsize, curmsgs, reserved[4];
};

/* --- the queues the job created (mq_open interposed) --------------------- */

static char created[CREATED_MAX][MQ_NAME_MAX];
static int created_lock;

static int name_created(const char *name)
{
	for (int i = 0; i < CREATED_MAX && created[i][0]; i++)
		if (str_eq(created[i], name))
			return 1;
	return 0;
}

/* Noted once the name is complete: the handler reads the table without
 * the lock, any time. */
static void name_note(const char *name)
{
	int i;

	if (str_len(name) >= MQ_NAME_MAX || name[0] != '/')
		return;
	while (__atomic_exchange_n(&created_lock, 1, __ATOMIC_ACQUIRE))
		;
	for (i = 0; i < CREATED_MAX && created[i][0]; i++)
		if (str_eq(created[i], name))
			break;
	if (i < CREATED_MAX && !created[i][0]) {
		str_add(created[i] + 1, created[i] + MQ_NAME_MAX, name + 1);
		__atomic_store_n(&created[i][0], '/', __ATOMIC_RELEASE);
	}
	__atomic_store_n(&created_lock, 0, __ATOMIC_RELEASE);
}

/*
 * With O_CREAT, asked first with O_EXCL as well: success means the job
 * made the queue.  Otherwise the call as the program made it.
 */
CKPT_EXPORT int mq_open(const char *name, int flags, ...)
{
	int mode = 0, fd;
	void *attr = NULL;
	va_list ap;

	REAL(mq_open);
	if (!(flags & O_CREAT))
		return real_mq_open(name, flags);
	va_start(ap, flags);
	mode = va_arg(ap, int);
	attr = va_arg(ap, void *);
	va_end(ap);
	fd = real_mq_open(name, flags | O_EXCL, mode, attr);
	if (fd < 0 && errno == EEXIST && !(flags & O_EXCL))
		return real_mq_open(name, flags, mode, attr);
	if (fd >= 0)
		name_note(name);
	return fd;
}

/* --- capture ------------------------------------------------------------- */

static int match_mqueue(int fd, const struct stat *st, const char *path)
{
	struct statfs sf;

	(void)path;
	return S_ISREG(st->st_mode) && sys_fstatfs(fd, &sf) == 0 &&
	       sf.f_type == MQUEUE_MAGIC;
}

/* The name without " (deleted)", into out; 1 when it was deleted. */
static int queue_name(const char *path, char *out, size_t size)
{
	size_t n = str_len(path);
	int deleted = str_ends(path, n, " (deleted)");

	str_add_n(out, out + size, path, deleted ? n - 10 : n);
	return deleted;
}

struct mq_buf {
	char *p;
	size_t len;
};

/* Every message, out and into mb, in the order received. */
static int queue_take(int q, const struct kmq_attr *a, struct mq_buf *mb,
		      size_t size)
{
	for (long i = 0; i < a->curmsgs; i++) {
		struct ckpt_mq_msg m = { 0 };
		long n;

		if (mb->len + sizeof(m) + (size_t)a->msgsize > size)
			return -ENOMEM;
		n = sys_mq_timedreceive(q, mb->p + mb->len + sizeof(m),
					(size_t)a->msgsize, &m.prio, NULL);
		if (n == -EAGAIN)
			break;
		if (n < 0)
			return (int)n;
		m.len = (uint32_t)n;
		memcpy(mb->p + mb->len, &m, sizeof(m));
		mb->len += sizeof(m) + (size_t)n;
	}
	return 0;
}

/* Back in the same order, each with its priority. */
static int queue_give_back(int q, const struct mq_buf *mb)
{
	for (size_t off = 0; off < mb->len;) {
		struct ckpt_mq_msg m;
		long rc;

		memcpy(&m, mb->p + off, sizeof(m));
		rc = sys_mq_timedsend(q, mb->p + off + sizeof(m), m.len, m.prio,
				      NULL);
		if (rc < 0)
			return (int)rc;
		off += sizeof(m) + m.len;
	}
	return 0;
}

static int messages_capture(struct fd_scan *s, struct ckpt_fd *f,
			    const struct kmq_attr *a)
{
	size_t size = (size_t)a->curmsgs *
		      (sizeof(struct ckpt_mq_msg) + (size_t)a->msgsize);
	struct mq_buf mb = { NULL, 0 };
	char proc[64];
	long q;
	int rc;

	if (size <= MQ_SAVE_MAX)
		mb.p = arena_alloc(size ? size : 1);
	if (!mb.p)
		return 0; /* not saved: a re-created queue is empty */
	proc_path_n(proc, sizeof(proc), "/proc/thread-self/fd/",
		    (uint64_t)f->fd);
	q = sys_open(proc, O_RDWR | O_NONBLOCK | O_CLOEXEC, 0);
	if (q < 0)
		return 0;
	rc = queue_take((int)q, a, &mb, size);
	/* Whatever was taken goes back, even after an error. */
	if (queue_give_back((int)q, &mb) && !rc)
		rc = -EIO;
	sys_close((int)q);
	if (rc)
		return rc;
	fd_data_begin(s, f);
	fd_data_add(s, f, mb.p, mb.len);
	f->aux[3] |= MQ_SAVED;
	return s->w->err;
}

static int mqueue_capture(struct fd_scan *s, struct ckpt_fd *f, size_t len)
{
	struct kmq_attr a = { 0 };
	char name[MQ_NAME_MAX];

	(void)len;
	if (sys_mq_getsetattr(f->fd, NULL, &a) < 0 || a.msgsize <= 0 ||
	    a.curmsgs < 0) {
		f->kind = CKPT_FD_OTHER;
		return 0;
	}
	f->aux[0] = (uint64_t)a.maxmsg;
	f->aux[1] = (uint64_t)a.msgsize;
	f->aux[2] = (uint64_t)a.curmsgs;
	queue_name(s->strings + f->path_off, name, sizeof(name));
	if (name_created(name))
		f->aux[3] |= MQ_OWNED;
	return messages_capture(s, f, &a);
}

/* --- resume -------------------------------------------------------------- */

static int refill(struct fd_restore *x, const struct ckpt_fd *f, int q)
{
	uint64_t off = 0;
	int rc = 0;

	if (!(f->aux[3] & MQ_SAVED))
		return 0;
	while (!rc && off < f->data_len) {
		struct ckpt_mq_msg m;

		rc = fd_data_read(x, f, off, &m, sizeof(m));
		if (rc || m.len > x->buf_size)
			return rc ? rc : IMAGE_EMALFORMED;
		off += sizeof(m);
		rc = fd_data_read(x, f, off, x->buf, m.len);
		if (!rc)
			rc = (int)sys_mq_timedsend(q, x->buf, m.len, m.prio, NULL);
		off += m.len;
	}
	return rc;
}

/* A queue the job owns, found still there: what the killed run left in
 * it goes, before the checkpoint's messages go in. */
static void empty(int q, char *buf, size_t size)
{
	while (sys_mq_timedreceive(q, buf, size, NULL, NULL) >= 0)
		;
}

/* Our descriptor on the queue, created again if it is gone; *made says
 * whether it was. */
static long queue_get(const struct ckpt_fd *f, const char *name, int *made)
{
	struct kmq_attr a = { .maxmsg = (long)f->aux[0],
			      .msgsize = (long)f->aux[1] };
	int old_mask = (int)sys_umask(0);
	long q = sys_mq_open(name + 1,
			     O_RDWR | O_CREAT | O_EXCL | O_NONBLOCK | O_CLOEXEC,
			     (int)(f->mode & 0777), &a);

	sys_umask(old_mask);
	*made = q >= 0;
	if (q == -EEXIST)
		q = sys_mq_open(name + 1, O_RDWR | O_NONBLOCK | O_CLOEXEC, 0,
				NULL);
	return q;
}

static long mqueue_open(struct fd_restore *x, uint32_t i, const char *path)
{
	const struct ckpt_fd *f = &x->fds[i];
	char name[MQ_NAME_MAX];
	int deleted = queue_name(path, name, sizeof(name)), made = 0, rc = 0;
	long q, fd;

	if (name[0] != '/' || !name[1] || str_len(name) + 1 >= sizeof(name))
		return IMAGE_EMALFORMED;
	q = queue_get(f, name, &made);
	if (q < 0)
		return q;
	if (deleted && !made) {
		sys_close((int)q);
		return -EEXIST; /* that name is another queue's now */
	}
	if (!made && (f->aux[3] & MQ_OWNED))
		empty((int)q, x->buf, x->buf_size);
	if (made || (f->aux[3] & MQ_OWNED))
		rc = refill(x, f, (int)q);
	fd = rc ? rc
		: sys_mq_open(name + 1,
			      (int)(f->open_flags & (O_ACCMODE | O_NONBLOCK)) |
				      O_CLOEXEC,
			      0, NULL);
	if (deleted)
		sys_mq_unlink(name + 1);
	sys_close((int)q);
	return fd;
}

const struct fd_kind_ops fd_ops_mqueue = {
	.kind = CKPT_FD_MQUEUE,
	.match = match_mqueue,
	.capture = mqueue_capture,
	.open = mqueue_open,
};
