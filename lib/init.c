/*
 * Loading libckpt: read the settings from the environment, reserve ckpt's
 * address range, install the handler and start the timer.
 *
 * Environment (docs/configuration.md):
 *   CKPT_FILE      image path (default: ./PROG.ckpt, made absolute at load)
 *   CKPT_PERIOD    seconds between checkpoints, fractions allowed; 0 = only
 *                  on demand (default 60)
 *   CKPT_SIGNAL    checkpoint signal, a number or a name such as RTMAX-2
 *                  (default SIGRTMAX-2)
 *   CKPT_COMPRESS  codec of page data: none, lz4, zstd or zlib, with a level
 *                  after a colon (zstd:3); a digit alone is a zlib level as
 *                  before, 0 = none (default: CKPT_DEFAULT_CODEC in core.h)
 *   CKPT_NO_FORK   1: write the image in the pause, not in a forked writer
 *   CKPT_FILE_SAVE_MAX  output files up to this size have their contents saved
 *   CKPT_UNDO_SYNC 1: each undo record is on disk before the write it guards
 *   CKPT_FULL_EVERY  a full image at least every N images, incremental ones
 *                  between (default 8; 1 = every image full)
 *   CKPT_TIMEOUT   seconds a checkpoint may wait for a thread to stop, or
 *                  its writer for progress, before it is abandoned
 *                  (default 10; 0 = wait for ever)
 *   CKPT_VERBOSE   1: one line on stderr per checkpoint and resume
 *   CKPT_FAULT     fault injection for the tests (fault.h)
 *   CKPT_PID       set by libckpt to the pid it checkpoints; a process with
 *                  another pid (a child that inherited the environment) stays
 *                  passive
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ckpt.h"
#include "config.h"
#include "core.h"
#include "fault.h"
#include "journal.h"
#include "str.h"
#include "sys.h"


static void __attribute__((noreturn)) config_fail(const char *var,
						  const char *value,
						  const char *why)
{
	fprintf(stderr, "ckpt: %s='%s' %s\n", var, value, why);
	_exit(2);
}

static void path_absolute(char *out, size_t size, const char *path)
{
	char cwd[CKPT_PATH_MAX];
	int n;

	if (path[0] == '/' || !getcwd(cwd, sizeof(cwd)))
		n = snprintf(out, size, "%s", path);
	else
		n = snprintf(out, size, "%s/%s", cwd, path);
	if (n < 0 || (size_t)n >= size)
		config_fail("CKPT_FILE", path, "makes too long a path");
}

/*
 * glibc's getenv and setenv, never the program's: bash, for one, exports
 * its own, which before its main know nothing of the environment, so
 * ckpt's settings would silently be the defaults.  RTLD_NEXT from libckpt
 * is past the executable and the preloads, in the libraries it needs.
 */
static char *env_get(const char *name)
{
	REAL(getenv);
	return real_getenv(name);
}

static int env_set(const char *name, const char *value)
{
	REAL(setenv);
	return real_setenv(name, value, 1);
}

/* A setting in seconds, fractions allowed, or 0. */
static uint64_t env_seconds(const char *name, uint64_t dflt)
{
	const char *v = env_get(name);
	int64_t ns;

	if (!v || !*v)
		return dflt * 1000000000ull;
	ns = ckpt_parse_period(v);
	if (ns < 0)
		config_fail(name, v, "is not a time in seconds (0, or at least "
			    "0.001)");
	return (uint64_t)ns;
}

/* A setting that is 0 or 1, unset meaning 0. */
static int env_flag(const char *name)
{
	const char *v = env_get(name);

	if (v && *v && strcmp(v, "0") != 0 && strcmp(v, "1") != 0)
		config_fail(name, v, "is not 0 or 1");
	return v && !strcmp(v, "1");
}

static void config_load(void)
{
	const char *v;
	char *slash;

	v = env_get("CKPT_FILE");
	if (v && *v) {
		path_absolute(ckpt_cfg.image, sizeof(ckpt_cfg.image), v);
	} else {
		char name[512];

		snprintf(name, sizeof(name), "%s.ckpt",
			 program_invocation_short_name);
		path_absolute(ckpt_cfg.image, sizeof(ckpt_cfg.image), name);
	}
	if (strlen(ckpt_cfg.image) + 5 >= sizeof(ckpt_cfg.tmp))
		config_fail("CKPT_FILE", ckpt_cfg.image, "is too long");
	snprintf(ckpt_cfg.tmp, sizeof(ckpt_cfg.tmp), "%s.tmp", ckpt_cfg.image);
	snprintf(ckpt_cfg.dir, sizeof(ckpt_cfg.dir), "%s", ckpt_cfg.image);
	slash = strrchr(ckpt_cfg.dir, '/');
	if (slash == ckpt_cfg.dir)
		slash[1] = 0;
	else if (slash)
		*slash = 0;

	ckpt_cfg.period_ns = env_seconds("CKPT_PERIOD", 60);
	ckpt_cfg.timeout_ns = env_seconds("CKPT_TIMEOUT", 10);
	ckpt_cfg.signal = SIGRTMAX - 2;
	v = env_get("CKPT_SIGNAL");
	if (v && *v) {
		ckpt_cfg.signal = ckpt_parse_signal(v);
		if (ckpt_cfg.signal < 0)
			config_fail("CKPT_SIGNAL", v, "is not a usable signal "
				    "(a real-time signal, RTMIN to RTMAX, or "
				    "USR1, USR2)");
	}
	ckpt_cfg.codec = CKPT_DEFAULT_CODEC;
	ckpt_cfg.level = CKPT_DEFAULT_LEVEL;
	v = env_get("CKPT_COMPRESS");
	if (v && *v &&
	    ckpt_parse_codec(v, &ckpt_cfg.codec, &ckpt_cfg.level))
		config_fail("CKPT_COMPRESS", v,
			    "is not a codec: none, lz4, zstd, zlib, with a "
			    "level after a colon (zstd:3), or a zlib level "
			    "0-9");
	ckpt_cfg.no_fork = env_flag("CKPT_NO_FORK");
	ckpt_cfg.undo_sync = env_flag("CKPT_UNDO_SYNC");
	ckpt_cfg.file_save_max = 8u << 20;
	v = env_get("CKPT_FILE_SAVE_MAX");
	if (v && *v) {
		int64_t n = ckpt_parse_size(v);

		if (n < 0)
			config_fail("CKPT_FILE_SAVE_MAX", v,
				    "is not a size (bytes, or with K, M or G)");
		ckpt_cfg.file_save_max = (uint64_t)n;
	}
	ckpt_cfg.full_every = CKPT_DEFAULT_FULL_EVERY;
	v = env_get("CKPT_FULL_EVERY");
	if (v && *v) {
		int64_t n = ckpt_parse_count(v);

		if (n < 0)
			config_fail("CKPT_FULL_EVERY", v,
				    "is not a count of images, 1 to 1000000");
		ckpt_cfg.full_every = (uint32_t)n;
	}
	ckpt_cfg.verbose = env_flag("CKPT_VERBOSE");
	v = env_get("CKPT_FAULT");
	if (v && *v && fault_parse(v, &ckpt_fault))
		config_fail("CKPT_FAULT", v, "is not STEP:N:ERROR[@K] (lib/fault.h)");
}

/* A misspelt variable would silently leave a default in force. */
static void config_names_check(void)
{
	static const char *const known[] = {
		"CKPT_FILE", "CKPT_PERIOD", "CKPT_SIGNAL", "CKPT_COMPRESS",
		"CKPT_FILE_SAVE_MAX", "CKPT_VERBOSE", "CKPT_PID", "CKPT_FAULT",
		"CKPT_NO_FORK", "CKPT_UNDO_SYNC", "CKPT_TIMEOUT",
		"CKPT_FULL_EVERY",
	};

	for (char **e = environ; *e; e++) {
		size_t len = strcspn(*e, "=");
		size_t i = 0;

		if (strncmp(*e, "CKPT_", 5) != 0)
			continue;
		while (i < sizeof(known) / sizeof(*known) &&
		       (strlen(known[i]) != len || strncmp(*e, known[i], len) != 0))
			i++;
		if (i == sizeof(known) / sizeof(*known))
			config_fail(strndupa(*e, len), strchr(*e, '=') ?
				    strchr(*e, '=') + 1 : "",
				    "is not a ckpt setting (docs/configuration.md)");
	}
}

/*
 * The image's location, tried before the program starts: a missing
 * directory, a directory or device in the image's place, or a place the
 * user cannot write would otherwise show only as a failure at every period.
 */
static void location_check(void)
{
	struct stat st;
	int fd;

	if (!stat(ckpt_cfg.image, &st) && !S_ISREG(st.st_mode))
		config_fail("CKPT_FILE", ckpt_cfg.image,
			    "is not a regular file: an image cannot go there");
	unlink(ckpt_cfg.tmp); /* a killed writer's */
	fd = open(ckpt_cfg.tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
					O_CLOEXEC, 0600);
	if (fd < 0) {
		char why[160];

		snprintf(why, sizeof(why), "cannot be written (creating "
			 "IMAGE.tmp beside it: %s)", errno == EEXIST ?
			 "a file ckpt cannot remove is in its place" :
			 strerror(errno));
		config_fail("CKPT_FILE", ckpt_cfg.image, why);
	}
	close(fd);
	unlink(ckpt_cfg.tmp);
}

/* A child that inherited LD_PRELOAD must not write its parent's image. */
static int owns_checkpointing(void)
{
	const char *v = env_get("CKPT_PID");
	char pid[24];

	snprintf(pid, sizeof(pid), "%ld", (long)getpid());
	if (v && (!*v || strspn(v, "0123456789") != strlen(v) || *v == '0'))
		config_fail("CKPT_PID", v, "is not a process id (libckpt sets "
			    "it; leave it unset)");
	if (v)
		return !strcmp(v, pid);
	env_set("CKPT_PID", pid);
	return 1;
}

/* ckpt-launch blocks the signal until the handler exists (launch.c). */
static void unblock_checkpoint_signal(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, ckpt_cfg.signal);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
}

static void after_fork_child(void) { ckpt_deactivate(); }

__attribute__((constructor)) static void ckpt_init(void)
{
	int rc;

	config_names_check();
	if (!owns_checkpointing())
		return;
	config_load();
	location_check();
	journal_init();
	undo_init();
	writes_init();
	dl_init();
	mutexes_init();
	rc = range_map(0);
	if (rc) {
		fprintf(stderr,
			"ckpt: cannot reserve ckpt's address range at %#lx: %s;"
			" checkpointing is off for this process\n",
			(unsigned long)CKPT_RANGE_START, strerror(-rc));
		return;
	}
	proc_init();
	if (handler_install()) {
		fprintf(stderr, "ckpt: cannot install the handler for signal %d:"
			" %s\n", ckpt_cfg.signal, strerror(errno));
		return;
	}
	pthread_atfork(NULL, NULL, after_fork_child);
	rc = timer_start();
	if (rc)
		fprintf(stderr, "ckpt: cannot start the checkpoint timer: %s;"
			" checkpoints only on demand\n", strerror(-rc));
	ckpt_activate();
	unblock_checkpoint_signal();
}

CKPT_EXPORT int ckpt_checkpoint(void)
{
	if (!ckpt_is_active())
		return -1;
	return checkpoint_request();
}

CKPT_EXPORT int ckpt_enabled(void) { return ckpt_is_active(); }
