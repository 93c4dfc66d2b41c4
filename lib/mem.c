/*
 * Memory: every mapping of /proc/self/maps becomes a region of the image;
 * the pages that cannot be had again from a file are stored in page chunks.
 *
 * Which pages are stored (pagemap(5) tells, without privilege):
 *   private anonymous        present or swapped, unless all zero
 *   private file-backed      only pages the process wrote (anonymous copies)
 *   shared anonymous, memfd, deleted files: every page that is not all zero
 *   shared file-backed       none: msync'ed, the file holds them
 * The bootstrap restores the regions; nothing is left to do here at resume.
 *
 * Flags and advice of each mapping (MAP_NORESERVE, MAP_GROWSDOWN,
 * MADV_DONTFORK, MADV_WIPEONFORK, MADV_DONTDUMP, huge-page advice, mlock)
 * come from the VmFlags of /proc/self/smaps, guard pages from the
 * PAGEMAP_SCAN ioctl.  smaps walks every page table: reading it costs
 * 13-20 ms for a 1 GiB process, as much as its whole pause (16-27 ms
 * measured; 40 ms with smaps read in it), so it is read in the forked
 * writer, which sees the program's flags --
 * except mlock (not inherited), MADV_DONTFORK (the range is missing) and
 * MADV_WIPEONFORK (the range reads as zeros).  Those come from calls ckpt
 * interposes: once the program has made one, smaps is read in the pause,
 * and its DONTFORK and WIPEONFORK ranges are inherited by the writer
 * (MADV_DOFORK, MADV_KEEPONFORK) until the pause is over.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "chain.h"
#include "chunks.h"
#include "core.h"
#include "dirty.h"
#include "procfs.h"
#include "str.h"
#include "sys.h"
#include "written.h"

#define PM_PRESENT (1ull << 63)
#define PM_SWAP (1ull << 62)
#define PM_FILE (1ull << 61)
#define PM_GUARD (1ull << 58) /* a guard page (MADV_GUARD_INSTALL) */
#define PM_BATCH 512

/* Linux 6.7+: Debian 12's headers predate it. */
#define PAGE_IS_GUARD_ (1ull << 8)
#define GUARDS_MAX 65536u
#define SCAN_VEC 256u
#define INHERIT_MAX ((8u << 20) / sizeof(struct ckpt_extent))

/* What a forked writer's own smaps does not tell of the program. */
#define REGF_PAUSE_ONLY                                                     \
	(CKPT_REGF_DONTFORK | CKPT_REGF_LOCKED | CKPT_REGF_LOCKONFAULT)
#define REGF_FORK_ADVICE (CKPT_REGF_DONTFORK | CKPT_REGF_WIPEONFORK)

enum save_mode { SAVE_NONE, SAVE_ANON, SAVE_COW, SAVE_ALL };

struct mem_scan {
	struct ckpt_region *regions;
	uint8_t *modes;
	uint32_t n, max;
	char *strings;
	size_t strings_len, strings_max;
	struct ckpt_guard *guards; /* found at emit */
	uint32_t nguards;
	int flags_done;            /* VmFlags read in the pause */
	int fork_advice_off;       /* DONTFORK/WIPEONFORK lifted for the fork */
	long pid;                  /* of the program, at capture */
	uint64_t parent_gen;       /* what the written pages are relative to */
	int err;
};

struct page_writer {
	struct image_writer *w;
	struct chunk_pipe *pipe;
	int pagemap_fd;
	int unstable;       /* the region being read changes as it is read */
	int incremental;    /* pages not written since the parent: INHERIT */
	uint64_t cursor;    /* into the written ranges */
	struct ckpt_extent *kept; /* INHERIT, in the arena */
	uint32_t nkept;
	uint64_t pm[PM_BATCH];
};

static const char *const skipped_names[] = { "[vsyscall]", "[vvar]",
					     "[vvar_vclock]", "[vdso]" };

static int region_skipped(const struct maps_entry *e)
{
	if (e->start >= CKPT_RANGE_START &&
	    e->end <= CKPT_RANGE_START + CKPT_RANGE_SIZE)
		return 1;
	for (size_t i = 0; i < sizeof(skipped_names) / sizeof(*skipped_names);
	     i++)
		if (maps_path_is(e, skipped_names[i]))
			return 1;
	return 0;
}

static int add_string(struct mem_scan *s, const char *p, size_t len,
		      uint32_t *off)
{
	if (len + 1 > s->strings_max - s->strings_len)
		return -ENOMEM;
	*off = (uint32_t)s->strings_len;
	memcpy(s->strings + s->strings_len, p, len);
	s->strings[s->strings_len + len] = 0;
	s->strings_len += len + 1;
	return 0;
}

/* A file mapping is remapped from its path only when the path still names
 * the very file that is mapped. */
static int file_identity(struct ckpt_region *r, const struct maps_entry *e,
			 const char *path)
{
	struct stat st = { 0 };

	if (sys_stat(path, &st) < 0 || !S_ISREG(st.st_mode) ||
	    st.st_ino != e->ino || major(st.st_dev) != e->dev_major ||
	    minor(st.st_dev) != e->dev_minor)
		return -1;
	r->dev = st.st_dev;
	r->ino = st.st_ino;
	r->file_size = (uint64_t)st.st_size;
	r->mtime_sec = st.st_mtim.tv_sec;
	r->mtime_nsec = st.st_mtim.tv_nsec;
	r->flags |= CKPT_REGF_FILE;
	return 0;
}

static enum save_mode classify_file(struct ckpt_region *r,
				    const struct maps_entry *e,
				    const char *path)
{
	int deleted = str_ends(e->path, e->path_len, " (deleted)");

	if (!deleted && file_identity(r, e, path) == 0) {
		if (!e->shared)
			return SAVE_COW;
		r->kind = CKPT_REG_SHARED_FILE;
		if (e->prot & PROT_WRITE)
			sys_msync((void *)e->start, e->end - e->start,
				  MS_SYNC);
		return SAVE_NONE;
	}
	/* Deleted, replaced or not a regular file: only the contents are left
	 * to keep. */
	if (e->shared)
		r->kind = CKPT_REG_SHARED_ANON;
	return SAVE_ALL;
}

static int region_add(const struct maps_entry *e, void *arg)
{
	struct mem_scan *s = arg;
	struct ckpt_region *r;
	enum save_mode mode;

	if (region_skipped(e))
		return 0;
	if (s->n == s->max)
		return -ENOMEM;
	r = &s->regions[s->n];
	memset(r, 0, sizeof(*r));
	r->start = e->start;
	r->end = e->end;
	r->prot = (uint32_t)e->prot;
	r->file_offset = e->offset;
	r->kind = e->shared ? CKPT_REG_SHARED_ANON : CKPT_REG_PRIVATE;
	if (maps_path_is(e, "[stack]"))
		r->flags |= CKPT_REGF_STACK;
	if (maps_path_is(e, "[heap]"))
		r->flags |= CKPT_REGF_HEAP;
	if (add_string(s, e->path, e->path_len, &r->path_off))
		return -ENOMEM;
	if (ipc_region_restored(e->start, e->end)) {
		/* A System V segment of the job (/SYSV...): ipc.c saves it
		 * and attaches it here again; only the range is kept. */
		r->kind = CKPT_REG_EMPTY;
		mode = SAVE_NONE;
	} else if (e->path_len && e->path[0] == '/') {
		mode = classify_file(r, e, s->strings + r->path_off);
	} else if (e->path_len && e->path[0] != '[') {
		/* anon_inode mappings (perf, io_uring, dma-buf): kernel
		 * objects ckpt cannot recreate; the range is kept empty. */
		r->kind = CKPT_REG_EMPTY;
		mode = SAVE_NONE;
	} else {
		mode = e->shared ? SAVE_ALL : SAVE_ANON;
	}
	s->modes[s->n++] = (uint8_t)mode;
	return 0;
}

static int page_is_zero(const void *p)
{
	const uint64_t *w = p;

	for (size_t i = 0; i < CKPT_PAGE_SIZE / 8; i++)
		if (w[i])
			return 0;
	return 1;
}

/* A page of a private region that only the image can give back: there
 * (present or swapped) and, in a file mapping, the program's own copy. */
static int page_own(enum save_mode mode, uint64_t pm)
{
	if (mode == SAVE_ANON)
		return (pm & (PM_PRESENT | PM_SWAP)) != 0;
	return (pm & PM_SWAP) || (pm & (PM_PRESENT | PM_FILE)) == PM_PRESENT;
}

static int page_wanted(enum save_mode mode, uint64_t pm, const void *addr)
{
	/* A guard page shows as a swap entry, and reading it faults. */
	if (pm & PM_GUARD)
		return 0;
	switch (mode) {
	case SAVE_ANON:
		return page_own(mode, pm) && !page_is_zero(addr);
	case SAVE_COW:
		return page_own(mode, pm);
	case SAVE_ALL:
		return !page_is_zero(addr);
	default:
		return 0;
	}
}

/* An incremental image keeps from its parent the pages a full one would
 * store (zero or not) that were not written since -- except in the
 * regions ckpt itself writes after the scan (its variables, this stack),
 * stored whole as they are in the snapshot. */
static int page_kept(struct page_writer *pw, enum save_mode mode, uint64_t pm,
		     uint64_t addr)
{
	return pw->incremental && !pw->unstable &&
	       (mode == SAVE_ANON || mode == SAVE_COW) && !(pm & PM_GUARD) &&
	       !written_has(&pw->cursor, addr) && page_own(mode, pm);
}

/* The page at addr joins INHERIT; 0, or -1 when INHERIT is full (the page
 * is stored instead). */
static int page_keep(struct page_writer *pw, struct ckpt_region *r,
		     uint64_t addr)
{
	struct ckpt_extent *last = pw->nkept ? &pw->kept[pw->nkept - 1] : NULL;

	if (last && last->end == addr && addr != r->start) {
		last->end += CKPT_PAGE_SIZE;
	} else {
		if (pw->nkept == INHERIT_MAX)
			return -1;
		pw->kept[pw->nkept].start = addr;
		pw->kept[pw->nkept].end = addr + CKPT_PAGE_SIZE;
		pw->nkept++;
	}
	r->flags |= CKPT_REGF_INHERITS;
	return 0;
}

/* zstd and lz4 read their input more than once: memory that changes
 * before or while it is encoded would decode to bytes it never held, even
 * around the change.  Such regions are queued as copies. */
static int chunk_write(struct page_writer *pw, uint32_t region, uint64_t addr,
		       uint32_t npages)
{
	return chunk_pipe_put(pw->pipe, region, addr, npages, pw->unstable);
}

/* Make a region readable while its pages are copied; returns 1 when its
 * protection must be put back. */
static int region_open_for_read(const struct ckpt_region *r)
{
	if (r->prot & PROT_READ)
		return 0;
	return sys_mprotect((void *)r->start, r->end - r->start,
			    (int)r->prot | PROT_READ) == 0 ? 1 : -1;
}

static int region_pages(struct page_writer *pw, struct ckpt_region *r,
			uint32_t idx, enum save_mode mode)
{
	uint64_t npages = (r->end - r->start) / CKPT_PAGE_SIZE;
	uint64_t run_addr = 0;
	uint32_t run = 0;
	int rc = 0;
	/* SAVE_ALL reads every page: where there are guard pages, pagemap
	 * tells which to leave alone. */
	int need_pm = mode != SAVE_ALL || (r->flags & CKPT_REGF_GUARD);

	for (uint64_t base = 0; base < npages && !rc; base += PM_BATCH) {
		uint64_t cnt = npages - base < PM_BATCH ? npages - base : PM_BATCH;
		uint64_t addr0 = r->start + base * CKPT_PAGE_SIZE;

		if (need_pm &&
		    sys_pread(pw->pagemap_fd, pw->pm, cnt * 8,
			      addr0 / CKPT_PAGE_SIZE * 8) != (long)(cnt * 8))
			return -EIO;
		for (uint64_t i = 0; i < cnt && !rc; i++) {
			uint64_t addr = addr0 + i * CKPT_PAGE_SIZE;
			uint64_t pm = need_pm ? pw->pm[i] : 0;
			int kept = page_kept(pw, mode, pm, addr) &&
				   page_keep(pw, r, addr) == 0;

			if (kept || !page_wanted(mode, pm, (const void *)addr)) {
				if (run)
					rc = chunk_write(pw, idx, run_addr, run);
				run = 0;
				continue;
			}
			if (run == CKPT_CHUNK_MAX_PAGES) {
				rc = chunk_write(pw, idx, run_addr, run);
				run = 0;
			}
			if (!run)
				run_addr = addr;
			run++;
			r->pages++;
		}
	}
	if (run && !rc)
		rc = chunk_write(pw, idx, run_addr, run);
	return rc;
}

/* The map as it was in the pause, kept in the arena for memory_emit: the
 * pages themselves are read at emit time, in a forked writer from its
 * copy-on-write view of the pause.  In libckpt's bss, as data_marker is
 * in its data: where the writer's own variables are, which it changes
 * while it emits. */
static struct mem_scan captured;
static int data_marker = 1;

static int holds(const struct ckpt_region *r, const void *p)
{
	return (uint64_t)(uintptr_t)p >= r->start &&
	       (uint64_t)(uintptr_t)p < r->end;
}

/* The regions the emitting code writes as it runs: its stack (in place:
 * the program's), libckpt's own variables. */
static int region_unstable(const struct ckpt_region *r)
{
	int local = 0;

	return holds(r, &local) || holds(r, &data_marker) ||
	       holds(r, &captured);
}

static int pages_save(struct page_writer *pw, struct mem_scan *s)
{
	int rc = 0;

	image_section_begin(pw->w, CKPT_SEC_PAGES);
	for (uint32_t i = 0; i < s->n && !rc; i++) {
		struct ckpt_region *r = &s->regions[i];
		int reprotect;

		if (s->modes[i] == SAVE_NONE)
			continue;
		if (sys_msync((void *)r->start, r->end - r->start, MS_ASYNC) ==
		    -ENOMEM) {
			/* Gone in a forked writer: MADV_DONTFORK by a raw
			 * system call, which ckpt did not see. */
			say(2, "a region of ", s->strings + r->path_off,
			    " is not inherited by the forked writer "
			    "(MADV_DONTFORK not made through libc's madvise); "
			    "run with --no-fork", NULL);
			rc = -EFAULT;
			break;
		}
		reprotect = region_open_for_read(r);
		if (reprotect < 0) {
			say(2, "warning: cannot read a region of ",
			    s->strings + r->path_off, "; its contents are not saved",
			    NULL);
			continue;
		}
		pw->unstable = region_unstable(r);
		rc = region_pages(pw, r, i, (enum save_mode)s->modes[i]);
		if (reprotect) {
			/* Its chunks are read before it is closed again. */
			if (!rc)
				rc = chunk_pipe_drain(pw->pipe);
			sys_mprotect((void *)r->start, r->end - r->start,
				     (int)r->prot);
		}
	}
	if (!rc)
		rc = chunk_pipe_drain(pw->pipe);
	image_section_end(pw->w, 0);
	return rc ? rc : pw->w->err;
}

static int page_writer_init(struct page_writer *pw, struct image_writer *w)
{
	long fd;

	memset(pw, 0, sizeof(*pw));
	pw->w = w;
	fd = sys_open("/proc/thread-self/pagemap", O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0)
		return (int)fd;
	pw->pagemap_fd = (int)fd;
	pw->pipe = chunk_pipe_start(w, ckpt_cfg.codec, ckpt_cfg.level);
	if (!pw->pipe) {
		sys_close(pw->pagemap_fd);
		return -ENOMEM;
	}
	return 0;
}

static int page_writer_end(struct page_writer *pw)
{
	sys_close(pw->pagemap_fd);
	return chunk_pipe_end(pw->pipe);
}

static int scan_init(struct mem_scan *s, const struct capture *c)
{
	size_t lines = 1;

	for (size_t i = 0; i < c->maps_len; i++)
		lines += c->maps[i] == '\n';
	memset(s, 0, sizeof(*s));
	s->max = (uint32_t)lines;
	s->regions = arena_alloc(lines * sizeof(*s->regions));
	s->modes = arena_alloc(lines);
	s->strings_max = c->maps_len + lines;
	s->strings = arena_alloc(s->strings_max);
	return s->regions && s->modes && s->strings ? 0 : -ENOMEM;
}

/* Whether the VmFlags line [p, end) holds the flag name. */
static int vmflag_has(const char *p, const char *end, const char *name)
{
	for (; p + 3 <= end; p++)
		if (p[0] == ' ' && p[1] == name[0] && p[2] == name[1] &&
		    (p + 3 == end || p[3] == ' ' || p[3] == '\n'))
			return 1;
	return 0;
}

static const struct {
	char name[3];
	uint32_t flag;
} vmflags[] = {
	{ "nr", CKPT_REGF_NORESERVE },  { "gd", CKPT_REGF_GROWSDOWN },
	{ "dc", CKPT_REGF_DONTFORK },   { "wf", CKPT_REGF_WIPEONFORK },
	{ "dd", CKPT_REGF_DONTDUMP },   { "hg", CKPT_REGF_HUGEPAGE },
	{ "nh", CKPT_REGF_NOHUGEPAGE }, { "lo", CKPT_REGF_LOCKED },
	{ "lf", CKPT_REGF_LOCKONFAULT },
};

static uint32_t vmflags_parse(const char *p, const char *end, uint32_t mask)
{
	uint32_t flags = 0;

	for (size_t i = 0; i < sizeof(vmflags) / sizeof(*vmflags); i++)
		if ((vmflags[i].flag & mask) && vmflag_has(p, end, vmflags[i].name))
			flags |= vmflags[i].flag;
	return flags;
}

/* The region starting at start, if any; *at moves up with the smaps
 * entries, which go up by address as the regions do. */
static struct ckpt_region *region_at(struct mem_scan *s, uint32_t *at,
				     uint64_t start)
{
	while (*at < s->n && s->regions[*at].start < start)
		(*at)++;
	if (*at < s->n && s->regions[*at].start == start &&
	    s->regions[*at].kind != CKPT_REG_EMPTY)
		return &s->regions[*at];
	return NULL;
}

/*
 * The flags of mask from smaps VmFlags.  Regions kept empty (System V
 * segments, which ipc.c attaches again and leaves out of the writer's
 * fork itself; anon_inode mappings) take none.  Returns the flags seen.
 */
static uint32_t vmflags_mark(struct mem_scan *s, uint32_t mask)
{
	size_t size = 8u << 20;
	char *buf = arena_alloc(size);
	long n = buf ? proc_read_file("/proc/thread-self/smaps", buf, size)
		     : -ENOMEM;
	struct ckpt_region *r = NULL;
	uint32_t at = 0, seen = 0;

	for (const char *p = buf, *end = buf + (n > 0 ? n : 0); p < end;) {
		const char *nl = p, *q = p;
		uint64_t v;

		while (nl < end && *nl != '\n')
			nl++;
		if (str_parse_u64(&q, nl, 16, &v) == 0 && *q == '-') {
			r = region_at(s, &at, v); /* a mapping's first line */
		} else if (r && str_starts(p, "VmFlags:")) {
			r->flags |= vmflags_parse(p + 8, nl, mask);
			seen |= r->flags;
		}
		p = nl + 1;
	}
	return seen;
}

/* Before the fork (off = 1): a writer inherits the DONTFORK ranges and
 * the contents of the WIPEONFORK ones; after it (off = 0), as they were. */
static void fork_advice_set(struct mem_scan *s, int off)
{
	for (uint32_t i = 0; i < s->n; i++) {
		const struct ckpt_region *r = &s->regions[i];
		void *a = (void *)r->start;
		size_t len = r->end - r->start;

		if (r->flags & CKPT_REGF_DONTFORK)
			sys_madvise(a, len, off ? MADV_DOFORK : MADV_DONTFORK);
		if (r->flags & CKPT_REGF_WIPEONFORK)
			sys_madvise(a, len,
				    off ? MADV_KEEPONFORK : MADV_WIPEONFORK);
	}
	s->fork_advice_off = off;
}

/* The written pages of the regions whose pages are the program's own
 * (dirty.h); the generation they are relative to, or 0. */
static uint64_t written_take(struct mem_scan *s)
{
	struct ckpt_extent *ext = arena_alloc(s->n * sizeof(*ext) + 1);
	uint32_t n = 0;

	if (!ext)
		return 0;
	for (uint32_t i = 0; i < s->n; i++)
		if (s->modes[i] == SAVE_ANON || s->modes[i] == SAVE_COW) {
			ext[n].start = s->regions[i].start;
			ext[n].end = s->regions[i].end;
			n++;
		}
	return written_capture(ext, n);
}

/* Set by the interposed calls below: smaps is read in the pause. */
static int advice_seen;

void mem_pause_over(void)
{
	if (captured.fork_advice_off)
		fork_advice_set(&captured, 0);
}

static int memory_capture(struct image_writer *state, const struct capture *c)
{
	int rc;

	(void)state;
	captured.fork_advice_off = 0;
	rc = scan_init(&captured, c);
	if (!rc)
		rc = maps_parse(c->maps, c->maps_len, region_add, &captured);
	if (rc)
		return rc < 0 ? rc : -EINVAL;
	captured.pid = sys_getpid();
	if (advice_seen && !ckpt_cfg.no_fork) {
		uint32_t seen = vmflags_mark(&captured, ~0u);

		captured.flags_done = 1;
		if (seen & REGF_FORK_ADVICE)
			fork_advice_set(&captured, 1);
	}
	return 0;
}

/* --- guard regions ------------------------------------------------------ */

/* [start, end) guard pages, clipped to the regions they lie in. */
static int guards_add(struct mem_scan *s, uint32_t *at, uint64_t start,
		      uint64_t end)
{
	while (*at < s->n && s->regions[*at].end <= start)
		(*at)++;
	for (uint32_t i = *at; i < s->n && s->regions[i].start < end; i++) {
		struct ckpt_region *r = &s->regions[i];
		struct ckpt_guard *g = &s->guards[s->nguards];

		if (r->kind == CKPT_REG_EMPTY)
			continue;
		if (s->nguards == GUARDS_MAX)
			return -E2BIG;
		g->start = start > r->start ? start : r->start;
		g->end = end < r->end ? end : r->end;
		r->flags |= CKPT_REGF_GUARD;
		s->nguards++;
	}
	return 0;
}

/*
 * Guard pages, with one PAGEMAP_SCAN over the regions' span (about 1 ms
 * for 1 GiB): a forked writer has them as the program does (fork copies
 * the markers).  A kernel without PAGEMAP_SCAN has no guard regions.
 */
static int guards_scan(struct mem_scan *s, int pagemap_fd)
{
	struct dirty_range *vec = arena_alloc(SCAN_VEC * sizeof(*vec));
	uint64_t lo = s->n ? s->regions[0].start : 0;
	uint64_t hi = s->n ? s->regions[s->n - 1].end : 0;
	uint32_t at = 0;
	int rc = 0;

	s->nguards = 0;
	s->guards = arena_alloc(GUARDS_MAX * sizeof(*s->guards));
	if (!vec || !s->guards)
		return -ENOMEM;
	while (lo < hi && !rc) {
		struct pm_scan_arg_ a = {
			.size = sizeof(a), .start = lo, .end = hi,
			.vec = (uintptr_t)vec, .vec_len = SCAN_VEC,
			.category_mask = PAGE_IS_GUARD_,
			.return_mask = PAGE_IS_GUARD_,
		};
		long n = sys_ioctl(pagemap_fd, PAGEMAP_SCAN_, &a);

		if (n < 0)
			return n == -EINVAL || n == -ENOTTY ? 0 : (int)n;
		for (long i = 0; i < n && !rc; i++)
			rc = guards_add(s, &at, vec[i].start, vec[i].end);
		if (a.walk_end <= lo)
			break;
		lo = a.walk_end;
	}
	if (rc == -E2BIG)
		say(2, "more guard regions (MADV_GUARD_INSTALL) than ckpt keeps",
		    NULL);
	return rc;
}

/* --- emit --------------------------------------------------------------- */

/* The flags the pause did not read, from smaps here: in place the
 * program's own; in a forked writer all but what fork does not carry. */
static void flags_mark_late(struct mem_scan *s)
{
	int in_place = sys_getpid() == s->pid;
	uint32_t seen;

	if (s->flags_done)
		return;
	seen = vmflags_mark(s, in_place ? ~0u : ~REGF_PAUSE_ONLY);
	if (!in_place && (seen & CKPT_REGF_WIPEONFORK))
		say(2, "warning: a MADV_WIPEONFORK range not made through "
		       "libc's madvise is saved as zeros; run with --no-fork",
		    NULL);
}

static void regions_emit(struct image_writer *w, struct mem_scan *s,
			 const struct page_writer *pw)
{
	if (pw->nkept) {
		image_section_begin(w, CKPT_SEC_INHERIT);
		image_section_write(w, pw->kept, pw->nkept * sizeof(*pw->kept));
		image_section_end(w, pw->nkept);
	}
	image_section_begin(w, CKPT_SEC_REGIONS);
	image_section_write(w, s->regions, s->n * sizeof(*s->regions));
	image_section_write(w, s->strings, s->strings_len);
	image_section_end(w, s->n);
	if (!s->nguards)
		return;
	image_section_begin(w, CKPT_SEC_GUARDS);
	image_section_write(w, s->guards, s->nguards * sizeof(*s->guards));
	image_section_end(w, s->nguards);
}

static int memory_emit(struct image_writer *w)
{
	struct mem_scan *s = &captured;
	struct page_writer pw;
	int rc;

	flags_mark_late(s);
	rc = page_writer_init(&pw, w);
	if (rc)
		return rc;
	pw.kept = arena_alloc(INHERIT_MAX * sizeof(*pw.kept));
	pw.incremental = chain_begin(w, pw.kept ? s->parent_gen : 0);
	rc = guards_scan(s, pw.pagemap_fd);
	if (!rc)
		rc = pages_save(&pw, s);
	if (page_writer_end(&pw) && !rc)
		rc = w->err ? w->err : -EIO;
	if (rc)
		return rc;
	regions_emit(w, s, &pw);
	return w->err;
}

/* --- the program's calls ------------------------------------------------ */

/* Raw system calls, as the other interposed memory calls (undo_maps.c). */
CKPT_EXPORT int madvise(void *addr, size_t len, int advice)
{
	if (advice == MADV_DONTFORK || advice == MADV_WIPEONFORK)
		advice_seen = 1;
	return (int)ckpt_set_errno(sys_madvise(addr, len, advice));
}

CKPT_EXPORT int mlock(const void *addr, size_t len)
{
	advice_seen = 1;
	return (int)ckpt_set_errno(sys_call2(__NR_mlock, (long)addr, (long)len));
}

CKPT_EXPORT int mlock2(const void *addr, size_t len, unsigned int flags)
{
	advice_seen = 1;
	return (int)ckpt_set_errno(
		sys_call3(__NR_mlock2, (long)addr, (long)len, (long)flags));
}

CKPT_EXPORT int mlockall(int flags)
{
	advice_seen = 1;
	return (int)ckpt_set_errno(sys_call1(__NR_mlockall, flags));
}

/* mmap with MAP_LOCKED (undo_maps.c interposes mmap). */
void mem_locked_mapping(void)
{
	advice_seen = 1;
}

/* The image holds this module's variables as they were in the pause: the
 * advice lifted then is the bootstrap's to give back, not ours. */
static int memory_restore(struct image_reader *r)
{
	(void)r;
	captured.fork_advice_off = 0;
	return 0;
}

const struct ckpt_module ckpt_module_memory = {
	.name = "memory",
	.capture = memory_capture,
	.emit = memory_emit,
	.restore = memory_restore,
};

/* Last in the pause (checkpoint.c): a page the other captures write there
 * must be seen written. */
static int written_pages_capture(struct image_writer *state,
				 const struct capture *c)
{
	(void)state;
	(void)c;
	captured.parent_gen = written_take(&captured);
	return 0;
}

const struct ckpt_module ckpt_module_written = {
	.name = "written pages",
	.capture = written_pages_capture,
};
