#include "fault.h"

#include <errno.h>
#include <signal.h>

#include "str.h"
#include "sys.h"

struct fault ckpt_fault;

long fault_inject(int step)
{
	struct fault *f = &ckpt_fault;

	if (f->step != step || (f->checkpoint && f->checkpoint != f->checkpoints))
		return 0;
	if (++f->seen != f->nth)
		return 0;
	if (f->err == FAULT_KILL) {
		/* A crash of the program: a forked writer takes the program
		 * down with it. */
		if (f->victim)
			sys_kill(f->victim, SIGKILL);
		sys_kill((int)sys_getpid(), SIGKILL);
	}
	if (f->err == FAULT_HANG) {
		struct { int64_t s, ns; } hour = { 3600, 0 };

		sys_call2(__NR_nanosleep, SYS_L(&hour), 0);
		return 0;
	}
	return -f->err;
}

void fault_checkpoint_begin(void)
{
	ckpt_fault.seen = 0;
	ckpt_fault.checkpoints++;
}

struct fault_name {
	const char *name;
	int value;
};

static const struct fault_name fault_steps[] = {
	{ "open", FAULT_OPEN },     { "write", FAULT_WRITE },
	{ "truncate", FAULT_TRUNCATE }, { "fsync", FAULT_FSYNC },
	{ "rename", FAULT_RENAME }, { "dirsync", FAULT_DIRSYNC },
	{ NULL, 0 },
};

static const struct fault_name fault_errors[] = {
	{ "ENOSPC", ENOSPC }, { "EIO", EIO },     { "EDQUOT", EDQUOT },
	{ "EFBIG", EFBIG },   { "EROFS", EROFS }, { "ENOENT", ENOENT },
	{ "EACCES", EACCES }, { "kill", FAULT_KILL }, { "hang", FAULT_HANG },
	{ NULL, 0 },
};

/* The value of the name at *p that ends with delim (or the string's end
 * when delim is 0), moving *p to the delimiter; -1 if none matches. */
static int lookup(const struct fault_name *l, const char **p, char delim)
{
	for (; l->name; l++) {
		size_t len = str_len(l->name);

		if (str_starts(*p, l->name) && (*p)[len] == delim) {
			*p += len;
			return l->value;
		}
	}
	return -1;
}

int fault_parse(const char *s, struct fault *out)
{
	const char *end = s + str_len(s), *at = s;
	uint64_t nth, ckpt = 0;
	struct fault f = { 0 };

	while (*at && *at != '@')
		at++;
	f.step = lookup(fault_steps, &s, ':');
	if (f.step < 0 || *s++ != ':' || str_parse_u64(&s, end, 10, &nth) ||
	    *s++ != ':' || !nth || nth > UINT32_MAX)
		return -1;
	f.err = lookup(fault_errors, &s, *at);
	if (f.err < 0)
		return -1;
	if (*s == '@' && (s++, str_parse_u64(&s, end, 10, &ckpt) || *s ||
			  !ckpt || ckpt > UINT32_MAX))
		return -1;
	f.nth = (uint32_t)nth;
	f.checkpoint = (uint32_t)ckpt;
	*out = f;
	return 0;
}
