/*
 * The codecs of page chunks (CKPT_CODEC_* in ckpt_image.h): zlib, zstd and
 * lz4, each in caller-provided memory, so that the checkpoint handler, a
 * forked writer and the static bootstrap use them without malloc.
 */
#ifndef CKPT_CODEC_H
#define CKPT_CODEC_H

#include <stddef.h>
#include <stdint.h>
#include <zlib.h>

#include "ckpt_image.h"

/* zlib's z_stream, allocating from the rest of a block of memory. */
struct codec_bump {
	char *p;
	size_t left;
};
struct zlib_state {
	z_stream z;
	struct codec_bump b;
};
struct zlib_state *zlib_state_init(void *mem, size_t size);

struct codec_enc {
	int codec, level;
	void *state; /* z_stream, ZSTD_CCtx or LZ4 state, in mem */
};

/* Bytes of working memory an encoder needs; 0 for CKPT_CODEC_NONE. */
size_t codec_enc_size(int codec, int level);
/* 0, or -ENOMEM when mem is too small. */
int codec_enc_init(struct codec_enc *e, int codec, int level, void *mem,
		   size_t size);
/* The largest output of one chunk of len bytes. */
size_t codec_bound(int codec, size_t len);
/* Bytes written to dst, or 0 when the result would not fit in cap. */
size_t codec_encode(struct codec_enc *e, const void *src, size_t len,
		    void *dst, size_t cap);
void codec_enc_end(struct codec_enc *e);

struct codec_dec {
	void *zlib, *zstd;
};

size_t codec_dec_size(void);
int codec_dec_init(struct codec_dec *d, void *mem, size_t size);
/* 0; IMAGE_ECODEC for a codec this build does not know; IMAGE_ECHUNK when
 * src does not decode to exactly len bytes. */
int codec_decode(struct codec_dec *d, uint32_t codec, const void *src,
		 size_t srclen, void *dst, size_t len);

#endif
