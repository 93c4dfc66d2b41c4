/*
 * Tests of the image writer and reader (lib/image.c): round trips through a
 * real file with tiny and large write buffers, and the promise of
 * include/ckpt_image.h that a damaged or truncated image is refused.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "ckpt_image.h"
#include "image.h"
#include "unit.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define SMALL_BUF 64

struct body {
	uint32_t type;
	const void *data;
	size_t len;
	uint64_t count;
};

/* Deterministic bytes, different per seed, no long runs. */
static void fill(void *p, size_t len, uint32_t seed)
{
	unsigned char *b = p;
	uint32_t x = seed * 2654435761u + 1;

	for (size_t i = 0; i < len; i++) {
		x = x * 1103515245u + 12345u;
		b[i] = (unsigned char)(x >> 16);
	}
}

/* --- sample section bodies ---------------------------------------------- */

static const struct ckpt_region sample_regions[] = {
	{ .start = 0x55d0c8a4e000, .end = 0x55d0c8a50000, .dev = 0xfe01,
	  .ino = 1835015, .kind = CKPT_REG_PRIVATE, .flags = CKPT_REGF_FILE,
	  .prot = 1, .path_off = 0, .pages = 1 },
	{ .start = 0x7ffd5e3b1000, .end = 0x7ffd5e3d2000,
	  .kind = CKPT_REG_PRIVATE, .flags = CKPT_REGF_STACK, .prot = 3,
	  .pages = 33 },
};

static const struct ckpt_fd sample_fds[] = {
	{ .fd = 0, .dup_of = -1, .kind = CKPT_FD_CHAR, .open_flags = 02,
	  .path_off = 0 },
	{ .fd = 3, .dup_of = -1, .kind = CKPT_FD_REGULAR, .open_flags = 02002,
	  .path_off = 10, .pos = 123, .size = 4096, .mode = 0100644 },
};

/* Entries then their NUL-terminated strings, as the format lays them out. */
static size_t with_strings(unsigned char *out, const void *entries,
			   size_t size, const char *strings, size_t strings_len)
{
	memcpy(out, entries, size);
	memcpy(out + size, strings, strings_len);
	return size + strings_len;
}

static unsigned char regions_body[sizeof(sample_regions) + 64];
static unsigned char files_body[sizeof(sample_fds) + 64];
static unsigned char proc_small[100];

/* A small image: the header and table checks can be tried byte by byte. */
static int small_bodies(struct body *b)
{
	static const char rstr[] = "/usr/bin/cat";
	static const char fstr[] = "/dev/null\0/tmp/log";

	fill(proc_small, sizeof(proc_small), 1);
	b[0] = (struct body){ CKPT_SEC_PROC, proc_small, sizeof(proc_small),
			      1 };
	b[1] = (struct body){ CKPT_SEC_REGIONS, regions_body,
		with_strings(regions_body, sample_regions,
			     sizeof(sample_regions), rstr, sizeof(rstr)),
		N(sample_regions) };
	b[2] = (struct body){ CKPT_SEC_FILES, files_body,
		with_strings(files_body, sample_fds, sizeof(sample_fds), fstr,
			     sizeof(fstr)),
		N(sample_fds) };
	return 3;
}

static struct ckpt_proc big_proc;
static struct ckpt_signals big_signals;
static unsigned char big_pages[300000];

/* Every kind of section, two of them far larger than SMALL_BUF. */
static int big_bodies(struct body *b)
{
	int n = small_bodies(b);

	fill(&big_proc, sizeof(big_proc), 2);
	fill(&big_signals, sizeof(big_signals), 3);
	fill(big_pages, sizeof(big_pages), 4);
	b[0] = (struct body){ CKPT_SEC_PROC, &big_proc, sizeof(big_proc), 1 };
	b[n++] = (struct body){ CKPT_SEC_SIGNALS, &big_signals,
				sizeof(big_signals), 1 };
	b[n++] = (struct body){ CKPT_SEC_PAGES, big_pages, sizeof(big_pages),
				0 };
	return n;
}

/* --- writing ------------------------------------------------------------ */

/* Odd piece sizes, so appends land below, on and above the buffer size. */
static const size_t pieces[] = { 1, 7, 63, 64, 65, 200, 4095, 5000, 70000 };

static void write_body(struct image_writer *w, const struct body *b)
{
	const char *p = b->data;
	size_t left = b->len;

	for (int i = 0; left; i++) {
		size_t n = pieces[i % N(pieces)];

		if (n > left)
			n = left;
		image_section_write(w, p, n);
		p += n;
		left -= n;
	}
}

static int write_image(int fd, const struct body *b, int n, size_t buf_size)
{
	struct image_writer w;
	char *buf = malloc(buf_size);
	int rc;

	ck_assert_ptr_nonnull(buf);
	image_writer_init(&w, fd, buf, buf_size);
	for (int i = 0; i < n; i++) {
		image_section_begin(&w, b[i].type);
		write_body(&w, &b[i]);
		image_section_end(&w, b[i].count);
	}
	rc = image_writer_finish(&w);
	free(buf);
	return rc;
}

static int make_image(const struct body *b, int n, size_t buf_size)
{
	int fd = unit_tmpfile();

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write_image(fd, b, n, buf_size), 0);
	return fd;
}

static int small_image(void)
{
	struct body b[8];
	int n = small_bodies(b);

	return make_image(b, n, SMALL_BUF);
}

static uint64_t file_size(int fd)
{
	struct stat st;

	ck_assert_int_eq(fstat(fd, &st), 0);
	return (uint64_t)st.st_size;
}

static void open_ok(struct image_reader *r, int fd)
{
	int rc = image_reader_open(r, fd);

	ck_assert_msg(rc == 0, "image_reader_open: %d (%s)", rc,
		      image_strerror(rc));
}

/* --- round trip --------------------------------------------------------- */

static void check_header(const struct image_reader *r, int fd, int n)
{
	const struct ckpt_header *h = &r->hdr;

	ck_assert_mem_eq(h->magic, CKPT_MAGIC, 8);
	ck_assert_uint_eq(h->version, CKPT_VERSION);
	ck_assert_uint_eq(h->arch, CKPT_ARCH_X86_64);
	ck_assert_uint_eq(h->nsections, n);
	ck_assert_uint_eq(h->table_end, sizeof(*h) + n * sizeof(r->table[0]));
	ck_assert_uint_eq(h->file_size, file_size(fd));
}

static void check_body(struct image_reader *r, const struct body *b)
{
	const struct ckpt_section *s = image_find(r, b->type), *out = NULL;
	char small[SMALL_BUF];
	void *buf = malloc(b->len + 1);

	ck_assert_ptr_nonnull(buf);
	ck_assert_msg(s != NULL, "no section %u", b->type);
	ck_assert_uint_eq(s->size, b->len);
	ck_assert_uint_eq(s->count, b->count);
	ck_assert_uint_ge(s->offset, IMAGE_DATA_START);
	ck_assert_int_eq(image_read_section(r, b->type, buf, b->len + 1, &out),
			 0);
	ck_assert_ptr_eq(out, s);
	ck_assert_msg(!memcmp(buf, b->data, b->len), "section %u differs",
		      b->type);
	ck_assert_int_eq(image_verify_section(r, s, small, sizeof(small)), 0);
	ck_assert_int_eq(image_verify_section(r, s, buf, b->len + 1), 0);
	if (b->len)
		ck_assert_int_eq(image_read_section(r, b->type, buf,
						    b->len - 1, NULL),
				 IMAGE_ETOOBIG);
	free(buf);
}

static void check_image(int fd, const struct body *b, int n)
{
	struct image_reader r;
	char buf[16];

	open_ok(&r, fd);
	check_header(&r, fd, n);
	for (int i = 0; i < n; i++)
		check_body(&r, &b[i]);
	ck_assert_ptr_null(image_find(&r, 99));
	ck_assert_int_eq(image_read_section(&r, 99, buf, sizeof(buf), NULL),
			 IMAGE_ENOSECTION);
}

static const size_t buf_sizes[] = { 1, SMALL_BUF, 1000, 4096, 1 << 20 };

START_TEST(roundtrip)
{
	struct body b[8];
	int n = big_bodies(b);
	int fd = make_image(b, n, buf_sizes[_i]);

	check_image(fd, b, n);
	close(fd);
}
END_TEST

START_TEST(roundtrip_small)
{
	struct body b[8];
	int n = small_bodies(b);
	int fd = make_image(b, n, SMALL_BUF);

	check_image(fd, b, n);
	close(fd);
}
END_TEST

START_TEST(roundtrip_empty_sections)
{
	struct body b[] = {
		{ CKPT_SEC_PROC, "", 0, 0 },
		{ CKPT_SEC_FILES, "abc", 3, 0 },
		{ CKPT_SEC_SIGNALS, "", 0, 0 },
	};
	int fd = make_image(b, N(b), SMALL_BUF);

	check_image(fd, b, N(b));
	close(fd);
}
END_TEST

/* No section data at all: the writer must still leave a file as long as
 * the size its header records, or its own reader calls it truncated. */
START_TEST(roundtrip_no_sections)
{
	int fd = make_image(NULL, 0, SMALL_BUF);
	struct image_reader r;

	open_ok(&r, fd);
	check_header(&r, fd, 0);
	ck_assert_uint_eq(r.hdr.file_size, IMAGE_DATA_START);
	close(fd);
}
END_TEST

/* Bodies follow each other in the order written, from the first page on. */
START_TEST(sections_laid_out_in_order)
{
	struct body b[8];
	int n = big_bodies(b);
	int fd = make_image(b, n, SMALL_BUF);
	struct image_reader r;
	uint64_t at = IMAGE_DATA_START;

	open_ok(&r, fd);
	for (int i = 0; i < n; i++) {
		ck_assert_uint_eq(r.table[i].type, b[i].type);
		ck_assert_uint_eq(r.table[i].offset, at);
		at += r.table[i].size;
	}
	ck_assert_uint_eq(at, r.hdr.file_size);
	close(fd);
}
END_TEST

/* --- page chunks, written the way lib/mem.c writes them ----------------- */

#define CHUNK_REGION_PAGES 32

static unsigned char chunk_pages[CHUNK_REGION_PAGES * CKPT_PAGE_SIZE];

static const struct ckpt_region chunk_regions[] = {
	{ .start = 0x10000,
	  .end = 0x10000 + CHUNK_REGION_PAGES * CKPT_PAGE_SIZE,
	  .kind = CKPT_REG_PRIVATE, .prot = 3 },
};

static void write_chunk(struct image_writer *w, uint64_t addr,
			uint32_t npages)
{
	static const char zeros[CKPT_PAGE_SIZE];
	const unsigned char *data = chunk_pages + (addr - 0x10000);
	size_t len = (size_t)npages * CKPT_PAGE_SIZE;
	struct ckpt_chunk ch = { .addr = addr, .npages = npages, .region = 0,
				 .data_len = (uint32_t)len };

	ch.pad = image_chunk_pad(w, &ch);
	ch.data_crc = (uint32_t)crc32(0, data, (uInt)len);
	image_section_write(w, &ch, sizeof(ch));
	image_section_write(w, zeros, ch.pad);
	image_section_write_crc(w, data, len, ch.data_crc);
}

static int chunk_image(void)
{
	int fd = unit_tmpfile();
	struct image_writer w;
	char buf[SMALL_BUF];

	ck_assert_int_ge(fd, 0);
	fill(chunk_pages, sizeof(chunk_pages), 5);
	image_writer_init(&w, fd, buf, sizeof(buf));
	image_section_begin(&w, CKPT_SEC_REGIONS);
	image_section_write(&w, chunk_regions, sizeof(chunk_regions));
	image_section_end(&w, N(chunk_regions));
	image_section_begin(&w, CKPT_SEC_PAGES);
	write_chunk(&w, 0x10000, 3);
	write_chunk(&w, 0x14000, 1);
	write_chunk(&w, 0x16000, CHUNK_REGION_PAGES - 6);
	image_section_end(&w, 3);
	ck_assert_int_eq(image_writer_finish(&w), 0);
	return fd;
}

/* Walk the chunks as ckpt-resume does; check each one's data. */
START_TEST(chunks_roundtrip)
{
	int fd = chunk_image();
	struct image_reader r;
	struct ckpt_region regions[4];
	const struct ckpt_section *s;
	unsigned char *data = malloc(sizeof(chunk_pages));
	uint64_t off, end;
	int chunks = 0;

	ck_assert_ptr_nonnull(data);
	open_ok(&r, fd);
	ck_assert_int_eq(image_read_section(&r, CKPT_SEC_REGIONS, regions,
					    sizeof(regions), &s), 0);
	s = image_find(&r, CKPT_SEC_PAGES);
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(image_verify_section(&r, s, data, 100), 0);
	end = s->offset + s->size;
	for (off = s->offset; off < end; chunks++) {
		struct ckpt_chunk c;
		uint64_t data_at;

		ck_assert_int_eq(image_pread(&r, &c, sizeof(c), off), 0);
		data_at = off + sizeof(c) + c.pad;
		/* Raw data page-aligned where the padding costs at most 1/16
		 * (a run of 16 pages or more), never padded beyond that. */
		ck_assert_uint_le(c.pad, c.data_len / 16);
		if (c.npages >= 16)
			ck_assert_uint_eq(data_at % CKPT_PAGE_SIZE, 0);
		ck_assert_int_eq(image_chunk_check(&c, regions, 1, data_at, end,
						   CKPT_CHUNK_MAX_DATA), 0);
		ck_assert_int_eq(image_pread(&r, data, c.data_len, data_at), 0);
		ck_assert_uint_eq(crc32(0, data, c.data_len), c.data_crc);
		ck_assert(!memcmp(data, chunk_pages + (c.addr - 0x10000),
				  c.data_len));
		off = data_at + c.data_len;
	}
	ck_assert_uint_eq(off, end);
	ck_assert_int_eq(chunks, 3);
	free(data);
	close(fd);
}
END_TEST

/* --- writer misuse ------------------------------------------------------ */

START_TEST(writer_errors)
{
	struct image_writer w;
	char buf[SMALL_BUF];
	int fd = unit_tmpfile();

	ck_assert_int_ge(fd, 0);
	image_writer_init(&w, fd, buf, sizeof(buf));
	image_section_begin(&w, CKPT_SEC_PROC);
	ck_assert_int_eq(image_writer_finish(&w), -EINVAL); /* still open */

	image_writer_init(&w, fd, buf, sizeof(buf));
	image_section_begin(&w, CKPT_SEC_PROC);
	image_section_begin(&w, CKPT_SEC_FILES);
	image_section_end(&w, 0);
	ck_assert_int_eq(image_writer_finish(&w), -EINVAL);

	image_writer_init(&w, fd, buf, sizeof(buf));
	for (int i = 0; i <= CKPT_MAX_SECTIONS; i++) {
		image_section_begin(&w, CKPT_SEC_PROC);
		image_section_end(&w, 0);
	}
	ck_assert_int_eq(image_writer_finish(&w), -EINVAL);
	close(fd);

	/* The first failure sticks: the write error shows at the end. */
	image_writer_init(&w, fd, buf, sizeof(buf));
	image_section_begin(&w, CKPT_SEC_PROC);
	image_section_write(&w, "x", 1);
	image_section_end(&w, 1);
	ck_assert_int_eq(image_writer_finish(&w), -EBADF);
}
END_TEST

/* --- damage ------------------------------------------------------------- */

/* For failure messages: which header or table field holds byte off. */
static void field_at(uint64_t off, char *out, size_t size)
{
	static const struct {
		size_t off;
		const char *name;
	} hdr[] = {
		{ offsetof(struct ckpt_header, magic), "magic" },
		{ offsetof(struct ckpt_header, version), "version" },
		{ offsetof(struct ckpt_header, arch), "arch" },
		{ offsetof(struct ckpt_header, header_crc), "header_crc" },
		{ offsetof(struct ckpt_header, nsections), "nsections" },
		{ offsetof(struct ckpt_header, table_end), "table_end" },
		{ offsetof(struct ckpt_header, file_size), "file_size" },
		{ offsetof(struct ckpt_header, created_ns), "created_ns" },
		{ offsetof(struct ckpt_header, generation), "generation" },
		{ offsetof(struct ckpt_header, flags), "flags" },
		{ offsetof(struct ckpt_header, reserved), "reserved" },
		{ offsetof(struct ckpt_header, parent_generation),
		  "parent_generation" },
		{ offsetof(struct ckpt_header, reserved2), "reserved2" },
	};
	static const char *const sec[] = { "type", "crc", "offset", "offset",
					   "size", "size", "count", "count" };
	uint64_t t;
	int i;

	if (off >= sizeof(struct ckpt_header)) {
		t = off - sizeof(struct ckpt_header);
		snprintf(out, size, "table[%llu].%s",
			 (unsigned long long)(t / sizeof(struct ckpt_section)),
			 sec[t % sizeof(struct ckpt_section) / 4]);
		return;
	}
	for (i = N(hdr) - 1; hdr[i].off > off; i--)
		;
	snprintf(out, size, "header.%s", hdr[i].name);
}

struct misses {
	int n;
	char list[1024];
};

__attribute__((format(printf, 2, 3)))
static void note_miss(struct misses *m, const char *fmt, ...)
{
	size_t used = strlen(m->list);
	va_list ap;

	if (m->n++ >= 12)
		return;
	va_start(ap, fmt);
	vsnprintf(m->list + used, sizeof(m->list) - used, fmt, ap);
	va_end(ap);
}

static void note_damage(struct misses *m, uint64_t off, unsigned mask)
{
	char field[64];

	field_at(off, field, sizeof(field));
	note_miss(m, " [offset %llu (%s) xor 0x%02x]",
		  (unsigned long long)off, field, mask);
}

static unsigned char byte_at(int fd, uint64_t off)
{
	unsigned char b;

	ck_assert_int_eq(pread(fd, &b, 1, (off_t)off), 1);
	return b;
}

static void put_byte(int fd, uint64_t off, unsigned char b)
{
	ck_assert_int_eq(pwrite(fd, &b, 1, (off_t)off), 1);
}

/*
 * Every possible change of every single byte of the header and the table,
 * which covers XOR 0xff and XOR 0x01: each must make the image unreadable.
 */
START_TEST(damaged_header_refused)
{
	int fd = small_image();
	struct image_reader r;
	struct misses m = { 0 };
	uint64_t end;

	open_ok(&r, fd);
	end = r.hdr.table_end;
	ck_assert_uint_eq(end, sizeof(struct ckpt_header) +
			       3 * sizeof(struct ckpt_section));
	for (uint64_t off = 0; off < end; off++) {
		unsigned char orig = byte_at(fd, off);

		for (unsigned mask = 1; mask < 256; mask++) {
			put_byte(fd, off, (unsigned char)(orig ^ mask));
			if (image_reader_open(&r, fd) == 0)
				note_damage(&m, off, mask);
		}
		put_byte(fd, off, orig);
	}
	ck_assert_msg(!m.n, "%d damaged header bytes accepted:%s", m.n, m.list);
	open_ok(&r, fd);
	close(fd);
}
END_TEST

static void copy_file(int from, int to)
{
	uint64_t size = file_size(from);
	char buf[8192];

	ck_assert_int_eq(ftruncate(to, 0), 0);
	for (uint64_t off = 0; off < size;) {
		ssize_t n = pread(from, buf, sizeof(buf), (off_t)off);

		ck_assert_int_gt(n, 0);
		ck_assert_int_eq(pwrite(to, buf, (size_t)n, (off_t)off), n);
		off += (uint64_t)n;
	}
}

static int add_length(uint64_t *lens, int n, uint64_t len, uint64_t size)
{
	for (int i = 0; i < n; i++)
		if (lens[i] == len)
			return n;
	if (len < size)
		lens[n++] = len;
	return n;
}

/* Cuts at the start, inside the header and table, and at each section's
 * start, middle and end. */
static int cut_points(const struct image_reader *r, uint64_t *lens)
{
	const struct ckpt_header *h = &r->hdr;
	static const uint64_t fixed[] = {
		0, 1, 8, sizeof(struct ckpt_header) / 2,
		sizeof(struct ckpt_header) - 1, sizeof(struct ckpt_header),
		sizeof(struct ckpt_header) + sizeof(struct ckpt_section) / 2,
		IMAGE_DATA_START,
	};
	uint64_t size = h->file_size;
	int n = 0;

	for (int i = 0; i < N(fixed); i++)
		n = add_length(lens, n, fixed[i], size);
	n = add_length(lens, n, h->table_end - 1, size);
	n = add_length(lens, n, h->table_end, size);
	for (uint32_t i = 0; i < h->nsections; i++) {
		const struct ckpt_section *s = &r->table[i];

		n = add_length(lens, n, s->offset, size);
		n = add_length(lens, n, s->offset + s->size / 2, size);
		n = add_length(lens, n, s->offset + s->size, size);
	}
	return add_length(lens, n, size - 1, size);
}

START_TEST(truncated_refused)
{
	int fd = small_image(), copy = unit_tmpfile();
	struct image_reader r;
	struct misses m = { 0 };
	uint64_t lens[64];
	int n;

	ck_assert_int_ge(copy, 0);
	open_ok(&r, fd);
	n = cut_points(&r, lens);
	ck_assert_int_ge(n, 15);
	for (int i = 0; i < n; i++) {
		int rc;

		copy_file(fd, copy);
		ck_assert_int_eq(ftruncate(copy, (off_t)lens[i]), 0);
		rc = image_reader_open(&r, copy);
		if (rc == 0)
			note_miss(&m, " [%llu bytes: %s]",
				  (unsigned long long)lens[i],
				  image_strerror(rc));
	}
	ck_assert_msg(!m.n, "%d truncations accepted:%s", m.n, m.list);
	copy_file(fd, copy);
	open_ok(&r, copy);
	close(copy);
	close(fd);
}
END_TEST

/* Flip one body byte: how many of the reader's checks miss it?  The
 * other sections must still pass theirs. */
static int damaged_body_misses(int fd, const struct ckpt_section *s,
			       uint64_t off, int read_whole)
{
	struct image_reader r;
	char buf[SMALL_BUF];
	void *whole = NULL;
	int misses = 0, rc;
	unsigned char orig = byte_at(fd, off);

	put_byte(fd, off, orig ^ 0xff);
	open_ok(&r, fd);
	if (read_whole) {
		whole = malloc(s->size);
		ck_assert_ptr_nonnull(whole);
		rc = image_read_section(&r, s->type, whole, s->size, NULL);
		misses += rc != IMAGE_ESECTION;
		free(whole);
	}
	rc = image_verify_section(&r, image_find(&r, s->type), buf,
				  sizeof(buf));
	misses += rc != IMAGE_ESECTION;
	for (uint32_t i = 0; i < r.hdr.nsections; i++)
		if (r.table[i].type != s->type)
			ck_assert_int_eq(image_verify_section(&r, &r.table[i],
							      buf, sizeof(buf)),
					 0);
	put_byte(fd, off, orig);
	return misses;
}

START_TEST(damaged_body_refused)
{
	int fd = small_image();
	struct image_reader r;
	struct misses m = { 0 };

	open_ok(&r, fd);
	for (uint32_t i = 0; i < r.hdr.nsections; i++) {
		const struct ckpt_section s = r.table[i];

		for (uint64_t off = s.offset; off < s.offset + s.size; off++)
			if (damaged_body_misses(fd, &s, off, 1))
				note_miss(&m, " [offset %llu]",
					  (unsigned long long)off);
	}
	ck_assert_msg(!m.n, "%d damaged body bytes accepted:%s", m.n, m.list);
	close(fd);
}
END_TEST

START_TEST(damaged_big_body_refused)
{
	struct body b[8];
	int n = big_bodies(b);
	int fd = make_image(b, n, SMALL_BUF);
	struct image_reader r;
	struct misses m = { 0 };

	open_ok(&r, fd);
	for (uint32_t i = 0; i < r.hdr.nsections; i++) {
		const struct ckpt_section s = r.table[i];
		const uint64_t at[] = { s.offset, s.offset + s.size / 2,
					s.offset + s.size - 1 };

		for (int j = 0; j < N(at); j++)
			if (damaged_body_misses(fd, &s, at[j], 1))
				note_miss(&m, " [offset %llu]",
					  (unsigned long long)at[j]);
	}
	ck_assert_msg(!m.n, "%d damaged body bytes accepted:%s", m.n, m.list);
	close(fd);
}
END_TEST

/*
 * Headers that are wrong yet carry a correct checksum, as a buggy writer
 * or a deliberate edit would make: the reader's other checks must hold.
 */
struct forgery {
	const char *what;
	void (*edit)(struct ckpt_header *h, struct ckpt_section *t);
	int want;
};

static void bad_arch(struct ckpt_header *h, struct ckpt_section *t)
{
	(void)t;
	h->arch = 3;
}

static void bad_version(struct ckpt_header *h, struct ckpt_section *t)
{
	(void)t;
	h->version = CKPT_VERSION + 1;
}

static void longer_file(struct ckpt_header *h, struct ckpt_section *t)
{
	(void)t;
	h->file_size++;
}

static void too_many_sections(struct ckpt_header *h, struct ckpt_section *t)
{
	(void)t;
	h->nsections = CKPT_MAX_SECTIONS + 1;
	h->table_end = sizeof(*h) + h->nsections * sizeof(*t);
}

static void bad_table_end(struct ckpt_header *h, struct ckpt_section *t)
{
	(void)t;
	h->table_end += sizeof(*t);
}

static void section_in_header(struct ckpt_header *h, struct ckpt_section *t)
{
	(void)h;
	t[0].offset = 0;
}

static void section_in_table(struct ckpt_header *h, struct ckpt_section *t)
{
	t[0].offset = h->table_end - 1;
}

static void section_past_end(struct ckpt_header *h, struct ckpt_section *t)
{
	t[h->nsections - 1].size++;
}

static void section_after_end(struct ckpt_header *h, struct ckpt_section *t)
{
	t[0].offset = h->file_size + 1;
	t[0].size = 0;
}

static void section_huge(struct ckpt_header *h, struct ckpt_section *t)
{
	(void)h;
	t[1].size = UINT64_MAX;
}

static void section_wraps(struct ckpt_header *h, struct ckpt_section *t)
{
	(void)h;
	t[1].offset = UINT64_MAX - 10;
	t[1].size = 100;
}

static const struct forgery forgeries[] = {
	{ "arch", bad_arch, IMAGE_EARCH },
	{ "version", bad_version, IMAGE_EVERSION },
	{ "file_size", longer_file, IMAGE_ESHORT },
	{ "nsections", too_many_sections, IMAGE_EHEADER },
	{ "table_end", bad_table_end, IMAGE_EHEADER },
	{ "offset in header", section_in_header, IMAGE_ETABLE },
	{ "offset in table", section_in_table, IMAGE_ETABLE },
	{ "size past end", section_past_end, IMAGE_ETABLE },
	{ "offset past end", section_after_end, IMAGE_ETABLE },
	{ "huge size", section_huge, IMAGE_ETABLE },
	{ "wrapping offset", section_wraps, IMAGE_ETABLE },
};

static void forge(int fd, const struct forgery *f)
{
	struct ckpt_header h;
	struct ckpt_section t[CKPT_MAX_SECTIONS + 1] = { { 0 } };
	uLong crc;
	uint32_t n;

	ck_assert_int_eq(pread(fd, &h, sizeof(h), 0), sizeof(h));
	ck_assert_int_eq(pread(fd, t, h.nsections * sizeof(t[0]), sizeof(h)),
			 h.nsections * sizeof(t[0]));
	f->edit(&h, t);
	n = h.nsections <= N(t) ? h.nsections : N(t);
	h.header_crc = 0;
	crc = crc32(0, (const Bytef *)&h, sizeof(h));
	h.header_crc = (uint32_t)crc32(crc, (const Bytef *)t,
				       (uInt)(n * sizeof(t[0])));
	ck_assert_int_eq(pwrite(fd, &h, sizeof(h), 0), sizeof(h));
	ck_assert_int_eq(pwrite(fd, t, n * sizeof(t[0]), sizeof(h)),
			 n * sizeof(t[0]));
}

START_TEST(forged_header_refused)
{
	const struct forgery *f = &forgeries[_i];
	int fd = small_image();
	struct image_reader r;
	int rc;

	forge(fd, f);
	rc = image_reader_open(&r, fd);
	ck_assert_msg(rc == f->want, "%s: %d (%s), want %d (%s)", f->what, rc,
		      image_strerror(rc), f->want, image_strerror(f->want));
	close(fd);
}
END_TEST

START_TEST(not_an_image)
{
	static const char text[] = "#!/bin/sh\necho hello\n";
	static const char zeros[8192];
	struct image_reader r;
	int fd = unit_tmpfile();

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(image_reader_open(&r, fd), IMAGE_EMAGIC);
	ck_assert_int_eq(write(fd, text, sizeof(text)), sizeof(text));
	ck_assert_int_eq(image_reader_open(&r, fd), IMAGE_EMAGIC);
	ck_assert_int_eq(pwrite(fd, zeros, sizeof(zeros), 0), sizeof(zeros));
	ck_assert_int_eq(image_reader_open(&r, fd), IMAGE_EMAGIC);
	close(fd);
	ck_assert_int_eq(image_reader_open(&r, fd), IMAGE_EIO);
	ck_assert_int_eq(r.sys_err, -EBADF);
}
END_TEST

/* --- image_chunk_check -------------------------------------------------- */

static const struct ckpt_region valid_regions[] = {
	{ .start = 0x10000, .end = 0x20000 },    /* 16 pages */
	{ .start = 0x100000, .end = 0x300000 },  /* 512 pages */
};

struct chunk_case {
	const char *what;
	uint64_t addr;
	uint32_t npages, region, data_len, codec;
	uint64_t data_at, section_end;
	int want;
};

#define PG ((uint64_t)CKPT_PAGE_SIZE)
#define LIM (8192 + 4 * PG)       /* section end: just fits 4 pages at 8192 */
#define Z CKPT_CODEC_ZSTD
#define OK 0
#define BAD IMAGE_ECHUNK
#define MAXC 5000                 /* max_compressed passed in */

static const struct chunk_case chunk_cases[] = {
	{ "good", 0x10000, 4, 0, 4 * PG, 0, 8192, LIM, OK },
	{ "region's last pages", 0x1c000, 4, 0, 4 * PG, 0, 8192, LIM, OK },
	{ "section longer", 0x10000, 4, 0, 4 * PG, 0, 8192, LIM + 99, OK },
	{ "max pages", 0x100000, CKPT_CHUNK_MAX_PAGES, 1,
	  CKPT_CHUNK_MAX_PAGES * PG, 0, 0, CKPT_CHUNK_MAX_PAGES * PG, OK },
	{ "compressed", 0x10000, 4, 0, 100, Z, 8192, LIM, OK },
	{ "compressed at max", 0x10000, 4, 0, MAXC, Z, 8192, LIM, OK },
	{ "region out of range", 0x10000, 4, 2, 4 * PG, 0, 8192, LIM, BAD },
	{ "region huge", 0x10000, 4, UINT32_MAX, 4 * PG, 0, 8192, LIM, BAD },
	{ "unaligned addr", 0x10800, 4, 0, 4 * PG, 0, 8192, LIM, BAD },
	{ "addr off by one", 0x10001, 1, 0, PG, 0, 8192, LIM, BAD },
	{ "before region", 0xf000, 1, 0, PG, 0, 8192, LIM, BAD },
	{ "at region end", 0x20000, 1, 0, PG, 0, 8192, LIM, BAD },
	{ "across region end", 0x1d000, 4, 0, 4 * PG, 0, 8192, LIM, BAD },
	{ "other region's addr", 0x100000, 4, 0, 4 * PG, 0, 8192, LIM, BAD },
	{ "no pages", 0x10000, 0, 0, 0, 0, 8192, LIM, BAD },
	{ "too many pages", 0x100000, CKPT_CHUNK_MAX_PAGES + 1, 1,
	  (CKPT_CHUNK_MAX_PAGES + 1) * PG, 0, 0,
	  (CKPT_CHUNK_MAX_PAGES + 1) * PG, BAD },
	{ "data past section end", 0x10000, 4, 0, 4 * PG, 0, 8193, LIM, BAD },
	{ "data starts past end", 0x10000, 1, 0, 0, Z, LIM + 1, LIM, BAD },
	{ "data_len short", 0x10000, 4, 0, 4 * PG - 1, 0, 8192, LIM, BAD },
	{ "data_len long", 0x10000, 4, 0, 4 * PG + 1, 0, 8192, LIM + 99, BAD },
	{ "data_len zero", 0x10000, 4, 0, 0, 0, 8192, LIM, BAD },
	{ "compressed too big", 0x10000, 4, 0, MAXC + 1, Z, 8192, LIM, BAD },
	{ "compressed past end", 0x10000, 4, 0, 100, Z, LIM - 99, LIM, BAD },
	{ "lz4", 0x10000, 4, 0, 100, CKPT_CODEC_LZ4, 8192, LIM, OK },
	{ "zlib", 0x10000, 4, 0, 100, CKPT_CODEC_ZLIB, 8192, LIM, OK },
	{ "unknown codec", 0x10000, 4, 0, 100, CKPT_CODEC_LZ4 + 1, 8192, LIM,
	  IMAGE_ECODEC },
	{ "codec far off", 0x10000, 4, 0, 4 * PG, UINT32_MAX, 8192, LIM,
	  IMAGE_ECODEC },
};

START_TEST(chunk_valid)
{
	const struct chunk_case *k = &chunk_cases[_i];
	struct ckpt_chunk c = { .addr = k->addr, .npages = k->npages,
				.region = k->region, .data_len = k->data_len,
				.codec = k->codec };

	ck_assert_msg(image_chunk_check(&c, valid_regions, N(valid_regions),
					k->data_at, k->section_end,
					MAXC) == k->want,
		      "%s: want %d", k->what, k->want);
}
END_TEST

/* --- image_table_*, image_range_ok, image_chars_ok, image_proc_check ---- */

/*
 * Each case says which broken accessor it catches.  The body is larger
 * than the size given, so an accessor that reads past `size` finds bytes
 * there (NULs among them) instead of faulting, and answers wrong.
 */
struct table_case {
	const char *what;
	uint64_t size, head, count, elem;
	int want;
};

static const struct table_case table_cases[] = {
	{ "entries fill the body", 100, 4, 3, 32, 0 },
	{ "entries and a tail", 100, 4, 2, 32, 0 },
	{ "head only", 8, 8, 0, 32, 0 },
	{ "empty", 0, 0, 0, 32, 0 },
	/* `head + count * elem > size`, count one too many */
	{ "one entry too many", 99, 4, 3, 32, IMAGE_EMALFORMED },
	/* head > size: `(size - head) / elem` wraps to a huge room */
	{ "head past size", 8, 16, 0, 32, IMAGE_EMALFORMED },
	{ "head past size, entries", 8, 16, 1, 1, IMAGE_EMALFORMED },
	/* count * elem wraps to 0: `head + count * elem > size` accepts */
	{ "count * elem = 2^64", 64, 0, UINT64_MAX / 32 + 1, 32,
	  IMAGE_EMALFORMED },
	/* count * elem fits, head + count * elem wraps to 0: a check of the
	 * sum accepts */
	{ "head + count * elem = 2^64", 64, 32, UINT64_MAX / 32, 32,
	  IMAGE_EMALFORMED },
	{ "count near UINT64_MAX / elem", 1ull << 20, 0,
	  UINT64_MAX / sizeof(struct ckpt_fd), sizeof(struct ckpt_fd),
	  IMAGE_EMALFORMED },
	{ "count UINT64_MAX", 1ull << 20, 0, UINT64_MAX, 1, IMAGE_EMALFORMED },
};

START_TEST(table_init_bounds)
{
	const struct table_case *k = &table_cases[_i];
	static char body[256];
	struct image_table t;
	uint64_t entries = k->head + k->count * k->elem;

	ck_assert_msg(image_table_init(&t, body, k->size, k->head, k->count,
				       k->elem) == k->want,
		      "%s: want %d", k->what, k->want);
	if (k->want) {
		/* A reader that ignores the error still gets nothing. */
		ck_assert_msg(image_table_entry(&t, 0) == NULL, "%s", k->what);
		ck_assert_msg(t.tail_len == 0, "%s", k->what);
		return;
	}
	ck_assert_uint_eq(t.count, k->count);
	ck_assert_ptr_eq(t.tail, body + entries);
	ck_assert_uint_eq(t.tail_len, k->size - entries);
	for (uint64_t i = 0; i < k->count; i++)
		ck_assert_ptr_eq(image_table_entry(&t, i),
				 body + k->head + i * k->elem);
	/* `i <= count` would hand out the tail as an entry */
	ck_assert_ptr_null(image_table_entry(&t, k->count));
	ck_assert_ptr_null(image_table_entry(&t, UINT64_MAX));
}
END_TEST

/* Two 8-byte entries of zeros, then a tail.  A NUL follows the tail in
 * memory, so an accessor that does not stop at the tail's end finds one. */
static struct image_table strings_table(char *buf, const char *tail,
					size_t tail_len)
{
	struct image_table t;

	memset(buf, 0, 16);
	memcpy(buf + 16, tail, tail_len);
	buf[16 + tail_len] = 0;
	ck_assert_int_eq(image_table_init(&t, buf, 16 + tail_len, 0, 2, 8), 0);
	ck_assert_uint_eq(t.tail_len, tail_len);
	return t;
}

START_TEST(table_string_bounds)
{
	char buf[64];
	/* "ab", "", "cd", "": the last NUL is the tail's last byte */
	struct image_table t = strings_table(buf, "ab\0\0cd", 7);

	ck_assert_str_eq(image_table_string(&t, 0), "ab");
	ck_assert_str_eq(image_table_string(&t, 3), "");
	ck_assert_str_eq(image_table_string(&t, 4), "cd");
	/* memchr over tail_len - off - 1 bytes would miss that last NUL */
	ck_assert_str_eq(image_table_string(&t, 6), "");
	/* at the tail's end: a bounds check `off > tail_len` without the NUL
	 * search hands out the byte after the tail */
	ck_assert_ptr_null(image_table_string(&t, 7));
	/* past it: with no offset check, memchr over tail_len - off wraps and
	 * finds the NUL after the tail */
	ck_assert_ptr_null(image_table_string(&t, 8));
	ck_assert_ptr_null(image_table_string(&t, 1000));
	ck_assert_ptr_null(image_table_string(&t, UINT32_MAX));
	/* tail + off wraps to tail - 1, an entry's NUL byte */
	ck_assert_ptr_null(image_table_string(&t, UINT64_MAX));
}
END_TEST

START_TEST(table_string_unterminated)
{
	char buf[64];
	/* "ab", then "cd" running into the tail's end: strlen, or a memchr
	 * not bounded by the tail, finds the NUL after it */
	struct image_table t = strings_table(buf, "ab\0cd", 5);

	ck_assert_str_eq(image_table_string(&t, 0), "ab");
	ck_assert_ptr_null(image_table_string(&t, 3));
	ck_assert_ptr_null(image_table_string(&t, 4));
	ck_assert_ptr_null(image_table_string(&t, 5));
	/* no tail at all: even offset 0 is outside it */
	t = strings_table(buf, "", 0);
	ck_assert_ptr_null(image_table_string(&t, 0));
}
END_TEST

/* A head of 8 bytes whose second uint32_t counts 16-byte entries. */
START_TEST(table_counted_bounds)
{
	uint32_t body[16] = { 0 };
	struct image_table t;

	body[1] = 2; /* 8 + 2 * 16 = 40 bytes */
	ck_assert_int_eq(image_table_counted(&t, body, 40, 8, 4, 16), 0);
	ck_assert_uint_eq(t.count, 2);
	ck_assert_uint_eq(t.tail_len, 0);
	/* one byte short of the entries */
	ck_assert_int_eq(image_table_counted(&t, body, 39, 8, 4, 16),
			 IMAGE_EMALFORMED);
	/* the body shorter than the head holding the count */
	ck_assert_int_eq(image_table_counted(&t, body, 7, 8, 4, 16),
			 IMAGE_EMALFORMED);
	/* a count field outside the head */
	ck_assert_int_eq(image_table_counted(&t, body, 40, 8, 6, 16),
			 IMAGE_EMALFORMED);
	/* a count whose entries would wrap past the end */
	body[1] = UINT32_MAX;
	ck_assert_int_eq(image_table_counted(&t, body, 64, 8, 4, 16),
			 IMAGE_EMALFORMED);
}
END_TEST

struct range_case {
	const char *what;
	uint64_t off, len, size;
	int want;
};

static const struct range_case range_cases[] = {
	{ "inside", 5, 5, 10, 1 },
	{ "whole", 0, 10, 10, 1 },
	{ "nothing of nothing", 0, 0, 0, 1 },
	/* `off < size` would refuse an empty range at the end */
	{ "empty at the end", 10, 0, 10, 1 },
	{ "empty inside", 3, 0, 10, 1 },
	{ "all of the biggest", 0, UINT64_MAX, UINT64_MAX, 1 },
	{ "empty at the biggest end", UINT64_MAX, 0, UINT64_MAX, 1 },
	{ "one byte too long", 5, 6, 10, 0 },
	{ "one byte at the end", 10, 1, 10, 0 },
	{ "longer than size", 0, 11, 10, 0 },
	/* `len <= size - off` alone: size - off wraps to a huge room */
	{ "empty past the end", 11, 0, 10, 0 },
	{ "off UINT64_MAX", UINT64_MAX, 0, 10, 0 },
	/* `off + len <= size`: the sum wraps to 1, or to 0 */
	{ "off + len wraps, off huge", UINT64_MAX, 2, 10, 0 },
	{ "off + len wraps, len huge", 2, UINT64_MAX, 10, 0 },
	{ "off + len = 2^64", 1ull << 63, 1ull << 63, 10, 0 },
};

START_TEST(range_ok_edges)
{
	const struct range_case *k = &range_cases[_i];

	ck_assert_msg(image_range_ok(k->off, k->len, k->size) == k->want,
		      "%s: want %d", k->what, k->want);
}
END_TEST

START_TEST(chars_and_proc_checks)
{
	static struct ckpt_proc p;
	const char full[5] = "abcd"; /* its NUL is past the 4 bytes given */

	ck_assert(image_chars_ok(full, 5));
	ck_assert(!image_chars_ok(full, 4));
	ck_assert(!image_chars_ok(full, 0));
	memset(&p, 0, sizeof(p));
	ck_assert_int_eq(image_proc_check(&p), 0);
	p.auxv_words = CKPT_AUXV_MAX * 2;
	ck_assert_int_eq(image_proc_check(&p), 0);
	/* one word past auxv[]: mm_restore would hand the kernel it */
	p.auxv_words = CKPT_AUXV_MAX * 2 + 1;
	ck_assert_int_eq(image_proc_check(&p), IMAGE_EMALFORMED);
	p.auxv_words = UINT32_MAX;
	ck_assert_int_eq(image_proc_check(&p), IMAGE_EMALFORMED);
	p.auxv_words = 0;
	memset(p.cwd, 'a', sizeof(p.cwd));
	ck_assert_int_eq(image_proc_check(&p), IMAGE_EMALFORMED);
	p.cwd[sizeof(p.cwd) - 1] = 0;
	memset(p.exe, 'a', sizeof(p.exe));
	ck_assert_int_eq(image_proc_check(&p), IMAGE_EMALFORMED);
	p.exe[sizeof(p.exe) - 1] = 0;
	memset(p.comm, 'a', sizeof(p.comm));
	ck_assert_int_eq(image_proc_check(&p), IMAGE_EMALFORMED);
	p.comm[sizeof(p.comm) - 1] = 0;
	ck_assert_int_eq(image_proc_check(&p), 0);
}
END_TEST

/* --- texts -------------------------------------------------------------- */

START_TEST(strerror_texts)
{
	const char *texts[IMAGE_ECODEC - IMAGE_EIO + 2];
	const char *unknown = image_strerror(12345);
	int n = 0;

	ck_assert_ptr_nonnull(unknown);
	texts[n++] = image_strerror(0);
	for (int e = IMAGE_EIO; e <= IMAGE_ECODEC; e++)
		texts[n++] = image_strerror(e);
	for (int i = 0; i < n; i++) {
		ck_assert_ptr_nonnull(texts[i]);
		ck_assert_msg(*texts[i], "empty text for error %d", i);
		ck_assert_msg(strcmp(texts[i], unknown),
			      "error %d has no text of its own", i);
		for (int j = 0; j < i; j++)
			ck_assert_msg(strcmp(texts[i], texts[j]),
				      "\"%s\" twice", texts[i]);
	}
	ck_assert_str_eq(image_strerror(IMAGE_EIO - 1), unknown);
	ck_assert_str_eq(image_strerror(IMAGE_ECODEC + 1), unknown);
}
END_TEST

START_TEST(section_names)
{
	const char *unknown = image_section_name(99);

	for (uint32_t t = CKPT_SEC_PROC; t <= CKPT_SEC_SIGNALS; t++) {
		ck_assert(*image_section_name(t));
		ck_assert_str_ne(image_section_name(t), unknown);
		for (uint32_t u = CKPT_SEC_PROC; u < t; u++)
			ck_assert_str_ne(image_section_name(t),
					 image_section_name(u));
	}
	ck_assert_str_eq(image_section_name(0), unknown);
}
END_TEST

Suite *image_suite(void)
{
	Suite *s = suite_create("image");
	TCase *tc = tcase_create("roundtrip");

	tcase_add_loop_test(tc, roundtrip, 0, N(buf_sizes));
	tcase_add_test(tc, roundtrip_small);
	tcase_add_test(tc, roundtrip_empty_sections);
	tcase_add_test(tc, roundtrip_no_sections);
	tcase_add_test(tc, sections_laid_out_in_order);
	tcase_add_test(tc, chunks_roundtrip);
	tcase_add_test(tc, writer_errors);
	suite_add_tcase(s, tc);

	/* one reader open per possible byte value: slow on a busy machine */
	tc = tcase_create("damage");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, damaged_header_refused);
	tcase_add_test(tc, truncated_refused);
	tcase_add_test(tc, damaged_body_refused);
	tcase_add_test(tc, damaged_big_body_refused);
	tcase_add_loop_test(tc, forged_header_refused, 0, N(forgeries));
	tcase_add_test(tc, not_an_image);
	suite_add_tcase(s, tc);

	tc = tcase_create("chunk");
	tcase_add_loop_test(tc, chunk_valid, 0, N(chunk_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("bounds");
	tcase_add_loop_test(tc, table_init_bounds, 0, N(table_cases));
	tcase_add_test(tc, table_string_bounds);
	tcase_add_test(tc, table_string_unterminated);
	tcase_add_test(tc, table_counted_bounds);
	tcase_add_loop_test(tc, range_ok_edges, 0, N(range_cases));
	tcase_add_test(tc, chars_and_proc_checks);
	suite_add_tcase(s, tc);

	tc = tcase_create("text");
	tcase_add_test(tc, strerror_texts);
	tcase_add_test(tc, section_names);
	suite_add_tcase(s, tc);
	return s;
}
