/*
 * Page chunks from the program's memory to the image: each chunk is
 * encoded (checksum, codec) on its own, by this thread and by helper
 * threads on the other cores, and written in order by this thread.
 */
#ifndef CKPT_CHUNKS_H
#define CKPT_CHUNKS_H

#include <stdint.h>

#include "image.h"

struct chunk_pipe;

/* In the arena; helpers only where there are cores for them.  NULL when
 * the arena is exhausted or the codec cannot start. */
struct chunk_pipe *chunk_pipe_start(struct image_writer *w, int codec,
				    int level);
/* Queue npages at addr of region index region.  unstable: the memory may
 * change before it is encoded (the writing code's own stack and
 * variables), so it is copied now.  0 or -errno. */
int chunk_pipe_put(struct chunk_pipe *p, uint32_t region, uint64_t addr,
		   uint32_t npages, int unstable);
/* Every queued chunk encoded and written: before memory the chunks were
 * read from changes (its protection put back).  0 or -errno. */
int chunk_pipe_drain(struct chunk_pipe *p);
/* Drain, then stop the helpers.  0 or -errno. */
int chunk_pipe_end(struct chunk_pipe *p);

#endif
