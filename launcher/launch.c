/*
 * ckpt-launch [--period SECONDS] [--file IMAGE] [--signal SIG]
 *             [--compress CODEC[:LEVEL]] [--no-fork]
 *             [--file-save-max SIZE] [--undo-sync] [--timeout S]
 *             [--verbose] [--] PROG [ARGS...]
 *
 * Runs PROG with libckpt preloaded; the options become the CKPT_*
 * environment variables libckpt reads (docs/configuration.md).
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "config.h"
#include "paths.h"

static void usage(FILE *to)
{
	fprintf(to,
		"usage: ckpt-launch [--period SECONDS] [--file IMAGE] [--signal SIG]\n"
		"                   [--compress CODEC[:LEVEL]] [--no-fork]\n"
		"                   [--file-save-max SIZE] [--undo-sync] [--timeout S]\n"
		"                   [--full-every N] [--verbose] [--] PROG [ARGS...]\n"
		"Run PROG, writing a checkpoint image every SECONDS (default 60; 0 =\n"
		"only on demand, with the checkpoint signal) to IMAGE (default\n"
		"./PROG.ckpt).  Resume with: ckpt-resume IMAGE\n"
		"CODEC: none, lz4 (the default), zstd or zlib, with a level\n"
		"after a colon (zstd:3, zlib:6); a digit 0-9 alone is a zlib level.\n"
		"--no-fork writes each image in the pause instead of in a forked\n"
		"copy-on-write writer while the program runs on.\n"
		"--undo-sync puts each undo record on disk before the write it\n"
		"guards, so that in-place writes are undone after a crash of the\n"
		"machine too (docs/files.md).\n"
		"--timeout S gives up a checkpoint whose threads do not stop, or\n"
		"whose writer writes nothing, for S seconds (default 10; 0: never).\n"
		"--full-every N writes a full image at least every N images; those\n"
		"between hold only the pages written since the one before (default\n"
		"8; 1: every image full).  Their parents stay beside IMAGE as\n"
		"IMAGE.GENERATION while the chain needs them.\n");
}

static int __attribute__((noreturn)) fail(const char *fmt, const char *arg)
{
	fprintf(stderr, "ckpt-launch: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	exit(2);
}

/* The program as execvp would find it. */
static int find_program(const char *prog, char *out, size_t size)
{
	const char *path = getenv("PATH");
	char *copy, *dir, *save = NULL;

	if (strchr(prog, '/')) {
		snprintf(out, size, "%s", prog);
		return access(out, X_OK);
	}
	copy = strdup(path ? path : "/usr/local/bin:/usr/bin:/bin");
	for (dir = strtok_r(copy, ":", &save); dir;
	     dir = strtok_r(NULL, ":", &save)) {
		snprintf(out, size, "%s/%s", *dir ? dir : ".", prog);
		if (!access(out, X_OK)) {
			free(copy);
			return 0;
		}
	}
	free(copy);
	return -1;
}

/* A script's interpreter, from its "#!" line, into out; 0 if it has one. */
static int script_interpreter(int fd, char *out, size_t size)
{
	char line[256];
	ssize_t n = pread(fd, line, sizeof(line) - 1, 0);
	size_t len;

	if (n < 3 || line[0] != '#' || line[1] != '!')
		return -1;
	line[n] = 0;
	len = strcspn(line + 2 + strspn(line + 2, " \t"), " \t\n");
	snprintf(out, size, "%.*s", (int)len, line + 2 + strspn(line + 2, " \t"));
	return len ? 0 : -1;
}

/*
 * The kernel runs setuid, setgid and file-capability programs in secure
 * mode, where the loader ignores LD_PRELOAD: they would run with no
 * checkpoints at all.  A script is judged by its interpreter too.
 */
static void check_reachable(const char *path, int depth)
{
	char interp[256];
	Elf64_Ehdr eh;
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC), dynamic = 0;

	if (fd < 0 || fstat(fd, &st))
		fail("cannot open %s", path);
	if (st.st_mode & (S_ISUID | S_ISGID))
		fail("%s is setuid or setgid: the dynamic loader ignores "
		     "LD_PRELOAD for it, so it cannot be checkpointed", path);
	if (fgetxattr(fd, "security.capability", NULL, 0) >= 0)
		fail("%s has file capabilities: the dynamic loader ignores "
		     "LD_PRELOAD for it, so it cannot be checkpointed", path);
	if (pread(fd, &eh, sizeof(eh), 0) != sizeof(eh) ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0) {
		/* The kernel follows at most 4 levels of interpreters. */
		if (depth < 4 && !script_interpreter(fd, interp, sizeof(interp)))
			check_reachable(interp, depth + 1);
		close(fd);
		return;
	}
	for (int i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;

		if (pread(fd, &ph, sizeof(ph),
			  (off_t)(eh.e_phoff + (uint64_t)i * eh.e_phentsize)) !=
		    sizeof(ph))
			break;
		dynamic |= ph.p_type == PT_INTERP;
	}
	close(fd);
	if (!dynamic)
		fail("%s is statically linked: LD_PRELOAD cannot reach it, so it "
		     "cannot be checkpointed", path);
}

static void preload(const char *lib)
{
	const char *old = getenv("LD_PRELOAD");
	char *v;

	if (old && *old) {
		if (asprintf(&v, "%s:%s", lib, old) < 0)
			fail("%s", "out of memory");
	} else {
		v = strdup(lib);
	}
	setenv("LD_PRELOAD", v, 1);
	free(v);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "period", required_argument, NULL, 'p' },
		{ "file", required_argument, NULL, 'f' },
		{ "signal", required_argument, NULL, 's' },
		{ "compress", required_argument, NULL, 'c' },
		{ "file-save-max", required_argument, NULL, 'm' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "no-fork", no_argument, NULL, 'n' },
		{ "undo-sync", no_argument, NULL, 'u' },
		{ "timeout", required_argument, NULL, 't' },
		{ "full-every", required_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char lib[4096], prog[4096];
	int c, codec, level;

	while ((c = getopt_long(argc, argv, "+p:f:s:c:m:t:F:vnuh", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (ckpt_parse_period(optarg) < 0)
				fail("--period '%s': expected seconds, 0 or at "
				     "least 0.001", optarg);
			setenv("CKPT_PERIOD", optarg, 1);
			break;
		case 'f':
			setenv("CKPT_FILE", optarg, 1);
			break;
		case 's':
			if (ckpt_parse_signal(optarg) < 0)
				fail("--signal '%s': not a usable signal (a "
				     "real-time signal, RTMIN to RTMAX, or USR1, "
				     "USR2)", optarg);
			setenv("CKPT_SIGNAL", optarg, 1);
			break;
		case 'c':
			if (ckpt_parse_codec(optarg, &codec, &level))
				fail("--compress '%s': expected none, lz4, zstd "
				     "or zlib, with a level after a colon "
				     "(zstd:3), or a zlib level 0-9", optarg);
			setenv("CKPT_COMPRESS", optarg, 1);
			break;
		case 'm':
			if (ckpt_parse_size(optarg) < 0)
				fail("--file-save-max '%s': expected a size such "
				     "as 8M", optarg);
			setenv("CKPT_FILE_SAVE_MAX", optarg, 1);
			break;
		case 'v':
			setenv("CKPT_VERBOSE", "1", 1);
			break;
		case 'n':
			setenv("CKPT_NO_FORK", "1", 1);
			break;
		case 'u':
			setenv("CKPT_UNDO_SYNC", "1", 1);
			break;
		case 't':
			if (ckpt_parse_period(optarg) < 0)
				fail("--timeout '%s': expected seconds, 0 or at "
				     "least 0.001", optarg);
			setenv("CKPT_TIMEOUT", optarg, 1);
			break;
		case 'F':
			if (ckpt_parse_count(optarg) < 0)
				fail("--full-every '%s': expected a count of "
				     "images, 1 to 1000000 (1: every image "
				     "full)", optarg);
			setenv("CKPT_FULL_EVERY", optarg, 1);
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	if (path_beside_self(lib, sizeof(lib), CKPT_LIB_REL) ||
	    access(lib, R_OK))
		fail("cannot find libckpt.so at %s", lib);
	if (find_program(argv[optind], prog, sizeof(prog)))
		fail("%s: command not found or not executable", argv[optind]);
	check_reachable(prog, 0);
	preload(lib);
	unsetenv("CKPT_PID");
	/* A request sent before libckpt is loaded waits until libckpt
	 * unblocks it. */
	ckpt_signal_block(ckpt_signal_configured());
	execv(prog, argv + optind);
	fail("cannot execute %s", prog);
}
