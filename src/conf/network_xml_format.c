/* SPDX-License-Identifier: GPL-2.0-or-later */
/* network_xml_format.c - write a network_def back as libvirt network XML */
/*
 * Theory of Operation
 *
 * Formatting writes libvirt's canonical form (virNetworkDefFormatBuf): two-space indent,
 * single-quoted attributes, a fixed child order, defaults made explicit where libvirt
 * makes them explicit (bridge stp/delay for nat, route, open and isolated networks,
 * forward mode nat, forward dev from the first pool interface). What network_xml.c
 * parsed comes back unchanged, so a define, a restart and a dumpxml agree.
 */
#include <arpa/inet.h>
#include <stdbool.h>
#include <stdio.h>

#include "conf/conf_bandwidth_priv.h"
#include "conf/conf_uuid.h"
#include "conf/conf_xml.h"
#include "conf/network_overlay_priv.h"
#include "conf/network_xml.h"

static void network_xml_attr_addr(struct conf_xml_buf *b, const char *name,
				  const struct conf_addr *a)
{
	char s[INET6_ADDRSTRLEN];

	if (a->family == AF_UNSPEC)
		return;
	inet_ntop(a->family, a->family == AF_INET ? (const void *)&a->v4 : (const void *)&a->v6, s,
		  sizeof(s));
	conf_xml_add(b, " %s='%s'", name, s);
}

static void network_xml_format_forward(struct conf_xml_buf *b, const struct network_forward *f)
{
	bool nat = f->has_nat && (f->nat_addr_start.family != AF_UNSPEC || f->nat_port_start ||
				  f->nat_port_end || f->nat_ipv6 != CONF_TRI_ABSENT);
	size_t i;

	if (f->mode == CONF_FORWARD_NONE)
		return;
	conf_xml_add(b, "  <forward");
	conf_xml_attr(b, "dev", f->n_ifaces ? f->ifaces[0] : f->dev);
	conf_xml_attr(b, "mode", conf_forward_mode_to_string(f->mode));
	if (!nat && !f->n_ifaces) {
		conf_xml_add(b, "/>\n");
		return;
	}
	conf_xml_add(b, ">\n");
	if (nat) {
		bool kids = f->nat_addr_start.family != AF_UNSPEC || f->nat_port_start ||
			    f->nat_port_end;

		conf_xml_add(b, "    <nat");
		conf_xml_attr_tri(b, "ipv6", f->nat_ipv6);
		conf_xml_add(b, "%s\n", kids ? ">" : "/>");
		if (f->nat_addr_start.family != AF_UNSPEC) {
			conf_xml_add(b, "      <address");
			network_xml_attr_addr(b, "start", &f->nat_addr_start);
			network_xml_attr_addr(b, "end", &f->nat_addr_end);
			conf_xml_add(b, "/>\n");
		}
		if (f->nat_port_start || f->nat_port_end) {
			conf_xml_add(b, "      <port start='%u'", f->nat_port_start);
			if (f->nat_port_end)
				conf_xml_add(b, " end='%u'", f->nat_port_end);
			conf_xml_add(b, "/>\n");
		}
		if (kids)
			conf_xml_add(b, "    </nat>\n");
	}
	for (i = 0; i < f->n_ifaces; i++) {
		conf_xml_add(b, "    <interface");
		conf_xml_attr(b, "dev", f->ifaces[i]);
		conf_xml_add(b, "/>\n");
	}
	conf_xml_add(b, "  </forward>\n");
}

static void network_xml_format_bridge(struct conf_xml_buf *b, const struct network_def *def)
{
	const struct network_bridge *br = &def->bridge;
	enum conf_forward_mode m = def->forward.mode;
	bool l3 = m == CONF_FORWARD_NONE || m == CONF_FORWARD_NAT || m == CONF_FORWARD_ROUTE ||
		  m == CONF_FORWARD_OPEN;

	if (!l3 && !br->name && br->mac_table_manager == CONF_MAC_TABLE_DEFAULT)
		return;
	conf_xml_add(b, "  <bridge");
	conf_xml_attr(b, "name", br->name);
	if (l3)
		conf_xml_add(b, " stp='%s' delay='%ld'", br->stp == CONF_TRI_NO ? "off" : "on",
			     br->delay < 0 ? 0 : br->delay);
	conf_xml_attr(b, "macTableManager", conf_mac_table_to_string(br->mac_table_manager));
	conf_xml_add(b, "/>\n");
}

static void network_xml_format_dns(struct conf_xml_buf *b, const struct network_dns *dns)
{
	bool kids = dns->n_forwarders || dns->n_txts || dns->n_srvs || dns->n_hosts;
	size_t i, j;

	if (!dns->present || (!kids && dns->enable == CONF_TRI_ABSENT &&
			      dns->forward_plain_names == CONF_TRI_ABSENT))
		return;
	conf_xml_add(b, "  <dns");
	conf_xml_attr_tri(b, "enable", dns->enable);
	conf_xml_attr_tri(b, "forwardPlainNames", dns->forward_plain_names);
	if (!kids) {
		conf_xml_add(b, "/>\n");
		return;
	}
	conf_xml_add(b, ">\n");
	for (i = 0; i < dns->n_forwarders; i++) {
		conf_xml_add(b, "    <forwarder");
		conf_xml_attr(b, "domain", dns->forwarders[i].domain);
		network_xml_attr_addr(b, "addr", &dns->forwarders[i].addr);
		conf_xml_add(b, "/>\n");
	}
	for (i = 0; i < dns->n_txts; i++) {
		conf_xml_add(b, "    <txt");
		conf_xml_attr(b, "name", dns->txts[i].name);
		conf_xml_attr(b, "value", dns->txts[i].value);
		conf_xml_add(b, "/>\n");
	}
	for (i = 0; i < dns->n_srvs; i++) {
		const struct network_dns_srv *s = &dns->srvs[i];

		conf_xml_add(b, "    <srv");
		conf_xml_attr(b, "service", s->service);
		conf_xml_attr(b, "protocol", s->protocol);
		conf_xml_attr(b, "domain", s->domain);
		conf_xml_attr(b, "target", s->target);
		/* libvirt writes these only when non-zero */
		if (s->port > 0)
			conf_xml_add(b, " port='%ld'", s->port);
		if (s->priority > 0)
			conf_xml_add(b, " priority='%ld'", s->priority);
		if (s->weight > 0)
			conf_xml_add(b, " weight='%ld'", s->weight);
		conf_xml_add(b, "/>\n");
	}
	for (i = 0; i < dns->n_hosts; i++) {
		conf_xml_add(b, "    <host");
		network_xml_attr_addr(b, "ip", &dns->hosts[i].ip);
		conf_xml_add(b, ">\n");
		for (j = 0; j < dns->hosts[i].n_hostnames; j++) {
			conf_xml_add(b, "      <hostname>");
			conf_xml_esc(b, dns->hosts[i].hostnames[j]);
			conf_xml_add(b, "</hostname>\n");
		}
		conf_xml_add(b, "    </host>\n");
	}
	conf_xml_add(b, "  </dns>\n");
}

/* closes the opening tag already written: "/>" or a <lease> child and the end tag */
static void network_xml_format_lease(struct conf_xml_buf *b, const struct conf_lease *l,
				     const char *elem)
{
	if (!l->present) {
		conf_xml_add(b, "/>\n");
		return;
	}
	conf_xml_add(b, ">\n        <lease expiry='%lu'", l->expiry);
	/* a finite lease always carries its unit, minutes by default */
	if (l->expiry)
		conf_xml_attr(b, "unit",
			      conf_lease_unit_to_string(l->unit == CONF_LEASE_UNIT_NONE
								? CONF_LEASE_UNIT_MINUTES
								: l->unit));
	conf_xml_add(b, "/>\n      </%s>\n", elem);
}

static void network_xml_format_ip(struct conf_xml_buf *b, const struct network_ip *ip)
{
	size_t i;

	conf_xml_add(b, "  <ip");
	conf_xml_attr(b, "family", conf_ip_family_to_string(ip->family));
	network_xml_attr_addr(b, "address", &ip->address);
	network_xml_attr_addr(b, "netmask", &ip->netmask);
	if (ip->prefix > 0)
		conf_xml_add(b, " prefix='%d'", ip->prefix);
	conf_xml_attr_tri(b, "localPtr", ip->local_ptr);
	conf_xml_add(b, ">\n");
	if (ip->tftp_root) {
		conf_xml_add(b, "    <tftp");
		conf_xml_attr(b, "root", ip->tftp_root);
		conf_xml_add(b, "/>\n");
	}
	/* as libvirt: <bootp> is written only inside a <dhcp> with ranges or hosts */
	if (ip->n_ranges || ip->n_hosts) {
		conf_xml_add(b, "    <dhcp>\n");
		for (i = 0; i < ip->n_ranges; i++) {
			conf_xml_add(b, "      <range");
			network_xml_attr_addr(b, "start", &ip->ranges[i].start);
			network_xml_attr_addr(b, "end", &ip->ranges[i].end);
			network_xml_format_lease(b, &ip->ranges[i].lease, "range");
		}
		for (i = 0; i < ip->n_hosts; i++) {
			const struct conf_dhcp_host *h = &ip->hosts[i];

			conf_xml_add(b, "      <host");
			conf_xml_attr(b, "mac", h->mac);
			conf_xml_attr(b, "id", h->id);
			conf_xml_attr(b, "name", h->name);
			network_xml_attr_addr(b, "ip", &h->ip);
			network_xml_format_lease(b, &h->lease, "host");
		}
		if (ip->bootp_file) {
			conf_xml_add(b, "      <bootp");
			conf_xml_attr(b, "file", ip->bootp_file);
			network_xml_attr_addr(b, "server", &ip->bootp_server);
			conf_xml_add(b, "/>\n");
		}
		conf_xml_add(b, "    </dhcp>\n");
	}
	conf_xml_add(b, "  </ip>\n");
}

static void network_xml_format_route(struct conf_xml_buf *b, const struct network_route *rt)
{
	conf_xml_add(b, "  <route");
	conf_xml_attr(b, "family", conf_ip_family_to_string(rt->family));
	network_xml_attr_addr(b, "address", &rt->address);
	network_xml_attr_addr(b, "netmask", &rt->netmask);
	if (rt->prefix >= 0)
		conf_xml_add(b, " prefix='%d'", rt->prefix);
	network_xml_attr_addr(b, "gateway", &rt->gateway);
	if (rt->metric >= 0)
		conf_xml_add(b, " metric='%ld'", rt->metric);
	conf_xml_add(b, "/>\n");
}

static void network_xml_format_portgroup(struct conf_xml_buf *b, const struct network_portgroup *pg)
{
	conf_xml_add(b, "  <portgroup");
	conf_xml_attr(b, "name", pg->name);
	if (pg->is_default)
		conf_xml_add(b, " default='yes'");
	conf_xml_attr_tri(b, "trustGuestRxFilters", pg->trust_guest_rx_filters);
	conf_xml_add(b, ">\n");
	conf_xml_format_vlan(b, &pg->vlan, 2);
	if (pg->virtualport)
		conf_xml_format_elem(b, pg->virtualport, 2);
	conf_bandwidth_format(b, pg->bandwidth, 2);
	conf_xml_add(b, "  </portgroup>\n");
}

int network_xml_format(const struct network_def *def, unsigned int flags, char **out)
{
	struct conf_xml_buf b = { 0 };
	char uuid[CONF_UUID_STRLEN];
	size_t i;

	(void)flags;
	*out = NULL;
	conf_xml_add(&b, "<network");
	if (def->n_dnsmasq_options)
		conf_xml_add(&b, " xmlns:dnsmasq='%s'", NETWORK_XML_DNSMASQ_NS);
	if (def->vxlan)
		conf_xml_add(&b, " xmlns:kvnet='%s'", NETWORK_XML_KVNET_NS);
	if (def->ipv6)
		conf_xml_add(&b, " ipv6='yes'");
	conf_xml_attr_tri(&b, "trustGuestRxFilters", def->trust_guest_rx_filters);
	conf_xml_add(&b, ">\n  <name>");
	conf_xml_esc(&b, def->name);
	conf_xml_add(&b, "</name>\n");
	conf_uuid_format(def->uuid, uuid);
	conf_xml_add(&b, "  <uuid>%s</uuid>\n", uuid);
	if (def->title) {
		conf_xml_add(&b, "  <title>");
		conf_xml_esc(&b, def->title);
		conf_xml_add(&b, "</title>\n");
	}
	if (def->description) {
		conf_xml_add(&b, "  <description>");
		conf_xml_esc(&b, def->description);
		conf_xml_add(&b, "</description>\n");
	}
	if (def->metadata)
		conf_xml_add(&b, "  <metadata>\n%s  </metadata>\n", def->metadata);
	network_xml_format_forward(&b, &def->forward);
	network_xml_format_bridge(&b, def);
	if (def->mtu)
		conf_xml_add(&b, "  <mtu size='%u'/>\n", def->mtu);
	if (def->mac)
		conf_xml_add(&b, "  <mac address='%s'/>\n", def->mac);
	if (def->domain) {
		conf_xml_add(&b, "  <domain");
		conf_xml_attr(&b, "name", def->domain);
		conf_xml_attr_tri(&b, "localOnly", def->domain_local_only);
		conf_xml_add(&b, "/>\n");
	}
	network_xml_format_dns(&b, &def->dns);
	conf_xml_format_vlan(&b, &def->vlan, 1);
	conf_bandwidth_format(&b, def->bandwidth, 1);
	if (def->port_isolated != CONF_TRI_ABSENT)
		conf_xml_add(&b, "  <port isolated='%s'/>\n",
			     def->port_isolated == CONF_TRI_YES ? "yes" : "no");
	for (i = 0; i < def->n_ips; i++)
		network_xml_format_ip(&b, &def->ips[i]);
	for (i = 0; i < def->n_routes; i++)
		network_xml_format_route(&b, &def->routes[i]);
	if (def->virtualport)
		conf_xml_format_elem(&b, def->virtualport, 1);
	for (i = 0; i < def->n_portgroups; i++)
		network_xml_format_portgroup(&b, &def->portgroups[i]);
	if (def->n_dnsmasq_options) {
		conf_xml_add(&b, "  <dnsmasq:options>\n");
		for (i = 0; i < def->n_dnsmasq_options; i++) {
			conf_xml_add(&b, "    <dnsmasq:option");
			conf_xml_attr(&b, "value", def->dnsmasq_options[i]);
			conf_xml_add(&b, "/>\n");
		}
		conf_xml_add(&b, "  </dnsmasq:options>\n");
	}
	network_vxlan_format(&b, def->vxlan);
	conf_xml_add(&b, "</network>\n");
	return conf_xml_finish(&b, out);
}
