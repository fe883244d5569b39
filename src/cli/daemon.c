/* SPDX-License-Identifier: GPL-2.0-or-later */
/* daemon.c - kvnet version: the client's version and kvnetd's (daemon.ping) */

#include <stdio.h>

#include "cli/kvnet.h"
#include "cli/print.h"
#include "cli/version.h"

static int daemon_version(struct kvnet *k, int argc, char **argv)
{
	json_t *result;
	int ret;

	if (argc > 0) {
		kvnet_err("unexpected argument '%s' (usage: kvnet version)", argv[0]);
		return KVNET_EXIT_USAGE;
	}
	/* in JSON, only the method's result goes to stdout */
	if (!k->json)
		printf("kvnet %s\n", KVNET_VERSION);
	ret = kvnet_call(k, "daemon.ping", NULL, &result);
	if (ret)
		return ret;
	ret = print_result(k, result, print_version);
	json_decref(result);
	return ret ? KVNET_EXIT_ERROR : KVNET_EXIT_OK;
}

const struct kvnet_cmd daemon_cmds[] = {
	{
		.name = "version",
		.args = "",
		.help = "Print kvnet's version, then ask kvnetd for its own (daemon.ping): its\n"
			"version and process id. With --json, only kvnetd's answer.\n",
		.run = daemon_version,
	},
	{ 0 },
};
