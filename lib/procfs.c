#include "procfs.h"

#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>

#include "ckpt_image.h"
#include "str.h"
#include "sys.h"

static int expect(const char **p, const char *end, char c)
{
	if (*p >= end || **p != c)
		return -1;
	(*p)++;
	return 0;
}

static int parse_perms(const char **p, const char *end, struct maps_entry *e)
{
	const char *s = *p;

	static const char letters[] = "rwx";
	static const int bits[] = { PROT_READ, PROT_WRITE, PROT_EXEC };

	if (end - s < 4 || (s[3] != 's' && s[3] != 'p'))
		return -1;
	e->prot = 0;
	for (int i = 0; i < 3; i++) {
		if (s[i] == letters[i])
			e->prot |= bits[i];
		else if (s[i] != '-')
			return -1;
	}
	e->shared = s[3] == 's';
	*p = s + 4;
	return 0;
}

int maps_parse_line(const char *line, size_t len, struct maps_entry *e)
{
	const char *p = line, *end = line + len;
	uint64_t major, minor;

	if (str_parse_u64(&p, end, 16, &e->start) || expect(&p, end, '-') ||
	    str_parse_u64(&p, end, 16, &e->end) || expect(&p, end, ' ') ||
	    parse_perms(&p, end, e) || expect(&p, end, ' ') ||
	    str_parse_u64(&p, end, 16, &e->offset) || expect(&p, end, ' ') ||
	    str_parse_u64(&p, end, 16, &major) || expect(&p, end, ':') ||
	    str_parse_u64(&p, end, 16, &minor) || expect(&p, end, ' ') ||
	    str_parse_u64(&p, end, 10, &e->ino))
		return -1;
	if (e->end <= e->start)
		return -1;
	e->dev_major = (uint32_t)major;
	e->dev_minor = (uint32_t)minor;
	str_skip_spaces(&p, end);
	e->path = p;
	e->path_len = (size_t)(end - p);
	return 0;
}

int maps_path_is(const struct maps_entry *e, const char *name)
{
	size_t n = str_len(name);

	return e->path_len == n && !memcmp(e->path, name, n);
}

int maps_parse(const char *text, size_t len,
	       int (*fn)(const struct maps_entry *e, void *arg), void *arg)
{
	const char *p = text, *end = text + len;

	while (p < end) {
		const char *nl = p;
		struct maps_entry e;
		int rc;

		while (nl < end && *nl != '\n')
			nl++;
		if (nl > p) {
			if (maps_parse_line(p, (size_t)(nl - p), &e))
				return -1;
			rc = fn(&e, arg);
			if (rc)
				return rc;
		}
		p = nl + 1;
	}
	return 0;
}

/* Find "key" at the start of a line; returns a pointer past it or NULL. */
static const char *line_value(const char *text, const char *end,
			      const char *key)
{
	const char *p = text;

	while (p < end) {
		const char *k = key, *q = p;

		while (*k && q < end && *q == *k) {
			k++;
			q++;
		}
		if (!*k)
			return q;
		while (p < end && *p != '\n')
			p++;
		p++;
	}
	return NULL;
}

int fdinfo_parse(const char *text, size_t len, struct fdinfo *out)
{
	const char *end = text + len, *p;
	uint64_t v;

	p = line_value(text, end, "pos:");
	if (!p)
		return -1;
	str_skip_spaces(&p, end);
	if (str_parse_u64(&p, end, 10, &out->pos))
		return -1;
	p = line_value(text, end, "flags:");
	if (!p)
		return -1;
	str_skip_spaces(&p, end);
	if (str_parse_u64(&p, end, 8, &v))
		return -1;
	out->flags = (uint32_t)v;
	out->mnt_id = 0;
	p = line_value(text, end, "mnt_id:");
	if (p) {
		str_skip_spaces(&p, end);
		if (!str_parse_u64(&p, end, 10, &v))
			out->mnt_id = (uint32_t)v;
	}
	return 0;
}

int fdinfo_value(const char *text, size_t len, const char *key, int base,
		 uint64_t *out)
{
	const char *end = text + len, *p = line_value(text, end, key);

	if (!p)
		return -1;
	str_skip_spaces(&p, end);
	return str_parse_u64(&p, end, base, out);
}

int fdinfo_pair(const char *text, size_t len, const char *key, uint64_t *a,
		uint64_t *b)
{
	const char *end = text + len, *p = line_value(text, end, key);

	if (!p)
		return -1;
	str_skip_spaces(&p, end);
	if (expect(&p, end, '(') || str_parse_u64(&p, end, 10, a) ||
	    expect(&p, end, ','))
		return -1;
	str_skip_spaces(&p, end);
	return str_parse_u64(&p, end, 10, b);
}

static int expect_word(const char **p, const char *end, const char *word)
{
	str_skip_spaces(p, end);
	while (*word)
		if (expect(p, end, *word++))
			return -1;
	str_skip_spaces(p, end);
	return 0;
}

int fdinfo_epoll_next(const char *text, size_t len, size_t *pos, int32_t *fd,
		      uint32_t *events, uint64_t *data)
{
	const char *end = text + len, *p;
	uint64_t v, ev;

	while (*pos < len) {
		const char *line = text + *pos;
		const char *nl = line;

		while (nl < end && *nl != '\n')
			nl++;
		*pos = (size_t)(nl - text) + 1;
		p = line;
		if (expect_word(&p, nl, "tfd:") || str_parse_u64(&p, nl, 10, &v) ||
		    expect_word(&p, nl, "events:") ||
		    str_parse_u64(&p, nl, 16, &ev) ||
		    expect_word(&p, nl, "data:") ||
		    str_parse_u64(&p, nl, 16, data))
			continue;
		*fd = (int32_t)v;
		*events = (uint32_t)ev;
		return 0;
	}
	return -1;
}

int stat_field(const char *text, size_t len, int field, uint64_t *out)
{
	const char *end = text + len, *p = NULL;
	int n = 2; /* the ')' ends field 2 */

	for (const char *q = text; q < end; q++)
		if (*q == ')')
			p = q + 1;
	if (!p || field < 3)
		return -1;
	while (p < end) {
		str_skip_spaces(&p, end);
		if (++n == field) {
			if (p < end && *p == '-')
				return -1;
			return str_parse_u64(&p, end, 10, out);
		}
		while (p < end && *p != ' ')
			p++;
	}
	return -1;
}

long proc_read_file(const char *path, char *buf, size_t size)
{
	long fd = sys_open(path, O_RDONLY | O_CLOEXEC, 0);
	size_t len = 0;

	if (fd < 0)
		return fd;
	while (len + 1 < size) {
		long n = sys_read((int)fd, buf + len, size - 1 - len);

		if (n == -4 /* EINTR */)
			continue;
		if (n <= 0) {
			if (n < 0) {
				sys_close((int)fd);
				return n;
			}
			break;
		}
		len += (size_t)n;
	}
	sys_close((int)fd);
	buf[len] = 0;
	return (long)len;
}

static const char *const vdso_names[CKPT_VDSO_AREAS] = {
	[CKPT_VDSO_VVAR] = "[vvar]",
	[CKPT_VDSO_VCLOCK] = "[vvar_vclock]",
	[CKPT_VDSO_CODE] = "[vdso]",
};

static int vdso_area_note(const struct maps_entry *e, void *arg)
{
	struct ckpt_vdso_area *out = arg;

	for (int i = 0; i < CKPT_VDSO_AREAS; i++) {
		if (maps_path_is(e, vdso_names[i])) {
			out[i].start = e->start;
			out[i].end = e->end;
		}
	}
	return 0;
}

void vdso_areas_find(const char *maps, size_t len, struct ckpt_vdso_area *out)
{
	for (int i = 0; i < CKPT_VDSO_AREAS; i++)
		out[i].start = out[i].end = 0;
	maps_parse(maps, len, vdso_area_note, out);
}

int vdso_layout_equal(const struct ckpt_vdso_area *a,
		      const struct ckpt_vdso_area *b)
{
	uint64_t base_a = a[CKPT_VDSO_CODE].start;
	uint64_t base_b = b[CKPT_VDSO_CODE].start;

	for (int i = 0; i < CKPT_VDSO_AREAS; i++) {
		int present = a[i].end != 0;

		if (present != (b[i].end != 0) ||
		    a[i].end - a[i].start != b[i].end - b[i].start ||
		    (present && a[i].start - base_a != b[i].start - base_b))
			return 0;
	}
	return 1;
}

int proc_list_numbers(const char *dir,
		      void (*fn)(int n, int dirfd, void *arg), void *arg)
{
	char buf[4096];
	long fd = sys_open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0), len;

	if (fd < 0)
		return (int)fd;
	while ((len = sys_getdents64((int)fd, buf, sizeof(buf))) > 0) {
		for (long off = 0; off < len;) {
			const char *p = buf + off + 19; /* d_name */
			uint16_t reclen;
			uint64_t v;

			memcpy(&reclen, buf + off + 16, sizeof(reclen));
			off += reclen;
			if (!str_parse_u64(&p, p + 12, 10, &v) && !*p)
				fn((int)v, (int)fd, arg);
		}
	}
	sys_close((int)fd);
	return 0;
}

char *proc_path_n(char *buf, size_t size, const char *prefix, uint64_t n)
{
	str_add_u64(str_add(buf, buf + size, prefix), buf + size, n);
	return buf;
}
