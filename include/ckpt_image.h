/*
 * The ckpt image format, shared by libckpt (writer), the restore bootstrap,
 * ckpt-resume and the tools (readers).  docs/image-format.md describes it in
 * prose; this header is the definition.
 *
 * Layout of an image file:
 *
 *   offset 0           struct ckpt_header
 *   sizeof(header)     struct ckpt_section[header.nsections]   (section table)
 *   header.table_end   section bodies, in any order, each where its table
 *                      entry says; page data may be padded to page alignment
 *
 * All integers are little-endian x86-64 native.  The header checksum covers
 * the header and the section table (with the checksum field taken as zero);
 * each section has its own CRC-32 over its body.  A reader refuses a file
 * whose header, table or any section fails its check or lies past the end.
 */
#ifndef CKPT_IMAGE_H
#define CKPT_IMAGE_H

#include <stdint.h>

#define CKPT_MAGIC "CKPTIMG\0"
#define CKPT_VERSION 4
#define CKPT_ARCH_X86_64 62 /* EM_X86_64 */
#define CKPT_MAX_SECTIONS 32
#define CKPT_PAGE_SIZE 4096u

struct ckpt_header {
	char magic[8];
	uint32_t version;
	uint32_t arch;
	uint32_t header_crc;  /* CRC-32 of header + table, this field as 0 */
	uint32_t nsections;
	uint64_t table_end;   /* first byte after the section table */
	uint64_t file_size;   /* total size: a truncated image is detected */
	uint64_t created_ns;  /* CLOCK_REALTIME at checkpoint */
	uint64_t generation;  /* 1 for the first image of a run, +1 each time */
	uint32_t flags;       /* CKPT_HDR_* */
	uint32_t reserved;
	/* An incremental image: the generation of the parent it extends
	 * (PARENT says which file); 0 for a full image. */
	uint64_t parent_generation;
	char reserved2[64];
};


enum ckpt_section_type {
	CKPT_SEC_PROC = 1,    /* struct ckpt_proc */
	CKPT_SEC_REGIONS = 2, /* struct ckpt_region[], then strings */
	CKPT_SEC_PAGES = 3,   /* struct ckpt_chunk + data, repeated */
	CKPT_SEC_FILES = 4,   /* struct ckpt_fd[], then strings */
	CKPT_SEC_SIGNALS = 5, /* struct ckpt_signals, then ckpt_siginfo[] */
	CKPT_SEC_TIMERS = 6,  /* struct ckpt_timers, then ckpt_posix_timer[] */
	CKPT_SEC_FILEDATA = 7, /* contents kept for descriptors: files, pipes */
	CKPT_SEC_THREADS = 8, /* struct ckpt_thread[], the coordinator first */
	CKPT_SEC_IPC = 9,     /* struct ckpt_ipc, ckpt_ipc_obj[], then data */
	CKPT_SEC_GUARDS = 10, /* struct ckpt_guard[]: MADV_GUARD_INSTALL pages */
	CKPT_SEC_PARENT = 11, /* struct ckpt_parent: incremental images only */
	CKPT_SEC_INHERIT = 12, /* struct ckpt_extent[]: pages kept from it */
};

struct ckpt_section {
	uint32_t type;
	uint32_t crc;    /* CRC-32 of the body */
	uint64_t offset; /* from the start of the file */
	uint64_t size;   /* bytes in the file */
	uint64_t count;  /* entries, for array sections */
};

/* Section bodies with a string table: entries first, then NUL-terminated
 * strings; an entry names its string by offset from the end of the entries. */

/* --- CKPT_SEC_PROC: registers, mm layout and identity ------------------- */

#define CKPT_AUXV_MAX 64
#define CKPT_RLIMITS 16 /* RLIM_NLIMITS on Linux */
#define CKPT_PATH_MAX 4096
#define CKPT_JOURNAL_KEY 16

struct ckpt_vdso_area {
	uint64_t start, end; /* 0 when absent */
};

enum { CKPT_VDSO_VVAR, CKPT_VDSO_VCLOCK, CKPT_VDSO_CODE, CKPT_VDSO_AREAS };

struct ckpt_proc {
	uint32_t pid, uid, gid, umask;
	uint64_t fs_base, gs_base;
	/* Addresses inside the restored memory the bootstrap uses to resume. */
	uint64_t context_addr;      /* ucontext_t saved by getcontext */
	uint64_t restore_info_addr; /* struct ckpt_restore_info, filled at resume */
	uint64_t hole_start, hole_end; /* reserved range left out of the image */
	/* struct prctl_mm_map fields, in that order */
	uint64_t start_code, end_code, start_data, end_data, start_brk, brk;
	uint64_t start_stack, arg_start, arg_end, env_start, env_end;
	uint64_t auxv[CKPT_AUXV_MAX * 2];
	uint32_t auxv_words;
	uint32_t reserved;
	struct ckpt_vdso_area vdso[CKPT_VDSO_AREAS];
	struct { uint64_t cur, max; } rlimit[CKPT_RLIMITS];
	int32_t nice;
	char comm[16];        /* PR_GET_NAME of the thread */
	/* The run's random key: heads its journal IMAGE.created, so a journal
	 * written by anyone else is not obeyed (docs/security.md). */
	uint8_t journal_key[CKPT_JOURNAL_KEY];
	char cwd[CKPT_PATH_MAX];
	char exe[CKPT_PATH_MAX];
};

/*
 * Filled by the bootstrap in the restored memory before it jumps back into
 * the saved context; read by libckpt's restore path.  restored != 0 tells the
 * signal handler it is running after a resume.
 */
/* ckpt-resume redirected these standard streams: keep them as given. */
#define CKPT_RESTORE_KEEP_STDIN 1
#define CKPT_RESTORE_KEEP_STDOUT 2
#define CKPT_RESTORE_KEEP_STDERR 4

struct ckpt_restore_info {
	volatile int32_t restored;
	int32_t image_fd;  /* open on the image, for the modules' restore */
	int32_t flags;     /* CKPT_RESTORE_* */
	int32_t uffd;      /* userfaultfd tracking written pages, or -1 */
};

/* --- CKPT_SEC_REGIONS: the address space -------------------------------- */

enum ckpt_region_kind {
	CKPT_REG_PRIVATE = 1, /* anonymous or file-backed MAP_PRIVATE: file
	                         pages remapped, written pages from PAGES */
	CKPT_REG_SHARED_FILE = 2, /* MAP_SHARED of a file: the file holds it */
	CKPT_REG_SHARED_ANON = 3, /* MAP_SHARED anonymous: contents in PAGES */
	CKPT_REG_EMPTY = 4,   /* recreated with its protection, no contents */
};

#define CKPT_REGF_STACK 1u     /* grows down (the main stack) */
#define CKPT_REGF_HEAP 2u      /* the brk heap */
#define CKPT_REGF_FILE 4u      /* backed by the file named by path */
#define CKPT_REGF_NORESERVE 8u /* mapped with MAP_NORESERVE */
/* Flags and advice of the mapping, from /proc/self/smaps VmFlags (in
 * brackets), given back at resume after the pages are filled. */
#define CKPT_REGF_GROWSDOWN 16u     /* MAP_GROWSDOWN ("gd") */
#define CKPT_REGF_DONTFORK 32u      /* MADV_DONTFORK ("dc") */
#define CKPT_REGF_WIPEONFORK 64u    /* MADV_WIPEONFORK ("wf") */
#define CKPT_REGF_DONTDUMP 128u     /* MADV_DONTDUMP ("dd") */
#define CKPT_REGF_HUGEPAGE 256u     /* MADV_HUGEPAGE ("hg") */
#define CKPT_REGF_NOHUGEPAGE 512u   /* MADV_NOHUGEPAGE ("nh") */
#define CKPT_REGF_LOCKED 1024u      /* mlock, mlockall, MAP_LOCKED ("lo") */
#define CKPT_REGF_LOCKONFAULT 2048u /* mlock2 MLOCK_ONFAULT ("lf") */
#define CKPT_REGF_GUARD 4096u       /* has guard pages, listed in GUARDS */
#define CKPT_REGF_INHERITS 8192u    /* has pages listed in INHERIT */

struct ckpt_region {
	uint64_t start, end;
	uint64_t file_offset;
	uint64_t dev, ino, file_size;
	int64_t mtime_sec, mtime_nsec;
	uint32_t kind, flags;
	uint32_t prot;     /* PROT_* */
	uint32_t path_off; /* into the strings; valid with CKPT_REGF_FILE */
	uint64_t pages;    /* pages of this region stored in PAGES */
};

/* --- CKPT_SEC_GUARDS: guard regions (MADV_GUARD_INSTALL) ---------------
 *
 * Pages that fault when touched, invisible in /proc/self/maps, found with
 * the PAGEMAP_SCAN ioctl (PAGE_IS_GUARD).  Each range lies inside one
 * region, which has CKPT_REGF_GUARD; ranges go up by address.  Absent when
 * the program has none.
 */
struct ckpt_guard {
	uint64_t start, end; /* page-aligned */
};

/* --- CKPT_SEC_PARENT, CKPT_SEC_INHERIT: incremental images -------------
 *
 * An incremental image holds every section of a full one, but its PAGES
 * only the pages written since its parent was taken.  INHERIT lists, in
 * address order, the page ranges whose contents are the parent's: each
 * lies inside one CKPT_REG_PRIVATE region with CKPT_REGF_INHERITS.  A page
 * of a region neither in PAGES nor in INHERIT is zero (or, for a private
 * file mapping, the file's).  Resolving an inherited page goes on to the
 * parent's own PAGES and INHERIT, down to a full image.
 */
struct ckpt_parent {
	/* The parent's identity, all checked when it is opened: its
	 * header's checksum covers its section table, hence every section's
	 * checksum. */
	uint64_t generation, created_ns, file_size;
	uint32_t header_crc;
	uint32_t depth;           /* 1 when the parent is a full image */
	char path[CKPT_PATH_MAX]; /* absolute; IMAGE.GENERATION beside it */
};

struct ckpt_extent {
	uint64_t start, end; /* page-aligned */
};

/* --- CKPT_SEC_PAGES: page contents -------------------------------------- */

/*
 * A run of consecutive pages of one region, stored as one independent unit
 * (compressed on its own, by the codec it names) with its own checksum, so
 * a reader can restore or verify any chunk alone.  A chunk the codec did
 * not shrink is stored as is (CKPT_CODEC_NONE), its data page-aligned.
 */
enum ckpt_codec {
	CKPT_CODEC_NONE = 0, /* the pages as they are */
	CKPT_CODEC_ZLIB = 1, /* a zlib stream */
	CKPT_CODEC_ZSTD = 2, /* one zstd frame */
	CKPT_CODEC_LZ4 = 3,  /* one lz4 block (LZ4_compress_default) */
};

struct ckpt_chunk {
	uint64_t addr;     /* first page */
	uint32_t npages;
	uint32_t region;   /* index into REGIONS */
	uint32_t data_len; /* bytes that follow (after pad) */
	uint32_t data_crc; /* CRC-32 of those bytes */
	uint32_t pad;      /* zero bytes between this header and the data */
	uint32_t codec;    /* CKPT_CODEC_* */
};

#define CKPT_CHUNK_MAX_PAGES 256u
/* Upper bound of a compressed chunk's data: readers size buffers by it. */
#define CKPT_CHUNK_MAX_DATA (2u << 20)

/* --- CKPT_SEC_FILES: descriptors ---------------------------------------- */

enum ckpt_fd_kind {
	CKPT_FD_REGULAR = 1,
	CKPT_FD_DIR = 2,
	CKPT_FD_CHAR = 3,    /* reopened by path (/dev/null, a terminal) */
	CKPT_FD_PIPE = 4,    /* an anonymous pipe end; aux[0] = capacity */
	CKPT_FD_OTHER = 5,   /* not restorable: sockets and the like */
	CKPT_FD_FIFO = 6,    /* a named pipe, reopened by path */
	CKPT_FD_EVENTFD = 7, /* aux[0] = count, aux[1] = semaphore mode */
	CKPT_FD_TIMERFD = 8, /* aux: clock, settime flags, value ns, interval ns */
	CKPT_FD_SIGNALFD = 9, /* aux[0] = mask */
	CKPT_FD_EPOLL = 10,  /* data: ckpt_epoll_target[] */
	CKPT_FD_MEMFD = 11,  /* data: contents; the path holds its name */
	/* A Unix-domain socket connected to another of the program's:
	 * aux[0] = SOCK_STREAM, SOCK_DGRAM or SOCK_SEQPACKET, aux[1] = the
	 * peer's inode, aux[2] = its shutdown bits (1 receive, 2 send),
	 * aux[3] = SO_SNDBUF in the low 32 bits, SO_PEEK_OFF (int32, -1 when
	 * off) in the high 32.  data: its receive queue -- the bytes (stream),
	 * or each message as a ckpt_sock_msg and its bytes. */
	CKPT_FD_UNIX = 12,
	/* inotify: data = ckpt_inotify_watch[] each followed by its path;
	 * aux[0] = bytes of events queued (lost at resume), aux[1] = the
	 * highest wd the program was given (the next is one more). */
	CKPT_FD_INOTIFY = 13,
	/* A file or directory under /proc/PID of the process itself; the path
	 * names the old pid (and tid), rewritten at resume. */
	CKPT_FD_PROCSELF = 14,
	/* A POSIX message queue; the path is its name ("/name").  aux[0] =
	 * mq_maxmsg, aux[1] = mq_msgsize, aux[2] = messages at the
	 * checkpoint, aux[3] = flags: 1 the messages are all in data, as
	 * ckpt_mq_msg records each followed by its bytes, in receive order;
	 * 2 the job created the queue (emptied and refilled at resume). */
	CKPT_FD_MQUEUE = 15,
};

#define CKPT_FDF_CLOEXEC 1u
#define CKPT_FDF_DELETED 2u  /* a regular file unlinked while open */
#define CKPT_FDF_DATA 4u     /* data_len bytes at data_off in FILEDATA */
#define CKPT_FDF_OUTPUT 8u   /* open for writing: size (and data) restored */

struct ckpt_fd {
	int32_t fd;
	int32_t dup_of;    /* lower fd sharing the open file description, or -1 */
	uint32_t kind, flags;
	uint32_t open_flags; /* O_* as in fdinfo */
	uint32_t path_off;
	uint64_t pos;
	uint64_t dev, ino, size;
	int64_t mtime_sec, mtime_nsec;
	uint32_t mode, reserved;
	uint64_t data_off, data_len; /* into CKPT_SEC_FILEDATA */
	uint64_t aux[4];
};

/* An epoll descriptor's interest list entry. */
struct ckpt_epoll_target {
	int32_t fd;
	uint32_t events;
	uint64_t data;
};

/* A message in a socket's receive queue (SOCK_DGRAM, SOCK_SEQPACKET). */
struct ckpt_sock_msg {
	uint32_t len; /* bytes that follow */
	uint32_t reserved;
};

/* A watch of an inotify descriptor, as its fdinfo and the interposed
 * inotify_add_watch told it. */
struct ckpt_inotify_watch {
	int32_t wd;
	uint32_t mask;     /* IN_* events and flags */
	uint64_t ino;      /* the watched inode, and its device (st_dev) */
	uint64_t dev;
	uint32_t path_len; /* bytes of path that follow, no NUL */
	uint32_t reserved;
};

/* A message of a POSIX message queue. */
struct ckpt_mq_msg {
	uint32_t prio;
	uint32_t len; /* bytes that follow */
};

/* --- CKPT_SEC_THREADS: what each thread saved of itself --------------- */

struct ckpt_thread {
	int32_t tid;          /* at the checkpoint */
	int32_t reserved;
	uint64_t fs_base;
	uint64_t context_addr; /* its ucontext_t in the image's memory */
	char comm[16];
};

/* --- CKPT_SEC_IPC: System V IPC objects of the job (lib/ipc.c) ---------
 *
 * struct ckpt_ipc, then nobjs struct ckpt_ipc_obj, then the objects' data,
 * each object's at data_off (from the end of the entries) for data_len
 * bytes:
 *   message queue   count messages, each a struct ckpt_ipc_msg and its
 *                   bytes, in queue order (no padding)
 *   semaphore set   count uint16_t values (GETALL)
 *   shared memory   count struct ckpt_ipc_attach, then size bytes of the
 *                   segment's contents
 */
enum ckpt_ipc_kind {
	CKPT_IPC_MSG = 1,
	CKPT_IPC_SEM = 2,
	CKPT_IPC_SHM = 3,
};

/* A segment removed with IPC_RMID and still attached: removed again once
 * its attachments are back. */
#define CKPT_IPCF_REMOVED 1u

struct ckpt_ipc {
	uint32_t nobjs;
	uint32_t reserved;
};

struct ckpt_ipc_obj {
	uint32_t kind;    /* CKPT_IPC_* */
	int32_t prog_id;  /* the id the program holds (of its first run) */
	int32_t kern_id;  /* the kernel's id at the checkpoint */
	int32_t key;      /* IPC_PRIVATE (0) or the key */
	uint32_t mode;    /* permission bits */
	uint32_t flags;   /* CKPT_IPCF_* */
	uint64_t size;    /* msg: msg_qbytes; sem: nsems; shm: segment bytes */
	uint64_t count;   /* messages, semaphores, or attachments */
	uint64_t data_off, data_len;
};

struct ckpt_ipc_msg {
	uint64_t len;     /* bytes of text that follow */
	int64_t type;     /* mtype */
};

/* One mapping of an attached segment, as /proc/self/maps shows it (an
 * attachment split by mprotect has several, with the same base). */
struct ckpt_ipc_attach {
	uint64_t base;    /* the address shmat returned */
	uint64_t start, end;
	uint32_t prot;    /* PROT_* of this piece */
	uint32_t shmflg;  /* SHM_RDONLY, SHM_EXEC, as attached */
};

/* --- CKPT_SEC_SIGNALS --------------------------------------------------- */

#define CKPT_NSIG 64

/* The kernel's struct sigaction for rt_sigaction on x86-64. */
struct ckpt_ksigaction {
	uint64_t handler;
	uint64_t flags;
	uint64_t restorer;
	uint64_t mask;
};

struct ckpt_signals {
	struct ckpt_ksigaction action[CKPT_NSIG + 1]; /* index = signal number */
	uint64_t blocked; /* the interrupted code's mask (informational) */
	uint32_t ckpt_signal;
	uint32_t npending; /* ckpt_siginfo entries after this struct */
};

/* A signal pending at the checkpoint, queued again at resume (in order). */
struct ckpt_siginfo {
	uint32_t sig;
	uint32_t reserved;
	uint8_t info[128]; /* the kernel's siginfo_t */
};

/* --- CKPT_SEC_TIMERS ---------------------------------------------------- */

struct ckpt_itimer {
	int64_t interval_us, value_us;
};

struct ckpt_posix_timer {
	int32_t id;     /* the kernel's timer id, kept at resume */
	int32_t clock;
	int32_t notify; /* SIGEV_SIGNAL, SIGEV_NONE or SIGEV_THREAD_ID */
	int32_t signo;
	int32_t tid;    /* SIGEV_THREAD_ID: the target thread at checkpoint */
	int32_t reserved;
	uint64_t value; /* sigev_value */
	int64_t interval_ns, value_ns;
};

struct ckpt_timers {
	struct ckpt_itimer itimer[3]; /* ITIMER_REAL, _VIRTUAL, _PROF */
	uint32_t ntimers;             /* ckpt_posix_timer entries that follow */
	uint32_t reserved;
};

/* --- The undo log, IMAGE.undo, a companion file (lib/undo.c) -------------
 *
 * A line "ckpt-undo KEY\n" (KEY the journal key of the image's PROC, in
 * hex), then records, each the bytes of a file as they were before a write
 * replaced them: this header, the file's path (path_len bytes, no NUL),
 * then len bytes.  A resume from image G writes back, newest first, every
 * record of generation G or later.
 */
#define CKPT_UNDO_MAGIC "ckpt-undo"
#define CKPT_UNDO_RECORD 0x4f444e55u /* "UNDO" */
#define CKPT_UNDO_RUN_MAX (1u << 20) /* no record holds more bytes */

struct ckpt_undo_record {
	uint32_t magic;      /* CKPT_UNDO_RECORD */
	uint32_t path_len;
	uint64_t generation; /* of the checkpoint the bytes are as of */
	uint64_t dev, ino;   /* the file the bytes belong to */
	uint64_t offset, len;
	uint32_t crc;        /* CRC-32 of the record, path, bytes; this as 0 */
	uint32_t reserved;
};

#endif
