/* Written-page tracking (dirty.h). */
#include <errno.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <sys/ioctl.h>

#include "dirty.h"
#include "sys.h"

#define UFFD_USER_MODE_ONLY_ 1
#define UFFD_FEATURE_WP_ASYNC_ (1ull << 15)

#define PM_SCAN_WP_MATCHING_ 1ull
#define PAGE_IS_PRESENT_ (1ull << 3)
#define PAGE_IS_SWAPPED_ (1ull << 4)


long dirty_open(void)
{
	struct uffdio_api api = { .api = UFFD_API,
				  .features = UFFD_FEATURE_WP_ASYNC_ };
	long fd = sys_call1(__NR_userfaultfd,
			    O_CLOEXEC | O_NONBLOCK | UFFD_USER_MODE_ONLY_);
	long rc;

	if (fd < 0)
		return fd;
	rc = sys_ioctl((int)fd, UFFDIO_API, &api);
	if (rc < 0) {
		sys_close((int)fd);
		return rc;
	}
	return fd;
}

long dirty_register(int uffd, uint64_t start, uint64_t end)
{
	struct uffdio_register reg = {
		.range = { .start = start, .len = end - start },
		.mode = UFFDIO_REGISTER_MODE_WP,
	};

	return sys_ioctl(uffd, UFFDIO_REGISTER, &reg);
}

/* Not UFFDIO_WRITEPROTECT, which would fill the page tables of a sparse
 * range with markers (128 MiB of them for a 64 GiB reservation): only
 * pages that are there are protected, the others are reported when they
 * come. */
long dirty_scan(int pagemap_fd, uint64_t start, uint64_t end,
		struct dirty_range *vec, size_t max, uint64_t *next)
{
	struct pm_scan_arg_ a = {
		.size = sizeof(a), .flags = PM_SCAN_WP_MATCHING_,
		.start = start, .end = end,
		.vec = (uint64_t)(uintptr_t)vec, .vec_len = max,
		.category_mask = DIRTY_WRITTEN,
		.category_anyof_mask = PAGE_IS_PRESENT_ | PAGE_IS_SWAPPED_,
		.return_mask = DIRTY_WRITTEN | DIRTY_WPALLOWED,
	};
	long n = sys_ioctl(pagemap_fd, PAGEMAP_SCAN_, &a);

	*next = n < 0 ? start : a.walk_end;
	return n;
}

int dirty_registered(int pagemap_fd, uint64_t addr)
{
	struct dirty_range one;
	struct pm_scan_arg_ a = {
		.size = sizeof(a), .start = addr, .end = addr + 4096,
		.vec = (uint64_t)(uintptr_t)&one, .vec_len = 1, .max_pages = 1,
		.return_mask = DIRTY_WPALLOWED,
	};

	return sys_ioctl(pagemap_fd, PAGEMAP_SCAN_, &a) == 1 &&
	       (one.categories & DIRTY_WPALLOWED);
}

long dirty_track(int uffd, int pagemap_fd, uint64_t start, uint64_t end,
		 struct dirty_range *vec, size_t max)
{
	long rc = dirty_register(uffd, start, end);

	while (rc >= 0 && start < end) {
		uint64_t next;

		rc = dirty_scan(pagemap_fd, start, end, vec, max, &next);
		if (rc >= 0 && next <= start)
			rc = -EIO;
		start = next;
	}
	return rc < 0 ? rc : 0;
}
