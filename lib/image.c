#include "image.h"

#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "codec.h"
#include "fault.h"
#include "str.h"
#include "sys.h"

#define EINTR_ 4

volatile uint64_t *image_write_progress;

static int write_all(int fd, const void *data, size_t len, uint64_t off)
{
	const char *p = data;

	while (len) {
		long n = fault_inject(FAULT_WRITE);

		if (!n)
			n = sys_pwrite(fd, p, len, off);
		if (n == -EINTR_)
			continue;
		if (n < 0)
			return (int)n;
		if (n == 0)
			return -28; /* ENOSPC: no progress */
		p += n;
		len -= (size_t)n;
		off += (uint64_t)n;
		if (image_write_progress)
			*image_write_progress += (uint64_t)n;
	}
	return 0;
}

static void writer_flush(struct image_writer *w)
{
	if (w->fd < 0) {
		/* A writer in memory never flushes: its buffer is all it has. */
		w->err = w->err ? w->err : -12; /* ENOMEM */
		return;
	}
	if (w->buf_len && !w->err)
		w->err = write_all(w->fd, w->buf, w->buf_len,
				   w->off - w->buf_len);
	w->buf_len = 0;
}

void image_writer_init(struct image_writer *w, int fd, char *buf,
		       size_t buf_size)
{
	memset(w, 0, sizeof(*w));
	w->fd = fd;
	w->buf = buf;
	w->buf_size = buf_size;
	w->off = IMAGE_DATA_START;
	memcpy(w->hdr.magic, CKPT_MAGIC, 8);
	w->hdr.version = CKPT_VERSION;
	w->hdr.arch = CKPT_ARCH_X86_64;
}

void image_section_begin(struct image_writer *w, uint32_t type)
{
	struct ckpt_section *s;

	if (w->nsections == CKPT_MAX_SECTIONS || w->open) {
		w->err = w->err ? w->err : -22; /* EINVAL: caller's bug */
		return;
	}
	s = &w->table[w->nsections];
	s->type = type;
	s->offset = w->off;
	s->crc = (uint32_t)crc32(0, NULL, 0);
	w->open = 1;
}

static void writer_append(struct image_writer *w, const void *data, size_t len)
{
	if (w->err)
		return;
	if (len > w->buf_size - w->buf_len)
		writer_flush(w);
	/* A failed flush must stay the error: writing on would leave a hole
	 * in the file that the next success hides. */
	if (w->err)
		return;
	if (len >= w->buf_size && w->fd >= 0) {
		w->err = write_all(w->fd, data, len, w->off);
	} else {
		memcpy(w->buf + w->buf_len, data, len);
		w->buf_len += len;
	}
	w->off += len;
}

void image_section_write_crc(struct image_writer *w, const void *data,
			     size_t len, uint32_t crc)
{
	struct ckpt_section *s = &w->table[w->nsections];

	if (!w->open || !len)
		return;
	s->crc = (uint32_t)crc32_combine(s->crc, crc, (z_off_t)len);
	writer_append(w, data, len);
}

void image_section_write(struct image_writer *w, const void *data, size_t len)
{
	struct ckpt_section *s = &w->table[w->nsections];

	if (!w->open)
		return;
	s->crc = (uint32_t)crc32(s->crc, data, (uInt)len);
	writer_append(w, data, len);
}

void image_sections_copy(struct image_writer *dst,
			 const struct image_writer *src)
{
	for (uint32_t i = 0; i < src->nsections && !dst->err; i++) {
		const struct ckpt_section *s = &src->table[i];

		image_section_begin(dst, s->type);
		image_section_write_crc(dst,
					src->buf + (s->offset - IMAGE_DATA_START),
					s->size, s->crc);
		image_section_end(dst, s->count);
	}
}

uint32_t image_pad_to(const struct image_writer *w, size_t extra,
		      uint32_t align)
{
	uint64_t at = w->off + extra;

	return (uint32_t)((align - at % align) % align);
}

uint32_t image_chunk_pad(const struct image_writer *w,
			 const struct ckpt_chunk *c)
{
	uint32_t pad;

	if (c->codec != CKPT_CODEC_NONE)
		return 0;
	pad = image_pad_to(w, sizeof(*c), CKPT_PAGE_SIZE);
	return pad <= c->data_len / 16 ? pad : 0;
}

void image_section_end(struct image_writer *w, uint64_t count)
{
	struct ckpt_section *s = &w->table[w->nsections];

	if (!w->open)
		return;
	s->size = w->off - s->offset;
	s->count = count;
	w->nsections++;
	w->open = 0;
}

static uint32_t header_crc(const struct ckpt_header *h,
			   const struct ckpt_section *table, uint32_t n)
{
	struct ckpt_header copy = *h;
	uLong crc;

	copy.header_crc = 0;
	crc = crc32(0, (const Bytef *)&copy, sizeof(copy));
	return (uint32_t)crc32(crc, (const Bytef *)table,
			       (uInt)(n * sizeof(*table)));
}

int image_writer_finish(struct image_writer *w)
{
	writer_flush(w);
	if (w->err)
		return w->err;
	if (w->open)
		return -22;
	w->hdr.nsections = w->nsections;
	w->hdr.table_end = sizeof(w->hdr) + w->nsections * sizeof(w->table[0]);
	w->hdr.file_size = w->off;
	w->hdr.header_crc = header_crc(&w->hdr, w->table, w->nsections);
	/* The file reaches file_size even when no section wrote a byte. */
	w->err = (int)fault_inject(FAULT_TRUNCATE);
	if (!w->err)
		w->err = (int)sys_ftruncate(w->fd, w->off);
	if (!w->err)
		w->err = write_all(w->fd, &w->hdr, sizeof(w->hdr), 0);
	if (!w->err)
		w->err = write_all(w->fd, w->table,
				   w->nsections * sizeof(w->table[0]),
				   sizeof(w->hdr));
	return w->err;
}

/* --- reading ------------------------------------------------------------ */

int image_chunk_read(struct image_reader *r, const struct ckpt_chunk *c,
		     uint64_t data_at, struct codec_dec *dec, void *scratch,
		     void *dst)
{
	int raw = c->codec == CKPT_CODEC_NONE;
	unsigned char *data = raw ? dst : scratch;
	int rc = image_pread(r, data, c->data_len, data_at);

	if (rc)
		return rc;
	if ((uint32_t)crc32(0, data, c->data_len) != c->data_crc)
		return IMAGE_ECHUNK;
	return raw ? 0 : codec_decode(dec, c->codec, data, c->data_len, dst,
				      (size_t)c->npages * CKPT_PAGE_SIZE);
}

int image_pread(struct image_reader *r, void *buf, size_t len, uint64_t off)
{
	char *p = buf;

	while (len) {
		long n = sys_pread(r->fd, p, len, off);

		if (n == -EINTR_)
			continue;
		if (n < 0) {
			r->sys_err = (int)n;
			return IMAGE_EIO;
		}
		if (n == 0)
			return IMAGE_ESHORT;
		p += n;
		len -= (size_t)n;
		off += (uint64_t)n;
		if (image_write_progress)
			*image_write_progress += (uint64_t)n;
	}
	return 0;
}

static int check_table(const struct image_reader *r)
{
	const struct ckpt_header *h = &r->hdr;

	for (uint32_t i = 0; i < h->nsections; i++) {
		const struct ckpt_section *s = &r->table[i];

		if (s->offset < h->table_end || s->offset > h->file_size ||
		    s->size > h->file_size - s->offset)
			return IMAGE_ETABLE;
	}
	return 0;
}

int image_reader_open(struct image_reader *r, int fd)
{
	struct stat st = { 0 };
	struct ckpt_header *h = &r->hdr;
	int rc;
	long e;

	memset(r, 0, sizeof(*r));
	r->fd = fd;
	e = sys_fstat(fd, &st);
	if (e < 0) {
		r->sys_err = (int)e;
		return IMAGE_EIO;
	}
	r->file_size = (uint64_t)st.st_size;
	rc = image_pread(r, h, r->file_size < sizeof(*h) ? r->file_size
						      : sizeof(*h), 0);
	if (rc)
		return rc;
	if (r->file_size < sizeof(h->magic) ||
	    memcmp(h->magic, CKPT_MAGIC, sizeof(h->magic)) != 0)
		return IMAGE_EMAGIC;
	if (r->file_size < sizeof(*h))
		return IMAGE_ESHORT;
	if (h->version != CKPT_VERSION)
		return IMAGE_EVERSION;
	if (h->nsections > CKPT_MAX_SECTIONS ||
	    h->table_end != sizeof(*h) + h->nsections * sizeof(r->table[0]))
		return IMAGE_EHEADER;
	rc = image_pread(r, r->table, h->nsections * sizeof(r->table[0]),
			 sizeof(*h));
	if (rc)
		return rc;
	if (header_crc(h, r->table, h->nsections) != h->header_crc)
		return IMAGE_EHEADER;
	if (h->arch != CKPT_ARCH_X86_64)
		return IMAGE_EARCH;
	if (r->file_size < h->file_size)
		return IMAGE_ESHORT;
	return check_table(r);
}

const struct ckpt_section *image_find(const struct image_reader *r,
				      uint32_t type)
{
	for (uint32_t i = 0; i < r->hdr.nsections; i++)
		if (r->table[i].type == type)
			return &r->table[i];
	return NULL;
}

int image_read_section(struct image_reader *r, uint32_t type, void *buf,
		       size_t size, const struct ckpt_section **out)
{
	const struct ckpt_section *s = image_find(r, type);
	int rc;

	if (!s)
		return IMAGE_ENOSECTION;
	if (s->size > size)
		return IMAGE_ETOOBIG;
	rc = image_pread(r, buf, s->size, s->offset);
	if (rc)
		return rc;
	if ((uint32_t)crc32(0, buf, (uInt)s->size) != s->crc)
		return IMAGE_ESECTION;
	if (out)
		*out = s;
	return 0;
}

int image_verify_section(struct image_reader *r, const struct ckpt_section *s,
			 void *buf, size_t size)
{
	uLong crc = crc32(0, NULL, 0);
	uint64_t done = 0;

	while (done < s->size) {
		size_t n = s->size - done < size ? s->size - done : size;
		int rc = image_pread(r, buf, n, s->offset + done);

		if (rc)
			return rc;
		crc = crc32(crc, buf, (uInt)n);
		done += n;
	}
	return (uint32_t)crc == s->crc ? 0 : IMAGE_ESECTION;
}

int image_chunk_check(const struct ckpt_chunk *c,
		      const struct ckpt_region *regions, uint64_t nregions,
		      uint64_t data_at, uint64_t section_end,
		      size_t max_compressed)
{
	uint64_t len = (uint64_t)c->npages * CKPT_PAGE_SIZE;
	const struct ckpt_region *r;

	if (c->region >= nregions || !c->npages ||
	    c->npages > CKPT_CHUNK_MAX_PAGES || c->addr % CKPT_PAGE_SIZE ||
	    data_at > section_end || c->data_len > section_end - data_at)
		return IMAGE_ECHUNK;
	r = &regions[c->region];
	if (c->addr < r->start || c->addr > r->end || len > r->end - c->addr)
		return IMAGE_ECHUNK;
	if (c->codec == CKPT_CODEC_NONE)
		return c->data_len == len ? 0 : IMAGE_ECHUNK;
	if (c->codec > CKPT_CODEC_LZ4)
		return IMAGE_ECODEC;
	return c->data_len <= max_compressed ? 0 : IMAGE_ECHUNK;
}

int image_table_init(struct image_table *t, const void *body, uint64_t size,
		     size_t head, uint64_t count, size_t elem)
{
	uint64_t entries;

	memset(t, 0, sizeof(*t));
	if (head > size || (elem && count > (size - head) / elem))
		return IMAGE_EMALFORMED;
	entries = head + count * elem;
	t->body = body;
	t->size = size;
	t->head = head;
	t->elem = elem;
	t->count = count;
	t->tail = t->body + entries;
	t->tail_len = size - entries;
	return 0;
}

int image_table_counted(struct image_table *t, const void *body,
			uint64_t size, size_t head, size_t count_at,
			size_t elem)
{
	uint32_t count;

	if (size < head || count_at + sizeof(count) > head)
		return IMAGE_EMALFORMED;
	memcpy(&count, (const char *)body + count_at, sizeof(count));
	return image_table_init(t, body, size, head, count, elem);
}

const void *image_table_entry(const struct image_table *t, uint64_t i)
{
	return i < t->count ? t->body + t->head + i * t->elem : NULL;
}

const char *image_table_string(const struct image_table *t, uint64_t off)
{
	if (off >= t->tail_len || !memchr(t->tail + off, 0, t->tail_len - off))
		return NULL;
	return t->tail + off;
}

int image_range_ok(uint64_t off, uint64_t len, uint64_t size)
{
	return off <= size && len <= size - off;
}

int image_chars_ok(const char *s, size_t size)
{
	return memchr(s, 0, size) != NULL;
}

int image_read_parent(struct image_reader *r, struct ckpt_parent *p)
{
	const struct ckpt_section *s = image_find(r, CKPT_SEC_PARENT);
	int rc;

	if (!s)
		return 1;
	if (s->size != sizeof(*p))
		return IMAGE_EMALFORMED;
	rc = image_read_section(r, CKPT_SEC_PARENT, p, sizeof(*p), NULL);
	if (rc)
		return rc;
	if (!image_chars_ok(p->path, sizeof(p->path)) || p->path[0] != '/' ||
	    !p->depth || !p->generation ||
	    p->generation != r->hdr.parent_generation)
		return IMAGE_EMALFORMED;
	return 0;
}

int image_extents_check(const struct ckpt_extent *e, uint64_t n,
			const struct ckpt_region *regions, uint64_t nregions)
{
	uint64_t i = 0, prev_end = 0;

	for (uint64_t k = 0; k < n; k++) {
		while (i < nregions && regions[i].end <= e[k].start)
			i++;
		if (e[k].start >= e[k].end || e[k].start % CKPT_PAGE_SIZE ||
		    e[k].end % CKPT_PAGE_SIZE || e[k].start < prev_end ||
		    i == nregions || e[k].start < regions[i].start ||
		    e[k].end > regions[i].end ||
		    regions[i].kind != CKPT_REG_PRIVATE ||
		    !(regions[i].flags & CKPT_REGF_INHERITS))
			return IMAGE_EMALFORMED;
		prev_end = e[k].end;
	}
	return 0;
}

uint64_t image_extents_and(const struct ckpt_extent *a, uint64_t na,
			   const struct ckpt_extent *b, uint64_t nb,
			   struct ckpt_extent *out)
{
	uint64_t i = 0, j = 0, n = 0;

	while (i < na && j < nb) {
		uint64_t lo = a[i].start > b[j].start ? a[i].start : b[j].start;
		uint64_t hi = a[i].end < b[j].end ? a[i].end : b[j].end;

		if (lo < hi) {
			out[n].start = lo;
			out[n].end = hi;
			n++;
		}
		if (a[i].end < b[j].end)
			i++;
		else
			j++;
	}
	return n;
}

uint64_t image_extents_find(const struct ckpt_extent *e, uint64_t n,
			    uint64_t addr)
{
	uint64_t lo = 0, hi = n;

	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;

		if (e[mid].end <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int image_link_path(char *out, size_t size, const char *image,
		    uint64_t generation)
{
	char *end = out + size;
	char *p = str_add_u64(str_add(str_add(out, end, image), end, "."), end,
			      generation);

	return p < end - 1 ? 0 : -1;
}

int image_proc_check(const struct ckpt_proc *p)
{
	if (!image_chars_ok(p->cwd, sizeof(p->cwd)) ||
	    !image_chars_ok(p->exe, sizeof(p->exe)) ||
	    !image_chars_ok(p->comm, sizeof(p->comm)) ||
	    p->auxv_words > CKPT_AUXV_MAX * 2)
		return IMAGE_EMALFORMED;
	return 0;
}

int image_region_file_matches(const struct ckpt_region *r,
			      const struct stat *st)
{
	if (st->st_ino != r->ino || st->st_dev != r->dev)
		return 0;
	if (r->kind == CKPT_REG_SHARED_FILE)
		return 1;
	return (uint64_t)st->st_size == r->file_size &&
	       st->st_mtim.tv_sec == r->mtime_sec &&
	       st->st_mtim.tv_nsec == r->mtime_nsec;
}

const char *image_strerror(int err)
{
	switch (err) {
	case 0: return "no error";
	case IMAGE_EIO: return "read error";
	case IMAGE_ESHORT: return "the file is truncated";
	case IMAGE_EMAGIC: return "not a ckpt image";
	case IMAGE_EVERSION: return "written by an unsupported format version";
	case IMAGE_EARCH: return "made on another architecture";
	case IMAGE_EHEADER: return "the header or section table is damaged (checksum mismatch)";
	case IMAGE_ETABLE: return "the section table points outside the file";
	case IMAGE_ESECTION: return "a section is damaged (checksum mismatch)";
	case IMAGE_ENOSECTION: return "a required section is missing";
	case IMAGE_ETOOBIG: return "a section is larger than this reader allows";
	case IMAGE_ECHUNK: return "page data is damaged";
	case IMAGE_EMALFORMED: return "a section's entries point outside it (a forged or damaged image)";
	case IMAGE_ENOTREG: return "not a regular file";
	case IMAGE_ECODEC: return "a page chunk is stored with a codec this version of ckpt does not know";
	default: return "unknown error";
	}
}

const char *image_section_name(uint32_t type)
{
	switch (type) {
	case CKPT_SEC_PROC: return "process";
	case CKPT_SEC_REGIONS: return "memory regions";
	case CKPT_SEC_PAGES: return "page data";
	case CKPT_SEC_FILES: return "files";
	case CKPT_SEC_SIGNALS: return "signals";
	case CKPT_SEC_TIMERS: return "timers";
	case CKPT_SEC_FILEDATA: return "file data";
	case CKPT_SEC_THREADS: return "threads";
	case CKPT_SEC_IPC: return "System V IPC";
	case CKPT_SEC_GUARDS: return "guard regions";
	case CKPT_SEC_PARENT: return "parent";
	case CKPT_SEC_INHERIT: return "inherited pages";
	default: return "unknown";
	}
}
