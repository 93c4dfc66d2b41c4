/*
 * The program's recursive and error-checking mutexes across a resume.
 *
 * glibc records the owner of such a mutex by thread id and lets only that
 * id unlock it or lock it again.  Threads come back from a resume with
 * other ids, so a mutex held across one could never be released: the
 * owner's unlock failed with EPERM and its next lock waited for ever (V8's
 * recursive mutexes: node resumed and stopped at 0% CPU).  Each thread
 * keeps the ids it had before (threads.c, at resume); these wrappers give
 * a mutex owned by one of them the thread's id now before libc sees it.
 * A thread never resumed pays one thread-local load.  The locks glibc
 * takes inside itself do not come here (the loader's: dl.c), nor do
 * priority-inheritance mutexes, whose owner the kernel keeps in the lock
 * word.
 */
#include <dlfcn.h>
#include <pthread.h>

#include "core.h"
#include "sys.h"

#define KIND_MASK 3    /* PTHREAD_MUTEX_KIND_MASK_NP */
#define KIND_PI 32     /* PTHREAD_MUTEX_PRIO_INHERIT_NP */

__thread int32_t ckpt_tls_old_tids[CKPT_OLD_TIDS]
	__attribute__((tls_model("initial-exec")));
__thread int ckpt_tls_nold __attribute__((tls_model("initial-exec")));

CKPT_LIBC(pthread_mutex_lock);
CKPT_LIBC(pthread_mutex_trylock);
CKPT_LIBC(pthread_mutex_unlock);
CKPT_LIBC(pthread_mutex_timedlock);
CKPT_LIBC(pthread_mutex_clocklock);

void mutexes_init(void)
{
	CKPT_RESOLVE(pthread_mutex_lock);
	CKPT_RESOLVE(pthread_mutex_trylock);
	CKPT_RESOLVE(pthread_mutex_unlock);
	CKPT_RESOLVE(pthread_mutex_timedlock);
	CKPT_RESOLVE(pthread_mutex_clocklock);
}

static void owner_mend(pthread_mutex_t *m)
{
	int *w = (int *)m; /* [2] the owner's tid, [4] the kind */
	int owner;

	if (!ckpt_tls_nold || !m || !(w[4] & KIND_MASK) || (w[4] & KIND_PI))
		return;
	owner = __atomic_load_n(&w[2], __ATOMIC_RELAXED);
	for (int i = 0; owner && i < ckpt_tls_nold && i < CKPT_OLD_TIDS; i++)
		if (ckpt_tls_old_tids[i] == owner) {
			__atomic_compare_exchange_n(&w[2], &owner,
						    (int)sys_gettid(), 0,
						    __ATOMIC_RELAXED,
						    __ATOMIC_RELAXED);
			return;
		}
}

/* At resume, in each thread: the id it had at the checkpoint. */
void mutexes_old_tid(int32_t tid)
{
	if (tid == (int32_t)sys_gettid())
		return;
	ckpt_tls_old_tids[ckpt_tls_nold % CKPT_OLD_TIDS] = tid;
	ckpt_tls_nold++;
}

CKPT_EXPORT int pthread_mutex_lock(pthread_mutex_t *m)
{
	CKPT_RESOLVE(pthread_mutex_lock);
	owner_mend(m);
	return libc_pthread_mutex_lock(m);
}

CKPT_EXPORT int pthread_mutex_trylock(pthread_mutex_t *m)
{
	CKPT_RESOLVE(pthread_mutex_trylock);
	owner_mend(m);
	return libc_pthread_mutex_trylock(m);
}

CKPT_EXPORT int pthread_mutex_unlock(pthread_mutex_t *m)
{
	CKPT_RESOLVE(pthread_mutex_unlock);
	owner_mend(m);
	return libc_pthread_mutex_unlock(m);
}

CKPT_EXPORT int pthread_mutex_timedlock(pthread_mutex_t *m,
					const struct timespec *abs)
{
	CKPT_RESOLVE(pthread_mutex_timedlock);
	owner_mend(m);
	return libc_pthread_mutex_timedlock(m, abs);
}

CKPT_EXPORT int pthread_mutex_clocklock(pthread_mutex_t *m, clockid_t clock,
					const struct timespec *abs)
{
	CKPT_RESOLVE(pthread_mutex_clocklock);
	owner_mend(m);
	return libc_pthread_mutex_clocklock(m, clock, abs);
}
