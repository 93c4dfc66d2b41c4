#ifndef CKPT_PATHS_H
#define CKPT_PATHS_H

#include <stddef.h>

/* Where ckpt's own files lie relative to the running command (bin/), so an
 * installed or a built tree works from any directory. */
#define CKPT_LIB_REL "../lib/libckpt.so"
#define CKPT_RESTORE_REL "../lib/ckpt/ckpt-restore"

/* out = the directory of /proc/self/exe + "/" + rel.  Returns 0 or -1. */
int path_beside_self(char *out, size_t size, const char *rel);

#endif
