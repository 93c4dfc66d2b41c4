/*
 * The core every module uses: the configuration, the saved context, the
 * restore information, the scratch arena and ckpt's address range.  It
 * knows no module.
 */
#include <errno.h>
#include <sys/mman.h>
#include <time.h>

#include "core.h"
#include "sys.h"

struct ckpt_config ckpt_cfg;
struct ckpt_restore_info ckpt_restore_info;
ucontext_t ckpt_context;
uint64_t ckpt_generation;

static size_t arena_used;

void *arena_alloc(size_t size)
{
	char *p = (char *)CKPT_ARENA_START + arena_used;

	/* Compared before rounding, which could wrap; the arena's size and
	 * use stay multiples of 64, so the rounded size fits too. */
	if (size > CKPT_ARENA_USABLE - arena_used)
		return NULL;
	size = (size + 63) & ~(size_t)63;
	arena_used += size;
	return p;
}

void arena_reset(void) { arena_used = 0; }

/* Nothing in the arena outlives a checkpoint or a resume: its pages go
 * back to the kernel, or the most it ever held (the maps text, output
 * files' contents, the captured state) would stay in the program's RSS. */
void arena_release(void)
{
	sys_madvise((void *)CKPT_ARENA_START, arena_used, MADV_DONTNEED);
	arena_reset();
}

/* The arena's last page is shared with a forked writer, which reports
 * there how its write went (writer.c); the rest is private, so that the
 * writer has the captured state as it was at the fork.  The undo buffer
 * lies between the two. */
int range_map(int fixed_replace)
{
	int how = fixed_replace ? MAP_FIXED : MAP_FIXED_NOREPLACE;
	long rc;

	rc = sys_mmap((void *)CKPT_RANGE_START, CKPT_BOOT_SIZE, PROT_NONE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | how, -1, 0);
	if (rc != (long)CKPT_RANGE_START)
		return rc < 0 ? (int)rc : -EEXIST;
	rc = sys_mmap((void *)CKPT_ARENA_START,
		      CKPT_ARENA_USABLE + CKPT_UNDO_BUF_SIZE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | how, -1, 0);
	if (rc != (long)CKPT_ARENA_START)
		return rc < 0 ? (int)rc : -EEXIST;
	rc = sys_mmap((void *)CKPT_STATUS_ADDR, CKPT_PAGE_SIZE,
		      PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | how,
		      -1, 0);
	if (rc != (long)CKPT_STATUS_ADDR)
		return rc < 0 ? (int)rc : -EEXIST;
	return 0;
}

uint64_t ckpt_monotonic_ns(void)
{
	struct timespec ts = { 0 };

	sys_clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}
