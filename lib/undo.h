/*
 * In-place writes undone at resume (undo.c, docs/files.md): the bytes a
 * write replaces in an output file whose contents the image does not hold
 * are saved first, into the undo log beside the image.
 */
#ifndef CKPT_UNDO_H
#define CKPT_UNDO_H

#include <stddef.h>
#include <stdint.h>

/* The files module, at a capture: an output file, and whether the image
 * holds its contents (then nothing need be undone in it). */
void undo_base(uint64_t dev, uint64_t ino, uint64_t size, const char *path,
	       int saved);

/*
 * Around a call through which the program changes bytes [off, off + len)
 * of fd: UNDO_AT_POS for at its file position, UNDO_TO_END for all from
 * off on.  UNDO_WRITE: a write, which changes nothing old on a descriptor
 * opened O_APPEND.  Between begin and end no checkpoint starts.
 */
struct undo_guard {
	uint64_t mask;
	int blocked;
	struct undo_window *window;
};
#define UNDO_AT_POS (-1)
#define UNDO_TO_END UINT64_MAX
#define UNDO_WRITE 1
#define UNDO_CHANGE 0
void undo_begin(struct undo_guard *g, int fd, int64_t off, uint64_t len,
		int how);
/* The same for a file about to be cut to len by path (truncate, O_TRUNC). */
void undo_path_begin(struct undo_guard *g, int dirfd, const char *path,
		     uint64_t len);
void undo_end(struct undo_guard *g);

/* fd was closed, replaced or its flags changed. */
void undo_fd_forget(int fd);

/* At load: no undo log of an earlier run is left. */
void undo_init(void);
/* Image gen is on disk: in the program, and in whoever wrote it (the
 * records from before its capture are of no more use). */
void undo_image_done(uint64_t gen);
void undo_image_written(void);

/* Shared mappings of guarded files (undo_maps.c).  In the pause: all
 * protections put back before the memory map is read, and taken again
 * after the files are noted. */
void undo_maps_release(void);
void undo_maps_guard(const char *maps, size_t len);
void undo_maps_reguard(void); /* at resume */
/* The end of the files' capture: writes caught mid-way, mappings. */
struct capture;
void undo_capture_end(const struct capture *c);
/* Before the kernel stores into [buf, buf + len) for the program. */
void undo_maps_prefault(const void *buf, uint64_t len);
/* For undo_maps.c: the entry of a file guarded in this interval, or -1;
 * save its bytes [off, off + len) from a mapping of them at mem. */
int undo_file_guarded(uint64_t dev, uint64_t ino);
void undo_save_mapped(int file, const void *mem, uint64_t off, uint64_t len);

#endif
