/*
 * ckpt-merge [--compress CODEC] IMAGE OUT
 *
 * Makes one full image, OUT, of an incremental IMAGE and the chain of
 * parents it rests on: what resuming the chain gives, in one file that
 * resumes alone.  Every image of the chain is checked as ckpt-resume
 * checks it, every chunk's checksum as it is read, every section copied is
 * checked against its own checksum, and OUT is read back whole before it
 * takes its name (written as OUT.tmp, renamed, the directory synced).
 * IMAGE and its parents are not changed.
 *
 * The pages are those the bootstrap would fill: IMAGE's own, then of each
 * parent in turn only the pages still inherited (INHERIT of every image
 * above it).  They are re-encoded in chunks of at most
 * CKPT_CHUNK_MAX_PAGES, in address order.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "chain_open.h"
#include "codec.h"
#include "config.h"
#include "image.h"
#include "tool.h"
#include "verify.h"

/* The chain, newest first: images[0] is IMAGE. */
static struct image_reader images[CHAIN_FDS + 1];
static int nimages;

/* A run of pages of the result and the chunk it comes from. */
struct piece {
	uint64_t addr, end;
	uint64_t chunk_off; /* the chunk's header, in images[src] */
	int src;
	uint32_t region;    /* in IMAGE's REGIONS (regions_recount) */
};

static struct piece *pieces;
static size_t npieces, pieces_cap;

static void *alloc(size_t n)
{
	void *p = calloc(1, n ? n : 1);

	if (!p)
		refuse("out of memory");
	return p;
}

/* A checked section of image k in memory (malloc), its entries in *count
 * (verify_parent found them to fit); NULL and 0 when it has none. */
static void *section_load(int k, uint32_t type, uint64_t *count)
{
	const struct ckpt_section *s = image_find(&images[k], type);
	void *body;

	*count = 0;
	if (!s)
		return NULL;
	body = alloc(s->size);
	if (image_read_section(&images[k], type, body, s->size, NULL))
		refuse("a section of an image of its chain changed while it was "
		       "read");
	*count = s->count;
	return body;
}

static void piece_add(int src, uint64_t chunk_off, uint64_t lo, uint64_t hi)
{
	if (npieces == pieces_cap) {
		pieces_cap = pieces_cap ? 2 * pieces_cap : 4096;
		pieces = realloc(pieces, pieces_cap * sizeof(*pieces));
		if (!pieces)
			refuse("out of memory");
	}
	pieces[npieces++] = (struct piece){ lo, hi, chunk_off, src, 0 };
}

/* The pieces of one chunk of image k: whole (want NULL), or the pages of
 * it still wanted. */
static void chunk_pieces(int k, const struct ckpt_chunk *c, uint64_t off,
			 const struct ckpt_extent *want, uint64_t nwant)
{
	uint64_t end = c->addr + (uint64_t)c->npages * CKPT_PAGE_SIZE;

	if (!want) {
		piece_add(k, off, c->addr, end);
		return;
	}
	for (uint64_t i = image_extents_find(want, nwant, c->addr);
	     i < nwant && want[i].start < end; i++)
		piece_add(k, off, want[i].start > c->addr ? want[i].start
							  : c->addr,
			  want[i].end < end ? want[i].end : end);
}

/* Walk image k's chunks (verify_parent checked their structure). */
static void image_pieces(int k, const struct ckpt_extent *want, uint64_t nwant)
{
	const struct ckpt_section *s = image_find(&images[k], CKPT_SEC_PAGES);
	uint64_t off, end = s->offset + s->size;

	for (off = s->offset; off < end;) {
		struct ckpt_chunk c;

		if (image_pread(&images[k], &c, sizeof(c), off))
			refuse("cannot read an image of its chain");
		chunk_pieces(k, &c, off, want, nwant);
		off += sizeof(c) + c.pad + c.data_len;
	}
}

/* Every page of the result: the newest image's, then what each parent
 * still gives, exactly as the bootstrap resolves them (boot.c). */
static void pieces_collect(void)
{
	uint64_t nwant, nkept;
	struct ckpt_extent *want = section_load(0, CKPT_SEC_INHERIT, &nwant);
	struct ckpt_extent *kept, *next;

	image_pieces(0, NULL, 0);
	for (int k = 1; k < nimages && nwant; k++) {
		image_pieces(k, want, nwant);
		kept = section_load(k, CKPT_SEC_INHERIT, &nkept);
		next = alloc((nwant + nkept) * sizeof(*next));
		nwant = image_extents_and(want, nwant, kept, nkept, next);
		free(want);
		free(kept);
		want = next;
	}
	free(want);
}

static int piece_cmp(const void *a, const void *b)
{
	const struct piece *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* --- writing ------------------------------------------------------------ */

struct out {
	struct image_writer w;
	struct ckpt_region *regions; /* IMAGE's, pages recounted */
	uint64_t nregions;
	struct codec_enc enc;
	struct codec_dec dec;
	/* the chunk being built */
	struct ckpt_chunk ch;
	unsigned char *pages, *encoded;
	/* the source chunk decoded last */
	int src;
	uint64_t src_off;
	struct ckpt_chunk src_ch;
	unsigned char *src_pages, *src_data;
};

/* The region of IMAGE holding [addr, end), by binary search (REGIONS go up
 * by address). */
static uint32_t region_of(const struct out *o, uint64_t addr, uint64_t end)
{
	uint64_t lo = 0, hi = o->nregions;

	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;

		if (o->regions[mid].end <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == o->nregions || o->regions[lo].start > addr ||
	    o->regions[lo].end < end)
		refuse("its chain holds pages outside its memory regions");
	return (uint32_t)lo;
}

/* Each piece's region, pages per region and the flag of inherited pages
 * gone; pieces that overlap (a forged chain) are refused. */
static void regions_recount(struct out *o)
{
	for (uint64_t i = 0; i < o->nregions; i++) {
		o->regions[i].pages = 0;
		o->regions[i].flags &= ~CKPT_REGF_INHERITS;
	}
	for (size_t i = 0; i < npieces; i++) {
		struct piece *p = &pieces[i];

		if (i && p->addr < pieces[i - 1].end)
			refuse("its chain stores a page twice");
		p->region = region_of(o, p->addr, p->end);
		o->regions[p->region].pages += (p->end - p->addr) / CKPT_PAGE_SIZE;
	}
}

/* The built chunk, compressed when that makes it smaller, else as is
 * with its data page-aligned (as lib/chunks.c writes them). */
static void chunk_flush(struct out *o)
{
	static const char zeros[CKPT_PAGE_SIZE];
	size_t len = (size_t)o->ch.npages * CKPT_PAGE_SIZE, n = 0;
	const unsigned char *data = o->encoded;

	if (!o->ch.npages)
		return;
	if (o->enc.codec != CKPT_CODEC_NONE)
		n = codec_encode(&o->enc, o->pages, len, o->encoded, len - 1);
	o->ch.codec = n ? (uint32_t)o->enc.codec : CKPT_CODEC_NONE;
	if (!n) {
		data = o->pages;
		n = len;
	}
	o->ch.data_len = (uint32_t)n;
	o->ch.pad = image_chunk_pad(&o->w, &o->ch);
	o->ch.data_crc = (uint32_t)crc32(0, data, (uInt)n);
	image_section_write(&o->w, &o->ch, sizeof(o->ch));
	image_section_write(&o->w, zeros, o->ch.pad);
	image_section_write_crc(&o->w, data, n, o->ch.data_crc);
	memset(&o->ch, 0, sizeof(o->ch));
}

/* The pages of the chunk a piece comes from, decoded and checked. */
static const unsigned char *source_pages(struct out *o, const struct piece *p)
{
	struct image_reader *r = &images[p->src];
	struct ckpt_chunk *c = &o->src_ch;

	if (o->src == p->src && o->src_off == p->chunk_off)
		return o->src_pages;
	o->src = -1;
	if (image_pread(r, c, sizeof(*c), p->chunk_off))
		refuse("cannot read an image of its chain");
	if (image_chunk_read(r, c, p->chunk_off + sizeof(*c) + c->pad, &o->dec,
			     o->src_data, o->src_pages))
		refuse("%s: page data is damaged at offset %llu",
		       p->src ? "a parent image" : "the image",
		       (unsigned long long)p->chunk_off);
	o->src = p->src;
	o->src_off = p->chunk_off;
	return o->src_pages;
}

/* Copy one piece into chunks: a chunk holds consecutive pages of one
 * region, CKPT_CHUNK_MAX_PAGES at most. */
static void piece_emit(struct out *o, const struct piece *p)
{
	const unsigned char *src = source_pages(o, p);
	uint32_t region = p->region;

	for (uint64_t at = p->addr; at < p->end;) {
		uint64_t next = o->ch.addr + (uint64_t)o->ch.npages * CKPT_PAGE_SIZE;
		uint64_t n = (p->end - at) / CKPT_PAGE_SIZE;

		if (o->ch.npages && (next != at || o->ch.region != region ||
				     o->ch.npages == CKPT_CHUNK_MAX_PAGES))
			chunk_flush(o);
		if (!o->ch.npages) {
			o->ch.addr = at;
			o->ch.region = region;
		}
		if (n > CKPT_CHUNK_MAX_PAGES - o->ch.npages)
			n = CKPT_CHUNK_MAX_PAGES - o->ch.npages;
		memcpy(o->pages + (size_t)o->ch.npages * CKPT_PAGE_SIZE,
		       src + (at - o->src_ch.addr), n * CKPT_PAGE_SIZE);
		o->ch.npages += (uint32_t)n;
		at += n * CKPT_PAGE_SIZE;
	}
}

static void pages_write(struct out *o)
{
	image_section_begin(&o->w, CKPT_SEC_PAGES);
	for (size_t i = 0; i < npieces; i++)
		piece_emit(o, &pieces[i]);
	chunk_flush(o);
	image_section_end(&o->w, 0);
}

/* A section of IMAGE as it is, checked against its checksum on the way. */
static void section_copy(struct out *o, const struct ckpt_section *s)
{
	static char buf[1 << 20];
	uint32_t n = o->w.nsections;

	image_section_begin(&o->w, s->type);
	for (uint64_t at = 0; at < s->size;) {
		size_t len = s->size - at < sizeof(buf) ? s->size - at
							 : sizeof(buf);

		if (image_pread(&images[0], buf, len, s->offset + at))
			refuse("cannot read it");
		image_section_write(&o->w, buf, len);
		at += len;
	}
	if (o->w.table[n].crc != s->crc)
		refuse("its %s section is damaged (checksum mismatch)",
		       image_section_name(s->type));
	image_section_end(&o->w, s->count);
}

static void sections_write(struct out *o)
{
	const struct image_reader *r = &images[0];

	for (uint32_t i = 0; i < r->hdr.nsections; i++) {
		const struct ckpt_section *s = &r->table[i];

		if (s->type == CKPT_SEC_PARENT || s->type == CKPT_SEC_INHERIT)
			continue;
		if (s->type == CKPT_SEC_PAGES) {
			pages_write(o);
		} else if (s->type == CKPT_SEC_REGIONS) {
			/* the regions recounted, their strings as they were */
			image_section_begin(&o->w, s->type);
			image_section_write(&o->w, o->regions, s->size);
			image_section_end(&o->w, s->count);
		} else {
			section_copy(o, s);
		}
	}
}

static void out_init(struct out *o, int fd, int codec, int level)
{
	static char wbuf[4 << 20];
	size_t esize = codec_enc_size(codec, level), bound;

	image_writer_init(&o->w, fd, wbuf, sizeof(wbuf));
	o->w.hdr.created_ns = images[0].hdr.created_ns;
	o->w.hdr.generation = images[0].hdr.generation;
	o->w.hdr.flags = images[0].hdr.flags;
	o->regions = section_load(0, CKPT_SEC_REGIONS, &o->nregions);
	bound = codec_bound(codec, CKPT_CHUNK_MAX_PAGES * CKPT_PAGE_SIZE);
	o->pages = alloc(CKPT_CHUNK_MAX_PAGES * CKPT_PAGE_SIZE);
	o->encoded = alloc(bound);
	o->src_pages = alloc(CKPT_CHUNK_MAX_PAGES * CKPT_PAGE_SIZE);
	o->src_data = alloc(CKPT_CHUNK_MAX_DATA);
	o->src = -1;
	if (codec_enc_init(&o->enc, codec, level, esize ? alloc(esize) : NULL,
			   esize) ||
	    codec_dec_init(&o->dec, alloc(codec_dec_size()), codec_dec_size()))
		refuse("cannot start the codecs");
}

/* --- the chain in, the image out ---------------------------------------- */

static char out_tmp[PATH_MAX + 8];
static int out_renamed;

static void out_tmp_remove(void)
{
	if (*out_tmp && !out_renamed)
		unlink(out_tmp);
}

/* IMAGE checked as a parent is (ckpt-merge may run on another machine
 * than the resume: the host's checks are left to ckpt-resume), then its
 * parents. */
static void chain_open(uint32_t uid)
{
	static int fds[CHAIN_FDS];
	static struct verify v;
	uint32_t owner;
	int fd = image_open(uid, 0, &owner), n, rc;

	v.uid = uid;
	rc = image_reader_open(&images[0], fd);
	if (rc)
		refuse("%s", image_strerror(rc));
	if (verify_parent(&images[0], &v))
		refuse("%s", v.msg);
	n = parents_open(&images[0], &v, fds, CHAIN_FDS);
	for (int k = 0; k < n; k++)
		if (image_reader_open(&images[k + 1], fds[k]))
			refuse("a parent image changed while it was read");
	nimages = n + 1;
}

/* OUT must not be one of the chain's files: they stay as they are. */
static void out_check(const char *out)
{
	struct stat a, b;

	if (stat(out, &a))
		return;
	for (int k = 0; k < nimages; k++)
		if (!fstat(images[k].fd, &b) && a.st_dev == b.st_dev &&
		    a.st_ino == b.st_ino)
			refuse("%s is an image of its chain; write the merged "
			       "image to another name", out);
}

static void __attribute__((noreturn)) out_fail(const char *out, const char *what,
					      int err)
{
	fprintf(stderr, "ckpt-merge: %s: %s: %s (%s is left as it was)\n", out,
		what, strerror(err), image_path);
	exit(1);
}

/* The written image read back: every checksum and structure again. */
static void out_verify(const char *out, int fd)
{
	static struct verify v;
	static struct image_reader r;
	int rc = image_reader_open(&r, fd);

	v.uid = (uint32_t)getuid();
	if (rc || verify_parent(&r, &v)) {
		fprintf(stderr, "ckpt-merge: %s: the merged image does not read "
			"back as written: %s\n", out,
			rc ? image_strerror(rc) : v.msg);
		exit(1);
	}
}

static void dir_sync(const char *path)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	int fd;

	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - path + 1) : 1,
		 slash ? path : ".");
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || fsync(fd))
		out_fail(path, "cannot sync its directory", errno);
	close(fd);
}

static uint64_t merge_to(const char *out, int codec, int level)
{
	static struct out o;
	int fd, rc;

	if ((size_t)snprintf(out_tmp, sizeof(out_tmp), "%s.tmp", out) >=
	    sizeof(out_tmp))
		out_fail(out, "cannot write it", ENAMETOOLONG);
	fd = open(out_tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		*out_tmp = 0;
		out_fail(out, errno == EEXIST ? "OUT.tmp exists (another "
			 "ckpt-merge writing it, or one that died: remove it)"
			 : "cannot create OUT.tmp", errno);
	}
	out_init(&o, fd, codec, level);
	pieces_collect();
	qsort(pieces, npieces, sizeof(*pieces), piece_cmp);
	regions_recount(&o);
	sections_write(&o);
	rc = image_writer_finish(&o.w);
	if (rc || fsync(fd))
		out_fail(out, "cannot write it", rc ? -rc : errno);
	out_verify(out, fd);
	close(fd);
	if (rename(out_tmp, out))
		out_fail(out, "cannot rename OUT.tmp to it", errno);
	out_renamed = 1;
	dir_sync(out);
	return o.w.off;
}

static void usage(FILE *to)
{
	fprintf(to,
		"usage: ckpt-merge [--compress CODEC[:LEVEL]] IMAGE OUT\n"
		"Write OUT, one full image of IMAGE and the parent images it rests\n"
		"on (IMAGE.N beside it), which resumes alone.  Every checksum is\n"
		"verified on the way and OUT read back before it takes its name;\n"
		"IMAGE and its parents are left as they are.  The pages are stored\n"
		"with CODEC (none, lz4, zstd, zlib; default lz4).\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "compress", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, codec = CKPT_DEFAULT_CODEC, level = CKPT_DEFAULT_LEVEL;
	uint64_t size;

	tool_name = "ckpt-merge";
	while ((c = getopt_long(argc, argv, "+c:h", opts, NULL)) != -1) {
		if (c == 'c' && ckpt_parse_codec(optarg, &codec, &level)) {
			fprintf(stderr, "ckpt-merge: --compress '%s': expected "
				"none, lz4, zstd or zlib, with a level as "
				"zstd:3\n", optarg);
			return 2;
		} else if (c == 'h') {
			usage(stdout);
			return 0;
		} else if (c != 'c') {
			usage(stderr);
			return 2;
		}
	}
	if (optind + 2 != argc) {
		usage(stderr);
		return 2;
	}
	image_path = argv[optind];
	atexit(out_tmp_remove);
	chain_open((uint32_t)getuid());
	out_check(argv[optind + 1]);
	size = merge_to(argv[optind + 1], codec, level);
	printf("ckpt-merge: %s and %d parent image%s merged into %s (%.1f MiB)\n",
	       image_path, nimages - 1, nimages == 2 ? "" : "s",
	       argv[optind + 1], (double)size / 1048576);
	return 0;
}
