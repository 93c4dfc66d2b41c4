/*
 * Writes through shared mappings of files the undo log guards.
 *
 * A store into a MAP_SHARED mapping reaches the file with no call to
 * interpose, so at each capture the writable shared mappings of guarded
 * files (undo.c: outputs larger than CKPT_FILE_SAVE_MAX, and those first
 * written after the checkpoint) are made read-only.  The first store into
 * a page faults; ckpt's SIGSEGV handler saves the page as it is (the
 * file's bytes) to the undo log and gives the page its protection back.
 * A fault that is not ckpt's goes on to the program's own action
 * (sigwrap.c keeps it).
 *
 * The kernel does not fault on its own stores: a read() into a guarded
 * page would fail with EFAULT, so the interposed reads make the pages
 * they are given writable first.  A program that maps, unmaps or
 * re-protects over a guarded range gets the range saved whole and back as
 * it was before its call runs.  At the next capture all protections are
 * put back before the memory map is read, so the image records the
 * program's own.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/mman.h>
#include <sys/sysmacros.h>

#include "core.h"
#include "procfs.h"
#include "sys.h"
#include "undo.h"

#define TRAPS_MAX 64
#define PAGE 4096ull
/* A fault saves and opens this much around it: a sixteenth of the faults
 * and of the kernel's mappings split, for a little more saved. */
#define GRANULE (16 * PAGE)

struct trap {
	uint64_t start, end;
	uint64_t offset; /* in the file, of start */
	int prot;        /* the program's */
	int file;        /* undo.c's entry */
};

static struct trap traps[TRAPS_MAX];
static volatile int ntraps;

static void trap_remove(int i)
{
	traps[i] = traps[--ntraps];
}

/* The whole of a trap saved and given back its protection. */
static void trap_release(int i)
{
	struct trap *t = &traps[i];

	undo_save_mapped(t->file, (const void *)t->start, t->offset,
			 t->end - t->start);
	sys_mprotect((void *)t->start, t->end - t->start, t->prot);
	trap_remove(i);
}

void undo_maps_release(void)
{
	for (int i = 0; i < ntraps; i++)
		sys_mprotect((void *)traps[i].start,
			     traps[i].end - traps[i].start, traps[i].prot);
	ntraps = 0;
}

/* Before a call of the program's changes [addr, addr + len) of its
 * address space. */
static void maps_drop(uint64_t addr, uint64_t len)
{
	for (int i = ntraps - 1; i >= 0; i--)
		if (addr < traps[i].end && addr + len > traps[i].start)
			trap_release(i);
}

/* The pages of [addr, addr + len) the kernel is about to store into. */
static void maps_prefault(const void *buf, uint64_t len)
{
	uint64_t a = (uint64_t)buf, end = a + len;

	for (int i = 0; i < ntraps; i++) {
		struct trap *t = &traps[i];
		uint64_t from = a > t->start ? a : t->start;
		uint64_t to = end < t->end ? end : t->end;

		for (uint64_t p = from & ~(PAGE - 1); from < to && p < to; p += PAGE) {
			undo_save_mapped(t->file, (const void *)p,
					 t->offset + (p - t->start), PAGE);
			sys_mprotect((void *)p, PAGE, t->prot);
		}
	}
}

static int segv_ours(siginfo_t *si)
{
	uint64_t a = (uint64_t)si->si_addr;

	if (si->si_code != SEGV_ACCERR)
		return 0;
	for (int i = 0; i < ntraps; i++) {
		struct trap *t = &traps[i];
		uint64_t p = t->start + ((a - t->start) & ~(GRANULE - 1));
		uint64_t end = p + GRANULE < t->end ? p + GRANULE : t->end;

		if (a < t->start || a >= t->end)
			continue;
		undo_save_mapped(t->file, (const void *)p,
				 t->offset + (p - t->start), end - p);
		/* Each range given back splits the mapping; past the
		 * kernel's count of mappings, the trap ends whole. */
		if (sys_mprotect((void *)p, end - p, t->prot))
			trap_release(i);
		return 1;
	}
	return 0;
}

static void segv(int sig, siginfo_t *si, void *uc)
{
	if (!segv_ours(si))
		sigwrap_dispatch(sig, si, uc);
}

static int guard_one(const struct maps_entry *e, void *arg)
{
	int file;

	(void)arg;
	if (!e->shared || !(e->prot & PROT_WRITE) || !e->ino ||
	    ntraps == TRAPS_MAX)
		return 0;
	file = undo_file_guarded(makedev(e->dev_major, e->dev_minor), e->ino);
	if (file < 0 || sigwrap_take(SIGSEGV, segv) ||
	    sys_mprotect((void *)e->start, e->end - e->start,
			 e->prot & ~PROT_WRITE))
		return 0;
	traps[ntraps++] = (struct trap){ e->start, e->end, e->offset, e->prot,
					 file };
	return 0;
}

void undo_maps_guard(const char *maps, size_t len)
{
	maps_parse(maps, len, guard_one, NULL);
}

/* At resume the mappings came back with the program's protections. */
void undo_maps_reguard(void)
{
	for (int i = 0; i < ntraps; i++)
		sys_mprotect((void *)traps[i].start,
			     traps[i].end - traps[i].start,
			     traps[i].prot & ~PROT_WRITE);
}

/* --- the program's calls ------------------------------------------------ */

/* Raw system calls, not libc's: an allocator of the program's may call
 * these before ckpt is loaded, where dlsym could recurse into it. */
CKPT_EXPORT int mprotect(void *addr, size_t len, int prot)
{
	if (ntraps)
		maps_drop((uint64_t)addr, len);
	return (int)ckpt_set_errno(sys_mprotect(addr, len, prot));
}

CKPT_EXPORT int munmap(void *addr, size_t len)
{
	if (ntraps)
		maps_drop((uint64_t)addr, len);
	return (int)ckpt_set_errno(sys_munmap(addr, len));
}

static void *mmap_call(void *addr, size_t len, int prot, int flags, int fd,
		       off_t off)
{
	long rc;

	if (flags & MAP_LOCKED)
		mem_locked_mapping();
	if (ntraps && (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)))
		maps_drop((uint64_t)addr, len);
	rc = ckpt_set_errno(sys_mmap(addr, len, prot, flags, fd, off));
	return rc == -1 ? MAP_FAILED : (void *)rc;
}

CKPT_EXPORT void *mmap(void *addr, size_t len, int prot, int flags, int fd,
		       off_t off)
{
	return mmap_call(addr, len, prot, flags, fd, off);
}

CKPT_EXPORT void *mmap64(void *addr, size_t len, int prot, int flags, int fd,
			 off64_t off)
{
	return mmap_call(addr, len, prot, flags, fd, off);
}

CKPT_EXPORT void *mremap(void *old, size_t old_len, size_t new_len, int flags,
			 ...)
{
	void *to = NULL;
	va_list ap;
	long rc;

	if (flags & MREMAP_FIXED) {
		va_start(ap, flags);
		to = va_arg(ap, void *);
		va_end(ap);
	}
	if (ntraps) {
		maps_drop((uint64_t)old, old_len);
		if (to)
			maps_drop((uint64_t)to, new_len);
	}
	rc = ckpt_set_errno(sys_mremap(old, old_len, new_len, flags, to));
	return rc == -1 ? MAP_FAILED : (void *)rc;
}

/* Before a read of the program's (writes.c): the kernel stores there. */
void undo_maps_prefault(const void *buf, uint64_t len)
{
	if (ntraps)
		maps_prefault(buf, len);
}
