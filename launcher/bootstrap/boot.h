#ifndef CKPT_BOOT_H
#define CKPT_BOOT_H

#include <stddef.h>

/* Allocation from the bootstrap's heap inside ckpt's range; never freed. */
void *boot_alloc(size_t size);

/* Print "ckpt-restore: what detail" and exit with status 1. */
__attribute__((noreturn)) void boot_die(const char *what, const char *detail);

#endif
