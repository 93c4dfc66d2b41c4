/*
 * The chunk pipeline (chunks.h).  A ring of slots: the caller fills the
 * next free one and marks it ready; whoever is free (a helper, or the
 * caller while it waits) claims a ready slot and encodes it; the caller
 * writes done slots in ring order, so the image is the same whoever
 * encoded what.  Helpers are threads of the calling process (raw clone,
 * every signal blocked, as the handler's mask is inherited) on a stack in
 * the arena; they only compute.
 */
#include "chunks.h"

#include <errno.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#include "codec.h"
#include "core.h"
#include "ctxjump.h"
#include "sys.h"

#define SLOTS 8
#define MAX_HELPERS 3
#define HELPER_STACK (256u << 10)
#define CHUNK_BYTES ((size_t)CKPT_CHUNK_MAX_PAGES * CKPT_PAGE_SIZE)
#define FUTEX_WAIT_PRIVATE 128
#define FUTEX_WAKE_PRIVATE 129
/* CLONE_VM FS FILES SIGHAND THREAD SYSVSEM PARENT_SETTID CHILD_CLEARTID:
 * the kernel clears the tid, and wakes its futex, once a helper is gone
 * for good, off its stack. */
#define HELPER_FLAGS                                                         \
	(0x100 | 0x200 | 0x400 | 0x800 | 0x10000 | 0x40000 | 0x100000 |     \
	 0x200000)

enum { SLOT_FREE, SLOT_READY, SLOT_BUSY, SLOT_DONE };

struct slot {
	volatile int state;
	struct ckpt_chunk ch;
	const unsigned char *src; /* the pages, or copy */
	unsigned char *copy, *out;
	size_t out_size;
};

struct chunk_pipe {
	struct image_writer *w;
	struct slot slot[SLOTS];
	uint64_t head, tail;       /* next to fill, next to write */
	volatile int work;         /* futex: bumped when there is work */
	volatile int quit;
	volatile int tid[MAX_HELPERS + 1]; /* futex: 0 once a helper ended */
	int helpers;
	struct codec_enc enc[MAX_HELPERS + 1]; /* [0]: the caller's */
};

static void futex_wait(volatile int *addr, int val)
{
	sys_futex(addr, FUTEX_WAIT_PRIVATE, val, NULL);
}

static void futex_wake(volatile int *addr)
{
	sys_futex(addr, FUTEX_WAKE_PRIVATE, 0x7fffffff, NULL);
}

/* A chunk the codec did not shrink is stored as is, from a copy: the
 * checksum and the write must see the same bytes. */
static void slot_encode(struct slot *s, struct codec_enc *e)
{
	size_t len = (size_t)s->ch.npages * CKPT_PAGE_SIZE, n = 0;

	if (e->codec != CKPT_CODEC_NONE)
		n = codec_encode(e, s->src, len, s->out, len - 1);
	if (n) {
		s->ch.codec = (uint32_t)e->codec;
	} else {
		memcpy(s->out, s->src, len);
		s->ch.codec = CKPT_CODEC_NONE;
		n = len;
	}
	s->ch.data_len = (uint32_t)n;
	s->ch.data_crc = (uint32_t)crc32(0, s->out, (uInt)n);
	__atomic_store_n(&s->state, SLOT_DONE, __ATOMIC_RELEASE);
	futex_wake(&s->state);
}

/* Claim and encode one ready slot; 0 when there was none. */
static int encode_one(struct chunk_pipe *p, struct codec_enc *e)
{
	for (int i = 0; i < SLOTS; i++) {
		struct slot *s = &p->slot[i];

		if (s->state == SLOT_READY &&
		    __sync_bool_compare_and_swap(&s->state, SLOT_READY,
						 SLOT_BUSY)) {
			slot_encode(s, e);
			return 1;
		}
	}
	return 0;
}

struct helper_arg {
	struct chunk_pipe *p;
	int index;
};

static __attribute__((noreturn)) void helper_main(void *arg)
{
	struct helper_arg *a = arg;
	struct chunk_pipe *p = a->p;

	for (;;) {
		int seen = p->work;

		if (encode_one(p, &p->enc[a->index]))
			continue;
		if (p->quit)
			break;
		futex_wait(&p->work, seen);
	}
	for (;;)
		sys_call1(__NR_exit, 0);
}

static int cores(void)
{
	uint64_t mask[16] = { 0 };
	long n = sys_call3(__NR_sched_getaffinity, 0, sizeof(mask),
			   (long)mask);
	int count = 0;

	for (long i = 0; i < n / 8; i++)
		count += __builtin_popcountll(mask[i]);
	return count ? count : 1;
}

static void helpers_start(struct chunk_pipe *p, int want)
{
	for (int i = 1; i <= want; i++) {
		struct helper_arg *a = arena_alloc(sizeof(*a));
		char *stack = arena_alloc(HELPER_STACK);

		if (!a || !stack)
			return;
		a->p = p;
		a->index = i;
		if (ckpt_clone_thread(HELPER_FLAGS, stack + HELPER_STACK,
				      (int *)&p->tid[i], (int *)&p->tid[i], 0,
				      helper_main, a) < 0)
			return;
		p->helpers = i;
	}
}

static int enc_init(struct codec_enc *e, int codec, int level)
{
	size_t size = codec_enc_size(codec, level);
	void *mem = size ? arena_alloc(size) : NULL;

	if (size && !mem)
		return -ENOMEM;
	return codec_enc_init(e, codec, level, mem, size);
}

struct chunk_pipe *chunk_pipe_start(struct image_writer *w, int codec,
				    int level)
{
	struct chunk_pipe *p = arena_alloc(sizeof(*p));
	int want = cores() - 1;
	size_t out_size = codec_bound(codec, CHUNK_BYTES);

	if (!p)
		return NULL;
	memset(p, 0, sizeof(*p));
	p->w = w;
	if (out_size < CHUNK_BYTES)
		out_size = CHUNK_BYTES;
	for (int i = 0; i < SLOTS; i++) {
		p->slot[i].out = arena_alloc(out_size);
		p->slot[i].copy = arena_alloc(CHUNK_BYTES);
		p->slot[i].out_size = out_size;
		if (!p->slot[i].out || !p->slot[i].copy)
			return NULL;
	}
	if (enc_init(&p->enc[0], codec, level))
		return NULL;
	want = want > MAX_HELPERS ? MAX_HELPERS : want;
	for (int i = 1; i <= want; i++)
		if (enc_init(&p->enc[i], codec, level))
			want = i - 1;
	helpers_start(p, want);
	return p;
}

/* Write the oldest slot once it is done, encoding meanwhile if there is
 * anything to encode. */
static int write_oldest(struct chunk_pipe *p)
{
	static const char zeros[CKPT_PAGE_SIZE];
	struct slot *s = &p->slot[p->tail % SLOTS];
	int state;

	while ((state = __atomic_load_n(&s->state, __ATOMIC_ACQUIRE)) !=
	       SLOT_DONE) {
		if (!encode_one(p, &p->enc[0]) && state == SLOT_BUSY)
			futex_wait(&s->state, SLOT_BUSY);
	}
	s->ch.pad = image_chunk_pad(p->w, &s->ch);
	image_section_write(p->w, &s->ch, sizeof(s->ch));
	image_section_write(p->w, zeros, s->ch.pad);
	image_section_write_crc(p->w, s->out, s->ch.data_len, s->ch.data_crc);
	s->state = SLOT_FREE;
	p->tail++;
	return p->w->err;
}

int chunk_pipe_put(struct chunk_pipe *p, uint32_t region, uint64_t addr,
		   uint32_t npages, int unstable)
{
	struct slot *s = &p->slot[p->head % SLOTS];
	int rc = 0;

	if (p->head - p->tail == SLOTS)
		rc = write_oldest(p);
	if (rc)
		return rc;
	memset(&s->ch, 0, sizeof(s->ch));
	s->ch.addr = addr;
	s->ch.npages = npages;
	s->ch.region = region;
	s->src = (const unsigned char *)addr;
	if (unstable)
		s->src = memcpy(s->copy, s->src,
				(size_t)npages * CKPT_PAGE_SIZE);
	__atomic_store_n(&s->state, SLOT_READY, __ATOMIC_RELEASE);
	p->head++;
	__sync_fetch_and_add(&p->work, 1);
	if (p->helpers)
		futex_wake(&p->work);
	return 0;
}

int chunk_pipe_drain(struct chunk_pipe *p)
{
	int rc = 0;

	while (p->tail < p->head && !rc)
		rc = write_oldest(p);
	return rc;
}

int chunk_pipe_end(struct chunk_pipe *p)
{
	int rc = chunk_pipe_drain(p);

	p->quit = 1;
	__sync_fetch_and_add(&p->work, 1);
	futex_wake(&p->work);
	/* The kernel's wake at a thread's end is a shared one: waited for
	 * with FUTEX_WAIT, and a timeout should it come first. */
	for (int i = 1; i <= p->helpers; i++)
		for (int t; (t = p->tid[i]) != 0;) {
			struct timespec ms = { 0, 1000000 };

			sys_futex(&p->tid[i], 0, t, &ms);
		}
	for (int i = 0; i <= p->helpers; i++)
		codec_enc_end(&p->enc[i]);
	return rc;
}
