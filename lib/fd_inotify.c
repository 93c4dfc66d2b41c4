/*
 * inotify descriptors.  fdinfo lists the watches (wd, inode, device,
 * mask) but not their paths: inotify_add_watch and inotify_rm_watch are
 * interposed to remember each watch's path (made absolute), and a watch
 * is saved only when that path still names the inode fdinfo shows.
 *
 * At resume the watches are added again by path, in increasing wd order,
 * into a new instance.  The kernel hands wds out increasingly (cyclic, from
 * 1), so the same numbers come back when the gaps are filled: for each
 * missing number a dummy watch is added and removed at once, and the
 * instance is then emptied of the IN_IGNORED events that makes.  The next
 * wd the program gets is the one it would have got (the highest it was
 * ever given is saved too).
 *
 * Events queued but unread at the checkpoint cannot be kept: inotify has
 * no peek, and a read would take them from the running program.  They are
 * left to the running program; a resume starts with an empty queue and
 * says how many bytes of events were lost.  Changes made between the
 * checkpoint and the resume raise no event.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "core.h"
#include "fdkinds.h"
#include "str.h"
#include "sys.h"

#define WATCH_MAX 1024
#define WD_FDS 4096 /* descriptors whose highest wd is remembered */

struct watch {
	int32_t fd, wd;
	volatile int used; /* set last: the handler reads without the lock */
	char path[CKPT_PATH_MAX];
};

static struct watch watches[WATCH_MAX];
static int32_t highest_wd[WD_FDS];
static int watch_lock;

/* --- interposed ---------------------------------------------------------- */

static void lock(void)
{
	while (__atomic_exchange_n(&watch_lock, 1, __ATOMIC_ACQUIRE))
		;
}

static void unlock(void)
{
	__atomic_store_n(&watch_lock, 0, __ATOMIC_RELEASE);
}

static struct watch *watch_find(int fd, int wd)
{
	for (int i = 0; i < WATCH_MAX; i++)
		if (watches[i].used && watches[i].fd == fd && watches[i].wd == wd)
			return &watches[i];
	return NULL;
}

static void watch_note(int fd, int wd, const char *path)
{
	struct watch *w;

	lock();
	w = watch_find(fd, wd);
	for (int i = 0; !w && i < WATCH_MAX; i++)
		if (!watches[i].used)
			w = &watches[i];
	if (w) {
		char *p = w->path, *end = w->path + sizeof(w->path);

		w->used = 0;
		__atomic_thread_fence(__ATOMIC_RELEASE);
		w->fd = fd;
		w->wd = wd;
		if (path[0] != '/' && getcwd(p, sizeof(w->path) - 1))
			p = str_add(p + str_len(p), end, "/");
		str_add(p, end, path);
		__atomic_store_n(&w->used, 1, __ATOMIC_RELEASE);
	}
	if (fd >= 0 && fd < WD_FDS && wd > highest_wd[fd])
		highest_wd[fd] = wd;
	unlock();
}

CKPT_EXPORT int inotify_add_watch(int fd, const char *path, uint32_t mask)
{
	int wd;

	REAL(inotify_add_watch);
	wd = real_inotify_add_watch(fd, path, mask);
	if (wd >= 0)
		watch_note(fd, wd, path);
	return wd;
}

CKPT_EXPORT int inotify_rm_watch(int fd, int wd)
{
	struct watch *w;

	REAL(inotify_rm_watch);
	lock();
	w = watch_find(fd, wd);
	if (w)
		w->used = 0;
	unlock();
	return real_inotify_rm_watch(fd, wd);
}

/* --- capture ------------------------------------------------------------- */

/* The kernel's s_dev as fdinfo prints it (major << 20 | minor), in
 * st_dev's encoding. */
static uint64_t dev_of_sdev(uint64_t sdev)
{
	uint64_t major = sdev >> 20, minor = sdev & 0xfffff;

	return ((major & 0xfff) << 8) | ((major & ~0xfffull) << 32) |
	       (minor & 0xff) | ((minor & ~0xffull) << 12);
}

/* "key" followed by a hex number, somewhere in [p, end). */
static int hex_after(const char *p, const char *end, const char *key,
		     uint64_t *out)
{
	size_t n = str_len(key);

	for (; p + n <= end; p++)
		if (!__builtin_memcmp(p, key, n)) {
			p += n;
			return str_parse_u64(&p, end, 16, out);
		}
	return -1;
}

/* A remembered path that names the watched inode still, noted for this
 * descriptor or else for another (a dup the program closed since). */
static const struct watch *watch_path(const struct ckpt_fd *f,
				      const struct ckpt_inotify_watch *r)
{
	const struct watch *other = NULL;

	for (int i = 0; i < WATCH_MAX; i++) {
		const struct watch *w = &watches[i];
		struct stat st;

		if (!w->used || w->wd != r->wd || sys_stat(w->path, &st) ||
		    st.st_ino != r->ino || st.st_dev != r->dev)
			continue;
		if (w->fd == f->fd)
			return w;
		other = other ? other : w;
	}
	return other;
}

static void watch_capture(struct fd_scan *s, struct ckpt_fd *f,
			  const char *line, const char *end)
{
	struct ckpt_inotify_watch r = { 0 };
	const struct watch *w;
	uint64_t wd, ino, sdev, mask;

	if (hex_after(line, end, "wd:", &wd) || hex_after(line, end, "ino:", &ino) ||
	    hex_after(line, end, "sdev:", &sdev) ||
	    hex_after(line, end, "mask:", &mask))
		return;
	r.wd = (int32_t)wd;
	r.mask = (uint32_t)mask;
	r.ino = ino;
	r.dev = dev_of_sdev(sdev);
	w = watch_path(f, &r);
	r.path_len = w ? (uint32_t)str_len(w->path) : 0;
	fd_data_add(s, f, &r, sizeof(r));
	if (w)
		fd_data_add(s, f, w->path, r.path_len);
}

static int inotify_capture(struct fd_scan *s, struct ckpt_fd *f, size_t len)
{
	const char *p = s->info, *end = s->info + len;
	int queued = 0;

	fd_data_begin(s, f);
	while (p < end) {
		const char *eol = p;

		while (eol < end && *eol != '\n')
			eol++;
		if (str_starts(p, "inotify wd:"))
			watch_capture(s, f, p, eol);
		p = eol + 1;
	}
	if (sys_ioctl(f->fd, FIONREAD, &queued) == 0 && queued > 0)
		f->aux[0] = (uint64_t)queued;
	f->aux[1] = f->fd < WD_FDS ? (uint64_t)highest_wd[f->fd] : 0;
	return s->w->err;
}

/* --- resume -------------------------------------------------------------- */

struct wlist {
	struct ckpt_inotify_watch *w;
	uint64_t *path_at; /* offset of each path in the data */
	uint32_t n;
};

/* The saved watches, sorted by wd (fdinfo lists the newest first). */
static int watches_load(struct fd_restore *x, const struct ckpt_fd *f,
			struct wlist *l)
{
	uint32_t max = (uint32_t)(f->data_len / sizeof(*l->w)) + 1;
	uint64_t off = 0;

	l->w = arena_alloc(max * sizeof(*l->w));
	l->path_at = arena_alloc(max * sizeof(*l->path_at));
	l->n = 0;
	if (!l->w || !l->path_at)
		return -ENOMEM;
	while (off < f->data_len && l->n < max) {
		struct ckpt_inotify_watch r;
		uint32_t j;

		if (fd_data_read(x, f, off, &r, sizeof(r)) ||
		    r.path_len >= CKPT_PATH_MAX ||
		    r.path_len > f->data_len - off - sizeof(r))
			return IMAGE_EMALFORMED;
		for (j = l->n; j > 0 && l->w[j - 1].wd > r.wd; j--) {
			l->w[j] = l->w[j - 1];
			l->path_at[j] = l->path_at[j - 1];
		}
		l->w[j] = r;
		l->path_at[j] = off + sizeof(r);
		l->n++;
		off += sizeof(r) + r.path_len;
	}
	return 0;
}

/* A directory none of the watches is on: dummies go there. */
static const char *dummy_path(const struct wlist *l)
{
	static const char *const candidates[] = { "/", "/tmp", "/dev", "/usr",
						  "/proc" };

	for (size_t c = 0; c < sizeof(candidates) / sizeof(*candidates); c++) {
		struct stat st;
		uint32_t i;

		if (sys_stat(candidates[c], &st))
			continue;
		for (i = 0; i < l->n; i++)
			if (l->w[i].ino == st.st_ino && l->w[i].dev == st.st_dev)
				break;
		if (i == l->n)
			return candidates[c];
	}
	return NULL;
}

/* wds up to `upto` used and given back, so the next one is upto + 1.  A
 * dummy that comes back as an older wd (its directory is watched after
 * all) is left alone: removing it would remove that watch. */
static void skip_to(int fd, int32_t *next, int32_t upto, const char *dummy)
{
	while (dummy && *next <= upto) {
		long wd = sys_inotify_add_watch(fd, dummy, IN_DELETE_SELF);

		if (wd < *next)
			return;
		sys_inotify_rm_watch(fd, (int)wd);
		*next = (int32_t)wd + 1;
	}
}

static void watch_lost(const struct ckpt_fd *f, const char *path, int32_t wd)
{
	char num[16], w[16];

	str_add_u64(num, num + sizeof(num), (uint64_t)f->fd);
	str_add_u64(w, w + sizeof(w), (uint64_t)wd);
	say(2, "warning: watch ", w, " (", path, ") of inotify descriptor ",
	    num, " is not restored: its path is unknown or names another file "
	    "now");
}

/* Watch i again; returns the wd the kernel gave, or -errno. */
static long watch_add(struct fd_restore *x, const struct ckpt_fd *f, int fd,
		      const struct wlist *l, uint32_t i)
{
	char path[CKPT_PATH_MAX];
	long wd = -ENOENT;

	if (l->w[i].path_len &&
	    !fd_data_read(x, f, l->path_at[i], path, l->w[i].path_len)) {
		path[l->w[i].path_len] = 0;
		wd = sys_inotify_add_watch(fd, path, l->w[i].mask);
	}
	if (wd != l->w[i].wd)
		watch_lost(f, l->w[i].path_len ? path : "?", l->w[i].wd);
	return wd;
}

static void events_drop(int fd, char *buf, size_t size)
{
	while (sys_read(fd, buf, size) > 0)
		;
}

static long inotify_open(struct fd_restore *x, uint32_t i, const char *path)
{
	const struct ckpt_fd *f = &x->fds[i];
	struct wlist l;
	const char *dummy;
	int32_t next = 1;
	long fd;
	int rc = watches_load(x, f, &l);

	(void)path;
	if (rc)
		return rc;
	fd = sys_inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (fd < 0)
		return fd;
	dummy = dummy_path(&l);
	for (uint32_t k = 0; k < l.n; k++) {
		skip_to((int)fd, &next, l.w[k].wd - 1, dummy);
		/* A watch that failed still takes its number, so the
		 * following ones keep theirs. */
		if (watch_add(x, f, (int)fd, &l, k) == l.w[k].wd)
			next = l.w[k].wd + 1;
		else
			skip_to((int)fd, &next, l.w[k].wd, dummy);
	}
	skip_to((int)fd, &next, (int32_t)f->aux[1], dummy);
	events_drop((int)fd, x->buf, x->buf_size);
	if (f->aux[0]) {
		char num[24];

		str_add_u64(num, num + sizeof(num), f->aux[0]);
		say(2, "warning: ", num, " bytes of inotify events unread at "
		    "the checkpoint are lost");
	}
	sys_fcntl((int)fd, F_SETFL, (long)f->open_flags);
	return fd;
}

static int match_inotify(int fd, const struct stat *st, const char *path)
{
	(void)fd;
	(void)st;
	return str_eq(path, "anon_inode:inotify");
}

const struct fd_kind_ops fd_ops_inotify = {
	.kind = CKPT_FD_INOTIFY,
	.match = match_inotify,
	.capture = inotify_capture,
	.open = inotify_open,
};
