/*
 * What ckpt-resume and ckpt-merge share in front of an image: messages
 * that name the tool and the image, and opening the image as a file that
 * can be trusted (docs/security.md).
 */
#include "tool.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "trust.h"

const char *tool_name = "ckpt";
const char *image_path;

void refuse(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: %s: ", tool_name, image_path);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

void image_real_path(char *out, size_t size)
{
	char dir[PATH_MAX], *copy = strdup(image_path), *base, *slash;

	if (!copy)
		refuse("out of memory");
	slash = strrchr(copy, '/');
	base = slash ? slash + 1 : copy;
	if (slash)
		*slash = 0;
	if (!*base)
		refuse("names a directory, not an image");
	if (!realpath(slash ? (*copy ? copy : "/") : ".", dir))
		refuse("cannot resolve its directory: %s", strerror(errno));
	if ((size_t)snprintf(out, size, "%s/%s", strcmp(dir, "/") ? dir : "",
			     base) >= size)
		refuse("its path is too long");
	free(copy);
}

/*
 * Open the image as nothing but a regular file of the right owner in
 * directories nobody else can change (docs/security.md).  O_NONBLOCK: a
 * FIFO given as the image must not hang the open; O_NOFOLLOW: a symlink
 * planted in its place is not followed.  Returns the descriptor; *owner is
 * the user the program will run as.
 */
int image_open(uint32_t uid, int as_owner, uint32_t *owner)
{
	char real[PATH_MAX + 256], bad[PATH_MAX];
	int fd, rc;

	image_real_path(real, sizeof(real));
	fd = open(real, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 && errno == ELOOP)
		refuse("is a symbolic link; give the image itself");
	if (fd < 0)
		refuse("cannot open: %s", strerror(errno));
	rc = trust_file(fd, uid, owner);
	if (rc == TRUST_EOWNER && uid == 0 && as_owner)
		rc = trust_file(fd, *owner, NULL);
	else if (rc == TRUST_EOWNER && uid == 0)
		refuse("it belongs to user %u; root resumes another user's "
		       "image only with --run-as-owner, and then runs it as "
		       "that user", *owner);
	else if (rc == TRUST_EOWNER)
		refuse("it belongs to user %u; only that user can resume it",
		       *owner);
	if (rc)
		refuse("refused: %s", trust_text(rc));
	rc = trust_dirs(real, *owner, bad, sizeof(bad));
	if (rc)
		refuse("refused: %s (%s)", trust_text(rc), bad);
	if (fcntl(fd, F_SETFL, 0))
		refuse("fcntl: %s", strerror(errno));
	return fd;
}
