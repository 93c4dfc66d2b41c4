/*
 * Small string and number helpers that need no libc state: usable in the
 * signal handler, the restore path and the freestanding bootstrap.
 */
#ifndef CKPT_STR_H
#define CKPT_STR_H

#include <stddef.h>
#include <stdint.h>

size_t str_len(const char *s);
int str_eq(const char *a, const char *b);
int str_starts(const char *s, const char *prefix);
int str_ends(const char *s, size_t len, const char *suffix);

/*
 * Bounded appending: each returns the new end.  Output is always
 * NUL-terminated within [dst, end); text that does not fit is cut.
 */
char *str_add(char *dst, char *end, const char *s);
char *str_add_n(char *dst, char *end, const char *s, size_t n);
char *str_add_u64(char *dst, char *end, uint64_t v);
char *str_add_hex(char *dst, char *end, uint64_t v);

/* Parse a number at *p in the given base (10, 16 or 8), advancing *p past
 * it.  Returns 0 on success, -1 when no digit is there. */
int str_parse_u64(const char **p, const char *end, int base, uint64_t *out);
void str_skip_spaces(const char **p, const char *end);

/* Write "ckpt: " and the NUL-terminated parts to fd, then a newline.  For
 * the handler and the bootstrap: no stdio. */
void say_parts(int fd, const char *const *parts);
#define say(fd, ...) say_parts(fd, (const char *const[]){ __VA_ARGS__, 0 })

/* A system call's -errno as text, for messages (no libc strerror here). */
const char *errno_text(long neg_errno);

#endif
