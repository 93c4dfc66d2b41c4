/*
 * Written pages between two images (written.h).  The userfaultfd is made at
 * the first checkpoint and kept open, at a high descriptor number, for the
 * whole run: closing it would end the tracking (which then only makes the
 * images bigger: dirty.h).  After a resume the bootstrap hands over one of
 * its own, made before anything in the restored memory was changed.
 */
#include <errno.h>
#include <fcntl.h>

#include "core.h"
#include "str.h"
#include "sys.h"
#include "written.h"

#define WRITTEN_MAX ((16u << 20) / sizeof(struct dirty_range))
#define FD_FLOOR 900 /* above the descriptors programs count on */

static int uffd = -1;
static int unavailable; /* said so once; every image is full */
/* The generation whose memory the protections are relative to, and the
 * last one known complete. */
static uint64_t scanned_gen, completed_gen;

static struct {
	struct dirty_range *r;
	uint64_t n;
	int whole; /* the scan failed: everything counts as written */
} set;

int written_fd(void) { return uffd; }

static int uffd_ready(void)
{
	long fd, hi;

	if (uffd >= 0 || unavailable)
		return uffd >= 0;
	if (ckpt_cfg.full_every <= 1)
		return 0; /* every image full: no write faults for nothing */
	fd = dirty_open();
	if (fd < 0) {
		unavailable = 1;
		say(2, "ckpt: userfaultfd write-protection is not available (",
		    errno_text(fd), fd == -EPERM ? "; vm.unprivileged_userfaultfd"
						  " or a seccomp filter refuses it"
						: "",
		    "): every image is a full one", NULL);
		return 0;
	}
	hi = sys_fcntl((int)fd, F_DUPFD_CLOEXEC, FD_FLOOR);
	if (hi >= 0) {
		sys_close((int)fd);
		fd = hi;
	}
	uffd = (int)fd;
	return 1;
}

static int set_add(uint64_t start, uint64_t end)
{
	if (set.n && set.r[set.n - 1].end == start) {
		set.r[set.n - 1].end = end;
		return 0;
	}
	if (set.n == WRITTEN_MAX)
		return -ENOSPC;
	set.r[set.n].start = start;
	set.r[set.n].end = end;
	set.n++;
	return 0;
}

/* A registered region: what the kernel reports.  The vector is the rest
 * of the set's room, so ranges land in place. */
static int region_scan(int pm, const struct ckpt_extent *w)
{
	uint64_t at = w->start;

	while (at < w->end) {
		uint64_t next, room = WRITTEN_MAX - set.n;
		struct dirty_range *vec = set.r + set.n;
		long got;

		if (!room)
			return -ENOSPC;
		got = dirty_scan(pm, at, w->end, vec, room, &next);
		if (got < 0)
			return (int)got;
		for (long i = 0; i < got; i++) {
			struct dirty_range r = vec[i];

			if (set_add(r.start, r.end))
				return -ENOSPC;
		}
		if (next <= at)
			return -EIO;
		at = next;
	}
	return 0;
}

static int region_take(int pm, const struct ckpt_extent *w,
		       struct dirty_range *tmp)
{
	if (dirty_registered(pm, w->start))
		return region_scan(pm, w);
	/* Not tracked (new, moved by mremap, or the first image): all of it
	 * is written, and tracked from now on if the kernel lets it. */
	if (set_add(w->start, w->end))
		return -ENOSPC;
	dirty_track(uffd, pm, w->start, w->end, tmp, 64);
	return 0;
}

uint64_t written_capture(const struct ckpt_extent *regions, uint32_t n)
{
	uint64_t parent = scanned_gen == completed_gen ? scanned_gen : 0;
	struct dirty_range *tmp = arena_alloc(64 * sizeof(*tmp));
	long pm;
	int rc = 0;

	set.n = 0;
	set.whole = 1;
	scanned_gen = 0;
	set.r = arena_alloc(WRITTEN_MAX * sizeof(*set.r));
	if (!set.r || !tmp || !uffd_ready())
		return 0;
	pm = sys_open("/proc/thread-self/pagemap", O_RDONLY | O_CLOEXEC, 0);
	if (pm < 0)
		return 0;
	for (uint32_t i = 0; i < n && !rc; i++)
		rc = region_take((int)pm, &regions[i], tmp);
	sys_close((int)pm);
	if (rc)
		return 0; /* what was scanned is in no image: a full one */
	set.whole = 0;
	scanned_gen = ckpt_generation;
	return parent;
}

int written_has(uint64_t *cursor, uint64_t addr)
{
	if (set.whole)
		return 1;
	while (*cursor < set.n && set.r[*cursor].end <= addr)
		(*cursor)++;
	return *cursor < set.n && set.r[*cursor].start <= addr;
}

void written_image_done(uint64_t generation) { completed_gen = generation; }

void written_restore(uint64_t generation, int fd)
{
	if (fd >= 0 && ckpt_cfg.full_every <= 1) {
		sys_close(fd); /* its ranges are no longer protected */
		fd = -1;
	}
	uffd = fd;
	unavailable = 0;
	completed_gen = generation;
	scanned_gen = fd >= 0 ? generation : 0;
}

void written_restore_fd(int fd)
{
	uffd = fd;
	if (fd < 0)
		scanned_gen = 0;
}
