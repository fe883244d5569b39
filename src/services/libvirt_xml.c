/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libvirt_xml.c - the <network> kvnet gives libvirt for one of its own (see libvirt.h) */

#include <stdio.h>
#include <string.h>

#include "conf/conf_bandwidth.h"
#include "conf/conf_enum.h"
#include "conf/conf_uuid.h"
#include "services/libvirt.h"
#include "services/libvirt_xml_priv.h"
#include "util/strbuf.h"

static void libvirt_vlan_xml(struct strbuf *b, const struct conf_vlan *v, const char *indent)
{
	if (!v->present || !v->n_tags)
		return;
	strbuf_appendf(b, "%s<vlan", indent);
	if (v->trunk != CONF_TRI_ABSENT)
		strbuf_appendf(b, " trunk='%s'", v->trunk == CONF_TRI_YES ? "yes" : "no");
	strbuf_append(b, ">\n");
	for (size_t i = 0; i < v->n_tags; i++) {
		const char *mode = conf_native_mode_to_string(v->tags[i].native_mode);

		strbuf_appendf(b, "%s  <tag id='%u'", indent, v->tags[i].id);
		if (v->tags[i].native_mode != CONF_NATIVE_NONE && mode)
			strbuf_appendf(b, " nativeMode='%s'", mode);
		strbuf_append(b, "/>\n");
	}
	strbuf_appendf(b, "%s</vlan>\n", indent);
}

/*
 * A portgroup with its VLAN and its <bandwidth>: libvirt resolves a guest's portgroup, and
 * kvnet-ovs-vsctl is not told it, so libvirt must know the limits to ask for them (its QoS
 * commands, refused: the guest then fails to start rather than run unshaped). The network's
 * own <bandwidth> is not given: it is kvnet's host port's, which libvirt would shape again.
 */
static void libvirt_portgroup_xml(struct strbuf *b, const struct network_portgroup *pg,
				  const char *indent)
{
	char inner[16];
	bool vlan = pg->vlan.present && pg->vlan.n_tags;

	strbuf_appendf(b, "%s<portgroup name='", indent);
	strbuf_append_xml(b, pg->name);
	strbuf_appendf(b, "'%s%s>\n", pg->is_default ? " default='yes'" : "",
		       vlan || pg->bandwidth ? "" : "/");
	if (!vlan && !pg->bandwidth)
		return;
	snprintf(inner, sizeof(inner), "%s  ", indent);
	libvirt_vlan_xml(b, &pg->vlan, inner);
	conf_bandwidth_xml(b, pg->bandwidth, (unsigned int)strlen(inner));
	strbuf_appendf(b, "%s</portgroup>\n", indent);
}

int libvirt_xml_format(const struct network_def *def, const char *bridge, const char *owner,
		       bool portgroups, char **out)
{
	struct strbuf b = STRBUF_INIT;
	char uuid[CONF_UUID_STRLEN];

	conf_uuid_format(def->uuid, uuid);
	strbuf_append(&b, "<network>\n  <name>");
	strbuf_append_xml(&b, def->name);
	strbuf_appendf(&b, "</name>\n  <uuid>%s</uuid>\n", uuid);
	strbuf_append(&b, "  <metadata>\n    <kvnet:network xmlns:kvnet='" LIBVIRT_KVNET_NS
			  "' state-dir='");
	strbuf_append_xml(&b, owner);
	strbuf_append(&b, "'/>\n  </metadata>\n  <forward mode='bridge'/>\n  <bridge name='");
	strbuf_append_xml(&b, bridge);
	strbuf_append(&b, "'/>\n  <virtualport type='openvswitch'/>\n");
	libvirt_vlan_xml(&b, &def->vlan, "  ");
	for (size_t i = 0; portgroups && i < def->n_portgroups; i++)
		libvirt_portgroup_xml(&b, &def->portgroups[i], "  ");
	strbuf_append(&b, "</network>\n");
	return strbuf_take(&b, out);
}

int libvirt_network_xml(const struct network_def *def, const char *bridge, const char *owner,
			char **out)
{
	return libvirt_xml_format(def, bridge, owner, true, out);
}

int libvirt_xml_portgroup(const struct network_portgroup *pg, char **out)
{
	struct strbuf b = STRBUF_INIT;

	libvirt_portgroup_xml(&b, pg, "");
	return strbuf_take(&b, out);
}
