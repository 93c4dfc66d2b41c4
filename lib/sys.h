/*
 * Raw Linux x86-64 system calls, in the manner of musl's syscall_arch.h.
 *
 * The checkpoint handler, the restore path and the static bootstrap use
 * these instead of libc: they run inside a signal handler that may have
 * interrupted libc itself, or in a process where libc was never started.
 * Every call returns the kernel's result: -errno on failure; errno is never
 * touched.
 */
#ifndef CKPT_SYS_H
#define CKPT_SYS_H

#include <stddef.h>
#include <stdint.h>
#include <asm/unistd.h>
#include <sys/types.h>

static inline long sys_call0(long n)
{
	long r;
	__asm__ volatile("syscall" : "=a"(r) : "a"(n) : "rcx", "r11", "memory");
	return r;
}

static inline long sys_call1(long n, long a)
{
	long r;
	__asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a)
			 : "rcx", "r11", "memory");
	return r;
}

static inline long sys_call2(long n, long a, long b)
{
	long r;
	__asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b)
			 : "rcx", "r11", "memory");
	return r;
}

static inline long sys_call3(long n, long a, long b, long c)
{
	long r;
	__asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c)
			 : "rcx", "r11", "memory");
	return r;
}

static inline long sys_call4(long n, long a, long b, long c, long d)
{
	long r;
	register long r10 __asm__("r10") = d;
	__asm__ volatile("syscall" : "=a"(r)
			 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10)
			 : "rcx", "r11", "memory");
	return r;
}

static inline long sys_call5(long n, long a, long b, long c, long d, long e)
{
	long r;
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	__asm__ volatile("syscall" : "=a"(r)
			 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8)
			 : "rcx", "r11", "memory");
	return r;
}

static inline long sys_call6(long n, long a, long b, long c, long d, long e,
			     long f)
{
	long r;
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	__asm__ volatile("syscall" : "=a"(r)
			 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8),
			   "r"(r9)
			 : "rcx", "r11", "memory");
	return r;
}

#define SYS_L(x) ((long)(x))

static inline long sys_read(int fd, void *buf, size_t n)
{
	return sys_call3(__NR_read, fd, SYS_L(buf), SYS_L(n));
}

static inline long sys_write(int fd, const void *buf, size_t n)
{
	return sys_call3(__NR_write, fd, SYS_L(buf), SYS_L(n));
}

static inline long sys_pread(int fd, void *buf, size_t n, uint64_t off)
{
	return sys_call4(__NR_pread64, fd, SYS_L(buf), SYS_L(n), SYS_L(off));
}

static inline long sys_pwrite(int fd, const void *buf, size_t n, uint64_t off)
{
	return sys_call4(__NR_pwrite64, fd, SYS_L(buf), SYS_L(n), SYS_L(off));
}

static inline long sys_openat(int dirfd, const char *path, int flags, int mode)
{
	return sys_call4(__NR_openat, dirfd, SYS_L(path), flags, mode);
}

static inline long sys_open(const char *path, int flags, int mode)
{
	return sys_openat(-100 /* AT_FDCWD */, path, flags, mode);
}

static inline long sys_close(int fd) { return sys_call1(__NR_close, fd); }

static inline long sys_lseek(int fd, int64_t off, int whence)
{
	return sys_call3(__NR_lseek, fd, SYS_L(off), whence);
}

static inline long sys_mmap(void *addr, size_t len, int prot, int flags,
			    int fd, uint64_t off)
{
	return sys_call6(__NR_mmap, SYS_L(addr), SYS_L(len), prot, flags, fd,
			 SYS_L(off));
}

static inline long sys_munmap(void *addr, size_t len)
{
	return sys_call2(__NR_munmap, SYS_L(addr), SYS_L(len));
}

static inline long sys_mprotect(void *addr, size_t len, int prot)
{
	return sys_call3(__NR_mprotect, SYS_L(addr), SYS_L(len), prot);
}

static inline long sys_mremap(void *old, size_t old_len, size_t new_len,
			      int flags, void *new_addr)
{
	return sys_call5(__NR_mremap, SYS_L(old), SYS_L(old_len),
			 SYS_L(new_len), flags, SYS_L(new_addr));
}

static inline long sys_madvise(void *addr, size_t len, int advice)
{
	return sys_call3(__NR_madvise, SYS_L(addr), SYS_L(len), advice);
}

static inline long sys_msync(void *addr, size_t len, int flags)
{
	return sys_call3(__NR_msync, SYS_L(addr), SYS_L(len), flags);
}

static inline long sys_ftruncate(int fd, uint64_t len)
{
	return sys_call2(__NR_ftruncate, fd, SYS_L(len));
}

static inline long sys_fsync(int fd) { return sys_call1(__NR_fsync, fd); }

static inline long sys_rename(const char *from, const char *to)
{
	return sys_call2(__NR_rename, SYS_L(from), SYS_L(to));
}

static inline long sys_link(const char *from, const char *to)
{
	return sys_call2(__NR_link, SYS_L(from), SYS_L(to));
}

static inline long sys_unlink(const char *path)
{
	return sys_call1(__NR_unlink, SYS_L(path));
}

static inline long sys_getdents64(int fd, void *buf, size_t n)
{
	return sys_call3(__NR_getdents64, fd, SYS_L(buf), SYS_L(n));
}

static inline long sys_readlink(const char *path, char *buf, size_t n)
{
	return sys_call3(__NR_readlink, SYS_L(path), SYS_L(buf), SYS_L(n));
}

static inline long sys_fstat(int fd, void *st)
{
	return sys_call2(__NR_fstat, fd, SYS_L(st));
}

static inline long sys_stat(const char *path, void *st)
{
	return sys_call2(__NR_stat, SYS_L(path), SYS_L(st));
}

static inline long sys_fcntl(int fd, int cmd, long arg)
{
	return sys_call3(__NR_fcntl, fd, cmd, arg);
}

static inline long sys_dup2(int from, int to)
{
	return sys_call2(__NR_dup2, from, to);
}

static inline long sys_rt_sigaction(int sig, const void *act, void *old)
{
	return sys_call4(__NR_rt_sigaction, sig, SYS_L(act), SYS_L(old), 8);
}

static inline long sys_rt_sigprocmask(int how, const void *set, void *old)
{
	return sys_call4(__NR_rt_sigprocmask, how, SYS_L(set), SYS_L(old), 8);
}

static inline long sys_getpid(void) { return sys_call0(__NR_getpid); }
static inline long sys_getppid(void) { return sys_call0(__NR_getppid); }
static inline long sys_gettid(void) { return sys_call0(__NR_gettid); }
static inline long sys_getuid(void) { return sys_call0(__NR_getuid); }
static inline long sys_getgid(void) { return sys_call0(__NR_getgid); }

static inline long sys_umask(int mask) { return sys_call1(__NR_umask, mask); }

static inline long sys_chdir(const char *path)
{
	return sys_call1(__NR_chdir, SYS_L(path));
}

static inline long sys_getcwd(char *buf, size_t n)
{
	return sys_call2(__NR_getcwd, SYS_L(buf), SYS_L(n));
}

static inline __attribute__((noreturn)) void sys_exit_group(int code)
{
	for (;;)
		sys_call1(__NR_exit_group, code);
}

static inline long sys_arch_prctl(int code, unsigned long addr)
{
	return sys_call2(__NR_arch_prctl, code, SYS_L(addr));
}

static inline long sys_prctl(int opt, unsigned long a, unsigned long b,
			     unsigned long c, unsigned long d)
{
	return sys_call5(__NR_prctl, opt, SYS_L(a), SYS_L(b), SYS_L(c),
			 SYS_L(d));
}

static inline long sys_brk(unsigned long addr)
{
	return sys_call1(__NR_brk, SYS_L(addr));
}

static inline long sys_timer_create(int clock, void *sev, int *id)
{
	return sys_call3(__NR_timer_create, clock, SYS_L(sev), SYS_L(id));
}

static inline long sys_timer_settime(int id, int flags, const void *val,
				     void *old)
{
	return sys_call4(__NR_timer_settime, id, flags, SYS_L(val), SYS_L(old));
}

static inline long sys_timer_gettime(int id, void *val)
{
	return sys_call2(__NR_timer_gettime, id, SYS_L(val));
}

static inline long sys_getitimer(int which, void *val)
{
	return sys_call2(__NR_getitimer, which, SYS_L(val));
}

static inline long sys_setitimer(int which, const void *val, void *old)
{
	return sys_call3(__NR_setitimer, which, SYS_L(val), SYS_L(old));
}

static inline long sys_getrlimit(int res, void *lim)
{
	return sys_call4(__NR_prlimit64, 0, res, 0, SYS_L(lim));
}

static inline long sys_setrlimit(int res, const void *lim)
{
	return sys_call4(__NR_prlimit64, 0, res, SYS_L(lim), 0);
}

static inline long sys_getpriority(int which, int who)
{
	return sys_call2(__NR_getpriority, which, who);
}

static inline long sys_setpriority(int which, int who, int prio)
{
	return sys_call3(__NR_setpriority, which, who, prio);
}

static inline long sys_rt_sigpending(void *set)
{
	return sys_call2(__NR_rt_sigpending, SYS_L(set), 8);
}

static inline long sys_rt_sigtimedwait(const void *set, void *info,
				       const void *timeout)
{
	return sys_call4(__NR_rt_sigtimedwait, SYS_L(set), SYS_L(info),
			 SYS_L(timeout), 8);
}

static inline long sys_rt_tgsigqueueinfo(int pid, int tid, int sig,
					 const void *info)
{
	return sys_call4(__NR_rt_tgsigqueueinfo, pid, tid, sig, SYS_L(info));
}

static inline long sys_rt_sigqueueinfo(int pid, int sig, const void *info)
{
	return sys_call3(__NR_rt_sigqueueinfo, pid, sig, SYS_L(info));
}

static inline long sys_pipe2(int fds[2], int flags)
{
	return sys_call2(__NR_pipe2, SYS_L(fds), flags);
}

static inline long sys_eventfd2(unsigned count, int flags)
{
	return sys_call2(__NR_eventfd2, count, flags);
}

static inline long sys_timerfd_create(int clock, int flags)
{
	return sys_call2(__NR_timerfd_create, clock, flags);
}

static inline long sys_timerfd_settime(int fd, int flags, const void *val)
{
	return sys_call4(__NR_timerfd_settime, fd, flags, SYS_L(val), 0);
}

static inline long sys_signalfd4(int fd, const uint64_t *mask, int flags)
{
	return sys_call4(__NR_signalfd4, fd, SYS_L(mask), 8, flags);
}

static inline long sys_epoll_create1(int flags)
{
	return sys_call1(__NR_epoll_create1, flags);
}

static inline long sys_epoll_ctl(int ep, int op, int fd, void *ev)
{
	return sys_call4(__NR_epoll_ctl, ep, op, fd, SYS_L(ev));
}

static inline long sys_memfd_create(const char *name, unsigned flags)
{
	return sys_call2(__NR_memfd_create, SYS_L(name), flags);
}

static inline long sys_futex(volatile int *addr, int op, int val,
			     const void *timeout)
{
	return sys_call4(__NR_futex, SYS_L(addr), op, val, SYS_L(timeout));
}

static inline long sys_tgkill(int pid, int tid, int sig)
{
	return sys_call3(__NR_tgkill, pid, tid, sig);
}

static inline long sys_sched_getaffinity(int tid, size_t len, void *mask)
{
	return sys_call3(__NR_sched_getaffinity, tid, SYS_L(len), SYS_L(mask));
}

static inline long sys_sched_setaffinity(int tid, size_t len, const void *mask)
{
	return sys_call3(__NR_sched_setaffinity, tid, SYS_L(len), SYS_L(mask));
}

static inline long sys_timer_delete(int id)
{
	return sys_call1(__NR_timer_delete, id);
}

static inline long sys_clock_gettime(int clock, void *ts)
{
	return sys_call2(__NR_clock_gettime, clock, SYS_L(ts));
}

static inline long sys_set_tid_address(void *addr)
{
	return sys_call1(__NR_set_tid_address, SYS_L(addr));
}

static inline long sys_set_robust_list(void *head, size_t len)
{
	return sys_call2(__NR_set_robust_list, SYS_L(head), SYS_L(len));
}

static inline long sys_get_robust_list(int tid, void **head, size_t *len)
{
	return sys_call3(__NR_get_robust_list, tid, SYS_L(head), SYS_L(len));
}

static inline long sys_rseq(void *area, uint32_t len, int flags, uint32_t sig)
{
	return sys_call4(__NR_rseq, SYS_L(area), len, flags, sig);
}

static inline long sys_kcmp(int pid1, int pid2, int type, long a, long b)
{
	return sys_call5(__NR_kcmp, pid1, pid2, type, a, b);
}

static inline long sys_kill(int pid, int sig)
{
	return sys_call2(__NR_kill, pid, sig);
}

/* System V IPC (lib/ipc.c).  The kernel takes IPC_STAT buffers in the
 * layout of glibc's x86-64 structs (IPC_64 is implied there). */
static inline long sys_msgget(int key, int flags)
{
	return sys_call2(__NR_msgget, key, flags);
}

static inline long sys_msgsnd(int id, const void *msg, size_t n, int flags)
{
	return sys_call4(__NR_msgsnd, id, SYS_L(msg), SYS_L(n), flags);
}

static inline long sys_msgrcv(int id, void *msg, size_t n, long type,
			      int flags)
{
	return sys_call5(__NR_msgrcv, id, SYS_L(msg), SYS_L(n), type, flags);
}

static inline long sys_msgctl(int id, int cmd, void *buf)
{
	return sys_call3(__NR_msgctl, id, cmd, SYS_L(buf));
}

static inline long sys_semget(int key, int nsems, int flags)
{
	return sys_call3(__NR_semget, key, nsems, flags);
}

/* arg: union semun, passed by value (a pointer or an int). */
static inline long sys_semctl(int id, int num, int cmd, long arg)
{
	return sys_call4(__NR_semctl, id, num, cmd, arg);
}

static inline long sys_shmget(int key, size_t size, int flags)
{
	return sys_call3(__NR_shmget, key, SYS_L(size), flags);
}

static inline long sys_shmat(int id, const void *addr, int flags)
{
	return sys_call3(__NR_shmat, id, SYS_L(addr), flags);
}

static inline long sys_shmdt(const void *addr)
{
	return sys_call1(__NR_shmdt, SYS_L(addr));
}

static inline long sys_shmctl(int id, int cmd, void *buf)
{
	return sys_call3(__NR_shmctl, id, cmd, SYS_L(buf));
}

static inline long sys_execve(const char *path, char *const argv[],
			      char *const envp[])
{
	return sys_call3(__NR_execve, SYS_L(path), SYS_L(argv), SYS_L(envp));
}

/* Sockets (fd_unix.c), message queues (fd_mqueue.c), inotify
 * (fd_inotify.c). */
static inline long sys_socket(int domain, int type, int proto)
{
	return sys_call3(__NR_socket, domain, type, proto);
}

static inline long sys_socketpair(int domain, int type, int proto, int sv[2])
{
	return sys_call4(__NR_socketpair, domain, type, proto, SYS_L(sv));
}

static inline long sys_sendto(int fd, const void *buf, size_t n, int flags,
			      const void *addr, unsigned addr_len)
{
	return sys_call6(__NR_sendto, fd, SYS_L(buf), SYS_L(n), flags,
			 SYS_L(addr), addr_len);
}

static inline long sys_recvfrom(int fd, void *buf, size_t n, int flags)
{
	return sys_call6(__NR_recvfrom, fd, SYS_L(buf), SYS_L(n), flags, 0, 0);
}

static inline long sys_recvmsg(int fd, void *msg, int flags)
{
	return sys_call3(__NR_recvmsg, fd, SYS_L(msg), flags);
}

static inline long sys_getsockopt(int fd, int level, int name, void *val,
				  unsigned *len)
{
	return sys_call5(__NR_getsockopt, fd, level, name, SYS_L(val),
			 SYS_L(len));
}

static inline long sys_setsockopt(int fd, int level, int name,
				  const void *val, unsigned len)
{
	return sys_call5(__NR_setsockopt, fd, level, name, SYS_L(val), len);
}

static inline long sys_shutdown(int fd, int how)
{
	return sys_call2(__NR_shutdown, fd, how);
}

static inline long sys_fstatfs(int fd, void *buf)
{
	return sys_call2(__NR_fstatfs, fd, SYS_L(buf));
}

static inline long sys_ioctl(int fd, unsigned long req, void *arg)
{
	return sys_call3(__NR_ioctl, fd, SYS_L(req), SYS_L(arg));
}

/* name without the leading '/', as the kernel takes it. */
static inline long sys_mq_open(const char *name, int flags, int mode,
			       const void *attr)
{
	return sys_call4(__NR_mq_open, SYS_L(name), flags, mode, SYS_L(attr));
}

static inline long sys_mq_unlink(const char *name)
{
	return sys_call1(__NR_mq_unlink, SYS_L(name));
}

static inline long sys_mq_timedsend(int mq, const void *msg, size_t len,
				    unsigned prio, const void *abs_timeout)
{
	return sys_call5(__NR_mq_timedsend, mq, SYS_L(msg), SYS_L(len), prio,
			 SYS_L(abs_timeout));
}

static inline long sys_mq_timedreceive(int mq, void *msg, size_t len,
				       unsigned *prio, const void *abs_timeout)
{
	return sys_call5(__NR_mq_timedreceive, mq, SYS_L(msg), SYS_L(len),
			 SYS_L(prio), SYS_L(abs_timeout));
}

static inline long sys_mq_getsetattr(int mq, const void *set, void *old)
{
	return sys_call3(__NR_mq_getsetattr, mq, SYS_L(set), SYS_L(old));
}

static inline long sys_inotify_init1(int flags)
{
	return sys_call1(__NR_inotify_init1, flags);
}

static inline long sys_inotify_add_watch(int fd, const char *path,
					 uint32_t mask)
{
	return sys_call3(__NR_inotify_add_watch, fd, SYS_L(path), mask);
}

static inline long sys_inotify_rm_watch(int fd, int wd)
{
	return sys_call2(__NR_inotify_rm_watch, fd, wd);
}

/* Linux 6.13+ (guard regions) and 4.4+: Debian 12's headers lack them. */
#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL 102
#endif
#ifndef MLOCK_ONFAULT
#define MLOCK_ONFAULT 1
#endif

#endif
