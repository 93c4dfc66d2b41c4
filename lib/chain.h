/*
 * Image chains, on the writing side (chain.c): whether the image being
 * written is an incremental one, the name its parent keeps beside IMAGE,
 * and which names are removed once a full image no longer needs them.
 */
#ifndef CKPT_CHAIN_H
#define CKPT_CHAIN_H

#include <stdint.h>

#include "image.h"

/* Before the modules' emit: an incremental image on parent_gen (0: full)
 * if IMAGE still is that image, of this run, and the chain is shorter
 * than --full-every; writes PARENT then.  Returns 1 when incremental. */
int chain_begin(struct image_writer *w, uint64_t parent_gen);
int chain_incremental(void);
/* The image was given up (!placed), or renamed into place and, when
 * durable, its directory synced: only then are old names removed. */
void chain_end(int placed, int durable);

#endif
