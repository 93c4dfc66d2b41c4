#include "trust.h"

#include <string.h>
#include <sys/stat.h>

#include "str.h"
#include "sys.h"

int trust_file(int fd, uint32_t uid, uint32_t *owner)
{
	struct stat st = { 0 };

	if (sys_fstat(fd, &st) < 0)
		return TRUST_ESTAT;
	if (owner)
		*owner = st.st_uid;
	if (!S_ISREG(st.st_mode))
		return TRUST_ENOTREG;
	if (st.st_uid != uid)
		return TRUST_EOWNER;
	if (st.st_mode & (S_IWGRP | S_IWOTH))
		return TRUST_EWRITABLE;
	return TRUST_OK;
}

static int trust_dir(const char *dir, uint32_t uid)
{
	struct stat st = { 0 };

	if (sys_stat(dir, &st) < 0)
		return TRUST_ESTAT;
	if (st.st_uid != uid && st.st_uid != 0)
		return TRUST_EDIR_OWNER;
	if ((st.st_mode & S_IWOTH) && !(st.st_mode & S_ISVTX))
		return TRUST_EDIR_OPEN;
	return TRUST_OK;
}

int trust_dirs(const char *path, uint32_t uid, char *bad, size_t bad_size)
{
	char dir[4096];
	size_t n = str_len(path);
	int rc = TRUST_OK;

	if (!n || path[0] != '/' || n >= sizeof(dir))
		return TRUST_ESTAT;
	for (size_t i = 0; i < n && rc == TRUST_OK; i++) {
		if (path[i] != '/')
			continue;
		/* The directory this slash ends: "/" for the first one. */
		str_add_n(dir, dir + sizeof(dir), path, i ? i : 1);
		rc = trust_dir(dir, uid);
	}
	if (rc != TRUST_OK && bad)
		str_add(bad, bad + bad_size, dir);
	return rc;
}

char *trust_key_line(char *dst, char *end, const char *magic,
		     const uint8_t *key)
{
	static const char hex[] = "0123456789abcdef";

	dst = str_add(str_add(dst, end, magic), end, " ");
	for (size_t i = 0; i < CKPT_JOURNAL_KEY && dst + 3 < end; i++) {
		*dst++ = hex[key[i] >> 4];
		*dst++ = hex[key[i] & 15];
	}
	return str_add(dst, end, "\n");
}

char *trust_journal_header(char *dst, char *end, const uint8_t *key)
{
	return trust_key_line(dst, end, CKPT_JOURNAL_MAGIC, key);
}

static long read_all(int fd, char *buf, size_t size)
{
	size_t n = 0;

	while (n + 1 < size) {
		long got = sys_read(fd, buf + n, size - 1 - n);

		if (got == -4 /* EINTR */)
			continue;
		if (got <= 0)
			break;
		n += (size_t)got;
	}
	buf[n] = 0;
	return (long)n;
}

int trust_journal(int fd, uint32_t uid, const uint8_t *key, char *buf,
		  size_t size, long *len)
{
	char head[80];
	size_t head_len;
	int rc = trust_file(fd, uid, NULL);

	if (rc)
		return rc;
	head_len = (size_t)(trust_journal_header(head, head + sizeof(head), key) -
			    head);
	*len = read_all(fd, buf, size);
	if ((size_t)*len + 1 >= size)
		return TRUST_EJOURNAL_SIZE;
	if ((size_t)*len < head_len || memcmp(buf, head, head_len) != 0)
		return TRUST_EJOURNAL_KEY;
	return TRUST_OK;
}

int trust_companion(int fd, uint32_t uid, const char *magic,
		    const uint8_t *key, uint64_t *head_len)
{
	char head[80], got[80];
	size_t len;
	int rc = trust_file(fd, uid, NULL);

	if (rc)
		return rc;
	len = (size_t)(trust_key_line(head, head + sizeof(head), magic, key) -
		       head);
	*head_len = len;
	if (sys_pread(fd, got, len, 0) != (long)len || memcmp(got, head, len))
		return TRUST_EJOURNAL_KEY;
	return TRUST_OK;
}

const char *trust_text(int verdict)
{
	switch (verdict) {
	case TRUST_OK: return "trusted";
	case TRUST_ESTAT: return "it cannot be examined";
	case TRUST_ENOTREG: return "it is not a regular file";
	case TRUST_EOWNER: return "it belongs to another user";
	case TRUST_EWRITABLE: return "other users can write it (group or others have write permission)";
	case TRUST_EDIR_OWNER: return "a directory on its path belongs to another user, who could replace it";
	case TRUST_EDIR_OPEN: return "a directory on its path is writable by everyone without the sticky bit, so anyone could replace it";
	case TRUST_EJOURNAL_KEY: return "it was not written for this image (its key differs)";
	case TRUST_EJOURNAL_SIZE: return "it is larger than any journal ckpt writes";
	default: return "unknown";
	}
}
