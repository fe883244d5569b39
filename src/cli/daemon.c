/* SPDX-License-Identifier: GPL-2.0-or-later */
/* daemon.c - kvnet version: the client's version and kvnetd's (daemon.ping) */

#include <errno.h>
#include <stdio.h>

#include "cli/kvnet.h"
#include "cli/print.h"
#include "cli/version.h"

/* daemon.ping's result: "kvnetd VERSION (pid PID)" */
static int daemon_print_version(const json_t *result)
{
	const json_t *version, *pid;

	version = print_need(result, "", "version", PRINT_STRING);
	pid = version ? print_need(result, "", "pid", PRINT_INT) : NULL;
	if (!pid)
		return -EBADMSG;
	printf("kvnetd %s (pid %" JSON_INTEGER_FORMAT ")\n", json_string_value(version),
	       json_integer_value(pid));
	return 0;
}

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
	ret = print_result(k, result, daemon_print_version);
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
