/*
 * Runs every unit suite.  Check forks each test (CK_FORK, the default), so a
 * crash in a parser is reported as an error of that test, not of the run.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "unit.h"

static char tmp_dir[4096];

int unit_tmpfile(void)
{
	char path[4200];
	int fd;

	snprintf(path, sizeof(path), "%s/img-XXXXXX", tmp_dir);
	fd = mkstemp(path);
	if (fd >= 0)
		unlink(path);
	return fd;
}

static int make_tmp_dir(void)
{
	const char *base = getenv("TMPDIR");

	if (!base || !*base)
		base = "/tmp";
	snprintf(tmp_dir, sizeof(tmp_dir), "%s/ckpt-unit-XXXXXX", base);
	if (!mkdtemp(tmp_dir)) {
		perror(tmp_dir);
		return -1;
	}
	return 0;
}

int main(void)
{
	SRunner *sr;
	int failed;

	if (make_tmp_dir())
		return EXIT_FAILURE;
	sr = srunner_create(config_suite());
	srunner_add_suite(sr, procfs_suite());
	srunner_add_suite(sr, image_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	rmdir(tmp_dir);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
