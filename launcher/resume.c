/*
 * ckpt-resume [--stdin F] [--stdout F] [--stderr F] [--allow-changed-inputs]
 *             [--same-pid] IMAGE
 *
 * Checks the image thoroughly (every checksum, the owner, the mapped files,
 * the kernel's vDSO layout) so that a refusal comes with a clear reason while
 * nothing is lost yet, then executes the static bootstrap, which becomes the
 * program.  Same process: the shell waits on it, and its exit status is the
 * program's.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ckpt_image.h"
#include "image.h"
#include "paths.h"
#include "procfs.h"

static const char *image_path;

static void __attribute__((noreturn)) refuse(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static void refuse(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "ckpt-resume: %s: ", image_path);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void refuse_image(struct image_reader *r, int rc)
{
	if (rc == IMAGE_EIO)
		refuse("read error: %s", strerror(-r->sys_err));
	refuse("%s", image_strerror(rc));
}

static void *section_load(struct image_reader *r, uint32_t type,
			  const struct ckpt_section **s)
{
	const struct ckpt_section *sec = image_find(r, type);
	char *buf;
	int rc;

	if (!sec)
		refuse("the %s section is missing", image_section_name(type));
	buf = malloc(sec->size + 1);
	if (!buf)
		refuse("out of memory");
	rc = image_read_section(r, type, buf, sec->size, s);
	if (rc)
		refuse_image(r, rc);
	buf[sec->size] = 0;
	return buf;
}

static void verify_sections(struct image_reader *r)
{
	size_t size = 1 << 20;
	void *buf = malloc(size);

	if (!buf)
		refuse("out of memory");
	for (uint32_t i = 0; i < r->hdr.nsections; i++) {
		int rc = image_verify_section(r, &r->table[i], buf, size);

		if (rc == IMAGE_ESECTION)
			refuse("the %s section is damaged (checksum mismatch)",
			       image_section_name(r->table[i].type));
		if (rc)
			refuse_image(r, rc);
	}
	free(buf);
}

static void verify_regions(const struct ckpt_region *regions, uint64_t n,
			   const char *strings)
{
	for (uint64_t i = 0; i < n; i++) {
		const struct ckpt_region *g = &regions[i];
		const char *path = strings + g->path_off;
		struct stat st;

		if (!(g->flags & CKPT_REGF_FILE))
			continue;
		if (stat(path, &st))
			refuse("the mapped file %s is gone: %s", path,
			       strerror(errno));
		if (!image_region_file_matches(g, &st))
			refuse("the mapped file %s changed since the checkpoint "
			       "(its inode, size or modification time differ)",
			       path);
	}
}

static void verify_chunks(struct image_reader *r,
			  const struct ckpt_region *regions, uint64_t n)
{
	const struct ckpt_section *s = image_find(r, CKPT_SEC_PAGES);
	uint64_t off, end;

	if (!s)
		refuse("the page data section is missing");
	end = s->offset + s->size;
	for (off = s->offset; off < end;) {
		struct ckpt_chunk c;
		uint64_t data_at;
		int rc = image_pread(r, &c, sizeof(c), off);

		if (rc)
			refuse_image(r, rc);
		data_at = off + sizeof(c) + c.pad;
		if (!image_chunk_valid(&c, regions, n, r->hdr.flags, data_at,
				       end, CKPT_CHUNK_MAX_DATA))
			refuse("page data is damaged at offset %llu",
			       (unsigned long long)off);
		off = data_at + c.data_len;
	}
}

static void verify_host(const struct ckpt_proc *p)
{
	struct ckpt_vdso_area here[CKPT_VDSO_AREAS];
	static char maps[1 << 16];
	int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, maps, sizeof(maps) - 1);

	if (fd >= 0)
		close(fd);
	if (p->uid != getuid())
		refuse("it belongs to user %u; only that user can resume it",
		       p->uid);
	if (n <= 0)
		refuse("cannot read /proc/self/maps");
	vdso_areas_find(maps, (size_t)n, here);
	if (!vdso_layout_equal(p->vdso, here))
		refuse("the kernel's vDSO layout differs from the one the image "
		       "was made on; resume it on the same kernel");
}

/*
 * Files the program only read must be as they were: a changed input would
 * silently give another result.  Files it wrote are put back by the
 * restore, so only their being gone matters.
 */
static void verify_files(const struct ckpt_fd *fds, uint64_t n,
			 const char *strings, int allow_changed)
{
	for (uint64_t i = 0; i < n; i++) {
		const struct ckpt_fd *f = &fds[i];
		const char *path = strings + f->path_off;
		int written = 0;
		struct stat st;

		if (f->kind != CKPT_FD_REGULAR || f->dup_of >= 0 ||
		    (f->flags & (CKPT_FDF_DELETED | CKPT_FDF_OUTPUT)))
			continue;
		for (uint64_t j = 0; j < n; j++)
			written |= (fds[j].flags & CKPT_FDF_OUTPUT) &&
				   fds[j].ino == f->ino && fds[j].dev == f->dev;
		if (written)
			continue;
		if (stat(path, &st))
			refuse("the input file %s is gone: %s", path,
			       strerror(errno));
		if (allow_changed)
			continue;
		if (st.st_ino != f->ino || st.st_dev != f->dev ||
		    (uint64_t)st.st_size != f->size ||
		    st.st_mtim.tv_sec != f->mtime_sec ||
		    st.st_mtim.tv_nsec != f->mtime_nsec)
			refuse("the input file %s changed since the checkpoint "
			       "(its inode, size or modification time differ); "
			       "--allow-changed-inputs resumes anyway", path);
	}
}

static int redirect(const char *path, int fd)
{
	int flags = fd == 0 ? O_RDONLY : O_WRONLY | O_CREAT | O_TRUNC;
	int got = open(path, flags | O_CLOEXEC, 0666);

	if (got < 0) {
		fprintf(stderr, "ckpt-resume: cannot open %s: %s\n", path,
			strerror(errno));
		exit(2);
	}
	if (dup2(got, fd) < 0)
		exit(2);
	close(got);
	return 1 << fd;
}

/* The child that becomes the program under its old pid; the parent stays
 * in front of the shell, passes signals on and exits as the child did. */
static pid_t child = -1;

static void pass_signal(int sig)
{
	if (child > 0)
		kill(child, sig);
}

static void __attribute__((noreturn)) exit_as(int status)
{
	if (WIFSIGNALED(status)) {
		signal(WTERMSIG(status), SIG_DFL);
		raise(WTERMSIG(status));
	}
	exit(WIFEXITED(status) ? WEXITSTATUS(status) : 1);
}

/*
 * clone3 with set_tid gives the program its old pid back.  The kernel
 * allows it only with CAP_CHECKPOINT_RESTORE (or CAP_SYS_ADMIN) over the
 * pid namespace, and only while no one else has the pid.  Returns in the
 * child, or when the pid cannot be had (the program then gets a new one).
 */
static void run_with_pid(pid_t pid)
{
	static const int passed[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM,
				      SIGUSR1, SIGUSR2, SIGCONT, SIGWINCH };
	struct {
		uint64_t flags, pidfd, child_tid, parent_tid, exit_signal;
		uint64_t stack, stack_size, tls, set_tid, set_tid_size, cgroup;
	} args = { .exit_signal = SIGCHLD, .set_tid = (uint64_t)(uintptr_t)&pid,
		   .set_tid_size = 1 };
	int status;
	long rc = syscall(SYS_clone3, &args, sizeof(args));

	if (rc == 0) {
		/* Killing ckpt-resume kills the program, as without --same-pid. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		return;
	}
	if (rc < 0) {
		fprintf(stderr, "ckpt-resume: cannot resume with the old pid %d"
			" (%s); the program gets a new one\n", (int)pid,
			strerror(errno));
		return;
	}
	child = (pid_t)rc;
	for (size_t i = 0; i < sizeof(passed) / sizeof(*passed); i++)
		signal(passed[i], pass_signal);
	while (waitpid(child, &status, 0) < 0)
		if (errno != EINTR)
			exit(1);
	exit_as(status);
}

static void usage(FILE *to)
{
	fprintf(to,
		"usage: ckpt-resume [--stdin FILE] [--stdout FILE] [--stderr FILE]\n"
		"                   [--allow-changed-inputs] [--same-pid] IMAGE\n"
		"Continue the program saved in IMAGE from its checkpoint.  Standard\n"
		"streams that were a terminal or a pipe become ckpt-resume's own;\n"
		"--stdin/--stdout/--stderr give the resumed program these files\n"
		"instead, whatever its streams were.  --same-pid resumes it under\n"
		"its old process id; that needs CAP_CHECKPOINT_RESTORE, and the\n"
		"pid must be free.\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "stdin", required_argument, NULL, 0 },
		{ "stdout", required_argument, NULL, 1 },
		{ "stderr", required_argument, NULL, 2 },
		{ "allow-changed-inputs", no_argument, NULL, 'a' },
		{ "same-pid", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *streams[3] = { NULL, NULL, NULL };
	const struct ckpt_section *rs, *fs;
	struct image_reader r;
	struct ckpt_proc *proc;
	struct ckpt_region *regions;
	struct ckpt_fd *fds;
	char boot[4096], fdarg[16], flagarg[16];
	int fd, rc, c, allow_changed = 0, keep = 0, same_pid = 0;

	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		if (c >= 0 && c <= 2) {
			streams[c] = optarg;
		} else if (c == 'a') {
			allow_changed = 1;
		} else if (c == 'p') {
			same_pid = 1;
		} else if (c == 'h') {
			usage(stdout);
			return 0;
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (optind + 1 != argc) {
		usage(stderr);
		return 2;
	}
	image_path = argv[optind];
	fd = open(image_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		refuse("cannot open: %s", strerror(errno));
	rc = image_reader_open(&r, fd);
	if (rc)
		refuse_image(&r, rc);
	verify_sections(&r);
	proc = section_load(&r, CKPT_SEC_PROC, NULL);
	regions = section_load(&r, CKPT_SEC_REGIONS, &rs);
	fds = section_load(&r, CKPT_SEC_FILES, &fs);
	if (rs->count * sizeof(*regions) > rs->size ||
	    fs->count * sizeof(*fds) > fs->size)
		refuse("a section is malformed");
	verify_host(proc);
	verify_regions(regions, rs->count, (const char *)(regions + rs->count));
	verify_files(fds, fs->count, (const char *)(fds + fs->count),
		     allow_changed);
	verify_chunks(&r, regions, rs->count);
	if (path_beside_self(boot, sizeof(boot), CKPT_RESTORE_REL))
		refuse("cannot find ckpt-restore");
	for (int i = 0; i < 3; i++)
		if (streams[i])
			keep |= redirect(streams[i], i);
	if (fcntl(fd, F_SETFD, 0))
		refuse("fcntl: %s", strerror(errno));
	snprintf(fdarg, sizeof(fdarg), "%d", fd);
	snprintf(flagarg, sizeof(flagarg), "%d", keep);
	if (same_pid)
		run_with_pid((pid_t)proc->pid);
	{
		char *bargv[] = { "ckpt-restore", fdarg, flagarg, NULL };
		char *benv[] = { NULL };

		execve(boot, bargv, benv);
	}
	fprintf(stderr, "ckpt-resume: cannot execute %s: %s\n", boot,
		strerror(errno));
	return 1;
}
