/* SPDX-License-Identifier: GPL-2.0-or-later */
/* net.c - kvnet net-define|net-create|net-undefine|net-start|net-destroy|net-autostart|
 * net-list|net-info|net-dumpxml|net-uuid|net-name: libvirt networks, as virsh names them */

#include <stdio.h>
#include <string.h>

#include "cli/kvnet.h"
#include "cli/parse.h"
#include "cli/print.h"

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
	ret = print_networks(out, k->json) ? KVNET_EXIT_ERROR : KVNET_EXIT_OK;
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
		.print = print_net_info,
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
	{ 0 },
};
