/* SPDX-License-Identifier: GPL-2.0-or-later */
/* file.h - read a whole file into memory, up to a size cap */
#ifndef KVNET_UTIL_FILE_H
#define KVNET_UTIL_FILE_H

#include <stddef.h>

/**
 * file_read_fd() - read @fd from where it is to its end into one NUL-terminated buffer
 * @fd:		open for reading; left open, positioned at its end (or where an error stopped it)
 * @max:	the most bytes accepted; the file is refused when it holds more
 * @out:	set to the contents, malloc()ed, with a NUL after the last byte read (the
 *		contents may hold NULs of their own: @len says where they end); the caller
 *		frees it. NULL on failure.
 * @len:	set to the number of bytes read, without the NUL; may be NULL
 *
 * It reads to the end rather than trusting st_size, so a pipe, /dev/stdin or a file in /proc
 * works too; the buffer grows geometrically. read() interrupted by a signal is retried.
 *
 * Return: 0; -EFBIG when there are more than @max bytes; -ENOMEM; or read()'s negative errno
 */
int file_read_fd(int fd, size_t max, char **out, size_t *len);

/**
 * file_read() - open @path and file_read_fd() it
 * @path:	the file
 * @max:	as for file_read_fd()
 * @out:	as for file_read_fd()
 * @len:	as for file_read_fd(); may be NULL
 *
 * Return: 0, or a negative errno: open()'s (-ENOENT, -EACCES...), or file_read_fd()'s
 */
int file_read(const char *path, size_t max, char **out, size_t *len);

#endif /* KVNET_UTIL_FILE_H */
