/*
 * Unix-domain sockets whose both ends the program holds: a socketpair, or
 * a client and the socket a listener accepted for it.  They come back as a
 * new socketpair of the same type with each end's receive queue, buffer
 * size, peek offset, shutdown state and status flags; an end whose peer
 * was closed comes back with its queue and a closed other end.  Any other
 * socket (listening, unconnected, or with a peer in another process) stays
 * "not restorable", named in the warning of the first checkpoint.
 *
 * The peer is found by inode with the sock_diag netlink interface
 * (UNIX_DIAG_PEER): it needs no privilege, asks about one socket at a time
 * and tells the shutdown state too.  /proc/net/unix has no peer column,
 * and kcmp compares files, not the two ends of a connection.
 *
 * The receive queue is read with MSG_PEEK under SO_PEEK_OFF, which walks
 * it from the start without taking anything out of the running program,
 * one message at a time for SOCK_DGRAM and SOCK_SEQPACKET (so their
 * boundaries are kept).  Descriptors and credentials passed in the queue
 * (SCM_RIGHTS) are not kept: the data comes back without them.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>

#include "fdkinds.h"
#include "str.h"
#include "sys.h"

#define TCP_ESTABLISHED_STATE 1
#define QUEUE_MAX_MSGS 100000 /* a bound on the walk, whatever happens */

struct sock_info {
	uint32_t state;
	uint64_t peer;
	uint32_t shutdown;
};

static int sockopt_int(int fd, int name, int *out)
{
	unsigned len = sizeof(*out);

	return (int)sys_getsockopt(fd, SOL_SOCKET, name, out, &len);
}

/* --- sock_diag ----------------------------------------------------------- */

static int diag_ask(int nl, uint64_t ino)
{
	struct {
		struct nlmsghdr h;
		struct unix_diag_req r;
	} m = { 0 };
	struct sockaddr_nl to = { .nl_family = AF_NETLINK };

	m.h.nlmsg_len = sizeof(m);
	m.h.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	m.h.nlmsg_flags = NLM_F_REQUEST;
	m.r.sdiag_family = AF_UNIX;
	m.r.udiag_ino = (uint32_t)ino;
	m.r.udiag_states = ~0u;
	m.r.udiag_show = UDIAG_SHOW_PEER;
	m.r.udiag_cookie[0] = m.r.udiag_cookie[1] = ~0u; /* no cookie */
	return (int)sys_sendto(nl, &m, sizeof(m), 0, &to, sizeof(to));
}

/* The attributes of the answer: the peer's inode, the shutdown bits. */
static int diag_parse(const char *buf, long n, uint64_t ino,
		      struct sock_info *out)
{
	const struct nlmsghdr *h = (const void *)buf;
	const struct unix_diag_msg *d = NLMSG_DATA(h);
	long at;

	if (n < (long)NLMSG_LENGTH(sizeof(*d)) || h->nlmsg_len > (uint32_t)n ||
	    h->nlmsg_type != SOCK_DIAG_BY_FAMILY || d->udiag_ino != ino)
		return -ENOENT;
	out->state = d->udiag_state;
	for (at = NLMSG_LENGTH(sizeof(*d)); at + 4 <= (long)h->nlmsg_len;) {
		const struct nlattr *a = (const void *)(buf + at);

		if (a->nla_len < 4 || at + a->nla_len > (long)h->nlmsg_len)
			break;
		if (a->nla_type == UNIX_DIAG_PEER && a->nla_len >= 8)
			out->peer = *(const uint32_t *)(a + 1);
		if (a->nla_type == UNIX_DIAG_SHUTDOWN && a->nla_len >= 5)
			out->shutdown = *(const uint8_t *)(a + 1);
		at += NLA_ALIGN(a->nla_len);
	}
	return 0;
}

static int sock_diag(struct fd_scan *s, uint64_t ino, struct sock_info *out)
{
	long nl = sys_socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC,
			     NETLINK_SOCK_DIAG);
	long n;
	int rc;

	if (nl < 0)
		return (int)nl;
	rc = diag_ask((int)nl, ino);
	if (rc < 0)
		goto out;
	/* The kernel answers within sendto: never wait in the pause. */
	n = sys_recvfrom((int)nl, s->buf, s->buf_size, MSG_DONTWAIT);
	rc = n < 0 ? (int)n : diag_parse(s->buf, n, ino, out);
out:
	sys_close((int)nl);
	return rc;
}

/* --- the receive queue --------------------------------------------------- */

/* One peek at the peek offset; MSG_TRUNC says the buffer was too small. */
static long peek_one(struct fd_scan *s, int fd, int *trunc)
{
	struct iovec iov = { s->buf, s->buf_size };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	long n = sys_recvmsg(fd, &m, MSG_PEEK | MSG_DONTWAIT);

	*trunc = n >= 0 && (m.msg_flags & MSG_TRUNC);
	return n;
}

static int queue_walk(struct fd_scan *s, struct ckpt_fd *f)
{
	int stream = f->aux[0] == SOCK_STREAM, trunc = 0;
	/* A SEQPACKET end shut for receiving reads 0 at the end, not EAGAIN. */
	int zero_ends = stream ||
			(f->aux[0] == SOCK_SEQPACKET && (f->aux[2] & 1));
	long n;

	fd_data_begin(s, f);
	for (int i = 0; i < QUEUE_MAX_MSGS; i++) {
		struct ckpt_sock_msg m = { 0 };

		n = peek_one(s, f->fd, &trunc);
		if (n < 0 || (zero_ends && n == 0))
			break; /* EAGAIN: the end of the queue */
		if (trunc)
			return -EMSGSIZE;
		m.len = (uint32_t)n;
		if (!stream)
			fd_data_add(s, f, &m, sizeof(m));
		fd_data_add(s, f, s->buf, (size_t)n);
	}
	return n == -EAGAIN || n == 0 ? 0 : -EIO;
}

/* The queue under a peek offset of 0, the program's own put back after. */
static int queue_capture(struct fd_scan *s, struct ckpt_fd *f, int peek_off)
{
	int zero = 0, rc;

	rc = (int)sys_setsockopt(f->fd, SOL_SOCKET, SO_PEEK_OFF, &zero,
				 sizeof(zero));
	if (rc)
		return rc;
	rc = queue_walk(s, f);
	sys_setsockopt(f->fd, SOL_SOCKET, SO_PEEK_OFF, &peek_off,
		       sizeof(peek_off));
	return rc;
}

/* --- capture ------------------------------------------------------------- */

/*
 * Connected to a socket that has an inode (the program's, or another
 * process's: unix_restorable tells), or to one closed since: no inode
 * then, an orphan that comes back with its queue and a closed other end.
 * A closed stream or seqpacket peer shut this end both ways; one with no
 * inode that did not is a connection not yet accepted, not an orphan.
 */
static int peer_known(int type, const struct sock_info *si)
{
	return si->peer || type == SOCK_DGRAM || si->shutdown == 3;
}

static int unix_capture(struct fd_scan *s, struct ckpt_fd *f, size_t len)
{
	struct sock_info si = { 0 };
	int type = 0, sndbuf = 0, peek_off = -1;

	(void)len;
	if (sockopt_int(f->fd, SO_TYPE, &type) || sock_diag(s, f->ino, &si) ||
	    si.state != TCP_ESTABLISHED_STATE || !peer_known(type, &si) ||
	    (type != SOCK_STREAM && type != SOCK_DGRAM &&
	     type != SOCK_SEQPACKET))
		goto other;
	sockopt_int(f->fd, SO_SNDBUF, &sndbuf);
	sockopt_int(f->fd, SO_PEEK_OFF, &peek_off);
	f->aux[0] = (uint64_t)type;
	f->aux[1] = si.peer;
	f->aux[2] = si.shutdown & 3;
	f->aux[3] = (uint32_t)sndbuf | (uint64_t)(uint32_t)peek_off << 32;
	/* A queue that cannot be read whole makes the socket one that is not
	 * restored, rather than one restored wrong. */
	if (queue_capture(s, f, peek_off))
		goto other;
	return s->w->err;
other:
	f->kind = CKPT_FD_OTHER;
	f->flags &= ~CKPT_FDF_DATA;
	return 0;
}

/* The other end, among the program's descriptors, pointing back. */
static const struct ckpt_fd *unix_peer(const struct ckpt_fd *fds, uint32_t n,
				       const struct ckpt_fd *f)
{
	for (uint32_t i = 0; i < n; i++)
		if (fds[i].kind == CKPT_FD_UNIX && fds[i].dup_of < 0 &&
		    fds[i].ino == f->aux[1] && fds[i].aux[1] == f->ino &&
		    fds[i].aux[0] == f->aux[0] && &fds[i] != f)
			return &fds[i];
	return NULL;
}

static int unix_restorable(const struct ckpt_fd *fds, uint32_t n,
			   const struct ckpt_fd *f)
{
	return !f->aux[1] || unix_peer(fds, n, f) != NULL;
}

/* --- resume -------------------------------------------------------------- */

/* The saved receive queue of f, sent from the other end `from`. */
static int queue_refill(struct fd_restore *x, const struct ckpt_fd *f,
			int from)
{
	int stream = f->aux[0] == SOCK_STREAM;
	uint64_t off = 0;
	int rc = 0;

	if (!(f->flags & CKPT_FDF_DATA))
		return 0;
	if (stream)
		return fd_data_to_fd(x, f, from, 0) == 0 ? 0 : -EIO;
	while (!rc && off < f->data_len) {
		struct ckpt_sock_msg m;

		rc = fd_data_read(x, f, off, &m, sizeof(m));
		if (rc || m.len > x->buf_size)
			return rc ? rc : IMAGE_EMALFORMED;
		off += sizeof(m);
		rc = fd_data_read(x, f, off, x->buf, m.len);
		if (!rc && sys_sendto(from, x->buf, m.len,
				      MSG_DONTWAIT | MSG_NOSIGNAL, 0, 0) !=
				   (long)m.len)
			rc = -EIO;
		off += m.len;
	}
	return rc;
}

/* Settings of one end (its own status flags last: it was non-blocking
 * while the queues went in, so that a forged length cannot hang the
 * resume), once its queue and its peer's are in. */
static void end_settle(int fd, const struct ckpt_fd *f)
{
	int peek_off = (int)(uint32_t)(f->aux[3] >> 32);

	if (f->aux[2] & 3)
		sys_shutdown(fd, (int)(f->aux[2] & 3) - 1);
	if (peek_off >= 0)
		sys_setsockopt(fd, SOL_SOCKET, SO_PEEK_OFF, &peek_off,
			       sizeof(peek_off));
	sys_fcntl(fd, F_SETFL, (long)f->open_flags);
}

static void sndbuf_set(int fd, const struct ckpt_fd *f)
{
	int sndbuf = (int)((uint32_t)f->aux[3] / 2); /* the kernel doubles it */

	if (sndbuf > 0)
		sys_setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf,
			       sizeof(sndbuf));
}

/* An end whose peer was closed: its queue, then the other end closed,
 * which shuts it as the first close did. */
static long orphan_open(struct fd_restore *x, const struct ckpt_fd *f)
{
	int sv[2] = { -1, -1 };
	long rc = sys_socketpair(AF_UNIX,
				 (int)f->aux[0] | SOCK_CLOEXEC | SOCK_NONBLOCK,
				 0, sv);

	if (rc < 0)
		return rc;
	rc = queue_refill(x, f, sv[1]);
	sys_close(sv[1]);
	if (rc) {
		sys_close(sv[0]);
		return rc;
	}
	end_settle(sv[0], f);
	return sv[0];
}

static long unix_open(struct fd_restore *x, uint32_t i, const char *path)
{
	const struct ckpt_fd *f = &x->fds[i];
	const struct ckpt_fd *peer = unix_peer(x->fds, x->n, f);
	int sv[2] = { -1, -1 };
	long rc;

	(void)path;
	if (!f->aux[1])
		return orphan_open(x, f);
	if (!peer)
		return -EPIPE;
	rc = sys_socketpair(AF_UNIX, (int)f->aux[0] | SOCK_CLOEXEC | SOCK_NONBLOCK,
			    0, sv);
	if (rc < 0)
		return rc;
	sndbuf_set(sv[0], f);
	sndbuf_set(sv[1], peer);
	rc = queue_refill(x, f, sv[1]);
	if (!rc)
		rc = queue_refill(x, peer, sv[0]);
	if (rc) {
		sys_close(sv[0]);
		sys_close(sv[1]);
		return rc;
	}
	end_settle(sv[0], f);
	end_settle(sv[1], peer);
	fd_place_peer(x, peer, fd_out_of_the_way(sv[1]));
	return fd_out_of_the_way(sv[0]);
}

static int match_unix(int fd, const struct stat *st, const char *path)
{
	int domain = 0;

	(void)path;
	return S_ISSOCK(st->st_mode) && sockopt_int(fd, SO_DOMAIN, &domain) == 0 &&
	       domain == AF_UNIX;
}

const struct fd_kind_ops fd_ops_unix = {
	.kind = CKPT_FD_UNIX,
	.match = match_unix,
	.capture = unix_capture,
	.restorable = unix_restorable,
	.open = unix_open,
};
