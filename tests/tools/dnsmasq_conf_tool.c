/* SPDX-License-Identifier: GPL-2.0-or-later */
/* dnsmasq_conf_tool.c - print the dnsmasq configuration kvnet writes for a network XML file */
/*
 * usage: dnsmasq_conf_tool [--files-dir DIR] [--pid-file F] [--lease-file F] FILE
 *
 * The configuration goes to stdout. With --files-dir, the hosts file (empty when there are
 * no static hosts) and the additional hosts file are also written into DIR under the names
 * the configuration gives them, so `dnsmasq --test` or a real dnsmasq finds them; without
 * it the paths name libvirt's /var/lib/libvirt/dnsmasq and nothing else is written. Exit
 * status: 0; 1 when the network is refused (message on stderr); 2 for a usage error or an
 * unreadable file. "needed: yes|no" goes to stderr.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/network_xml.h"
#include "services/dnsmasq_conf.h"

static int dnsmasq_conf_tool_write(const char *dir, const char *name, const char *suffix,
				   const char *text)
{
	char *path = dnsmasq_conf_file_path(dir, name, suffix);
	FILE *fp;
	int ret = 0;

	if (!path)
		return -ENOMEM;
	fp = fopen(path, "w");
	if (!fp || fputs(text, fp) == EOF)
		ret = -errno;
	if (fp && fclose(fp) && !ret)
		ret = -errno;
	if (ret)
		fprintf(stderr, "%s: %s\n", path, strerror(-ret));
	free(path);
	return ret;
}

int main(int argc, char **argv)
{
	struct dnsmasq_conf_opts o = { .files_dir = "/var/lib/libvirt/dnsmasq" };
	struct network_def *def = NULL;
	struct dnsmasq_conf c;
	const char *dir = NULL, *file = NULL;
	char err[1024] = "", header[512];
	bool usage = false;
	int i, ret;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--files-dir") && i + 1 < argc)
			dir = argv[++i];
		else if (!strcmp(argv[i], "--pid-file") && i + 1 < argc)
			o.pid_file = argv[++i];
		else if (!strcmp(argv[i], "--lease-file") && i + 1 < argc)
			o.lease_file = argv[++i];
		else if (argv[i][0] != '-' && !file)
			file = argv[i];
		else
			usage = true;
	}
	if (!file || usage) {
		fprintf(stderr,
			"usage: %s [--files-dir DIR] [--pid-file F] [--lease-file F] FILE\n",
			argv[0]);
		return 2;
	}
	if (dir)
		o.files_dir = dir;
	ret = network_xml_parse_file(file, &def, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "%s: %s\n", file, err[0] ? err : strerror(-ret));
		return ret == -EINVAL ? 1 : 2;
	}
	snprintf(header, sizeof(header),
		 "dnsmasq configuration written by kvnetd for network %s\n"
		 "change it with: kvnet net-edit %s",
		 def->name, def->name);
	o.header = header;
	ret = dnsmasq_conf_build(def, &o, &c, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "%s: %s\n", file, err[0] ? err : strerror(-ret));
		network_def_free(def);
		return 1;
	}
	if (dir &&
	    (dnsmasq_conf_tool_write(dir, def->name, "hostsfile", c.hostsfile ? c.hostsfile : "") ||
	     dnsmasq_conf_tool_write(dir, def->name, "addnhosts", c.addnhosts)))
		ret = 2;
	fputs(c.conf, stdout);
	fprintf(stderr, "needed: %s\n", c.needed ? "yes" : "no");
	dnsmasq_conf_free(&c);
	network_def_free(def);
	return ret;
}
