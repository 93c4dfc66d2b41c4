/*
 * What ckpt-resume and ckpt-merge share in front of an image (tool.c).
 */
#ifndef CKPT_TOOL_H
#define CKPT_TOOL_H

#include <stddef.h>
#include <stdint.h>

/* Set by main: messages begin "TOOL: IMAGE: ". */
extern const char *tool_name;
extern const char *image_path;

/* The message, naming the tool and image_path; exit status 1. */
void __attribute__((noreturn, format(printf, 1, 2)))
refuse(const char *fmt, ...);
/* The image's absolute path with its directory resolved, so that the
 * directories judged are the ones the file is really in. */
void image_real_path(char *out, size_t size);
/*
 * Open image_path as nothing but a regular file of the right owner in
 * directories nobody else can change.  Returns the descriptor; *owner is
 * the user the program will run as.  Refuses otherwise.
 */
int image_open(uint32_t uid, int as_owner, uint32_t *owner);

#endif
