/*
 * libFuzzer target for the image reader (lib/image.c) and ckpt-resume's
 * checks (launcher/verify.c).  Each input is written to a memfd, opened with
 * image_reader_open and checked with verify_image as ckpt-resume does; the
 * page chunks of an image that passes are then read and decompressed as the
 * bootstrap does (launcher/bootstrap/boot.c, pages_fill), so that path sees
 * hostile data too.  Nothing is written to any file system, nothing is run.
 *
 * Random mutations almost never leave a CRC right, and the committed seeds
 * were made on one machine: without help, the fuzzer would stop at the
 * checksums and at the mapped files' identities.  The header's `reserved`
 * field (unused by the format, covered by the header CRC) therefore selects
 * what is done to the copy before it is checked, in this order:
 *
 *   bit 2 (ADAPT)         make what depends on the host match this one: the
 *                         owner (getuid), the vDSO layout, and the identity
 *                         (dev, inode, size, mtime) of every mapped or open
 *                         regular file whose path exists here; a mapped file
 *                         missing here loses CKPT_REGF_FILE, an open one is
 *                         taken as deleted (CKPT_FDF_DELETED).  The seeds
 *                         then pass anywhere (CI, another checkout);
 *   bit 1 (FIX_SECTIONS)  recompute every chunk's data_crc and every
 *                         section's CRC, so mutations reach the structure
 *                         checks;
 *   bit 0 (FIX_HEADER)    recompute the header CRC (lib/image.c's
 *                         definitions), so they reach the section checks.
 *
 * The bits are independent, so one flipped bit turns a seed into a test of
 * one checksum refusal: stale section CRCs, or a stale header CRC (the
 * writer computed it with reserved = 0).  make_corpus.sh stores the seeds
 * with reserved = 7.
 *
 * Environment:
 *   FUZZ_IMAGE_EXPECT_VALID=1  a refusal of a non-empty input aborts with
 *                              the reason: `fuzz_image FILE...` then checks
 *                              that real images are accepted.
 *   FUZZ_IMAGE_STRICT=1        abort when an accepted image's chunks would
 *                              still make the bootstrap die (chunk CRC,
 *                              inflate, a chunk in a region it cannot fill):
 *                              checks that verify_image catches all of it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "codec.h"
#include "image.h"
#include "procfs.h"
#include "verify.h"

#define FIX_HEADER 1u
#define FIX_SECTIONS 2u
#define ADAPT 4u

static int memfd = -1;
static int expect_valid, strict;
static struct ckpt_vdso_area host_vdso[CKPT_VDSO_AREAS];
/* Allocated once: fresh large blocks per input cost more in page faults
 * than all the checking (the bounds come from avail_out and the reads). */
static unsigned char *pages_buf, *data_buf, *copy_buf;
static size_t copy_size;

/* The input being prepared: its bytes, header and table as found. */
struct img {
	unsigned char *p;
	size_t n;
	struct ckpt_header h;
	struct ckpt_section t[CKPT_MAX_SECTIONS];
	uint32_t nsec; /* entries of t that lie in the input */
};

static void host_vdso_find(void)
{
	size_t size = 1 << 20;
	char *maps = malloc(size);
	long n = maps ? proc_read_file("/proc/self/maps", maps, size) : -1;

	if (n > 0)
		vdso_areas_find(maps, (size_t)n, host_vdso);
	free(maps);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	memfd = memfd_create("ckpt-fuzz-image", MFD_CLOEXEC);
	if (memfd < 0) {
		perror("memfd_create");
		exit(1);
	}
	pages_buf = malloc((size_t)CKPT_CHUNK_MAX_PAGES * CKPT_PAGE_SIZE);
	data_buf = malloc(CKPT_CHUNK_MAX_DATA);
	if (!pages_buf || !data_buf)
		exit(1);
	expect_valid = getenv("FUZZ_IMAGE_EXPECT_VALID") != NULL;
	strict = getenv("FUZZ_IMAGE_STRICT") != NULL;
	host_vdso_find();
	return 0;
}

/* --- preparing the copy --------------------------------------------------- */

static void img_parse(struct img *m)
{
	uint64_t room = m->n - sizeof(m->h);

	memcpy(&m->h, m->p, sizeof(m->h));
	m->nsec = m->h.nsections;
	if (m->nsec > CKPT_MAX_SECTIONS)
		m->nsec = CKPT_MAX_SECTIONS;
	if (m->nsec > room / sizeof(m->t[0]))
		m->nsec = (uint32_t)(room / sizeof(m->t[0]));
	memcpy(m->t, m->p + sizeof(m->h), m->nsec * sizeof(m->t[0]));
}

static const struct ckpt_section *img_find(const struct img *m, uint32_t type)
{
	for (uint32_t i = 0; i < m->nsec; i++)
		if (m->t[i].type == type &&
		    image_range_ok(m->t[i].offset, m->t[i].size, m->n))
			return &m->t[i];
	return NULL;
}

/* A section's body in aligned memory of its own (the input's offsets need
 * not be aligned), written back by body_put. */
static void *body_get(const struct img *m, const struct ckpt_section *s)
{
	void *b = malloc(s->size + 1);

	if (b)
		memcpy(b, m->p + s->offset, s->size);
	return b;
}

static void body_put(struct img *m, const struct ckpt_section *s, void *b)
{
	memcpy(m->p + s->offset, b, s->size);
	free(b);
}

static void adapt_proc(struct img *m)
{
	const struct ckpt_section *s = img_find(m, CKPT_SEC_PROC);
	struct ckpt_proc *p;

	if (!s || s->size != sizeof(*p) || !(p = body_get(m, s)))
		return;
	p->uid = (uint32_t)getuid();
	memcpy(p->vdso, host_vdso, sizeof(p->vdso));
	body_put(m, s, p);
}

static void identity_set(const struct stat *st, uint64_t *dev, uint64_t *ino,
			 uint64_t *size, int64_t *mtime_sec, int64_t *mtime_nsec)
{
	*dev = st->st_dev;
	*ino = st->st_ino;
	*size = (uint64_t)st->st_size;
	*mtime_sec = st->st_mtim.tv_sec;
	*mtime_nsec = st->st_mtim.tv_nsec;
}

static void adapt_regions(struct img *m)
{
	const struct ckpt_section *s = img_find(m, CKPT_SEC_REGIONS);
	struct image_table t;
	void *b;

	if (!s || !(b = body_get(m, s)))
		return;
	if (!image_table_init(&t, b, s->size, 0, s->count,
			      sizeof(struct ckpt_region)))
		for (uint64_t i = 0; i < t.count; i++) {
			struct ckpt_region *g = (void *)image_table_entry(&t, i);
			const char *path = image_table_string(&t, g->path_off);
			struct stat st;

			if (!(g->flags & CKPT_REGF_FILE) || !path)
				continue;
			if (stat(path, &st))
				g->flags &= ~CKPT_REGF_FILE;
			else
				identity_set(&st, &g->dev, &g->ino,
					     &g->file_size, &g->mtime_sec,
					     &g->mtime_nsec);
		}
	body_put(m, s, b);
}

static void adapt_files(struct img *m)
{
	const struct ckpt_section *s = img_find(m, CKPT_SEC_FILES);
	struct image_table t;
	void *b;

	if (!s || !(b = body_get(m, s)))
		return;
	if (!image_table_init(&t, b, s->size, 0, s->count,
			      sizeof(struct ckpt_fd)))
		for (uint64_t i = 0; i < t.count; i++) {
			struct ckpt_fd *f = (void *)image_table_entry(&t, i);
			const char *path = image_table_string(&t, f->path_off);
			struct stat st;

			if (f->kind != CKPT_FD_REGULAR || !path)
				continue;
			if (stat(path, &st))
				f->flags |= CKPT_FDF_DELETED;
			else
				identity_set(&st, &f->dev, &f->ino, &f->size,
					     &f->mtime_sec, &f->mtime_nsec);
		}
	body_put(m, s, b);
}

/* Chunk headers are read as the reader does; a walk that leaves the
 * section stops, and verify_image refuses the rest. */
static void fix_chunk_crcs(struct img *m)
{
	const struct ckpt_section *s = img_find(m, CKPT_SEC_PAGES);
	unsigned char *body;
	uint64_t off = 0;

	if (!s)
		return;
	body = m->p + s->offset;
	while (s->size - off >= sizeof(struct ckpt_chunk)) {
		struct ckpt_chunk c;
		uint64_t data_at;

		memcpy(&c, body + off, sizeof(c));
		data_at = off + sizeof(c) + c.pad;
		if (data_at > s->size || c.data_len > s->size - data_at)
			return;
		c.data_crc = (uint32_t)crc32(0, body + data_at, c.data_len);
		memcpy(body + off, &c, sizeof(c));
		off = data_at + c.data_len;
	}
}

static void fix_section_crcs(struct img *m)
{
	for (uint32_t i = 0; i < m->nsec; i++) {
		struct ckpt_section *s = &m->t[i];

		if (image_range_ok(s->offset, s->size, m->n))
			s->crc = (uint32_t)crc32(0, m->p + s->offset,
						 (uInt)s->size);
	}
	memcpy(m->p + sizeof(m->h), m->t, m->nsec * sizeof(m->t[0]));
}

/* lib/image.c's header_crc: header with header_crc as 0, then the table. */
static void fix_header_crc(struct img *m)
{
	uLong crc;

	if (m->h.nsections != m->nsec)
		return; /* the reader refuses the table before the CRC */
	m->h.header_crc = 0;
	crc = crc32(0, (const Bytef *)&m->h, sizeof(m->h));
	m->h.header_crc = (uint32_t)crc32(crc, (const Bytef *)m->t,
					  (uInt)(m->nsec * sizeof(m->t[0])));
	memcpy(m->p, &m->h, sizeof(m->h));
}

static void prepare(struct img *m)
{
	uint32_t mode;

	img_parse(m);
	mode = m->h.reserved;
	if (mode & ADAPT) {
		adapt_proc(m);
		adapt_regions(m);
		adapt_files(m);
	}
	/* Innermost first: chunk CRCs are inside PAGES, section CRCs inside
	 * the table the header CRC covers. */
	if (mode & FIX_SECTIONS) {
		fix_chunk_crcs(m);
		fix_section_crcs(m);
	}
	if (mode & FIX_HEADER)
		fix_header_crc(m);
}

static int memfd_fill(const unsigned char *p, size_t n)
{
	size_t done = 0;

	if (ftruncate(memfd, (off_t)n))
		return -1;
	while (done < n) {
		ssize_t w = pwrite(memfd, p + done, n - done, (off_t)done);

		if (w <= 0)
			return -1;
		done += (size_t)w;
	}
	return 0;
}

/* --- the bootstrap's side of the page chunks ----------------------------- */

static void __attribute__((noreturn)) strict_fail(const char *why,
						   uint64_t off)
{
	fprintf(stderr, "fuzz_image: verify_image accepted an image whose "
		"chunk at offset %llu the bootstrap refuses: %s\n",
		(unsigned long long)off, why);
	abort();
}

/* Only regions region_map made writable take chunks (boot.c). */
static int region_fillable(const struct ckpt_region *r)
{
	return r->pages &&
	       (r->kind == CKPT_REG_PRIVATE || r->kind == CKPT_REG_SHARED_ANON);
}

/* chunk_fill of boot.c, into the chunk's npages * 4096 bytes.  Returns
 * NULL, or why the bootstrap would die. */
static const char *chunk_fill(struct image_reader *r,
			      const struct ckpt_chunk *c, uint64_t data_at,
			      struct codec_dec *dec)
{
	int rc = image_chunk_read(r, c, data_at, dec, data_buf, pages_buf);

	return rc ? image_strerror(rc) : NULL;
}

/* pages_fill of boot.c, for an image verify_image accepted. */
static void pages_walk(struct image_reader *r)
{
	const struct ckpt_section *s = image_find(r, CKPT_SEC_PAGES);
	const struct ckpt_section *rs = image_find(r, CKPT_SEC_REGIONS);
	struct ckpt_region *regions = malloc(rs->size + 1);
	void *dec_mem = malloc(codec_dec_size());
	struct codec_dec dec;
	uint64_t nregions = rs->count, off, end = s->offset + s->size;

	if (!regions || !dec_mem ||
	    image_pread(r, regions, rs->size, rs->offset) ||
	    codec_dec_init(&dec, dec_mem, codec_dec_size())) {
		free(regions);
		free(dec_mem);
		return;
	}
	for (off = s->offset; off < end;) {
		struct ckpt_chunk c;
		uint64_t data_at;
		const char *why;

		if (image_pread(r, &c, sizeof(c), off))
			strict_fail("read error", off);
		data_at = off + sizeof(c) + c.pad;
		if (image_chunk_check(&c, regions, nregions, data_at, end,
				      CKPT_CHUNK_MAX_DATA))
			strict_fail("malformed chunk", off);
		why = region_fillable(&regions[c.region]) ? NULL :
		      "its region cannot take page data";
		if (!why)
			why = chunk_fill(r, &c, data_at, &dec);
		if (why && strict)
			strict_fail(why, off);
		off = data_at + c.data_len;
	}
	free(dec_mem);
	free(regions);
}

/* --- the target ------------------------------------------------------------ */

static void refused(const char *why)
{
	if (!expect_valid)
		return;
	fprintf(stderr, "fuzz_image: a real image was refused: %s\n", why);
	abort();
}

static void check(void)
{
	struct image_reader r;
	static struct verify v;
	int rc = image_reader_open(&r, memfd);

	if (rc) {
		refused(image_strerror(rc));
		return;
	}
	memset(&v, 0, sizeof(v));
	v.uid = (uint32_t)getuid();
	if (verify_image(&r, &v)) {
		refused(v.msg);
		return;
	}
	pages_walk(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct img m = { .n = size };

	if (!size)
		return 0; /* libFuzzer's first, empty, input */
	if (size > copy_size) {
		free(copy_buf);
		copy_buf = malloc(size);
		copy_size = copy_buf ? size : 0;
		if (!copy_buf)
			return 0;
	}
	m.p = copy_buf;
	memcpy(m.p, data, size);
	if (size >= sizeof(m.h))
		prepare(&m);
	if (!memfd_fill(m.p, size))
		check();
	return 0;
}
