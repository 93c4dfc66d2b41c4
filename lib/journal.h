/*
 * Exactly-once for files the program writes but may have closed by the time
 * of a checkpoint, and for files it creates or first writes after one.
 */
#ifndef CKPT_JOURNAL_H
#define CKPT_JOURNAL_H

#include <stddef.h>
#include <stdint.h>

#include "ckpt_image.h"
#include "undo.h"

/* What a path was just before an open that may write it.  writes:
 * PRIOR_WRITES, and PRIOR_TRUNCATES for O_TRUNC (its bytes are saved to the
 * undo log first, and no checkpoint starts until output_opened). */
#define PRIOR_WRITES 1
#define PRIOR_TRUNCATES 2
struct prior {
	int writes, existed;
	uint64_t size;
	struct undo_guard guard;
};

void output_prior(struct prior *p, int dirfd, const char *path, int writes);
/* After the open (fd -1 if it failed): remember the file, and journal it
 * if it is new since the last checkpoint.  Returns fd. */
int output_opened(int fd, struct prior *p);

/* The files written since libckpt was loaded (a bounded table). */
struct output_file {
	uint64_t dev, ino;
	const char *path;
};
uint32_t output_files(const struct output_file **out);
/* Whether the file is in that table. */
int output_known(uint64_t dev, uint64_t ino);

/* At load: the run's key, and no journal left from an earlier run. */
void journal_init(void);
const uint8_t *journal_key_get(void);
/* IMAGE.created, beside the configured image. */
void journal_path(char *buf, size_t size);

/* At resume: undo what the program did to files after the capture of the
 * image it resumes from (ckpt_generation): remove the ones it created, cut
 * back the ones it first wrote. */
void journal_replay(void);

#endif
