/* SPDX-License-Identifier: GPL-2.0-or-later */
/* iface_xml.c - a domain's <interface> element: what the switch needs of it, and back */
/*
 * Only what decides how a guest's NIC joins a switch is read: the type, <source>, <mac>,
 * <target>, <model>, <vlan>, <port>, <mtu>, <bandwidth>, <virtualport> and <filterref>. The rest of a
 * domain interface (<driver>, <address>, <alias>, <boot>, <rom>, <link>, <tune>,
 * <coalesce>, <guest>, ...) belongs to QEMU and is ignored. Types kvnet cannot connect are
 * refused by name. A <filterref> is kept when it names a filter kvnet's switch applies (port
 * security, conf_filterref.h), refused otherwise: dropping it would leave a VM its owner
 * believes filtered unfiltered.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "conf/conf_bandwidth_priv.h"
#include "conf/conf_filterref_priv.h"
#include "conf/conf_xml.h"
#include "conf/iface_xml.h"

#define IFACE_XML_SUPPORTED "supported: type='network' and type='bridge'"

static const char *const iface_type_names[] = {
	[IFACE_NETWORK] = "network",
	[IFACE_BRIDGE] = "bridge",
};

static int iface_xml_type(struct conf_xml_ctx *ctx, const xmlNode *root, struct iface_def *def)
{
	char *type = conf_xml_prop(root, "type");
	int t, ret;

	if (!type)
		return conf_xml_error(ctx, root,
				      "attribute 'type' is required: expected 'network' or "
				      "'bridge'");
	t = conf_enum_from_string(iface_type_names,
				  sizeof(iface_type_names) / sizeof(iface_type_names[0]), type);
	if (t >= 0) {
		free(type);
		def->type = t;
		return 0;
	}
	if (!strcmp(type, "vhostuser"))
		ret = conf_xml_error(
			ctx, root,
			"attribute 'type': interface type 'vhostuser' is not supported by "
			"kvnet here: it names a socket, not a kvnet network; give kvnet "
			"type='network' or type='bridge' with "
			"--backend vhost-user (kvnet then listens on "
			"RUN_DIR/ports/NAME.vhost.sock), or let kvnet's qemu hook attach a "
			"libvirt domain's vhostuser interface");
	else
		ret = conf_xml_error(ctx, root,
				     "attribute 'type': interface type '%s' is not supported by "
				     "kvnet; " IFACE_XML_SUPPORTED,
				     type);
	free(type);
	return ret;
}

static int iface_xml_source(struct conf_xml_ctx *ctx, const xmlNode *n, struct iface_def *def)
{
	const char *attr = def->type == IFACE_NETWORK ? "network" : "bridge";

	free(def->source);
	free(def->portgroup);
	def->portgroup = NULL;
	def->source = conf_xml_prop(n, attr);
	if (!def->source || !def->source[0])
		return conf_xml_error(ctx, n, "attribute '%s' is required: expected the %s's name",
				      attr, attr);
	if (def->type == IFACE_NETWORK)
		def->portgroup = conf_xml_prop(n, "portgroup");
	return 0;
}

/* an attribute kept as a string, replacing an earlier one */
static int iface_xml_str(struct conf_xml_ctx *ctx, const xmlNode *n, const char *attr, char **out)
{
	free(*out);
	*out = conf_xml_prop(n, attr);
	if (!*out)
		return conf_xml_error(ctx, n, "attribute '%s' is required", attr);
	return 0;
}

static int iface_xml_child(struct conf_xml_ctx *ctx, const xmlNode *c, struct iface_def *def,
			   bool *has_source)
{
	unsigned long mtu = 0;
	int ret;

	if (conf_xml_is(c, "source")) {
		*has_source = true;
		return iface_xml_source(ctx, c, def);
	}
	if (conf_xml_is(c, "mac"))
		return conf_xml_mac_fixed(ctx, c, "address", true, def->mac);
	if (conf_xml_is(c, "target"))
		return iface_xml_str(ctx, c, "dev", &def->target_dev);
	if (conf_xml_is(c, "model"))
		return iface_xml_str(ctx, c, "type", &def->model);
	if (conf_xml_is(c, "vlan"))
		return conf_xml_vlan(ctx, c, &def->vlan);
	if (conf_xml_is(c, "port"))
		return conf_xml_tristate(ctx, c, "isolated", false, &def->isolated);
	if (conf_xml_is(c, "mtu")) {
		ret = conf_xml_ulong(ctx, c, "size", 68, 65535, true, &mtu, NULL);
		def->mtu = mtu;
		return ret;
	}
	if (conf_xml_is(c, "bandwidth"))
		return conf_bandwidth_parse(ctx, c, def->type == IFACE_NETWORK ? CONF_BW_FLOOR : 0,
					    &def->bandwidth);
	if (conf_xml_is(c, "virtualport"))
		return conf_xml_virtualport(ctx, c, false, &def->virtualport);
	if (conf_xml_is(c, "filterref"))
		return conf_filterref_parse(ctx, c, &def->filter);
	return 0;
}

/* conf_xml_parse()'s fill: @opaque is the struct iface_def */
static int iface_xml_root(struct conf_xml_ctx *ctx, const xmlNode *root, void *opaque)
{
	struct iface_def *def = opaque;
	bool has_source = false;
	const xmlNode *c;
	int ret;

	ret = iface_xml_type(ctx, root, def);
	if (!ret)
		ret = conf_xml_tristate(ctx, root, "trustGuestRxFilters", false,
					&def->trust_guest_rx);
	if (ret)
		return ret;
	for (c = root->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		ret = iface_xml_child(ctx, c, def, &has_source);
		if (ret)
			return ret;
	}
	if (!has_source)
		return conf_xml_error(ctx, root, "expected a <source %s='...'/>",
				      iface_type_names[def->type]);
	return 0;
}

int iface_xml_parse(const char *buf, size_t len, struct iface_def **out, char *err, size_t errlen)
{
	struct conf_xml_ctx ctx = { .err = err, .errlen = errlen };
	struct iface_def *def = calloc(1, sizeof(*def));
	int ret;

	*out = NULL;
	if (!def)
		return -ENOMEM;
	ret = conf_xml_parse(&ctx, buf, len, "interface", iface_xml_root, def);
	if (ret) {
		iface_def_free(def);
		return ret;
	}
	*out = def;
	return 0;
}

int iface_xml_format(const struct iface_def *def, char **out)
{
	struct conf_xml_buf b = { 0 };

	*out = NULL;
	conf_xml_add(&b, "<interface");
	conf_xml_attr(&b, "type", iface_type_names[def->type]);
	conf_xml_attr_tri(&b, "trustGuestRxFilters", def->trust_guest_rx);
	conf_xml_add(&b, ">\n");
	if (def->mac[0]) {
		conf_xml_add(&b, "  <mac");
		conf_xml_attr(&b, "address", def->mac);
		conf_xml_add(&b, "/>\n");
	}
	conf_xml_add(&b, "  <source");
	conf_xml_attr(&b, iface_type_names[def->type], def->source);
	conf_xml_attr(&b, "portgroup", def->portgroup);
	conf_xml_add(&b, "/>\n");
	if (def->virtualport)
		conf_xml_format_elem(&b, def->virtualport, 1);
	if (def->target_dev) {
		conf_xml_add(&b, "  <target");
		conf_xml_attr(&b, "dev", def->target_dev);
		conf_xml_add(&b, "/>\n");
	}
	if (def->model) {
		conf_xml_add(&b, "  <model");
		conf_xml_attr(&b, "type", def->model);
		conf_xml_add(&b, "/>\n");
	}
	conf_bandwidth_format(&b, def->bandwidth, 1);
	conf_xml_format_vlan(&b, &def->vlan, 1);
	if (def->isolated != CONF_TRI_ABSENT) {
		conf_xml_add(&b, "  <port");
		conf_xml_attr_tri(&b, "isolated", def->isolated);
		conf_xml_add(&b, "/>\n");
	}
	if (def->mtu)
		conf_xml_add(&b, "  <mtu size='%u'/>\n", def->mtu);
	conf_filterref_format(&b, def->filter, 1);
	conf_xml_add(&b, "</interface>\n");
	return conf_xml_finish(&b, out);
}

void iface_def_free(struct iface_def *def)
{
	if (!def)
		return;
	free(def->source);
	free(def->portgroup);
	free(def->target_dev);
	free(def->model);
	free(def->vlan.tags);
	conf_bandwidth_free(def->bandwidth);
	conf_elem_free(def->virtualport);
	conf_filterref_free(def->filter);
	free(def);
}
