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
/* The arena's last page is shared with the forked writer (core.c). */
#define CKPT_ARENA_USABLE (CKPT_ARENA_SIZE - 4096ul)
#define CKPT_STATUS_ADDR (CKPT_ARENA_START + CKPT_ARENA_USABLE)

#endif
