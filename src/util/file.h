/* SPDX-License-Identifier: GPL-2.0-or-later */
/* file.h - read a whole file into memory, up to a size cap; replace one atomically */
#ifndef KVNET_UTIL_FILE_H
#define KVNET_UTIL_FILE_H

#include <stdbool.h>
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

/**
 * file_write_atomic() - replace @file in directory @dir_fd with @len bytes of @data, so that
 * after a crash the file is either the old one or the new one, never a mix
 * @dir_fd:	the directory, open (O_RDONLY | O_DIRECTORY)
 * @dir_path:	its path, for messages only
 * @file:	the file's name in it
 * @data:	the new contents
 * @len:	their length
 * @err:	gets a sentence naming the file on failure
 * @errlen:	size of @err
 *
 * The data goes to a temporary file ".FILE.PID-SEQ" in the same directory (file_is_temp()
 * knows its name, so a reader can remove one a crash left behind), which is fsync()ed and
 * renamed over @file; then the directory is fsync()ed, as the rename is durable only once
 * the directory is. Control thread only: the sequence number is not atomic.
 *
 * Return: 0, or a negative errno with a message in @err (the temporary file removed)
 */
int file_write_atomic(int dir_fd, const char *dir_path, const char *file, const void *data,
		      size_t len, char *err, size_t errlen);

/**
 * file_is_temp() - @name is a temporary file of file_write_atomic() for a file ending in
 * @suffix (".xml", ".json"), left behind by a crash if no write is under way
 * Return: true if it is
 */
bool file_is_temp(const char *name, const char *suffix);

#endif /* KVNET_UTIL_FILE_H */
