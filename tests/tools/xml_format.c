/* SPDX-License-Identifier: GPL-2.0-or-later */
/* xml_format.c - print the canonical form of a network, networkport or interface XML file */
/*
 * usage: xml_format FILE
 *
 * The document kind comes from its root element. On success the text kvnet's formatter
 * writes goes to stdout and the exit status is 0; on failure the parser's message goes to
 * stderr and the exit status is 1 (2 for a usage error or an unreadable file).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "conf/iface_xml.h"
#include "conf/netport_xml.h"
#include "conf/network_xml.h"
#include "util/file.h"

/* the root element's name, malloc'ed, or NULL when the file is not XML */
static char *xml_format_root(const char *buf, size_t len)
{
	xmlDocPtr doc = xmlReadMemory(buf, (int)len, NULL, NULL,
				      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	const xmlNode *root;
	char *name = NULL;

	if (!doc)
		return NULL;
	root = xmlDocGetRootElement(doc);
	if (root)
		name = strdup((const char *)root->name);
	xmlFreeDoc(doc);
	return name;
}

int main(int argc, char **argv)
{
	char err[1024] = "", *buf, *root, *out = NULL;
	size_t len;
	int ret;

	if (argc != 2) {
		fprintf(stderr, "usage: %s FILE\n", argv[0]);
		return 2;
	}
	ret = file_read(argv[1], NETWORK_XML_FILE_MAX, &buf, &len);
	if (ret) {
		fprintf(stderr, "%s: %s\n", argv[1], strerror(-ret));
		return 2;
	}
	root = xml_format_root(buf, len);
	if (root && !strcmp(root, "networkport")) {
		struct netport_def *def = NULL;

		ret = netport_xml_parse(buf, len, &def, err, sizeof(err));
		if (!ret)
			ret = netport_xml_format(def, &out);
		netport_def_free(def);
	} else if (root && !strcmp(root, "interface")) {
		struct iface_def *def = NULL;

		ret = iface_xml_parse(buf, len, &def, err, sizeof(err));
		if (!ret)
			ret = iface_xml_format(def, &out);
		iface_def_free(def);
	} else {
		/* <network>, and anything else, which the network parser names as wrong */
		struct network_def *def = NULL;

		ret = network_xml_parse(buf, len, &def, err, sizeof(err));
		if (!ret)
			ret = network_xml_format(def, 0, &out);
		network_def_free(def);
	}
	free(root);
	free(buf);
	if (ret) {
		fprintf(stderr, "%s: %s\n", argv[1], err[0] ? err : strerror(-ret));
		return 1;
	}
	fputs(out, stdout);
	free(out);
	return 0;
}
