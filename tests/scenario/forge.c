/*
 * ckpt-forge IMAGE OUT WHAT VALUE: copy IMAGE to OUT with one field set to
 * VALUE and every checksum recomputed, as an attacker who can write an
 * image would.  The security tests check that each forgery is refused
 * cleanly.  WHAT:
 *   uid              the user recorded in PROC
 *   region-path      path_off of the first file-backed region
 *   fd-path          path_off of the first descriptor entry
 *   fd-data          data_off of the first descriptor with saved data
 *   count-regions, count-files, count-threads   a section's entry count
 *   npending, ntimers  the counts inside SIGNALS and TIMERS
 *   exe-unterminated   PROC's executable path without its NUL
 *   damage-pages       not a forgery but damage: the byte in the middle
 *                      of PAGES inverted, no checksum recomputed (VALUE
 *                      unused)
 */
#include <fcntl.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "ckpt_image.h"
#include "image.h"

static char *data;
static size_t size;

static void die(const char *what)
{
	fprintf(stderr, "ckpt-forge: %s\n", what);
	exit(2);
}

static struct ckpt_header *hdr(void) { return (struct ckpt_header *)data; }

static struct ckpt_section *section(uint32_t type)
{
	struct ckpt_section *t = (struct ckpt_section *)(data + sizeof(*hdr()));

	for (uint32_t i = 0; i < hdr()->nsections; i++)
		if (t[i].type == type)
			return &t[i];
	die("no such section");
	return NULL;
}

static void *body(uint32_t type) { return data + section(type)->offset; }

/* The same sums lib/image.c writes: each section's body, then header and
 * table with the header's own field taken as 0. */
static void checksums_fix(void)
{
	struct ckpt_section *t = (struct ckpt_section *)(data + sizeof(*hdr()));

	for (uint32_t i = 0; i < hdr()->nsections; i++)
		t[i].crc = (uint32_t)crc32(0, (const Bytef *)data + t[i].offset,
					   (uInt)t[i].size);
	hdr()->header_crc = 0;
	hdr()->header_crc = (uint32_t)crc32(
		0, (const Bytef *)data,
		(uInt)(sizeof(*hdr()) + hdr()->nsections * sizeof(*t)));
}

static void forge(const char *what, uint64_t v)
{
	struct ckpt_region *g = body(CKPT_SEC_REGIONS);
	struct ckpt_fd *f = body(CKPT_SEC_FILES);
	struct ckpt_proc *p = body(CKPT_SEC_PROC);

	if (!strcmp(what, "uid")) {
		p->uid = (uint32_t)v;
	} else if (!strcmp(what, "region-path")) {
		while (!(g->flags & CKPT_REGF_FILE))
			g++;
		g->path_off = (uint32_t)v;
	} else if (!strcmp(what, "fd-path")) {
		f->path_off = (uint32_t)v;
	} else if (!strcmp(what, "fd-data")) {
		f->flags |= CKPT_FDF_DATA;
		f->data_off = v;
		f->data_len = 16;
	} else if (!strcmp(what, "count-regions")) {
		section(CKPT_SEC_REGIONS)->count = v;
	} else if (!strcmp(what, "count-files")) {
		section(CKPT_SEC_FILES)->count = v;
	} else if (!strcmp(what, "count-threads")) {
		section(CKPT_SEC_THREADS)->count = v;
	} else if (!strcmp(what, "npending")) {
		((struct ckpt_signals *)body(CKPT_SEC_SIGNALS))->npending =
			(uint32_t)v;
	} else if (!strcmp(what, "ntimers")) {
		((struct ckpt_timers *)body(CKPT_SEC_TIMERS))->ntimers =
			(uint32_t)v;
	} else if (!strcmp(what, "chunk-codec")) {
		/* The first page chunk's codec: the format's own sums stay
		 * right, only the codec check can stop it. */
		((struct ckpt_chunk *)body(CKPT_SEC_PAGES))->codec = (uint32_t)v;
	} else if (!strcmp(what, "exe-unterminated")) {
		memset(p->exe, 'a', sizeof(p->exe));
	} else {
		die("unknown field");
	}
}

int main(int argc, char **argv)
{
	FILE *in, *out;
	long len;

	if (argc != 5)
		die("usage: ckpt-forge IMAGE OUT WHAT VALUE");
	in = fopen(argv[1], "rb");
	if (!in || fseek(in, 0, SEEK_END) || (len = ftell(in)) < 4096)
		die("cannot read the image");
	size = (size_t)len;
	data = malloc(size);
	rewind(in);
	if (!data || fread(data, 1, size, in) != size)
		die("cannot read the image");
	fclose(in);
	if (!strcmp(argv[3], "damage-pages")) {
		struct ckpt_section *s = section(CKPT_SEC_PAGES);

		if (!s->size || s->offset + s->size > size)
			die("no page data to damage");
		data[s->offset + s->size / 2] ^= (char)0xff;
	} else {
		forge(argv[3], strtoull(argv[4], NULL, 0));
		checksums_fix();
	}
	out = fopen(argv[2], "wb");
	if (!out || fwrite(data, 1, size, out) != size || fclose(out))
		die("cannot write the forgery");
	chmod(argv[2], 0600);
	return 0;
}
