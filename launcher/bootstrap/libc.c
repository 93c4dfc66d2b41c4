/*
 * The few libc functions the bootstrap and zlib's inflate need.  The
 * bootstrap is freestanding: glibc must never start in it (no TLS, no rseq,
 * no locale), since the process it becomes belongs to the restored program.
 */
#include <stddef.h>
#include <stdint.h>

#include "boot.h"
#include "sys.h"

void *memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	while (n--)
		*d++ = *s++;
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d < s)
		return memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;

	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n; n--, p++)
		if (*p == (unsigned char)c)
			return (void *)p;
	return NULL;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

/* zlib's default allocator, should anything reach it: the boot heap. */
void *malloc(size_t n) { return boot_alloc(n); }

void *calloc(size_t a, size_t b)
{
	void *p = boot_alloc(a * b);

	if (p)
		memset(p, 0, a * b);
	return p;
}

void free(void *p) { (void)p; }

void __stack_chk_fail(void)
{
	boot_die("stack smashing detected", "");
}

/* libzstd's tracing hooks are weak symbols it calls when they are defined;
 * in a static link at ckpt's address an undefined one cannot be reached,
 * so they are defined here, tracing nothing. */
unsigned long long ZSTD_trace_compress_begin(const void *cctx);
unsigned long long ZSTD_trace_compress_begin(const void *cctx)
{
	(void)cctx;
	return 0;
}

void ZSTD_trace_compress_end(unsigned long long ctx, const void *info);
void ZSTD_trace_compress_end(unsigned long long ctx, const void *info)
{
	(void)ctx;
	(void)info;
}

unsigned long long ZSTD_trace_decompress_begin(const void *dctx);
unsigned long long ZSTD_trace_decompress_begin(const void *dctx)
{
	(void)dctx;
	return 0;
}

void ZSTD_trace_decompress_end(unsigned long long ctx, const void *info);
void ZSTD_trace_decompress_end(unsigned long long ctx, const void *info)
{
	(void)ctx;
	(void)info;
}
