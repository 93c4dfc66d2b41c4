/*
 * The parents of an incremental image, opened and checked (chain_open.c),
 * for ckpt-resume and ckpt-merge.
 */
#ifndef CKPT_CHAIN_OPEN_H
#define CKPT_CHAIN_OPEN_H

#include <stddef.h>

#include "image.h"
#include "tool.h"
#include "verify.h"

/* Parents handed to the bootstrap at most (its CKPT_CHAIN_FDS). */
#define CHAIN_FDS 1024


/*
 * The parents of an incremental image, nearest first, each the very file
 * its child names (generation, time, size and header checksum, hence every
 * section's), of the same run, checked as thoroughly as the image.
 * Returns how many, their descriptors in fds; refuses otherwise.
 */
int parents_open(struct image_reader *child, const struct verify *v, int *fds,
		 int max);

#endif
