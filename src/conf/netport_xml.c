/* SPDX-License-Identifier: GPL-2.0-or-later */
/* netport_xml.c - parse libvirt's <networkport> XML into a netport_def and format it back */
/*
 * Parsing fills a struct netport_def one child element at a time; <bandwidth> and an
 * openvswitch <virtualport> are kept as they came. Formatting writes the canonical form
 * `virsh net-port-dumpxml` prints: uuid, owner, group, mac, virtualport, bandwidth, vlan,
 * port, rxfilters, plug, two-space indent, single-quoted attributes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "conf/conf_bandwidth_priv.h"
#include "conf/conf_filterref_priv.h"
#include "conf/conf_xml.h"
#include "conf/netport_xml.h"

#define NETPORT_XML_SUPPORTED_PLUGS                                                                \
	"<plug type='network' bridge='...'/>, <plug type='bridge' bridge='...'/>, or no <plug>"

static const char *const netport_plug_names[] = {
	[NETPORT_PLUG_NONE] = NULL,
	[NETPORT_PLUG_NETWORK] = "network",
	[NETPORT_PLUG_BRIDGE] = "bridge",
};

static int netport_xml_plug(struct conf_xml_ctx *ctx, const xmlNode *n, struct netport_def *def)
{
	char *type = conf_xml_prop(n, "type");
	int t, ret;

	if (!type)
		return conf_xml_error(ctx, n,
				      "attribute 'type' is required: expected 'network' or "
				      "'bridge'");
	t = conf_enum_from_string(netport_plug_names,
				  sizeof(netport_plug_names) / sizeof(netport_plug_names[0]), type);
	if (t < 0) {
		if (!strcmp(type, "direct"))
			ret = conf_xml_error(
				ctx, n,
				"attribute 'type': plug type 'direct' (macvtap) is not "
				"supported by kvnet; supported: " NETPORT_XML_SUPPORTED_PLUGS);
		else if (!strcmp(type, "hostdev-pci"))
			ret = conf_xml_error(ctx, n,
					     "attribute 'type': plug type 'hostdev-pci' (PCI "
					     "passthrough) is not supported by kvnet; "
					     "supported: " NETPORT_XML_SUPPORTED_PLUGS);
		else
			ret = conf_xml_error(ctx, n,
					     "attribute 'type': unknown plug type '%s'; "
					     "expected " NETPORT_XML_SUPPORTED_PLUGS,
					     type);
		free(type);
		return ret;
	}
	free(type);
	def->plug = t;
	free(def->plug_bridge);
	def->plug_bridge = conf_xml_prop(n, "bridge");
	if (!def->plug_bridge || !def->plug_bridge[0])
		return conf_xml_error(ctx, n,
				      "attribute 'bridge' is required: expected the name of the "
				      "bridge the port is plugged into");
	return conf_xml_mac_table(ctx, n, &def->plug_mac_table);
}

static int netport_xml_owner(struct conf_xml_ctx *ctx, const xmlNode *n, struct netport_def *def)
{
	bool has_uuid = false;
	const xmlNode *c;
	int ret;

	for (c = n->children; c; c = c->next) {
		if (conf_xml_is(c, "name")) {
			free(def->owner_name);
			def->owner_name = conf_xml_text(c);
			if (!def->owner_name)
				return -ENOMEM;
		} else if (conf_xml_is(c, "uuid")) {
			ret = conf_xml_uuid(ctx, c, def->owner_uuid);
			if (ret)
				return ret;
			has_uuid = true;
		}
	}
	if (!def->owner_name || !def->owner_name[0])
		return conf_xml_error(ctx, n, "expected a <name> with the owning domain's name");
	if (!has_uuid)
		return conf_xml_error(ctx, n, "expected a <uuid> with the owning domain's UUID");
	return 0;
}

static int netport_xml_child(struct conf_xml_ctx *ctx, const xmlNode *c, struct netport_def *def,
			     bool *has_owner, bool *has_mac)
{
	if (conf_xml_is(c, "uuid")) {
		def->uuid_given = true;
		return conf_xml_uuid(ctx, c, def->uuid);
	}
	if (conf_xml_is(c, "owner")) {
		*has_owner = true;
		return netport_xml_owner(ctx, c, def);
	}
	if (conf_xml_is(c, "group")) {
		free(def->group);
		def->group = conf_xml_text(c);
		return def->group ? 0 : -ENOMEM;
	}
	if (conf_xml_is(c, "mac")) {
		*has_mac = true;
		return conf_xml_mac_fixed(ctx, c, "address", true, def->mac);
	}
	if (conf_xml_is(c, "bandwidth"))
		return conf_bandwidth_parse(ctx, c, CONF_BW_FLOOR | CONF_BW_CLASS_ID,
					    &def->bandwidth);
	if (conf_xml_is(c, "vlan"))
		return conf_xml_vlan(ctx, c, &def->vlan);
	if (conf_xml_is(c, "port"))
		return conf_xml_tristate(ctx, c, "isolated", false, &def->isolated);
	if (conf_xml_is(c, "rxfilters"))
		return conf_xml_tristate(ctx, c, "trustGuest", false, &def->trust_guest_rx);
	if (conf_xml_is(c, "virtualport"))
		return conf_xml_virtualport(ctx, c, true, &def->virtualport);
	if (conf_xml_is(c, "plug"))
		return netport_xml_plug(ctx, c, def);
	/* not in libvirt's <networkport> (its domain driver applies nwfilters): the same
	 * element as in an <interface>, so a port made by port-create can have it */
	if (conf_xml_is(c, "filterref"))
		return conf_filterref_parse(ctx, c, &def->filter);
	return 0;
}

/* conf_xml_parse()'s fill: @opaque is the struct netport_def */
static int netport_xml_root(struct conf_xml_ctx *ctx, const xmlNode *root, void *opaque)
{
	struct netport_def *def = opaque;
	bool has_owner = false, has_mac = false;
	const xmlNode *c;
	int ret;

	for (c = root->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		ret = netport_xml_child(ctx, c, def, &has_owner, &has_mac);
		if (ret)
			return ret;
	}
	if (!has_owner)
		return conf_xml_error(ctx, root,
				      "expected an <owner> element with the domain's <name> and "
				      "<uuid>");
	if (!has_mac)
		return conf_xml_error(ctx, root, "expected a <mac address='xx:xx:xx:xx:xx:xx'/>");
	if (!def->uuid_given) {
		ret = conf_uuid_generate(def->uuid);
		if (ret)
			return conf_xml_error(ctx, root, "cannot generate a UUID: %s",
					      strerror(-ret));
	}
	return 0;
}

int netport_xml_parse(const char *buf, size_t len, struct netport_def **out, char *err,
		      size_t errlen)
{
	struct conf_xml_ctx ctx = { .err = err, .errlen = errlen };
	struct netport_def *def = calloc(1, sizeof(*def));
	int ret;

	*out = NULL;
	if (!def)
		return -ENOMEM;
	ret = conf_xml_parse(&ctx, buf, len, "networkport", netport_xml_root, def);
	if (ret) {
		netport_def_free(def);
		return ret;
	}
	*out = def;
	return 0;
}

int netport_xml_format(const struct netport_def *def, char **out)
{
	struct conf_xml_buf b = { 0 };
	char uuid[CONF_UUID_STRLEN];

	*out = NULL;
	conf_uuid_format(def->uuid, uuid);
	conf_xml_add(&b, "<networkport>\n  <uuid>%s</uuid>\n  <owner>\n    <name>", uuid);
	conf_xml_esc(&b, def->owner_name ? def->owner_name : "");
	conf_uuid_format(def->owner_uuid, uuid);
	conf_xml_add(&b, "</name>\n    <uuid>%s</uuid>\n  </owner>\n", uuid);
	if (def->group) {
		conf_xml_add(&b, "  <group>");
		conf_xml_esc(&b, def->group);
		conf_xml_add(&b, "</group>\n");
	}
	conf_xml_add(&b, "  <mac");
	conf_xml_attr(&b, "address", def->mac);
	conf_xml_add(&b, "/>\n");
	if (def->virtualport)
		conf_xml_format_elem(&b, def->virtualport, 1);
	conf_bandwidth_format(&b, def->bandwidth, 1);
	conf_xml_format_vlan(&b, &def->vlan, 1);
	if (def->isolated != CONF_TRI_ABSENT) {
		conf_xml_add(&b, "  <port");
		conf_xml_attr_tri(&b, "isolated", def->isolated);
		conf_xml_add(&b, "/>\n");
	}
	if (def->trust_guest_rx != CONF_TRI_ABSENT) {
		conf_xml_add(&b, "  <rxfilters");
		conf_xml_attr_tri(&b, "trustGuest", def->trust_guest_rx);
		conf_xml_add(&b, "/>\n");
	}
	if (def->plug == NETPORT_PLUG_NETWORK || def->plug == NETPORT_PLUG_BRIDGE) {
		conf_xml_add(&b, "  <plug");
		conf_xml_attr(&b, "type", netport_plug_names[def->plug]);
		conf_xml_attr(&b, "bridge", def->plug_bridge);
		conf_xml_attr(&b, "macTableManager", conf_mac_table_to_string(def->plug_mac_table));
		conf_xml_add(&b, "/>\n");
	}
	conf_filterref_format(&b, def->filter, 1);
	conf_xml_add(&b, "</networkport>\n");
	return conf_xml_finish(&b, out);
}

void netport_def_free(struct netport_def *def)
{
	if (!def)
		return;
	free(def->owner_name);
	free(def->group);
	conf_bandwidth_free(def->bandwidth);
	free(def->vlan.tags);
	conf_elem_free(def->virtualport);
	free(def->plug_bridge);
	conf_filterref_free(def->filter);
	free(def);
}
