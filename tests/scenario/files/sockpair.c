/*
 * Socketpairs of each type, ping-pong between two threads, with messages
 * always in flight (a window of them queued at any checkpoint):
 *
 *   for SOCK_STREAM, SOCK_DGRAM and SOCK_SEQPACKET, a thread echoes each
 *   message back transformed; the main thread keeps WINDOW messages out,
 *   of varying lengths, and checks each answer's length (the message
 *   boundary, for DGRAM and SEQPACKET) and bytes.
 *
 * The same over a connected pair: a client and the socket a listener
 * (an abstract address, closed once it accepted) made for it.
 *
 * Besides: a STREAM pair with bytes queued the whole run and its writer
 * shut down (SHUT_WR), read at the end up to EOF; the same with two
 * SEQPACKET messages (their boundaries kept); a STREAM end whose peer
 * was closed with bytes still queued for it; a non-blocking end,
 * checked still non-blocking and empty (EAGAIN).
 *
 *   sockpair ROUNDS
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "../progs/prog.h"

#define WINDOW 8
#define MSG_MAX 300

#define NPAIRS 4
static const int types[NPAIRS] = { SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET,
				   SOCK_STREAM };
static const char *const names[NPAIRS] = { "stream", "dgram", "seqpacket",
					   "accepted" };

struct pair {
	int type;
	int sv[2];
	long rounds;
	uint64_t sum;
};

static size_t msg_len(long i)
{
	return (size_t)(i * 37 % MSG_MAX) + 1;
}

static void msg_fill(char *p, long i, size_t n, int echoed)
{
	for (size_t k = 0; k < n; k++)
		p[k] = (char)((i + (long)k) * 7 + echoed);
}

/* A whole message: one recv for the message types, a loop for stream. */
static long recv_msg(int fd, int type, char *p, size_t want)
{
	size_t got = 0;

	if (type != SOCK_STREAM)
		return recv(fd, p, MSG_MAX + 16, 0);
	while (got < want) {
		long n = recv(fd, p + got, want - got, 0);

		if (n <= 0)
			return n;
		got += (size_t)n;
	}
	return (long)got;
}

static void send_msg(int fd, const char *p, size_t n)
{
	if (send(fd, p, n, MSG_NOSIGNAL) != (long)n)
		fail("send: %s", strerror(errno));
}

static void *echo(void *arg)
{
	struct pair *p = arg;
	char buf[MSG_MAX + 16];

	for (long i = 0; i < p->rounds; i++) {
		size_t n = msg_len(i);
		long got = recv_msg(p->sv[1], p->type, buf, n);

		if (got != (long)n)
			fail("%d echo: message %ld is %ld bytes, not %zu", p->type,
			     i, got, n);
		for (long k = 0; k < got; k++)
			buf[k] = (char)(buf[k] + 1);
		compute(3000);
		send_msg(p->sv[1], buf, n);
	}
	return NULL;
}

static void check_answer(struct pair *p, long i)
{
	char buf[MSG_MAX + 16], want[MSG_MAX];
	size_t n = msg_len(i);
	long got = recv_msg(p->sv[0], p->type, buf, n);

	msg_fill(want, i, n, 1);
	if (got != (long)n)
		fail("%d: answer %ld is %ld bytes, not %zu", p->type, i, got, n);
	else if (memcmp(buf, want, n))
		fail("%d: answer %ld differs", p->type, i);
	for (long k = 0; k < got; k++)
		p->sum = p->sum * 31 + (unsigned char)buf[k];
}

static void send_question(struct pair *p, long i)
{
	char buf[MSG_MAX];

	msg_fill(buf, i, msg_len(i), 0);
	send_msg(p->sv[0], buf, msg_len(i));
}

/* The bytes left queued all along behind a shut-down writer. */
static void check_parked(int rd, int wr)
{
	char buf[64];
	long n, total = 0;

	close(wr);
	while ((n = read(rd, buf, sizeof(buf))) > 0) {
		if (memcmp(buf, "parked data 0123456789", (size_t)n > 22 ? 22 : (size_t)n))
			fail("parked bytes differ");
		total += n;
	}
	printf("parked: %ld bytes, then %s\n", total, n == 0 ? "EOF" : "error");
}

/* A client and the accepted socket, the listener gone. */
static int connected_pair(int sv[2])
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	socklen_t len = sizeof(sa_family_t) + 1 +
			(socklen_t)snprintf(a.sun_path + 1, sizeof(a.sun_path) - 1,
					    "ckpt-sockpair-%ld", (long)getpid());
	int l = socket(AF_UNIX, SOCK_STREAM, 0);

	sv[0] = socket(AF_UNIX, SOCK_STREAM, 0);
	if (l < 0 || sv[0] < 0 || bind(l, (void *)&a, len) || listen(l, 1) ||
	    connect(sv[0], (void *)&a, len))
		return -1;
	sv[1] = accept(l, NULL, NULL);
	close(l);
	return sv[1] < 0 ? -1 : 0;
}

static void check_parked_messages(int rd, int wr)
{
	char buf[64];
	long a, b, c;

	close(wr);
	a = recv(rd, buf, sizeof(buf), 0);
	b = recv(rd, buf, sizeof(buf), 0);
	c = recv(rd, buf, sizeof(buf), 0);
	printf("parked messages: %ld and %ld bytes, then %ld\n", a, b, c);
}

int main(int argc, char **argv)
{
	long rounds = argc > 1 ? atol(argv[1]) : 2000;
	struct pair pairs[NPAIRS];
	pthread_t th[NPAIRS];
	int park[2], nb[2], parkm[2], orphan[2];
	char c;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, park) ||
	    socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0, nb) ||
	    socketpair(AF_UNIX, SOCK_SEQPACKET, 0, parkm) ||
	    socketpair(AF_UNIX, SOCK_STREAM, 0, orphan))
		return 1;
	send_msg(orphan[1], "parked data 0123", 16);
	close(orphan[1]);
	send_msg(parkm[1], "first", 5);
	send_msg(parkm[1], "second message", 14);
	shutdown(parkm[1], SHUT_WR);
	send_msg(park[1], "parked data 0123456789", 22);
	shutdown(park[1], SHUT_WR);
	for (int t = 0; t < NPAIRS; t++) {
		pairs[t] = (struct pair){ .type = types[t], .rounds = rounds };
		if (t == 3 ? connected_pair(pairs[t].sv)
			   : socketpair(AF_UNIX, types[t], 0, pairs[t].sv))
			return 1;
		pthread_create(&th[t], NULL, echo, &pairs[t]);
		for (long i = 0; i < WINDOW; i++)
			send_question(&pairs[t], i);
	}
	for (long i = 0; i < rounds; i++)
		for (int t = 0; t < NPAIRS; t++) {
			check_answer(&pairs[t], i);
			if (i + WINDOW < rounds)
				send_question(&pairs[t], i + WINDOW);
		}
	for (int t = 0; t < NPAIRS; t++) {
		pthread_join(th[t], NULL);
		printf("%s: %ld rounds, sum %016llx\n", names[t], rounds,
		       (unsigned long long)pairs[t].sum);
	}
	if (!(fcntl(nb[0], F_GETFL) & O_NONBLOCK) || recv(nb[0], &c, 1, 0) != -1 ||
	    errno != EAGAIN)
		fail("the non-blocking end is not as it was");
	check_parked(park[0], park[1]);
	check_parked_messages(parkm[0], parkm[1]);
	check_parked(orphan[0], -1);
	printf("failures: %lu\n", failures);
	return failures != 0;
}
