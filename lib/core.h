/*
 * libckpt internals shared by the checkpoint core and the state modules.
 */
#ifndef CKPT_CORE_H
#define CKPT_CORE_H

#include <stddef.h>
#include <stdint.h>
#include <dlfcn.h>
#include <errno.h>
#include <signal.h>
#include <sys/types.h>
#include <ucontext.h>

#include "ckpt_image.h"
#include "config.h"
#include "core_range.h"
#include "image.h"

/* libckpt is built with hidden visibility so that a program's own symbols
 * can never take the place of ckpt's; only these are exported. */
#define CKPT_EXPORT __attribute__((visibility("default")))

/* In an interposed function: real_NAME, libc's own NAME, looked up once. */
#define REAL(name)                                                           \
	static __typeof__(&(name)) real_##name;                              \
	if (!real_##name)                                                    \
		real_##name = (__typeof__(&(name)))dlsym(RTLD_NEXT, #name)

/* libc's NAME behind an interposed one, in a file-scope libc_NAME:
 * CKPT_RESOLVE looks it up where it is still missing, so it can be done
 * at load (dlsym must not run where these may be called: in signal
 * handlers) and again at a call made before ckpt's constructor. */
#define CKPT_LIBC(name) static __typeof__(&(name)) libc_##name
#define CKPT_RESOLVE(name)                                                   \
	(libc_##name ? (void)0                                               \
		     : (void)(libc_##name = (__typeof__(&(name)))dlsym(        \
				      RTLD_NEXT, #name)))

/* A raw system call's result as libc returns it: -1 and errno. */
static inline long ckpt_set_errno(long rc)
{
	if (rc < 0 && rc > -4096) {
		errno = (int)-rc;
		return -1;
	}
	return rc;
}

struct ckpt_config {
	char image[CKPT_PATH_MAX];
	char tmp[CKPT_PATH_MAX];
	char dir[CKPT_PATH_MAX];
	uint64_t period_ns;   /* 0: on demand only */
	uint64_t timeout_ns;  /* a stop or a writer stalled this long is given
				 up; 0: never */
	int signal;
	int codec;            /* CKPT_CODEC_*: how page data is stored */
	int level;            /* the codec's level */
	int no_fork;          /* 1: the image is written in the pause */
	uint64_t file_save_max; /* output files up to this size are saved */
	int undo_sync;        /* 1: undo records synced before their writes */
	uint32_t full_every;  /* a full image at least every N (1: always) */
	int verbose;
};

/* The core (core.c): configuration, the coordinator's saved context, what
 * the bootstrap leaves for the restore, and the generation of the image
 * being taken (or last taken). */
extern struct ckpt_config ckpt_cfg;
extern struct ckpt_restore_info ckpt_restore_info;
extern ucontext_t ckpt_context;
extern uint64_t ckpt_generation;

/* What the core gathers once per checkpoint for the modules to share. */
struct capture {
	const char *maps;     /* text of /proc/self/maps */
	size_t maps_len;
	uint64_t blocked;     /* the interrupted code's signal mask */
};

/*
 * One kind of process state.  capture runs in the pause, with every thread
 * stopped, and records what can change once the program runs on: either as
 * finished sections, into the in-memory writer it is given, or into its own
 * memory for emit.  emit runs later, in place or in the forked writer, and
 * writes the sections that come from that memory and from the program's
 * pages.  restore runs in the restored process, in the handler, before it
 * returns into the program.  All use raw system calls and the arena only.
 * Any may be NULL.
 */
struct ckpt_module {
	const char *name;
	int (*capture)(struct image_writer *state, const struct capture *c);
	int (*emit)(struct image_writer *w);
	int (*restore)(struct image_reader *r);
};

extern const struct ckpt_module ckpt_module_proc;
extern const struct ckpt_module ckpt_module_memory;
extern const struct ckpt_module ckpt_module_written;
extern const struct ckpt_module ckpt_module_files;
extern const struct ckpt_module ckpt_module_undo;
extern const struct ckpt_module ckpt_module_signals;
extern const struct ckpt_module ckpt_module_timers;
extern const struct ckpt_module ckpt_module_limits;
extern const struct ckpt_module ckpt_module_threads;
extern const struct ckpt_module ckpt_module_clocks;
extern const struct ckpt_module ckpt_module_ipc;

/* System V IPC (ipc.c): the kernel's id now of a message queue or
 * semaphore set the program knows by id; whether [start, end) is a mapping
 * of a segment ipc.c attaches again at resume (the memory module keeps only
 * its range). */
int ipc_msg_id(int id);
int ipc_sem_id(int id);
int ipc_region_restored(uint64_t start, uint64_t end);
/* After the pause (and the writer's fork): the program's forks inherit
 * its segments again. */
void ipc_pause_over(void);
/* Memory (mem.c): after the pause (and the writer's fork), the program's
 * MADV_DONTFORK and MADV_WIPEONFORK ranges as they were; an mmap with
 * MAP_LOCKED was made (smaps is read in the pause from then on). */
void mem_pause_over(void);
void mem_locked_mapping(void);

/* A clock id as this process knows it now (clocks.c): CPU-time clocks of
 * a pid or tid from before a resume are translated. */
clockid_t clocks_translate(clockid_t clock);

/* Threads (threads.c): one coordinator per checkpoint, the others parked
 * in their handlers while it writes. */
void threads_init(long tid_field_offset);
int threads_claim_coordinator(void);
int threads_stale_request(const siginfo_t *si);
void threads_coordinator_begin(void);
int threads_stop_others(void);
void threads_release(void);
void threads_participant(void);
/* After threads_stop_others gave up (-ETIMEDOUT): the thread it waited
 * for, and its wchan. */
void threads_stuck(int32_t *tid, char *wchan, size_t size);
int32_t threads_new_tid(int32_t old);
/* The ids a thread had before its resumes (mutexes.c): a recursive or
 * error-checking mutex they own is given the id it has now. */
#define CKPT_OLD_TIDS 8
void mutexes_old_tid(int32_t tid);
void mutexes_init(void);
/* The loader's locks (dl.c): found at load, given their owners' new ids
 * at resume. */
void dl_init(void);
void dl_locks_rebind(void);

/* Take the signals of set that are pending on this thread or the process
 * (never the checkpoint signal), with their siginfo, in delivery order. */
uint32_t signals_dequeue(uint64_t set, struct ckpt_siginfo *out, uint32_t max);

/* Scratch memory for the handler: reset at the start of each checkpoint
 * and restore.  Returns NULL when exhausted.  arena_release also gives its
 * pages back. */
void *arena_alloc(size_t size);
void arena_reset(void);
void arena_release(void);
/* Map ckpt's range: the boot hole as PROT_NONE, the arena read-write, its
 * last page shared. */
int range_map(int fixed_replace);

/* Interposed descriptor bookkeeping (interpose.c). */
struct fd_track {
	uint32_t open_flags; /* as passed to open, O_CREAT and O_TRUNC kept */
	int32_t dup_of;      /* -1, or the fd it was duplicated from */
	uint8_t known;
};
const struct fd_track *fd_track_get(int fd);

/* Signals (sigwrap.c): libc's own sigaction, past ckpt's wrapping; a copy
 * of a set without the checkpoint signal; the per-thread count of program
 * handlers run, and of checkpoint signals taken. */
struct sigaction;
int ckpt_real_sigaction(int sig, const struct sigaction *act,
			struct sigaction *old);
const sigset_t *ckpt_signal_removed(const sigset_t *set, sigset_t *copy);
/* ckpt's handler for sig ahead of the program's, which sigaction still
 * reports and sets; sigwrap_dispatch runs the program's. */
int sigwrap_take(int sig, void (*handler)(int, siginfo_t *, void *));
void sigwrap_dispatch(int sig, siginfo_t *si, void *uc);
extern __thread unsigned ckpt_tls_program_signals;
extern __thread unsigned ckpt_tls_checkpoints;
int ckpt_is_active(void);
void ckpt_activate(void);
void ckpt_deactivate(void);
int handler_install(void);
/* Take a checkpoint in this thread now: 0 written, 1 resumed, -1 failed. */
int checkpoint_request(void);
int timer_start(void);
/* libc's functions behind the interposed writes, looked up at load. */
void writes_init(void);

/* Monotonic nanoseconds, and the total by which CLOCK_MONOTONIC jumped at
 * resumes: what a timeout measured across a resume must leave out. */
uint64_t ckpt_monotonic_ns(void);
extern int64_t ckpt_clock_shift_ns;

/* Glibc thread bookkeeping found at load time (proc.c). */
void proc_init(void);

#endif
