/*
 * Everything ckpt-resume checks of an image before the bootstrap may touch
 * the address space: every checksum, the structure of every section (each
 * count, offset and string inside its section), the owner recorded inside,
 * the kernel's vDSO layout, the mapped and input files, the page chunks.
 * The fuzz target drives the same function (tests/fuzz/).
 */
#ifndef CKPT_VERIFY_H
#define CKPT_VERIFY_H

#include <stdint.h>

#include "image.h"

struct verify {
	/* in */
	uint32_t uid;      /* who the program will run as */
	int allow_changed; /* --allow-changed-inputs */
	/* out */
	struct ckpt_proc proc;
	int signal;        /* the image's checkpoint signal */
	char msg[8192];    /* why it was refused */
};

/* 0, or -1 with v->msg saying why (without the image's name). */
int verify_image(struct image_reader *r, struct verify *v);

/* What the resume takes from a parent of an incremental image: every
 * checksum, its process section (user), its chunks and inherited pages. */
int verify_parent(struct image_reader *r, struct verify *v);

#endif
