/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fdb.c - kvnet fdb show|add|del|flush */

#include <errno.h>
#include <stddef.h>
#include <stdio.h>

#include "cli/kvnet.h"
#include "cli/parse.h"
#include "cli/print.h"
#include "ctl/vocab.h"

static const struct parse_arg fdb_show_args[] = {
	{ .key = "bridge", .kind = PARSE_NAME, .what = "bridge name", .required = true },
	{ .word = "port", .key = "port", .kind = PARSE_NAME, .what = "port name" },
	{ .word = "vlan", .key = "vid", .kind = PARSE_VID, .what = "vlan" },
	{ 0 },
};

static const struct parse_arg fdb_add_args[] = {
	{ .key = "mac", .kind = PARSE_MAC, .what = "MAC address", .required = true },
	{
		.word = "port",
		.key = "port",
		.kind = PARSE_NAME,
		.what = "port name",
		.required = true,
	},
	{ .word = "vlan", .key = "vid", .kind = PARSE_VID, .what = "vlan" },
	{ .word = "replace", .key = "replace", .kind = PARSE_FLAG, .what = "replace" },
	{ .word = "remote", .key = "remote", .kind = PARSE_STRING, .what = "remote address" },
	{ 0 },
};

static const struct parse_arg fdb_del_args[] = {
	{ .key = "mac", .kind = PARSE_MAC, .what = "MAC address", .required = true },
	{ .word = "bridge",
	  .key = "bridge",
	  .kind = PARSE_NAME,
	  .what = "bridge name",
	  .required = true },
	{ .word = "vlan", .key = "vid", .kind = PARSE_VID, .what = "vlan" },
	{ 0 },
};

static const struct parse_arg fdb_flush_args[] = {
	{ .key = "bridge", .kind = PARSE_NAME, .what = "bridge name", .required = true },
	{ .word = "port", .key = "port", .kind = PARSE_NAME, .what = "port name" },
	{ .word = "vlan", .key = "vid", .kind = PARSE_VID, .what = "vlan" },
	{ .word = "static", .key = "static", .kind = PARSE_FLAG, .what = "static" },
	{ 0 },
};

static int fdb_print_rows(struct print_table *t, const json_t *entries)
{
	static const char *const what = "entries";
	const json_t *e, *mac, *vid, *port, *is_static, *age, *remote;
	char ctx[64];
	size_t i;

	for (i = 0; i < json_array_size(entries); i++) {
		e = print_need_elem(entries, i, what, ctx, sizeof(ctx));
		if (!e || !(mac = print_need(e, ctx, "mac", PRINT_STRING)) ||
		    !(vid = print_need(e, ctx, "vid", PRINT_INT)) ||
		    !(port = print_need(e, ctx, "port", PRINT_STRING)) ||
		    !(is_static = print_need(e, ctx, "static", PRINT_BOOL)) ||
		    !(age = print_need(e, ctx, "age", PRINT_NUMBER)))
			return -EBADMSG;
		if (print_table_row(t) || print_table_set(t, 0, "%s", json_string_value(mac)) ||
		    print_table_number(t, 1, vid) ||
		    print_table_set(t, 2, "%s", json_string_value(port)) ||
		    print_table_set(t, 3, "%s", json_is_true(is_static) ? "static" : "dynamic") ||
		    print_table_set(t, 4, "%.1f", json_number_value(age)))
			return -ENOMEM;
		/* only entries behind a VXLAN port have one */
		remote = json_object_get(e, "remote");
		if (remote && !json_is_string(remote)) {
			kvnet_err("bad answer from kvnetd: %s.\"remote\" is not a string", ctx);
			return -EBADMSG;
		}
		if (print_table_set(t, 5, "%s", remote ? json_string_value(remote) : "-"))
			return -ENOMEM;
	}
	return 0;
}

/* fdb.list's result, one line per entry */
static int fdb_print(const json_t *result)
{
	static const char *const head[] = { "mac", "vlan", "port", "flags", "age", "remote" };

	return print_list(result, "entries", head, 6, fdb_print_rows);
}

/* fdb.flush's result: "flushed N entries" */
static int fdb_print_flushed(const json_t *result)
{
	const json_t *n;

	n = print_need(result, "", "flushed", PRINT_INT);
	if (!n)
		return -EBADMSG;
	printf("flushed %" JSON_INTEGER_FORMAT " %s\n", json_integer_value(n),
	       json_integer_value(n) == 1 ? "entry" : "entries");
	return 0;
}

/* entries asked for at a time: a page's answer stays well under the answer size limit */
#define FDB_PAGE 4096

/* fdb.list page by page, so that a table of any size is shown */
static int fdb_show(struct kvnet *k, json_t *params)
{
	json_t *result;
	int ret = kvnet_call_paged(k, "fdb.list", params, FDB_PAGE, &result);

	if (ret)
		return ret;
	ret = print_result(k, result, fdb_print);
	json_decref(result);
	if (ret == -ENOMEM)
		kvnet_err("out of memory");
	return ret ? KVNET_EXIT_ERROR : KVNET_EXIT_OK;
}

const struct kvnet_cmd fdb_cmds[] = {
	{
		.name = "show",
		.args = "BRIDGE [port PORT] [vlan VID]",
		.help = "Show the forwarding database of BRIDGE, or only the entries of PORT or\n"
			"of VLAN VID: address, VLAN (0 on a bridge without filtering), port,\n"
			"static or dynamic, seconds since it was learned, refreshed or added,\n"
			"and for a VXLAN port the remote endpoint the address is behind.\n",
		.method = "fdb.list",
		.spec = fdb_show_args,
		.print = fdb_print,
		.act = fdb_show,
	},
	{
		.name = "add",
		.args = "MAC port PORT [vlan VID] [replace] [remote ADDR]",
		.help = "Add a static entry: frames to MAC in VLAN VID go to PORT.\n"
			"  vlan VID  " CTL_VID_RANGE
			" (default: the port's PVID with filtering, else none)\n"
			"  replace   replace a static entry that exists\n"
			"  remote ADDR  on a VXLAN port: unicast to MAC goes to this one of its\n"
			"            remotes, whatever is learned\n",
		.method = "fdb.add",
		.spec = fdb_add_args,
		.print = print_done,
	},
	{
		.name = "del",
		.args = "MAC bridge BRIDGE [vlan VID]",
		.help = "Delete the entry for MAC in VLAN VID of BRIDGE.\n"
			"  vlan VID  " CTL_VID_RANGE
			" (default: the bridge's default PVID with filtering)\n",
		.method = "fdb.del",
		.spec = fdb_del_args,
		.print = print_done,
	},
	{
		.name = "flush",
		.args = "BRIDGE [port PORT] [vlan VID] [static]",
		.help = "Delete the learned entries of BRIDGE, or only those of PORT or of VLAN\n"
			"VID; with static, static entries go too. Prints how many went.\n",
		.method = "fdb.flush",
		.spec = fdb_flush_args,
		.print = fdb_print_flushed,
	},
	{ 0 },
};
