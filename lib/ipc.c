/*
 * System V IPC objects of the job: message queues, semaphore sets and
 * shared-memory segments.  The job's objects are those the interposed
 * msgget, semget and shmget returned (and only those).  At each checkpoint
 * they are saved with their key, permissions and contents (the messages
 * with their types, the semaphore values, the segment's bytes, and where
 * it is attached); at resume they are made again under the same key and
 * refilled, and segments attached again at their addresses.
 *
 * The kernel gives the objects new ids at resume.  The program keeps the
 * ids it was given: each object has a slot with the id the program knows
 * (its first id) and the kernel's id now, and every interposed call
 * translates one into the other (the blocking msgsnd, msgrcv and semop live
 * in restart.c and translate at each try, through ipc_msg_id and
 * ipc_sem_id).  The slots are in libckpt's memory, which the image brings
 * back.
 *
 * Capture runs in the pause, every thread stopped: queue contents are read
 * with msgrcv(MSG_COPY), which copies without taking them (or, on a kernel
 * without it, taken and sent back in order); segment contents are copied
 * into the arena; emit writes them out.  docs/ipc.md has the policy.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>

#include "core.h"
#include "procfs.h"
#include "str.h"
#include "sys.h"

#ifndef MSG_COPY
#define MSG_COPY 040000
#endif

#define SLOTS_MAX 1024
#define PIECES_MAX 1024
#define ATTACHED_MAX 256

enum { SLOT_FREE, SLOT_FILLING, SLOT_USED };

struct ipc_slot {
	volatile int state;
	uint32_t kind;    /* CKPT_IPC_* */
	int32_t prog_id;  /* what the program was given */
	int32_t kern_id;  /* the kernel's id now */
	int32_t key;
};

static struct ipc_slot slots[SLOTS_MAX];
static int told_full, told_clash;

/* The flags each attachment was made with: maps shows a read-only
 * attachment and one mprotect'ed read-only alike. */
static struct {
	volatile uint64_t addr;
	int flags;
} attached[ATTACHED_MAX];

/* --- the slots ---------------------------------------------------------- */

static struct ipc_slot *slot_by_prog(uint32_t kind, int id)
{
	for (int i = 0; i < SLOTS_MAX; i++)
		if (slots[i].state == SLOT_USED && slots[i].kind == kind &&
		    slots[i].prog_id == id)
			return &slots[i];
	return NULL;
}

static struct ipc_slot *slot_by_kern(uint32_t kind, int id)
{
	for (int i = 0; i < SLOTS_MAX; i++)
		if (slots[i].state == SLOT_USED && slots[i].kind == kind &&
		    slots[i].kern_id == id)
			return &slots[i];
	return NULL;
}

static int kernel_id(uint32_t kind, int id)
{
	const struct ipc_slot *s = slot_by_prog(kind, id);

	return s ? s->kern_id : id;
}

static int program_id(uint32_t kind, int id)
{
	const struct ipc_slot *s = slot_by_kern(kind, id);

	return s ? s->prog_id : id;
}

int ipc_msg_id(int id) { return kernel_id(CKPT_IPC_MSG, id); }
int ipc_sem_id(int id) { return kernel_id(CKPT_IPC_SEM, id); }

static void clash_tell(int id)
{
	char num[16];

	if (told_clash++)
		return;
	str_add_u64(num, num + sizeof(num), (uint64_t)id);
	say(2, "warning: the kernel gave the System V id ", num, ", which the "
	    "program knows as another object's since a resume; calls with it "
	    "reach that other object", NULL);
}

/* A slot claimed lock-free: the handler may stop a thread anywhere in
 * here, and reads only slots that are complete. */
static int slot_add(uint32_t kind, int key, int id)
{
	for (int i = 0; i < SLOTS_MAX; i++) {
		struct ipc_slot *s = &slots[i];

		if (!__sync_bool_compare_and_swap(&s->state, SLOT_FREE,
						  SLOT_FILLING))
			continue;
		s->kind = kind;
		s->prog_id = id;
		s->kern_id = id;
		s->key = key;
		__sync_synchronize();
		s->state = SLOT_USED;
		return id;
	}
	if (!told_full++)
		say(2, "warning: more than 1024 System V IPC objects; the "
		    "others are not saved", NULL);
	return id;
}

/* The id to give the program for an object the kernel calls id. */
static int remember(uint32_t kind, key_t key, int id)
{
	const struct ipc_slot *s;

	if (id < 0)
		return id;
	s = slot_by_kern(kind, id);
	if (s)
		return s->prog_id; /* got again, by its key */
	if (slot_by_prog(kind, id))
		clash_tell(id);
	return slot_add(kind, (int32_t)key, id);
}

static void forget(uint32_t kind, int prog_id)
{
	struct ipc_slot *s = slot_by_prog(kind, prog_id);

	if (s)
		s->state = SLOT_FREE;
}

/* --- the interposed calls ----------------------------------------------- */

CKPT_EXPORT int msgget(key_t key, int flags)
{
	REAL(msgget);
	return remember(CKPT_IPC_MSG, key, real_msgget(key, flags));
}

CKPT_EXPORT int semget(key_t key, int nsems, int flags)
{
	REAL(semget);
	return remember(CKPT_IPC_SEM, key, real_semget(key, nsems, flags));
}

CKPT_EXPORT int shmget(key_t key, size_t size, int flags)
{
	REAL(shmget);
	return remember(CKPT_IPC_SHM, key, real_shmget(key, size, flags));
}

/* The *_STAT commands take an index into the kernel's table, not an id,
 * and return an id; *_INFO take neither. */
CKPT_EXPORT int msgctl(int id, int cmd, struct msqid_ds *buf)
{
	int rc;

	REAL(msgctl);
	if (cmd == IPC_INFO || cmd == MSG_INFO)
		return real_msgctl(id, cmd, buf);
	if (cmd == MSG_STAT || cmd == MSG_STAT_ANY) {
		rc = real_msgctl(id, cmd, buf);
		return rc < 0 ? rc : program_id(CKPT_IPC_MSG, rc);
	}
	rc = real_msgctl(kernel_id(CKPT_IPC_MSG, id), cmd, buf);
	if (!rc && cmd == IPC_RMID)
		forget(CKPT_IPC_MSG, id);
	return rc;
}

union ipc_semun {
	int val;
	struct semid_ds *buf;
	unsigned short *array;
	struct seminfo *info;
};

static int semctl_has_arg(int cmd)
{
	switch (cmd) {
	case IPC_STAT: case IPC_SET: case IPC_INFO: case SEM_INFO:
	case SEM_STAT: case SEM_STAT_ANY: case GETALL: case SETALL:
	case SETVAL:
		return 1;
	default:
		return 0;
	}
}

CKPT_EXPORT int semctl(int id, int num, int cmd, ...)
{
	union ipc_semun arg = { 0 };
	va_list ap;
	int rc;

	REAL(semctl);
	if (semctl_has_arg(cmd)) {
		va_start(ap, cmd);
		arg = va_arg(ap, union ipc_semun);
		va_end(ap);
	}
	if (cmd == IPC_INFO || cmd == SEM_INFO)
		return real_semctl(id, num, cmd, arg);
	if (cmd == SEM_STAT || cmd == SEM_STAT_ANY) {
		rc = real_semctl(id, num, cmd, arg);
		return rc < 0 ? rc : program_id(CKPT_IPC_SEM, rc);
	}
	rc = real_semctl(kernel_id(CKPT_IPC_SEM, id), num, cmd, arg);
	if (!rc && cmd == IPC_RMID)
		forget(CKPT_IPC_SEM, id);
	return rc;
}

/* A segment removed while attached lives on until its last detach: its
 * slot stays, and the capture drops it once the kernel no longer knows
 * it. */
CKPT_EXPORT int shmctl(int id, int cmd, struct shmid_ds *buf)
{
	int rc;

	REAL(shmctl);
	if (cmd == IPC_INFO || cmd == SHM_INFO)
		return real_shmctl(id, cmd, buf);
	if (cmd == SHM_STAT || cmd == SHM_STAT_ANY) {
		rc = real_shmctl(id, cmd, buf);
		return rc < 0 ? rc : program_id(CKPT_IPC_SHM, rc);
	}
	return real_shmctl(kernel_id(CKPT_IPC_SHM, id), cmd, buf);
}

static void attached_note(uint64_t addr, int flags)
{
	for (int i = 0; i < ATTACHED_MAX; i++) {
		if (!__sync_bool_compare_and_swap(&attached[i].addr, 0, ~0ull))
			continue;
		attached[i].flags = flags;
		__sync_synchronize();
		attached[i].addr = addr;
		return;
	}
}

static int attached_flags(uint64_t addr, int prot)
{
	for (int i = 0; i < ATTACHED_MAX; i++)
		if (attached[i].addr == addr)
			return attached[i].flags & (SHM_RDONLY | SHM_EXEC);
	/* Not seen attached (before the library was there): as it looks. */
	return prot & PROT_WRITE ? 0 : SHM_RDONLY;
}

CKPT_EXPORT void *shmat(int id, const void *addr, int flags)
{
	void *p;

	REAL(shmat);
	p = real_shmat(kernel_id(CKPT_IPC_SHM, id), addr, flags);
	if (p != (void *)-1)
		attached_note((uint64_t)(uintptr_t)p, flags);
	return p;
}

CKPT_EXPORT int shmdt(const void *addr)
{
	int rc;

	REAL(shmdt);
	rc = real_shmdt(addr);
	for (int i = 0; !rc && i < ATTACHED_MAX; i++)
		if (attached[i].addr == (uint64_t)(uintptr_t)addr)
			attached[i].addr = 0;
	return rc;
}

/* --- capture ------------------------------------------------------------ */

struct piece {
	struct ckpt_ipc_attach a;
	int32_t kern_id;
	int whole; /* its attachment is complete: ipc.c restores it */
};

/* What the pause took, in the arena, for emit and the memory module. */
static struct {
	struct ckpt_ipc_obj *objs;
	const char **data;
	uint32_t n;
	uint64_t data_len;
	struct piece *pieces;
	uint32_t npieces;
} cap;

static int piece_add(const struct maps_entry *e, void *arg)
{
	struct piece *p;

	(void)arg;
	if (!e->shared || e->path_len < 5 || memcmp(e->path, "/SYSV", 5) ||
	    !slot_by_kern(CKPT_IPC_SHM, (int)e->ino))
		return 0;
	if (cap.npieces == PIECES_MAX)
		return -ENOMEM;
	p = &cap.pieces[cap.npieces++];
	memset(p, 0, sizeof(*p));
	p->kern_id = (int32_t)e->ino; /* maps shows a segment's id there */
	p->a.base = e->start - e->offset;
	p->a.start = e->start;
	p->a.end = e->end;
	p->a.prot = (uint32_t)e->prot;
	p->a.shmflg = (uint32_t)attached_flags(p->a.base, e->prot);
	return 0;
}

static uint64_t page_up(uint64_t n)
{
	return (n + CKPT_PAGE_SIZE - 1) & ~(uint64_t)(CKPT_PAGE_SIZE - 1);
}

/*
 * An attachment is restored by ipc.c only when its pieces cover the whole
 * segment, in order: one partly unmapped by the program is left to the
 * memory module (its contents come back as plain shared memory).
 */
static void pieces_judge(int32_t id, uint64_t size)
{
	for (uint32_t i = 0; i < cap.npieces;) {
		uint64_t base = cap.pieces[i].a.base, at = base;
		uint32_t j = i;

		for (; j < cap.npieces && cap.pieces[j].a.base == base; j++)
			if (cap.pieces[j].kern_id != id ||
			    cap.pieces[j].a.start != at)
				at = 0; /* not this segment's, or a hole */
			else
				at = cap.pieces[j].a.end;
		for (uint32_t k = i; k < j; k++)
			if (cap.pieces[k].kern_id == id)
				cap.pieces[k].whole = at == base + page_up(size);
		i = j;
	}
}

int ipc_region_restored(uint64_t start, uint64_t end)
{
	for (uint32_t i = 0; i < cap.npieces; i++)
		if (cap.pieces[i].whole && cap.pieces[i].a.start == start &&
		    cap.pieces[i].a.end == end)
			return 1;
	return 0;
}

/* The slot's object, if the kernel still has it under this id. */
static int perm_matches(const struct ipc_perm *p, const struct ipc_slot *s)
{
	return p->__key == s->key;
}

/* Without MSG_COPY (a kernel without CONFIG_CHECKPOINT_RESTORE): every
 * message taken, then sent back in order; nobody else of the job runs. */
static long msgs_take_and_give(int id, char *out, size_t room, uint64_t *n)
{
	size_t used = 0;
	long got;

	for (*n = 0; room - used > sizeof(struct ckpt_ipc_msg); (*n)++) {
		got = sys_msgrcv(id, out + used + 8, room - used - 16, 0,
				 IPC_NOWAIT);
		if (got < 0)
			break;
		memcpy(out + used, &(uint64_t){ (uint64_t)got }, 8);
		used += 16 + (size_t)got;
	}
	for (size_t at = 0; at < used;) {
		uint64_t len;

		memcpy(&len, out + at, 8);
		if (sys_msgsnd(id, out + at + 8, len, IPC_NOWAIT) < 0)
			say(2, "warning: a message of a System V queue could "
			    "not be put back at a checkpoint", NULL);
		at += 16 + len;
	}
	return (long)used;
}

static long msgs_copy(int id, char *out, size_t room, uint64_t qnum,
		      uint64_t *n)
{
	size_t used = 0;

	for (*n = 0; *n < qnum && room - used > sizeof(struct ckpt_ipc_msg);
	     (*n)++) {
		long got = sys_msgrcv(id, out + used + 8, room - used - 16,
				      (long)*n, IPC_NOWAIT | MSG_COPY);

		if (got == -ENOSYS && !*n)
			return msgs_take_and_give(id, out, room, n);
		if (got < 0)
			break;
		memcpy(out + used, &(uint64_t){ (uint64_t)got }, 8);
		used += 16 + (size_t)got;
	}
	return (long)used;
}

static int msg_capture(const struct ipc_slot *s, struct ckpt_ipc_obj *o,
		       const char **data)
{
	struct msqid_ds ds;
	size_t room;
	char *buf;
	long used;

	if (sys_msgctl(s->kern_id, IPC_STAT, &ds) < 0 ||
	    !perm_matches(&ds.msg_perm, s))
		return 0;
	room = ds.msg_qnum * 16 + ds.__msg_cbytes + 16;
	buf = arena_alloc(room);
	if (!buf)
		return -ENOMEM;
	o->mode = ds.msg_perm.mode & 0777;
	o->size = ds.msg_qbytes;
	used = msgs_copy(s->kern_id, buf, room, ds.msg_qnum, &o->count);
	o->data_len = (uint64_t)used;
	*data = buf;
	return 1;
}

static int sem_capture(const struct ipc_slot *s, struct ckpt_ipc_obj *o,
		       const char **data)
{
	struct semid_ds ds;
	uint16_t *vals;

	if (sys_semctl(s->kern_id, 0, IPC_STAT, (long)&ds) < 0 ||
	    !perm_matches(&ds.sem_perm, s))
		return 0;
	vals = arena_alloc(ds.sem_nsems * sizeof(*vals) + 1);
	if (!vals)
		return -ENOMEM;
	if (sys_semctl(s->kern_id, 0, GETALL, (long)vals) < 0)
		return 0;
	o->mode = ds.sem_perm.mode & 0777;
	o->size = o->count = ds.sem_nsems;
	o->data_len = ds.sem_nsems * sizeof(*vals);
	*data = (const char *)vals;
	return 1;
}

/* The pieces of the segment's complete attachments, then its bytes,
 * through an attachment of our own. */
static int shm_contents(const struct ipc_slot *s, struct ckpt_ipc_obj *o,
			char *buf)
{
	size_t at = 0;
	long p;

	for (uint32_t i = 0; i < cap.npieces; i++)
		if (cap.pieces[i].whole && cap.pieces[i].kern_id == s->kern_id) {
			memcpy(buf + at, &cap.pieces[i].a,
			       sizeof(struct ckpt_ipc_attach));
			at += sizeof(struct ckpt_ipc_attach);
			o->count++;
		}
	p = sys_shmat(s->kern_id, NULL, SHM_RDONLY);
	if (p < 0 && p > -4096)
		return (int)p;
	memcpy(buf + at, (const void *)p, o->size);
	sys_shmdt((const void *)p);
	o->data_len = at + o->size;
	return 1;
}

static int shm_capture(const struct ipc_slot *s, struct ckpt_ipc_obj *o,
		       const char **data)
{
	struct shmid_ds ds;
	char *buf;

	if (sys_shmctl(s->kern_id, IPC_STAT, &ds) < 0)
		return 0;
	/* Removed while attached: the kernel has made its key private. */
	if (ds.shm_perm.mode & SHM_DEST)
		o->flags |= CKPT_IPCF_REMOVED;
	else if (!perm_matches(&ds.shm_perm, s))
		return 0;
	o->mode = ds.shm_perm.mode & 0777;
	o->size = ds.shm_segsz;
	pieces_judge(s->kern_id, ds.shm_segsz);
	buf = arena_alloc(cap.npieces * sizeof(struct ckpt_ipc_attach) +
			  ds.shm_segsz);
	if (!buf)
		return -ENOMEM;
	*data = buf;
	return shm_contents(s, o, buf);
}

/* 1 saved, 0 gone (its slot freed), or -errno. */
static int obj_capture(struct ipc_slot *s, struct ckpt_ipc_obj *o,
		       const char **data)
{
	int rc;

	memset(o, 0, sizeof(*o));
	o->kind = s->kind;
	o->prog_id = s->prog_id;
	o->kern_id = s->kern_id;
	o->key = s->key;
	if (s->kind == CKPT_IPC_MSG)
		rc = msg_capture(s, o, data);
	else if (s->kind == CKPT_IPC_SEM)
		rc = sem_capture(s, o, data);
	else
		rc = shm_capture(s, o, data);
	if (!rc)
		s->state = SLOT_FREE;
	return rc;
}

/*
 * A forked writer would inherit the attachments, and the program would
 * see shm_nattch grow while it writes: they are left out of the fork
 * (MADV_DONTFORK; the writer reads the arena's copy, never them) and given
 * back to the program's own forks once the pause is over.
 */
static void pieces_fork(int advice)
{
	for (uint32_t i = 0; i < cap.npieces; i++)
		if (cap.pieces[i].whole)
			sys_madvise((void *)cap.pieces[i].a.start,
				    cap.pieces[i].a.end - cap.pieces[i].a.start,
				    advice);
}

void ipc_pause_over(void)
{
	pieces_fork(MADV_DOFORK);
}

/* Before the memory module's: it asks ipc_region_restored of every
 * mapping. */
static int ipc_capture(struct image_writer *state, const struct capture *c)
{
	int rc = 0;

	(void)state;
	memset(&cap, 0, sizeof(cap));
	cap.objs = arena_alloc(SLOTS_MAX * sizeof(*cap.objs));
	cap.data = arena_alloc(SLOTS_MAX * sizeof(*cap.data));
	cap.pieces = arena_alloc(PIECES_MAX * sizeof(*cap.pieces));
	if (!cap.objs || !cap.data || !cap.pieces)
		return -ENOMEM;
	rc = maps_parse(c->maps, c->maps_len, piece_add, NULL);
	if (rc)
		goto out;
	for (int i = 0; i < SLOTS_MAX; i++) {
		if (slots[i].state != SLOT_USED)
			continue;
		rc = obj_capture(&slots[i], &cap.objs[cap.n], &cap.data[cap.n]);
		if (rc < 0)
			goto out;
		if (rc) {
			cap.objs[cap.n].data_off = cap.data_len;
			cap.data_len += cap.objs[cap.n++].data_len;
		}
	}
	rc = 0;
	pieces_fork(MADV_DONTFORK);
out:
	if (rc)
		cap.npieces = 0; /* the memory module saves them all */
	return rc < 0 ? rc : rc ? -EINVAL : 0;
}

static int ipc_emit(struct image_writer *w)
{
	struct ckpt_ipc head = { cap.n, 0 };

	image_section_begin(w, CKPT_SEC_IPC);
	image_section_write(w, &head, sizeof(head));
	image_section_write(w, cap.objs, cap.n * sizeof(*cap.objs));
	for (uint32_t i = 0; i < cap.n; i++)
		image_section_write(w, cap.data[i], cap.objs[i].data_len);
	image_section_end(w, cap.n);
	return w->err;
}

/* --- restore ------------------------------------------------------------ */

static void say_key(const char *what, const struct ckpt_ipc_obj *o,
		    const char *why)
{
	char key[24];

	str_add_hex(key, key + sizeof(key), (uint32_t)o->key);
	say(2, "resume: a System V ", what, " of key 0x", key, ": ", why, NULL);
}

static const char *kind_name(const struct ckpt_ipc_obj *o)
{
	return o->kind == CKPT_IPC_MSG ? "message queue" :
	       o->kind == CKPT_IPC_SEM ? "semaphore set" : "shared memory segment";
}

static long ctl_stat(uint32_t kind, int id, void *ds, struct ipc_perm **perm)
{
	if (kind == CKPT_IPC_MSG) {
		*perm = &((struct msqid_ds *)ds)->msg_perm;
		return sys_msgctl(id, IPC_STAT, ds);
	}
	if (kind == CKPT_IPC_SEM) {
		*perm = &((struct semid_ds *)ds)->sem_perm;
		return sys_semctl(id, 0, IPC_STAT, (long)ds);
	}
	*perm = &((struct shmid_ds *)ds)->shm_perm;
	return sys_shmctl(id, IPC_STAT, ds);
}

static long ctl_rmid(uint32_t kind, int id)
{
	return kind == CKPT_IPC_MSG ? sys_msgctl(id, IPC_RMID, NULL) :
	       kind == CKPT_IPC_SEM ? sys_semctl(id, 0, IPC_RMID, 0) :
				      sys_shmctl(id, IPC_RMID, NULL);
}

static long obj_get(const struct ckpt_ipc_obj *o, int key, int flags)
{
	return o->kind == CKPT_IPC_MSG ? sys_msgget(key, flags) :
	       o->kind == CKPT_IPC_SEM ? sys_semget(key, (int)o->size, flags) :
					 sys_shmget(key, o->size, flags);
}

/*
 * What a killed run left behind: the object it had under the id of the
 * checkpoint, and any object of the user's under the key (the key belongs
 * to the job; docs/ipc.md).  Another user's object under the key makes the
 * resume fail.
 */
static int leftovers_remove(const struct ckpt_ipc_obj *o)
{
	union { struct msqid_ds m; struct semid_ds s; struct shmid_ds h; } ds;
	struct ipc_perm *perm;
	uint32_t uid = (uint32_t)sys_getuid();
	long id;

	if (ctl_stat(o->kind, o->kern_id, &ds, &perm) == 0 &&
	    perm->cuid == uid && perm->__key == (o->flags & CKPT_IPCF_REMOVED ?
						 0 : o->key))
		ctl_rmid(o->kind, o->kern_id);
	if (!o->key || (o->flags & CKPT_IPCF_REMOVED))
		return 0;
	id = o->kind == CKPT_IPC_MSG ? sys_msgget(o->key, 0) :
	     o->kind == CKPT_IPC_SEM ? sys_semget(o->key, 0, 0) :
				       sys_shmget(o->key, 0, 0);
	if (id < 0)
		return 0;
	if (ctl_stat(o->kind, (int)id, &ds, &perm) == 0 && perm->uid != uid &&
	    perm->cuid != uid) {
		say_key(kind_name(o), o, "the key is taken by another user's "
			"object; remove it (ipcrm) and resume again");
		return -EEXIST;
	}
	ctl_rmid(o->kind, (int)id);
	return 0;
}

static int msgs_restore(int id, const struct ckpt_ipc_obj *o, const char *d)
{
	struct msqid_ds ds;
	uint64_t at = 0;

	if (sys_msgctl(id, IPC_STAT, &ds) == 0 && ds.msg_qbytes != o->size) {
		ds.msg_qbytes = o->size;
		if (sys_msgctl(id, IPC_SET, &ds) < 0)
			say_key("message queue", o, "its size limit could not "
				"be set again (raising it needs privilege)");
	}
	for (uint64_t i = 0; i < o->count; i++) {
		uint64_t len;
		long rc;

		if (!image_range_ok(at, 16, o->data_len))
			return IMAGE_EMALFORMED;
		memcpy(&len, d + at, 8);
		if (!image_range_ok(at + 16, len, o->data_len))
			return IMAGE_EMALFORMED;
		rc = sys_msgsnd(id, d + at + 8, len, IPC_NOWAIT);
		if (rc < 0)
			return (int)rc;
		at += 16 + len;
	}
	return 0;
}

static int sems_restore(int id, const struct ckpt_ipc_obj *o, const char *d)
{
	uint16_t *vals = arena_alloc(o->count * sizeof(*vals) + 1);

	if (o->count != o->size || o->data_len != o->count * sizeof(*vals))
		return IMAGE_EMALFORMED;
	if (!vals)
		return -ENOMEM;
	memcpy(vals, d, o->data_len);
	return (int)sys_semctl(id, 0, SETALL, (long)vals);
}

/* Each attachment at its address, over the empty range the bootstrap
 * kept there, then each piece's protection. */
static int attachments_restore(int id, const struct ckpt_ipc_attach *a,
			       uint64_t n)
{
	for (uint64_t i = 0; i < n; i++) {
		struct ckpt_ipc_attach p;
		int flags;
		long rc;

		memcpy(&p, &a[i], sizeof(p));
		flags = (int)(p.shmflg & (SHM_RDONLY | SHM_EXEC));
		if (p.start == p.base) {
			rc = sys_shmat(id, (void *)p.base, flags | SHM_REMAP);
			if (rc != (long)p.base)
				return rc < 0 && rc > -4096 ? (int)rc : -EFAULT;
		}
		rc = sys_mprotect((void *)p.start, p.end - p.start, (int)p.prot);
		if (rc < 0)
			return (int)rc;
	}
	return 0;
}

static int shm_restore(int id, const struct ckpt_ipc_obj *o, const char *d)
{
	uint64_t pieces = o->count * sizeof(struct ckpt_ipc_attach);
	long p;
	int rc;

	if (o->count > PIECES_MAX || pieces + o->size != o->data_len)
		return IMAGE_EMALFORMED;
	p = sys_shmat(id, NULL, 0);
	if (p < 0 && p > -4096)
		return (int)p;
	memcpy((void *)p, d + pieces, o->size);
	sys_shmdt((void *)p);
	rc = attachments_restore(id, (const struct ckpt_ipc_attach *)d,
				 o->count);
	if (!rc && (o->flags & CKPT_IPCF_REMOVED))
		sys_shmctl(id, IPC_RMID, NULL);
	return rc;
}

/* The slot of the object, pointed at its new id. */
static void slot_renew(const struct ckpt_ipc_obj *o, int id)
{
	struct ipc_slot *s = slot_by_prog(o->kind, o->prog_id);

	if (s)
		s->kern_id = id;
	else
		slot_add(o->kind, o->key, id);
}

static int obj_restore(const struct ckpt_ipc_obj *o, const char *d)
{
	long id;
	int rc;

	rc = leftovers_remove(o);
	if (rc)
		return rc;
	id = obj_get(o, o->flags & CKPT_IPCF_REMOVED ? IPC_PRIVATE : o->key,
		     IPC_CREAT | IPC_EXCL | (int)(o->mode & 0777));
	if (id < 0) {
		say_key(kind_name(o), o, errno_text(id));
		return (int)id;
	}
	if (o->kind == CKPT_IPC_MSG)
		rc = msgs_restore((int)id, o, d);
	else if (o->kind == CKPT_IPC_SEM)
		rc = sems_restore((int)id, o, d);
	else
		rc = shm_restore((int)id, o, d);
	if (rc)
		goto out;
	slot_renew(o, (int)id);
out:
	if (rc)
		say_key(kind_name(o), o, "its contents could not be restored");
	return rc;
}

static int ipc_restore(struct image_reader *r)
{
	const struct ckpt_section *s = image_find(r, CKPT_SEC_IPC);
	struct image_table t;
	void *buf;
	int rc;

	cap.npieces = 0; /* of the checkpoint: its arena is gone */
	if (!s)
		return 0; /* an image without System V objects */
	buf = arena_alloc(s->size);
	if (!buf)
		return -ENOMEM;
	rc = image_read_section(r, CKPT_SEC_IPC, buf, s->size, NULL);
	if (!rc)
		rc = image_table_counted(&t, buf, s->size, sizeof(struct ckpt_ipc),
					 offsetof(struct ckpt_ipc, nobjs),
					 sizeof(struct ckpt_ipc_obj));
	for (uint64_t i = 0; !rc && i < t.count; i++) {
		const struct ckpt_ipc_obj *o = image_table_entry(&t, i);

		if (!image_range_ok(o->data_off, o->data_len, t.tail_len))
			return IMAGE_EMALFORMED;
		rc = obj_restore(o, t.tail + o->data_off);
	}
	return rc;
}

const struct ckpt_module ckpt_module_ipc = {
	.name = "ipc",
	.capture = ipc_capture,
	.emit = ipc_emit,
	.restore = ipc_restore,
};
