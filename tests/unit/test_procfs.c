/*
 * Tests of the /proc parsers (lib/procfs.c): on text shaped like the
 * kernel's, including the awkward cases (names with spaces and parentheses,
 * deleted files, addresses at the top of the address space), and on this
 * process's own /proc files.
 */
#include <check.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "ckpt_image.h"
#include "procfs.h"
#include "unit.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* Garbage first, so a field the parser forgets to set shows. */
static int parse(const char *line, struct maps_entry *e)
{
	memset(e, 0xa5, sizeof(*e));
	return maps_parse_line(line, strlen(line), e);
}

static void assert_path(const struct maps_entry *e, const char *want)
{
	size_t n = strlen(want);

	ck_assert_msg(e->path_len == n && (!n || !memcmp(e->path, want, n)),
		      "path \"%.*s\", want \"%s\"", (int)e->path_len,
		      e->path_len ? e->path : "", want);
}

/* --- maps_parse_line ---------------------------------------------------- */

START_TEST(maps_file_backed)
{
	struct maps_entry e;

	ck_assert_int_eq(parse("55d0c8a4e000-55d0c8a50000 r--p 0002c000 fe:01 "
			       "1835015                    /usr/bin/cat",
			       &e), 0);
	ck_assert_uint_eq(e.start, 0x55d0c8a4e000);
	ck_assert_uint_eq(e.end, 0x55d0c8a50000);
	ck_assert_uint_eq(e.offset, 0x2c000);
	ck_assert_uint_eq(e.dev_major, 0xfe);
	ck_assert_uint_eq(e.dev_minor, 1);
	ck_assert_uint_eq(e.ino, 1835015);
	ck_assert_int_eq(e.prot, PROT_READ);
	ck_assert_int_eq(e.shared, 0);
	assert_path(&e, "/usr/bin/cat");
}
END_TEST

/* The kernel pads only before a name; accept an anonymous line either way. */
static const char *const anon_lines[] = {
	"7f1c2a5e9000-7f1c2a5ec000 rw-p 00000000 00:00 0",
	"7f1c2a5e9000-7f1c2a5ec000 rw-p 00000000 00:00 0 ",
	"7f1c2a5e9000-7f1c2a5ec000 rw-p 00000000 00:00 0                   ",
};

START_TEST(maps_anonymous)
{
	struct maps_entry e;

	ck_assert_int_eq(parse(anon_lines[_i], &e), 0);
	ck_assert_uint_eq(e.start, 0x7f1c2a5e9000);
	ck_assert_uint_eq(e.end, 0x7f1c2a5ec000);
	ck_assert_uint_eq(e.offset, 0);
	ck_assert_uint_eq(e.dev_major, 0);
	ck_assert_uint_eq(e.dev_minor, 0);
	ck_assert_uint_eq(e.ino, 0);
	ck_assert_int_eq(e.prot, PROT_READ | PROT_WRITE);
	assert_path(&e, "");
}
END_TEST

struct named_line {
	const char *line, *name;
	uint64_t start, end;
};

static const struct named_line named_lines[] = {
	{ "5581d2f3a000-5581d2f5b000 rw-p 00000000 00:00 0"
	  "                          [heap]",
	  "[heap]", 0x5581d2f3a000, 0x5581d2f5b000 },
	{ "7ffd5e3b1000-7ffd5e3d2000 rw-p 00000000 00:00 0"
	  "                          [stack]",
	  "[stack]", 0x7ffd5e3b1000, 0x7ffd5e3d2000 },
	{ "7ffd5e3f5000-7ffd5e3f7000 r-xp 00000000 00:00 0"
	  "                          [vdso]",
	  "[vdso]", 0x7ffd5e3f5000, 0x7ffd5e3f7000 },
	{ "7ffd5e3f1000-7ffd5e3f5000 r--p 00000000 00:00 0"
	  "                          [vvar]",
	  "[vvar]", 0x7ffd5e3f1000, 0x7ffd5e3f5000 },
	{ "ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0"
	  "                  [vsyscall]",
	  "[vsyscall]", 0xffffffffff600000, 0xffffffffff601000 },
	{ "7f6a1c000000-7f6a1c021000 rw-p 00000000 00:00 0 [anon:my name]",
	  "[anon:my name]", 0x7f6a1c000000, 0x7f6a1c021000 },
};

START_TEST(maps_special_names)
{
	const struct named_line *c = &named_lines[_i];
	struct maps_entry e;

	ck_assert_int_eq(parse(c->line, &e), 0);
	ck_assert_uint_eq(e.start, c->start);
	ck_assert_uint_eq(e.end, c->end);
	ck_assert_uint_eq(e.ino, 0);
	assert_path(&e, c->name);
}
END_TEST

START_TEST(maps_path_with_spaces_deleted)
{
	struct maps_entry e;

	ck_assert_int_eq(parse("7f3b1c400000-7f3b1c401000 rw-p 00001000 08:11 "
			       "131 /tmp/my dir/a  file (deleted)", &e), 0);
	ck_assert_uint_eq(e.offset, 0x1000);
	ck_assert_uint_eq(e.dev_major, 8);
	ck_assert_uint_eq(e.dev_minor, 0x11);
	ck_assert_uint_eq(e.ino, 131);
	assert_path(&e, "/tmp/my dir/a  file (deleted)");
}
END_TEST

START_TEST(maps_shared)
{
	struct maps_entry e;

	ck_assert_int_eq(parse("7f3b1c000000-7f3b1c021000 rw-s 00000000 00:01 "
			       "4242                       /dev/zero (deleted)",
			       &e), 0);
	ck_assert_int_eq(e.shared, 1);
	ck_assert_int_eq(e.prot, PROT_READ | PROT_WRITE);
	ck_assert_uint_eq(e.dev_minor, 1);
	assert_path(&e, "/dev/zero (deleted)");
}
END_TEST

struct perms_case {
	const char *perms;
	int prot, shared;
};

static const struct perms_case perms_cases[] = {
	{ "---p", 0, 0 },
	{ "r--p", PROT_READ, 0 },
	{ "-w-p", PROT_WRITE, 0 },
	{ "--xp", PROT_EXEC, 0 },
	{ "rw-p", PROT_READ | PROT_WRITE, 0 },
	{ "r-xp", PROT_READ | PROT_EXEC, 0 },
	{ "rwxp", PROT_READ | PROT_WRITE | PROT_EXEC, 0 },
	{ "r--s", PROT_READ, 1 },
	{ "rwxs", PROT_READ | PROT_WRITE | PROT_EXEC, 1 },
	{ "---s", 0, 1 },
};

START_TEST(maps_protections)
{
	const struct perms_case *c = &perms_cases[_i];
	struct maps_entry e;
	char line[128];

	snprintf(line, sizeof(line), "1000-3000 %s 00000000 00:00 0", c->perms);
	ck_assert_int_eq(parse(line, &e), 0);
	ck_assert_msg(e.prot == c->prot, "%s: prot %d, want %d", c->perms,
		      e.prot, c->prot);
	ck_assert_int_eq(e.shared, c->shared);
}
END_TEST

struct dev_case {
	const char *dev;
	uint32_t major, minor;
};

static const struct dev_case dev_cases[] = {
	{ "fe:01", 0xfe, 1 },
	{ "00:00", 0, 0 },
	{ "08:11", 8, 0x11 },
	{ "103:0a", 0x103, 0xa },
	{ "FD:1F", 0xfd, 0x1f },
	{ "00:2b", 0, 0x2b },
};

START_TEST(maps_devices)
{
	const struct dev_case *c = &dev_cases[_i];
	struct maps_entry e;
	char line[128];

	snprintf(line, sizeof(line), "1000-3000 r--p 00000000 %s 77 /x",
		 c->dev);
	ck_assert_int_eq(parse(line, &e), 0);
	ck_assert_msg(e.dev_major == c->major && e.dev_minor == c->minor,
		      "%s: %x:%x", c->dev, e.dev_major, e.dev_minor);
	ck_assert_uint_eq(e.ino, 77);
	assert_path(&e, "/x");
}
END_TEST

START_TEST(maps_large_values)
{
	struct maps_entry e;

	ck_assert_int_eq(parse("7ffd5e3b1000-7ffffffff000 rw-p "
			       "7fffffffffff0000 ffff:fffff "
			       "18446744073709551615", &e), 0);
	ck_assert_uint_eq(e.start, 0x7ffd5e3b1000);
	ck_assert_uint_eq(e.end, 0x7ffffffff000);
	ck_assert_uint_eq(e.offset, 0x7fffffffffff0000);
	ck_assert_uint_eq(e.dev_major, 0xffff);
	ck_assert_uint_eq(e.dev_minor, 0xfffff);
	ck_assert_uint_eq(e.ino, UINT64_MAX);
	/* ckpt's own range sits above the usual mmap base */
	ck_assert_int_eq(parse("200000000000-200000400000 r-xp 00000000 "
			       "00:00 0", &e), 0);
	ck_assert_uint_eq(e.start, CKPT_RANGE_START);
}
END_TEST

/* The line is not NUL-terminated in maps_parse: nothing past len counts. */
START_TEST(maps_line_length_respected)
{
	static const char text[] =
		"1000-3000 r-xp 00000000 fe:01 1234 /usr/lib/libc.so.6";
	const char *ino = strstr(text, "1234");
	size_t upto_ino = (size_t)(ino - text);
	struct maps_entry e;

	ck_assert_int_eq(maps_parse_line(text, upto_ino + 4, &e), 0);
	ck_assert_uint_eq(e.ino, 1234);
	assert_path(&e, "");
	ck_assert_int_eq(maps_parse_line(text, upto_ino + 2, &e), 0);
	ck_assert_uint_eq(e.ino, 12);
	ck_assert_int_eq(maps_parse_line(text, upto_ino, &e), -1);
	ck_assert_int_eq(maps_parse_line(text, 12, &e), -1);
}
END_TEST

static const char *const malformed_lines[] = {
	"",
	" ",
	"1000",
	"1000-",
	"1000-3000",
	"1000-3000 ",
	"1000-3000 r-xp",
	"1000-3000 r-xp ",
	"1000-3000 r-xp 00000000",
	"1000-3000 r-xp 00000000 fe",
	"1000-3000 r-xp 00000000 fe:",
	"1000-3000 r-xp 00000000 fe:01",
	"1000-3000 r-xp 00000000 fe:01 ",
	"1000-3000 r-xp 00000000 fe01 12",
	"1000-3000 r-xp 00000000 fe:01 x /bin/sh",
	"1000 3000 r-xp 00000000 fe:01 12",
	"1000_3000 r-xp 00000000 fe:01 12",
	"-3000 r-xp 00000000 fe:01 12",
	"1000-3000  r-xp 00000000 fe:01 12",
	"1000-3000 r-xp  00000000 fe:01 12",
	"xyz-3000 r-xp 00000000 fe:01 12",
	"0x1000-0x3000 r-xp 00000000 fe:01 12",
	"3000-1000 r-xp 00000000 fe:01 12",  /* end before start */
	"3000-3000 r-xp 00000000 fe:01 12",  /* empty */
	"1000-3000 r-x 00000000 fe:01 12",   /* perms too short */
	"1000-3000 r-xq 00000000 fe:01 12",  /* neither private nor shared */
	"1000-3000 r-x- 00000000 fe:01 12",
	"1000-3000 rwxP 00000000 fe:01 12",
};

START_TEST(maps_malformed)
{
	struct maps_entry e;

	ck_assert_msg(parse(malformed_lines[_i], &e) == -1,
		      "accepted \"%s\"", malformed_lines[_i]);
}
END_TEST

/* Each of r, w, x is that letter or '-': anything else is not maps text. */
static const char *const bad_perms_lines[] = {
	"1000-3000 zwxp 00000000 fe:01 12",
	"1000-3000 r?xp 00000000 fe:01 12",
	"1000-3000 rw!p 00000000 fe:01 12",
	"1000-3000 R-xp 00000000 fe:01 12",
	"1000-3000 xwrp 00000000 fe:01 12",
};

START_TEST(maps_malformed_perms)
{
	struct maps_entry e;

	ck_assert_msg(parse(bad_perms_lines[_i], &e) == -1,
		      "accepted \"%s\" (prot %d)", bad_perms_lines[_i], e.prot);
}
END_TEST

/* --- maps_parse --------------------------------------------------------- */

static const char sample_maps[] =
	"55d0c8a4e000-55d0c8a50000 r--p 00000000 fe:01 1835015 /usr/bin/cat\n"
	"55d0c8a50000-55d0c8a55000 r-xp 00002000 fe:01 1835015 /usr/bin/cat\n"
	"5581d2f3a000-5581d2f5b000 rw-p 00000000 00:00 0 [heap]\n"
	"7f1c2a5e9000-7f1c2a5ec000 rw-p 00000000 00:00 0 \n"
	"7ffd5e3b1000-7ffd5e3d2000 rw-p 00000000 00:00 0 [stack]\n";

static const uint64_t sample_starts[] = {
	0x55d0c8a4e000, 0x55d0c8a50000, 0x5581d2f3a000, 0x7f1c2a5e9000,
	0x7ffd5e3b1000,
};

struct collect {
	int n, stop_at;
	uint64_t start[16];
	size_t path_len[16];
};

static int collect_entry(const struct maps_entry *e, void *arg)
{
	struct collect *c = arg;

	if (c->n < N(c->start)) {
		c->start[c->n] = e->start;
		c->path_len[c->n] = e->path_len;
	}
	return ++c->n == c->stop_at ? 7 : 0;
}

static void assert_sample_starts(const struct collect *c, int n)
{
	ck_assert_int_eq(c->n, n);
	for (int i = 0; i < n; i++)
		ck_assert_uint_eq(c->start[i], sample_starts[i]);
}

START_TEST(maps_parse_all_lines)
{
	struct collect c = { 0 };

	ck_assert_int_eq(maps_parse(sample_maps, strlen(sample_maps),
				    collect_entry, &c), 0);
	assert_sample_starts(&c, N(sample_starts));
	ck_assert_uint_eq(c.path_len[0], strlen("/usr/bin/cat"));
	ck_assert_uint_eq(c.path_len[3], 0);
}
END_TEST

/* A text cut anywhere after a newline is still whole lines: same result. */
START_TEST(maps_parse_without_final_newline)
{
	struct collect c = { 0 };

	ck_assert_int_eq(maps_parse(sample_maps, strlen(sample_maps) - 1,
				    collect_entry, &c), 0);
	assert_sample_starts(&c, N(sample_starts));
	ck_assert_uint_eq(c.path_len[4], strlen("[stack]"));
}
END_TEST

START_TEST(maps_parse_length_respected)
{
	const char *third = strstr(sample_maps, "5581d2f3a000");
	struct collect c = { 0 };

	ck_assert_int_eq(maps_parse(sample_maps, (size_t)(third - sample_maps),
				    collect_entry, &c), 0);
	assert_sample_starts(&c, 2);
}
END_TEST

START_TEST(maps_parse_empty)
{
	struct collect c = { 0 };

	ck_assert_int_eq(maps_parse("", 0, collect_entry, &c), 0);
	ck_assert_int_eq(maps_parse("\n", 1, collect_entry, &c), 0);
	ck_assert_int_eq(c.n, 0);
}
END_TEST

START_TEST(maps_parse_stops_early)
{
	struct collect c = { .stop_at = 2 };

	ck_assert_int_eq(maps_parse(sample_maps, strlen(sample_maps),
				    collect_entry, &c), 7);
	assert_sample_starts(&c, 2);
}
END_TEST

START_TEST(maps_parse_malformed_line)
{
	static const char text[] =
		"1000-3000 r--p 00000000 fe:01 12 /a\n"
		"3000-5000 r-xp 00002000 fe:01 12 /a\n"
		"5000-4000 rw-p 00000000 00:00 0\n"
		"6000-7000 rw-p 00000000 00:00 0\n";
	struct collect c = { 0 };

	ck_assert_int_eq(maps_parse(text, strlen(text), collect_entry, &c), -1);
	ck_assert_int_eq(c.n, 2);
}
END_TEST

/* --- this process's own maps -------------------------------------------- */

struct self_scan {
	uint64_t local, code;
	uint64_t prev_end;
	int entries, stack, local_in, code_in, unsorted;
};

static int scan_self(const struct maps_entry *e, void *arg)
{
	struct self_scan *s = arg;
	int in_stack = e->path_len == 7 && !memcmp(e->path, "[stack]", 7);

	s->entries++;
	s->unsorted |= e->start < s->prev_end;
	s->prev_end = e->end;
	s->stack |= in_stack;
	if (s->local >= e->start && s->local < e->end)
		s->local_in = (e->prot & PROT_WRITE) != 0;
	if (s->code >= e->start && s->code < e->end)
		s->code_in = (e->prot & PROT_EXEC) != 0;
	return 0;
}

START_TEST(maps_self)
{
	const size_t size = 1 << 20;
	char *buf = malloc(size);
	volatile int local = 1;
	struct self_scan s = {
		.local = (uintptr_t)&local,
		.code = (uintptr_t)&maps_parse_line,
	};
	long n;

	ck_assert_ptr_nonnull(buf);
	n = proc_read_file("/proc/self/maps", buf, size);
	ck_assert_int_gt(n, 0);
	ck_assert_int_lt(n, (long)size - 1);
	ck_assert_int_eq(maps_parse(buf, (size_t)n, scan_self, &s), 0);
	ck_assert_int_gt(s.entries, 3);
	ck_assert_msg(!s.unsorted, "entries out of order or overlapping");
	ck_assert_msg(s.stack, "no [stack] in /proc/self/maps");
	/* Not necessarily [stack]: valgrind and ASan move stacks. */
	ck_assert_msg(s.local_in, "no writable entry holds %p", (void *)&local);
	ck_assert_msg(s.code_in, "no executable entry holds maps_parse_line");
	free(buf);
}
END_TEST

/* --- fdinfo ------------------------------------------------------------- */

static int parse_fdinfo(const char *text, struct fdinfo *fi)
{
	memset(fi, 0xa5, sizeof(*fi));
	return fdinfo_parse(text, strlen(text), fi);
}

START_TEST(fdinfo_typical)
{
	struct fdinfo fi;

	ck_assert_int_eq(parse_fdinfo("pos:\t123\nflags:\t0102002\n"
				      "mnt_id:\t29\nino:\t1835015\n", &fi), 0);
	ck_assert_uint_eq(fi.pos, 123);
	ck_assert_uint_eq(fi.flags, 0102002); /* O_LARGEFILE|O_APPEND|O_RDWR */
	ck_assert_uint_eq(fi.mnt_id, 29);
}
END_TEST

START_TEST(fdinfo_flags_octal)
{
	struct fdinfo fi;

	ck_assert_int_eq(parse_fdinfo("pos:\t0\nflags:\t02000000\n", &fi), 0);
	ck_assert_uint_eq(fi.flags, O_CLOEXEC);
	ck_assert_int_eq(parse_fdinfo("pos:\t0\nflags:\t010\n", &fi), 0);
	ck_assert_uint_eq(fi.flags, 8);
	ck_assert_int_eq(parse_fdinfo("pos:\t0\nflags:\t0\n", &fi), 0);
	ck_assert_uint_eq(fi.flags, 0);
}
END_TEST

START_TEST(fdinfo_any_order)
{
	struct fdinfo fi;

	ck_assert_int_eq(parse_fdinfo("flags:\t01\nmnt_id:\t3\n"
				      "pos:\t1099511627776", &fi), 0);
	ck_assert_uint_eq(fi.pos, 1099511627776ull);
	ck_assert_uint_eq(fi.flags, 1);
	ck_assert_uint_eq(fi.mnt_id, 3);
}
END_TEST

START_TEST(fdinfo_without_mnt_id)
{
	struct fdinfo fi;

	ck_assert_int_eq(parse_fdinfo("pos:\t5\nflags:\t02\n", &fi), 0);
	ck_assert_uint_eq(fi.pos, 5);
	ck_assert_uint_eq(fi.mnt_id, 0);
}
END_TEST

static const char *const bad_fdinfo[] = {
	"",
	"flags:\t0102002\nmnt_id:\t29\n",            /* no pos */
	"pos:\t123\nmnt_id:\t29\n",                  /* no flags */
	"pos:\t\nflags:\t02\n",
	"pos:\tabc\nflags:\t02\n",
	"pos:\t-1\nflags:\t02\n",
	"pos:\t12\nflags:\t9\n",                     /* not octal */
	"pos:\t12\nflags:\n",
	"xpos:\t12\nflags:\t02\n",                   /* not at a line start */
	"pos:\t12\neflags:\t02\n",
	"pos 12\nflags 02\n",
};

START_TEST(fdinfo_malformed)
{
	struct fdinfo fi;

	ck_assert_msg(parse_fdinfo(bad_fdinfo[_i], &fi) == -1,
		      "accepted \"%s\"", bad_fdinfo[_i]);
}
END_TEST

START_TEST(fdinfo_length_respected)
{
	static const char text[] = "pos:\t123\nflags:\t0102002\n";
	struct fdinfo fi;

	ck_assert_int_eq(fdinfo_parse(text, strlen("pos:\t123\n"), &fi), -1);
	ck_assert_int_eq(fdinfo_parse(text, strlen("pos:\t123\nflags:\t01"),
				      &fi), 0);
	ck_assert_uint_eq(fi.flags, 1);
}
END_TEST

static void read_own_fdinfo(int fd, struct fdinfo *fi)
{
	char path[64], text[4096];
	long n;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	n = proc_read_file(path, text, sizeof(text));
	ck_assert_msg(n > 0, "%s: %ld", path, n);
	ck_assert_int_eq(fdinfo_parse(text, (size_t)n, fi), 0);
}

START_TEST(fdinfo_real_file)
{
	int fd = unit_tmpfile();
	struct fdinfo fi;
	char data[100] = { 0 };

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(fcntl(fd, F_SETFL, O_APPEND), 0);
	ck_assert_int_eq(write(fd, data, sizeof(data)), sizeof(data));
	ck_assert_int_eq(lseek(fd, 42, SEEK_SET), 42);
	read_own_fdinfo(fd, &fi);
	ck_assert_uint_eq(fi.pos, 42);
	ck_assert_msg(fi.flags & O_APPEND, "flags 0%o", fi.flags);
	ck_assert_uint_eq(fi.flags & O_ACCMODE, O_RDWR);
	ck_assert_uint_eq(fi.flags & O_CLOEXEC, 0);

	/* close-on-exec lives in the descriptor table, yet fdinfo shows it */
	ck_assert_int_eq(fcntl(fd, F_SETFD, FD_CLOEXEC), 0);
	ck_assert_int_eq(lseek(fd, 0, SEEK_END), sizeof(data));
	read_own_fdinfo(fd, &fi);
	ck_assert_uint_eq(fi.pos, sizeof(data));
	ck_assert_msg(fi.flags & O_CLOEXEC, "flags 0%o", fi.flags);
	close(fd);
}
END_TEST

START_TEST(proc_read_file_limits)
{
	char buf[8];

	ck_assert_int_eq(proc_read_file("/proc/self/no-such-file", buf,
					sizeof(buf)), -2 /* ENOENT */);
	/* cut to the buffer, and still a string */
	memset(buf, 'x', sizeof(buf));
	ck_assert_int_eq(proc_read_file("/proc/self/stat", buf, sizeof(buf)),
			 sizeof(buf) - 1);
	ck_assert_int_eq(buf[sizeof(buf) - 1], 0);
}
END_TEST

/* --- stat --------------------------------------------------------------- */

/* The command name "a) b) c" fools a parser that stops at the first ')'. */
static const char weird_stat[] =
	"123 (a) b) c) S 1 123 456 0 -1 4194560 17 0\n";

struct stat_case {
	int field;
	int rc;
	uint64_t value;
};

static const struct stat_case stat_cases[] = {
	{ 4, 0, 1 },         /* ppid */
	{ 5, 0, 123 },       /* pgrp */
	{ 6, 0, 456 },       /* session */
	{ 7, 0, 0 },         /* tty_nr */
	{ 9, 0, 4194560 },   /* flags */
	{ 10, 0, 17 },
	{ 11, 0, 0 },        /* the last field, before the newline */
	{ 3, -1, 0 },        /* state: a letter */
	{ 8, -1, 0 },        /* tpgid -1: not a u64 */
	{ 2, -1, 0 },
	{ 1, -1, 0 },
	{ 0, -1, 0 },
	{ -1, -1, 0 },
	{ 12, -1, 0 },       /* past the end */
	{ 13, -1, 0 },
	{ 52, -1, 0 },
};

START_TEST(stat_fields)
{
	const struct stat_case *c = &stat_cases[_i];
	uint64_t v = 0xdead;
	int rc = stat_field(weird_stat, strlen(weird_stat), c->field, &v);

	ck_assert_msg(rc == c->rc, "field %d: rc %d, want %d", c->field, rc,
		      c->rc);
	if (!c->rc)
		ck_assert_msg(v == c->value, "field %d: %llu, want %llu",
			      c->field, (unsigned long long)v,
			      (unsigned long long)c->value);
}
END_TEST

START_TEST(stat_no_paren)
{
	static const char text[] = "123 cat S 1 2 3\n";
	uint64_t v;

	ck_assert_int_eq(stat_field(text, strlen(text), 4, &v), -1);
	ck_assert_int_eq(stat_field("", 0, 4, &v), -1);
}
END_TEST

/* Name the test process like weird_stat, then read the real file. */
START_TEST(stat_self)
{
	char old[16] = { 0 }, text[4096];
	uint64_t v;
	long n;

	ck_assert_int_eq(prctl(PR_GET_NAME, old), 0);
	ck_assert_int_eq(prctl(PR_SET_NAME, "x) 1 2 (y) 3"), 0);
	n = proc_read_file("/proc/self/stat", text, sizeof(text));
	prctl(PR_SET_NAME, old);
	ck_assert_int_gt(n, 0);
	ck_assert_ptr_nonnull(strstr(text, "(x) 1 2 (y) 3)"));
	ck_assert_int_eq(stat_field(text, (size_t)n, 4, &v), 0);
	ck_assert_uint_eq(v, (uint64_t)getppid());
	ck_assert_int_eq(stat_field(text, (size_t)n, 5, &v), 0);
	ck_assert_uint_eq(v, (uint64_t)getpgrp());
	ck_assert_int_eq(stat_field(text, (size_t)n, 6, &v), 0);
	ck_assert_uint_eq(v, (uint64_t)getsid(0));
}
END_TEST

/* --- vdso --------------------------------------------------------------- */

#define VDSO_LINE(start, end, perms, name) \
	start "-" end " " perms " 00000000 00:00 0                  " name "\n"

static const char vdso_maps[] =
	"55d0c8a4e000-55d0c8a50000 r--p 00000000 fe:01 1835015 /usr/bin/cat\n"
	VDSO_LINE("7ffd5e3b1000", "7ffd5e3d2000", "rw-p", "[stack]")
	VDSO_LINE("7ffd5e3f0000", "7ffd5e3f4000", "r--p", "[vvar]")
	VDSO_LINE("7ffd5e3f4000", "7ffd5e3f5000", "r--p", "[vvar_vclock]")
	VDSO_LINE("7ffd5e3f5000", "7ffd5e3f7000", "r-xp", "[vdso]")
	VDSO_LINE("ffffffffff600000", "ffffffffff601000", "--xp", "[vsyscall]");

/* The same block 1 MiB lower, as after another exec. */
static const char vdso_maps_moved[] =
	VDSO_LINE("7ffd5e2f0000", "7ffd5e2f4000", "r--p", "[vvar]")
	VDSO_LINE("7ffd5e2f4000", "7ffd5e2f5000", "r--p", "[vvar_vclock]")
	VDSO_LINE("7ffd5e2f5000", "7ffd5e2f7000", "r-xp", "[vdso]");

/* Older kernels: no [vvar_vclock]. */
static const char vdso_maps_old[] =
	VDSO_LINE("7ffd5e3f0000", "7ffd5e3f4000", "r--p", "[vvar]")
	VDSO_LINE("7ffd5e3f5000", "7ffd5e3f7000", "r-xp", "[vdso]");

/* Names that merely contain or resemble the real ones. */
static const char vdso_maps_decoys[] =
	"1000-3000 r-xp 00000000 fe:01 12 /usr/lib/[vdso]\n"
	VDSO_LINE("4000", "5000", "r-xp", "[vdso] (deleted)")
	VDSO_LINE("7000", "8000", "r--p", "[vvarx]")
	VDSO_LINE("9000", "a000", "r--p", "[vvar_vclock");

static void find_areas(const char *maps, struct ckpt_vdso_area *out)
{
	memset(out, 0xa5, CKPT_VDSO_AREAS * sizeof(*out));
	vdso_areas_find(maps, strlen(maps), out);
}

static void assert_area(const struct ckpt_vdso_area *a, uint64_t start,
			uint64_t end)
{
	ck_assert_uint_eq(a->start, start);
	ck_assert_uint_eq(a->end, end);
}

START_TEST(vdso_find_all)
{
	struct ckpt_vdso_area a[CKPT_VDSO_AREAS];

	find_areas(vdso_maps, a);
	assert_area(&a[CKPT_VDSO_VVAR], 0x7ffd5e3f0000, 0x7ffd5e3f4000);
	assert_area(&a[CKPT_VDSO_VCLOCK], 0x7ffd5e3f4000, 0x7ffd5e3f5000);
	assert_area(&a[CKPT_VDSO_CODE], 0x7ffd5e3f5000, 0x7ffd5e3f7000);
}
END_TEST

START_TEST(vdso_find_absent)
{
	struct ckpt_vdso_area a[CKPT_VDSO_AREAS];

	find_areas(vdso_maps_old, a);
	assert_area(&a[CKPT_VDSO_VVAR], 0x7ffd5e3f0000, 0x7ffd5e3f4000);
	assert_area(&a[CKPT_VDSO_VCLOCK], 0, 0);
	assert_area(&a[CKPT_VDSO_CODE], 0x7ffd5e3f5000, 0x7ffd5e3f7000);
	find_areas(vdso_maps_decoys, a);
	for (int i = 0; i < CKPT_VDSO_AREAS; i++)
		assert_area(&a[i], 0, 0);
	find_areas("", a);
	for (int i = 0; i < CKPT_VDSO_AREAS; i++)
		assert_area(&a[i], 0, 0);
}
END_TEST

START_TEST(vdso_layout_same_or_moved)
{
	struct ckpt_vdso_area a[CKPT_VDSO_AREAS], b[CKPT_VDSO_AREAS];

	find_areas(vdso_maps, a);
	find_areas(vdso_maps, b);
	ck_assert_int_eq(vdso_layout_equal(a, b), 1);
	find_areas(vdso_maps_moved, b);
	ck_assert_int_eq(vdso_layout_equal(a, b), 1);
	ck_assert_int_eq(vdso_layout_equal(b, a), 1);
	find_areas("", a);
	find_areas("", b);
	ck_assert_int_eq(vdso_layout_equal(a, b), 1);
}
END_TEST

START_TEST(vdso_layout_different)
{
	struct ckpt_vdso_area a[CKPT_VDSO_AREAS], b[CKPT_VDSO_AREAS];

	find_areas(vdso_maps, a);
	find_areas(vdso_maps_old, b);  /* one area missing */
	ck_assert_int_eq(vdso_layout_equal(a, b), 0);
	ck_assert_int_eq(vdso_layout_equal(b, a), 0);

	find_areas(vdso_maps, b);      /* a bigger [vvar] */
	b[CKPT_VDSO_VVAR].start -= CKPT_PAGE_SIZE;
	ck_assert_int_eq(vdso_layout_equal(a, b), 0);

	find_areas(vdso_maps, b);      /* same sizes, [vvar] after [vdso] */
	b[CKPT_VDSO_VVAR].start = b[CKPT_VDSO_CODE].end;
	b[CKPT_VDSO_VVAR].end = b[CKPT_VDSO_VVAR].start + 4ul * CKPT_PAGE_SIZE;
	ck_assert_int_eq(vdso_layout_equal(a, b), 0);

	find_areas("", b);             /* no vDSO at all */
	ck_assert_int_eq(vdso_layout_equal(a, b), 0);
}
END_TEST

Suite *procfs_suite(void)
{
	Suite *s = suite_create("procfs");
	TCase *tc = tcase_create("maps_line");

	tcase_add_test(tc, maps_file_backed);
	tcase_add_loop_test(tc, maps_anonymous, 0, N(anon_lines));
	tcase_add_loop_test(tc, maps_special_names, 0, N(named_lines));
	tcase_add_test(tc, maps_path_with_spaces_deleted);
	tcase_add_test(tc, maps_shared);
	tcase_add_loop_test(tc, maps_protections, 0, N(perms_cases));
	tcase_add_loop_test(tc, maps_devices, 0, N(dev_cases));
	tcase_add_test(tc, maps_large_values);
	tcase_add_test(tc, maps_line_length_respected);
	tcase_add_loop_test(tc, maps_malformed, 0, N(malformed_lines));
	tcase_add_loop_test(tc, maps_malformed_perms, 0, N(bad_perms_lines));
	suite_add_tcase(s, tc);

	tc = tcase_create("maps");
	tcase_add_test(tc, maps_parse_all_lines);
	tcase_add_test(tc, maps_parse_without_final_newline);
	tcase_add_test(tc, maps_parse_length_respected);
	tcase_add_test(tc, maps_parse_empty);
	tcase_add_test(tc, maps_parse_stops_early);
	tcase_add_test(tc, maps_parse_malformed_line);
	tcase_add_test(tc, maps_self);
	suite_add_tcase(s, tc);

	tc = tcase_create("fdinfo");
	tcase_add_test(tc, fdinfo_typical);
	tcase_add_test(tc, fdinfo_flags_octal);
	tcase_add_test(tc, fdinfo_any_order);
	tcase_add_test(tc, fdinfo_without_mnt_id);
	tcase_add_loop_test(tc, fdinfo_malformed, 0, N(bad_fdinfo));
	tcase_add_test(tc, fdinfo_length_respected);
	tcase_add_test(tc, fdinfo_real_file);
	tcase_add_test(tc, proc_read_file_limits);
	suite_add_tcase(s, tc);

	tc = tcase_create("stat");
	tcase_add_loop_test(tc, stat_fields, 0, N(stat_cases));
	tcase_add_test(tc, stat_no_paren);
	tcase_add_test(tc, stat_self);
	suite_add_tcase(s, tc);

	tc = tcase_create("vdso");
	tcase_add_test(tc, vdso_find_all);
	tcase_add_test(tc, vdso_find_absent);
	tcase_add_test(tc, vdso_layout_same_or_moved);
	tcase_add_test(tc, vdso_layout_different);
	suite_add_tcase(s, tc);
	return s;
}
