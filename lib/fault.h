/*
 * Fault injection for the image writer, in the manner of CRIU's CRIU_FAULT:
 * CKPT_FAULT=STEP:N:ERROR[@K] makes the Nth system call of STEP in the Kth
 * checkpoint of this process (default: every checkpoint) fail with ERROR, so
 * the tests can walk every error path of writing an image.  ERROR "kill"
 * ends the process with SIGKILL there instead (crash trials); "hang"
 * sleeps there, as a write to a dead disk or server would (CKPT_TIMEOUT).  Off unless
 * set; one compare per system call when off.
 */
#ifndef CKPT_FAULT_H
#define CKPT_FAULT_H

#include <stdint.h>

enum fault_step {
	FAULT_NONE,
	FAULT_OPEN,     /* creating IMAGE.tmp */
	FAULT_WRITE,    /* each write of image data */
	FAULT_TRUNCATE, /* setting the file's final size */
	FAULT_FSYNC,    /* fsync of IMAGE.tmp */
	FAULT_RENAME,   /* IMAGE.tmp over IMAGE */
	FAULT_DIRSYNC,  /* fsync of the image's directory */
};

#define FAULT_KILL 1000 /* "errno" meaning: SIGKILL the process */
#define FAULT_HANG 1001 /* "errno" meaning: sleep there for an hour */

struct fault {
	int step, err;
	uint32_t nth, checkpoint; /* checkpoint 0: every one */
	uint32_t seen, checkpoints;
	int victim; /* "kill" also kills this process (the program) */
};

extern struct fault ckpt_fault;

/* 0, or the -errno STEP must fail with now. */
long fault_inject(int step);
/* A checkpoint starts: steps are counted anew. */
void fault_checkpoint_begin(void);
/* Parse CKPT_FAULT's value; -1 when malformed. */
int fault_parse(const char *s, struct fault *out);

#endif
