#include "codec.h"

#define ZSTD_STATIC_LINKING_ONLY
#include <lz4.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include "image.h"

#define ENOMEM_ 12


static void *bump_alloc(void *opaque, unsigned items, unsigned size)
{
	struct codec_bump *b = opaque;
	size_t n = ((size_t)items * size + 63) & ~(size_t)63;
	void *p = b->p;

	if (n > b->left)
		return NULL;
	b->p += n;
	b->left -= n;
	return p;
}

static void bump_free(void *opaque, void *p)
{
	(void)opaque;
	(void)p;
}


struct zlib_state *zlib_state_init(void *mem, size_t size)
{
	struct zlib_state *zs = mem;

	if (size < sizeof(*zs))
		return NULL;
	memset(zs, 0, sizeof(*zs));
	zs->b.p = (char *)mem + ((sizeof(*zs) + 63) & ~(size_t)63);
	zs->b.left = size - ((sizeof(*zs) + 63) & ~(size_t)63);
	zs->z.zalloc = bump_alloc;
	zs->z.zfree = bump_free;
	zs->z.opaque = &zs->b;
	return zs;
}

/* inflate's state and window, with room to spare. */
#define ZLIB_DEC_SIZE (sizeof(struct zlib_state) + (64u << 10))

size_t codec_dec_size(void)
{
	return ZLIB_DEC_SIZE + ZSTD_estimateDCtxSize() + 64;
}

int codec_dec_init(struct codec_dec *d, void *mem, size_t size)
{
	struct zlib_state *zs;

	if (size < codec_dec_size())
		return -ENOMEM_;
	zs = zlib_state_init(mem, ZLIB_DEC_SIZE);
	if (!zs || inflateInit(&zs->z) != Z_OK)
		return -ENOMEM_;
	d->zlib = zs;
	/* ZSTD_initStaticDCtx wants 8-byte alignment. */
	d->zstd = ZSTD_initStaticDCtx((char *)mem + ZLIB_DEC_SIZE,
				      size - ZLIB_DEC_SIZE);
	return d->zstd ? 0 : -ENOMEM_;
}

static int zlib_decode(struct zlib_state *zs, const void *src, size_t srclen,
		       void *dst, size_t len)
{
	inflateReset(&zs->z);
	zs->z.next_in = (Bytef *)(uintptr_t)src;
	zs->z.avail_in = (uInt)srclen;
	zs->z.next_out = dst;
	zs->z.avail_out = (uInt)len;
	if (inflate(&zs->z, Z_FINISH) != Z_STREAM_END || zs->z.total_out != len)
		return IMAGE_ECHUNK;
	return 0;
}

int codec_decode(struct codec_dec *d, uint32_t codec, const void *src,
		 size_t srclen, void *dst, size_t len)
{
	size_t n;

	switch (codec) {
	case CKPT_CODEC_NONE:
		if (srclen != len)
			return IMAGE_ECHUNK;
		memcpy(dst, src, len);
		return 0;
	case CKPT_CODEC_ZLIB:
		return zlib_decode(d->zlib, src, srclen, dst, len);
	case CKPT_CODEC_ZSTD:
		n = ZSTD_decompressDCtx(d->zstd, dst, len, src, srclen);
		return !ZSTD_isError(n) && n == len ? 0 : IMAGE_ECHUNK;
	case CKPT_CODEC_LZ4:
		return LZ4_decompress_safe(src, dst, (int)srclen, (int)len) ==
				       (int)len
			       ? 0
			       : IMAGE_ECHUNK;
	default:
		return IMAGE_ECODEC;
	}
}
