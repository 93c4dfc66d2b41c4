/*
 * File descriptors.  /proc/self/fd and fdinfo are the ground truth (they see
 * what libc opened internally and what the shell passed in); the interposed
 * calls add what /proc cannot say, such as which descriptor a dup came from
 * when kcmp is unavailable.  Each kind of descriptor is captured and
 * recreated by its own operations (fdkinds.h, lib/fd_*.c).
 *
 * Exactly-once output: every regular file open for writing has its size
 * recorded and, up to CKPT_FILE_SAVE_MAX bytes, its contents saved; at
 * resume it is put back as it was at the checkpoint before the program
 * writes again, so what it wrote after the checkpoint is written once.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include "core.h"
#include "fdkinds.h"
#include "journal.h"
#include "procfs.h"
#include "str.h"
#include "sys.h"
#include "undo.h"
#include "written.h"

#define KCMP_FILE 0
#define MAX_FDS 65536

static int warned_once;

struct fd_list {
	int *out;
	int n, max, skip;
};

static void fd_list_add(int fd, int dirfd, void *arg)
{
	struct fd_list *l = arg;

	if (fd != dirfd && fd != l->skip && l->n < l->max)
		l->out[l->n++] = fd;
}

static int fd_numbers(int *out, int max, int skip)
{
	struct fd_list l = { out, 0, max, skip };
	int rc = proc_list_numbers("/proc/thread-self/fd", fd_list_add, &l);

	return rc ? rc : l.n;
}

static int32_t fd_dup_source(const struct fd_scan *s, const struct ckpt_fd *f)
{
	const struct fd_track *t = fd_track_get(f->fd);
	long pid = sys_gettid(); /* the leader may be gone: ask as this thread */

	for (uint32_t i = 0; i < s->n; i++) {
		const struct ckpt_fd *o = &s->fds[i];
		long same;

		if (o->dev != f->dev || o->ino != f->ino || o->dup_of >= 0)
			continue;
		same = sys_kcmp((int)pid, (int)pid, KCMP_FILE, o->fd, f->fd);
		if (same == 0)
			return o->fd;
		if (same < 0 && t && t->known && t->dup_of == o->fd)
			return o->fd;
	}
	return -1;
}

static void fd_identity(struct ckpt_fd *f, const struct stat *st)
{
	f->dev = st->st_dev;
	f->ino = st->st_ino;
	f->size = (uint64_t)st->st_size;
	f->mode = st->st_mode;
	f->mtime_sec = st->st_mtim.tv_sec;
	f->mtime_nsec = st->st_mtim.tv_nsec;
}

static int path_store(struct fd_scan *s, struct ckpt_fd *f, int fd)
{
	char proc[64];
	size_t room = s->strings_max - s->strings_len - 1;
	long len = sys_readlink(proc_path_n(proc, sizeof(proc),
					    "/proc/thread-self/fd/", (uint64_t)fd),
				s->strings + s->strings_len, room);

	if (len < 0 || (size_t)len >= room)
		return len < 0 ? (int)len : -ENOMEM;
	f->path_off = (uint32_t)s->strings_len;
	s->strings[s->strings_len + (size_t)len] = 0;
	s->strings_len += (size_t)len + 1;
	return 0;
}

static int fd_capture(struct fd_scan *s, int fd)
{
	struct ckpt_fd *f = &s->fds[s->n];
	char proc[64];
	struct fdinfo info;
	struct stat st = { 0 };
	long len;

	memset(f, 0, sizeof(*f));
	f->fd = fd;
	f->dup_of = -1;
	if (sys_fstat(fd, &st) < 0 || path_store(s, f, fd) < 0)
		return 0; /* closed meanwhile */
	len = proc_read_file(proc_path_n(proc, sizeof(proc),
					 "/proc/thread-self/fdinfo/", (uint64_t)fd),
			     s->info, FDINFO_MAX);
	if (len < 0 || fdinfo_parse(s->info, (size_t)len, &info))
		return 0;
	f->open_flags = info.flags;
	f->pos = info.pos;
	fd_identity(f, &st);
	if (sys_fcntl(fd, F_GETFD, 0) & FD_CLOEXEC)
		f->flags |= CKPT_FDF_CLOEXEC;
	f->kind = fd_kind_of(fd, &st, s->strings + f->path_off);
	/* An fdinfo that filled the buffer was cut (an epoll set of some
	 * 15,000 targets): such a descriptor is warned about, not restored
	 * wrong. */
	if ((size_t)len + 1 >= FDINFO_MAX)
		f->kind = CKPT_FD_OTHER;
	if (f->kind == CKPT_FD_REGULAR && st.st_nlink == 0)
		f->flags |= CKPT_FDF_DELETED;
	f->dup_of = fd_dup_source(s, f);
	s->n++;
	if (f->dup_of >= 0)
		return 0;
	return fd_kind_capture(s, f, (size_t)len);
}

/* Files the program wrote and closed again (journal.c keeps the list):
 * entries without a descriptor, so that they too come back as they were. */
static int closed_outputs_capture(struct fd_scan *s)
{
	const struct output_file *o;
	uint32_t n = output_files(&o);
	int rc = 0;

	for (uint32_t i = 0; i < n && !rc && s->n < MAX_FDS; i++) {
		struct ckpt_fd *f = &s->fds[s->n];
		struct stat st = { 0 };
		int open_now = 0;
		size_t len = str_len(o[i].path);

		for (uint32_t j = 0; j < s->n && !open_now; j++)
			open_now = s->fds[j].dev == o[i].dev &&
				   s->fds[j].ino == o[i].ino;
		if (open_now || sys_stat(o[i].path, &st) < 0 ||
		    !S_ISREG(st.st_mode) || st.st_dev != o[i].dev ||
		    st.st_ino != o[i].ino ||
		    len + 1 > s->strings_max - s->strings_len)
			continue;
		memset(f, 0, sizeof(*f));
		f->fd = -1;
		f->dup_of = -1;
		f->kind = CKPT_FD_REGULAR;
		f->open_flags = O_WRONLY;
		f->path_off = (uint32_t)s->strings_len;
		str_add(s->strings + s->strings_len, s->strings + s->strings_max,
			o[i].path);
		s->strings_len += len + 1;
		fd_identity(f, &st);
		s->n++;
		rc = fd_output_capture(s, f);
	}
	return rc;
}

static void warn_unsupported(const struct fd_scan *s)
{
	char num[16];

	if (warned_once)
		return;
	warned_once = 1;
	for (uint32_t i = 0; i < s->n; i++) {
		const struct ckpt_fd *f = &s->fds[i];
		const char *path = s->strings + f->path_off;

		if (f->fd < 0 || f->dup_of >= 0 ||
		    fd_std_stream_inherited(f, path, 0) ||
		    fd_restorable(s->fds, s->n, f))
			continue;
		str_add_u64(num, num + sizeof(num), (uint64_t)f->fd);
		say(2, "warning: descriptor ", num, " (", path,
		    ") cannot be restored at resume");
	}
}

/* The undo log's view of this checkpoint: which outputs it must guard,
 * those whose contents the image does not hold. */
static void outputs_note(const struct fd_scan *s)
{
	for (uint32_t i = 0; i < s->n; i++) {
		const struct ckpt_fd *f = &s->fds[i];

		if (f->flags & CKPT_FDF_OUTPUT)
			undo_base(f->dev, f->ino, f->size,
				  s->strings + f->path_off,
				  f->size <= ckpt_cfg.file_save_max);
	}
}

static int files_capture(struct image_writer *w, const struct capture *c)
{
	struct fd_scan s = { .w = w };
	int *numbers = arena_alloc(MAX_FDS * sizeof(int));
	int count, rc = 0;

	s.fds = arena_alloc(MAX_FDS * sizeof(*s.fds));
	s.strings_max = 4u << 20;
	s.strings = arena_alloc(s.strings_max);
	s.info = arena_alloc(FDINFO_MAX);
	s.buf_size = 1u << 20;
	s.buf = arena_alloc(s.buf_size);
	if (!numbers || !s.fds || !s.strings || !s.info || !s.buf)
		return -ENOMEM;
	count = fd_numbers(numbers, MAX_FDS, written_fd());
	if (count < 0)
		return count;
	image_section_begin(w, CKPT_SEC_FILEDATA);
	for (int i = 0; i < count && !rc; i++)
		rc = fd_capture(&s, numbers[i]);
	if (!rc)
		rc = fd_kinds_capture_all(&s);
	if (!rc)
		rc = closed_outputs_capture(&s);
	image_section_end(w, 0);
	if (rc)
		return rc;
	warn_unsupported(&s);
	outputs_note(&s);
	undo_capture_end(c);
	image_section_begin(w, CKPT_SEC_FILES);
	image_section_write(w, s.fds, s.n * sizeof(*s.fds));
	image_section_write(w, s.strings, s.strings_len);
	image_section_end(w, s.n);
	return w->err;
}

/* --- resume ------------------------------------------------------------- */

/* Close what the resuming process brought along that the program did not
 * have, keeping the inherited standard streams, the image and the
 * bootstrap's userfaultfd. */
static void fds_close_foreign(int image_fd)
{
	int *numbers = arena_alloc(MAX_FDS * sizeof(int));
	int count = numbers ? fd_numbers(numbers, MAX_FDS, image_fd) : 0;

	for (int i = 0; i < count; i++)
		if (numbers[i] > 2 && numbers[i] != written_fd())
			sys_close(numbers[i]);
}

/* An entry's dup_of: a lower descriptor of an earlier entry that is not a
 * dup itself (how fd_dup_source chose it), so dup2 never copies the image
 * or anything else that is not the program's. */
static int dup_source_ok(const struct image_table *t, uint64_t i)
{
	const struct ckpt_fd *f = image_table_entry(t, i);

	if (f->fd < 0 || f->dup_of >= f->fd)
		return 0;
	for (uint64_t j = 0; j < i; j++) {
		const struct ckpt_fd *o = image_table_entry(t, j);

		if (o->fd == f->dup_of && o->dup_of < 0)
			return 1;
	}
	return 0;
}

/* Everything the restore takes from entry i as an offset, a length or an
 * index, checked before any descriptor is touched: a forged entry fails
 * the whole restore rather than reaching outside its sections. */
static int fd_entry_check(const struct fd_restore *x,
			  const struct image_table *t, uint64_t i)
{
	const struct ckpt_fd *f = image_table_entry(t, i);

	if (!image_table_string(t, f->path_off) ||
	    !image_range_ok(f->data_off, f->data_len, x->data->size) ||
	    f->fd < -1 || f->fd == INT32_MAX /* image_fd_move's top + 1 */ ||
	    (f->dup_of >= 0 && !dup_source_ok(t, i)) ||
	    (f->kind == CKPT_FD_EPOLL &&
	     f->data_len % sizeof(struct ckpt_epoll_target)))
		return IMAGE_EMALFORMED;
	return 0;
}

static int files_load(struct fd_restore *x, struct image_reader *r)
{
	const struct ckpt_section *sec = image_find(r, CKPT_SEC_FILES);
	struct image_table t = { 0 };
	void *buf;
	int rc;

	x->data = image_find(r, CKPT_SEC_FILEDATA);
	if (!sec || !x->data)
		return IMAGE_ENOSECTION;
	buf = arena_alloc(sec->size);
	x->buf_size = 1u << 20;
	x->buf = arena_alloc(x->buf_size);
	if (!buf || !x->buf)
		return -ENOMEM;
	rc = image_read_section(r, CKPT_SEC_FILES, buf, sec->size, NULL);
	if (!rc)
		rc = image_table_init(&t, buf, sec->size, 0, sec->count,
				      sizeof(struct ckpt_fd));
	/* The checkpoint writes at most MAX_FDS entries. */
	if (!rc && t.count > MAX_FDS)
		rc = IMAGE_EMALFORMED;
	for (uint64_t i = 0; i < t.count && !rc; i++)
		rc = fd_entry_check(x, &t, i);
	if (rc)
		return rc;
	x->done = arena_alloc(t.count + 1);
	if (!x->done)
		return -ENOMEM;
	x->fds = buf;
	x->n = (uint32_t)t.count;
	x->table = t;
	x->r = r;
	memset(x->done, 0, x->n);
	return 0;
}

/* fd moved to top or above; the new number, or -errno. */
static long fd_move_above(int fd, int32_t top)
{
	long moved = sys_fcntl(fd, F_DUPFD_CLOEXEC, top);

	if (moved >= 0)
		sys_close(fd);
	return moved;
}

/* The image descriptor and the userfaultfd must not sit where a program's
 * file goes. */
static int image_fd_move(struct fd_restore *x)
{
	int32_t top = 2;
	long moved;

	for (uint32_t i = 0; i < x->n; i++)
		top = x->fds[i].fd > top ? x->fds[i].fd : top;
	moved = fd_move_above(x->r->fd, top + 1);
	if (moved < 0)
		return (int)moved;
	x->r->fd = (int)moved;
	ckpt_restore_info.image_fd = (int)moved;
	if (written_fd() >= 0 && written_fd() <= top) {
		moved = fd_move_above(written_fd(), top + 1);
		written_restore_fd((int)moved);
	}
	return 0;
}

static int files_restore(struct image_reader *r)
{
	struct fd_restore x = { .keep_std = ckpt_restore_info.flags };
	int rc = files_load(&x, r);

	if (!rc)
		rc = image_fd_move(&x);
	if (rc)
		return rc;
	fds_close_foreign(r->fd);
	journal_replay();
	fd_outputs_restore(&x);
	for (int pass = 0; pass < 2; pass++)
		for (uint32_t i = 0; i < x.n; i++)
			fd_kind_restore(&x, i, pass);
	return 0;
}

const struct ckpt_module ckpt_module_files = {
	.name = "files",
	.capture = files_capture,
	.restore = files_restore,
};
