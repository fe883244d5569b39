/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_util.c - unit tests of util/: the string builder (strbuf) and whole-file reads (file) */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <setjmp.h>
#include <cmocka.h>

#include "util/file.h"
#include "util/strbuf.h"

/*
 * The test binary is linked with -Wl,--wrap=realloc: util/'s calls to realloc() come here,
 * and fail once realloc_fail_in reaches 0 (counting down each call; -1: never fail).
 */
void *__real_realloc(void *p, size_t n);
void *__wrap_realloc(void *p, size_t n);
static int realloc_fail_in = -1;
static unsigned int realloc_calls;

void *__wrap_realloc(void *p, size_t n)
{
	realloc_calls++;
	if (realloc_fail_in >= 0 && realloc_fail_in-- == 0)
		return NULL;
	return __real_realloc(p, n);
}

static int reset_realloc(void **state)
{
	(void)state;
	realloc_fail_in = -1;
	realloc_calls = 0;
	return 0;
}

/* ---- strbuf ---- */

static void strbuf_empty_take_gives_empty_string(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	char *s = (char *)1;

	(void)state;
	assert_int_equal(strbuf_take(&sb, &s), 0);
	assert_non_null(s);
	assert_string_equal(s, "");
	free(s);
	assert_null(sb.s);
	assert_int_equal(sb.len, 0);
	strbuf_free(&sb);
	strbuf_free(NULL);
}

static void strbuf_append_and_appendf(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	char *s;

	(void)state;
	assert_int_equal(strbuf_append(&sb, "dhcp-range="), 0);
	assert_int_equal(strbuf_appendf(&sb, "%s,%s,%u\n", "192.168.1.2", "192.168.1.254", 24u), 0);
	assert_int_equal(strbuf_append(&sb, ""), 0);
	assert_int_equal(strbuf_appendf(&sb, "%s", ""), 0);
	assert_int_equal(strbuf_appendf(&sb, "[%5d|%-3s|%c]", 42, "x", 'z'), 0);
	assert_string_equal(sb.s, "dhcp-range=192.168.1.2,192.168.1.254,24\n[   42|x  |z]");
	assert_int_equal(sb.len, strlen(sb.s));
	assert_int_equal(strbuf_take(&sb, &s), 0);
	assert_string_equal(s, "dhcp-range=192.168.1.2,192.168.1.254,24\n[   42|x  |z]");
	free(s);
	/* taken, it is empty and can be used again */
	assert_null(sb.s);
	assert_int_equal(sb.len, 0);
	assert_int_equal(strbuf_append(&sb, "again"), 0);
	assert_string_equal(sb.s, "again");
	strbuf_free(&sb);
	assert_null(sb.s);
	assert_int_equal(sb.len, 0);
}

/* appends that end exactly at, one short of, and one past the room there is */
static void strbuf_room_boundaries(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	char want[2048], piece[600];
	size_t room, n;

	(void)state;
	assert_int_equal(strbuf_append(&sb, "a"), 0);
	strcpy(want, "a");
	for (int delta = -1; delta <= 1; delta++) {
		room = sb.cap - sb.len; /* the NUL takes one byte of it */
		n = room - 1 + (size_t)delta;
		assert_true(n < sizeof(piece));
		memset(piece, 'b' + delta + 1, n);
		piece[n] = '\0';
		assert_int_equal(delta % 2 ? strbuf_appendf(&sb, "%s", piece)
					   : strbuf_append(&sb, piece),
				 0);
		strcat(want, piece);
		assert_int_equal(sb.len, strlen(want));
		assert_string_equal(sb.s, want);
		assert_true(sb.cap > sb.len);
	}
	strbuf_free(&sb);
}

/* n one-byte appends cost O(log n) reallocations, and the text is exact */
static void strbuf_grows_geometrically(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	const size_t n = 200000;
	char *s;

	(void)state;
	for (size_t i = 0; i < n; i++)
		assert_int_equal(strbuf_appendf(&sb, "%c", (char)('a' + i % 26)), 0);
	assert_int_equal(sb.len, n);
	assert_true(sb.cap >= n + 1 && sb.cap <= 2 * (n + 1));
	/* 256 doubled up to 200001 is 10 steps; allow some slack, far below n */
	assert_true(realloc_calls <= 16);
	assert_int_equal(strbuf_take(&sb, &s), 0);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(s[i], 'a' + i % 26);
	assert_int_equal(s[n], '\0');
	free(s);
}

/* one text longer than the first allocation, in one append */
static void strbuf_one_big_append(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	char *big = malloc(100001);

	(void)state;
	assert_non_null(big);
	memset(big, 'q', 100000);
	big[100000] = '\0';
	assert_int_equal(strbuf_append(&sb, "<"), 0);
	assert_int_equal(strbuf_appendf(&sb, "%s>", big), 0);
	assert_int_equal(sb.len, 100002);
	assert_int_equal(sb.s[0], '<');
	assert_int_equal(sb.s[100000], 'q');
	assert_int_equal(sb.s[100001], '>');
	assert_int_equal(sb.s[100002], '\0');
	free(big);
	strbuf_free(&sb);
}

static int twice(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* strbuf_vappendf() copies its va_list: the caller can pass it on again */
static int twice(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = strbuf_vappendf(sb, fmt, ap);
	if (!ret)
		ret = strbuf_vappendf(sb, fmt, ap);
	va_end(ap);
	return ret;
}

static void strbuf_vappendf_leaves_va_list(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	char pad[400];

	(void)state;
	memset(pad, '-', sizeof(pad) - 1);
	pad[sizeof(pad) - 1] = '\0';
	/* the second pass of the first call (it grows) and both of the second */
	assert_int_equal(twice(&sb, "%d:%s;", 7, pad), 0);
	assert_int_equal(sb.len, 2 * (2 + 399 + 1));
	assert_memory_equal(sb.s, "7:-", 3);
	assert_memory_equal(sb.s + 402, "7:-", 3);
	strbuf_free(&sb);
}

/* an allocation failure: -ENOMEM, the text unchanged, every later append a no-op */
static void strbuf_out_of_memory_is_sticky(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	char big[1000], *s = (char *)1;

	(void)state;
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(strbuf_append(&sb, "kept"), 0);
	realloc_fail_in = 0;
	assert_int_equal(strbuf_appendf(&sb, "%s", big), -ENOMEM);
	assert_string_equal(sb.s, "kept");
	assert_int_equal(sb.len, 4);
	/* memory is back, but the text is already incomplete: nothing more is added */
	assert_int_equal(strbuf_append(&sb, "more"), -ENOMEM);
	assert_int_equal(strbuf_appendf(&sb, "%d", 1), -ENOMEM);
	assert_string_equal(sb.s, "kept");
	assert_int_equal(strbuf_take(&sb, &s), -ENOMEM);
	assert_null(s);
	assert_null(sb.s);
	assert_int_equal(sb.err, 0);
	/* emptied by the take: usable again */
	assert_int_equal(strbuf_append(&sb, "new"), 0);
	assert_int_equal(strbuf_take(&sb, &s), 0);
	assert_string_equal(s, "new");
	free(s);
}

static void strbuf_out_of_memory_first_allocation(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	char *s;

	(void)state;
	realloc_fail_in = 0;
	assert_int_equal(strbuf_append(&sb, "x"), -ENOMEM);
	assert_null(sb.s);
	assert_int_equal(strbuf_take(&sb, &s), -ENOMEM);
	assert_null(s);
	realloc_fail_in = 0;
	assert_int_equal(strbuf_appendf(&sb, "%s", "x"), -ENOMEM);
	strbuf_free(&sb);
	assert_int_equal(sb.err, 0);
}

/* ---- file ---- */

/* a temporary file holding @len bytes of @data; its path in @path (unlink it) */
static void strbuf_append_xml_escapes(void **state)
{
	struct strbuf b = STRBUF_INIT;
	char *out;

	(void)state;
	assert_int_equal(strbuf_append_xml(&b, "plain"), 0);
	assert_int_equal(strbuf_append_xml(&b, " a&b<c>d'e\"f&"), 0);
	assert_int_equal(strbuf_append_xml(&b, ""), 0);
	assert_int_equal(strbuf_take(&b, &out), 0);
	assert_string_equal(out, "plain a&amp;b&lt;c&gt;d&apos;e&quot;f&amp;");
	free(out);
}

static void tmp_file(char *path, size_t pathlen, const void *data, size_t len)
{
	int fd;

	snprintf(path, pathlen, "/tmp/kvnet-test-util.XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
}

static void file_read_whole_file(void **state)
{
	const char data[] = "<network>\n  <name>default</name>\n</network>\n";
	char path[64], *buf;
	size_t len = 1;

	(void)state;
	tmp_file(path, sizeof(path), data, sizeof(data) - 1);
	assert_int_equal(file_read(path, 1 << 20, &buf, &len), 0);
	assert_int_equal(len, sizeof(data) - 1);
	assert_string_equal(buf, data);
	free(buf);
	/* @len may be NULL */
	assert_int_equal(file_read(path, 1 << 20, &buf, NULL), 0);
	assert_string_equal(buf, data);
	free(buf);
	unlink(path);
}

static void file_read_empty_and_nul_bytes(void **state)
{
	const char data[] = { 'a', '\0', 'b', '\0', 'c' };
	char path[64], *buf;
	size_t len = 1;

	(void)state;
	tmp_file(path, sizeof(path), "", 0);
	assert_int_equal(file_read(path, 0, &buf, &len), 0);
	assert_int_equal(len, 0);
	assert_string_equal(buf, "");
	free(buf);
	unlink(path);

	tmp_file(path, sizeof(path), data, sizeof(data));
	assert_int_equal(file_read(path, 100, &buf, &len), 0);
	assert_int_equal(len, sizeof(data));
	assert_memory_equal(buf, data, sizeof(data));
	assert_int_equal(buf[len], '\0');
	free(buf);
	unlink(path);
}

/* exactly @max bytes are read; one more is -EFBIG, at any size */
static void file_read_size_cap(void **state)
{
	static const size_t sizes[] = { 1, 2, 4095, 4096, 4097, 8192, 100000 };
	char path[64], *data, *buf = (char *)1;
	size_t len = 7;

	(void)state;
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		size_t n = sizes[i];

		data = malloc(n);
		assert_non_null(data);
		for (size_t j = 0; j < n; j++)
			data[j] = (char)('A' + j % 23);
		tmp_file(path, sizeof(path), data, n);
		assert_int_equal(file_read(path, n, &buf, &len), 0);
		assert_int_equal(len, n);
		assert_memory_equal(buf, data, n);
		assert_int_equal(buf[n], '\0');
		free(buf);
		assert_int_equal(file_read(path, n - 1, &buf, &len), -EFBIG);
		assert_null(buf);
		assert_int_equal(len, 0);
		assert_int_equal(file_read(path, SIZE_MAX, &buf, &len), 0);
		assert_int_equal(len, n);
		free(buf);
		unlink(path);
		free(data);
	}
}

/* a pipe has no size to trust: it is read to its end */
static void file_read_fd_pipe(void **state)
{
	char data[20000], *buf;
	size_t len;
	int p[2];

	(void)state;
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (char)(i * 7);
	assert_int_equal(pipe(p), 0);
	/* smaller than a pipe's buffer: written whole before the read */
	assert_int_equal(write(p[1], data, sizeof(data)), (ssize_t)sizeof(data));
	close(p[1]);
	assert_int_equal(file_read_fd(p[0], sizeof(data), &buf, &len), 0);
	assert_int_equal(len, sizeof(data));
	assert_memory_equal(buf, data, sizeof(data));
	free(buf);
	close(p[0]);
}

/* from where the fd is, and the fd is left open */
static void file_read_fd_from_position(void **state)
{
	char path[64], *buf;
	size_t len;
	int fd;

	(void)state;
	tmp_file(path, sizeof(path), "skip:rest", 9);
	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(lseek(fd, 5, SEEK_SET), 5);
	assert_int_equal(file_read_fd(fd, 100, &buf, &len), 0);
	assert_int_equal(len, 4);
	assert_string_equal(buf, "rest");
	free(buf);
	assert_int_equal(fcntl(fd, F_GETFD), 0);
	close(fd);
	unlink(path);
}

static void file_read_errors(void **state)
{
	char *buf = (char *)1;
	size_t len = 1;

	(void)state;
	assert_int_equal(file_read("/nonexistent/kvnet-test", 100, &buf, &len), -ENOENT);
	assert_null(buf);
	assert_int_equal(len, 0);
	buf = (char *)1;
	assert_int_equal(file_read("/tmp", 100, &buf, &len), -EISDIR);
	assert_null(buf);
	buf = (char *)1;
	assert_int_equal(file_read_fd(-1, 100, &buf, &len), -EBADF);
	assert_null(buf);
}

static void file_read_out_of_memory(void **state)
{
	char path[64], data[10000], *buf = (char *)1;
	size_t len;

	(void)state;
	memset(data, 'm', sizeof(data));
	tmp_file(path, sizeof(path), data, sizeof(data));
	/* the first allocation, then a later one */
	for (int fail = 0; fail < 2; fail++) {
		realloc_fail_in = fail;
		assert_int_equal(file_read(path, sizeof(data), &buf, &len), -ENOMEM);
		assert_null(buf);
	}
	realloc_fail_in = -1;
	assert_int_equal(file_read(path, sizeof(data), &buf, &len), 0);
	free(buf);
	unlink(path);
}

/* file_write_atomic() replaces a file whole, leaves no temporary file, and says why not */
static void file_write_atomic_replaces(void **state)
{
	char dir[] = "/tmp/kvnet-test-atomic.XXXXXX", path[128], err[256], *buf;
	size_t len;
	int dfd;

	(void)state;
	assert_non_null(mkdtemp(dir));
	dfd = open(dir, O_RDONLY | O_DIRECTORY);
	assert_true(dfd >= 0);
	assert_int_equal(file_write_atomic(dfd, dir, "a.json", "old", 3, err, sizeof(err)), 0);
	assert_int_equal(file_write_atomic(dfd, dir, "a.json", "newer", 5, err, sizeof(err)), 0);
	snprintf(path, sizeof(path), "%s/a.json", dir);
	assert_int_equal(file_read(path, 100, &buf, &len), 0);
	assert_int_equal(len, 5);
	assert_string_equal(buf, "newer");
	free(buf);
	/* only a.json is left: no temporary file */
	snprintf(path, sizeof(path), "ls -A %s | grep -vqx a.json", dir);
	assert_int_not_equal(system(path), 0);
	/* a file name that is a directory: refused, the message names it */
	assert_int_equal(mkdirat(dfd, "d", 0700), 0);
	assert_int_equal(file_write_atomic(dfd, dir, "d", "x", 1, err, sizeof(err)), -EISDIR);
	assert_non_null(strstr(err, "/d:"));
	snprintf(path, sizeof(path), "rm -r %s", dir);
	assert_int_equal(system(path), 0);
	close(dfd);
}

static void file_is_temp_names(void **state)
{
	(void)state;
	assert_true(file_is_temp(".br0.json.123-4", ".json"));
	assert_true(file_is_temp(".net.xml.1-0", ".xml"));
	assert_false(file_is_temp("br0.json", ".json"));
	assert_false(file_is_temp(".br0.json", ".json"));
	assert_false(file_is_temp(".br0.xml.1-0", ".json"));
}

#define T(f) cmocka_unit_test_setup(f, reset_realloc)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(strbuf_empty_take_gives_empty_string),
		T(strbuf_append_and_appendf),
		T(strbuf_room_boundaries),
		T(strbuf_grows_geometrically),
		T(strbuf_one_big_append),
		T(strbuf_vappendf_leaves_va_list),
		T(strbuf_out_of_memory_is_sticky),
		T(strbuf_out_of_memory_first_allocation),
		T(strbuf_append_xml_escapes),
		T(file_read_whole_file),
		T(file_read_empty_and_nul_bytes),
		T(file_read_size_cap),
		T(file_read_fd_pipe),
		T(file_read_fd_from_position),
		T(file_read_errors),
		T(file_read_out_of_memory),
		T(file_write_atomic_replaces),
		T(file_is_temp_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
