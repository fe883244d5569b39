/* SPDX-License-Identifier: GPL-2.0-or-later */
/* file.c - read a whole file into memory, up to a size cap; replace one atomically */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/file.h"

/* the first allocation: a configuration or XML file usually fits in one read */
#define FILE_READ_MIN_CAP 4096

int file_read_fd(int fd, size_t max, char **out, size_t *lenp)
{
	size_t len = 0, cap = 0, limit;
	char *buf = NULL, *p;
	ssize_t r;
	int ret;

	*out = NULL;
	if (lenp)
		*lenp = 0;
	/* room for one byte past @max (to see that there is one) and the NUL */
	limit = max > SIZE_MAX - 2 ? SIZE_MAX : max + 2;
	for (;;) {
		if (cap - len < 2) {
			size_t ncap = cap ? cap * 2 : FILE_READ_MIN_CAP;

			if (ncap > limit || ncap < cap)
				ncap = limit;
			if (ncap <= cap) {
				/* cannot happen: the buffer is full only past @max, refused below */
				ret = -EFBIG;
				goto free_buf;
			}
			p = realloc(buf, ncap);
			if (!p) {
				ret = -ENOMEM;
				goto free_buf;
			}
			buf = p;
			cap = ncap;
		}
		r = read(fd, buf + len, cap - len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			ret = -errno;
			goto free_buf;
		}
		if (r == 0)
			break;
		len += (size_t)r;
		if (len > max) {
			ret = -EFBIG;
			goto free_buf;
		}
	}
	/* the first pass of the loop allocated: buf is there, with room for the NUL */
	buf[len] = '\0';
	*out = buf;
	if (lenp)
		*lenp = len;
	return 0;

free_buf:
	free(buf);
	return ret;
}

int file_read(const char *path, size_t max, char **out, size_t *len)
{
	int fd, ret;

	*out = NULL;
	if (len)
		*len = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = file_read_fd(fd, max, out, len);
	close(fd);
	return ret;
}

static int file_write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

int file_write_atomic(int dir_fd, const char *dir_path, const char *file, const void *data,
		      size_t len, char *err, size_t errlen)
{
	static unsigned int seq;
	char tmp[512];
	int fd, ret;

	if ((size_t)snprintf(tmp, sizeof(tmp), ".%s.%d-%u", file, (int)getpid(), seq++) >=
	    sizeof(tmp)) {
		snprintf(err, errlen, "file name '%.64s...' is too long", file);
		return -ENAMETOOLONG;
	}
	fd = openat(dir_fd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "cannot create %s/%s: %s", dir_path, tmp, strerror(errno));
		return ret;
	}
	ret = file_write_all(fd, data, len);
	if (!ret && fsync(fd))
		ret = -errno;
	if (close(fd) && !ret)
		ret = -errno;
	if (!ret && renameat(dir_fd, tmp, dir_fd, file))
		ret = -errno;
	if (ret) {
		snprintf(err, errlen, "cannot write %s/%s: %s", dir_path, file, strerror(-ret));
		unlinkat(dir_fd, tmp, 0);
		return ret;
	}
	/* the rename is durable only once the directory is */
	if (fsync(dir_fd)) {
		ret = -errno;
		snprintf(err, errlen, "cannot sync %s: %s", dir_path, strerror(errno));
	}
	return ret;
}

bool file_is_temp(const char *name, const char *suffix)
{
	const char *s = name[0] == '.' ? strstr(name + 1, suffix) : NULL;

	return s && s[strlen(suffix)] == '.';
}
