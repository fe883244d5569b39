/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vm_port_record.c - RUN_DIR/ports/NAME.json: the request that made each VM port */

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctl/vocab.h"
#include "daemon/host/privilege.h"
#include "daemon/vmport/vm_port_record.h"
#include "util/log.h"

#define RECORD_SUFFIX ".json"

static char ports_dir[4096];

int vm_port_record_init(const char *run_dir, char *err, size_t errlen)
{
	gid_t group = kv_socket_group();
	/* setgid: sockets stay the group's; sticky: no member removes another's socket */
	mode_t mode = group == (gid_t)-1 ? 0755 : 03770;

	if ((size_t)snprintf(ports_dir, sizeof(ports_dir), "%s/ports", run_dir) >=
	    sizeof(ports_dir)) {
		snprintf(err, errlen, "run dir path '%.200s' is too long", run_dir);
		return -ENAMETOOLONG;
	}
	if (mkdir(ports_dir, mode) && errno != EEXIST) {
		snprintf(err, errlen, "cannot make %s: %s", ports_dir, strerror(errno));
		return -errno;
	}
	if ((group != (gid_t)-1 && chown(ports_dir, (uid_t)-1, group)) || chmod(ports_dir, mode)) {
		snprintf(err, errlen, "cannot give %s to group %d: %s", ports_dir, (int)group,
			 strerror(errno));
		return -errno;
	}
	return 0;
}

int vm_port_sock_path(const char *name, const char *suffix, char *buf, size_t len)
{
	if (!ports_dir[0] || (size_t)snprintf(buf, len, "%s/%s%s", ports_dir, name, suffix) >= len)
		return -ENAMETOOLONG;
	return 0;
}

int vm_port_record_save(const char *name, const json_t *rec)
{
	char path[4200], tmp[4210];
	int ret = 0;

	if (vm_port_sock_path(name, RECORD_SUFFIX, path, sizeof(path)))
		return -ENAMETOOLONG;
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	errno = 0;
	if (json_dump_file(rec, tmp, JSON_COMPACT) || rename(tmp, path)) {
		ret = errno ? -errno : -EIO;
		log_warn("port %s: cannot write %s: %s; it will not come back after a restart",
			 name, path, strerror(-ret));
		unlink(tmp);
	}
	return ret;
}

void vm_port_record_remove(const char *name)
{
	char path[4200];

	if (!vm_port_sock_path(name, RECORD_SUFFIX, path, sizeof(path)))
		unlink(path);
}

/* the record in @file, checked; NULL (and the file removed) if it is not one */
static json_t *vm_port_record_load(const char *file, const char *name)
{
	json_error_t jerr;
	json_t *rec = json_load_file(file, JSON_REJECT_DUPLICATES, &jerr);

	if (rec && json_is_string(json_object_get(rec, "method")) &&
	    json_is_string(json_object_get(rec, "network")) &&
	    json_is_object(json_object_get(rec, "params")) && ctl_name_valid(name))
		return rec;
	log_warn("port record %s is not valid (%s): removed", file,
		 rec ? "expected method, network and params" : jerr.text);
	json_decref(rec);
	unlink(file);
	return NULL;
}

void vm_port_record_each(const char *network,
			 void (*fn)(const char *name, json_t *rec, void *opaque), void *opaque)
{
	DIR *d = opendir(ports_dir);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		char file[4400], name[64];
		json_t *rec;

		if (len <= strlen(RECORD_SUFFIX) || len - strlen(RECORD_SUFFIX) >= sizeof(name) ||
		    strcmp(e->d_name + len - strlen(RECORD_SUFFIX), RECORD_SUFFIX))
			continue;
		snprintf(name, sizeof(name), "%.*s", (int)(len - strlen(RECORD_SUFFIX)), e->d_name);
		snprintf(file, sizeof(file), "%s/%s", ports_dir, e->d_name);
		rec = vm_port_record_load(file, name);
		if (!rec)
			continue;
		if (!strcmp(json_string_value(json_object_get(rec, "network")), network))
			fn(name, rec, opaque);
		json_decref(rec);
	}
	closedir(d);
}
