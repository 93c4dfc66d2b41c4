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

/* Write a checkpoint now, before returning.  Returns 0 when one was taken
 * (or the call returns in a resumed process), -1 when checkpointing is not
 * active in this process. */
int ckpt_checkpoint(void);

/* 1 when libckpt is loaded and checkpointing this process, else 0. */
int ckpt_enabled(void);

#ifdef __cplusplus
}
#endif

#endif
