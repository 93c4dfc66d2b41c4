/*
 * Parsers for the /proc files ckpt reads: maps, fdinfo, stat.  They work on
 * text already read into memory and allocate nothing, so the handler and the
 * bootstrap can use them.
 */
#ifndef CKPT_PROCFS_H
#define CKPT_PROCFS_H

#include <stddef.h>
#include <stdint.h>

struct maps_entry {
	uint64_t start, end, offset, ino;
	uint32_t dev_major, dev_minor;
	int prot;        /* PROT_READ | PROT_WRITE | PROT_EXEC */
	int shared;      /* 's' rather than 'p' */
	const char *path; /* not NUL-terminated; path_len bytes, may be 0 */
	size_t path_len;
};

/* Parse one line (without its newline).  Returns 0, or -1 if malformed. */
int maps_parse_line(const char *line, size_t len, struct maps_entry *e);

/* The entry's path is exactly name ("[stack]", "[vsyscall]"). */
int maps_path_is(const struct maps_entry *e, const char *name);

/*
 * Walk every line of a maps text, calling fn for each; stops early when fn
 * returns non-zero and returns that value.  Returns -1 on a malformed line.
 */
int maps_parse(const char *text, size_t len,
	       int (*fn)(const struct maps_entry *e, void *arg), void *arg);

struct fdinfo {
	uint64_t pos;
	uint32_t flags; /* O_* flags, from the octal "flags:" line */
	uint32_t mnt_id;
};

/* Parse the text of /proc/PID/fdinfo/FD.  Returns 0, or -1 when the pos or
 * flags line is missing or malformed. */
int fdinfo_parse(const char *text, size_t len, struct fdinfo *out);

/* The number after "key" at the start of a line of an fdinfo text (such as
 * "eventfd-count:"), in the given base.  Returns 0, or -1 if absent. */
int fdinfo_value(const char *text, size_t len, const char *key, int base,
		 uint64_t *out);

/* A "key: (a, b)" pair, as timerfd's it_value.  Returns 0 or -1. */
int fdinfo_pair(const char *text, size_t len, const char *key, uint64_t *a,
		uint64_t *b);

/* The next "tfd: N events: X data: Y" line of an epoll fdinfo text at or
 * after *pos; advances *pos.  Returns 0, or -1 when there is none. */
int fdinfo_epoll_next(const char *text, size_t len, size_t *pos, int32_t *fd,
		      uint32_t *events, uint64_t *data);

/*
 * Read the numeric field number `field` (1-based, as in proc(5)) of a
 * /proc/PID/stat text.  The command name may hold spaces and parentheses:
 * fields are counted from the last ')'.  Returns 0 or -1.
 */
int stat_field(const char *text, size_t len, int field, uint64_t *out);

struct ckpt_vdso_area;

/* Find [vvar], [vvar_vclock] and [vdso] in a maps text; absent ones are
 * left zero.  out has CKPT_VDSO_AREAS entries. */
void vdso_areas_find(const char *maps, size_t len, struct ckpt_vdso_area *out);

/* Same sizes and same relative placement: the block can be moved from one
 * to the other.  Returns 1 or 0. */
int vdso_layout_equal(const struct ckpt_vdso_area *a,
		      const struct ckpt_vdso_area *b);

/*
 * Call fn for each entry of a /proc directory whose name is a number (the
 * descriptors of /proc/thread-self/fd, the threads of /proc/self/task);
 * dirfd is the descriptor the listing itself uses.  Returns 0 or -errno.
 */
int proc_list_numbers(const char *dir,
		      void (*fn)(int n, int dirfd, void *arg), void *arg);

/* prefix followed by n, as "/proc/thread-self/fd/7", into buf. */
char *proc_path_n(char *buf, size_t size, const char *prefix, uint64_t n);

/* Read a whole small file with raw system calls into buf (NUL-terminated).
 * Returns the length, or -errno. */
long proc_read_file(const char *path, char *buf, size_t size);

#endif
