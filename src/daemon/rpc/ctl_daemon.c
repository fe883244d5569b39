/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ctl_daemon.c - methods about the daemon itself */

#include <unistd.h>

#include "daemon/rpc/ctl_request.h"

#define KVNET_VERSION "0.1.0"

static const char *const no_params[] = { NULL };

static int ctl_daemon_ping(struct ctl_request *req)
{
	req->result = json_pack("{s:s,s:i}", "version", KVNET_VERSION, "pid", (int)getpid());
	return 0;
}

const struct ctl_method ctl_daemon_methods[] = {
	{ "daemon.ping", no_params, ctl_daemon_ping },
	{ NULL, NULL, NULL },
};
