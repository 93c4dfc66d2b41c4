/*
 * ckpt — transparent checkpoint/restart.  Programs need nothing from this
 * header to be checkpointed; it is for programs that want a say in when.
 *
 * Link with -lckpt, or look the functions up with dlsym(RTLD_DEFAULT, ...)
 * so the program still runs where libckpt is not preloaded.
 */
#ifndef CKPT_H
#define CKPT_H

#ifdef __cplusplus
extern "C" {
#endif

/* Write a checkpoint now, before returning.  Returns 0 when the image was
 * written, 1 when the call returns in a process resumed from it, and -1
 * when checkpointing is not active in this process or the image could not
 * be written (ckpt says why on stderr). */
int ckpt_checkpoint(void);

/* 1 when libckpt is loaded and checkpointing this process, else 0. */
int ckpt_enabled(void);

#ifdef __cplusplus
}
#endif

#endif
