/*
 * System V shared memory.  A private segment, removed (IPC_RMID) as soon as
 * it is attached, and a keyed one attached twice: read-write, and
 * read-only at another address; the read-write one's last page made
 * read-only with mprotect.  Each round checks that both hold the previous
 * round's pattern, that the read-only attachment sees what the read-write
 * one wrote (one segment, not two copies), that the kernel still counts
 * the attachments, that the protections are as they were (and SHM_RDONLY
 * still refuses write access), then writes the next pattern.
 *
 *   sysv_shm ROUNDS
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <unistd.h>

#include "prog.h"

#define PRIV_SIZE (3 * 4096 + 100) /* not a whole number of pages */
#define KEYED_SIZE (64 * 1024)
#define WRITTEN (KEYED_SIZE - 4096) /* the last page is read-only */

static key_t seg_key(void) { return run_key(0x436b4800u); }

static void must(int ok, const char *what)
{
	if (!ok) {
		printf("FAIL: %s: %s\n", what, strerror(errno));
		exit(1);
	}
}

static uint32_t pattern(long round, size_t i)
{
	return (uint32_t)(round * 2654435761u) ^ (uint32_t)(i * 40503u);
}

static void fill(uint32_t *p, size_t bytes, long round)
{
	for (size_t i = 0; i < bytes / 4; i++)
		p[i] = pattern(round, i);
}

static int holds(const uint32_t *p, size_t bytes, long round)
{
	for (size_t i = 0; i < bytes / 4; i++)
		if (p[i] != pattern(round, i))
			return 0;
	return 1;
}

/* The read-only last page still holds round 0's pattern. */
static int tail_intact(const uint32_t *p)
{
	for (size_t i = WRITTEN / 4; i < KEYED_SIZE / 4; i++)
		if (p[i] != pattern(0, i))
			return 0;
	return 1;
}

/* The protection /proc/self/maps shows at addr ("rw-s"), or "none". */
static void prot_at(const void *addr, char out[5])
{
	unsigned long lo, hi, want = (unsigned long)addr;
	char line[512], perms[8];
	FILE *f = fopen("/proc/self/maps", "r");

	strcpy(out, "none");
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "%lx-%lx %4s", &lo, &hi, perms) == 3 &&
		    want >= lo && want < hi) {
			memcpy(out, perms, 5);
			break;
		}
	if (f)
		fclose(f);
}

static void protections_check(long r, const char *rw, const char *ro)
{
	char a[5], b[5], c[5];

	prot_at(rw, a);
	prot_at(rw + WRITTEN, b);
	prot_at(ro, c);
	if (strcmp(a, "rw-s") || strcmp(b, "r--s") || strcmp(c, "r--s"))
		fail("round %ld: protections %s %s %s", r, a, b, c);
	if (mprotect((void *)ro, 4096, PROT_READ | PROT_WRITE) == 0 ||
	    errno != EACCES)
		fail("round %ld: the SHM_RDONLY attachment can be made "
		     "writable", r);
}

int main(int argc, char **argv)
{
	long rounds = argc > 1 ? atol(argv[1]) : 300;
	int old = shmget(seg_key(), 0, 0);
	struct shmid_ds ds;
	uint32_t *priv, *rw;
	const uint32_t *ro;
	int pid, kid;

	if (old >= 0) /* left by a run that was killed */
		shmctl(old, IPC_RMID, NULL);
	pid = shmget(IPC_PRIVATE, PRIV_SIZE, 0600);
	kid = shmget(seg_key(), KEYED_SIZE, IPC_CREAT | IPC_EXCL | 0640);
	must(pid >= 0 && kid >= 0, "shmget");
	priv = shmat(pid, NULL, 0);
	rw = shmat(kid, NULL, 0);
	ro = shmat(kid, NULL, SHM_RDONLY);
	must(priv != (void *)-1 && rw != (void *)-1 && ro != (void *)-1,
	     "shmat");
	must(shmctl(pid, IPC_RMID, NULL) == 0, "IPC_RMID of the private one");
	fill(priv, PRIV_SIZE, 0);
	fill(rw, KEYED_SIZE, 0);
	must(mprotect((char *)rw + WRITTEN, 4096, PROT_READ) == 0, "mprotect");
	for (long r = 1; r <= rounds; r++) {
		if (!holds(priv, PRIV_SIZE, r - 1))
			fail("round %ld: the private segment lost its bytes", r);
		if (!holds(rw, WRITTEN, r - 1) || !holds(ro, WRITTEN, r - 1) ||
		    !tail_intact(rw))
			fail("round %ld: the keyed segment's attachments differ "
			     "from what was written", r);
		must(shmctl(kid, IPC_STAT, &ds) == 0, "shmctl IPC_STAT");
		/* Two attachments, one split in two by mprotect: the kernel
		 * counts mappings. */
		if (ds.shm_nattch != 3 || ds.shm_segsz != KEYED_SIZE ||
		    (ds.shm_perm.mode & 0777) != 0640)
			fail("round %ld: %lu attachments, %zu bytes, mode %o", r,
			     (unsigned long)ds.shm_nattch, ds.shm_segsz,
			     ds.shm_perm.mode & 0777);
		must(shmctl(pid, IPC_STAT, &ds) == 0, "shmctl IPC_STAT private");
		if (!(ds.shm_perm.mode & SHM_DEST) || ds.shm_nattch != 1)
			fail("round %ld: the private segment: mode %o, %lu "
			     "attachments", r, ds.shm_perm.mode,
			     (unsigned long)ds.shm_nattch);
		if (shmget(seg_key(), 0, 0) != kid)
			fail("round %ld: shmget of the key gives another id", r);
		fill(priv, PRIV_SIZE, r);
		fill(rw, WRITTEN, r);
		if (r % 10 == 0)
			protections_check(r, (const char *)rw, (const char *)ro);
		usleep(3000);
		if (r % 50 == 0)
			printf("round %ld\n", r);
	}
	must(shmdt(priv) == 0 && shmdt(rw) == 0 && shmdt(ro) == 0, "shmdt");
	must(shmctl(kid, IPC_RMID, NULL) == 0, "IPC_RMID");
	printf("done: %ld rounds, %lu failures\n", rounds, failures);
	return 0;
}
