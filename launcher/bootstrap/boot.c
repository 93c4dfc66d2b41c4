/*
 * ckpt-restore: the static bootstrap ckpt-resume executes.  It turns its own
 * process into the checkpointed one: it runs from ckpt's reserved range
 * (linked there), unmaps everything else the kernel gave it, moves the vDSO
 * to where the program had it, maps every region, fills the pages, restores
 * the kernel's mm fields and the FS base, and jumps back into the saved
 * context inside libckpt's handler, which finishes the job.
 *
 * Usage (from ckpt-resume only): ckpt-restore IMAGE_FD FLAGS
 * (FLAGS: CKPT_RESTORE_*, handed on to libckpt)
 * Raw system calls only; glibc never starts here.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/ucontext.h>
#include <zlib.h>

#include "boot.h"
#include "codec.h"
#include "ctxjump.h"
#include "dirty.h"
#include "core_range.h"
#include "ckpt_image.h"
#include "image.h"
#include "procfs.h"
#include "str.h"
#include "sys.h"

#define ARCH_SET_FS 0x1002
#define BOOT_HEAP_START (CKPT_RANGE_START + (64ul << 20))
#define BOOT_HEAP_SIZE (160ul << 20)
#define BOOT_VDSO_TEMP (CKPT_RANGE_START + (240ul << 20))
#define BOOT_STACK_SIZE (256u << 10)
#define CKPT_CHAIN_FDS 1024

void boot_switch_stack(void (*fn)(void), void *top);

/* Zlib is built with the stack protector: it reads its canary at %fs:0x28,
 * so the bootstrap has a thread block of its own until the jump. */
static struct {
	void *self;
	uint64_t pad[4];
	uint64_t canary;
} boot_tcb;

static char boot_stack[BOOT_STACK_SIZE] __attribute__((aligned(16)));
static int image_fd = -1;
static int restore_flags;
static size_t heap_used;

static struct {
	struct image_reader r;
	struct ckpt_proc *proc;
	struct image_table regions; /* REGIONS: entries, then their paths */
	uint64_t nregions;
	uint8_t *write_added;
	const struct ckpt_guard *guards; /* GUARDS, absent: none */
	uint64_t nguards;
	/* An incremental image: its parent, the pages still to be had from
	 * it, and the parents' descriptors, nearest first. */
	struct ckpt_parent parent;
	int has_parent;
	const struct ckpt_extent *wanted;
	uint64_t nwanted;
	int parent_fd[CKPT_CHAIN_FDS];
	int nparents;
	int uffd;
} B;

static struct ctx_regs regs;

/* For messages; copied, since the stack it came on is unmapped. */
static char image_name[1024];

void boot_die(const char *what, const char *detail)
{
	char buf[2048];
	char *p = str_add(buf, buf + sizeof(buf) - 1, "ckpt-restore: ");

	p = str_add(p, buf + sizeof(buf) - 1, image_name);
	p = str_add(p, buf + sizeof(buf) - 1, ": ");
	p = str_add(p, buf + sizeof(buf) - 1, what);
	p = str_add(p, buf + sizeof(buf) - 1, detail);
	*p++ = '\n';
	sys_write(2, buf, (size_t)(p - buf));
	sys_exit_group(1);
}

void *boot_alloc(size_t size)
{
	void *p = (char *)BOOT_HEAP_START + heap_used;

	/* Sizes come from the image: compared before rounding, which could
	 * wrap.  Both bounds are multiples of 64, so the rounded size fits. */
	if (size > BOOT_HEAP_SIZE - heap_used)
		return NULL;
	size = (size + 63) & ~(size_t)63;
	heap_used += size;
	return p;
}

static void *alloc_or_die(size_t size)
{
	void *p = boot_alloc(size);

	if (!p)
		boot_die("out of memory for the image's tables", "");
	return p;
}

static void die_errno(const char *what, const char *detail, long err)
{
	char msg[512];
	char *p = str_add(msg, msg + sizeof(msg), detail);

	p = str_add(p, msg + sizeof(msg), ": ");
	str_add(p, msg + sizeof(msg), errno_text(err));
	boot_die(what, msg);
}

static void image_die(int rc)
{
	boot_die("cannot read the image: ", image_strerror(rc));
}

/* Region i of the image; i < B.nregions always, the table checked it. */
static const struct ckpt_region *region(uint64_t i)
{
	return image_table_entry(&B.regions, i);
}

/* "region N at 0xADDR" + why, and exit. */
static __attribute__((noreturn)) void region_die(uint64_t i, const char *why)
{
	char msg[256], *end = msg + sizeof(msg);
	char *p = str_add_u64(str_add(msg, end, "region "), end, i);

	p = str_add_hex(str_add(p, end, " at 0x"), end, region(i)->start);
	str_add(p, end, why);
	boot_die("the image is malformed: ", msg);
}

/* The region's path: a NUL-terminated string inside the REGIONS section. */
static const char *region_path(uint64_t i)
{
	const char *path = image_table_string(&B.regions, region(i)->path_off);

	if (!path)
		region_die(i, ": its path lies outside the section");
	return path;
}

static int overlaps_ckpt_range(uint64_t start, uint64_t end)
{
	return start < CKPT_RANGE_START + CKPT_RANGE_SIZE &&
	       end > CKPT_RANGE_START;
}

/* Everything region_map and pages_fill take from a region, checked before
 * the address space is touched. */
static void region_check(uint64_t i)
{
	const struct ckpt_region *r = region(i);

	region_path(i);
	if (r->start >= r->end || r->start % CKPT_PAGE_SIZE ||
	    r->end % CKPT_PAGE_SIZE)
		region_die(i, ": its bounds are not a page range");
	/* The bootstrap runs there: MAP_FIXED_NOREPLACE would refuse its own
	 * pages, but not the unused ones around them. */
	if (overlaps_ckpt_range(r->start, r->end))
		region_die(i, ": it lies in ckpt's reserved range");
}

static void proc_read(void)
{
	const struct ckpt_section *s;
	int rc;

	B.proc = alloc_or_die(sizeof(*B.proc));
	rc = image_read_section(&B.r, CKPT_SEC_PROC, B.proc, sizeof(*B.proc),
				&s);
	/* A shorter PROC would leave fields as zeros nobody wrote. */
	if (!rc && s->size != sizeof(*B.proc))
		rc = IMAGE_EMALFORMED;
	if (!rc)
		rc = image_proc_check(B.proc);
	if (rc)
		image_die(rc);
}

static void regions_read(void)
{
	const struct ckpt_section *s = image_find(&B.r, CKPT_SEC_REGIONS);
	void *body;
	int rc;

	if (!s)
		image_die(IMAGE_ENOSECTION);
	body = alloc_or_die(s->size);
	rc = image_read_section(&B.r, CKPT_SEC_REGIONS, body, s->size, NULL);
	if (!rc)
		rc = image_table_init(&B.regions, body, s->size, 0, s->count,
				      sizeof(struct ckpt_region));
	if (rc)
		image_die(rc);
	B.nregions = B.regions.count;
	B.write_added = alloc_or_die(B.nregions + 1);
	for (uint64_t i = 0; i < B.nregions; i++)
		region_check(i);
}

/* Each guard range a page range inside one region marked for guards, in
 * address order: checked before the address space is touched. */
static void guards_check(void)
{
	uint64_t i = 0, prev_end = 0;

	for (uint64_t g = 0; g < B.nguards; g++) {
		const struct ckpt_guard *e = &B.guards[g];

		while (i < B.nregions && region(i)->end <= e->start)
			i++;
		if (e->start >= e->end || e->start % CKPT_PAGE_SIZE ||
		    e->end % CKPT_PAGE_SIZE || e->start < prev_end ||
		    i == B.nregions || e->start < region(i)->start ||
		    e->end > region(i)->end ||
		    !(region(i)->flags & CKPT_REGF_GUARD))
			boot_die("the image is malformed: ",
				 "a guard range is not inside its region");
		prev_end = e->end;
	}
}

static void guards_read(void)
{
	const struct ckpt_section *s = image_find(&B.r, CKPT_SEC_GUARDS);
	void *body;
	int rc;

	if (!s)
		return;
	if (s->count > s->size / sizeof(struct ckpt_guard) ||
	    s->size != s->count * sizeof(struct ckpt_guard))
		image_die(IMAGE_EMALFORMED);
	body = alloc_or_die(s->size);
	rc = image_read_section(&B.r, CKPT_SEC_GUARDS, body, s->size, NULL);
	if (rc)
		image_die(rc);
	B.guards = body;
	B.nguards = s->count;
	guards_check();
}

/* INHERIT of an image whose regions are t, checked; none: 0 extents. */
static uint64_t inherit_read(struct image_reader *r, const struct image_table *t,
			     const struct ckpt_extent **out)
{
	const struct ckpt_section *s = image_find(r, CKPT_SEC_INHERIT);
	void *body;
	int rc;

	*out = NULL;
	if (!s)
		return 0;
	if (s->count > s->size / sizeof(struct ckpt_extent) ||
	    s->size != s->count * sizeof(struct ckpt_extent))
		image_die(IMAGE_EMALFORMED);
	body = alloc_or_die(s->size);
	rc = image_read_section(r, CKPT_SEC_INHERIT, body, s->size, NULL);
	if (!rc)
		rc = image_extents_check(body, s->count, image_table_entry(t, 0),
					 t->count);
	if (rc)
		image_die(rc);
	*out = body;
	return s->count;
}

/* PARENT of an image, which must have one when it inherits pages. */
static int parent_read(struct image_reader *r, struct ckpt_parent *p,
		       uint64_t inherited)
{
	int rc = image_read_parent(r, p);

	if (rc < 0 || (rc == 1 && inherited))
		image_die(rc < 0 ? rc : IMAGE_EMALFORMED);
	return rc == 0;
}

static void tables_read(void)
{
	int rc = image_reader_open(&B.r, image_fd);

	if (rc)
		image_die(rc);
	proc_read();
	regions_read();
	guards_read();
	B.nwanted = inherit_read(&B.r, &B.regions, &B.wanted);
	B.has_parent = parent_read(&B.r, &B.parent, B.nwanted);
}

/* --- the vDSO ----------------------------------------------------------- */

static struct ckpt_vdso_area vdso_here[CKPT_VDSO_AREAS];

static int is_vdso(uint64_t start)
{
	for (int i = 0; i < CKPT_VDSO_AREAS; i++)
		if (vdso_here[i].end && vdso_here[i].start == start)
			return 1;
	return 0;
}

static int keep_or_unmap(const struct maps_entry *e, void *arg)
{
	(void)arg;
	if (is_vdso(e->start) || maps_path_is(e, "[vsyscall]") ||
	    (e->start >= CKPT_RANGE_START &&
	     e->end <= CKPT_RANGE_START + CKPT_BOOT_SIZE))
		return 0;
	sys_munmap((void *)e->start, e->end - e->start);
	return 0;
}

/* Leave only the bootstrap, the vDSO and vsyscall in the address space. */
static void unmap_foreign(void)
{
	size_t size = 1 << 20;
	char *buf = alloc_or_die(size);
	long n = proc_read_file("/proc/self/maps", buf, size);

	if (n < 0)
		die_errno("cannot read ", "/proc/self/maps", n);
	vdso_areas_find(buf, (size_t)n, vdso_here);
	if (maps_parse(buf, (size_t)n, keep_or_unmap, NULL))
		boot_die("cannot parse ", "/proc/self/maps");
}

static void vdso_move(void)
{
	const struct ckpt_vdso_area *img = B.proc->vdso;
	const struct ckpt_vdso_area *here = vdso_here;
	uint64_t base_here = here[CKPT_VDSO_CODE].start;

	if (!vdso_layout_equal(img, here))
		boot_die("the kernel's vDSO layout differs from the "
			 "checkpointed one: ",
			 "resume on the kernel the image was made on");
	/* MREMAP_FIXED unmaps whatever is at the target: the image's
	 * addresses must not reach the bootstrap's own range. */
	for (int i = 0; i < CKPT_VDSO_AREAS; i++)
		if (img[i].end && (img[i].start % CKPT_PAGE_SIZE ||
				   img[i].end < img[i].start ||
				   overlaps_ckpt_range(img[i].start, img[i].end)))
			boot_die("the image is malformed: ",
				 "its vDSO address is not a page range outside "
				 "ckpt's reserved range");
	/* Through a temporary place: the old and new spots may overlap. */
	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0; i < CKPT_VDSO_AREAS; i++) {
			uint64_t len = here[i].end - here[i].start;
			uint64_t tmp = BOOT_VDSO_TEMP + (here[i].start - base_here);
			uint64_t from = pass ? tmp : here[i].start;
			uint64_t to = pass ? img[i].start : tmp;
			long rc;

			if (!len)
				continue;
			rc = sys_mremap((void *)from, len, len,
					MREMAP_MAYMOVE | MREMAP_FIXED,
					(void *)to);
			if (rc != (long)to)
				die_errno("cannot move the vDSO", "", rc);
		}
	}
}

/* --- regions ------------------------------------------------------------ */

static int file_open_checked(const struct ckpt_region *r, const char *path,
			     int flags)
{
	struct stat st = { 0 };
	long fd = sys_open(path, flags | O_CLOEXEC, 0);

	if (fd < 0 && (flags & O_ACCMODE) == O_RDWR)
		fd = sys_open(path, O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0)
		die_errno("cannot open the mapped file ", path, fd);
	if (sys_fstat((int)fd, &st) < 0 || !image_region_file_matches(r, &st))
		boot_die("the mapped file changed since the checkpoint: ", path);
	return (int)fd;
}

static void region_map(uint64_t i)
{
	const struct ckpt_region *r = region(i);
	const char *path = region_path(i);
	int prot = (int)r->prot, flags = MAP_FIXED_NOREPLACE, fd = -1;
	long rc;

	if (r->pages || (r->flags & CKPT_REGF_INHERITS) ||
	    r->kind == CKPT_REG_SHARED_ANON)
		prot |= PROT_WRITE;
	B.write_added[i] = prot != (int)r->prot;
	switch (r->kind) {
	case CKPT_REG_PRIVATE:
		flags |= MAP_PRIVATE;
		if (r->flags & (CKPT_REGF_STACK | CKPT_REGF_GROWSDOWN))
			flags |= MAP_GROWSDOWN;
		break;
	case CKPT_REG_SHARED_FILE:
		flags |= MAP_SHARED;
		break;
	case CKPT_REG_SHARED_ANON:
		flags |= MAP_SHARED | MAP_ANONYMOUS;
		break;
	case CKPT_REG_EMPTY:
		flags |= MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;
		break;
	default:
		boot_die("unknown region kind in ", path);
	}
	if (r->flags & CKPT_REGF_FILE)
		fd = file_open_checked(r, path, r->kind == CKPT_REG_SHARED_FILE
							? O_RDWR
							: O_RDONLY);
	else if (r->kind == CKPT_REG_PRIVATE)
		flags |= MAP_ANONYMOUS;
	/* A large sparse reservation is only possible without reserving. */
	if (r->flags & CKPT_REGF_NORESERVE)
		flags |= MAP_NORESERVE;
	rc = sys_mmap((void *)r->start, r->end - r->start, prot, flags, fd,
		      fd >= 0 ? r->file_offset : 0);
	if (fd >= 0)
		sys_close(fd);
	if (rc != (long)r->start)
		die_errno("cannot map a region at its address: ",
			  *path ? path : "[anonymous]", rc < 0 ? rc : -17);
}

static void regions_protect(void)
{
	for (uint64_t i = 0; i < B.nregions; i++) {
		const struct ckpt_region *r = region(i);

		if (B.write_added[i])
			sys_mprotect((void *)r->start, r->end - r->start,
				     (int)r->prot);
	}
}

/* --- advice, once the pages are in ------------------------------------- */

static const struct {
	uint32_t flag;
	int advice;
} region_advice[] = {
	{ CKPT_REGF_DONTFORK, MADV_DONTFORK },
	{ CKPT_REGF_WIPEONFORK, MADV_WIPEONFORK },
	{ CKPT_REGF_DONTDUMP, MADV_DONTDUMP },
	{ CKPT_REGF_HUGEPAGE, MADV_HUGEPAGE },
	{ CKPT_REGF_NOHUGEPAGE, MADV_NOHUGEPAGE },
};

static void region_warn(uint64_t i, const char *what, long err)
{
	char range[64], *end = range + sizeof(range);
	char *p = str_add_hex(str_add(range, end, "0x"), end, region(i)->start);

	str_add_hex(str_add(p, end, "-0x"), end, region(i)->end);
	say(2, "warning: ", what, " of ", range, " (",
	    *region_path(i) ? region_path(i) : "[anonymous]", ") failed: ",
	    errno_text(err), "; the program runs on without it", NULL);
}

static void region_advise(uint64_t i)
{
	const struct ckpt_region *r = region(i);
	long rc;

	for (size_t k = 0; k < sizeof(region_advice) / sizeof(*region_advice);
	     k++) {
		if (!(r->flags & region_advice[k].flag))
			continue;
		rc = sys_madvise((void *)r->start, r->end - r->start,
				 region_advice[k].advice);
		if (rc < 0)
			region_warn(i, "madvise", rc);
	}
}

/* mlock last: it faults every page in, and may fail for RLIMIT_MEMLOCK,
 * which is no reason to give up the resume.  A range with guard pages
 * cannot be populated (ENOMEM), though the program's mlock of it had set
 * the flag all the same. */
static void region_lock(uint64_t i)
{
	const struct ckpt_region *r = region(i);
	long rc;

	if (!(r->flags & CKPT_REGF_LOCKED))
		return;
	rc = sys_call3(__NR_mlock2, (long)r->start, (long)(r->end - r->start),
		       r->flags & CKPT_REGF_LOCKONFAULT ? MLOCK_ONFAULT : 0);
	if (rc < 0 && (r->flags & CKPT_REGF_GUARD) && rc == -ENOMEM)
		region_warn(i, "mlock (the range has guard pages)", rc);
	else if (rc < 0)
		region_warn(i, rc == -ENOMEM || rc == -EPERM
				       ? "mlock (RLIMIT_MEMLOCK)"
				       : "mlock",
			    rc);
}

static void regions_advise(void)
{
	for (uint64_t i = 0; i < B.nregions; i++)
		if (region(i)->kind != CKPT_REG_EMPTY)
			region_advise(i);
	for (uint64_t g = 0; g < B.nguards; g++) {
		const struct ckpt_guard *e = &B.guards[g];
		long rc = sys_madvise((void *)e->start, e->end - e->start,
				      MADV_GUARD_INSTALL);

		if (rc < 0)
			die_errno("cannot install a guard region again",
				  " (MADV_GUARD_INSTALL)", rc);
	}
	for (uint64_t i = 0; i < B.nregions; i++)
		if (region(i)->kind != CKPT_REG_EMPTY)
			region_lock(i);
}

/* --- pages -------------------------------------------------------------- */

struct page_source {
	struct image_reader *r;
	const struct image_table *regions;
	/* NULL: every chunk whole; else only these pages of them */
	const struct ckpt_extent *want;
	uint64_t nwant;
	struct codec_dec dec;
	unsigned char *buf, *pages;
};

/* The chunk's pages decoded to dst (len bytes), its checksum checked. */
static void chunk_decode(struct page_source *ps, const struct ckpt_chunk *c,
			 uint64_t data_at, unsigned char *dst)
{
	int rc = image_chunk_read(ps->r, c, data_at, &ps->dec, ps->buf, dst);

	if (rc)
		image_die(rc);
}

/* Of a parent's chunk, only the pages still wanted from it. */
static void chunk_fill_wanted(struct page_source *ps,
			      const struct ckpt_chunk *c, uint64_t data_at)
{
	uint64_t end = c->addr + (uint64_t)c->npages * CKPT_PAGE_SIZE;
	uint64_t k = image_extents_find(ps->want, ps->nwant, c->addr);

	if (k == ps->nwant || ps->want[k].start >= end)
		return;
	chunk_decode(ps, c, data_at, ps->pages);
	for (; k < ps->nwant && ps->want[k].start < end; k++) {
		uint64_t lo = ps->want[k].start > c->addr ? ps->want[k].start
							  : c->addr;
		uint64_t hi = ps->want[k].end < end ? ps->want[k].end : end;

		memcpy((void *)lo, ps->pages + (lo - c->addr), hi - lo);
	}
}

/* Only regions region_map made writable for their pages take chunks: a
 * shared file mapping would carry them into the file. */
static int region_fillable(const struct ckpt_region *r)
{
	return (r->pages || (r->flags & CKPT_REGF_INHERITS)) &&
	       (r->kind == CKPT_REG_PRIVATE || r->kind == CKPT_REG_SHARED_ANON);
}

static void pages_fill(struct page_source *ps)
{
	const struct ckpt_section *s = image_find(ps->r, CKPT_SEC_PAGES);
	uint64_t off, end;

	if (!s)
		image_die(IMAGE_ENOSECTION);
	end = s->offset + s->size;
	for (off = s->offset; off < end;) {
		struct ckpt_chunk c;
		uint64_t data_at;
		int rc = image_pread(ps->r, &c, sizeof(c), off);

		if (rc)
			image_die(rc);
		data_at = off + sizeof(c) + c.pad;
		rc = image_chunk_check(&c, image_table_entry(ps->regions, 0),
				       ps->regions->count, data_at, end,
				       CKPT_CHUNK_MAX_DATA);
		if (!rc && !ps->want &&
		    !region_fillable(image_table_entry(ps->regions, c.region)))
			rc = IMAGE_ECHUNK;
		if (rc)
			image_die(rc);
		if (ps->want)
			chunk_fill_wanted(ps, &c, data_at);
		else
			chunk_decode(ps, &c, data_at, (unsigned char *)c.addr);
		off = data_at + c.data_len;
	}
}

static void page_source_init(struct page_source *ps)
{
	void *dec_mem = alloc_or_die(codec_dec_size());

	memset(ps, 0, sizeof(*ps));
	ps->buf = alloc_or_die(CKPT_CHUNK_MAX_DATA);
	ps->pages = alloc_or_die(CKPT_CHUNK_MAX_PAGES * CKPT_PAGE_SIZE);
	if (codec_dec_init(&ps->dec, dec_mem, codec_dec_size()))
		boot_die("cannot start the page decoders", "");
}

/* The parent is the very image the child names (ckpt-resume checked it
 * as well: this is for the file it handed over). */
static void parent_open(struct image_reader *r, int fd,
			const struct ckpt_parent *p)
{
	int rc = image_reader_open(r, fd);

	if (rc)
		boot_die("cannot read a parent image: ", image_strerror(rc));
	if (r->hdr.generation != p->generation ||
	    r->hdr.created_ns != p->created_ns ||
	    r->hdr.header_crc != p->header_crc || r->file_size != p->file_size)
		boot_die("a parent image is not the one its child names: ",
			 p->path);
}

/* The pages an incremental image inherits, from its parents in turn: what
 * one of them inherits itself is looked for in the next. */
static void parents_fill(struct page_source *ps)
{
	struct ckpt_parent p = B.parent;
	const struct ckpt_extent *want = B.wanted;
	uint64_t nwant = B.nwanted;

	for (int k = 0; nwant; k++) {
		struct image_reader *r = alloc_or_die(sizeof(*r));
		struct image_table *regions = alloc_or_die(sizeof(*regions));
		const struct ckpt_extent *kept, *next;
		const struct ckpt_section *s;
		uint64_t nkept;
		void *body;

		if (k == B.nparents)
			boot_die("the image's chain is incomplete: ", p.path);
		parent_open(r, B.parent_fd[k], &p);
		s = image_find(r, CKPT_SEC_REGIONS);
		if (!s)
			image_die(IMAGE_ENOSECTION);
		body = alloc_or_die(s->size);
		if (image_read_section(r, CKPT_SEC_REGIONS, body, s->size,
				       NULL) ||
		    image_table_init(regions, body, s->size, 0, s->count,
				     sizeof(struct ckpt_region)))
			image_die(IMAGE_EMALFORMED);
		ps->r = r;
		ps->regions = regions;
		ps->want = want;
		ps->nwant = nwant;
		pages_fill(ps);
		nkept = inherit_read(r, regions, &kept);
		if (!parent_read(r, &p, nkept) || !nkept)
			break;
		next = alloc_or_die((nwant + nkept) * sizeof(*next));
		nwant = image_extents_and(want, nwant, kept, nkept,
					  (struct ckpt_extent *)next);
		want = next;
	}
}

static void memory_fill(void)
{
	struct page_source ps;

	page_source_init(&ps);
	ps.r = &B.r;
	ps.regions = &B.regions;
	pages_fill(&ps);
	if (B.nwanted)
		parents_fill(&ps);
}

/* Written pages are tracked from here on (lib/dirty.h): the regions hold
 * the image's memory exactly, and the first image after this resume only
 * needs what changes from now. */
static void tracking_start(void)
{
	long pm, fd = dirty_open();
	struct dirty_range *vec = alloc_or_die(64 * sizeof(*vec));

	B.uffd = -1;
	if (fd < 0)
		return;
	pm = sys_open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC, 0);
	if (pm < 0) {
		sys_close((int)fd);
		return;
	}
	for (uint64_t i = 0; i < B.nregions; i++) {
		const struct ckpt_region *r = region(i);

		if (r->kind == CKPT_REG_PRIVATE)
			dirty_track((int)fd, (int)pm, r->start, r->end, vec, 64);
	}
	sys_close((int)pm);
	B.uffd = (int)fd;
}

/* --- the kernel's view of the mm, and the jump -------------------------- */

static void mm_restore(void)
{
	const struct ckpt_proc *p = B.proc;
	struct prctl_mm_map map = {
		.start_code = p->start_code, .end_code = p->end_code,
		.start_data = p->start_data, .end_data = p->end_data,
		.start_brk = p->start_brk,   .brk = p->brk,
		.start_stack = p->start_stack,
		.arg_start = p->arg_start,   .arg_end = p->arg_end,
		.env_start = p->env_start,   .env_end = p->env_end,
		.auxv = (__u64 *)(uintptr_t)p->auxv,
		.auxv_size = p->auxv_words * (uint32_t)sizeof(uint64_t),
		.exe_fd = (uint32_t)-1,
	};
	long rc = sys_prctl(PR_SET_MM, PR_SET_MM_MAP, (unsigned long)&map,
			    sizeof(map), 0);

	if (rc < 0)
		say(2, "warning: the kernel refused the restored memory layout"
		       " (PR_SET_MM_MAP); the heap cannot grow with brk", NULL);
}

/* [addr, addr + size) inside one region with protection `prot`; the
 * addresses come from the image, so no addr + size that could wrap. */
static int addr_mapped(uint64_t addr, uint64_t size, uint32_t prot)
{
	for (uint64_t i = 0; i < B.nregions; i++) {
		const struct ckpt_region *r = region(i);

		if (addr >= r->start &&
		    image_range_ok(addr - r->start, size, r->end - r->start) &&
		    (r->prot & prot) == prot)
			return 1;
	}
	return 0;
}

static void jump_back(void)
{
	const struct ckpt_proc *p = B.proc;
	struct ckpt_restore_info *info;
	const ucontext_t *uc;

	if (!addr_mapped(p->restore_info_addr, sizeof(*info), PROT_WRITE) ||
	    !addr_mapped(p->context_addr, sizeof(*uc), PROT_WRITE))
		boot_die("the image does not hold libckpt's resume state", "");
	info = (struct ckpt_restore_info *)(uintptr_t)p->restore_info_addr;
	uc = (const ucontext_t *)(uintptr_t)p->context_addr;
	ctx_regs_from(&regs, uc);
	/* ckpt_ctx_jump loads the FPU environment through this pointer. */
	if (!addr_mapped(regs.fpenv, sizeof(*uc->uc_mcontext.fpregs),
			 PROT_READ))
		boot_die("the image does not hold libckpt's resume state: ",
			 "its saved context's FPU state is not in its memory");
	info->image_fd = image_fd;
	info->flags = restore_flags;
	info->uffd = B.uffd;
	info->restored = 1;
	sys_arch_prctl(ARCH_SET_FS, p->fs_base);
	ckpt_ctx_jump(&regs);
}

static void boot_restore(void)
{
	long rc = sys_mmap((void *)BOOT_HEAP_START, BOOT_HEAP_SIZE,
			   PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE |
				   MAP_FIXED_NOREPLACE,
			   -1, 0);

	if (rc != (long)BOOT_HEAP_START)
		die_errno("cannot map the bootstrap's heap", "", rc);
	tables_read();
	unmap_foreign();
	vdso_move();
	for (uint64_t i = 0; i < B.nregions; i++)
		region_map(i);
	memory_fill();
	regions_protect();
	regions_advise();
	tracking_start();
	mm_restore();
	jump_back();
}

/* A decimal descriptor number or flag set, the whole argument. */
static int arg_number(const char *a, uint64_t *v)
{
	const char *p = a, *end = a;

	while (*end && end - a < 12)
		end++;
	return str_parse_u64(&p, end, 10, v) || *p || *v > 0x7fffffff;
}

void boot_main(long *sp)
{
	char **argv = (char **)(sp + 1);
	uint64_t all = ~0ull, fd, flags;

	boot_tcb.self = &boot_tcb;
	boot_tcb.canary = 0x2f8a1c5e93b7d460ull ^ (uint64_t)(uintptr_t)sp;
	sys_arch_prctl(ARCH_SET_FS, (unsigned long)&boot_tcb);
	sys_rt_sigprocmask(SIG_SETMASK, &all, NULL);
	if (sp[0] < 4 || sp[0] > 4 + CKPT_CHAIN_FDS ||
	    arg_number(argv[1], &fd) || arg_number(argv[2], &flags))
		boot_die("usage: ckpt-restore IMAGE_FD FLAGS IMAGE "
			 "[PARENT_FD...] (run by ckpt-resume)", "");
	for (long i = 4; i < sp[0]; i++) {
		uint64_t pfd;

		if (arg_number(argv[i], &pfd))
			boot_die("usage: ckpt-restore: a parent descriptor is "
				 "not a number", "");
		B.parent_fd[B.nparents++] = (int)pfd;
	}
	str_add(image_name, image_name + sizeof(image_name), argv[3]);
	image_fd = (int)fd;
	restore_flags = (int)flags;
	boot_switch_stack(boot_restore, boot_stack + sizeof(boot_stack));
}
