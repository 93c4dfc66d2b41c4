/*
 * The program's timers: setitimer's three, and POSIX timers made with
 * timer_create (interposed, to know their clock and notification).  At
 * resume each comes back armed with the time it had left and its interval;
 * POSIX timers keep their ids (PR_TIMER_CREATE_RESTORE_IDS, Linux 6.16+),
 * since the program holds them.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stddef.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/time.h>
#include <time.h>

#include "core.h"
#include "str.h"
#include "sys.h"

#ifndef PR_TIMER_CREATE_RESTORE_IDS
#define PR_TIMER_CREATE_RESTORE_IDS 77
#endif
#define MAX_TIMERS 256

struct program_timer {
	int used;
	int id;    /* the kernel's */
	int clock;
	struct sigevent sev;
};

static struct program_timer program_timers[MAX_TIMERS];
static int warned_thread_timers;

CKPT_EXPORT int timer_create(clockid_t clock, struct sigevent *sev,
			     timer_t *out)
{
	int rc;

	REAL(timer_create);
	clock = clocks_translate(clock);
	rc = real_timer_create(clock, sev, out);
	if (rc)
		return rc;
	for (int i = 0; i < MAX_TIMERS; i++) {
		struct program_timer *t = &program_timers[i];

		if (t->used)
			continue;
		t->id = (int)(intptr_t)*out;
		t->clock = clock;
		memset(&t->sev, 0, sizeof(t->sev));
		if (sev) {
			t->sev = *sev;
		} else {
			t->sev.sigev_notify = SIGEV_SIGNAL;
			t->sev.sigev_signo = SIGALRM;
			t->sev.sigev_value.sival_int = t->id;
		}
		t->used = 1;
		break;
	}
	return 0;
}

CKPT_EXPORT int timer_delete(timer_t timer)
{
	REAL(timer_delete);
	for (int i = 0; i < MAX_TIMERS; i++)
		if (program_timers[i].used &&
		    program_timers[i].id == (int)(intptr_t)timer)
			program_timers[i].used = 0;
	return real_timer_delete(timer);
}

/*
 * A periodic timer whose expiry signal is still pending reports 0 left:
 * the kernel re-arms it only when the signal is delivered.  Set again with
 * 0 it would be disarmed; it is due now, so a full period is the closest
 * the restore can come (the pending signal itself is queued again).
 */
static int64_t armed_value(int64_t value, int64_t interval)
{
	return value == 0 && interval != 0 ? interval : value;
}

static int64_t ts_ns(const struct timespec *ts)
{
	return (int64_t)ts->tv_sec * 1000000000 + ts->tv_nsec;
}

static struct timespec ns_ts(int64_t ns)
{
	struct timespec ts = { (time_t)(ns / 1000000000), (long)(ns % 1000000000) };

	return ts;
}

static int64_t tv_us(const struct timeval *tv)
{
	return (int64_t)tv->tv_sec * 1000000 + tv->tv_usec;
}

static struct timeval us_tv(int64_t us)
{
	struct timeval tv = { (time_t)(us / 1000000), (suseconds_t)(us % 1000000) };

	return tv;
}

static int timer_capture(const struct program_timer *t,
			 struct ckpt_posix_timer *out)
{
	struct itimerspec its = { 0 };

	if (t->sev.sigev_notify == SIGEV_THREAD) {
		if (!warned_thread_timers)
			say(2, "warning: a SIGEV_THREAD timer cannot be "
			       "restored; it will not fire after a resume");
		warned_thread_timers = 1;
		return 0;
	}
	if (sys_timer_gettime(t->id, &its) < 0)
		return 0;
	out->id = t->id;
	out->clock = t->clock;
	out->notify = t->sev.sigev_notify;
	out->signo = t->sev.sigev_signo;
	out->tid = t->sev._sigev_un._tid;
	out->value = (uint64_t)(uintptr_t)t->sev.sigev_value.sival_ptr;
	out->interval_ns = ts_ns(&its.it_interval);
	out->value_ns = ts_ns(&its.it_value);
	return 1;
}

static int timers_capture(struct image_writer *w, const struct capture *c)
{
	struct ckpt_timers *tm = arena_alloc(sizeof(*tm));
	struct ckpt_posix_timer *pt = arena_alloc(MAX_TIMERS * sizeof(*pt));

	(void)c;
	if (!tm || !pt)
		return -ENOMEM;
	memset(tm, 0, sizeof(*tm));
	for (int i = 0; i < 3; i++) {
		struct itimerval v = { 0 };

		sys_getitimer(i, &v);
		tm->itimer[i].interval_us = tv_us(&v.it_interval);
		tm->itimer[i].value_us = tv_us(&v.it_value);
	}
	for (int i = 0; i < MAX_TIMERS; i++)
		if (program_timers[i].used)
			tm->ntimers += (uint32_t)timer_capture(&program_timers[i],
							       &pt[tm->ntimers]);
	image_section_begin(w, CKPT_SEC_TIMERS);
	image_section_write(w, tm, sizeof(*tm));
	image_section_write(w, pt, tm->ntimers * sizeof(*pt));
	image_section_end(w, tm->ntimers);
	return w->err;
}

static void timer_recreate(const struct ckpt_posix_timer *p)
{
	struct sigevent sev;
	struct itimerspec its;
	int id = p->id;
	long rc;

	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = p->notify;
	sev.sigev_signo = p->signo;
	sev.sigev_value.sival_ptr = (void *)(uintptr_t)p->value;
	if (p->notify == SIGEV_THREAD_ID)
		sev._sigev_un._tid = threads_new_tid(p->tid);
	rc = sys_timer_create(clocks_translate(p->clock), &sev, &id);
	if (rc < 0 || id != p->id) {
		say(2, "warning: a timer of the program could not be created "
		       "again with its id: ", rc < 0 ? errno_text(rc) :
		       "this kernel lacks PR_TIMER_CREATE_RESTORE_IDS");
		return;
	}
	its.it_interval = ns_ts(p->interval_ns);
	its.it_value = ns_ts(armed_value(p->value_ns, p->interval_ns));
	sys_timer_settime(id, 0, &its, NULL);
}

static int timers_restore(struct image_reader *r)
{
	const struct ckpt_section *s = image_find(r, CKPT_SEC_TIMERS);
	const struct ckpt_timers *tm;
	struct image_table posix;
	void *buf;
	int rc;

	if (!s)
		return IMAGE_ENOSECTION;
	buf = arena_alloc(s->size);
	if (!buf)
		return -ENOMEM;
	rc = image_read_section(r, CKPT_SEC_TIMERS, buf, s->size, NULL);
	if (rc)
		return rc;
	rc = image_table_counted(&posix, buf, s->size, sizeof(*tm),
				 offsetof(struct ckpt_timers, ntimers),
				 sizeof(struct ckpt_posix_timer));
	if (rc)
		return rc;
	tm = buf;
	for (int i = 0; i < 3; i++) {
		struct itimerval v = {
			us_tv(tm->itimer[i].interval_us),
			us_tv(armed_value(tm->itimer[i].value_us,
					  tm->itimer[i].interval_us)),
		};

		sys_setitimer(i, &v, NULL);
	}
	sys_prctl(PR_TIMER_CREATE_RESTORE_IDS, 1, 0, 0, 0);
	for (uint64_t i = 0; i < posix.count; i++)
		timer_recreate(image_table_entry(&posix, i));
	sys_prctl(PR_TIMER_CREATE_RESTORE_IDS, 0, 0, 0, 0);
	return 0;
}

const struct ckpt_module ckpt_module_timers = {
	.name = "timers",
	.capture = timers_capture,
	.restore = timers_restore,
};
