/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mdb.c - kvnet mdb show: the groups IGMP/MLD snooping learned, and the router ports */

#include <errno.h>
#include <stddef.h>
#include <stdio.h>

#include "cli/kvnet.h"
#include "cli/parse.h"
#include "cli/print.h"

static const struct parse_arg mdb_show_args[] = {
	{ .key = "bridge", .kind = PARSE_NAME, .what = "bridge name" },
	{ 0 },
};

static int mdb_print_rows(struct print_table *t, const json_t *entries)
{
	const json_t *e, *br, *port, *vid, *group, *timer;
	char ctx[64];

	for (size_t i = 0; i < json_array_size(entries); i++) {
		e = print_need_elem(entries, i, "entries", ctx, sizeof(ctx));
		if (!e || !(br = print_need(e, ctx, "bridge", PRINT_STRING)) ||
		    !(vid = print_need(e, ctx, "vid", PRINT_INT)) ||
		    !(group = print_need(e, ctx, "group", PRINT_STRING)) ||
		    !(timer = print_need(e, ctx, "timer", PRINT_NUMBER)))
			return -EBADMSG;
		port = json_object_get(e, "port");
		if (print_table_row(t) || print_table_set(t, 0, "%s", json_string_value(br)) ||
		    print_table_set(t, 1, "%s",
				    json_is_string(port) ? json_string_value(port) : "-") ||
		    print_table_number(t, 2, vid) ||
		    print_table_set(t, 3, "%s", json_string_value(group)) ||
		    print_table_set(t, 4, "%.1f", json_number_value(timer)))
			return -ENOMEM;
	}
	return 0;
}

static int mdb_print_routers(struct print_table *t, const json_t *routers)
{
	const json_t *e, *br, *port, *mode, *timer;
	char ctx[64];

	for (size_t i = 0; i < json_array_size(routers); i++) {
		e = print_need_elem(routers, i, "routers", ctx, sizeof(ctx));
		if (!e || !(br = print_need(e, ctx, "bridge", PRINT_STRING)) ||
		    !(port = print_need(e, ctx, "port", PRINT_STRING)) ||
		    !(mode = print_need(e, ctx, "mode", PRINT_STRING)))
			return -EBADMSG;
		timer = json_object_get(e, "timer");
		if (print_table_row(t) || print_table_set(t, 0, "%s", json_string_value(br)) ||
		    print_table_set(t, 1, "%s", json_string_value(port)) ||
		    print_table_set(t, 2, "%s", json_string_value(mode)) ||
		    (json_is_number(timer) ? print_table_set(t, 3, "%.1f", json_number_value(timer))
					   : print_table_set(t, 3, "-")))
			return -ENOMEM;
	}
	return 0;
}

/* mdb.list's result: the memberships, then the router ports if there are any */
static int mdb_print(const json_t *result)
{
	static const char *const head[] = { "bridge", "port", "vlan", "group", "timer" };
	static const char *const rhead[] = { "bridge", "router port", "mode", "timer" };
	int ret = print_list(result, "entries", head, 5, mdb_print_rows);

	if (ret || !json_array_size(json_object_get(result, "routers")))
		return ret;
	putchar('\n');
	return print_list(result, "routers", rhead, 4, mdb_print_routers);
}

/* entries asked for at a time, as fdb show does */
#define MDB_PAGE 4096

static int mdb_show(struct kvnet *k, json_t *params)
{
	json_t *result;
	int ret = kvnet_call_paged(k, "mdb.list", params, MDB_PAGE, &result);

	if (ret)
		return ret;
	ret = print_result(k, result, mdb_print);
	json_decref(result);
	if (ret == -ENOMEM)
		kvnet_err("out of memory");
	return ret ? KVNET_EXIT_ERROR : KVNET_EXIT_OK;
}

const struct kvnet_cmd mdb_cmds[] = {
	{
		.name = "show",
		.args = "[BRIDGE]",
		.help = "Show the multicast groups IGMP/MLD snooping learned on every bridge, or\n"
			"on BRIDGE: port, VLAN (0 without filtering), group, and the seconds\n"
			"before the membership runs out unless a report refreshes it; then the\n"
			"multicast router ports (mode auto: learned from a query, with the\n"
			"seconds it stays one; on: set by hand).\n",
		.method = "mdb.list",
		.spec = mdb_show_args,
		.print = mdb_print,
		.act = mdb_show,
	},
	{ 0 },
};
