#ifndef CKPT_CONFIG_H
#define CKPT_CONFIG_H

#include <stdint.h>

#include "ckpt_image.h"

/* A signal as a number or a name: 62, USR2, SIGUSR2, RTMIN+3, RTMAX-2.
 * Returns the number, or -1 if it is not one ckpt can use. */
int ckpt_parse_signal(const char *s);

/* Whether ckpt may take signal v for its checkpoint requests. */
int ckpt_signal_usable(long v);
/* The checkpoint signal CKPT_SIGNAL names, else the default SIGRTMAX-2. */
int ckpt_signal_configured(void);
/* Block sig (a request arriving while no handler is installed would kill
 * the process; blocked, it stays pending across execve). */
void ckpt_signal_block(int sig);

/* Seconds as a decimal ("30", "0.2") to nanoseconds; 0 means "only on
 * demand".  Returns -1 when malformed or below a millisecond. */
int64_t ckpt_parse_period(const char *s);

/* A size in bytes, with an optional K, M or G suffix (powers of 1024).
 * Returns -1 when malformed. */
int64_t ckpt_parse_size(const char *s);

/* A count of images, 1 to 1000000, for --full-every: the count, or -1. */
int64_t ckpt_parse_count(const char *s);
/* Images between two full ones unless CKPT_FULL_EVERY says otherwise
 * (README: the measurement behind it). */
#define CKPT_DEFAULT_FULL_EVERY 8

/* The codec pages are stored with unless CKPT_COMPRESS says otherwise
 * (README: why). */
#define CKPT_DEFAULT_CODEC CKPT_CODEC_LZ4
#define CKPT_DEFAULT_LEVEL 1

/* How page data is stored: CODEC[:LEVEL] with CODEC one of none, zlib,
 * zstd, lz4 (zstd:3, lz4, zlib:1, none), or a zlib level 0-9 alone as
 * before (0: none).  Returns 0, or -1 when malformed. */
int ckpt_parse_codec(const char *s, int *codec, int *level);
/* "none", "zlib", "zstd", "lz4"; NULL for a number ckpt does not know. */
const char *ckpt_codec_name(uint32_t codec);

#endif
