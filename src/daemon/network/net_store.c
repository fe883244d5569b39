/* SPDX-License-Identifier: GPL-2.0-or-later */
/* net_store.c - persistent network definitions in the state dir, written atomically */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon/network/net_store.h"
#include "util/file.h"
#include "util/log.h"

#define NET_STORE_PATH_MAX 4096

static struct {
	char dir[NET_STORE_PATH_MAX]; /* STATE_DIR/networks */
	int dir_fd;
	int auto_fd;
	bool fresh;
	unsigned int tmp_seq;
} store = { .dir_fd = -1, .auto_fd = -1 };

bool net_store_fresh(void)
{
	return store.fresh;
}

bool net_store_enabled(void)
{
	return store.dir_fd >= 0;
}

static int net_store_mkdir_open(int at, const char *path, const char *shown, char *err,
				size_t errlen)
{
	int fd;

	if (mkdirat(at, path, 0755) && errno != EEXIST) {
		snprintf(err, errlen, "cannot create %s: %s", shown, strerror(errno));
		return -errno;
	}
	fd = openat(at, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "cannot open %s: %s", shown, strerror(errno));
		return -errno;
	}
	return fd;
}

int net_store_open(const char *state_dir, char *err, size_t errlen)
{
	char shown[NET_STORE_PATH_MAX + 16];
	int fd;

	net_store_close();
	if (snprintf(store.dir, sizeof(store.dir), "%s/networks", state_dir) >=
	    (int)sizeof(store.dir)) {
		snprintf(err, errlen, "state dir path '%s' is too long", state_dir);
		return -ENAMETOOLONG;
	}
	store.fresh = !mkdir(store.dir, 0755);
	fd = net_store_mkdir_open(AT_FDCWD, store.dir, store.dir, err, errlen);
	if (fd < 0)
		return fd;
	store.dir_fd = fd;
	snprintf(shown, sizeof(shown), "%s/autostart", store.dir);
	fd = net_store_mkdir_open(store.dir_fd, "autostart", shown, err, errlen);
	if (fd < 0) {
		net_store_close();
		return fd;
	}
	store.auto_fd = fd;
	return 0;
}

void net_store_close(void)
{
	if (store.dir_fd >= 0)
		close(store.dir_fd);
	if (store.auto_fd >= 0)
		close(store.auto_fd);
	store.dir_fd = store.auto_fd = -1;
}

/* "NAME.xml" into @buf. Return: 0, or -ENAMETOOLONG with a message in @err */
static int net_store_file(const char *name, char *buf, size_t len, char *err, size_t errlen)
{
	if (snprintf(buf, len, "%s.xml", name) < (int)len)
		return 0;
	snprintf(err, errlen, "network name '%.64s...' is too long for a file name", name);
	return -ENAMETOOLONG;
}

/* a temporary name in the same directory: ".NAME.xml.PID-SEQ", removed at the next load */
static void net_store_tmp(const char *file, char *buf, size_t len)
{
	snprintf(buf, len, ".%s.%d-%u", file, (int)getpid(), store.tmp_seq++);
}

int net_store_save(const char *name, const char *xml, char *err, size_t errlen)
{
	char file[NAME_MAX + 1];
	int ret;

	if (!net_store_enabled())
		return 0;
	ret = net_store_file(name, file, sizeof(file), err, errlen);
	if (ret)
		return ret;
	return file_write_atomic(store.dir_fd, store.dir, file, xml, strlen(xml), err, errlen);
}

int net_store_set_autostart(const char *name, bool on, char *err, size_t errlen)
{
	char file[NAME_MAX + 1], tmp[NAME_MAX + 32], target[NAME_MAX + 8];
	int ret;

	if (!net_store_enabled())
		return 0;
	ret = net_store_file(name, file, sizeof(file), err, errlen);
	if (ret)
		return ret;
	if (!on) {
		if (unlinkat(store.auto_fd, file, 0) && errno != ENOENT)
			ret = -errno;
	} else {
		snprintf(target, sizeof(target), "../%s", file);
		net_store_tmp(file, tmp, sizeof(tmp));
		if (symlinkat(target, store.auto_fd, tmp) ||
		    renameat(store.auto_fd, tmp, store.auto_fd, file)) {
			ret = -errno;
			unlinkat(store.auto_fd, tmp, 0);
		}
	}
	if (!ret && fsync(store.auto_fd))
		ret = -errno;
	if (ret)
		snprintf(err, errlen, "cannot %s %s/autostart/%s: %s", on ? "create" : "remove",
			 store.dir, file, strerror(-ret));
	return ret;
}

int net_store_remove(const char *name, char *err, size_t errlen)
{
	char file[NAME_MAX + 1];
	int ret;

	if (!net_store_enabled())
		return 0;
	ret = net_store_set_autostart(name, false, err, errlen);
	if (ret)
		return ret;
	net_store_file(name, file, sizeof(file), err, errlen);
	if (unlinkat(store.dir_fd, file, 0) && errno != ENOENT) {
		ret = -errno;
		snprintf(err, errlen, "cannot remove %s/%s: %s", store.dir, file, strerror(errno));
		return ret;
	}
	if (fsync(store.dir_fd)) {
		ret = -errno;
		snprintf(err, errlen, "cannot sync %s: %s", store.dir, strerror(errno));
	}
	return ret;
}

static int net_store_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* a leftover of an interrupted write: ".NAME.xml.PID-SEQ" */
static bool net_store_is_tmp(const char *f)
{
	return file_is_temp(f, ".xml");
}

/* Read the names of the definitions in STATE_DIR/networks into a sorted array; remove temporaries */
static int net_store_scan(char ***out, size_t *n_out)
{
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	int fd, ret = 0;
	DIR *d;

	fd = dup(store.dir_fd);
	d = fd < 0 ? NULL : fdopendir(fd);
	if (!d) {
		ret = -errno;
		if (fd >= 0)
			close(fd);
		return ret;
	}
	rewinddir(d);
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);

		if (net_store_is_tmp(de->d_name)) {
			log_warn("%s/%s: removing a definition left half-written by a crash",
				 store.dir, de->d_name);
			unlinkat(store.dir_fd, de->d_name, 0);
			continue;
		}
		if (de->d_name[0] == '.' || len <= 4 || strcmp(de->d_name + len - 4, ".xml"))
			continue;
		if (n == cap) {
			char **bigger = realloc(names, (cap = cap ? 2 * cap : 16) * sizeof(*names));

			if (!bigger) {
				ret = -ENOMEM;
				break;
			}
			names = bigger;
		}
		names[n] = strndup(de->d_name, len - 4);
		if (!names[n]) {
			ret = -ENOMEM;
			break;
		}
		n++;
	}
	closedir(d);
	if (ret) {
		while (n)
			free(names[--n]);
		free(names);
		return ret;
	}
	if (n > 1)
		qsort(names, n, sizeof(*names), net_store_cmp);
	*out = names;
	*n_out = n;
	return 0;
}

int net_store_load(void (*fn)(const char *name, const char *path, bool autostart, void *opaque),
		   void *opaque, char *err, size_t errlen)
{
	char path[NET_STORE_PATH_MAX + NAME_MAX + 2], file[NAME_MAX + 1];
	char **names = NULL;
	size_t n = 0;
	int ret;

	if (!net_store_enabled())
		return 0;
	ret = net_store_scan(&names, &n);
	if (ret) {
		snprintf(err, errlen, "cannot read %s: %s", store.dir, strerror(-ret));
		return ret;
	}
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		bool autostart;

		net_store_file(names[i], file, sizeof(file), err, errlen);
		autostart = !fstatat(store.auto_fd, file, &st, 0);
		snprintf(path, sizeof(path), "%s/%s", store.dir, file);
		fn(names[i], path, autostart, opaque);
		free(names[i]);
	}
	free(names);
	return (int)n;
}
