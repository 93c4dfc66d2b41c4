#ifndef CKPT_CORE_RANGE_H
#define CKPT_CORE_RANGE_H

/*
 * ckpt's own address range, reserved in every checkpointed process and left
 * out of its image.  The restore bootstrap is linked to run from its first
 * part; the second part is the handler's scratch memory (arena).
 * CKPT_RANGE_START comes from the build, shared with the bootstrap's link.
 */
#define CKPT_BOOT_SIZE (256ul << 20)
#define CKPT_ARENA_SIZE (256ul << 20)
#define CKPT_RANGE_SIZE (CKPT_BOOT_SIZE + CKPT_ARENA_SIZE)
#define CKPT_ARENA_START (CKPT_RANGE_START + CKPT_BOOT_SIZE)
/* The arena's last page is shared with the forked writer (core.c).  Below
 * it, the undo log's buffer (undo.c): used between checkpoints, never in
 * one, and like the arena left out of the image. */
#define CKPT_UNDO_BUF_SIZE (1ul << 20)
#define CKPT_ARENA_USABLE (CKPT_ARENA_SIZE - 4096ul - CKPT_UNDO_BUF_SIZE)
#define CKPT_UNDO_BUF (CKPT_ARENA_START + CKPT_ARENA_USABLE)
#define CKPT_STATUS_ADDR (CKPT_UNDO_BUF + CKPT_UNDO_BUF_SIZE)

#endif
