/*
 * Image chains (chain.h).  IMAGE is always the newest complete image.  When
 * an incremental image is written, its parent (IMAGE as it is) gets a
 * second name, IMAGE.GENERATION, by a hard link made before the new image
 * can replace IMAGE; the new image names that path.  A full image, once in
 * place, removes the names of the chain it replaces.  Only names ckpt makes
 * from IMAGE are ever removed, never a path read from a file.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include "chain.h"
#include "core.h"
#include "journal.h"
#include "str.h"
#include "sys.h"

#define CHAIN_MAX 4096 /* links followed at most */

static struct {
	int incremental;
	char link[CKPT_PATH_MAX]; /* made by this image, or "" */
	uint64_t prune[CHAIN_MAX]; /* generations whose names go */
	uint32_t nprune;
} ch;

int chain_incremental(void) { return ch.incremental; }

/* The image at path opened and checked; its PARENT into *p (*has_parent
 * 0 when it has none) and, when proc is given, its PROC.  0 or an error. */
static int image_look(const char *path, struct image_reader *r,
		      struct ckpt_parent *p, int *has_parent,
		      struct ckpt_proc *proc)
{
	long fd = sys_open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC, 0);
	int rc;

	if (fd < 0)
		return (int)fd;
	rc = image_reader_open(r, (int)fd);
	if (!rc) {
		rc = image_read_parent(r, p);
		*has_parent = rc == 0;
		rc = rc == 1 ? 0 : rc;
	}
	if (!rc && proc)
		rc = image_read_section(r, CKPT_SEC_PROC, proc, sizeof(*proc),
					NULL);
	sys_close((int)fd);
	return rc;
}

/* The generations of IMAGE's chain, IMAGE's own first: their names go
 * once a full image has replaced it. */
static void prune_collect(void)
{
	static struct ckpt_parent p;
	struct image_reader r;
	char path[CKPT_PATH_MAX];
	int has = 0;

	ch.nprune = 0;
	if (image_look(ckpt_cfg.image, &r, &p, &has, NULL))
		return;
	ch.prune[ch.nprune++] = r.hdr.generation;
	while (has && ch.nprune < CHAIN_MAX) {
		ch.prune[ch.nprune++] = p.generation;
		if (image_link_path(path, sizeof(path), ckpt_cfg.image,
				    p.generation) ||
		    image_look(path, &r, &p, &has, NULL))
			return;
	}
}

/* IMAGE.GEN as a second name of IMAGE: made, or found so already. */
static int link_make(const char *link)
{
	struct stat a, b;
	long rc = sys_link(ckpt_cfg.image, link);

	if (rc == -EEXIST) {
		if (sys_stat(ckpt_cfg.image, &a) == 0 && sys_stat(link, &b) == 0 &&
		    a.st_dev == b.st_dev && a.st_ino == b.st_ino)
			return 0;
		sys_unlink(link);
		rc = sys_link(ckpt_cfg.image, link);
	}
	if (!rc)
		memcpy(ch.link, link, strlen(link) + 1);
	return (int)rc;
}

/* The parent's identity, if IMAGE is image parent_gen of this run and
 * its chain has room for one more. */
static int parent_take(uint64_t parent_gen, struct ckpt_parent *out)
{
	static struct ckpt_parent pp;
	static struct ckpt_proc proc;
	struct image_reader r;
	int has = 0;

	if (image_look(ckpt_cfg.image, &r, &pp, &has, &proc) ||
	    r.hdr.generation != parent_gen ||
	    (has && pp.depth + 1 >= ckpt_cfg.full_every) ||
	    memcmp(proc.journal_key, journal_key_get(),
		   sizeof(proc.journal_key)))
		return -1;
	memset(out, 0, sizeof(*out));
	out->generation = r.hdr.generation;
	out->created_ns = r.hdr.created_ns;
	out->file_size = r.hdr.file_size;
	out->header_crc = r.hdr.header_crc;
	out->depth = has ? pp.depth + 1 : 1;
	if (image_link_path(out->path, sizeof(out->path), ckpt_cfg.image,
			    parent_gen))
		return -1;
	return link_make(out->path) ? -1 : 0;
}

int chain_begin(struct image_writer *w, uint64_t parent_gen)
{
	static struct ckpt_parent p;

	ch.incremental = 0;
	ch.link[0] = 0;
	ch.nprune = 0;
	if (parent_gen && ckpt_cfg.full_every > 1 &&
	    parent_take(parent_gen, &p) == 0) {
		ch.incremental = 1;
		w->hdr.parent_generation = parent_gen;
		image_section_begin(w, CKPT_SEC_PARENT);
		image_section_write(w, &p, sizeof(p));
		image_section_end(w, 0);
		return 1;
	}
	prune_collect();
	return 0;
}

void chain_end(int placed, int durable)
{
	char path[CKPT_PATH_MAX];

	if (!placed && ch.link[0])
		sys_unlink(ch.link);
	if (!durable)
		return;
	for (uint32_t i = 0; i < ch.nprune; i++)
		if (!image_link_path(path, sizeof(path), ckpt_cfg.image,
				     ch.prune[i]))
			sys_unlink(path);
}
