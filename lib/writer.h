/*
 * The forked writer: a copy-on-write child of the program that writes the
 * image captured in the pause while the program runs on.  It is cloned
 * with the checkpoint signal as its exit signal, so no SIGCHLD is raised,
 * and wait(), waitpid(-1) and waitid(P_ALL) never return it (they only see
 * children that signal SIGCHLD, unless __WCLONE or __WALL is asked for).
 */
#ifndef CKPT_WRITER_H
#define CKPT_WRITER_H

#include <signal.h>
#include <stdint.h>

/* Fork a writer that runs job(), then ends.  0, or -errno when no
 * process could be made. */
int writer_start(int (*job)(void));
/* Whether a writer is running (not reaped yet). */
int writer_running(void);
/* A writer that has written nothing for timeout_ns (a hung disk, a dead
 * file server) is killed: 1, with where it waited in wchan.  Its end is
 * then reaped as any other. */
#include <stddef.h>
int writer_stalled(uint64_t timeout_ns, char *wchan, size_t size);
/* Whether si is the exit notice of a writer of this process. */
int writer_notice(const siginfo_t *si);

struct writer_result {
	int pid;
	int rc;          /* what job() returned, or -EINTR when it ended
			    before it finished */
	int signal;      /* what ended it then, or 0 */
	uint64_t end_ns; /* CLOCK_MONOTONIC when it finished */
};
/* Reap the writer if it has ended: 1 and its result, or 0 (none, or
 * running). */
int writer_reap(struct writer_result *out);

#endif
