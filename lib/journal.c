/*
 * Files written outside the checkpoint's view.
 *
 * The files module saves the files open for writing at a checkpoint.  Two
 * cases escape it: a file the program wrote and closed before the
 * checkpoint (a results file opened for each append), and a file it creates
 * or first writes after the checkpoint.  The interposed opens (interpose.c)
 * feed both:
 *   - every file opened for writing goes into a table, so each checkpoint
 *     saves its size (and contents) even when it is closed;
 *   - a file not in the table yet gets a line in IMAGE.created, next to the
 *     image: "C path" when the open created it, "S size path" with its size
 *     before.  The first line after a checkpoint's capture is preceded by
 *     "G N", N the generation of that checkpoint.  A resume from image N
 *     removes the created files and cuts back the others of the lines after
 *     a marker of N or later (lines before it belong to image N already),
 *     then empties the journal.  Markers, not an emptying at each
 *     checkpoint, since a forked writer finishes image N while the program
 *     journals on, and the image may fail or the program die before it is
 *     done.  The journal stays small: a file is journaled once a run.
 *
 * The journal tells the resume to delete and truncate files, so it is
 * trusted only when it is ckpt's own: it is created with O_EXCL|O_NOFOLLOW
 * and mode 0600, only ever appended to through the inode ckpt created, and
 * its first line holds a random key kept in the image (PROC) and in this
 * process's memory.  A journal that fails the owner checks of trust.c or
 * carries another key is not obeyed (docs/security.md).
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "core.h"
#include "journal.h"
#include "procfs.h"
#include "str.h"
#include "sys.h"
#include "trust.h"

#define OUTPUTS_MAX 4096
#define OUTPUT_PATHS (1u << 20)

static struct output_file outputs[OUTPUTS_MAX];
static uint32_t noutputs;
static char output_paths[OUTPUT_PATHS];
static size_t output_paths_used;

void output_prior(struct prior *p, int dirfd, const char *path, int writes)
{
	struct stat st = { 0 };

	p->writes = writes;
	p->existed = 1;
	p->size = 0;
	p->guard.blocked = 0;
	p->guard.window = NULL;
	if (!writes)
		return;
	if (sys_call4(__NR_newfstatat, dirfd, SYS_L(path), SYS_L(&st), 0) < 0) {
		p->existed = 0;
		return;
	}
	p->size = (uint64_t)st.st_size;
	if ((writes & PRIOR_TRUNCATES) && p->size)
		undo_path_begin(&p->guard, dirfd, path, 0);
}

static uint8_t journal_key[CKPT_JOURNAL_KEY];
/* The inode of the journal this process created since the last checkpoint;
 * appends go to it alone, never to a file planted under its name. */
static struct {
	uint64_t dev, ino;
	int live, warned;
	uint64_t marked; /* generation of the last marker written */
} journal_file;

/* getrandom, or /dev/urandom where it is missing: the key must be
 * something nobody else can guess. */
static void random_fill(uint8_t *buf, size_t len)
{
	long fd;

	if (sys_call3(__NR_getrandom, SYS_L(buf), (long)len, 0) == (long)len)
		return;
	fd = sys_open("/dev/urandom", O_RDONLY | O_CLOEXEC, 0);
	if (fd >= 0) {
		sys_read((int)fd, buf, len);
		sys_close((int)fd);
	}
}

void journal_init(void)
{
	char path[CKPT_PATH_MAX + 16];

	random_fill(journal_key, sizeof(journal_key));
	journal_path(path, sizeof(path));
	sys_unlink(path); /* of an earlier run: this one has not written yet */
}

const uint8_t *journal_key_get(void) { return journal_key; }

void journal_path(char *buf, size_t size)
{
	str_add(str_add(buf, buf + size, ckpt_cfg.image), buf + size, ".created");
}

static void journal_warn(const char *path, long err)
{
	if (journal_file.warned++)
		return;
	static const char *const consequence =
		"; files created or first written before the next checkpoint "
		"will not be undone at a resume";

	say(2, "cannot keep the journal ", path, ": ",
	    err == -EEXIST ? "a file ckpt did not create is in its place"
			   : errno_text(err), consequence, NULL);
}

/* Open the journal to append, creating it (with its key) if this process
 * has none since the last checkpoint. */
static long journal_open(const char *path)
{
	struct stat st = { 0 };
	char head[80];
	long j;

	if (journal_file.live) {
		j = sys_open(path, O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0);
		if (j >= 0 && !sys_fstat((int)j, &st) &&
		    st.st_dev == journal_file.dev && st.st_ino == journal_file.ino)
			return j;
		if (j >= 0)
			sys_close((int)j);
		return -EEXIST; /* replaced behind ckpt's back */
	}
	j = sys_open(path, O_WRONLY | O_APPEND | O_CREAT | O_EXCL | O_NOFOLLOW |
				   O_CLOEXEC, 0600);
	if (j < 0 || sys_fstat((int)j, &st) < 0)
		return j < 0 ? j : -EIO;
	journal_file.dev = st.st_dev;
	journal_file.ino = st.st_ino;
	journal_file.live = 1;
	sys_write((int)j, head,
		  (size_t)(trust_journal_header(head, head + sizeof(head), journal_key) -
			   head));
	return j;
}

static void journal_add(const struct prior *p, const char *path)
{
	char line[CKPT_PATH_MAX + 48], *end = line + sizeof(line) - 1, *q;
	char jpath[CKPT_PATH_MAX + 16];
	long j;

	q = line;
	if (journal_file.marked != ckpt_generation || !journal_file.live) {
		q = str_add_u64(str_add(q, end, "G "), end, ckpt_generation);
		*q++ = '\n';
		journal_file.marked = ckpt_generation;
	}
	q = str_add(q, end, p->existed ? "S " : "C ");
	if (p->existed)
		q = str_add(str_add_u64(q, end, p->size), end, " ");
	q = str_add(q, end, path);
	*q++ = '\n';
	journal_path(jpath, sizeof(jpath));
	j = journal_open(jpath);
	if (j < 0) {
		journal_warn(jpath, j);
		return;
	}
	sys_write((int)j, line, (size_t)(q - line));
	sys_close((int)j);
}

int output_known(uint64_t dev, uint64_t ino)
{
	for (uint32_t i = 0; i < noutputs; i++)
		if (outputs[i].dev == dev && outputs[i].ino == ino)
			return 1;
	return 0;
}

static void output_remember(const struct stat *st, const char *path, size_t n)
{
	if (noutputs == OUTPUTS_MAX || n + 1 > OUTPUT_PATHS - output_paths_used)
		return;
	str_add_n(output_paths + output_paths_used, output_paths + OUTPUT_PATHS,
		  path, n);
	outputs[noutputs].dev = st->st_dev;
	outputs[noutputs].ino = st->st_ino;
	outputs[noutputs].path = output_paths + output_paths_used;
	output_paths_used += n + 1;
	noutputs++;
}

int output_opened(int fd, struct prior *p)
{
	char proc[64], path[CKPT_PATH_MAX];
	struct stat st = { 0 };
	long n;

	undo_end(&p->guard);
	undo_fd_forget(fd);
	if (fd < 0 || !p->writes || !ckpt_is_active())
		return fd;
	if (sys_fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || output_known(st.st_dev, st.st_ino))
		return fd;
	proc_path_n(proc, sizeof(proc), "/proc/thread-self/fd/",
		    (uint64_t)fd);
	n = sys_readlink(proc, path, sizeof(path) - 1);
	if (n <= 0 || path[0] != '/')
		return fd;
	path[n] = 0;
	output_remember(&st, path, (size_t)n);
	journal_add(p, path);
	return fd;
}

uint32_t output_files(const struct output_file **out)
{
	*out = outputs;
	return noutputs;
}

/* Undo one line if it comes after the capture of image gen: *after is
 * whether a marker of gen or later was seen. */
static void journal_undo(char *line, uint64_t gen, int *after)
{
	const char *p = line + 2;
	uint64_t size;

	if (line[0] == 'G' && line[1] == ' ') {
		if (!str_parse_u64(&p, p + 24, 10, &size) && !*p && size >= gen)
			*after = 1;
	} else if (!*after) {
		return;
	} else if (line[0] == 'C' && line[1] == ' ') {
		sys_unlink(p);
	} else if (line[0] == 'S' && line[1] == ' ' &&
		   !str_parse_u64(&p, p + 24, 10, &size) && *p == ' ') {
		sys_call2(__NR_truncate, SYS_L(p + 1), SYS_L(size));
	}
}

/* At resume, in the restored process: ckpt-resume checked the journal
 * already, but it is read again here by name, so it is checked again. */
void journal_replay(void)
{
	char path[CKPT_PATH_MAX + 16];
	size_t size = 4u << 20;
	char *buf = arena_alloc(size), *p, *end;
	long n = 0, fd;
	int rc, after = 0;

	journal_path(path, sizeof(path));
	journal_file.live = 0;
	fd = sys_open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0);
	if (fd < 0 || !buf) {
		if (fd != -ENOENT)
			say(2, "cannot read the journal ", path, ": ",
			    errno_text(fd < 0 ? fd : -ENOMEM), NULL);
		goto out;
	}
	rc = trust_journal((int)fd, (uint32_t)sys_getuid(), journal_key, buf,
			   size, &n);
	sys_close((int)fd);
	if (rc) {
		say(2, "the journal ", path, " is not obeyed: ",
		    trust_text(rc), NULL);
		goto out;
	}
	end = buf + n;
	p = buf;
	while (p < end && *p != '\n')
		p++; /* the key line */
	for (p++; p < end;) {
		char *nl = p;

		while (nl < end && *nl != '\n')
			nl++;
		*nl = 0;
		journal_undo(p, ckpt_generation, &after);
		p = nl + 1;
	}
out:
	sys_unlink(path);
}
