/*
 * The dynamic loader's locks across a resume.
 *
 * dlopen, dlclose, dlsym and dl_iterate_phdr run holding the loader's
 * locks (ld.so's _rtld_global: dl_load_lock, dl_load_write_lock,
 * dl_load_tls_lock), recursive mutexes that record their owner's thread
 * id and are released only by that id.  Threads come back from a resume
 * with other ids, so a checkpoint taken inside one of these calls left a
 * lock its owner could never release: the next dlopen waited for ever (a
 * program resumed twice stopped at 0% CPU).  At resume, each of these
 * locks held by a thread of the image is given that thread's new id.
 *
 * Not wrapping dlopen instead: the loader searches the RPATH of dlopen's
 * caller, which would then be libckpt.
 */
#include <dlfcn.h>
#include <link.h>
#include <pthread.h>

#include "core.h"

static char *rtld_global;
static size_t rtld_global_size;

void dl_init(void)
{
	const ElfW(Sym) *sym = NULL;
	Dl_info info;
	void *g = dlvsym(RTLD_DEFAULT, "_rtld_global", "GLIBC_PRIVATE");

	if (g && dladdr1(g, &info, (void **)&sym, RTLD_DL_SYMENT) && sym) {
		rtld_global = g;
		rtld_global_size = sym->st_size;
	}
}

/*
 * glibc's pthread_mutex_t, as ints: [0] the futex word, [1] the recursion
 * count, [2] the owner's tid, [4] the kind.  Only what is surely a held
 * recursive mutex is touched: the kind, a locked futex word, a count, and
 * an owner that is a thread of the image.
 */
void dl_locks_rebind(void)
{
	for (size_t off = 0; off + sizeof(pthread_mutex_t) <= rtld_global_size;
	     off += sizeof(long)) {
		int *m = (int *)(rtld_global + off);
		int32_t now;

		if (m[4] != PTHREAD_MUTEX_RECURSIVE_NP || !m[0] || m[1] <= 0 ||
		    m[2] <= 0)
			continue;
		now = threads_new_tid(m[2]);
		if (now > 0)
			m[2] = now;
	}
}
