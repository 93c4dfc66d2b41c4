#include "chain_open.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "trust.h"

/* A parent image, where the child names it or else beside the image (a
 * directory moved as a whole), trusted as the image is.  -1 with *why. */
static int parent_file_open(const char *path, uint32_t owner, char *used,
			    size_t size, const char **why)
{
	char real[PATH_MAX + 256], bad[PATH_MAX];
	const char *base = strrchr(path, '/');
	int fd, rc;

	snprintf(used, size, "%s", path);
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT && base) {
		char *slash;

		image_real_path(real, sizeof(real));
		slash = strrchr(real, '/');
		if (slash && (size_t)snprintf(used, size, "%.*s%s",
					      (int)(slash - real), real,
					      base) < size)
			fd = open(used, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
						O_CLOEXEC);
		if (fd < 0)
			snprintf(used, size, "%s", path);
	}
	if (fd < 0) {
		*why = strerror(errno);
		return -1;
	}
	rc = trust_file(fd, owner, NULL);
	if (!rc)
		rc = trust_dirs(used, owner, bad, sizeof(bad));
	if (rc || fcntl(fd, F_SETFL, 0)) {
		*why = rc ? trust_text(rc) : strerror(errno);
		close(fd);
		return -1;
	}
	return fd;
}

int parents_open(struct image_reader *child, const struct verify *v,
			int *fds, int max)
{
	static struct ckpt_parent p;
	static struct verify pv;
	struct image_reader r;
	char used[PATH_MAX + 256];
	const char *why = NULL;
	int n = 0, rc = image_read_parent(child, &p);

	while (rc == 0) {
		uint32_t depth = p.depth;

		if (n == max)
			refuse("its chain of parent images is longer than %d",
			       max);
		fds[n] = parent_file_open(p.path, v->uid, used, sizeof(used),
					  &why);
		if (fds[n] < 0)
			refuse("its parent image %s cannot be used: %s (an "
			       "incremental image resumes only with the images "
			       "it rests on)", used, why);
		rc = image_reader_open(&r, fds[n]);
		if (rc)
			refuse("its parent image %s: %s", used,
			       image_strerror(rc));
		if (r.hdr.generation != p.generation ||
		    r.hdr.created_ns != p.created_ns ||
		    r.hdr.header_crc != p.header_crc ||
		    r.file_size != p.file_size)
			refuse("its parent image %s is not the one it was made "
			       "on (replaced or damaged: generation, time, size "
			       "or checksum differ)", used);
		pv.uid = v->uid;
		if (verify_parent(&r, &pv))
			refuse("its parent image %s: %s", used, pv.msg);
		if (memcmp(pv.proc.journal_key, v->proc.journal_key,
			   sizeof(pv.proc.journal_key)))
			refuse("its parent image %s belongs to another run",
			       used);
		rc = image_read_parent(&r, &p);
		if (rc == 0 && p.depth + 1 != depth)
			refuse("its parent image %s has a malformed chain", used);
		n++;
	}
	if (rc < 0)
		refuse("the parent section of an image in its chain is "
		       "malformed");
	return n;
}

