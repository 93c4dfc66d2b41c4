/*
 * glibc_state: glibc's own per-process and per-thread state works in a
 * resumed process as in the original one.
 *
 *   glibc_state ROUNDS PLUGIN.so
 *
 * State built: handlers for SIGUSR1 and SIGUSR2, an atexit handler (at the
 * start, so it lives through the resumes), a thread name.
 *
 * Every round (about 10 ms of computing first):
 *   raise(SIGUSR1) and pthread_kill(pthread_self(), SIGUSR2) each run their
 *   handler exactly once before returning;
 *   pthread_getattr_np(pthread_self()) works and its stack holds this
 *   frame; pthread_setname_np / pthread_getname_np agree;
 *   rseq: glibc registered its area (__rseq_size, __rseq_offset), and the
 *   kernel still has it: registering the same area again must fail with
 *   EBUSY; its cpu_id (thread pointer + __rseq_offset + 4) is >= 0 and,
 *   like sched_getcpu(), agrees with the raw getcpu system call (within a
 *   few tries: the thread may migrate between the reads);
 *   clock_gettime(CLOCK_MONOTONIC) and (CLOCK_REALTIME), gettimeofday and
 *   time (the vDSO) agree with the raw system calls: for the monotonic
 *   clock vdso <= syscall <= vdso, for the others within 50 ms / 1 s.
 * At the end, after the resumes: the heap grows by 1 GiB with sbrk in
 * 16 MiB steps, touching every page, and 1 GiB more comes from malloc and
 * memset; both are checked.  PLUGIN.so, not loaded before (RTLD_NOLOAD),
 * is loaded with dlopen and a function found with dlsym is called.  exit(3)
 * runs the atexit handler, which prints a line.
 *
 * Prints a fixed report and exits with status 3; a violation prints
 * "FAIL: ..." and the status becomes 1.
 */
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/rseq.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "prog.h"

#define RSEQ_SIG 0x53053053
#define RSEQ_AREA_LEN 32
#define MiB (1ul << 20)
#define GiB (1ul << 30)
#define PAGE 4096ul

static volatile sig_atomic_t n_usr1, n_usr2;

static void on_usr1(int sig)
{
	(void)sig;
	n_usr1++;
}

static void on_usr2(int sig)
{
	(void)sig;
	n_usr2++;
}

static void at_exit(void)
{
	printf("atexit: the handler registered at the start ran\n");
}

static void check_signals(long round)
{
	sig_atomic_t a = n_usr1, b = n_usr2;
	int rc;

	if (raise(SIGUSR1))
		fail("raise(SIGUSR1), round %ld: %s", round, strerror(errno));
	if (n_usr1 != a + 1)
		fail("raise(SIGUSR1), round %ld: the handler ran %d times", round,
		     (int)(n_usr1 - a));
	rc = pthread_kill(pthread_self(), SIGUSR2);
	if (rc)
		fail("pthread_kill(self, SIGUSR2), round %ld: %s", round,
		     strerror(rc));
	if (n_usr2 != b + 1)
		fail("pthread_kill(self, SIGUSR2), round %ld: the handler ran %d "
		     "times", round, (int)(n_usr2 - b));
}

static void check_pthread(long round)
{
	pthread_attr_t attr;
	void *addr;
	size_t size;
	char here, name[16];
	const char *want = round % 2 ? "glibc-state-b" : "glibc-state-a";
	int rc;

	rc = pthread_getattr_np(pthread_self(), &attr);
	if (rc) {
		fail("pthread_getattr_np, round %ld: %s", round, strerror(rc));
	} else {
		rc = pthread_attr_getstack(&attr, &addr, &size);
		if (rc || &here < (char *)addr || &here >= (char *)addr + size)
			fail("pthread_getattr_np, round %ld: stack %p + %zu does "
			     "not hold this frame (%p)", round, addr, size,
			     (void *)&here);
		pthread_attr_destroy(&attr);
	}
	rc = pthread_setname_np(pthread_self(), want);
	if (rc)
		fail("pthread_setname_np, round %ld: %s", round, strerror(rc));
	memset(name, 0, sizeof(name));
	rc = pthread_getname_np(pthread_self(), name, sizeof(name));
	if (rc || strcmp(name, want))
		fail("pthread_getname_np, round %ld: '%s' (%s), expected '%s'",
		     round, name, strerror(rc), want);
}

static int raw_getcpu(void)
{
	unsigned cpu = 0;

	if (syscall(SYS_getcpu, &cpu, NULL, NULL))
		return -1;
	return (int)cpu;
}

static void check_rseq(long round)
{
	char *area;
	int32_t cpu;
	long rc;
	int agree = 0, agree_sched = 0;

	if (__rseq_size == 0)
		return;
	area = (char *)__builtin_thread_pointer() + __rseq_offset;
	errno = 0;
	rc = syscall(SYS_rseq, area, RSEQ_AREA_LEN, 0, RSEQ_SIG);
	if (rc != -1 || errno != EBUSY)
		fail("rseq, round %ld: registering glibc's area again returned "
		     "%ld (%s), not EBUSY: it was not registered", round, rc,
		     strerrorname_np(errno) ? strerrorname_np(errno) : "0");
	for (int i = 0; i < 20 && !(agree && agree_sched); i++) {
		int raw;

		memcpy(&cpu, area + 4, sizeof(cpu));
		raw = raw_getcpu();
		if (cpu < 0) {
			fail("rseq, round %ld: cpu_id %d", round, (int)cpu);
			break;
		}
		agree |= cpu == raw;
		agree_sched |= sched_getcpu() == raw_getcpu();
	}
	if (cpu >= 0 && !agree)
		fail("rseq, round %ld: cpu_id %d never matched the getcpu system "
		     "call (%d) in 20 tries", round, (int)cpu, raw_getcpu());
	if (!agree_sched)
		fail("sched_getcpu, round %ld: %d never matched the getcpu system "
		     "call (%d) in 20 tries", round, sched_getcpu(),
		     raw_getcpu());
}

static int64_t ns(const struct timespec *ts)
{
	return (int64_t)ts->tv_sec * 1000000000ll + ts->tv_nsec;
}

static void check_clocks(long round)
{
	const clockid_t ids[] = { CLOCK_MONOTONIC, CLOCK_REALTIME };
	const char *names[] = { "CLOCK_MONOTONIC", "CLOCK_REALTIME" };
	struct timeval tv1, tv2, tv3;
	time_t s1, s2, s3;

	for (int i = 0; i < 2; i++) {
		struct timespec a, b, c;
		int64_t slack = i ? 50000000 : 0;

		if (clock_gettime(ids[i], &a) ||
		    syscall(SYS_clock_gettime, ids[i], &b) ||
		    clock_gettime(ids[i], &c)) {
			fail("clock_gettime(%s), round %ld: %s", names[i], round,
			     strerror(errno));
			continue;
		}
		if (ns(&b) < ns(&a) - slack || ns(&b) > ns(&c) + slack)
			fail("clock_gettime(%s), round %ld: vDSO %lld.%09ld and "
			     "%lld.%09ld around the system call's %lld.%09ld",
			     names[i], round, (long long)a.tv_sec, a.tv_nsec,
			     (long long)c.tv_sec, c.tv_nsec, (long long)b.tv_sec,
			     b.tv_nsec);
	}
	gettimeofday(&tv1, NULL);
	syscall(SYS_gettimeofday, &tv2, NULL);
	gettimeofday(&tv3, NULL);
	if ((tv2.tv_sec - tv1.tv_sec) * 1000000 + tv2.tv_usec - tv1.tv_usec <
		    -50000 ||
	    (tv3.tv_sec - tv2.tv_sec) * 1000000 + tv3.tv_usec - tv2.tv_usec <
		    -50000)
		fail("gettimeofday, round %ld: vDSO %lld.%06ld and %lld.%06ld "
		     "around the system call's %lld.%06ld", round,
		     (long long)tv1.tv_sec, (long)tv1.tv_usec,
		     (long long)tv3.tv_sec, (long)tv3.tv_usec,
		     (long long)tv2.tv_sec, (long)tv2.tv_usec);
	s1 = time(NULL);
	s2 = (time_t)syscall(SYS_time, NULL);
	s3 = time(NULL);
	if (s2 < s1 - 1 || s2 > s3 + 1)
		fail("time, round %ld: vDSO %lld and %lld around the system "
		     "call's %lld", round, (long long)s1, (long long)s3,
		     (long long)s2);
}

static void grow_heap(void)
{
	const size_t step = 16 * MiB;
	char *start = sbrk(0), *p;
	size_t bad = 0;
	unsigned char *m;

	for (size_t done = 0; done < GiB; done += step) {
		p = sbrk((intptr_t)step);
		if (p == (void *)-1) {
			fail("sbrk(16 MiB) after %zu MiB: %s", done / MiB,
			     strerror(errno));
			return;
		}
		if (p != start + done)
			fail("sbrk returned %p, expected %p", (void *)p,
			     (void *)(start + done));
		for (size_t off = 0; off < step; off += PAGE)
			p[off] = (char)(((done + off) / PAGE) | 1);
	}
	for (size_t off = 0; off < GiB; off += PAGE)
		bad += start[off] != (char)((off / PAGE) | 1);
	if (bad)
		fail("sbrk heap: %zu of %lu pages lost their byte", bad,
		     GiB / PAGE);
	if (sbrk(0) != start + GiB)
		fail("sbrk(0) is %p, expected %p", sbrk(0),
		     (void *)(start + GiB));

	m = malloc(GiB);
	if (!m) {
		fail("malloc(1 GiB): %s", strerror(errno));
		return;
	}
	memset(m, 0xa5, GiB);
	bad = 0;
	for (size_t off = 0; off < GiB; off += PAGE)
		bad += m[off] != 0xa5 || m[off + PAGE - 1] != 0xa5;
	if (bad)
		fail("malloc(1 GiB): %zu pages lost their bytes", bad);
	free(m);
	printf("heap: grew by 1 GiB with sbrk and 1 GiB with malloc, every "
	       "page checked\n");
}

static void load_plugin(const char *path)
{
	int (*answer)(int), (*calls)(void);
	void *h;

	if (dlopen(path, RTLD_NOW | RTLD_NOLOAD)) {
		fail("the plugin %s was loaded before dlopen", path);
		return;
	}
	h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		fail("dlopen %s: %s", path, dlerror());
		return;
	}
	answer = (int (*)(int))dlsym(h, "plugin_answer");
	calls = (int (*)(void))dlsym(h, "plugin_calls");
	if (!answer || !calls) {
		fail("dlsym in %s: %s", path, dlerror());
		return;
	}
	if (answer(2) != 42 || answer(3) != 43 || calls() != 2)
		fail("the plugin's functions gave wrong answers");
	else
		printf("plugin: loaded with dlopen, plugin_answer(2) = 42\n");
}

int main(int argc, char **argv)
{
	long rounds = argc > 1 ? atol(argv[1]) : 500;
	const char *plugin = argc > 2 ? argv[2] : "./plugin.so";
	struct sigaction sa = { 0 };

	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_handler = on_usr2;
	sigaction(SIGUSR2, &sa, NULL);
	if (atexit(at_exit))
		fail("atexit");
	if (dlopen(plugin, RTLD_NOW | RTLD_NOLOAD))
		fail("the plugin %s is loaded at the start", plugin);

	for (long r = 0; r < rounds; r++) {
		compute(6000000);
		check_signals(r);
		check_pthread(r);
		check_rseq(r);
		check_clocks(r);
	}
	printf("glibc_state: %ld rounds\n", rounds);
	printf("signals: raise %d, pthread_kill %d, each handled at once\n",
	       (int)n_usr1, (int)n_usr2);
	printf("pthread: getattr_np, setname_np and getname_np work\n");
	printf("rseq: %s\n", __rseq_size ? "registered all along"
					 : "not used by glibc here");
	printf("clocks: the vDSO agrees with the system calls\n");
	grow_heap();
	load_plugin(plugin);
	printf("glibc_state: %s\n", failures ? "FAILED" : "ok");
	exit(failures ? 1 : 3);
}
