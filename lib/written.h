/*
 * The pages the program wrote since the last image (written.c, over
 * dirty.h): found in the pause, read by the memory module's emit.
 */
#ifndef CKPT_WRITTEN_H
#define CKPT_WRITTEN_H

#include <stdint.h>

#include "ckpt_image.h"
#include "dirty.h"

/*
 * In the pause, after the map is read: scan the private regions, keep the written
 * ranges in the arena and protect them again; register the regions not
 * tracked yet (their pages count as written).  Returns the generation of
 * the image the ranges are relative to -- the one captured at the previous
 * scan, if it was completed -- or 0 when this image must be full.
 */
uint64_t written_capture(const struct ckpt_extent *regions, uint32_t n);

/* Whether [addr, addr + 4096) was written, for addresses asked in
 * increasing order from a cursor set to 0. */
int written_has(uint64_t *cursor, uint64_t addr);

/* An image was completed (checkpoint_settle). */
void written_image_done(uint64_t generation);
/* At resume: the bootstrap tracks from image `generation` on with uffd
 * (-1: it could not); ckpt takes the descriptor over. */
void written_restore(uint64_t generation, int uffd);
/* The descriptor moved by the files module (-errno: lost). */
void written_restore_fd(int fd);
/* ckpt's own descriptor, which the program's are not (-1: none). */
int written_fd(void);

#endif
