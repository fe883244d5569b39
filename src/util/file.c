/* SPDX-License-Identifier: GPL-2.0-or-later */
/* file.c - read a whole file into memory, up to a size cap */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
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
