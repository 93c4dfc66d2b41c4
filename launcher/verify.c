#include "verify.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config.h"
#include "procfs.h"

static int __attribute__((format(printf, 2, 3)))
refuse(struct verify *v, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(v->msg, sizeof(v->msg), fmt, ap);
	va_end(ap);
	return -1;
}

static int refuse_image(struct verify *v, struct image_reader *r, int rc)
{
	if (rc == IMAGE_EIO)
		return refuse(v, "read error: %s", strerror(-r->sys_err));
	return refuse(v, "%s", image_strerror(rc));
}

static int verify_checksums(struct image_reader *r, struct verify *v)
{
	size_t size = 1 << 20;
	void *buf = malloc(size);
	int rc = 0;

	if (!buf)
		return refuse(v, "out of memory");
	for (uint32_t i = 0; i < r->hdr.nsections && !rc; i++) {
		rc = image_verify_section(r, &r->table[i], buf, size);
		if (rc == IMAGE_ESECTION)
			refuse(v, "the %s section is damaged (checksum mismatch)",
			       image_section_name(r->table[i].type));
		else if (rc)
			refuse_image(v, r, rc);
	}
	free(buf);
	return rc ? -1 : 0;
}

/* A whole section in memory, NUL-terminated one byte past its end. */
struct loaded {
	char *body;
	const struct ckpt_section *sec;
	struct image_table t;
};

static int load(struct image_reader *r, struct verify *v, uint32_t type,
		size_t head, size_t elem, struct loaded *l)
{
	uint64_t count;
	int rc;

	l->sec = image_find(r, type);
	if (!l->sec)
		return refuse(v, "the %s section is missing",
			      image_section_name(type));
	if (l->sec->size > (1ull << 30))
		return refuse(v, "the %s section is implausibly large",
			      image_section_name(type));
	l->body = malloc(l->sec->size + 1);
	if (!l->body)
		return refuse(v, "out of memory");
	rc = image_read_section(r, type, l->body, l->sec->size, NULL);
	if (rc)
		return refuse_image(v, r, rc);
	l->body[l->sec->size] = 0;
	count = elem ? l->sec->count : 0;
	if (image_table_init(&l->t, l->body, l->sec->size, head, count, elem))
		return refuse(v, "the %s section is malformed: %llu entries do "
			      "not fit in it", image_section_name(type),
			      (unsigned long long)l->sec->count);
	return 0;
}

static void unload(struct loaded *l)
{
	free(l->body);
	l->body = NULL;
}

static int verify_proc(struct image_reader *r, struct verify *v)
{
	struct loaded l = { 0 };
	int rc = load(r, v, CKPT_SEC_PROC, 0, 0, &l);

	if (rc)
		goto out;
	rc = -1;
	if (l.sec->size != sizeof(v->proc)) {
		refuse(v, "the process section has the wrong size");
		goto out;
	}
	memcpy(&v->proc, l.body, sizeof(v->proc));
	if (image_proc_check(&v->proc)) {
		refuse(v, "the process section is malformed");
		goto out;
	}
	if (v->proc.uid != v->uid) {
		refuse(v, "it was written by user %u; only that user can resume "
		       "it", v->proc.uid);
		goto out;
	}
	rc = 0;
out:
	unload(&l);
	return rc;
}

static int maps_of_self(char **text, long *len)
{
	size_t size = 1 << 16;

	for (;;) {
		char *buf = malloc(size);
		long n = buf ? proc_read_file("/proc/self/maps", buf, size) : -1;

		if (n >= 0 && (size_t)n + 1 < size) {
			*text = buf;
			*len = n;
			return 0;
		}
		free(buf);
		if (n < 0 || size > (1u << 28))
			return -1;
		size *= 4;
	}
}

static int verify_host(struct verify *v)
{
	struct ckpt_vdso_area here[CKPT_VDSO_AREAS];
	char *maps;
	long n;

	if (maps_of_self(&maps, &n))
		return refuse(v, "cannot read /proc/self/maps");
	vdso_areas_find(maps, (size_t)n, here);
	free(maps);
	if (!vdso_layout_equal(v->proc.vdso, here))
		return refuse(v, "the kernel's vDSO layout differs from the one "
			      "the image was made on; resume it on the same "
			      "kernel");
	return 0;
}

static int verify_regions(struct verify *v, const struct image_table *t)
{
	for (uint64_t i = 0; i < t->count; i++) {
		const struct ckpt_region *g = image_table_entry(t, i);
		const char *path = image_table_string(t, g->path_off);
		struct stat st;

		if (g->start >= g->end || g->start % CKPT_PAGE_SIZE ||
		    g->end % CKPT_PAGE_SIZE)
			return refuse(v, "memory region %llu is malformed",
				      (unsigned long long)i);
		if (!(g->flags & CKPT_REGF_FILE))
			continue;
		if (!path)
			return refuse(v, "memory region %llu names no file "
				      "inside its section", (unsigned long long)i);
		if (stat(path, &st))
			return refuse(v, "the mapped file %s is gone: %s", path,
				      strerror(errno));
		if (!image_region_file_matches(g, &st))
			return refuse(v, "the mapped file %s changed since the "
				      "checkpoint (its inode, size or "
				      "modification time differ)", path);
	}
	return 0;
}

/* Each descriptor's path, data range and dup reference lie inside the
 * image. */
static int verify_fd_structure(struct verify *v, const struct image_table *t,
			       uint64_t data_size)
{
	for (uint64_t i = 0; i < t->count; i++) {
		const struct ckpt_fd *f = image_table_entry(t, i);

		if (!image_table_string(t, f->path_off))
			return refuse(v, "descriptor entry %llu names no path "
				      "inside its section", (unsigned long long)i);
		if ((f->flags & CKPT_FDF_DATA) &&
		    !image_range_ok(f->data_off, f->data_len, data_size))
			return refuse(v, "the data of descriptor %d lies outside "
				      "the file data section", f->fd);
		if (f->dup_of < -1 || (f->dup_of >= 0 && f->dup_of >= f->fd))
			return refuse(v, "descriptor %d shares a description with "
				      "an impossible one", f->fd);
	}
	return 0;
}

static int written_by_program(const struct image_table *t,
			      const struct ckpt_fd *f)
{
	for (uint64_t j = 0; j < t->count; j++) {
		const struct ckpt_fd *o = image_table_entry(t, j);

		if ((o->flags & CKPT_FDF_OUTPUT) && o->ino == f->ino &&
		    o->dev == f->dev)
			return 1;
	}
	return 0;
}

/*
 * Files the program only read must be as they were: a changed input would
 * silently give another result.  Files it wrote are put back by the
 * restore, so only their being gone matters.
 */
static int verify_inputs(struct verify *v, const struct image_table *t)
{
	for (uint64_t i = 0; i < t->count; i++) {
		const struct ckpt_fd *f = image_table_entry(t, i);
		const char *path = image_table_string(t, f->path_off);
		struct stat st;

		/* Open for writing but not by the program (inherited: a test
		 * harness's log, say): someone else writes it, not an input. */
		if (f->kind != CKPT_FD_REGULAR || f->dup_of >= 0 ||
		    (f->open_flags & O_ACCMODE) != O_RDONLY ||
		    (f->flags & (CKPT_FDF_DELETED | CKPT_FDF_OUTPUT)) ||
		    written_by_program(t, f))
			continue;
		if (stat(path, &st))
			return refuse(v, "the input file %s is gone: %s", path,
				      strerror(errno));
		if (v->allow_changed)
			continue;
		if (st.st_ino != f->ino || st.st_dev != f->dev ||
		    (uint64_t)st.st_size != f->size ||
		    st.st_mtim.tv_sec != f->mtime_sec ||
		    st.st_mtim.tv_nsec != f->mtime_nsec)
			return refuse(v, "the input file %s changed since the "
				      "checkpoint (its inode, size or "
				      "modification time differ); "
				      "--allow-changed-inputs resumes anyway",
				      path);
	}
	return 0;
}

static int verify_chunks(struct image_reader *r, struct verify *v,
			 const struct image_table *regions)
{
	const struct ckpt_section *s = image_find(r, CKPT_SEC_PAGES);
	uint64_t off, end;

	if (!s)
		return refuse(v, "the page data section is missing");
	end = s->offset + s->size;
	for (off = s->offset; off < end;) {
		struct ckpt_chunk c;
		uint64_t data_at;
		int rc = image_pread(r, &c, sizeof(c), off);

		if (rc)
			return refuse_image(v, r, rc);
		data_at = off + sizeof(c) + c.pad;
		rc = c.pad >= CKPT_PAGE_SIZE
			     ? IMAGE_ECHUNK
			     : image_chunk_check(&c, (const struct ckpt_region *)
						     regions->body,
						 regions->count, data_at, end,
						 CKPT_CHUNK_MAX_DATA);
		if (rc == IMAGE_ECODEC)
			return refuse(v, "a page chunk at offset %llu is stored "
				      "with codec %u, which this version of ckpt "
				      "does not know (it reads none, zlib, zstd "
				      "and lz4)", (unsigned long long)off,
				      c.codec);
		if (rc)
			return refuse(v, "page data is damaged at offset %llu",
				      (unsigned long long)off);
		off = data_at + c.data_len;
	}
	return 0;
}

/* A fixed header whose count field says how many entries follow. */
static int counted_fits(const struct loaded *l, size_t head, size_t count_at,
			size_t elem)
{
	struct image_table t;

	return l->body && !image_table_counted(&t, l->body, l->sec->size, head,
					       count_at, elem);
}

/* The small fixed-layout sections: their counts fit their sizes. */
static int verify_small(struct image_reader *r, struct verify *v)
{
	struct loaded sig = { 0 }, tim = { 0 }, thr = { 0 };
	int rc = -1;

	if (load(r, v, CKPT_SEC_SIGNALS, 0, 0, &sig) ||
	    load(r, v, CKPT_SEC_TIMERS, 0, 0, &tim) ||
	    load(r, v, CKPT_SEC_THREADS, 0, sizeof(struct ckpt_thread), &thr))
		goto out;
	if (!counted_fits(&sig, sizeof(struct ckpt_signals),
			  offsetof(struct ckpt_signals, npending),
			  sizeof(struct ckpt_siginfo)))
		refuse(v, "the signals section is malformed");
	else if (!counted_fits(&tim, sizeof(struct ckpt_timers),
			       offsetof(struct ckpt_timers, ntimers),
			       sizeof(struct ckpt_posix_timer)))
		refuse(v, "the timers section is malformed");
	else if (!thr.t.count)
		refuse(v, "the threads section lists no thread");
	else if (!ckpt_signal_usable(v->signal = (int)((const struct
			ckpt_signals *)sig.body)->ckpt_signal))
		refuse(v, "the checkpoint signal %d is not one ckpt uses",
		       v->signal);
	else
		rc = 0;
out:
	unload(&sig);
	unload(&tim);
	unload(&thr);
	return rc;
}

/* System V IPC (lib/ipc.c), when the image has any: the entries fit, and
 * each object's data lies inside the bytes after them. */
static int verify_ipc(struct image_reader *r, struct verify *v)
{
	struct loaded l = { 0 };
	struct image_table t;
	int rc = 0;

	if (!image_find(r, CKPT_SEC_IPC))
		return 0;
	rc = load(r, v, CKPT_SEC_IPC, 0, 0, &l);
	if (rc)
		goto out;
	rc = image_table_counted(&t, l.body, l.sec->size, sizeof(struct ckpt_ipc),
				 offsetof(struct ckpt_ipc, nobjs),
				 sizeof(struct ckpt_ipc_obj));
	for (uint64_t i = 0; !rc && i < t.count; i++) {
		const struct ckpt_ipc_obj *o = image_table_entry(&t, i);

		if (!image_range_ok(o->data_off, o->data_len, t.tail_len))
			rc = -1;
	}
	if (rc)
		rc = refuse(v, "the System V IPC section is malformed");
out:
	unload(&l);
	return rc;
}

/* INHERIT, when present: its extents in order inside regions that say
 * so, and a PARENT to take them from. */
static int verify_inherit(struct image_reader *r, struct verify *v,
			  const struct image_table *regions)
{
	struct loaded l = { 0 };
	struct ckpt_parent p;
	int rc = image_read_parent(r, &p);

	if (rc < 0)
		return refuse(v, "the parent section is malformed");
	if (!image_find(r, CKPT_SEC_INHERIT))
		return 0;
	if (rc == 1)
		return refuse(v, "it inherits pages but names no parent image");
	rc = load(r, v, CKPT_SEC_INHERIT, 0, sizeof(struct ckpt_extent), &l);
	if (!rc && image_extents_check((const struct ckpt_extent *)l.body,
				       l.t.count,
				       (const struct ckpt_region *)regions->body,
				       regions->count))
		rc = refuse(v, "the inherited pages section is malformed");
	unload(&l);
	return rc;
}

int verify_parent(struct image_reader *r, struct verify *v)
{
	struct loaded regions = { 0 };
	int rc = -1;

	if (verify_checksums(r, v) || verify_proc(r, v))
		return -1;
	if (!load(r, v, CKPT_SEC_REGIONS, 0, sizeof(struct ckpt_region),
		  &regions) &&
	    !verify_chunks(r, v, &regions.t) &&
	    !verify_inherit(r, v, &regions.t))
		rc = 0;
	unload(&regions);
	return rc;
}

int verify_image(struct image_reader *r, struct verify *v)
{
	struct loaded regions = { 0 }, fds = { 0 };
	const struct ckpt_section *data = image_find(r, CKPT_SEC_FILEDATA);
	int rc = -1;

	if (verify_checksums(r, v) || verify_proc(r, v) || verify_small(r, v) ||
	    verify_ipc(r, v))
		return -1;
	if (!data) {
		refuse(v, "the file data section is missing");
		goto out;
	}
	if (load(r, v, CKPT_SEC_REGIONS, 0, sizeof(struct ckpt_region),
		 &regions) ||
	    load(r, v, CKPT_SEC_FILES, 0, sizeof(struct ckpt_fd), &fds) ||
	    verify_fd_structure(v, &fds.t, data->size) || verify_host(v) ||
	    verify_regions(v, &regions.t) || verify_inputs(v, &fds.t) ||
	    verify_chunks(r, v, &regions.t) || verify_inherit(r, v, &regions.t))
		goto out;
	rc = 0;
out:
	unload(&regions);
	unload(&fds);
	return rc;
}
