/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ctl_server.c - one request line: parse it as JSON-RPC 2.0, dispatch it to its method, answer */

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/rpc/ctl_request.h"
#include "daemon/rpc/ctl_server.h"
#include "daemon/network/network.h"
#include "daemon/switch/datapath.h"
#include "util/log.h"

static const struct ctl_method *const ctl_tables[] = {
	ctl_daemon_methods,  ctl_bridge_methods, ctl_port_methods,   ctl_vlan_methods,
	ctl_fdb_methods,     ctl_mdb_methods,	 ctl_stats_methods,  ctl_network_methods,
	ctl_vm_port_methods, ctl_stp_methods,	 ctl_events_methods, ctl_capture_methods,
	ctl_mirror_methods,
};

void ctl_server_init(void)
{
	network_set_start_hook(ctl_vm_port_restore);
}

static const struct ctl_method *ctl_method_find(const char *name)
{
	for (size_t t = 0; t < sizeof(ctl_tables) / sizeof(ctl_tables[0]); t++)
		for (const struct ctl_method *m = ctl_tables[t]; m->name; m++)
			if (!strcmp(m->name, name))
				return m;
	return NULL;
}

/* every member of params must be one the method knows: a misspelt option is an error */
static int ctl_check_members(struct ctl_request *req, const struct ctl_method *m)
{
	const char *key;
	json_t *v;

	json_object_foreach(req->params, key, v)
	{
		size_t i;
		char expected[200] = "";

		for (i = 0; m->params[i]; i++)
			if (!strcmp(m->params[i], key))
				break;
		if (m->params[i])
			continue;
		for (i = 0; m->params[i]; i++) {
			size_t n = strlen(expected);

			snprintf(expected + n, sizeof(expected) - n, "%s%s", i ? ", " : "",
				 m->params[i]);
		}
		return ctl_fail(req, CTL_ERR_PARAMS, "unknown param '%.64s' for %s (expected %s)",
				key, m->name, i ? expected : "none");
	}
	return 0;
}

int ctl_call(const char *method, struct ctl_request *req)
{
	const struct ctl_method *m = ctl_method_find(method);

	if (!m)
		return ctl_fail(req, CTL_ERR_METHOD, "unknown method '%.64s'", method);
	if (ctl_check_members(req, m) || m->handler(req))
		return -1;
	if (!req->result)
		req->result = json_object();
	return 0;
}

/*
 * A message may quote what the client sent (the JSON parser's "near '...'"), which need not
 * be UTF-8; JSON strings must be, so such a message goes out with its non-ASCII bytes as '?'.
 */
static json_t *ctl_error_object(int code, const char *msg)
{
	json_t *err = json_pack("{s:i,s:s}", "code", code, "message", msg);
	char ascii[512];
	size_t i;

	if (err)
		return err;
	for (i = 0; msg[i] && i < sizeof(ascii) - 1; i++)
		ascii[i] = (unsigned char)msg[i] < 0x80 ? msg[i] : '?';
	ascii[i] = '\0';
	return json_pack("{s:i,s:s}", "code", code, "message", ascii);
}

static char *ctl_answer(json_t *id, json_t *result, int code, const char *msg)
{
	json_t *ans = json_object();
	char *line;

	json_object_set_new(ans, "jsonrpc", json_string("2.0"));
	json_object_set(ans, "id", id ? id : json_null());
	if (code)
		json_object_set_new(ans, "error", ctl_error_object(code, msg));
	else
		json_object_set(ans, "result", result);
	line = json_dumps(ans, JSON_COMPACT);
	json_decref(ans);
	return line;
}

char *ctl_handle_line(const char *line, size_t len)
{
	struct ctl_request req = { 0 };
	const struct ctl_method *m;
	json_t *msg, *id = NULL, *method, *params;
	json_error_t jerr;
	char *answer;
	bool notify;

	msg = json_loadb(line, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
	if (!msg) {
		char why[300];

		snprintf(why, sizeof(why), "request is not JSON: %s (column %d)", jerr.text,
			 jerr.column);
		return ctl_answer(NULL, NULL, CTL_ERR_PARSE, why);
	}
	if (!json_is_object(msg)) {
		answer = ctl_answer(NULL, NULL, CTL_ERR_INVALID_REQUEST,
				    "request must be a JSON-RPC 2.0 object");
		goto out;
	}
	id = json_object_get(msg, "id");
	notify = !id;
	if (id && !json_is_string(id) && !json_is_integer(id) && !json_is_null(id)) {
		answer = ctl_answer(NULL, NULL, CTL_ERR_INVALID_REQUEST,
				    "id must be a string, an integer or null");
		goto out;
	}
	method = json_object_get(msg, "method");
	params = json_object_get(msg, "params");
	if (!json_is_string(json_object_get(msg, "jsonrpc")) ||
	    strcmp(json_string_value(json_object_get(msg, "jsonrpc")), "2.0") ||
	    !json_is_string(method)) {
		answer = ctl_answer(id, NULL, CTL_ERR_INVALID_REQUEST,
				    "request needs \"jsonrpc\": \"2.0\" and a string \"method\"");
		goto out;
	}
	if (params && !json_is_object(params)) {
		answer = ctl_answer(id, NULL, CTL_ERR_PARAMS, "params must be an object");
		goto out;
	}
	m = ctl_method_find(json_string_value(method));
	if (!m) {
		char why[200];

		snprintf(why, sizeof(why), "unknown method '%.64s'", json_string_value(method));
		answer = ctl_answer(id, NULL, CTL_ERR_METHOD, why);
		goto out;
	}
	req.params = params ? params : json_object();
	if (!params)
		json_object_set_new(msg, "params", req.params);
	datapath_lock();
	if (!ctl_check_members(&req, m) && !m->handler(&req) && !req.result)
		req.result = json_object();
	/* what is acknowledged is stored (ctl_store.c) */
	if (!req.err_code && !ctl_store_reads_only(m->name)) {
		char err[512];
		int r = ctl_store_sync(err, sizeof(err));

		if (r) {
			json_decref(req.result);
			req.result = NULL;
			ctl_fail(&req, ctl_errno_code(r), "done, but not stored: %s", err);
		} else if (json_is_object(req.result) && !json_object_get(req.result, "warning") &&
			   ctl_store_unkept(m->name, req.params, err, sizeof(err))) {
			/* applied, but the user must not take it for lasting */
			json_object_set_new(req.result, "warning", json_string(err));
		}
	}
	datapath_unlock();
	if (req.err_code) {
		log_debug("%s: %s", m->name, req.err_msg);
		answer = ctl_answer(id, NULL, req.err_code, req.err_msg);
	} else {
		answer = ctl_answer(id, req.result, 0, NULL);
	}
	json_decref(req.result);
	if (notify) {
		free(answer);
		answer = NULL;
	}
out:
	json_decref(msg);
	return answer;
}

char *ctl_answer_error(int code, const char *msg)
{
	return ctl_answer(NULL, NULL, code, msg);
}
