/*
 * Signal dispositions.  The mask of the interrupted code is in the signal
 * frame on the stack and comes back by itself when the handler returns.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>

#include "core.h"
#include "sys.h"

static int signals_save(struct image_writer *w, const struct capture *c)
{
	struct ckpt_signals *s = arena_alloc(sizeof(*s));

	if (!s)
		return -ENOMEM;
	memset(s, 0, sizeof(*s));
	for (int sig = 1; sig <= CKPT_NSIG; sig++)
		sys_rt_sigaction(sig, NULL, &s->action[sig]);
	s->blocked = c->blocked;
	s->ckpt_signal = (uint32_t)ckpt_cfg.signal;
	image_section_begin(w, CKPT_SEC_SIGNALS);
	image_section_write(w, s, sizeof(*s));
	image_section_end(w, 1);
	return w->err;
}

static int signals_restore(struct image_reader *r)
{
	struct ckpt_signals *s = arena_alloc(sizeof(*s));
	int rc;

	if (!s)
		return -ENOMEM;
	rc = image_read_section(r, CKPT_SEC_SIGNALS, s, sizeof(*s), NULL);
	if (rc)
		return rc;
	for (int sig = 1; sig <= CKPT_NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			sys_rt_sigaction(sig, &s->action[sig], NULL);
	return 0;
}

const struct ckpt_module ckpt_module_signals = {
	.name = "signals",
	.save = signals_save,
	.restore = signals_restore,
};
