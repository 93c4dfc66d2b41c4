/*
 * One pair of functions per kind of descriptor: capture at checkpoint (into
 * struct ckpt_fd and the FILEDATA section) and recreate at resume.
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

uint32_t fd_kind_of(const struct stat *st, const char *path);
int fd_kind_capture(struct fd_scan *s, struct ckpt_fd *f, size_t info_len);
/* An output file's size, and its contents up to CKPT_FILE_SAVE_MAX. */
int fd_output_capture(struct fd_scan *s, struct ckpt_fd *f);
/* Buffered data of pipes whose both ends the program holds. */
int fd_pipes_capture(struct fd_scan *s);
/* A standard stream that stays as the resuming shell gave it: a terminal,
 * a pipe, a socket, or one the user redirected with ckpt-resume. */
int fd_std_stream_inherited(const struct ckpt_fd *f, const char *path,
			    int keep_std);
int fd_restorable(const struct ckpt_fd *fds, uint32_t n,
		  const struct ckpt_fd *f);
/* Put every output file back as it was at the checkpoint. */
void fd_outputs_restore(struct fd_restore *x);
void fd_kind_restore(struct fd_restore *x, uint32_t i);

#endif
