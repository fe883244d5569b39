// SPDX-License-Identifier: GPL-2.0-or-later
/* conf_filterref.c - <filterref>, the nwfilters kvnet's switch applies (see conf_filterref.h) */

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf_filterref_priv.h"

/* the filters kvnet applies, and what each checks */
static const struct {
	const char *name;
	unsigned int checks;
} conf_filters[] = {
	{ "clean-traffic", CONF_FILTER_MAC | CONF_FILTER_IP | CONF_FILTER_ARP | CONF_FILTER_L2 },
	{ "no-mac-spoofing", CONF_FILTER_MAC },
	{ "no-ip-spoofing", CONF_FILTER_IP },
	{ "no-arp-spoofing", CONF_FILTER_ARP },
	{ "no-other-l2-traffic", CONF_FILTER_L2 },
	/* DHCP from the client passes every check: this filter only allows */
	{ "allow-dhcp", 0 },
};

#define CONF_FILTERS_APPLIED                                                                       \
	"clean-traffic, no-mac-spoofing, no-ip-spoofing, no-arp-spoofing, no-other-l2-traffic, "   \
	"allow-dhcp"

void conf_filterref_free(struct conf_filterref *f)
{
	if (!f)
		return;
	free(f->filter);
	for (size_t i = 0; i < f->n_ip; i++)
		free(f->ip[i]);
	free(f->learning);
	free(f);
}

static bool conf_filterref_ip_valid(const char *s)
{
	unsigned char a[16];

	return inet_pton(AF_INET, s, a) == 1 || inet_pton(AF_INET6, s, a) == 1;
}

/* one <parameter name='N' value='V'/> of @f */
static int conf_filterref_param(struct conf_xml_ctx *ctx, const xmlNode *n,
				struct conf_filterref *f)
{
	char *name = conf_xml_prop(n, "name"), *value = NULL;
	int ret = 0;

	if (!name)
		return conf_xml_error(ctx, n, "attribute 'name' is required");
	if (!strcmp(name, "MAC")) {
		if (f->n_mac >= CONF_FILTER_MAC_MAX)
			ret = conf_xml_error(ctx, n,
					     "more than %d MAC parameters: kvnet keeps at most "
					     "that many besides the interface's own",
					     CONF_FILTER_MAC_MAX);
		else
			ret = conf_xml_mac_fixed(ctx, n, "value", true, f->mac[f->n_mac++]);
		goto out;
	}
	value = conf_xml_prop(n, "value");
	if (!value) {
		ret = conf_xml_error(ctx, n, "attribute 'value' is required");
	} else if (!strcmp(name, "IP")) {
		if (!conf_filterref_ip_valid(value))
			ret = conf_xml_error(ctx, n,
					     "parameter IP '%.64s' is not an IPv4 or IPv6 address",
					     value);
		else if (f->n_ip >= CONF_FILTER_IP_MAX)
			ret = conf_xml_error(ctx, n, "more than %d IP parameters",
					     CONF_FILTER_IP_MAX);
		else {
			f->ip[f->n_ip++] = value;
			value = NULL;
		}
	} else if (!strcmp(name, "CTRL_IP_LEARNING")) {
		/* libvirt's words: any (its default), dhcp, none; kvnet's switch does each */
		if (strcmp(value, "any") && strcmp(value, "dhcp") && strcmp(value, "none"))
			ret = conf_xml_error(
				ctx, n,
				"CTRL_IP_LEARNING '%.32s' is not known: expected 'any' "
				"(learn IPv4 from DHCP, IPv6 from the VM's duplicate "
				"address detection), 'dhcp' or 'none'",
				value);
		else {
			free(f->learning);
			f->learning = value;
			value = NULL;
		}
	} else {
		/* DHCPSERVER among them: the switch cannot pick a server for a VM */
		ret = conf_xml_error(ctx, n,
				     "parameter %.32s is not applied by kvnet; it applies IP, MAC "
				     "and CTRL_IP_LEARNING (DHCP answers from other VMs are "
				     "dropped by the DHCP guard of VM ports)",
				     name);
	}
out:
	free(name);
	free(value);
	return ret;
}

int conf_filterref_parse(struct conf_xml_ctx *ctx, const xmlNode *n, struct conf_filterref **out)
{
	struct conf_filterref *f;
	const xmlNode *c;
	size_t i;
	int ret;

	if (*out)
		return conf_xml_error(ctx, n, "a second <filterref>: expected at most one");
	f = calloc(1, sizeof(*f));
	if (!f)
		return -ENOMEM;
	f->filter = conf_xml_prop(n, "filter");
	for (i = 0; f->filter && i < sizeof(conf_filters) / sizeof(conf_filters[0]); i++)
		if (!strcmp(f->filter, conf_filters[i].name))
			break;
	if (!f->filter || i == sizeof(conf_filters) / sizeof(conf_filters[0])) {
		ret = conf_xml_error(ctx, n,
				     "<filterref filter='%.64s'> is not a filter kvnet applies: "
				     "kvnet's switch applies " CONF_FILTERS_APPLIED
				     " (as port security), no other nwfilter",
				     f->filter ? f->filter : "");
		goto fail;
	}
	f->checks = conf_filters[i].checks;
	for (c = n->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (!conf_xml_is(c, "parameter")) {
			ret = conf_xml_error(ctx, c,
					     "expected <parameter name='...' value='...'/>");
			goto fail;
		}
		ret = conf_filterref_param(ctx, c, f);
		if (ret)
			goto fail;
	}
	*out = f;
	return 0;
fail:
	conf_filterref_free(f);
	return ret;
}

void conf_filterref_format(struct conf_xml_buf *b, const struct conf_filterref *f, int level)
{
	if (!f)
		return;
	conf_xml_indent(b, level);
	conf_xml_add(b, "<filterref");
	conf_xml_attr(b, "filter", f->filter);
	if (!f->n_ip && !f->n_mac && !f->learning) {
		conf_xml_add(b, "/>\n");
		return;
	}
	conf_xml_add(b, ">\n");
	for (size_t i = 0; i < f->n_ip; i++) {
		conf_xml_indent(b, level + 1);
		conf_xml_add(b, "<parameter name='IP'");
		conf_xml_attr(b, "value", f->ip[i]);
		conf_xml_add(b, "/>\n");
	}
	for (size_t i = 0; i < f->n_mac; i++) {
		conf_xml_indent(b, level + 1);
		conf_xml_add(b, "<parameter name='MAC'");
		conf_xml_attr(b, "value", f->mac[i]);
		conf_xml_add(b, "/>\n");
	}
	if (f->learning) {
		conf_xml_indent(b, level + 1);
		conf_xml_add(b, "<parameter name='CTRL_IP_LEARNING'");
		conf_xml_attr(b, "value", f->learning);
		conf_xml_add(b, "/>\n");
	}
	conf_xml_indent(b, level);
	conf_xml_add(b, "</filterref>\n");
}
