/* SPDX-License-Identifier: GPL-2.0-or-later */
/* file.c - XML files named on the command line, read on the client's side as virsh does */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/kvnet.h"
#include "util/file.h"

int kvnet_read_xml(const char *path, json_t **out)
{
	size_t len;
	char *buf;
	int ret;

	/* read to the end rather than trust st_size: a pipe or /dev/stdin works too */
	ret = file_read(path, KVNET_XML_MAX, &buf, &len);
	if (ret == -EFBIG) {
		kvnet_err("cannot read %s: it is larger than %u bytes (1 MiB)", path,
			  KVNET_XML_MAX);
		return KVNET_EXIT_ERROR;
	}
	if (ret == -ENOMEM) {
		kvnet_err("out of memory");
		return KVNET_EXIT_ERROR;
	}
	if (ret) {
		kvnet_err("cannot read %s: %s", path, strerror(-ret));
		return KVNET_EXIT_ERROR;
	}
	ret = KVNET_EXIT_ERROR;
	if (memchr(buf, '\0', len)) {
		kvnet_err("cannot read %s: it holds a NUL byte (expected XML text)", path);
		goto free_buf;
	}
	*out = json_stringn(buf, len);
	if (!*out) {
		kvnet_err("cannot read %s: it is not UTF-8 text", path);
		goto free_buf;
	}
	ret = KVNET_EXIT_OK;
free_buf:
	free(buf);
	return ret;
}

int kvnet_call_xml(struct kvnet *k, const char *method, const json_t *params, json_t **result)
{
	const char *file = json_string_value(json_object_get(params, "file"));
	json_t *call, *xml;
	int ret;

	ret = kvnet_read_xml(file, &xml);
	if (ret)
		return ret;
	call = json_copy((json_t *)params);
	if (!call) {
		json_decref(xml);
		kvnet_err("out of memory");
		return KVNET_EXIT_ERROR;
	}
	json_object_del(call, "file");
	if (json_object_set_new(call, "xml", xml)) {
		json_decref(call);
		kvnet_err("out of memory");
		return KVNET_EXIT_ERROR;
	}
	return kvnet_call(k, method, call, result);
}
