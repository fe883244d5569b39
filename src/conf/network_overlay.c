/* SPDX-License-Identifier: GPL-2.0-or-later */
/* network_overlay.c - <kvnet:vxlan> in a network's XML: parsed, checked, formatted back */

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/network_overlay_priv.h"
#include "conf/network_xml_priv.h"

/* the interface name grammar kvnet uses (ctl/vocab.h's, which conf/ may not include) */
static bool network_vxlan_ifname_ok(const char *s)
{
	size_t len = strlen(s);

	if (!len || len > 15)
		return false;
	for (const char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_' || *p == '.' || *p == '-'))
			return false;
	return true;
}

static bool network_vxlan_addr_eq(const struct conf_addr *a, const struct conf_addr *b)
{
	if (a->family != b->family)
		return false;
	return a->family == AF_INET ? a->v4.s_addr == b->v4.s_addr
				    : !memcmp(&a->v6, &b->v6, sizeof(a->v6));
}

static bool network_vxlan_is_multicast(const struct conf_addr *a)
{
	return a->family == AF_INET ? IN_MULTICAST(ntohl(a->v4.s_addr))
				    : IN6_IS_ADDR_MULTICAST(&a->v6);
}

static bool network_vxlan_is_unicast(const struct conf_addr *a)
{
	if (a->family == AF_INET)
		return a->v4.s_addr != INADDR_ANY && a->v4.s_addr != INADDR_BROADCAST &&
		       !IN_MULTICAST(ntohl(a->v4.s_addr));
	return !IN6_IS_ADDR_UNSPECIFIED(&a->v6) && !IN6_IS_ADDR_MULTICAST(&a->v6);
}

/* @a is of the local address's family, and what @what must be */
static int network_vxlan_family(struct conf_xml_ctx *ctx, const xmlNode *c,
				const struct network_vxlan *vx, const struct conf_addr *a,
				const char *what)
{
	if (a->family != vx->local.family)
		return conf_xml_error(ctx, c,
				      "attribute 'address': expected an %s address, as local='...' "
				      "is (%s)",
				      vx->local.family == AF_INET ? "IPv4" : "IPv6", what);
	return 0;
}

static int network_vxlan_remote(struct conf_xml_ctx *ctx, const xmlNode *c,
				struct network_vxlan *vx)
{
	struct conf_addr a, *slot;
	int ret;

	ret = network_xml_addr(ctx, c, "address", true, &a);
	if (!ret)
		ret = network_vxlan_family(ctx, c, vx, &a, "a remote host's unicast address");
	if (ret)
		return ret;
	if (!network_vxlan_is_unicast(&a))
		return conf_xml_error(ctx, c,
				      "attribute 'address': expected a remote host's unicast "
				      "address; for a multicast group use <kvnet:group "
				      "address='...'/>");
	if (network_vxlan_addr_eq(&a, &vx->local))
		return conf_xml_error(
			ctx, c,
			"attribute 'address': the local address is no remote; expected "
			"another host's address");
	for (size_t i = 0; i < vx->n_remotes; i++)
		if (network_vxlan_addr_eq(&a, &vx->remotes[i]))
			return conf_xml_error(ctx, c,
					      "attribute 'address': this remote is listed twice");
	if (vx->n_remotes == NETWORK_VXLAN_REMOTES_MAX)
		return conf_xml_error(ctx, c, "expected at most %d <kvnet:remote> elements",
				      NETWORK_VXLAN_REMOTES_MAX);
	slot = CONF_XML_PUSH(vx->remotes, vx->n_remotes);
	if (!slot)
		return -ENOMEM;
	*slot = a;
	return 0;
}

static int network_vxlan_group(struct conf_xml_ctx *ctx, const xmlNode *c, struct network_vxlan *vx)
{
	int ret;

	if (vx->group.family != AF_UNSPEC)
		return conf_xml_error(ctx, c, "expected at most one <kvnet:group>");
	ret = network_xml_addr(ctx, c, "address", true, &vx->group);
	if (!ret)
		ret = network_vxlan_family(ctx, c, vx, &vx->group, "a multicast group");
	if (ret)
		return ret;
	if (!network_vxlan_is_multicast(&vx->group))
		return conf_xml_error(
			ctx, c,
			"attribute 'address': expected a multicast group (224.0.0.0/4 "
			"or ff00::/8); for a host use <kvnet:remote address='...'/>");
	vx->group_dev = conf_xml_prop(c, "dev");
	if (vx->group_dev && !network_vxlan_ifname_ok(vx->group_dev))
		return conf_xml_error(ctx, c,
				      "attribute 'dev': expected an interface name (1 to 15 of "
				      "A-Z a-z 0-9 _ . -), got '%.64s'",
				      vx->group_dev);
	return 0;
}

static int network_vxlan_map_one(struct conf_xml_ctx *ctx, const xmlNode *c,
				 struct network_vxlan *vx)
{
	struct network_vxlan_map *m;
	unsigned long vlan = 0, vni = 0;
	int ret;

	ret = conf_xml_ulong(ctx, c, "vlan", 1, 4094, true, &vlan, NULL);
	if (!ret)
		ret = conf_xml_ulong(ctx, c, "vni", 0, NETWORK_VXLAN_VNI_MAX, true, &vni, NULL);
	if (ret)
		return ret;
	for (size_t i = 0; i < vx->n_map; i++) {
		if (vx->map[i].vlan == vlan)
			return conf_xml_error(ctx, c, "attribute 'vlan': VLAN %lu is mapped twice",
					      vlan);
		if (vx->map[i].vni == vni)
			return conf_xml_error(ctx, c,
					      "attribute 'vni': VNI %lu already carries VLAN %u; "
					      "expected one VNI per VLAN",
					      vni, vx->map[i].vlan);
	}
	if (vx->n_map == NETWORK_VXLAN_MAP_MAX)
		return conf_xml_error(ctx, c, "expected at most %d <kvnet:map> elements",
				      NETWORK_VXLAN_MAP_MAX);
	m = CONF_XML_PUSH(vx->map, vx->n_map);
	if (!m)
		return -ENOMEM;
	m->vlan = (unsigned int)vlan;
	m->vni = (uint32_t)vni;
	return 0;
}

/* the attributes of <kvnet:vxlan> itself */
static int network_vxlan_attrs(struct conf_xml_ctx *ctx, const xmlNode *n, struct network_vxlan *vx)
{
	unsigned long v = 0;
	bool has = false;
	int ret;

	vx->name = conf_xml_prop(n, "name");
	if (vx->name && !network_vxlan_ifname_ok(vx->name))
		return conf_xml_error(ctx, n,
				      "attribute 'name': expected a port name (1 to 15 of A-Z a-z "
				      "0-9 _ . -), got '%.64s'",
				      vx->name);
	ret = conf_xml_ulong(ctx, n, "vni", 0, NETWORK_VXLAN_VNI_MAX, false, &v, &vx->has_vni);
	vx->vni = (uint32_t)v;
	if (!ret)
		ret = network_xml_addr(ctx, n, "local", true, &vx->local);
	if (ret)
		return ret;
	if (!network_vxlan_is_unicast(&vx->local))
		return conf_xml_error(ctx, n,
				      "attribute 'local': expected this host's unicast address on "
				      "the underlay");
	v = 0;
	ret = conf_xml_ulong(ctx, n, "dstport", 1, 65535, false, &v, NULL);
	vx->dstport = (unsigned int)v;
	v = 0;
	if (!ret)
		ret = conf_xml_ulong(ctx, n, "ttl", 1, 255, false, &v, NULL);
	vx->ttl = (unsigned int)v;
	v = 0;
	if (!ret)
		ret = conf_xml_ulong(ctx, n, "tos", 0, 255, false, &v, &has);
	vx->tos = has ? (int)v : -1;
	v = 0;
	if (!ret)
		ret = conf_xml_ulong(ctx, n, "underlayMtu", 68, 65535, false, &v, NULL);
	vx->underlay_mtu = (unsigned int)v;
	if (!ret && vx->underlay_mtu && vx->underlay_mtu < network_vxlan_overhead(vx) + 68)
		ret = conf_xml_error(ctx, n,
				     "attribute 'underlayMtu': expected at least %u (the %u bytes "
				     "of VXLAN headers and a frame of 68)",
				     network_vxlan_overhead(vx) + 68, network_vxlan_overhead(vx));
	return ret;
}

int network_vxlan_parse(struct conf_xml_ctx *ctx, const xmlNode *n, struct network_vxlan **out)
{
	struct network_vxlan *vx;
	int ret;

	if (*out)
		return conf_xml_error(ctx, n, "expected at most one <kvnet:vxlan>");
	vx = calloc(1, sizeof(*vx));
	if (!vx)
		return -ENOMEM;
	*out = vx; /* the caller's definition frees it on failure */
	ret = network_vxlan_attrs(ctx, n, vx);
	for (const xmlNode *c = n->children; c && !ret; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (!c->ns || !c->ns->href ||
		    strcmp((const char *)c->ns->href, NETWORK_XML_KVNET_NS))
			ret = conf_xml_error(ctx, c,
					     "not expected in <kvnet:vxlan>: expected "
					     "<kvnet:remote>, <kvnet:group> or <kvnet:map> of "
					     "namespace '" NETWORK_XML_KVNET_NS "'");
		else if (!strcmp((const char *)c->name, "remote"))
			ret = network_vxlan_remote(ctx, c, vx);
		else if (!strcmp((const char *)c->name, "group"))
			ret = network_vxlan_group(ctx, c, vx);
		else if (!strcmp((const char *)c->name, "map"))
			ret = network_vxlan_map_one(ctx, c, vx);
		else
			ret = conf_xml_error(ctx, c,
					     "unknown element; expected <kvnet:remote>, "
					     "<kvnet:group> or <kvnet:map>");
	}
	if (ret)
		return ret;
	if (!vx->n_remotes && vx->group.family == AF_UNSPEC)
		return conf_xml_error(ctx, n,
				      "expected at least one <kvnet:remote address='...'/> or a "
				      "<kvnet:group address='...'/>");
	if (vx->n_remotes && vx->group.family != AF_UNSPEC)
		return conf_xml_error(
			ctx, n,
			"expected either <kvnet:remote>s or a <kvnet:group>, not both "
			"(as the kernel's vxlan takes a remote or a group)");
	if (!vx->has_vni && !vx->n_map)
		return conf_xml_error(ctx, n,
				      "attribute 'vni' is required (0..%u) unless <kvnet:map> "
				      "elements give each VLAN its VNI",
				      NETWORK_VXLAN_VNI_MAX);
	for (size_t i = 0; vx->has_vni && i < vx->n_map; i++)
		if (vx->map[i].vni == vx->vni)
			return conf_xml_error(
				ctx, n,
				"attribute 'vni': %u is VLAN %u's in its <kvnet:map>; "
				"expected another VNI for untagged frames",
				vx->vni, vx->map[i].vlan);
	return 0;
}

int network_vxlan_check(struct conf_xml_ctx *ctx, const xmlNode *n, const struct network_def *def)
{
	const struct network_vxlan *vx = def->vxlan;

	if (!vx)
		return 0;
	if (def->forward.mode == CONF_FORWARD_PRIVATE || def->forward.mode == CONF_FORWARD_VEPA)
		return conf_xml_error(
			ctx, n,
			"not supported with forward mode '%s' (its switch sends every "
			"frame to its one uplink, so an overlay would be a second "
			"one); use an isolated network or forward mode nat, route, "
			"open or bridge",
			conf_forward_mode_to_string(def->forward.mode));
	if (def->mtu && vx->underlay_mtu &&
	    def->mtu + network_vxlan_overhead(vx) > vx->underlay_mtu)
		return conf_xml_error(ctx, n,
				      "<mtu size='%u'> does not fit in underlayMtu='%u' with the "
				      "%u bytes of VXLAN headers: expected <mtu> of at most %u, or "
				      "no <mtu> (then the guests get %u)",
				      def->mtu, vx->underlay_mtu, network_vxlan_overhead(vx),
				      vx->underlay_mtu - network_vxlan_overhead(vx),
				      vx->underlay_mtu - network_vxlan_overhead(vx));
	return 0;
}

static void network_vxlan_attr_addr(struct conf_xml_buf *b, const char *name,
				    const struct conf_addr *a)
{
	char s[INET6_ADDRSTRLEN];

	if (a->family == AF_UNSPEC || !inet_ntop(a->family, &a->v6, s, sizeof(s)))
		return;
	conf_xml_attr(b, name, s);
}

void network_vxlan_format(struct conf_xml_buf *b, const struct network_vxlan *vx)
{
	size_t i;

	if (!vx)
		return;
	conf_xml_add(b, "  <kvnet:vxlan");
	conf_xml_attr(b, "name", vx->name);
	if (vx->has_vni)
		conf_xml_add(b, " vni='%u'", vx->vni);
	network_vxlan_attr_addr(b, "local", &vx->local);
	if (vx->dstport)
		conf_xml_add(b, " dstport='%u'", vx->dstport);
	if (vx->ttl)
		conf_xml_add(b, " ttl='%u'", vx->ttl);
	if (vx->tos >= 0)
		conf_xml_add(b, " tos='%d'", vx->tos);
	if (vx->underlay_mtu)
		conf_xml_add(b, " underlayMtu='%u'", vx->underlay_mtu);
	conf_xml_add(b, ">\n");
	for (i = 0; i < vx->n_remotes; i++) {
		conf_xml_add(b, "    <kvnet:remote");
		network_vxlan_attr_addr(b, "address", &vx->remotes[i]);
		conf_xml_add(b, "/>\n");
	}
	if (vx->group.family != AF_UNSPEC) {
		conf_xml_add(b, "    <kvnet:group");
		network_vxlan_attr_addr(b, "address", &vx->group);
		conf_xml_attr(b, "dev", vx->group_dev);
		conf_xml_add(b, "/>\n");
	}
	for (i = 0; i < vx->n_map; i++)
		conf_xml_add(b, "    <kvnet:map vlan='%u' vni='%u'/>\n", vx->map[i].vlan,
			     vx->map[i].vni);
	conf_xml_add(b, "  </kvnet:vxlan>\n");
}

void network_vxlan_free(struct network_vxlan *vx)
{
	if (!vx)
		return;
	free(vx->name);
	free(vx->remotes);
	free(vx->group_dev);
	free(vx->map);
	free(vx);
}

void network_vxlan_port_name(const struct network_vxlan *vx, const char *bridge, char *buf,
			     size_t len)
{
	if (vx->name)
		snprintf(buf, len, "%s", vx->name);
	else
		snprintf(buf, len, "vx-%.12s", bridge ? bridge : "");
}

unsigned int network_vxlan_overhead(const struct network_vxlan *vx)
{
	return vx->local.family == AF_INET6 ? NETWORK_VXLAN_OVERHEAD6 : NETWORK_VXLAN_OVERHEAD4;
}
