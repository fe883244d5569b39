/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mirror.c - kvnet mirror add|del|list: port mirroring (SPAN) to an output port */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/kvnet.h"
#include "cli/parse.h"
#include "cli/print.h"
#include "ctl/vocab.h"

static const struct parse_arg mirror_add_args[] = {
	{ .key = "bridge", .kind = PARSE_NAME, .what = "bridge name", .required = true },
	{ .key = "name", .kind = PARSE_NAME, .what = "mirror name", .required = true },
	{ .word = "src",
	  .key = "src",
	  .kind = PARSE_STRING,
	  .what = "source ports",
	  .required = true },
	{ .word = "dst", .key = "dst", .kind = PARSE_NAME, .what = "output port", .required = true },
	{ .word = "vlan", .key = "vlans", .kind = PARSE_STRING, .what = "VLANs" },
	{ 0 },
};

static const struct parse_arg mirror_del_args[] = {
	{ .key = "bridge", .kind = PARSE_NAME, .what = "bridge name", .required = true },
	{ .key = "name", .kind = PARSE_NAME, .what = "mirror name", .required = true },
	{ 0 },
};

static const struct parse_arg mirror_list_args[] = {
	{ .key = "bridge", .kind = PARSE_NAME, .what = "bridge name" },
	{ 0 },
};

/* one port name into @list. Return: 0, or -EINVAL after saying why */
static int mirror_port_item(json_t *list, const char *w)
{
	if (!ctl_name_valid(w)) {
		kvnet_err("mirror add: src '%s' is not a port name (expected PORT[,PORT...])", w);
		return -EINVAL;
	}
	return json_array_append_new(list, json_string(w)) ? -ENOMEM : 0;
}

/* a VID or a range N-M of them into @list. Return: 0, or -EINVAL after saying why */
static int mirror_vid_item(json_t *list, const char *w)
{
	char *end;
	long a = strtol(w, &end, 10), b = a;

	if (end != w && *end == '-')
		b = strtol(end + 1, &end, 10);
	if (!*w || *end || a < CTL_VID_MIN || b > CTL_VID_MAX || b < a ||
	    b - a >= CTL_MIRROR_VLANS_MAX) {
		kvnet_err("mirror add: vlan '%s' is not a VID or a range of them "
			  "(expected " CTL_VID_RANGE ", like 10,20-22)",
			  w);
		return -EINVAL;
	}
	for (long v = a; v <= b; v++)
		json_array_append_new(list, json_integer(v));
	return 0;
}

/*
 * "a,b,c" into a list, each word by @item ("10,20-22" into [10,20,21,22]).
 * Return: the list (at least one member), or NULL after saying why
 */
static json_t *mirror_split(const char *s, const char *what,
			    int (*item)(json_t *list, const char *w))
{
	json_t *list = json_array();
	char *copy = strdup(s), *save = NULL;
	int ret = copy ? 0 : -ENOMEM;

	for (char *w = copy ? strtok_r(copy, ",", &save) : NULL; w && !ret;
	     w = strtok_r(NULL, ",", &save))
		ret = item(list, w);
	free(copy);
	if (!ret && !json_array_size(list)) {
		kvnet_err("mirror add: %s '%s' lists nothing", what, s);
		ret = -EINVAL;
	}
	if (ret == -ENOMEM)
		kvnet_err("out of memory");
	if (ret) {
		json_decref(list);
		return NULL;
	}
	return list;
}

static int mirror_add_act(struct kvnet *k, json_t *params)
{
	const char *vlans = json_string_value(json_object_get(params, "vlans"));
	json_t *src, *result;
	int ret;

	src = mirror_split(json_string_value(json_object_get(params, "src")), "src",
			   mirror_port_item);
	if (!src)
		return KVNET_EXIT_USAGE;
	json_object_set_new(params, "src", src);
	if (vlans) {
		json_t *v = mirror_split(vlans, "vlan", mirror_vid_item);

		if (!v)
			return KVNET_EXIT_USAGE;
		json_object_set_new(params, "vlans", v);
	}
	ret = kvnet_call(k, "mirror.add", json_incref(params), &result);
	if (ret)
		return ret;
	if (k->json)
		print_json(result);
	json_decref(result);
	return KVNET_EXIT_OK;
}

/* a JSON list of strings or numbers as "a,b" */
static int mirror_cell(struct print_table *t, size_t col, const json_t *list)
{
	char buf[512] = "";
	const json_t *v;
	size_t i, n = 0;

	json_array_foreach(list, i, v)
	{
		if (json_is_string(v))
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s", i ? "," : "",
					      json_string_value(v));
		else
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%" JSON_INTEGER_FORMAT,
					      i ? "," : "", json_integer_value(v));
		if (n >= sizeof(buf))
			break;
	}
	return print_table_set(t, col, "%s", i ? buf : "all");
}

static int mirror_rows(struct print_table *t, const json_t *list)
{
	const json_t *m;
	size_t i;

	json_array_foreach(list, i, m)
	{
		if (print_table_row(t) ||
		    print_table_set(t, 0, "%s", json_string_value(json_object_get(m, "bridge"))) ||
		    print_table_set(t, 1, "%s", json_string_value(json_object_get(m, "name"))) ||
		    mirror_cell(t, 2, json_object_get(m, "src")) ||
		    print_table_set(t, 3, "%s", json_string_value(json_object_get(m, "dst"))) ||
		    mirror_cell(t, 4, json_object_get(m, "vlans")) ||
		    print_table_number(t, 5, json_object_get(m, "tx_frames")) ||
		    print_table_number(t, 6, json_object_get(m, "tx_dropped")))
			return -ENOMEM;
	}
	return 0;
}

static int mirror_print(const json_t *result)
{
	static const char *const head[] = { "bridge", "mirror", "src",	  "dst",
					    "vlans",  "frames", "dropped" };

	return print_list(result, "mirrors", head, 7, mirror_rows);
}

const struct kvnet_cmd mirror_cmds[] = {
	{
		.name = "add",
		.args = "BRIDGE NAME src PORT[,PORT...] dst PORT [vlan VIDS]",
		.help = "Mirror (SPAN) the frames the src ports receive and send, as on their\n"
			"wire, out of port dst, as Open vSwitch's Mirror table does with\n"
			"select_src_port and select_dst_port. With vlan (10,20-22), only frames\n"
			"of those VLANs. The dst port is the mirror's alone while it lasts: the\n"
			"switch forwards nothing else to it and drops what it receives. A mirror\n"
			"is kept with its bridge across restarts, and goes with its dst port or\n"
			"its last src port.\n",
		.spec = mirror_add_args,
		.act = mirror_add_act,
	},
	{
		.name = "del",
		.args = "BRIDGE NAME",
		.help = "Remove a mirror; its dst port forwards again.\n",
		.method = "mirror.del",
		.spec = mirror_del_args,
		.print = print_done,
	},
	{
		.name = "list",
		.args = "[BRIDGE]",
		.help = "List the mirrors, of one bridge or all, with the copies each sent and\n"
			"those its dst port could not take.\n",
		.method = "mirror.list",
		.spec = mirror_list_args,
		.print = mirror_print,
	},
	{ 0 },
};
