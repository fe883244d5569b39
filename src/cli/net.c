/* SPDX-License-Identifier: GPL-2.0-or-later */
/* net.c - kvnet net-define|net-create|net-undefine|net-start|net-destroy|net-autostart|
 * net-list|net-info|net-dumpxml|net-uuid|net-name|net-update|net-dhcp-leases: libvirt
 * networks, as virsh names them */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "cli/kvnet.h"
#include "cli/parse.h"
#include "cli/print.h"
#include "ctl/vocab.h"

#define NET_ARG                                                                                    \
	{                                                                                          \
		.key = "network", .kind = PARSE_STRING, .what = "network name or UUID",            \
		.required = true                                                                   \
	}
#define NET_FILE_ARG                                                                               \
	{                                                                                          \
		.key = "file", .kind = PARSE_STRING, .what = "file name", .required = true         \
	}

static const struct parse_arg net_file_args[] = {
	NET_FILE_ARG,
	{ 0 },
};

static const struct parse_arg net_name_args[] = {
	NET_ARG,
	{ 0 },
};

static const struct parse_arg net_autostart_args[] = {
	NET_ARG,
	{ .word = "--disable", .key = "disable", .kind = PARSE_FLAG, .what = "--disable" },
	{ 0 },
};

static const struct parse_arg net_list_args[] = {
	{ .word = "--all", .key = "all", .kind = PARSE_FLAG, .what = "--all" },
	{ .word = "--inactive", .key = "inactive", .kind = PARSE_FLAG, .what = "--inactive" },
	{ .word = "--autostart", .key = "autostart", .kind = PARSE_FLAG, .what = "--autostart" },
	{ .word = "--no-autostart",
	  .key = "no-autostart",
	  .kind = PARSE_FLAG,
	  .what = "--no-autostart" },
	{ .word = "--persistent", .key = "persistent", .kind = PARSE_FLAG, .what = "--persistent" },
	{ .word = "--transient", .key = "transient", .kind = PARSE_FLAG, .what = "--transient" },
	{ 0 },
};

static const struct parse_arg net_dumpxml_args[] = {
	NET_ARG,
	{ .word = "--inactive", .key = "inactive", .kind = PARSE_FLAG, .what = "--inactive" },
	{ 0 },
};

static const struct parse_arg net_uuid_args[] = {
	{ .key = "network", .kind = PARSE_UUID, .what = "network UUID", .required = true },
	{ 0 },
};

static const struct parse_arg net_update_args[] = {
	NET_ARG,
	{ .key = "command",
	  .kind = PARSE_CHOICE,
	  .what = "command",
	  .required = true,
	  .vocab = &ctl_net_update_cmds },
	{ .key = "section",
	  .kind = PARSE_CHOICE,
	  .what = "section",
	  .required = true,
	  .vocab = &ctl_net_update_sections },
	{ .key = "xml", .kind = PARSE_XML, .what = "XML", .required = true },
	{ .word = "--parent-index",
	  .key = "parent_index",
	  .kind = PARSE_UINT,
	  .what = "--parent-index",
	  .min = 0,
	  .max = CTL_NET_UPDATE_PARENT_INDEX_MAX },
	{ .word = "--live", .key = "live", .kind = PARSE_FLAG, .what = "--live" },
	{ .word = "--config", .key = "config", .kind = PARSE_FLAG, .what = "--config" },
	{ .word = "--current", .key = "current", .kind = PARSE_FLAG, .what = "--current" },
	{ 0 },
};

static const struct parse_arg net_dhcp_leases_args[] = {
	NET_ARG,
	{ .word = "--mac", .key = "mac", .kind = PARSE_MAC, .what = "--mac" },
	{ 0 },
};

static const char *net_yes_no(const json_t *b)
{
	return json_is_true(b) ? "yes" : "no";
}

/* the members of one network object (net.list, net.info) that the text output uses */
struct net_fields {
	const json_t *name, *uuid, *active, *autostart, *persistent, *bridge;
};

static int net_need(const json_t *n, const char *ctx, struct net_fields *out)
{
	if (!(out->name = print_need(n, ctx, "name", PRINT_STRING)) ||
	    !(out->uuid = print_need(n, ctx, "uuid", PRINT_STRING)) ||
	    !(out->active = print_need(n, ctx, "active", PRINT_BOOL)) ||
	    !(out->autostart = print_need(n, ctx, "autostart", PRINT_BOOL)) ||
	    !(out->persistent = print_need(n, ctx, "persistent", PRINT_BOOL)) ||
	    !(out->bridge = print_need(n, ctx, "bridge", PRINT_STRING_OR_NULL)))
		return -EBADMSG;
	return 0;
}

static int net_print_rows(struct print_table *t, const json_t *networks)
{
	struct net_fields net;
	const json_t *n;
	char ctx[64];
	size_t i;

	for (i = 0; i < json_array_size(networks); i++) {
		n = print_need_elem(networks, i, "networks", ctx, sizeof(ctx));
		if (!n || net_need(n, ctx, &net))
			return -EBADMSG;
		if (print_table_row(t) ||
		    print_table_set(t, 0, "%s", json_string_value(net.name)) ||
		    print_table_set(t, 1, "%s", json_is_true(net.active) ? "active" : "inactive") ||
		    print_table_set(t, 2, "%s", net_yes_no(net.autostart)) ||
		    print_table_set(t, 3, "%s", net_yes_no(net.persistent)))
			return -ENOMEM;
	}
	return 0;
}

/* net.list's result as virsh net-list: Name, State, Autostart, Persistent */
static int net_print_list(const json_t *result)
{
	static const char *const head[] = { "Name", "State", "Autostart", "Persistent" };

	return print_list_virsh(result, "networks", head, 4, net_print_rows);
}

/* kvnet's addition to virsh's net-info: how the network's dnsmasq is doing, when it runs */
static int net_print_dnsmasq(const json_t *d)
{
	const json_t *pid = json_object_get(d, "pid"), *err = json_object_get(d, "error");
	const char *state = json_string_value(json_object_get(d, "state"));
	json_int_t restarts = json_integer_value(json_object_get(d, "restarts"));

	if (!state || !strcmp(state, "not needed"))
		return 0;
	if (json_is_integer(pid)
		    ? print_field("DHCP/DNS:", "dnsmasq %s (pid %lld, %lld restarts)", state,
				  (long long)json_integer_value(pid), (long long)restarts)
		    : print_field("DHCP/DNS:", "dnsmasq %s", state))
		return -ENOMEM;
	if (json_is_string(err) && print_field("DHCP/DNS error:", "%s", json_string_value(err)))
		return -ENOMEM;
	return 0;
}

/* kvnet's addition: whether libvirt sees the network ("Libvirt: not mirrored (why)") */
static int net_print_libvirt(const json_t *l)
{
	const char *state = json_string_value(json_object_get(l, "state"));
	const char *reason = json_string_value(json_object_get(l, "reason"));

	if (!state)
		return 0;
	if (reason ? print_field("Libvirt:", "%s (%s)", state, reason)
		   : print_field("Libvirt:", "%s", state))
		return -ENOMEM;
	return 0;
}

/* kvnet's addition: a bridge-mode network's uplinks ("Uplinks: eth1 (active), eth2 (backup)") */
static int net_print_uplinks(const json_t *list)
{
	char buf[512];
	size_t used = 0, i;

	if (!json_is_array(list) || !json_array_size(list))
		return 0;
	buf[0] = '\0';
	for (i = 0; i < json_array_size(list); i++) {
		const json_t *u = json_array_get(list, i);
		const char *name = json_string_value(json_object_get(u, "name"));
		const char *state = json_string_value(json_object_get(u, "state"));
		int w;

		if (!name || !state)
			return -EBADMSG;
		w = snprintf(buf + used, sizeof(buf) - used, "%s%s (%s)", i ? ", " : "", name,
			     state);
		if (w < 0 || (size_t)w >= sizeof(buf) - used)
			break;
		used += (size_t)w;
	}
	return print_field("Uplinks:", "%s", buf) ? -ENOMEM : 0;
}

/* kvnet's addition: what runs but not as one may expect ("Warning: portgroup 'web' ...") */
static int net_print_warnings(const json_t *list)
{
	for (size_t i = 0; i < json_array_size(list); i++) {
		const json_t *w = json_array_get(list, i);

		if (json_is_string(w) && print_field("Warning:", "%s", json_string_value(w)))
			return -ENOMEM;
	}
	return 0;
}

/* net.info's result as virsh net-info: Name:, UUID:, Active:, ... */
static int net_print_info(const json_t *result)
{
	struct net_fields net;
	int ret;

	if (net_need(result, "", &net))
		return -EBADMSG;
	if (print_field("Name:", "%s", json_string_value(net.name)) ||
	    print_field("UUID:", "%s", json_string_value(net.uuid)) ||
	    print_field("Active:", "%s", net_yes_no(net.active)) ||
	    print_field("Persistent:", "%s", net_yes_no(net.persistent)) ||
	    print_field("Autostart:", "%s", net_yes_no(net.autostart)) ||
	    (json_is_string(net.bridge) &&
	     print_field("Bridge:", "%s", json_string_value(net.bridge))))
		return -ENOMEM;
	if (net_print_dnsmasq(json_object_get(result, "dnsmasq")))
		return -ENOMEM;
	ret = net_print_uplinks(json_object_get(result, "uplinks"));
	if (ret)
		return ret;
	if (net_print_libvirt(json_object_get(result, "libvirt")))
		return -ENOMEM;
	return net_print_warnings(json_object_get(result, "warnings"));
}

/* one lease of net.dhcp_leases, checked, and where it came in the answer */
struct net_lease {
	const json_t *expiry, *mac, *protocol, *address, *prefix, *hostname, *client_id;
	size_t index;
};

/* virsh lists leases by MAC address, case aside; equal ones keep the daemon's order */
static int net_lease_cmp(const void *a, const void *b)
{
	const struct net_lease *x = a, *y = b;
	/* a DHCPv6 lease whose DUID holds no MAC has none: "" sorts it first */
	const char *mx = json_is_string(x->mac) ? json_string_value(x->mac) : "";
	const char *my = json_is_string(y->mac) ? json_string_value(y->mac) : "";
	int c = strcasecmp(mx, my);

	if (c)
		return c;
	return x->index < y->index ? -1 : x->index > y->index;
}

static int net_print_lease(struct print_table *t, const struct net_lease *l)
{
	time_t when = (time_t)json_integer_value(l->expiry);
	char expiry[64] = "infinite";
	struct tm tm;

	if (when && (!localtime_r(&when, &tm) ||
		     !strftime(expiry, sizeof(expiry), "%Y-%m-%d %H:%M:%S", &tm)))
		snprintf(expiry, sizeof(expiry), "%" JSON_INTEGER_FORMAT,
			 json_integer_value(l->expiry));
	if (print_table_row(t) || print_table_set(t, 0, "%s", expiry) ||
	    print_table_set(t, 1, "%s", print_or_dash(l->mac)) ||
	    print_table_set(t, 2, "%s", json_string_value(l->protocol)) ||
	    print_table_set(t, 3, "%s/%" JSON_INTEGER_FORMAT, json_string_value(l->address),
			    json_integer_value(l->prefix)) ||
	    print_table_set(t, 4, "%s", print_or_dash(l->hostname)) ||
	    print_table_set(t, 5, "%s", print_or_dash(l->client_id)))
		return -ENOMEM;
	return 0;
}

static int net_print_lease_rows(struct print_table *t, const json_t *leases)
{
	size_t n = json_array_size(leases), i;
	struct net_lease *l;
	char ctx[64];
	int ret = 0;

	l = calloc(n ? n : 1, sizeof(*l));
	if (!l)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		const json_t *e = print_need_elem(leases, i, "leases", ctx, sizeof(ctx));

		if (!e || !(l[i].expiry = print_need(e, ctx, "expiry", PRINT_INT)) ||
		    !(l[i].mac = print_need(e, ctx, "mac", PRINT_STRING_OR_NULL)) ||
		    !(l[i].protocol = print_need(e, ctx, "protocol", PRINT_STRING)) ||
		    !(l[i].address = print_need(e, ctx, "address", PRINT_STRING)) ||
		    !(l[i].prefix = print_need(e, ctx, "prefix", PRINT_INT)) ||
		    !(l[i].hostname = print_need(e, ctx, "hostname", PRINT_STRING_OR_NULL)) ||
		    !(l[i].client_id = print_need(e, ctx, "client_id", PRINT_STRING_OR_NULL))) {
			ret = -EBADMSG;
			goto out_free;
		}
		l[i].index = i;
	}
	qsort(l, n, sizeof(*l), net_lease_cmp);
	for (i = 0; i < n && !ret; i++)
		ret = net_print_lease(t, &l[i]);
out_free:
	free(l);
	return ret;
}

/*
 * net.dhcp_leases' result as virsh net-dhcp-leases: Expiry Time (local time; "infinite" for
 * 0), MAC address, Protocol, IP address (address/prefix), Hostname, Client ID or DUID ("-"
 * for null), sorted by MAC address
 */
static int net_print_leases(const json_t *result)
{
	static const char *const head[] = { "Expiry Time", "MAC address", "Protocol",
					    "IP address",  "Hostname",	  "Client ID or DUID" };

	return print_list_virsh(result, "leases", head, 6, net_print_lease_rows);
}

/* @params' "network" as given on the command line */
static const char *net_arg(const json_t *params)
{
	return json_string_value(json_object_get(params, "network"));
}

/*
 * Call @method with the file's XML, print "Network NAME @verb from FILE" (virsh's words) or,
 * with --json, the result
 */
static int net_from_file(struct kvnet *k, json_t *params, const char *method, const char *verb)
{
	const json_t *name;
	json_t *result;
	int ret;

	ret = kvnet_call_xml(k, method, params, &result);
	if (ret)
		return ret;
	ret = KVNET_EXIT_OK;
	if (k->json) {
		print_json(result);
	} else if (!json_is_string(name = json_object_get(result, "name"))) {
		kvnet_err("bad answer from kvnetd: \"name\" is missing or not a string");
		ret = KVNET_EXIT_ERROR;
	} else {
		printf("Network %s %s from %s\n", json_string_value(name), verb,
		       json_string_value(json_object_get(params, "file")));
	}
	json_decref(result);
	return ret;
}

static int net_define(struct kvnet *k, json_t *params)
{
	return net_from_file(k, params, "net.define", "defined");
}

static int net_create(struct kvnet *k, json_t *params)
{
	return net_from_file(k, params, "net.create", "created");
}

/* call @method on the network; print "Network NET @done" or, with --json, the result */
static int net_simple(struct kvnet *k, json_t *params, const char *method, const char *done)
{
	json_t *result;
	int ret;

	ret = kvnet_call(k, method, json_incref(params), &result);
	if (ret)
		return ret;
	if (k->json)
		print_json(result);
	else
		printf("Network %s %s\n", net_arg(params), done);
	json_decref(result);
	return KVNET_EXIT_OK;
}

static int net_undefine(struct kvnet *k, json_t *params)
{
	return net_simple(k, params, "net.undefine", "has been undefined");
}

static int net_start(struct kvnet *k, json_t *params)
{
	return net_simple(k, params, "net.start", "started");
}

static int net_destroy(struct kvnet *k, json_t *params)
{
	return net_simple(k, params, "net.destroy", "destroyed");
}

static int net_autostart(struct kvnet *k, json_t *params)
{
	bool enable = !json_is_true(json_object_get(params, "disable"));

	json_object_del(params, "disable");
	if (json_object_set_new(params, "enable", json_boolean(enable))) {
		kvnet_err("out of memory");
		return KVNET_EXIT_ERROR;
	}
	return net_simple(k, params, "net.autostart",
			  enable ? "marked as autostarted" : "unmarked as autostarted");
}

/* does @net pass net-list's filters: virsh's --all/--inactive, --autostart, --persistent */
static bool net_list_match(const json_t *params, const json_t *net)
{
	bool active = json_is_true(json_object_get(net, "active"));
	bool autostart = json_is_true(json_object_get(net, "autostart"));
	bool persistent = json_is_true(json_object_get(net, "persistent"));
	bool want_active = !json_is_true(json_object_get(params, "inactive"));
	bool want_inactive = json_is_true(json_object_get(params, "inactive"));

	if (json_is_true(json_object_get(params, "all")))
		want_active = want_inactive = true;
	if (!(active ? want_active : want_inactive))
		return false;
	/* both of a pair, or neither, lets every network through, as in virsh */
	if (json_is_true(json_object_get(params, "autostart")) !=
	    json_is_true(json_object_get(params, "no-autostart"))) {
		if (autostart != json_is_true(json_object_get(params, "autostart")))
			return false;
	}
	if (json_is_true(json_object_get(params, "persistent")) !=
	    json_is_true(json_object_get(params, "transient"))) {
		if (persistent != json_is_true(json_object_get(params, "persistent")))
			return false;
	}
	return true;
}

static int net_list(struct kvnet *k, json_t *params)
{
	json_t *result, *networks, *kept = NULL, *out = NULL;
	size_t i;
	int ret;

	ret = kvnet_call(k, "net.list", NULL, &result);
	if (ret)
		return ret;
	networks = json_object_get(result, "networks");
	if (!json_is_array(networks)) {
		kvnet_err("bad answer from kvnetd: \"networks\" is missing or not an array");
		ret = KVNET_EXIT_ERROR;
		goto put_result;
	}
	kept = json_array();
	out = json_object();
	if (!kept || !out)
		goto no_memory;
	for (i = 0; i < json_array_size(networks); i++) {
		json_t *n = json_array_get(networks, i);

		/* a malformed element is kept, for print_networks() to report */
		if (json_is_object(n) && !net_list_match(params, n))
			continue;
		if (json_array_append(kept, n))
			goto no_memory;
	}
	if (json_object_set(out, "networks", kept))
		goto no_memory;
	ret = print_result(k, out, net_print_list) ? KVNET_EXIT_ERROR : KVNET_EXIT_OK;
	goto put_result;
no_memory:
	kvnet_err("out of memory");
	ret = KVNET_EXIT_ERROR;
put_result:
	json_decref(kept);
	json_decref(out);
	json_decref(result);
	return ret;
}

/* net.info, then print one member of it: net-uuid and net-name */
static int net_info_member(struct kvnet *k, json_t *params, const char *key)
{
	const json_t *v;
	json_t *result;
	int ret;

	ret = kvnet_call(k, "net.info", json_incref(params), &result);
	if (ret)
		return ret;
	v = json_object_get(result, key);
	ret = KVNET_EXIT_OK;
	if (k->json) {
		print_json(result);
	} else if (!json_is_string(v)) {
		kvnet_err("bad answer from kvnetd: \"%s\" is missing or not a string", key);
		ret = KVNET_EXIT_ERROR;
	} else {
		printf("%s\n", json_string_value(v));
	}
	json_decref(result);
	return ret;
}

static int net_uuid(struct kvnet *k, json_t *params)
{
	return net_info_member(k, params, "uuid");
}

static int net_name(struct kvnet *k, json_t *params)
{
	return net_info_member(k, params, "name");
}

/* --current is the default, and names neither of the others, as in virsh */
static int net_update_check(const json_t *params)
{
	if (json_is_true(json_object_get(params, "current")) &&
	    (json_is_true(json_object_get(params, "live")) ||
	     json_is_true(json_object_get(params, "config")))) {
		kvnet_err("net-update: --current cannot be combined with --live or --config");
		return -EINVAL;
	}
	return 0;
}

/*
 * Without --live or --config the daemon updates the live definition of a running network
 * and the persistent one of an inactive network; ask which, for the message. Return: an
 * exit status; *@active and a new reference to the network's name in *@name on success
 */
static int net_update_target(struct kvnet *k, json_t *params, bool *active, json_t **name)
{
	json_t *call, *result, *n;
	int ret;

	call = json_pack("{sO}", "network", json_object_get(params, "network"));
	if (!call) {
		kvnet_err("out of memory");
		return KVNET_EXIT_ERROR;
	}
	ret = kvnet_call(k, "net.info", call, &result);
	if (ret)
		return ret;
	n = json_object_get(result, "name");
	if (!json_is_string(n) || !json_is_boolean(json_object_get(result, "active"))) {
		kvnet_err("bad answer from kvnetd: \"name\" or \"active\" is missing or of the "
			  "wrong type");
		json_decref(result);
		return KVNET_EXIT_ERROR;
	}
	*active = json_is_true(json_object_get(result, "active"));
	*name = json_incref(n);
	json_decref(result);
	return KVNET_EXIT_OK;
}

static int net_update(struct kvnet *k, json_t *params)
{
	bool live = json_is_true(json_object_get(params, "live"));
	bool config = json_is_true(json_object_get(params, "config"));
	const char *xml = json_string_value(json_object_get(params, "xml"));
	json_t *call, *result, *name = NULL, *text = NULL;
	bool active = false;
	int ret;

	/* as virsh: an argument that does not start with '<' names a file */
	if (xml[0] != '<') {
		ret = kvnet_read_xml(xml, &text);
		if (ret)
			return ret;
	}
	if (!live && !config && !k->json) {
		ret = net_update_target(k, params, &active, &name);
		if (ret)
			goto put_text;
	}
	call = json_pack("{sOsOsOsOsbsb}", "network", json_object_get(params, "network"), "command",
			 json_object_get(params, "command"), "section",
			 json_object_get(params, "section"), "xml",
			 text ? text : json_object_get(params, "xml"), "live", live, "config",
			 config);
	if (!call ||
	    (json_object_get(params, "parent_index") &&
	     json_object_set(call, "parent_index", json_object_get(params, "parent_index")))) {
		json_decref(call);
		kvnet_err("out of memory");
		ret = KVNET_EXIT_ERROR;
		goto put_name;
	}
	ret = kvnet_call(k, "net.update", call, &result);
	if (ret)
		goto put_name;
	if (k->json)
		print_json(result);
	else
		printf("Updated network %s %s\n", name ? json_string_value(name) : net_arg(params),
		       config && live		  ? "persistent config and live state"
		       : config			  ? "persistent config"
		       : live || (name && active) ? "live state"
						  : "persistent config");
	json_decref(result);
put_name:
	json_decref(name);
put_text:
	json_decref(text);
	return ret;
}

const struct kvnet_cmd net_cmds[] = {
	{
		.name = "net-define",
		.args = "FILE",
		.help = "Define a persistent network from libvirt network XML in FILE (read by\n"
			"kvnet), or replace the definition a network of that name takes at its\n"
			"next start. Without <uuid> a new network gets one; without <bridge name>\n"
			"it gets virbrN. Prints \"Network NAME defined from FILE\".\n",
		.spec = net_file_args,
		.act = net_define,
	},
	{
		.name = "net-create",
		.args = "FILE",
		.help = "Create and start a transient network from the XML in FILE: it is gone\n"
			"once destroyed. Prints \"Network NAME created from FILE\".\n",
		.spec = net_file_args,
		.act = net_create,
	},
	{
		.name = "net-undefine",
		.args = "NET",
		.help = "Remove network NET's stored definition (and its autostart mark). A\n"
			"running network keeps running, as a transient one. NET is a name or a\n"
			"UUID.\n",
		.spec = net_name_args,
		.act = net_undefine,
	},
	{
		.name = "net-start",
		.args = "NET",
		.help = "Start the inactive network NET: its switch is created, named after its\n"
			"<bridge name>.\n",
		.spec = net_name_args,
		.act = net_start,
	},
	{
		.name = "net-destroy",
		.args = "NET",
		.help = "Stop network NET: its switch and every port on it are removed. A\n"
			"transient network is gone afterwards.\n",
		.spec = net_name_args,
		.act = net_destroy,
	},
	{
		.name = "net-autostart",
		.args = "NET [--disable]",
		.help = "Start persistent network NET whenever kvnetd starts; --disable undoes "
			"it.\n",
		.spec = net_autostart_args,
		.act = net_autostart,
	},
	{
		.name = "net-list",
		.args = "[--all] [--inactive] [--autostart] [--no-autostart] [--persistent] "
			"[--transient]",
		.help = "List the active networks, as virsh net-list does: Name, State,\n"
			"Autostart, Persistent.\n"
			"  --all           inactive networks too\n"
			"  --inactive      only inactive networks\n"
			"  --autostart     only those marked autostart (--no-autostart: not "
			"marked)\n"
			"  --persistent    only defined networks (--transient: only those made by\n"
			"                  net-create or undefined while running)\n"
			"With --json, kvnetd's net.list result holding only the networks listed.\n",
		.spec = net_list_args,
		.act = net_list,
	},
	{
		.name = "net-info",
		.args = "NET",
		.help = "Show network NET: Name, UUID, Active, Persistent, Autostart, Bridge.\n",
		.method = "net.info",
		.spec = net_name_args,
		.print = net_print_info,
	},
	{
		.name = "net-dumpxml",
		.args = "NET [--inactive]",
		.help = "Print network NET's XML as it runs, or with --inactive the definition\n"
			"it takes at its next start.\n",
		.method = "net.dumpxml",
		.spec = net_dumpxml_args,
		.print = print_xml,
	},
	{
		.name = "net-uuid",
		.args = "NET",
		.help = "Print network NET's UUID.\n",
		.spec = net_name_args,
		.act = net_uuid,
	},
	{
		.name = "net-name",
		.args = "UUID",
		.help = "Print the name of the network whose UUID is UUID.\n",
		.spec = net_uuid_args,
		.act = net_name,
	},
	{
		.name = "net-update",
		.args = "NET COMMAND SECTION XML [--parent-index N] [--live] [--config] "
			"[--current]",
		.help = "Change one element of network NET, as virsh net-update does. COMMAND is\n"
			"add (add-last), add-first, modify or delete; SECTION says which element:\n"
			"ip-dhcp-host (<host>), ip-dhcp-range (<range>), forward-interface\n"
			"(<interface dev>), portgroup, dns-host (<host>), dns-txt (<txt>) or\n"
			"dns-srv (<srv>). XML is the element itself when it starts with '<',\n"
			"else a file holding it (read by kvnet).\n"
			"  --parent-index N  for the DHCP sections, the <ip> to change, counting\n"
			"                    from 0 (default: the first with DHCP, else the first\n"
			"                    IPv4 one)\n"
			"  --live            change the running network (DHCP takes it at once)\n"
			"  --config          change the persistent definition\n"
			"  --current         the default: the running network if it runs, else "
			"the\n"
			"                    persistent definition\n",
		.spec = net_update_args,
		.check = net_update_check,
		.act = net_update,
	},
	{
		.name = "net-dhcp-leases",
		.args = "NET [--mac MAC]",
		.help = "List the DHCP leases network NET's dnsmasq has handed out, as virsh\n"
			"does: Expiry Time (local time), MAC address, Protocol, IP address,\n"
			"Hostname and Client ID or DUID (\"-\" when the client gave none). --mac\n"
			"lists only the leases of that MAC address.\n",
		.method = "net.dhcp_leases",
		.spec = net_dhcp_leases_args,
		.print = net_print_leases,
	},
	{ 0 },
};
