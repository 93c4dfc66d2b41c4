/*
 * Kinds of descriptor, one table of operations (in the manner of CRIU's
 * files-reg.c, pipes.c, eventfd.c): each family lives in its own file,
 * lib/fd_*.c, and describes how it is told apart, captured at checkpoint
 * (into struct ckpt_fd and the FILEDATA section) and recreated at resume.
 * fdkinds.c holds the table and what the families share.
 *
 * Capture runs in the checkpoint handler with every thread stopped, the
 * restore in the resumed process before it returns into the program: raw
 * system calls (sys.h) and arena memory only, no libc that allocates or
 * locks.
 */
#ifndef CKPT_FDKINDS_H
#define CKPT_FDKINDS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "ckpt_image.h"
#include "image.h"

#define FDINFO_MAX (1u << 20) /* an epoll set can list many targets */

struct fd_scan {
	struct image_writer *w;  /* FILEDATA is open on it while capturing */
	struct ckpt_fd *fds;
	uint32_t n;
	char *strings;
	size_t strings_len, strings_max;
	char *info;              /* fdinfo text of the descriptor at hand */
	char *buf;
	size_t buf_size;
	uint64_t data_len;       /* bytes in FILEDATA so far */
};

struct fd_restore {
	struct image_reader *r;
	const struct ckpt_section *data; /* FILEDATA */
	const struct ckpt_fd *fds;
	uint32_t n;
	struct image_table table; /* the FILES section: entries, strings */
	uint8_t *done;           /* placed already (a pipe's other end) */
	char *buf;
	size_t buf_size;
	int keep_std;            /* CKPT_RESTORE_KEEP_* from ckpt-resume */
};

/*
 * One kind.  Any operation may be NULL: no match means the kind is never
 * chosen by the scan (a kind only a capture sets), no capture means the
 * entry says all there is, no restorable means always, no open means
 * "not supported".
 */
struct fd_kind_ops {
	uint32_t kind;
	/* The descriptor fd (its fstat and /proc path) is of this kind.
	 * Tried in table order: the first that says yes wins. */
	int (*match)(int fd, const struct stat *st, const char *path);
	/* Its state, once the generic fields are filled; info_len bytes of
	 * its fdinfo are in s->info.  May turn f into CKPT_FD_OTHER. */
	int (*capture)(struct fd_scan *s, struct ckpt_fd *f, size_t info_len);
	/* Once every descriptor is known: what needs two of them (the bytes
	 * in a pipe whose both ends the program holds). */
	int (*capture_all)(struct fd_scan *s);
	int (*restorable)(const struct ckpt_fd *fds, uint32_t n,
			  const struct ckpt_fd *f);
	/* A new descriptor like entry i, at any number (the caller moves it
	 * to f->fd); entries it places itself are marked in x->done. */
	long (*open)(struct fd_restore *x, uint32_t i, const char *path);
	uint8_t seek;  /* the offset is restored with lseek */
	uint8_t late;  /* restored after the others, which it refers to */
};

/* The families (fd_*.c); fdkinds.c puts them in one table. */
extern const struct fd_kind_ops fd_ops_memfd, fd_ops_regular, fd_ops_dir,
	fd_ops_char, fd_ops_pipe, fd_ops_fifo, fd_ops_eventfd, fd_ops_timerfd,
	fd_ops_signalfd, fd_ops_epoll, fd_ops_unix, fd_ops_procself,
	fd_ops_mqueue, fd_ops_inotify, fd_ops_other;

/* --- the table (fdkinds.c), called by files.c ---------------------------- */

uint32_t fd_kind_of(int fd, const struct stat *st, const char *path);
int fd_kind_capture(struct fd_scan *s, struct ckpt_fd *f, size_t info_len);
/* Every kind's capture_all, after the scan. */
int fd_kinds_capture_all(struct fd_scan *s);
/* A standard stream that stays as the resuming shell gave it: a terminal,
 * a pipe, a socket, or one the user redirected with ckpt-resume. */
int fd_std_stream_inherited(const struct ckpt_fd *f, const char *path,
			    int keep_std);
int fd_restorable(const struct ckpt_fd *fds, uint32_t n,
		  const struct ckpt_fd *f);
/* Entry i now, if it is not late (pass 0) or late (pass 1). */
void fd_kind_restore(struct fd_restore *x, uint32_t i, int pass);

/* --- regular files and outputs (fd_regular.c) ---------------------------- */

/* An output file's size, and its contents up to CKPT_FILE_SAVE_MAX. */
int fd_output_capture(struct fd_scan *s, struct ckpt_fd *f);
/* Put every output file back as it was at the checkpoint. */
void fd_outputs_restore(struct fd_restore *x);
/* A standard stream that is still the very file it was (fd_regular.c). */
int fd_std_stream_same_file(const struct ckpt_fd *f);

/* --- shared by the families (fdkinds.c) ---------------------------------- */

static inline uint32_t fd_access_mode(const struct ckpt_fd *f)
{
	return f->open_flags & 3u; /* O_ACCMODE */
}

/* f's data begins at the end of FILEDATA; bytes are appended to it. */
void fd_data_begin(struct fd_scan *s, struct ckpt_fd *f);
void fd_data_add(struct fd_scan *s, struct ckpt_fd *f, const void *p,
		 size_t n);
/* The first len bytes of f's file, read through a descriptor of ckpt's
 * own (the program's offset stays). */
int fd_data_from_file(struct fd_scan *s, struct ckpt_fd *f, uint64_t len);
/* Another descriptor of this inode has its contents saved already. */
int fd_inode_saved(const struct fd_scan *s, const struct ckpt_fd *f);

/* f's bytes lie inside FILEDATA. */
int fd_data_ok(const struct fd_restore *x, const struct ckpt_fd *f);
/* n bytes of f's data from offset off into p, checked against data_len. */
int fd_data_read(struct fd_restore *x, const struct ckpt_fd *f, uint64_t off,
		 void *p, size_t n);
/* The saved bytes of f into fd: at their offsets (pwrite) or in order. */
int fd_data_to_fd(struct fd_restore *x, const struct ckpt_fd *f, int fd,
		  int positioned);
/* The entry that holds the contents of f's inode. */
const struct ckpt_fd *fd_inode_data(const struct fd_restore *x,
				    const struct ckpt_fd *f);
/* What open() needs to make the same description again. */
int fd_reopen_flags(const struct ckpt_fd *f);
/* Move a new descriptor to its number; its temporary number is freed. */
int fd_place(long got, int fd);
/* A new descriptor moved above every number the program uses, so that
 * placing one end of a pair never lands on the other. */
long fd_out_of_the_way(long fd);
/* Place entry `peer`, the other end of a pair, from descriptor got. */
void fd_place_peer(struct fd_restore *x, const struct ckpt_fd *peer,
		   long got);
/* A restore error as text: -errno, or one of the reader's IMAGE_E*. */
const char *fd_error_text(long rc);
/* "descriptor N (path) is not restored: why; it stays closed". */
void fd_report(const struct ckpt_fd *f, const char *path, const char *why);

#endif
