/* SPDX-License-Identifier: GPL-2.0-or-later */
/* stats.c - kvnet stats show */

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "cli/kvnet.h"
#include "cli/parse.h"
#include "cli/print.h"

static const struct parse_arg stats_show_args[] = {
	{ .key = "bridge", .kind = PARSE_NAME, .what = "bridge name" },
	{ .word = "port", .key = "port", .kind = PARSE_NAME, .what = "port name" },
	{ 0 },
};

static int stats_print_bridge(const json_t *br, const char *ctx, bool out, bool *first)
{
	const json_t *name, *fdb, *mdb;
	struct print_block b;
	int ret;

	if (!(name = print_need(br, ctx, "name", PRINT_STRING)) ||
	    !(fdb = print_need(br, ctx, "fdb", PRINT_OBJECT)))
		return -EBADMSG;
	print_block_init(&b);
	ret = print_block_counters(&b, fdb, "fdb", ctx, "fdb");
	/* IGMP/MLD snooping's counters, from a kvnetd that has them */
	mdb = json_object_get(br, "mdb");
	if (!ret && json_is_object(mdb))
		ret = print_block_counters(&b, mdb, "mdb", ctx, "mdb");
	if (!ret && out) {
		if (!*first)
			putchar('\n');
		*first = false;
		printf("bridge %s\n", json_string_value(name));
		print_block_out(&b);
	}
	print_block_free(&b);
	return ret;
}

static int stats_print_port(const json_t *p, const char *ctx, bool out, bool *first)
{
	static const char *const counters[] = { "rx_frames",	     "rx_bytes",   "tx_frames",
						"tx_bytes",	     "rx_control", "fdb_evicted",
						"mcast_group_limit", "rx_errors",  "tx_errors" };
	const json_t *name, *bridge, *drops, *v;
	struct print_block b;
	size_t i;
	int ret = -EBADMSG;

	if (!(name = print_need(p, ctx, "name", PRINT_STRING)) ||
	    !(bridge = print_need(p, ctx, "bridge", PRINT_STRING)) ||
	    !(drops = print_need(p, ctx, "drops", PRINT_OBJECT)))
		return -EBADMSG;
	print_block_init(&b);
	for (i = 0; i < sizeof(counters) / sizeof(counters[0]); i++) {
		v = print_need(p, ctx, counters[i], PRINT_INT);
		if (!v)
			goto free_block;
		ret = print_block_add(&b, json_integer_value(v), "%s", counters[i]);
		if (ret)
			goto free_block;
	}
	ret = print_block_counters(&b, drops, "drop", ctx, "drops");
	/* a VXLAN port's own drop causes */
	v = json_object_get(p, "vxlan_drops");
	if (!ret && v)
		ret = print_block_counters(&b, v, "vxlan drop", ctx, "vxlan_drops");
	if (ret || !out)
		goto free_block;
	if (!*first)
		putchar('\n');
	*first = false;
	printf("port %s (bridge %s)\n", json_string_value(name), json_string_value(bridge));
	print_block_out(&b);
free_block:
	print_block_free(&b);
	return ret;
}

/* one pass over the answer: checks it all, and prints it with @out */
static int stats_print_pass(const json_t *bridges, const json_t *ports, bool out)
{
	bool first = true;
	char ctx[64];
	size_t i;
	int ret;

	for (i = 0; i < json_array_size(bridges); i++) {
		const json_t *br = print_need_elem(bridges, i, "bridges", ctx, sizeof(ctx));

		if (!br)
			return -EBADMSG;
		ret = stats_print_bridge(br, ctx, out, &first);
		if (ret)
			return ret;
	}
	for (i = 0; i < json_array_size(ports); i++) {
		const json_t *p = print_need_elem(ports, i, "ports", ctx, sizeof(ctx));

		if (!p)
			return -EBADMSG;
		ret = stats_print_port(p, ctx, out, &first);
		if (ret)
			return ret;
	}
	return 0;
}

/* stats.show's result: a block per bridge, then a block per port */
static int stats_print(const json_t *result)
{
	const json_t *bridges, *ports;
	int ret;

	if (!(bridges = print_need(result, "", "bridges", PRINT_ARRAY)) ||
	    !(ports = print_need(result, "", "ports", PRINT_ARRAY)))
		return -EBADMSG;
	/* check everything before printing anything */
	ret = stats_print_pass(bridges, ports, false);
	if (!ret)
		ret = stats_print_pass(bridges, ports, true);
	return ret;
}

const struct kvnet_cmd stats_cmds[] = {
	{
		.name = "show",
		.args = "[BRIDGE] [port PORT]",
		.help = "Show the counters of every bridge and port, or of BRIDGE and its ports,\n"
			"or of PORT: a block per bridge with its FDB counters, a block per port\n"
			"with frames and bytes received and sent, control frames, its FDB\n"
			"entries evicted at a limit, errors, and every drop cause with its "
			"count.\n",
		.method = "stats.show",
		.spec = stats_show_args,
		.print = stats_print,
	},
	{ 0 },
};
