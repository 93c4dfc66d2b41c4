/*
 * Shared declarations of the unit test program: one Check suite per file
 * under test, run together by main.c.
 */
#ifndef CKPT_UNIT_H
#define CKPT_UNIT_H

#include <check.h>
#include <stddef.h>

Suite *procfs_suite(void);
Suite *image_suite(void);
Suite *config_suite(void);

/*
 * A new empty file in the run's private temporary directory, open O_RDWR.
 * Its name is unlinked at once, so a test that dies leaves nothing behind.
 */
int unit_tmpfile(void);

#endif
