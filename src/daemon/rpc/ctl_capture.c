/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ctl_capture.c - capture.start and capture.list: a port's frames to the client, as a socket
 *
 * capture.start starts a capture (switch/switch_capture.h) and answers with the reader's
 * end of its socket pair attached to the answer line (SCM_RIGHTS): the handler leaves the
 * descriptor with ctl_pass_fd(), and the connection (ctl_conn.c) sends it with the answer's
 * first bytes and closes its own copy. docs/protocol.md has the record format.
 */

#include <errno.h>
#include <unistd.h>

#include "ctl/vocab.h"
#include "daemon/rpc/ctl_request.h"
#include "daemon/switch/switch.h"
#include "daemon/switch/switch_capture.h"

/* the descriptor the last request leaves for its answer, or -1 */
static int ctl_fd_pending = -1;

void ctl_pass_fd(int fd)
{
	if (ctl_fd_pending >= 0)
		close(ctl_fd_pending);
	ctl_fd_pending = fd;
}

int ctl_pass_fd_take(void)
{
	int fd = ctl_fd_pending;

	ctl_fd_pending = -1;
	return fd;
}

/* param "direction" (default both). Return: 0, or -1 after ctl_fail() */
int ctl_param_capture_dir(struct ctl_request *req, unsigned int *dir)
{
	const char *s = NULL;
	int v;

	*dir = CTL_CAPTURE_BOTH;
	if (ctl_param_string(req, "direction", &s) < 0)
		return -1;
	if (!s)
		return 0;
	v = ctl_vocab_value(&ctl_capture_dirs, s);
	if (v < 0)
		return ctl_fail(req, CTL_ERR_PARAMS,
				"direction '%.32s' is not known (expected " CTL_WORDS_OR(
					CTL_CAPTURE_DIR_LIST) ")",
				s);
	*dir = (unsigned int)v;
	return 0;
}

static int ctl_capture_start(struct ctl_request *req)
{
	uint64_t count = 0, snaplen = CTL_CAPTURE_SNAPLEN_MAX, id;
	const char *name;
	struct kv_port *p;
	unsigned int dir;
	char err[200];
	int fd, ret;

	if (ctl_param_name_req(req, "port", &name) < 0 ||
	    ctl_param_uint(req, "count", 0, CTL_CAPTURE_COUNT_MAX, &count) < 0 ||
	    ctl_param_uint(req, "snaplen", CTL_CAPTURE_SNAPLEN_MIN, CTL_CAPTURE_SNAPLEN_MAX,
			   &snaplen) < 0 ||
	    ctl_param_capture_dir(req, &dir))
		return -1;
	p = ctl_find_port(req, name);
	if (!p)
		return -1;
	ret = switch_capture_add(p, dir, count, (uint32_t)snaplen, &fd, &id, err, sizeof(err));
	if (ret)
		return ctl_fail_errno(req, ret, err);
	ctl_pass_fd(fd);
	req->result = json_pack("{s:I,s:s,s:s,s:s,s:I,s:I}", "id", (json_int_t)id, "port", p->name,
				"bridge", p->sw->name, "direction",
				ctl_vocab_name(&ctl_capture_dirs, (int)dir), "count",
				(json_int_t)count, "snaplen", (json_int_t)snaplen);
	return 0;
}

static int ctl_capture_list(struct ctl_request *req)
{
	struct switch_capture_info info[CTL_CAPTURE_MAX];
	size_t n = switch_capture_list(info, CTL_CAPTURE_MAX);
	json_t *list = json_array();

	for (size_t i = 0; i < n && i < CTL_CAPTURE_MAX; i++)
		json_array_append_new(list,
				      json_pack("{s:I,s:s,s:s,s:I,s:I,s:I,s:I}", "id",
						(json_int_t)info[i].id, "port", info[i].port,
						"direction",
						ctl_vocab_name(&ctl_capture_dirs, (int)info[i].dir),
						"count", (json_int_t)info[i].count, "snaplen",
						(json_int_t)info[i].snaplen, "captured",
						(json_int_t)info[i].captured, "dropped",
						(json_int_t)info[i].dropped));
	req->result = json_pack("{s:o}", "captures", list);
	return 0;
}

static const char *const start_params[] = { "port", "direction", "count", "snaplen", NULL };
static const char *const list_params[] = { NULL };

const struct ctl_method ctl_capture_methods[] = {
	{ "capture.start", start_params, ctl_capture_start },
	{ "capture.list", list_params, ctl_capture_list },
	{ NULL, NULL, NULL },
};
