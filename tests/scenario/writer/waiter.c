/*
 * A parent that waits for its own children in every way there is, while
 * forked writers come and go: wait(), waitpid(-1) and waitid(P_ALL) must
 * return exactly its own children, SIGCHLD must come once for each, no
 * other child may ever be visible, and the process has one thread.
 *
 *   waiter ROUNDS MIB
 *
 * MIB of incompressible data keep each image's writer busy long enough to
 * be running at most of the waits.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <dirent.h>
#include <unistd.h>

static volatile sig_atomic_t sigchld_count;

static void on_sigchld(int sig)
{
	(void)sig;
	sigchld_count++;
}

static void __attribute__((noreturn)) fail(long round, const char *what)
{
	printf("waiter: FAIL in round %ld: %s (%s)\n", round, what,
	       strerror(errno));
	exit(1);
}

static int threads(void)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d)))
		n += e->d_name[0] != '.';
	if (d)
		closedir(d);
	return n;
}

/* Reap one child with the round's way of waiting; its pid and status. */
static pid_t reap(long round, int *code)
{
	siginfo_t info = { 0 };
	int status = 0;
	pid_t pid;

	switch (round % 3) {
	case 0:
		pid = wait(&status);
		break;
	case 1:
		pid = waitpid(-1, &status, 0);
		break;
	default:
		if (waitid(P_ALL, 0, &info, WEXITED))
			return -1;
		*code = info.si_code == CLD_EXITED ? info.si_status : -1;
		return info.si_pid;
	}
	*code = pid > 0 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	return pid;
}

int main(int argc, char **argv)
{
	long rounds = argc > 1 ? atol(argv[1]) : 300;
	size_t n = (argc > 2 ? strtoul(argv[2], NULL, 10) : 32) << 17;
	uint64_t *data = malloc(n * sizeof(*data)), x = 88172645463325252ull;
	struct sigaction sa = { .sa_handler = on_sigchld,
				.sa_flags = SA_RESTART };
	pid_t self = getpid();
	siginfo_t none;

	if (!data)
		return 2;
	for (size_t i = 0; i < n; i++) { /* xorshift: no codec shrinks it */
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		data[i] = x;
	}
	sigaction(SIGCHLD, &sa, NULL);
	for (long r = 0; r < rounds; r++) {
		pid_t child = fork(), got;
		int code = -1;

		if (child < 0)
			fail(r, "fork");
		if (child == 0) {
			for (volatile int i = 0; i < 200000; i++)
				;
			_exit(getppid() == self ? (int)(r % 100) : 200);
		}
		/* One page in 8, a different eighth each round: a page first
		 * written after a fork costs a copy, 13 us on a VM seen here. */
		for (size_t i = (size_t)(r % 8) * 512 + (size_t)r % 512; i < n;
		     i += 8 * 512)
			data[i] += (uint64_t)r;
		got = reap(r, &code);
		if (got != child)
			fail(r, "a wait returned another process than the child");
		if (code != (int)(r % 100))
			fail(r, "the child's exit status is wrong (getppid?)");
		memset(&none, 0, sizeof(none));
		if (waitid(P_ALL, 0, &none, WEXITED | WNOHANG) == 0 ||
		    errno != ECHILD)
			fail(r, "a child the program did not make is visible");
		if (threads() != 1)
			fail(r, "/proc/self/task lists more than one thread");
	}
	while (sigchld_count < rounds)
		pause(); /* the last ones may still be on their way */
	printf("waiter: %ld children reaped, %ld SIGCHLD\n", rounds,
	       (long)sigchld_count);
	return 0;
}
