/*
 * In-place writes undone at resume.
 *
 * The image holds the contents of output files up to CKPT_FILE_SAVE_MAX
 * and of larger ones only their size.  For those, and for files first
 * written after a checkpoint, the interposed writes (writes.c) save the
 * bytes a write is about to replace, once per 4 KiB block and checkpoint
 * interval, into the undo log IMAGE.undo beside the image.  A resume from
 * image G writes back every record of generation G or later, newest first,
 * so that each block ends as it was at G's capture; sizes are put back by
 * the files module after that.
 *
 * Ordering: a record is written and fdatasync'ed before the write it
 * protects is issued, so whatever of the write reached the disk, its record
 * did too (a new log's name is made durable before its first record).  No
 * checkpoint starts between a record and its write: the checkpoint signal
 * stays blocked from the first look at the file to the end of the write.
 *
 * Two files, since image N is finished by a writer while the program goes
 * on: at capture N, when image N-1 is complete, IMAGE.undo becomes
 * IMAGE.undo.old (records of N-1, needed until image N is); the writer
 * removes IMAGE.undo.old once image N is on disk.  Records carry their
 * generation, so one that outlived its use is passed over, not obeyed.
 *
 * The log makes the resume write into files, so it is obeyed only when it
 * is the image's own (trust.h): created O_EXCL|O_NOFOLLOW, mode 0600, its
 * first line the run's key, each record checksummed, and written back only
 * into the file (device and inode) it was taken from.
 */
#include "undo.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <zlib.h>

#include "core.h"
#include "journal.h"
#include "procfs.h"
#include "str.h"
#include "sys.h"
#include "trust.h"

#define BLOCK 4096u
#define FILES_MAX 8192
#define PATHS_MAX (2u << 20)
#define FDS_MAX 65536
#define NEVER 0x7fffffffu   /* fd_cache: nothing to undo through this fd */
#define APPENDS 0x80000000u /* fd_cache: the descriptor is O_APPEND */
#define RECORDS_MAX (4u << 20)

struct undo_file {
	uint64_t dev, ino;
	uint64_t base;     /* its size at the capture, or when first written */
	uint8_t *saved;    /* a bit per block below base: saved this interval */
	uint64_t saved_size; /* bytes mapped at saved */
	uint32_t epoch;    /* the interval base is of */
	uint32_t path_off;
	uint8_t tracked;   /* 0: the image holds its contents */
};

static struct undo_file files[FILES_MAX];
static uint32_t nfiles;
static char paths[PATHS_MAX];
static uint32_t paths_used;
/* Per descriptor: 0 not looked at, NEVER, or a files index + 1 (and
 * APPENDS); cleared by the interposed calls that change what fd is. */
static uint32_t fd_cache[FDS_MAX];
static uint32_t epoch = 1; /* +1 at each capture */
static uint64_t committed; /* the last image known to be on disk */
static uint32_t failed_epoch; /* the log could not be kept this interval */
static struct {
	uint64_t dev, ino;
	int live;
} log_file;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

/*
 * A write in progress, for the capture to see.  A write whose blocks were
 * all saved runs with the checkpoint signal open and without the lock, so
 * a checkpoint may start between its look at the bits and the write; the
 * capture then saves the range itself, in the new interval (what it reads
 * is the file as at the capture, the write done or not).  Threads past
 * WINDOWS_MAX take the blocked way every time.
 */
#define WINDOWS_MAX 256
struct undo_window {
	int active;
	int fd;
	int64_t off;
	uint64_t len;
	uint32_t file;
};
static struct undo_window windows[WINDOWS_MAX];
static int nwindows;
static __thread int window_slot __attribute__((tls_model("initial-exec")));

static void log_path(char *buf, size_t size, int old)
{
	str_add(str_add(buf, buf + size, ckpt_cfg.image), buf + size,
		old ? ".undo.old" : ".undo");
}

void undo_init(void)
{
	char path[CKPT_PATH_MAX + 16];

	for (int old = 0; old < 2; old++) {
		log_path(path, sizeof(path), old);
		sys_unlink(path);
	}
}

/* --- the table of files ------------------------------------------------- */

static uint32_t path_store(const char *path)
{
	size_t len = str_len(path);
	uint32_t off = paths_used;

	if (len + 1 > PATHS_MAX - paths_used)
		return UINT32_MAX;
	str_add(paths + off, paths + PATHS_MAX, path);
	paths_used += (uint32_t)len + 1;
	return off;
}

static struct undo_file *file_find(uint64_t dev, uint64_t ino)
{
	for (uint32_t i = 0; i < nfiles; i++)
		if (files[i].dev == dev && files[i].ino == ino)
			return &files[i];
	return NULL;
}

static struct undo_file *file_add(uint64_t dev, uint64_t ino, const char *path)
{
	struct undo_file *u = file_find(dev, ino);
	uint32_t off;

	if (u && str_eq(paths + u->path_off, path))
		return u;
	off = path_store(path);
	if (off == UINT32_MAX || (!u && nfiles == FILES_MAX))
		return u;
	if (!u) {
		u = &files[nfiles++];
		memset(u, 0, sizeof(*u));
		u->dev = dev;
		u->ino = ino;
	}
	u->path_off = off; /* renamed since: records name it as it is now */
	return u;
}

/* In the pause, after the memory map was captured: the bitmaps keep their
 * mappings and lose their bits. */
void undo_base(uint64_t dev, uint64_t ino, uint64_t size, const char *path,
	       int saved)
{
	struct undo_file *u = file_add(dev, ino, path);

	if (!u)
		return;
	u->base = size;
	u->tracked = !saved;
	u->epoch = epoch;
}

/* --- the log ------------------------------------------------------------ */

static void warn_lost(const char *why, const char *path)
{
	if (failed_epoch == epoch)
		return;
	failed_epoch = epoch;
	say(2, "warning: cannot keep the undo log: ", why, "; in-place writes "
	    "to ", path, " and other large files until the next checkpoint "
	    "will not be undone at a resume", NULL);
}

static long log_create(const char *path)
{
	char head[80];
	struct stat st = { 0 };
	size_t len = (size_t)(trust_key_line(head, head + sizeof(head),
					     CKPT_UNDO_MAGIC,
					     journal_key_get()) - head);
	long fd = sys_open(path, O_WRONLY | O_APPEND | O_CREAT | O_EXCL |
					 O_NOFOLLOW | O_CLOEXEC, 0600);
	long dir;

	if (fd < 0)
		return fd;
	if (sys_write((int)fd, head, len) != (long)len ||
	    sys_fstat((int)fd, &st) < 0) {
		sys_close((int)fd);
		return -EIO;
	}
	/* Its name must outlive a crash before the first write it guards. */
	dir = sys_open(ckpt_cfg.dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
	if (dir >= 0) {
		sys_fsync((int)dir);
		sys_close((int)dir);
	}
	log_file.dev = st.st_dev;
	log_file.ino = st.st_ino;
	log_file.live = 1;
	return fd;
}

/* The log to append to: the one this process made, never one planted in
 * its place. */
static long log_open(void)
{
	char path[CKPT_PATH_MAX + 16];
	struct stat st = { 0 };
	long fd;

	log_path(path, sizeof(path), 0);
	if (!log_file.live)
		return log_create(path);
	fd = sys_open(path, O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0);
	if (fd >= 0 && !sys_fstat((int)fd, &st) && st.st_dev == log_file.dev &&
	    st.st_ino == log_file.ino)
		return fd;
	if (fd >= 0)
		sys_close((int)fd);
	return -EEXIST;
}

/* Where the old bytes come from: a descriptor (or, if it is write-only, a
 * new one of the same file), or a shared mapping of the file (mem, the
 * bytes of offset base). */
struct source {
	int fd;
	const uint8_t *mem;
	uint64_t base;
};

static long source_read(const struct source *src, uint8_t *buf,
			uint64_t from, uint64_t len)
{
	char proc[64];
	long n, rfd;

	if (src->mem) {
		memcpy(buf, src->mem + (from - src->base), len);
		return (long)len;
	}
	n = sys_pread(src->fd, buf, len, (int64_t)from);
	if (n != -EBADF)
		return n;
	rfd = sys_open(proc_path_n(proc, sizeof(proc), "/proc/thread-self/fd/",
				   (uint64_t)src->fd),
		       O_RDONLY | O_CLOEXEC, 0);
	n = rfd < 0 ? rfd : sys_pread((int)rfd, buf, len, (int64_t)from);
	if (rfd >= 0)
		sys_close((int)rfd);
	return n;
}

/* Bytes [from, to) of u, appended to the log as one record. */
static long record_add(const struct undo_file *u, const struct source *src,
		       int *log, uint64_t from, uint64_t to)
{
	uint8_t *buf = (uint8_t *)CKPT_UNDO_BUF;
	const char *path = paths + u->path_off;
	struct ckpt_undo_record rec = { CKPT_UNDO_RECORD, (uint32_t)str_len(path),
					ckpt_generation, u->dev, u->ino, from,
					0, 0, 0 };
	long n = source_read(src, buf, from, to - from);

	if (n <= 0) /* past its end: nothing there to put back */
		return n;
	if (*log < 0)
		*log = (int)log_open();
	if (*log < 0)
		return *log;
	rec.len = (uint64_t)n;
	rec.crc = (uint32_t)crc32(crc32(crc32(0, (const void *)&rec, sizeof(rec)),
					(const void *)path, rec.path_len),
				  buf, (uInt)n);
	struct iovec iov[3] = { { &rec, sizeof(rec) },
				{ (void *)path, rec.path_len },
				{ buf, (size_t)n } };
	size_t want = sizeof(rec) + rec.path_len + (size_t)n;
	long wrote = sys_call3(__NR_writev, *log, SYS_L(iov), 3);

	return wrote == (long)want ? 0 : wrote < 0 ? wrote : -ENOSPC;
}

/* The bitmaps, carved from one reservation that is never unmapped: a
 * write's quick look (all_saved) may read an entry's bits while another
 * thread moves them to a larger place.  Moved bits leave their old place
 * empty; the capture gives the pages back. */
#define BITS_SPACE (64ull << 30)
static uint8_t *bits_space;
static uint64_t bits_used;

static int bitmap_ready(struct undo_file *u)
{
	uint64_t need = ((u->base + BLOCK - 1) / BLOCK + 7) / 8, size;
	long p;

	if (need <= u->saved_size)
		return 0;
	size = (need > 2 * u->saved_size ? need : 2 * u->saved_size);
	size = (size + 4095) & ~4095ull;
	if (!bits_space) {
		p = sys_mmap(NULL, BITS_SPACE, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (p < 0)
			return (int)p;
		bits_space = (uint8_t *)p;
	}
	if (size > BITS_SPACE - bits_used)
		return -ENOMEM;
	if (u->saved_size) /* bits set this interval stay set */
		memcpy(bits_space + bits_used, u->saved, u->saved_size);
	u->saved = bits_space + bits_used;
	bits_used += size;
	__atomic_store_n(&u->saved_size, size, __ATOMIC_RELEASE);
	return 0;
}

static int bit(const struct undo_file *u, uint64_t b)
{
	return u->saved[b / 8] & (1u << (b % 8));
}

/* Save what [off, end) of u holds now, block by block, skipping what was
 * saved already this interval. */
static long save_range(struct undo_file *u, const struct source *src,
		       uint64_t off, uint64_t end)
{
	uint64_t b = off / BLOCK, last = (end + BLOCK - 1) / BLOCK;
	int log = -1;
	long rc = bitmap_ready(u);

	while (!rc && b < last) {
		uint64_t first = b;

		if (bit(u, b)) {
			b++;
			continue;
		}
		while (b < last && !bit(u, b) &&
		       b - first < CKPT_UNDO_RUN_MAX / BLOCK)
			b++;
		rc = record_add(u, src, &log, first * BLOCK,
				b * BLOCK < u->base ? b * BLOCK : u->base);
		for (uint64_t i = first; !rc && i < b; i++)
			u->saved[i / 8] |= (uint8_t)(1u << (i % 8));
	}
	if (log >= 0) {
		if (!rc && ckpt_cfg.undo_sync)
			rc = sys_call1(__NR_fdatasync, log);
		sys_close(log);
	}
	return rc;
}

static void file_change(struct undo_file *u, int fd, int64_t off, uint64_t len)
{
	struct stat st = { 0 };
	struct source src = { fd, NULL, 0 };
	uint64_t end;
	long rc;

	if (u->epoch != epoch) { /* not seen at the capture: as it is now */
		if (sys_fstat(fd, &st) < 0)
			return;
		u->base = (uint64_t)st.st_size;
		u->tracked = 1;
		u->epoch = epoch;
	}
	if (!u->tracked || failed_epoch == epoch)
		return;
	if (off == UNDO_AT_POS)
		off = sys_lseek(fd, 0, SEEK_CUR);
	if (off < 0)
		return;
	end = len > u->base - (uint64_t)off || len == UNDO_TO_END
		      ? u->base
		      : (uint64_t)off + len;
	if ((uint64_t)off >= u->base)
		return;
	rc = save_range(u, &src, (uint64_t)off, end);
	if (rc)
		warn_lost(rc == -EEXIST ? "a file ckpt did not create is in its "
					  "place"
					: errno_text(rc),
			  paths + u->path_off);
}

/* --- shared mappings (undo_maps.c) ------------------------------------- */

int undo_file_guarded(uint64_t dev, uint64_t ino)
{
	const struct undo_file *u = file_find(dev, ino);

	return u && u->epoch == epoch && u->tracked ? (int)(u - files) : -1;
}

void undo_save_mapped(int file, const void *mem, uint64_t off, uint64_t len)
{
	struct undo_file *u = &files[file];
	struct source src = { -1, mem, off };
	long rc;

	if (off >= u->base || failed_epoch == epoch)
		return;
	pthread_mutex_lock(&lock);
	rc = save_range(u, &src, off, off + len < u->base ? off + len : u->base);
	pthread_mutex_unlock(&lock);
	if (rc)
		warn_lost(errno_text(rc), paths + u->path_off);
}

/* --- the interposed calls' side ----------------------------------------- */

static int is_output(const struct stat *st, int fd)
{
	return (fd >= 0 && fd <= 2) || output_known(st->st_dev, st->st_ino);
}

static void guard_block(struct undo_guard *g)
{
	uint64_t set = 1ull << (ckpt_cfg.signal - 1);

	g->window = NULL;
	g->blocked = sys_rt_sigprocmask(SIG_BLOCK, &set, &g->mask) == 0;
}

void undo_end(struct undo_guard *g)
{
	if (g->window)
		__atomic_store_n(&g->window->active, 0, __ATOMIC_RELEASE);
	g->window = NULL;
	if (g->blocked)
		sys_rt_sigprocmask(SIG_SETMASK, &g->mask, NULL);
	g->blocked = 0;
}

/* The entry of the regular file open on fd; under the lock. */
static struct undo_file *fd_file(int fd, const struct stat *st)
{
	char proc[64], path[CKPT_PATH_MAX];
	long n = sys_readlink(proc_path_n(proc, sizeof(proc),
					  "/proc/thread-self/fd/", (uint64_t)fd),
			      path, sizeof(path) - 1);

	if (n <= 0 || path[0] != '/')
		return NULL;
	path[n] = 0;
	return file_add(st->st_dev, st->st_ino, path);
}

static uint32_t fd_classify(int fd)
{
	struct stat st = { 0 };
	struct undo_guard g;
	struct undo_file *u;
	long fl;

	if (sys_fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || !is_output(&st, fd))
		return NEVER;
	fl = sys_fcntl(fd, F_GETFL, 0);
	guard_block(&g);
	pthread_mutex_lock(&lock);
	u = fd_file(fd, &st);
	pthread_mutex_unlock(&lock);
	undo_end(&g);
	if (!u)
		return NEVER;
	return (uint32_t)(u - files + 1) |
	       (fl >= 0 && (fl & O_APPEND) ? APPENDS : 0);
}

static struct undo_window *window_get(void)
{
	int n;

	if (!window_slot) {
		n = __atomic_fetch_add(&nwindows, 1, __ATOMIC_RELAXED);
		window_slot = n < WINDOWS_MAX ? n + 1 : -1;
	}
	return window_slot > 0 ? &windows[window_slot - 1] : NULL;
}

/* Whether nothing of [off, off + len) needs saving: past the interval's
 * base, or saved already.  Without the lock: bits only go from 0 to 1 in
 * an interval, and a 0 read wrong only sends the write the slow way. */
static int all_saved(const struct undo_file *u, uint64_t off, uint64_t len)
{
	uint64_t size = __atomic_load_n(&u->saved_size, __ATOMIC_ACQUIRE);
	const uint8_t *bits = u->saved;
	uint64_t end;

	if (u->epoch != epoch)
		return 0;
	if (!u->tracked || off >= u->base || failed_epoch == epoch)
		return 1;
	end = len > u->base - off ? u->base : off + len;
	for (uint64_t b = off / BLOCK; b < (end + BLOCK - 1) / BLOCK; b++)
		if (b / 8 >= size || !(bits[b / 8] & (1u << (b % 8))))
			return 0;
	return 1;
}

static int quick_way(struct undo_guard *g, uint32_t file, int fd,
		     int64_t *off, uint64_t len)
{
	struct undo_window *w = window_get();

	if (!w)
		return 0;
	*w = (struct undo_window){ 0, fd, *off, len, file };
	__atomic_store_n(&w->active, 1, __ATOMIC_SEQ_CST);
	if (*off == UNDO_AT_POS)
		*off = sys_lseek(fd, 0, SEEK_CUR);
	if (*off >= 0 && all_saved(&files[file], (uint64_t)*off, len)) {
		g->window = w;
		return 1;
	}
	__atomic_store_n(&w->active, 0, __ATOMIC_RELEASE);
	return 0;
}

void undo_begin(struct undo_guard *g, int fd, int64_t off, uint64_t len,
		int how)
{
	uint32_t c;

	g->blocked = 0;
	g->window = NULL;
	if (!ckpt_generation || fd < 0 || fd >= FDS_MAX || !len ||
	    !ckpt_is_active())
		return;
	c = fd_cache[fd];
	if (!c)
		fd_cache[fd] = c = fd_classify(fd);
	if (c == NEVER || (how == UNDO_WRITE && (c & APPENDS)))
		return;
	c = (c & ~APPENDS) - 1;
	if (quick_way(g, c, fd, &off, len) || off < UNDO_AT_POS)
		return;
	guard_block(g);
	pthread_mutex_lock(&lock);
	file_change(&files[c], fd, off, len);
	pthread_mutex_unlock(&lock);
}

/* In the pause, after the files are noted: the writes caught between
 * their look and their call. */
void undo_capture_end(const struct capture *c)
{
	for (int i = 0; i < nwindows && i < WINDOWS_MAX; i++) {
		struct undo_window *w = &windows[i];

		if (__atomic_load_n(&w->active, __ATOMIC_ACQUIRE))
			file_change(&files[w->file], w->fd, w->off, w->len);
	}
	undo_maps_guard(c->maps, c->maps_len);
}

/* A file cut by name is the program's output from then on, whether or not
 * it was one: its old bytes are saved as for a write. */
void undo_path_begin(struct undo_guard *g, int dirfd, const char *path,
		     uint64_t len)
{
	struct stat st = { 0 };
	struct undo_file *u;
	long fd;

	g->blocked = 0;
	g->window = NULL;
	if (!ckpt_generation || !ckpt_is_active())
		return;
	fd = sys_openat(dirfd, path, O_RDONLY | O_NONBLOCK | O_CLOEXEC, 0);
	if (fd < 0)
		return;
	if (!sys_fstat((int)fd, &st) && S_ISREG(st.st_mode) &&
	    (uint64_t)st.st_size > len) {
		guard_block(g);
		pthread_mutex_lock(&lock);
		u = fd_file((int)fd, &st);
		if (u)
			file_change(u, (int)fd, (int64_t)len, UNDO_TO_END);
		pthread_mutex_unlock(&lock);
	}
	sys_close((int)fd);
}

void undo_fd_forget(int fd)
{
	if (fd >= 0 && fd < FDS_MAX)
		fd_cache[fd] = 0;
}

/* --- checkpoints -------------------------------------------------------- */

/* In the pause: a new interval.  The log of the one before is kept apart
 * when the image before is complete, and removed once this one is. */
static int undo_capture(struct image_writer *w, const struct capture *c)
{
	char cur[CKPT_PATH_MAX + 16], old[CKPT_PATH_MAX + 16];

	(void)w;
	(void)c;
	if (++epoch == 0)
		epoch = 1;
	if (bits_used)
		sys_madvise(bits_space, bits_used, MADV_DONTNEED);
	if (log_file.live && committed + 1 == ckpt_generation) {
		log_path(cur, sizeof(cur), 0);
		log_path(old, sizeof(old), 1);
		if (!sys_rename(cur, old))
			log_file.live = 0;
	}
	return 0;
}

void undo_image_done(uint64_t gen) { committed = gen; }

void undo_image_written(void)
{
	char old[CKPT_PATH_MAX + 16];

	log_path(old, sizeof(old), 1);
	sys_unlink(old);
}

/* --- resume ------------------------------------------------------------- */

struct replay {
	int log;
	uint64_t size, gen;
	int target;          /* the file being written back, or -1 */
	uint64_t dev, ino;
	char path[CKPT_PATH_MAX];
	const char *log_name;
	int warned;
};

/* Read record at pos into rec, its path into path and its bytes into the
 * undo buffer; 0, or -1 if it is not a whole, intact record. */
static int record_read(struct replay *x, uint64_t pos,
		       struct ckpt_undo_record *rec, char *path, uint64_t *next)
{
	uint8_t *buf = (uint8_t *)CKPT_UNDO_BUF;
	uint32_t crc, want;

	if (x->size - pos < sizeof(*rec) ||
	    sys_pread(x->log, rec, sizeof(*rec), (int64_t)pos) != sizeof(*rec))
		return -1;
	if (rec->magic != CKPT_UNDO_RECORD || !rec->path_len ||
	    rec->path_len >= CKPT_PATH_MAX || rec->len > CKPT_UNDO_RUN_MAX ||
	    x->size - pos - sizeof(*rec) < rec->path_len + rec->len)
		return -1;
	pos += sizeof(*rec);
	if (sys_pread(x->log, path, rec->path_len, (int64_t)pos) !=
		    (long)rec->path_len ||
	    sys_pread(x->log, buf, rec->len, (int64_t)(pos + rec->path_len)) !=
		    (long)rec->len)
		return -1;
	path[rec->path_len] = 0;
	want = rec->crc;
	rec->crc = 0;
	crc = (uint32_t)crc32(crc32(crc32(0, (const void *)rec, sizeof(*rec)),
				    (const void *)path, rec->path_len),
			      buf, (uInt)rec->len);
	rec->crc = want;
	*next = pos + rec->path_len + rec->len;
	return crc == want ? 0 : -1;
}

static void target_close(struct replay *x)
{
	if (x->target < 0)
		return;
	sys_call1(__NR_fdatasync, x->target);
	sys_close(x->target);
	x->target = -1;
}

/* The file a record belongs to, open for writing: only the very file it
 * was taken from, never another one put under its name. */
static int target_open(struct replay *x, const struct ckpt_undo_record *rec,
		       const char *path)
{
	struct stat st = { 0 };
	long fd;

	if (x->target >= 0 && x->dev == rec->dev && x->ino == rec->ino &&
	    str_eq(x->path, path))
		return 0;
	target_close(x);
	fd = sys_open(path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0);
	if (fd >= 0 && (sys_fstat((int)fd, &st) < 0 || st.st_dev != rec->dev ||
			st.st_ino != rec->ino || !S_ISREG(st.st_mode))) {
		sys_close((int)fd);
		fd = -ESTALE;
	}
	if (fd < 0) {
		if (!x->warned++)
			say(2, "warning: ", path, " cannot be put back as it was "
			    "at the checkpoint: ", fd == -ESTALE ? "it is not "
			    "the file the undo log was written for" :
			    errno_text(fd), NULL);
		return -1;
	}
	x->target = (int)fd;
	x->dev = rec->dev;
	x->ino = rec->ino;
	str_add(x->path, x->path + sizeof(x->path), path);
	return 0;
}

static void record_apply(struct replay *x, uint64_t pos)
{
	struct ckpt_undo_record rec;
	char path[CKPT_PATH_MAX];
	uint64_t next;

	if (record_read(x, pos, &rec, path, &next) || rec.generation < x->gen ||
	    target_open(x, &rec, path))
		return;
	sys_pwrite(x->target, (const void *)CKPT_UNDO_BUF, rec.len,
		   (int64_t)rec.offset);
}

/* The records of one log, newest first. */
static void log_replay(struct replay *x, uint64_t pos)
{
	struct ckpt_undo_record rec;
	char path[CKPT_PATH_MAX], at[24];
	uint64_t max = x->size / (sizeof(rec) + 1), n = 0, next;
	uint64_t *offs;

	if (max > RECORDS_MAX)
		max = RECORDS_MAX;
	offs = arena_alloc(max * sizeof(*offs));
	if (!offs) {
		say(2, "cannot read the undo log ", x->log_name, ": ",
		    errno_text(-ENOMEM), NULL);
		return;
	}
	while (n < max && !record_read(x, pos, &rec, path, &next)) {
		offs[n++] = pos;
		pos = next;
	}
	/* A record cut short is the last one of a program killed while
	 * writing it: its write was not issued yet. */
	if (pos < x->size && x->size - pos >= sizeof(rec) &&
	    x->size - pos - sizeof(rec) >= (uint64_t)rec.path_len + rec.len) {
		str_add_u64(at, at + sizeof(at), pos);
		say(2, "warning: the undo log ", x->log_name, " is damaged at "
		    "byte ", at, "; writes recorded after it are not undone",
		    NULL);
	}
	while (n--)
		record_apply(x, offs[n]);
	target_close(x);
}

static void log_obey(const char *path, uint64_t gen)
{
	struct replay x = { .gen = gen, .target = -1, .log_name = path };
	struct stat st = { 0 };
	uint64_t head = 0;
	long fd = sys_open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0);
	int rc;

	if (fd == -ENOENT)
		return;
	if (fd < 0 || sys_fstat((int)fd, &st) < 0) {
		say(2, "cannot read the undo log ", path, ": ",
		    errno_text(fd < 0 ? fd : -EIO), NULL);
		goto out;
	}
	rc = trust_companion((int)fd, (uint32_t)sys_getuid(), CKPT_UNDO_MAGIC,
			     journal_key_get(), &head);
	if (rc) {
		say(2, "the undo log ", path, " is not obeyed: ", trust_text(rc),
		    NULL);
		goto out;
	}
	x.log = (int)fd;
	x.size = (uint64_t)st.st_size;
	log_replay(&x, head);
out:
	if (fd >= 0)
		sys_close((int)fd);
}

/* Before the files module puts sizes back: the newer log first. */
static int undo_restore(struct image_reader *r)
{
	char path[CKPT_PATH_MAX + 16];

	(void)r;
	for (int old = 0; old < 2; old++) {
		log_path(path, sizeof(path), old);
		log_obey(path, ckpt_generation);
	}
	for (int old = 0; old < 2; old++) {
		log_path(path, sizeof(path), old);
		sys_unlink(path);
	}
	log_file.live = 0;
	committed = ckpt_generation;
	failed_epoch = 0;
	/* The table stays as the capture left it: the files are as they were
	 * then.  But no block is saved in the new log yet, whatever the
	 * capture saved itself (undo_capture_end) into the one replayed. */
	if (bits_used)
		sys_madvise(bits_space, bits_used, MADV_DONTNEED);
	memset(fd_cache, 0, sizeof(fd_cache));
	undo_maps_reguard();
	return 0;
}

const struct ckpt_module ckpt_module_undo = {
	.name = "undo",
	.capture = undo_capture,
	.restore = undo_restore,
};
