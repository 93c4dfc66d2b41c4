/*
 * Signal dispositions and pending signals.  The mask of the interrupted code
 * is in the signal frame on the stack and comes back by itself when the
 * handler returns, and so does the alternate signal stack (uc_stack).
 *
 * Pending signals live in the kernel, so they are taken out at checkpoint
 * (rt_sigtimedwait, siginfo and all) and queued again at once; at resume
 * they are queued again from the image, in the same order.
 */
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>

#include "core.h"
#include "str.h"
#include "sys.h"

#define MAX_PENDING 4096

static uint64_t sig_bit(int sig) { return 1ull << (sig - 1); }

static void requeue(const struct ckpt_siginfo *p, uint32_t n)
{
	long pid = sys_getpid();

	for (uint32_t i = 0; i < n; i++)
		sys_rt_sigqueueinfo((int)pid, (int)p[i].sig, p[i].info);
}

uint32_t signals_dequeue(uint64_t set, struct ckpt_siginfo *out, uint32_t max)
{
	const struct timespec zero = { 0, 0 };
	uint32_t n = 0;

	set &= ~(sig_bit(ckpt_cfg.signal) | sig_bit(SIGKILL) | sig_bit(SIGSTOP));
	while (set && n < max) {
		long sig = sys_rt_sigtimedwait(&set, out[n].info, &zero);

		if (sig <= 0)
			break;
		out[n].sig = (uint32_t)sig;
		out[n].reserved = 0;
		n++;
	}
	return n;
}

/* Everything pending but the checkpoint signal itself (the threads took
 * what was pending on them alone already, threads.c). */
static uint32_t pending_take(struct ckpt_siginfo *out, uint32_t max)
{
	uint64_t set = 0;

	sys_rt_sigpending(&set);
	return signals_dequeue(set, out, max);
}

static int signals_capture(struct image_writer *w, const struct capture *c)
{
	struct ckpt_signals *s = arena_alloc(sizeof(*s));
	struct ckpt_siginfo *pending = arena_alloc(MAX_PENDING * sizeof(*pending));

	if (!s || !pending)
		return -ENOMEM;
	memset(s, 0, sizeof(*s));
	for (int sig = 1; sig <= CKPT_NSIG; sig++)
		sys_rt_sigaction(sig, NULL, &s->action[sig]);
	s->blocked = c->blocked;
	s->ckpt_signal = (uint32_t)ckpt_cfg.signal;
	s->npending = pending_take(pending, MAX_PENDING);
	requeue(pending, s->npending);
	image_section_begin(w, CKPT_SEC_SIGNALS);
	image_section_write(w, s, sizeof(*s));
	image_section_write(w, pending, s->npending * sizeof(*pending));
	image_section_end(w, 1);
	return w->err;
}

static int signals_restore(struct image_reader *r)
{
	const struct ckpt_section *sec = image_find(r, CKPT_SEC_SIGNALS);
	const struct ckpt_signals *s;
	struct image_table pending;
	void *buf;
	int rc;

	if (!sec)
		return IMAGE_ENOSECTION;
	buf = arena_alloc(sec->size);
	if (!buf)
		return -ENOMEM;
	rc = image_read_section(r, CKPT_SEC_SIGNALS, buf, sec->size, NULL);
	if (rc)
		return rc;
	rc = image_table_counted(&pending, buf, sec->size, sizeof(*s),
				 offsetof(struct ckpt_signals, npending),
				 sizeof(struct ckpt_siginfo));
	if (rc)
		return rc;
	s = buf;
	for (int sig = 1; sig <= CKPT_NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			sys_rt_sigaction(sig, &s->action[sig], NULL);
	for (uint64_t i = 0; i < pending.count; i++)
		requeue(image_table_entry(&pending, i), 1);
	return 0;
}

const struct ckpt_module ckpt_module_signals = {
	.name = "signals",
	.capture = signals_capture,
	.restore = signals_restore,
};
