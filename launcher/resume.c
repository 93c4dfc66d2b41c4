/*
 * ckpt-resume [--stdin F] [--stdout F] [--stderr F] [--allow-changed-inputs]
 *             [--same-pid] [--run-as-owner] IMAGE
 *
 * Checks the image thoroughly (who owns it and its directories, every
 * checksum and structure, the user recorded inside, the journal, the mapped
 * files, the kernel's vDSO layout: verify.c) so that a refusal comes with a
 * clear reason while nothing is lost yet, then executes the static bootstrap, which becomes the
 * program.  Same process: the shell waits on it, and its exit status is the
 * program's.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
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
#include "chain_open.h"
#include "config.h"
#include "paths.h"
#include "tool.h"
#include "trust.h"
#include "verify.h"

/* root with --run-as-owner: become the image's user before anything of
 * the image is parsed or run, and for good. */
static void become(uint32_t uid)
{
	struct passwd *pw = getpwuid(uid);
	gid_t gid = pw ? pw->pw_gid : (gid_t)uid;

	if ((pw ? initgroups(pw->pw_name, gid) : setgroups(1, &gid)) ||
	    setresgid(gid, gid, gid) || setresuid(uid, uid, uid))
		refuse("cannot become user %u: %s", uid, strerror(errno));
	if (setuid(0) == 0 || getuid() != uid || geteuid() != uid)
		refuse("could not drop root's privileges");
}

static void alarm_ignored(int sig) { (void)sig; }

/*
 * A forked writer may still be at work on IMAGE.tmp (the program was
 * killed while its image was written): it holds a lock on it until the new
 * image is renamed into place, so wait for it and resume from the newest
 * image.  Not more than a minute: a stopped writer must not hang a resume.
 */
static void writer_wait_for(void)
{
	struct flock fl = { .l_type = F_RDLCK, .l_whence = SEEK_SET };
	struct sigaction sa = { .sa_handler = alarm_ignored };
	char tmp[PATH_MAX + 8];
	struct stat st;
	int fd;

	snprintf(tmp, sizeof(tmp), "%s.tmp", image_path);
	fd = open(tmp, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return;
	/* Only the caller's own writer is waited for. */
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_uid != getuid() ||
	    !fcntl(fd, F_OFD_SETLK, &fl) || errno != EAGAIN)
		goto out;
	fprintf(stderr, "ckpt-resume: waiting for the image still being "
		"written to %s\n", tmp);
	sigaction(SIGALRM, &sa, NULL);
	alarm(60);
	if (fcntl(fd, F_OFD_SETLKW, &fl) && errno == EINTR)
		fprintf(stderr, "ckpt-resume: its writer did not finish within "
			"60 s; resuming from the previous image\n");
	alarm(0);
out:
	close(fd);
}

/* The journal beside the image makes the restore delete and cut files: it
 * must be the image's own (trust.h). */
static void journal_verify(const struct ckpt_proc *p)
{
	char path[PATH_MAX + 16];
	size_t size = 4u << 20;
	char *buf = malloc(size);
	long len;
	int fd, rc;

	snprintf(path, sizeof(path), "%s.created", image_path);
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		free(buf);
		return;
	}
	if (fd < 0)
		refuse("its journal %s cannot be opened: %s", path,
		       strerror(errno));
	if (!buf)
		refuse("out of memory");
	rc = trust_journal(fd, getuid(), p->journal_key, buf, size, &len);
	close(fd);
	free(buf);
	if (rc)
		refuse("its journal %s is not obeyed: %s; remove it to resume "
		       "without undoing the files made after the checkpoint",
		       path, trust_text(rc));
}

/* The undo logs make the restore write into files: the same rule. */
static void undo_verify(const struct ckpt_proc *p)
{
	static const char *const names[] = { ".undo", ".undo.old" };
	char path[PATH_MAX + 16];
	uint64_t head;
	int fd, rc;

	for (int i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s%s", image_path, names[i]);
		fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
		if (fd < 0 && errno == ENOENT)
			continue;
		if (fd < 0)
			refuse("its undo log %s cannot be opened: %s", path,
			       strerror(errno));
		rc = trust_companion(fd, getuid(), CKPT_UNDO_MAGIC,
				     p->journal_key, &head);
		close(fd);
		if (rc)
			refuse("its undo log %s is not obeyed: %s; remove it to "
			       "resume without undoing what the program wrote "
			       "in place after the checkpoint", path,
			       trust_text(rc));
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
		"                   [--allow-changed-inputs] [--same-pid]\n"
		"                   [--run-as-owner] IMAGE\n"
		"Continue the program saved in IMAGE from its checkpoint.  Standard\n"
		"streams that were a terminal or a pipe become ckpt-resume's own;\n"
		"--stdin/--stdout/--stderr give the resumed program these files\n"
		"instead, whatever its streams were.  --same-pid resumes it under\n"
		"its old process id; that needs CAP_CHECKPOINT_RESTORE, and the\n"
		"pid must be free.  Root resumes another user's image only with\n"
		"--run-as-owner, and it then runs as that user.\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "stdin", required_argument, NULL, 0 },
		{ "stdout", required_argument, NULL, 1 },
		{ "stderr", required_argument, NULL, 2 },
		{ "allow-changed-inputs", no_argument, NULL, 'a' },
		{ "same-pid", no_argument, NULL, 'p' },
		{ "run-as-owner", no_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *streams[3] = { NULL, NULL, NULL };
	static struct verify v;
	struct image_reader r;
	char boot[4096], fdarg[16], flagarg[16];
	static int parents[CHAIN_FDS];
	static char parg[CHAIN_FDS][16];
	static char *bargv[CHAIN_FDS + 5];
	int nparents;
	int fd, rc, c, allow_changed = 0, keep = 0, same_pid = 0, as_owner = 0;
	uint32_t owner;

	tool_name = "ckpt-resume";
	/* A checkpoint request sent while the program is being brought back
	 * stays pending across the exec of ckpt-restore and is taken once
	 * the resumed program's own mask is back: the default signal and
	 * CKPT_SIGNAL now, the image's own once it is read. */
	ckpt_signal_block(SIGRTMAX - 2);
	ckpt_signal_block(ckpt_signal_configured());
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		if (c >= 0 && c <= 2) {
			streams[c] = optarg;
		} else if (c == 'a') {
			allow_changed = 1;
		} else if (c == 'p') {
			same_pid = 1;
		} else if (c == 'o') {
			as_owner = 1;
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
	writer_wait_for();
	fd = image_open((uint32_t)getuid(), as_owner, &owner);
	if (owner != getuid())
		become(owner);
	v.uid = owner;
	v.allow_changed = allow_changed;
	rc = image_reader_open(&r, fd);
	if (rc == 0)
		rc = verify_image(&r, &v) ? 1 : 0;
	else
		snprintf(v.msg, sizeof(v.msg), "%s", image_strerror(rc));
	if (rc)
		refuse("%s", v.msg);
	ckpt_signal_block(v.signal);
	nparents = parents_open(&r, &v, parents, CHAIN_FDS);
	journal_verify(&v.proc);
	undo_verify(&v.proc);
	if (path_beside_self(boot, sizeof(boot), CKPT_RESTORE_REL))
		refuse("cannot find ckpt-restore");
	for (int i = 0; i < 3; i++)
		if (streams[i])
			keep |= redirect(streams[i], i);
	if (fcntl(fd, F_SETFD, 0))
		refuse("fcntl: %s", strerror(errno));
	snprintf(fdarg, sizeof(fdarg), "%d", fd);
	snprintf(flagarg, sizeof(flagarg), "%d", keep);
	bargv[0] = "ckpt-restore";
	bargv[1] = fdarg;
	bargv[2] = flagarg;
	bargv[3] = (char *)image_path;
	for (int i = 0; i < nparents; i++) {
		if (fcntl(parents[i], F_SETFD, 0))
			refuse("fcntl: %s", strerror(errno));
		snprintf(parg[i], sizeof(parg[i]), "%d", parents[i]);
		bargv[4 + i] = parg[i];
	}
	if (same_pid)
		run_with_pid((pid_t)v.proc.pid);
	{
		char *benv[] = { NULL };

		execve(boot, bargv, benv);
	}
	fprintf(stderr, "ckpt-resume: cannot execute %s: %s\n", boot,
		strerror(errno));
	return 1;
}
