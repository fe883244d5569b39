/* SPDX-License-Identifier: GPL-2.0-or-later */
/* monitor.c - kvnet monitor: kvnetd's events as they happen (events.subscribe) */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/kvnet.h"
#include "ctl/client.h"

static const char *const monitor_classes[] = { "bridge", "port", "network", "stp", "fdb", NULL };

static const char *monitor_str(const json_t *params, const char *key)
{
	const char *s = json_string_value(json_object_get(params, key));

	return s ? s : "?";
}

/* one event as a line of text, in `bridge monitor`'s spirit */
static void monitor_print(const json_t *p)
{
	const char *ev = monitor_str(p, "event");
	const char *dot = strchr(ev, '.'), *what = dot ? dot + 1 : ev;

	if (!strncmp(ev, "bridge.", 7))
		printf("bridge %s %s\n", monitor_str(p, "bridge"), what);
	else if (!strcmp(ev, "port.added") || !strcmp(ev, "port.removed"))
		printf("port %s %s %s bridge %s\n", monitor_str(p, "port"), what,
		       !strcmp(what, "added") ? "to" : "from", monitor_str(p, "bridge"));
	else if (!strncmp(ev, "port.", 5))
		printf("port %s (bridge %s) link %s\n", monitor_str(p, "port"),
		       monitor_str(p, "bridge"), what);
	else if (!strncmp(ev, "network.", 8) && json_object_get(p, "bridge"))
		printf("network %s %s on bridge %s\n", monitor_str(p, "network"), what,
		       monitor_str(p, "bridge"));
	else if (!strncmp(ev, "network.", 8))
		printf("network %s %s\n", monitor_str(p, "network"), what);
	else if (!strcmp(ev, "stp.state"))
		printf("stp port %s (bridge %s) %s, role %s\n", monitor_str(p, "port"),
		       monitor_str(p, "bridge"), monitor_str(p, "state"), monitor_str(p, "role"));
	else if (!strncmp(ev, "fdb.", 4))
		printf("fdb %s vlan %" JSON_INTEGER_FORMAT " %s port %s (bridge %s)\n",
		       monitor_str(p, "mac"), json_integer_value(json_object_get(p, "vid")),
		       !strcmp(what, "aged")	? "aged out of"
		       : !strcmp(what, "moved") ? "moved to"
						: "learned on",
		       monitor_str(p, "port"), monitor_str(p, "bridge"));
	else if (!strcmp(ev, "events.lost"))
		printf("%" JSON_INTEGER_FORMAT " events lost (kvnet monitor read too slowly)\n",
		       json_integer_value(json_object_get(p, "count")));
	else
		printf("%s\n", ev);
}

static int monitor_run(struct kvnet *k, int argc, char **argv)
{
	struct ctl_client_error err;
	json_t *filter = json_array(), *result, *msg;
	int ret;

	for (int i = 0; i < argc; i++) {
		size_t c;

		for (c = 0; monitor_classes[c]; c++)
			if (!strcmp(argv[i], monitor_classes[c]))
				break;
		if (!monitor_classes[c]) {
			kvnet_err(
				"'%s' is not something to monitor (expected bridge, port, network, "
				"stp or fdb)",
				argv[i]);
			json_decref(filter);
			return KVNET_EXIT_USAGE;
		}
		json_array_append_new(filter, json_string(argv[i]));
	}
	ret = kvnet_call(k, "events.subscribe", json_pack("{s:o}", "filter", filter), &result);
	if (ret)
		return ret;
	json_decref(result);
	/* line by line, as they come: a pipe must not hold them back */
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (;;) {
		const json_t *params;

		ret = ctl_client_next_notification(k->client, &msg, &err);
		if (ret) {
			kvnet_err("%s", err.message);
			return KVNET_EXIT_ERROR;
		}
		params = json_object_get(msg, "params");
		if (k->json) {
			char *line = json_dumps(params, JSON_COMPACT);

			if (line)
				printf("%s\n", line);
			free(line);
		} else {
			monitor_print(params);
		}
		json_decref(msg);
	}
}

const struct kvnet_cmd monitor_cmds[] = {
	{
		.name = "monitor",
		.args = "[bridge] [port] [network] [stp] [fdb]",
		.help = "Print kvnetd's events as they happen, until interrupted: bridges\n"
			"added and removed; ports added and removed, their link up and down;\n"
			"networks defined, started, stopped, undefined; STP port state changes\n"
			"(with the port's role); with fdb, addresses learned, moved and aged out.\n"
			"Without arguments, all but fdb. With --json, one JSON object per line.\n"
			"A monitor that reads too slowly is told how many events it lost.\n",
		.run = monitor_run,
	},
	{ 0 },
};
