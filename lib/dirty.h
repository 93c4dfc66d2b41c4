/*
 * Written-page tracking: userfaultfd write-protection in asynchronous mode
 * (UFFD_FEATURE_WP_ASYNC, UFFD_USER_MODE_ONLY: no privilege) and the
 * PAGEMAP_SCAN ioctl (Linux 6.7+).  A write to a protected page costs a
 * fault the kernel resolves itself (about 1-2 us); a scan reports the
 * pages written since the last one and protects them again.
 *
 * What makes it safe: PAGEMAP_SCAN reports every present page of a mapping
 * that is not registered (never was, or lost it: mremap moved it, the
 * descriptor was closed) as written.  So a lost registration costs image
 * size, never correctness.  Raw system calls only: the library and the
 * bootstrap both use it.  Debian 12's headers predate these interfaces.
 */
#ifndef CKPT_DIRTY_H
#define CKPT_DIRTY_H

#include <stddef.h>
#include <stdint.h>
#include <sys/ioctl.h>

#define DIRTY_WRITTEN (1ull << 1)  /* PAGE_IS_WRITTEN */
#define DIRTY_WPALLOWED (1ull << 0) /* PAGE_IS_WPALLOWED: registered */

/* PAGEMAP_SCAN's vector entry and argument (linux/fs.h of 6.7+). */
struct dirty_range {
	uint64_t start, end, categories;
};
struct pm_scan_arg_ {
	uint64_t size, flags, start, end, walk_end, vec, vec_len, max_pages;
	uint64_t category_inverted, category_mask, category_anyof_mask;
	uint64_t return_mask;
};
#define PAGEMAP_SCAN_ _IOWR('f', 16, struct pm_scan_arg_)

/* A userfaultfd for write-protection, or -errno (ENOSYS, EPERM: a setting
 * refuses it; EINVAL: no WP_ASYNC in this kernel). */
long dirty_open(void);
/* Register [start, end) for write-protection: 0 or -errno. */
long dirty_register(int uffd, uint64_t start, uint64_t end);
/*
 * The present or swapped pages of [start, end) written since the last scan,
 * write-protected again as they are reported (only where registered: the
 * others are reported every time).  Up to max ranges into vec; returns
 * their number or -errno, and *next where the walk stopped (end when it
 * went through).
 */
long dirty_scan(int pagemap_fd, uint64_t start, uint64_t end,
		struct dirty_range *vec, size_t max, uint64_t *next);
/* Whether the mapping at addr is registered (WPALLOWED is a mapping's
 * property: one page tells), without protecting anything. */
int dirty_registered(int pagemap_fd, uint64_t addr);
/* Register [start, end) and protect its pages: what a scan would report
 * there from now on is what is written later.  0 or -errno. */
long dirty_track(int uffd, int pagemap_fd, uint64_t start, uint64_t end,
		 struct dirty_range *vec, size_t max);

#endif
