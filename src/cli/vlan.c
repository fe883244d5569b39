/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vlan.c - kvnet vlan add|del|show */

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/kvnet.h"
#include "cli/parse.h"
#include "cli/print.h"
#include "ctl/vocab.h"

static const struct parse_arg vlan_add_args[] = {
	{ .key = "port", .kind = PARSE_NAME, .what = "port name", .required = true },
	{ .word = "vid", .key = "vid", .kind = PARSE_VID_RANGE, .what = "vid", .required = true },
	{ .word = "pvid", .key = "pvid", .kind = PARSE_FLAG, .what = "pvid" },
	{ .word = "untagged", .key = "untagged", .kind = PARSE_FLAG, .what = "untagged" },
	{ 0 },
};

static const struct parse_arg vlan_del_args[] = {
	{ .key = "port", .kind = PARSE_NAME, .what = "port name", .required = true },
	{ .word = "vid", .key = "vid", .kind = PARSE_VID_RANGE, .what = "vid", .required = true },
	{ 0 },
};

static const struct parse_arg vlan_show_args[] = {
	{ .key = "port", .kind = PARSE_NAME, .what = "port name" },
	{ 0 },
};

/* a port has one PVID: it cannot be each VID of a range */
static int vlan_add_check(const json_t *params)
{
	if (json_object_get(params, "pvid") && json_object_get(params, "vid_end")) {
		kvnet_err("pvid needs a single vid, not a range");
		return -EINVAL;
	}
	return 0;
}

static int vlan_member_cmp(const void *a, const void *b)
{
	const struct vlan_member *x = a, *y = b;

	return (x->vid > y->vid) - (x->vid < y->vid);
}

/* one port's VIDs, sorted, a run of consecutive VIDs with the same flags as N-M */
static int vlan_print_port(struct print_table *t, const char *port, json_int_t pvid,
			   const struct vlan_member *v, size_t n)
{
	size_t i = 0, j;

	if (print_table_row(t) || print_table_set(t, 0, "%s", port))
		return -ENOMEM;
	if (!n)
		return print_table_set(t, 1, "None");
	while (i < n) {
		bool is_pvid = v[i].vid == pvid;

		for (j = i; !is_pvid && j + 1 < n && v[j + 1].vid == v[j].vid + 1 &&
			    v[j + 1].untagged == v[i].untagged && v[j + 1].vid != pvid;
		     j++)
			;
		if (i && print_table_row(t))
			return -ENOMEM;
		if (j > i ? print_table_set(t, 1,
					    "%" JSON_INTEGER_FORMAT "-%" JSON_INTEGER_FORMAT "%s",
					    v[i].vid, v[j].vid,
					    v[i].untagged ? " Egress Untagged" : "")
			  : print_table_set(t, 1, "%" JSON_INTEGER_FORMAT "%s%s", v[i].vid,
					    is_pvid ? " PVID" : "",
					    v[i].untagged ? " Egress Untagged" : ""))
			return -ENOMEM;
		i = j + 1;
	}
	return 0;
}

int vlan_need_members(const json_t *vlans, const char *ctx, struct vlan_member **out, size_t *count)
{
	const json_t *e, *vid, *untagged;
	char vctx[96], ectx[128];
	struct vlan_member *v;
	size_t j, n = json_array_size(vlans);

	v = calloc(n ? n : 1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	snprintf(vctx, sizeof(vctx), "%s.\"vlans\"", ctx);
	for (j = 0; j < n; j++) {
		e = print_need_elem(vlans, j, vctx, ectx, sizeof(ectx));
		if (!e || !(vid = print_need(e, ectx, "vid", PRINT_INT)) ||
		    !(untagged = print_need(e, ectx, "untagged", PRINT_BOOL))) {
			free(v);
			return -EBADMSG;
		}
		v[j].vid = json_integer_value(vid);
		v[j].untagged = json_is_true(untagged);
	}
	qsort(v, n, sizeof(*v), vlan_member_cmp);
	*out = v;
	*count = n;
	return 0;
}

static int vlan_print_rows(struct print_table *t, const json_t *ports)
{
	static const char *const what = "ports";
	const json_t *p, *name, *pvid, *vlans;
	struct vlan_member *v;
	char ctx[64];
	size_t i, n;
	int ret;

	for (i = 0; i < json_array_size(ports); i++) {
		p = print_need_elem(ports, i, what, ctx, sizeof(ctx));
		if (!p || !(name = print_need(p, ctx, "port", PRINT_STRING)) ||
		    !(pvid = print_need(p, ctx, "pvid", PRINT_INT_OR_NULL)) ||
		    !(vlans = print_need(p, ctx, "vlans", PRINT_ARRAY)))
			return -EBADMSG;
		ret = vlan_need_members(vlans, ctx, &v, &n);
		if (ret)
			return ret;
		/* no VID is 0: with no PVID nothing is marked */
		ret = vlan_print_port(t, json_string_value(name),
				      json_is_integer(pvid) ? json_integer_value(pvid) : 0, v, n);
		free(v);
		if (ret)
			return ret;
	}
	return 0;
}

/* vlan.list's result as bridge vlan show prints it, runs of VIDs as ranges */
static int vlan_print(const json_t *result)
{
	static const char *const head[] = { "port", "vlan-id" };

	return print_list(result, "ports", head, 2, vlan_print_rows);
}

const struct kvnet_cmd vlan_cmds[] = {
	{
		.name = "add",
		.args = "PORT vid N[-M] [pvid] [untagged]",
		.help = "Make PORT a member of VLAN N, or of N to M, as bridge vlan add does; an\n"
			"existing member's flags are replaced.\n"
			"  vid N[-M]  " CTL_VID_RANGE "\n"
			"  pvid       untagged frames received on PORT go to VLAN N (a single "
			"VID)\n"
			"  untagged   frames of the VLAN leave PORT untagged\n",
		.method = "vlan.add",
		.spec = vlan_add_args,
		.check = vlan_add_check,
		.print = print_done,
	},
	{
		.name = "del",
		.args = "PORT vid N[-M]",
		.help = "Remove PORT from VLAN N, or N to M; each must be a member. The port's\n"
			"learned addresses in those VLANs are flushed.\n",
		.method = "vlan.del",
		.spec = vlan_del_args,
		.print = print_done,
	},
	{
		.name = "show",
		.args = "[PORT]",
		.help = "Show the VLANs of every port, or of PORT, as bridge vlan show does: PVID\n"
			"and Egress Untagged mark a VID; runs of VIDs alike are shown as N-M.\n",
		.method = "vlan.list",
		.spec = vlan_show_args,
		.print = vlan_print,
	},
	{ 0 },
};
