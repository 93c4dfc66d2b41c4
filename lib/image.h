/*
 * Writing and reading ckpt images (format: include/ckpt_image.h).
 *
 * Both sides use raw system calls and caller-provided memory only, so the
 * writer runs in the checkpoint handler and the reader in the static
 * bootstrap as well as in ckpt-resume and the tests.
 */
#ifndef CKPT_IMAGE_IO_H
#define CKPT_IMAGE_IO_H

#include <stddef.h>
#include <stdint.h>

#include "ckpt_image.h"

/* First section body offset: the header and table live in the first page. */
#define IMAGE_DATA_START 4096u

struct image_writer {
	int fd;
	int err;              /* first failure, -errno; sticky */
	uint64_t off;         /* where the next byte goes */
	uint32_t nsections;
	int open;             /* a section is being written */
	char *buf;            /* write buffer, caller's memory */
	size_t buf_size, buf_len;
	struct ckpt_header hdr;
	struct ckpt_section table[CKPT_MAX_SECTIONS];
};

void image_writer_init(struct image_writer *w, int fd, char *buf,
		       size_t buf_size);
/* When set, every byte written to an image file is counted there (the
 * forked writer's progress, which its parent watches). */
extern volatile uint64_t *image_write_progress;
void image_section_begin(struct image_writer *w, uint32_t type);
void image_section_write(struct image_writer *w, const void *data, size_t len);
/* Append len bytes whose CRC-32 the caller computed already. */
void image_section_write_crc(struct image_writer *w, const void *data,
			     size_t len, uint32_t crc);
void image_section_end(struct image_writer *w, uint64_t count);
/* A writer with fd -1 keeps everything in buf, and fails with -ENOMEM
 * when buf is full: state captured in the pause, emitted later. */
/* Append every section of a writer in memory, checksums as they are. */
void image_sections_copy(struct image_writer *dst,
			 const struct image_writer *src);
/* Bytes of zero padding needed after `extra` more bytes to reach `align`. */
uint32_t image_pad_to(const struct image_writer *w, size_t extra,
		      uint32_t align);
/* The padding before chunk c's data (its data_len and codec set): pages
 * stored as they are start page-aligned in the file where that adds at most
 * 1/16 to them -- not in a chunk of one page, which it would double. */
uint32_t image_chunk_pad(const struct image_writer *w,
			 const struct ckpt_chunk *c);
/* Write header and table; returns 0 or the first error (-errno).  Does not
 * fsync or close. */
int image_writer_finish(struct image_writer *w);

/* Reader errors: negative, distinct from -errno by being below -4096. */
enum image_error {
	IMAGE_EIO = -5000,   /* read failed: errno in reader.sys_err */
	IMAGE_ESHORT,        /* the file ends early: truncated */
	IMAGE_EMAGIC,        /* not a ckpt image */
	IMAGE_EVERSION,      /* written by another version of the format */
	IMAGE_EARCH,         /* another architecture */
	IMAGE_EHEADER,       /* header or section table checksum mismatch */
	IMAGE_ETABLE,        /* section table out of bounds or inconsistent */
	IMAGE_ESECTION,      /* a section's checksum mismatch */
	IMAGE_ENOSECTION,    /* a required section is missing */
	IMAGE_ETOOBIG,       /* section larger than the buffer given */
	IMAGE_ECHUNK,        /* a page chunk is malformed or fails its check */
	IMAGE_EMALFORMED,    /* an entry's count, offset or string leaves its
				section */
	IMAGE_ENOTREG,       /* not a regular file (FIFO, device, directory) */
	IMAGE_ECODEC,        /* a page chunk of a codec this build lacks */
};

struct image_reader {
	int fd;
	int sys_err;        /* -errno of the failed read, with IMAGE_EIO */
	uint64_t file_size; /* as found on disk */
	struct ckpt_header hdr;
	struct ckpt_section table[CKPT_MAX_SECTIONS];
};

/* Read and check header and table: magic, version, arch, checksum, every
 * section inside the file, the file's size as recorded. */
int image_reader_open(struct image_reader *r, int fd);
const struct ckpt_section *image_find(const struct image_reader *r,
				      uint32_t type);
/* Read a whole section into buf and check its CRC. */
int image_read_section(struct image_reader *r, uint32_t type, void *buf,
		       size_t size, const struct ckpt_section **out);
/* Check one section's CRC by streaming it through buf. */
int image_verify_section(struct image_reader *r, const struct ckpt_section *s,
			 void *buf, size_t size);
/* Read exactly len bytes at off. */
int image_pread(struct image_reader *r, void *buf, size_t len, uint64_t off);

/*
 * Check a page chunk header against the regions and its section: region
 * index, page alignment, bounds, a known codec, and a data length that fits
 * the section (the pages' own length when stored as is, at most
 * max_compressed otherwise).  0, IMAGE_ECHUNK or IMAGE_ECODEC.
 */
int image_chunk_check(const struct ckpt_chunk *c,
		      const struct ckpt_region *regions, uint64_t nregions,
		      uint64_t data_at, uint64_t section_end,
		      size_t max_compressed);

struct codec_dec;
/*
 * A checked chunk's pages (npages pages) into dst: its data read at
 * data_at (into dst itself when stored as is, else into scratch, room for
 * CKPT_CHUNK_MAX_DATA), its checksum checked, decoded.  0, an error of
 * image_pread, IMAGE_ECHUNK or IMAGE_ECODEC.
 */
int image_chunk_read(struct image_reader *r, const struct ckpt_chunk *c,
		     uint64_t data_at, struct codec_dec *dec, void *scratch,
		     void *dst);

/*
 * A section body read into memory, seen as `head` bytes of fixed header,
 * `count` entries of `elem` bytes, then a tail (a string table, or other
 * bytes).  Every reader of the format takes entries, strings and ranges
 * through these, so no offset, length or count from the file is used
 * unchecked.
 */
struct image_table {
	const char *body;
	uint64_t size;      /* bytes of the body */
	size_t head, elem;
	uint64_t count;
	const char *tail;   /* after the entries */
	uint64_t tail_len;
};

/* 0, or IMAGE_EMALFORMED when head + count * elem exceeds size. */
int image_table_init(struct image_table *t, const void *body, uint64_t size,
		     size_t head, uint64_t count, size_t elem);
/* The same for a body whose head holds the entry count itself, as a
 * uint32_t at count_at: 0, or IMAGE_EMALFORMED when the head or the
 * entries do not fit. */
int image_table_counted(struct image_table *t, const void *body,
			uint64_t size, size_t head, size_t count_at,
			size_t elem);
/* Entry i, or NULL past the end. */
const void *image_table_entry(const struct image_table *t, uint64_t i);
/* The NUL-terminated string at off in the tail, or NULL when off or the
 * string's end lies outside it. */
const char *image_table_string(const struct image_table *t, uint64_t off);
/* Whether [off, off + len) lies inside [0, size), without overflow. */
int image_range_ok(uint64_t off, uint64_t len, uint64_t size);
/* Whether a fixed-size char array holds a NUL-terminated string. */
int image_chars_ok(const char *s, size_t size);
/* PROC's own consistency: its strings end inside their arrays, the auxv
 * fits.  0 or IMAGE_EMALFORMED. */
int image_proc_check(const struct ckpt_proc *p);

struct stat;
/*
 * Whether the file now at a region's path is the one that was mapped.  A
 * private mapping needs the very same contents (inode, size, mtime); a
 * shared one only the same inode, since the program writes it.
 */
int image_region_file_matches(const struct ckpt_region *r,
			      const struct stat *st);

/*
 * An incremental image's PARENT into p: 0, 1 when the image is a full one
 * (no PARENT), or an error (IMAGE_EMALFORMED: a size, path or depth out of
 * shape).
 */
int image_read_parent(struct image_reader *r, struct ckpt_parent *p);
/*
 * INHERIT's extents: page ranges in increasing order, disjoint, each
 * inside one private region marked CKPT_REGF_INHERITS.  0 or
 * IMAGE_EMALFORMED.
 */
int image_extents_check(const struct ckpt_extent *e, uint64_t n,
			const struct ckpt_region *regions, uint64_t nregions);
/* a ∩ b into out (room for na + nb); returns the count.  Both checked. */
uint64_t image_extents_and(const struct ckpt_extent *a, uint64_t na,
			   const struct ckpt_extent *b, uint64_t nb,
			   struct ckpt_extent *out);
/* The first extent ending after addr (n when none). */
uint64_t image_extents_find(const struct ckpt_extent *e, uint64_t n,
			    uint64_t addr);

/* "IMAGE.GENERATION", the name a parent image keeps beside IMAGE (0, or
 * -1 when it does not fit). */
int image_link_path(char *out, size_t size, const char *image,
		    uint64_t generation);

const char *image_strerror(int err);
const char *image_section_name(uint32_t type);

#endif
