#include "str.h"

#include <errno.h>

#include "sys.h"

size_t str_len(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

int str_eq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

int str_starts(const char *s, const char *prefix)
{
	while (*prefix)
		if (*s++ != *prefix++)
			return 0;
	return 1;
}

int str_ends(const char *s, size_t len, const char *suffix)
{
	size_t n = str_len(suffix);

	if (n > len)
		return 0;
	s += len - n;
	for (size_t i = 0; i < n; i++)
		if (s[i] != suffix[i])
			return 0;
	return 1;
}

char *str_add_n(char *dst, char *end, const char *s, size_t n)
{
	if (dst >= end)
		return dst;
	while (n-- && *s && dst + 1 < end)
		*dst++ = *s++;
	*dst = 0;
	return dst;
}

char *str_add(char *dst, char *end, const char *s)
{
	return str_add_n(dst, end, s, (size_t)-1);
}

static char *str_add_base(char *dst, char *end, uint64_t v, unsigned base)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (n && dst + 1 < end)
		*dst++ = tmp[--n];
	if (dst < end)
		*dst = 0;
	return dst;
}

char *str_add_u64(char *dst, char *end, uint64_t v)
{
	return str_add_base(dst, end, v, 10);
}

char *str_add_hex(char *dst, char *end, uint64_t v)
{
	return str_add_base(dst, end, v, 16);
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 99;
}

int str_parse_u64(const char **p, const char *end, int base, uint64_t *out)
{
	const char *s = *p;
	uint64_t v = 0;

	while (s < end && digit_value(*s) < base) {
		uint64_t d = (uint64_t)digit_value(*s++);

		if (v > (UINT64_MAX - d) / (uint64_t)base)
			return -1; /* overflow */
		v = v * (uint64_t)base + d;
	}
	if (s == *p)
		return -1;
	*p = s;
	*out = v;
	return 0;
}

void str_skip_spaces(const char **p, const char *end)
{
	while (*p < end && (**p == ' ' || **p == '\t'))
		(*p)++;
}

void say_parts(int fd, const char *const *parts)
{
	char buf[1024];
	char *end = buf + sizeof(buf) - 1;
	char *p = str_add(buf, end, "ckpt: ");

	for (; *parts; parts++)
		p = str_add(p, end, *parts);
	*p++ = '\n';
	sys_write(fd, buf, (size_t)(p - buf));
}

static const char *const errno_texts[] = {
	[EPERM] = "operation not permitted",
	[ENOENT] = "no such file or directory",
	[ESRCH] = "no such process",
	[EINTR] = "interrupted system call",
	[EIO] = "input/output error",
	[ENXIO] = "no such device or address",
	[E2BIG] = "argument list too long",
	[ENOEXEC] = "exec format error",
	[EBADF] = "bad file descriptor",
	[ECHILD] = "no child processes",
	[EAGAIN] = "resource temporarily unavailable",
	[ENOMEM] = "out of memory",
	[EACCES] = "permission denied",
	[EFAULT] = "bad address",
	[EBUSY] = "device or resource busy",
	[EEXIST] = "address range or file already in use",
	[EXDEV] = "invalid cross-device link",
	[ENODEV] = "no such device",
	[ENOTDIR] = "not a directory",
	[EISDIR] = "is a directory",
	[EINVAL] = "invalid argument",
	[ENFILE] = "too many open files in system",
	[EMFILE] = "too many open files",
	[ETXTBSY] = "text file busy",
	[EFBIG] = "file too large (over the file size limit, ulimit -f?)",
	[ENOSPC] = "no space left on device",
	[ESPIPE] = "illegal seek",
	[EROFS] = "read-only file system",
	[EMLINK] = "too many links",
	[EPIPE] = "broken pipe",
	[ERANGE] = "result out of range",
	[EDEADLK] = "resource deadlock avoided",
	[ENAMETOOLONG] = "name too long",
	[ENOSYS] = "function not implemented",
	[ENOTEMPTY] = "directory not empty",
	[ELOOP] = "a symbolic link where none is allowed (or too many levels)",
	[EOVERFLOW] = "value too large for defined data type",
	[EOPNOTSUPP] = "operation not supported",
	[ETIMEDOUT] = "timed out",
	[ESTALE] = "stale file handle",
	[EDQUOT] = "disk quota exceeded",
};

const char *errno_text(long e)
{
	static char other[32]; /* rare ones by number; only ever written here */

	if (-e > 0 && -e < (long)(sizeof(errno_texts) / sizeof(*errno_texts)) &&
	    errno_texts[-e])
		return errno_texts[-e];
	str_add_u64(str_add(other, other + sizeof(other), "error "),
		    other + sizeof(other), (uint64_t)-e);
	return other;
}
