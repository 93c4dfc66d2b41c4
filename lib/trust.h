/*
 * Who may resume what (docs/security.md): an image, and every file ckpt
 * relies on beside it, is trusted only when nobody but its owner could have
 * written or replaced it.  Raw system calls only, so ckpt-resume and the
 * library's restore path judge a file by the same rules.
 */
#ifndef CKPT_TRUST_H
#define CKPT_TRUST_H

#include <stddef.h>
#include <stdint.h>

#include "ckpt_image.h"

enum trust_verdict {
	TRUST_OK = 0,
	TRUST_ESTAT,       /* cannot be examined */
	TRUST_ENOTREG,     /* not a regular file */
	TRUST_EOWNER,      /* owned by another user */
	TRUST_EWRITABLE,   /* writable by group or others */
	TRUST_EDIR_OWNER,  /* a directory on its path belongs to another user */
	TRUST_EDIR_OPEN,   /* a directory on its path lets others replace it */
	TRUST_EJOURNAL_KEY,  /* a journal headed by another key */
	TRUST_EJOURNAL_SIZE, /* a journal larger than ckpt writes */
};

/* A file opened with O_NOFOLLOW: regular, owned by uid, writable by its
 * owner alone.  *owner receives the file's owner when owner is not NULL. */
int trust_file(int fd, uint32_t uid, uint32_t *owner);

/*
 * Every directory from / to the one holding the absolute path: owned by
 * uid or root, and not writable by others unless sticky (as /tmp is).
 * Group-writable directories are trusted: the group is the owner's choice.
 * The first directory that fails is copied to bad.
 */
int trust_dirs(const char *path, uint32_t uid, char *bad, size_t bad_size);

/*
 * The journal IMAGE.created (journal.c) makes the resume delete and cut
 * files, so it must be the image's own: its first line is
 * "ckpt-journal KEY", KEY the run's random key (in the image's PROC) in hex.
 */
#define CKPT_JOURNAL_MAGIC "ckpt-journal"
/* "MAGIC KEY\n", KEY in hex: the first line of a companion file. */
char *trust_key_line(char *dst, char *end, const char *magic,
		     const uint8_t *key);
char *trust_journal_header(char *dst, char *end, const uint8_t *key);
/* Whether the journal open on fd (O_NOFOLLOW) may be obeyed: trust_file()
 * for uid, then the key line.  Reads it into buf, NUL-terminated, its
 * length in *len. */
int trust_journal(int fd, uint32_t uid, const uint8_t *key, char *buf,
		  size_t size, long *len);

/* A companion file too large to read whole (the undo log): trust_file()
 * for uid, then its first line, whose length goes to *head_len. */
int trust_companion(int fd, uint32_t uid, const char *magic,
		    const uint8_t *key, uint64_t *head_len);

const char *trust_text(int verdict);

#endif
