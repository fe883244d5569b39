/* SPDX-License-Identifier: GPL-2.0-or-later */
/* firewall_tool.c - run services/firewall.c's calls from the command line, for the tests
 *
 *	firewall_tool init			firewall_init()
 *	firewall_tool add FILE IFNAME		firewall_network_add() of network XML FILE
 *	firewall_tool rules FILE IFNAME		print firewall_rules() (touches nothing)
 *	firewall_tool table			print firewall_table_script()
 *	firewall_tool del NAME			firewall_network_del()
 *	firewall_tool fini			firewall_fini()
 *
 * It acts on the network namespace it runs in: run it under `ip netns exec`.
 * Exit status 0 on success, 1 with the message on stderr on failure, 2 on bad usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/network_xml.h"
#include "services/firewall.h"

static int usage(void)
{
	fprintf(stderr, "usage: firewall_tool init | add FILE IFNAME | rules FILE IFNAME | table | "
			"del NAME | fini\n");
	return 2;
}

int main(int argc, char **argv)
{
	struct network_def *def = NULL;
	char err[1024] = "";
	char *rules = NULL;
	int rc;

	if (argc == 2 && !strcmp(argv[1], "init")) {
		rc = firewall_init(err, sizeof(err));
	} else if (argc == 2 && !strcmp(argv[1], "fini")) {
		firewall_fini();
		rc = 0;
	} else if (argc == 2 && !strcmp(argv[1], "table")) {
		fputs(firewall_table_script(), stdout);
		rc = 0;
	} else if (argc == 3 && !strcmp(argv[1], "del")) {
		rc = firewall_network_del(argv[2], err, sizeof(err));
	} else if (argc == 4 && (!strcmp(argv[1], "add") || !strcmp(argv[1], "rules"))) {
		rc = network_xml_parse_file(argv[2], &def, err, sizeof(err));
		if (!rc && !strcmp(argv[1], "add")) {
			rc = firewall_network_add(def, argv[3], err, sizeof(err));
		} else if (!rc) {
			rc = firewall_rules(def, argv[3], &rules);
			if (!rc)
				fputs(rules, stdout);
			else
				snprintf(err, sizeof(err), "firewall_rules: error %d", rc);
			free(rules);
		}
		network_def_free(def);
	} else {
		return usage();
	}
	if (rc) {
		fprintf(stderr, "firewall_tool: %s\n", err[0] ? err : "failed");
		return 1;
	}
	return 0;
}
