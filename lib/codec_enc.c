/* The encoders of page chunks (codec.h): in libckpt only, since the
 * bootstrap only decodes. */
#include "codec.h"

#define ZSTD_STATIC_LINKING_ONLY
#include <lz4.h>
#include <lz4hc.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#define ENOMEM_ 12

size_t codec_enc_size(int codec, int level)
{
	switch (codec) {
	case CKPT_CODEC_ZLIB: /* deflate's own figure, and room to spare */
		return sizeof(struct zlib_state) + (1u << 20);
	case CKPT_CODEC_ZSTD:
		return ZSTD_estimateCCtxSize(level);
	case CKPT_CODEC_LZ4:
		return level > 1 ? (size_t)LZ4_sizeofStateHC()
				 : (size_t)LZ4_sizeofState();
	default:
		return 0;
	}
}

int codec_enc_init(struct codec_enc *e, int codec, int level, void *mem,
		   size_t size)
{
	struct zlib_state *zs;

	e->codec = codec;
	e->level = level;
	e->state = mem;
	if (size < codec_enc_size(codec, level))
		return -ENOMEM_;
	switch (codec) {
	case CKPT_CODEC_ZLIB:
		zs = zlib_state_init(mem, size);
		if (!zs || deflateInit(&zs->z, level) != Z_OK)
			return -ENOMEM_;
		return 0;
	case CKPT_CODEC_ZSTD:
		e->state = ZSTD_initStaticCCtx(mem, size);
		return e->state ? 0 : -ENOMEM_;
	default:
		return 0;
	}
}

size_t codec_bound(int codec, size_t len)
{
	switch (codec) {
	case CKPT_CODEC_ZLIB: return compressBound((uLong)len);
	case CKPT_CODEC_ZSTD: return ZSTD_compressBound(len);
	case CKPT_CODEC_LZ4: return (size_t)LZ4_compressBound((int)len);
	default: return len;
	}
}

static size_t zlib_encode(struct zlib_state *zs, const void *src, size_t len,
			  void *dst, size_t cap)
{
	deflateReset(&zs->z);
	zs->z.next_in = (Bytef *)(uintptr_t)src;
	zs->z.avail_in = (uInt)len;
	zs->z.next_out = dst;
	zs->z.avail_out = (uInt)cap;
	if (deflate(&zs->z, Z_FINISH) != Z_STREAM_END)
		return 0;
	return zs->z.total_out;
}

size_t codec_encode(struct codec_enc *e, const void *src, size_t len,
		    void *dst, size_t cap)
{
	size_t n;
	int k;

	switch (e->codec) {
	case CKPT_CODEC_ZLIB:
		return zlib_encode(e->state, src, len, dst, cap);
	case CKPT_CODEC_ZSTD:
		n = ZSTD_compressCCtx(e->state, dst, cap, src, len, e->level);
		return ZSTD_isError(n) ? 0 : n;
	case CKPT_CODEC_LZ4:
		k = e->level > 1
			    ? LZ4_compress_HC_extStateHC(e->state, src, dst,
							 (int)len, (int)cap,
							 e->level)
			    : LZ4_compress_fast_extState(e->state, src, dst,
							 (int)len, (int)cap, 1);
		return k > 0 ? (size_t)k : 0;
	default:
		return 0;
	}
}

void codec_enc_end(struct codec_enc *e)
{
	if (e->codec == CKPT_CODEC_ZLIB)
		deflateEnd(&((struct zlib_state *)e->state)->z);
}

