/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ctl_request.c - checking a request's params, with messages that say what was expected */

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/vlan.h"
#include "ctl/vocab.h"
#include "daemon/rpc/ctl_request.h"
#include "daemon/network/network.h"
#include "daemon/switch/switch.h"

int ctl_fail(struct ctl_request *req, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(req->err_msg, sizeof(req->err_msg), fmt, ap);
	va_end(ap);
	req->err_code = code;
	return -1;
}

static json_t *ctl_member(struct ctl_request *req, const char *key)
{
	json_t *v = json_object_get(req->params, key);

	return json_is_null(v) ? NULL : v;
}

int ctl_param_bool(struct ctl_request *req, const char *key, bool *out)
{
	json_t *v = ctl_member(req, key);

	if (!v)
		return 0;
	if (!json_is_boolean(v))
		return ctl_fail(req, CTL_ERR_PARAMS, "%s must be true or false", key);
	*out = json_is_true(v);
	return 1;
}

int ctl_param_uint(struct ctl_request *req, const char *key, uint64_t min, uint64_t max,
		   uint64_t *out)
{
	json_t *v = ctl_member(req, key);
	json_int_t i;

	if (!v)
		return 0;
	if (!json_is_integer(v))
		return ctl_fail(req, CTL_ERR_PARAMS, "%s must be an integer (expected %llu..%llu)",
				key, (unsigned long long)min, (unsigned long long)max);
	i = json_integer_value(v);
	if (i < 0 || (uint64_t)i < min || (uint64_t)i > max)
		return ctl_fail(req, CTL_ERR_PARAMS,
				"%s %lld is out of range (expected %llu..%llu)", key, (long long)i,
				(unsigned long long)min, (unsigned long long)max);
	*out = (uint64_t)i;
	return 1;
}

int ctl_param_seconds(struct ctl_request *req, const char *key, double max, uint64_t *out_ns)
{
	json_t *v = ctl_member(req, key);
	double s;

	if (!v)
		return 0;
	if (!json_is_number(v))
		return ctl_fail(req, CTL_ERR_PARAMS, "%s must be a number of seconds", key);
	s = json_number_value(v);
	if (!isfinite(s) || s < 0 || s > max)
		return ctl_fail(req, CTL_ERR_PARAMS,
				"%s %g is out of range (expected 0..%g seconds)", key, s, max);
	*out_ns = (uint64_t)llround(s * 1e9);
	return 1;
}

int ctl_param_string(struct ctl_request *req, const char *key, const char **out)
{
	json_t *v = ctl_member(req, key);

	if (!v)
		return 0;
	if (!json_is_string(v))
		return ctl_fail(req, CTL_ERR_PARAMS, "%s must be a string", key);
	*out = json_string_value(v);
	return 1;
}

int ctl_param_string_req(struct ctl_request *req, const char *key, const char **out)
{
	int r = ctl_param_string(req, key, out);

	if (r == 0)
		return ctl_fail(req, CTL_ERR_PARAMS, "%s is required", key);
	return r;
}

int ctl_param_name(struct ctl_request *req, const char *key, const char **out)
{
	const char *s = NULL;
	int r = ctl_param_string(req, key, &s);

	if (r <= 0)
		return r;
	if (!ctl_name_valid(s))
		return ctl_fail(
			req, CTL_ERR_PARAMS,
			"%s '%.64s' is not a valid name (expected 1 to 15 of A-Z a-z 0-9 _ . -)",
			key, s);
	*out = s;
	return 1;
}

int ctl_param_name_req(struct ctl_request *req, const char *key, const char **out)
{
	int r = ctl_param_name(req, key, out);

	if (r == 0)
		return ctl_fail(req, CTL_ERR_PARAMS, "%s is required", key);
	return r;
}

int ctl_param_netns(struct ctl_request *req, const char *key, const char **out)
{
	const char *s = NULL;
	int r = ctl_param_string(req, key, &s);

	if (r <= 0)
		return r;
	if (!ctl_netns_name_valid(s))
		return ctl_fail(req, CTL_ERR_PARAMS,
				"%s '%.64s' is not a network namespace name (expected 1 to %d "
				"characters, no '/', as `ip netns add` takes)",
				key, s, NETNS_NAME_MAX);
	*out = s;
	return 1;
}

int ctl_param_vid(struct ctl_request *req, const char *key, uint16_t *out)
{
	uint64_t v = 0;
	int r = ctl_param_uint(req, key, VLAN_VID_MIN, VLAN_VID_MAX, &v);

	if (r > 0)
		*out = (uint16_t)v;
	return r;
}

int ctl_param_mac(struct ctl_request *req, const char *key, uint8_t mac[6])
{
	const char *s = NULL;
	int r = ctl_param_string(req, key, &s);

	if (r <= 0)
		return r;
	if (ctl_mac_parse(s, mac))
		return ctl_fail(req, CTL_ERR_PARAMS,
				"%s '%.64s' is not a MAC address (expected aa:bb:cc:dd:ee:ff)", key,
				s);
	return 1;
}

int ctl_param_mac_req(struct ctl_request *req, const char *key, uint8_t mac[6])
{
	int r = ctl_param_mac(req, key, mac);

	if (r == 0)
		return ctl_fail(req, CTL_ERR_PARAMS, "%s is required (expected aa:bb:cc:dd:ee:ff)",
				key);
	return r;
}

struct kv_switch *ctl_find_bridge(struct ctl_request *req, const char *name)
{
	struct kv_switch *sw = switch_find(name);

	if (!sw)
		ctl_fail(req, CTL_ERR_NOT_FOUND, "bridge '%s' does not exist", name);
	return sw;
}

struct kv_network *ctl_find_network(struct ctl_request *req, const char *key)
{
	const char *name = NULL;
	struct kv_network *n;

	if (ctl_param_string_req(req, key, &name) < 0)
		return NULL;
	n = network_find(name);
	if (!n)
		ctl_fail(req, CTL_ERR_NOT_FOUND, "network '%.200s' does not exist", name);
	return n;
}

/* the one map from the layers' negative errnos to the protocol's error codes */
static const struct {
	int errnum;
	int code;
} ctl_errno_codes[] = {
	{ ENOENT, CTL_ERR_NOT_FOUND }, { ENODEV, CTL_ERR_NOT_FOUND }, { EEXIST, CTL_ERR_EXISTS },
	{ EINVAL, CTL_ERR_PARAMS },    { EBUSY, CTL_ERR_STATE },      { EPERM, CTL_ERR_PERM },
	{ EACCES, CTL_ERR_PERM },      { ENOSPC, CTL_ERR_FULL },
};

int ctl_errno_code(int ret)
{
	for (size_t i = 0; i < sizeof(ctl_errno_codes) / sizeof(ctl_errno_codes[0]); i++)
		if (ctl_errno_codes[i].errnum == -ret)
			return ctl_errno_codes[i].code;
	return CTL_ERR_SYSTEM;
}

int ctl_fail_errno(struct ctl_request *req, int ret, const char *msg)
{
	return ctl_fail(req, ctl_errno_code(ret), "%s", msg);
}

struct kv_port *ctl_find_port(struct ctl_request *req, const char *name)
{
	struct kv_port *p = switch_port_find(name);

	if (!p)
		ctl_fail(req, CTL_ERR_NOT_FOUND, "port '%s' does not exist", name);
	return p;
}

int ctl_list_ports(struct ctl_request *req, const char *bridge_key, const char *port_key,
		   json_t *(*fn)(const struct kv_port *p))
{
	const char *bridge = NULL, *name = NULL;
	json_t *list;

	if (ctl_param_name(req, bridge_key, &bridge) < 0 ||
	    ctl_param_name(req, port_key, &name) < 0 || (bridge && !ctl_find_bridge(req, bridge)) ||
	    (name && !ctl_find_port(req, name)))
		return -1;
	list = json_array();
	for (struct kv_switch *sw = switches; sw; sw = sw->next) {
		if (bridge && strcmp(sw->name, bridge))
			continue;
		for (struct kv_port *p = sw->ports; p; p = p->next)
			if (!name || !strcmp(p->name, name))
				json_array_append_new(list, fn(p));
	}
	req->result = json_pack("{s:o}", "ports", list);
	return 0;
}
