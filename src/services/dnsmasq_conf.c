/* SPDX-License-Identifier: GPL-2.0-or-later */
/* dnsmasq_conf.c - a network's dnsmasq configuration, hosts file and additional hosts */
/*
 * Theory of Operation
 *
 * The configuration is one pass over the definition, in the order libvirt writes it:
 * DNS upstreams and domains, where dnsmasq listens, the isolated-network options, DNS
 * records, TFTP, DHCP (the first IPv4 <ip> with DHCP, then the first IPv6 one), the files,
 * the MTU option, router advertisements, and last the <dnsmasq:option> lines. Every string
 * from the definition goes through dnsmasq_conf_check() before it is written, so a value
 * can never end a line or start a comment or a quoted string in dnsmasq's parser.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "services/dnsmasq_conf.h"
#include "util/strbuf.h"

/* what a string may hold, from the loosest to the strictest */
enum dnsmasq_check {
	DNSMASQ_LINE,  /* a whole dnsmasq line: no control characters */
	DNSMASQ_VALUE, /* a value: and no '"', no '#' that would start a comment */
	DNSMASQ_TOKEN, /* a name or domain: and no white space, ',' or '/' */
};

static void dnsmasq_conf_char_name(unsigned char c, char *buf, size_t len)
{
	switch (c) {
	case '\n':
		snprintf(buf, len, "a newline (\\n)");
		break;
	case '\r':
		snprintf(buf, len, "a carriage return (\\r)");
		break;
	case '\t':
		snprintf(buf, len, "a tab (\\t)");
		break;
	case ' ':
		snprintf(buf, len, "a space");
		break;
	default:
		if (c < 0x20 || c == 0x7f)
			snprintf(buf, len, "the control character \\x%02x", c);
		else
			snprintf(buf, len, "'%c'", c);
		break;
	}
}

/**
 * dnsmasq_conf_check() - refuse a string that would change the meaning of dnsmasq's files
 * @def:	the network, for the message
 * @what:	the element and attribute the string comes from, e.g. "<txt value>"
 * @s:		the string, or NULL (accepted)
 * @level:	what it may hold
 * @err:	the message when refused
 * @errlen:	size of @err
 *
 * Return: 0, or -EINVAL naming the element and the character
 */
static int dnsmasq_conf_check(const struct network_def *def, const char *what, const char *s,
			      enum dnsmasq_check level, char *err, size_t errlen)
{
	const unsigned char *p;
	const char *why = NULL;
	char cname[48];

	if (!s)
		return 0;
	for (p = (const unsigned char *)s; *p; p++) {
		bool space = *p == ' ' || *p == '\t';

		if (*p < 0x20 || *p == 0x7f)
			why = "would break dnsmasq's line-based configuration";
		else if (level >= DNSMASQ_VALUE && *p == '"')
			why = "is dnsmasq's quote character";
		else if (level >= DNSMASQ_VALUE && *p == '#' &&
			 (p == (const unsigned char *)s || p[-1] == ' '))
			why = "would start a dnsmasq comment";
		else if (level >= DNSMASQ_TOKEN && (space || *p == ',' || *p == '/'))
			why = "separates fields in dnsmasq's configuration";
		if (why)
			break;
	}
	if (!why)
		return 0;
	dnsmasq_conf_char_name(*p, cname, sizeof(cname));
	snprintf(err, errlen, "network '%s': %s holds %s, which %s; refusing to write it",
		 def->name, what, cname, why);
	return -EINVAL;
}

static const char *dnsmasq_conf_addr(const struct conf_addr *a, char *buf, size_t len)
{
	if (!inet_ntop(a->family,
		       a->family == AF_INET ? (const void *)&a->v4 : (const void *)&a->v6, buf,
		       (socklen_t)len))
		snprintf(buf, len, "?");
	return buf;
}

/* ",1h"-style lease suffix; empty when the lease is absent */
static void dnsmasq_conf_lease(const struct conf_lease *l, char *buf, size_t len)
{
	static const char unit[] = {
		[CONF_LEASE_UNIT_NONE] = 'm', /* libvirt's default unit is minutes */
		[CONF_LEASE_UNIT_SECONDS] = 's',
		[CONF_LEASE_UNIT_MINUTES] = 'm',
		[CONF_LEASE_UNIT_HOURS] = 'h',
	};

	if (!l->present)
		buf[0] = '\0';
	else if (!l->expiry)
		snprintf(buf, len, ",infinite");
	else
		snprintf(buf, len, ",%lu%c", l->expiry,
			 l->unit < CONF_LEASE_UNIT_LAST ? unit[l->unit] : 'm');
}

/* addresses in a DHCP range, both ends included, saturating at INT_MAX */
static long long dnsmasq_conf_range_size(const struct conf_dhcp_range *r)
{
	const unsigned char *s, *e;
	unsigned long long hs = 0, he = 0, ls = 0, le = 0;
	int i;

	if (r->start.family == AF_INET)
		return (long long)ntohl(r->end.v4.s_addr) - ntohl(r->start.v4.s_addr) + 1;
	s = r->start.v6.s6_addr;
	e = r->end.v6.s6_addr;
	for (i = 0; i < 8; i++) {
		hs = hs << 8 | s[i];
		he = he << 8 | e[i];
		ls = ls << 8 | s[i + 8];
		le = le << 8 | e[i + 8];
	}
	if (he != hs || le - ls >= INT_MAX)
		return INT_MAX;
	return (long long)(le - ls) + 1;
}

/* local=/PTR-ZONE/ for an <ip localPtr='yes'>; the prefix must end on a label boundary */
static int dnsmasq_conf_ptr(struct strbuf *b, const struct network_def *def,
			    const struct network_ip *ip, char *err, size_t errlen)
{
	int prefix = network_ip_prefix(ip), i;
	const unsigned char *a;
	char abuf[INET6_ADDRSTRLEN];

	if (ip->address.family == AF_INET) {
		if (prefix % 8) {
			snprintf(err, errlen,
				 "network '%s': <ip address='%s' localPtr='yes'>: a PTR zone needs "
				 "a "
				 "prefix that is a multiple of 8, got %d",
				 def->name, dnsmasq_conf_addr(&ip->address, abuf, sizeof(abuf)),
				 prefix);
			return -EINVAL;
		}
		a = (const unsigned char *)&ip->address.v4;
		strbuf_appendf(b, "local=/");
		for (i = prefix / 8 - 1; i >= 0; i--)
			strbuf_appendf(b, "%u.", a[i]);
		strbuf_appendf(b, "in-addr.arpa/\n");
		return 0;
	}
	if (prefix % 4) {
		snprintf(
			err, errlen,
			"network '%s': <ip address='%s' localPtr='yes'>: a PTR zone needs a prefix "
			"that is a multiple of 4, got %d",
			def->name, dnsmasq_conf_addr(&ip->address, abuf, sizeof(abuf)), prefix);
		return -EINVAL;
	}
	a = ip->address.v6.s6_addr;
	strbuf_appendf(b, "local=/");
	for (i = prefix / 4 - 1; i >= 0; i--)
		strbuf_appendf(b, "%x.", i % 2 ? a[i / 2] & 0xf : a[i / 2] >> 4);
	strbuf_appendf(b, "ip6.arpa/\n");
	return 0;
}

static bool dnsmasq_conf_ip_dhcp(const struct network_ip *ip)
{
	return ip->n_ranges || ip->n_hosts;
}

/* one dhcp-hostsfile line per static host with an address; hosts without one are skipped */
static int dnsmasq_conf_hosts(struct strbuf *hb, const struct network_def *def,
			      const struct network_ip *ip, char *err, size_t errlen)
{
	char abuf[INET6_ADDRSTRLEN], lease[32];
	size_t i;
	int ret;

	for (i = 0; i < ip->n_hosts; i++) {
		const struct conf_dhcp_host *h = &ip->hosts[i];

		ret = dnsmasq_conf_check(def, "<dhcp><host mac>", h->mac, DNSMASQ_TOKEN, err,
					 errlen);
		if (!ret)
			ret = dnsmasq_conf_check(def, "<dhcp><host id>", h->id, DNSMASQ_TOKEN, err,
						 errlen);
		if (!ret)
			ret = dnsmasq_conf_check(def, "<dhcp><host name>", h->name, DNSMASQ_TOKEN,
						 err, errlen);
		if (ret)
			return ret;
		if (h->ip.family == AF_UNSPEC)
			continue;
		dnsmasq_conf_addr(&h->ip, abuf, sizeof(abuf));
		dnsmasq_conf_lease(&h->lease, lease, sizeof(lease));
		if (ip->address.family == AF_INET6) {
			if (h->id)
				strbuf_appendf(hb, "id:%s,", h->id);
			if (h->name)
				strbuf_appendf(hb, "%s,", h->name);
			else if (!h->id && h->mac)
				strbuf_appendf(hb, "%s,", h->mac);
			strbuf_appendf(hb, "[%s]%s\n", abuf, lease);
		} else if (h->mac) {
			strbuf_appendf(hb, "%s,%s%s%s%s\n", h->mac, abuf, h->name ? "," : "",
				       h->name ? h->name : "", lease);
		} else if (h->name) {
			strbuf_appendf(hb, "%s,%s%s\n", h->name, abuf, lease);
		} else {
			strbuf_appendf(hb, "id:%s,%s%s\n", h->id, abuf, lease);
		}
	}
	return 0;
}

/* the DHCP lines of one <ip>, and its static hosts into @hb */
static int dnsmasq_conf_dhcp(struct strbuf *b, struct strbuf *hb, const struct network_def *def,
			     const struct network_ip *ip, long long *leases, char *err,
			     size_t errlen)
{
	char sbuf[INET6_ADDRSTRLEN], ebuf[INET6_ADDRSTRLEN], lease[32];
	int prefix = network_ip_prefix(ip), ret;
	bool v6 = ip->address.family == AF_INET6;
	size_t i;

	for (i = 0; i < ip->n_ranges; i++) {
		const struct conf_dhcp_range *r = &ip->ranges[i];

		dnsmasq_conf_addr(&r->start, sbuf, sizeof(sbuf));
		dnsmasq_conf_addr(&r->end, ebuf, sizeof(ebuf));
		dnsmasq_conf_lease(&r->lease, lease, sizeof(lease));
		if (v6) {
			strbuf_appendf(b, "dhcp-range=%s,%s,%d%s\n", sbuf, ebuf, prefix, lease);
		} else {
			uint32_t m = prefix ? 0xffffffffu << (32 - prefix) : 0;
			struct conf_addr mask = { .family = AF_INET };
			char mbuf[INET_ADDRSTRLEN];

			mask.v4.s_addr = htonl(m);
			strbuf_appendf(b, "dhcp-range=%s,%s,%s%s\n", sbuf, ebuf,
				       dnsmasq_conf_addr(&mask, mbuf, sizeof(mbuf)), lease);
		}
		*leases += dnsmasq_conf_range_size(r);
		if (*leases > INT_MAX)
			*leases = INT_MAX;
	}
	/* static hosts only: dnsmasq serves DHCP on a subnet only when it has a range */
	if (!ip->n_ranges && ip->n_hosts) {
		strbuf_appendf(b, "dhcp-range=%s,static",
			       dnsmasq_conf_addr(&ip->address, sbuf, sizeof(sbuf)));
		if (v6)
			strbuf_appendf(b, ",%d", prefix);
		strbuf_appendf(b, "\n");
	}
	ret = dnsmasq_conf_hosts(hb, def, ip, err, errlen);
	if (ret || v6)
		return ret;
	strbuf_appendf(b, "dhcp-no-override\ndhcp-authoritative\n");
	if (ip->bootp_file) {
		ret = dnsmasq_conf_check(def, "<bootp file>", ip->bootp_file, DNSMASQ_VALUE, err,
					 errlen);
		if (ret)
			return ret;
		if (strchr(ip->bootp_file, ',')) {
			snprintf(err, errlen,
				 "network '%s': <bootp file> holds ',', which separates fields in "
				 "dnsmasq's configuration; refusing to write it",
				 def->name);
			return -EINVAL;
		}
		if (ip->bootp_server.family != AF_UNSPEC)
			strbuf_appendf(b, "dhcp-boot=%s,,%s\n", ip->bootp_file,
				       dnsmasq_conf_addr(&ip->bootp_server, sbuf, sizeof(sbuf)));
		else
			strbuf_appendf(b, "dhcp-boot=%s\n", ip->bootp_file);
	}
	return 0;
}

char *dnsmasq_conf_file_path(const char *files_dir, const char *name, const char *suffix)
{
	struct strbuf b = STRBUF_INIT;
	char *s;

	/* libvirt escapes a network's name for its file names as for XML: so does kvnet */
	strbuf_appendf(&b, "%s/", files_dir);
	strbuf_append_xml(&b, name);
	strbuf_appendf(&b, ".%s", suffix);
	return strbuf_take(&b, &s) ? NULL : s;
}

/* "dhcp-hostsfile=PATH" or "addn-hosts=PATH" */
static int dnsmasq_conf_file_line(struct strbuf *b, const char *key, const struct network_def *def,
				  const struct dnsmasq_conf_opts *o, const char *suffix, char *err,
				  size_t errlen)
{
	char *path = dnsmasq_conf_file_path(o->files_dir, def->name, suffix);
	int ret;

	if (!path)
		return -ENOMEM;
	/* the name's quotes are escaped by now; a '#' after a space is still a comment */
	ret = dnsmasq_conf_check(def, "the network <name>, in a file path", path, DNSMASQ_VALUE,
				 err, errlen);
	if (!ret)
		strbuf_appendf(b, "%s=%s\n", key, path);
	free(path);
	return ret;
}

static int dnsmasq_conf_dns_head(struct strbuf *b, const struct network_def *def, char *err,
				 size_t errlen)
{
	const struct network_dns *dns = &def->dns;
	char abuf[INET6_ADDRSTRLEN];
	bool no_resolv = false;
	size_t i;
	int ret;

	for (i = 0; i < dns->n_forwarders; i++) {
		const struct network_dns_forwarder *f = &dns->forwarders[i];

		ret = dnsmasq_conf_check(def, "<forwarder domain>", f->domain, DNSMASQ_TOKEN, err,
					 errlen);
		if (ret)
			return ret;
		strbuf_appendf(b, "server=");
		if (f->domain)
			strbuf_appendf(b, "/%s/", f->domain);
		if (f->addr.family != AF_UNSPEC) {
			strbuf_appendf(b, "%s\n", dnsmasq_conf_addr(&f->addr, abuf, sizeof(abuf)));
			/* an upstream for every name: the host's resolv.conf is not wanted */
			if (!f->domain)
				no_resolv = true;
		} else {
			/* a domain without address: never forward its names */
			strbuf_appendf(b, "#\n");
		}
	}
	if (no_resolv)
		strbuf_appendf(b, "no-resolv\n");
	return 0;
}

static int dnsmasq_conf_records(struct strbuf *b, const struct network_def *def, char *err,
				size_t errlen)
{
	const struct network_dns *dns = &def->dns;
	size_t i;
	int ret;

	for (i = 0; i < dns->n_txts; i++) {
		ret = dnsmasq_conf_check(def, "<txt name>", dns->txts[i].name, DNSMASQ_TOKEN, err,
					 errlen);
		if (!ret)
			ret = dnsmasq_conf_check(def, "<txt value>", dns->txts[i].value,
						 DNSMASQ_VALUE, err, errlen);
		if (ret)
			return ret;
		strbuf_appendf(b, "txt-record=%s,%s\n", dns->txts[i].name, dns->txts[i].value);
	}
	for (i = 0; i < dns->n_srvs; i++) {
		const struct network_dns_srv *s = &dns->srvs[i];
		/* as libvirt: a value of 0 is not written unless a later field needs it */
		bool port = s->port > 0, prio = s->priority > 0, weight = s->weight > 0;

		ret = dnsmasq_conf_check(def, "<srv service>", s->service, DNSMASQ_TOKEN, err,
					 errlen);
		if (!ret)
			ret = dnsmasq_conf_check(def, "<srv protocol>", s->protocol, DNSMASQ_TOKEN,
						 err, errlen);
		if (!ret)
			ret = dnsmasq_conf_check(def, "<srv domain>", s->domain, DNSMASQ_TOKEN, err,
						 errlen);
		if (!ret)
			ret = dnsmasq_conf_check(def, "<srv target>", s->target, DNSMASQ_TOKEN, err,
						 errlen);
		if (ret)
			return ret;
		strbuf_appendf(b, "srv-host=_%s._%s", s->service, s->protocol);
		if (s->domain)
			strbuf_appendf(b, ".%s", s->domain);
		/* target "." (or none): the service is not offered, so nothing follows */
		if (s->target && strcmp(s->target, ".")) {
			strbuf_appendf(b, ",%s", s->target);
			/* fields are positional; dnsmasq's default port is 1 */
			if (port || prio || weight)
				strbuf_appendf(b, ",%ld", port ? s->port : 1);
			if (prio || weight)
				strbuf_appendf(b, ",%ld", prio ? s->priority : 0);
			if (weight)
				strbuf_appendf(b, ",%ld", s->weight);
		}
		strbuf_appendf(b, "\n");
	}
	return 0;
}

static bool dnsmasq_conf_l3(const struct network_def *def)
{
	switch (def->forward.mode) {
	case CONF_FORWARD_NONE:
	case CONF_FORWARD_NAT:
	case CONF_FORWARD_ROUTE:
	case CONF_FORWARD_OPEN:
		return true;
	case CONF_FORWARD_BRIDGE:
	case CONF_FORWARD_PRIVATE:
	case CONF_FORWARD_VEPA:
	case CONF_FORWARD_PASSTHROUGH:
	case CONF_FORWARD_HOSTDEV:
	case CONF_FORWARD_LAST:
		break;
	}
	return false;
}

static bool dnsmasq_conf_needed(const struct network_def *def)
{
	size_t i;

	if (!dnsmasq_conf_l3(def) || !def->n_ips)
		return false;
	if (def->dns.enable != CONF_TRI_NO)
		return true;
	for (i = 0; i < def->n_ips; i++)
		if (dnsmasq_conf_ip_dhcp(&def->ips[i]) || def->ips[i].tftp_root ||
		    def->ips[i].address.family == AF_INET6)
			return true;
	return false;
}

/* the lines between the header and the DNS records: everything on DNS and listening */
static int dnsmasq_conf_top(struct strbuf *b, const struct network_def *def,
			    const struct dnsmasq_conf_opts *o, const char *ifname, bool dns,
			    char *err, size_t errlen)
{
	size_t i;
	int ret;

	strbuf_appendf(b, "strict-order\n");
	if (!dns)
		strbuf_appendf(b, "port=0\n");
	if (dns) {
		ret = dnsmasq_conf_dns_head(b, def, err, errlen);
		if (ret)
			return ret;
	}
	if (def->domain) {
		ret = dnsmasq_conf_check(def, "<domain name>", def->domain, DNSMASQ_TOKEN, err,
					 errlen);
		if (ret)
			return ret;
		if (def->domain_local_only == CONF_TRI_YES)
			strbuf_appendf(b, "local=/%s/\n", def->domain);
		strbuf_appendf(b, "domain=%s\nexpand-hosts\n", def->domain);
	}
	for (i = 0; dns && i < def->n_ips; i++) {
		if (def->ips[i].local_ptr != CONF_TRI_YES)
			continue;
		ret = dnsmasq_conf_ptr(b, def, &def->ips[i], err, errlen);
		if (ret)
			return ret;
	}
	if (dns && def->dns.forward_plain_names == CONF_TRI_NO)
		strbuf_appendf(b, "domain-needed\nlocal=//\n");
	if (o->pid_file)
		strbuf_appendf(b, "pid-file=%s\n", o->pid_file);
	if (o->lease_file)
		strbuf_appendf(b, "dhcp-leasefile=%s\n", o->lease_file);
	/* only the network's interface: never lo, and not the host's other interfaces */
	strbuf_appendf(b, "except-interface=lo\nbind-dynamic\ninterface=%s\n", ifname);
	if (def->forward.mode == CONF_FORWARD_NONE)
		/* isolated: no default route (DHCP option 3 empty, RA router lifetime 0) and
		 * no upstream DNS from the host's resolv.conf */
		strbuf_appendf(b, "dhcp-option=3\nno-resolv\nra-param=*,0,0\n");
	return 0;
}

static int dnsmasq_conf_opts_check(const struct network_def *def, const struct dnsmasq_conf_opts *o,
				   const char *ifname, char *err, size_t errlen)
{
	size_t i;
	int ret;

	if (!o->files_dir) {
		snprintf(err, errlen, "network '%s': no directory given for dnsmasq's files",
			 def->name);
		return -EINVAL;
	}
	if (!ifname) {
		snprintf(err, errlen, "network '%s': no <bridge name> and no interface for dnsmasq",
			 def->name);
		return -EINVAL;
	}
	ret = dnsmasq_conf_check(def, "the network <name>", def->name, DNSMASQ_LINE, err, errlen);
	if (!ret)
		ret = dnsmasq_conf_check(def, "the interface name", ifname, DNSMASQ_TOKEN, err,
					 errlen);
	if (!ret)
		ret = dnsmasq_conf_check(def, "the files directory", o->files_dir, DNSMASQ_VALUE,
					 err, errlen);
	if (!ret)
		ret = dnsmasq_conf_check(def, "the pid file", o->pid_file, DNSMASQ_VALUE, err,
					 errlen);
	if (!ret)
		ret = dnsmasq_conf_check(def, "the lease file", o->lease_file, DNSMASQ_VALUE, err,
					 errlen);
	for (i = 0; !ret && i < def->n_ips; i++)
		ret = dnsmasq_conf_check(def, "<tftp root>", def->ips[i].tftp_root, DNSMASQ_VALUE,
					 err, errlen);
	for (i = 0; !ret && i < def->n_dnsmasq_options; i++)
		ret = dnsmasq_conf_check(def, "<dnsmasq:option value>", def->dnsmasq_options[i],
					 DNSMASQ_LINE, err, errlen);
	for (i = 0; !ret && i < def->dns.n_hosts; i++) {
		size_t j;

		for (j = 0; !ret && j < def->dns.hosts[i].n_hostnames; j++)
			ret = dnsmasq_conf_check(def, "<dns><host><hostname>",
						 def->dns.hosts[i].hostnames[j], DNSMASQ_TOKEN, err,
						 errlen);
	}
	return ret;
}

/* the first <ip> of @family with DHCP, or NULL; -EINVAL when there are two */
static int dnsmasq_conf_dhcp_ip(const struct network_def *def, int family,
				const struct network_ip **out, char *err, size_t errlen)
{
	size_t i;

	*out = NULL;
	for (i = 0; i < def->n_ips; i++) {
		if (def->ips[i].address.family != family || !dnsmasq_conf_ip_dhcp(&def->ips[i]))
			continue;
		if (*out) {
			snprintf(err, errlen,
				 "network '%s': DHCP on more than one %s <ip>; dnsmasq serves one "
				 "subnet per family",
				 def->name, family == AF_INET ? "IPv4" : "IPv6");
			return -EINVAL;
		}
		*out = &def->ips[i];
	}
	return 0;
}

int dnsmasq_conf_build(const struct network_def *def, const struct dnsmasq_conf_opts *o,
		       struct dnsmasq_conf *out, char *err, size_t errlen)
{
	const char *ifname = o->interface ? o->interface : def->bridge.name;
	struct strbuf b = STRBUF_INIT, hb = STRBUF_INIT, ab = STRBUF_INIT;
	const struct network_ip *ip4, *ip6;
	bool dns = def->dns.enable != CONF_TRI_NO, tftp = false, has_hosts;
	char abuf[INET6_ADDRSTRLEN];
	long long leases = 0;
	size_t i, j;
	int ret;

	memset(out, 0, sizeof(*out));
	if (errlen)
		err[0] = '\0';
	ret = dnsmasq_conf_opts_check(def, o, ifname, err, errlen);
	if (!ret)
		ret = dnsmasq_conf_dhcp_ip(def, AF_INET, &ip4, err, errlen);
	if (!ret)
		ret = dnsmasq_conf_dhcp_ip(def, AF_INET6, &ip6, err, errlen);
	if (ret)
		return ret;

	if (o->header) {
		const char *p = o->header, *nl;

		do {
			nl = strchr(p, '\n');
			strbuf_appendf(&b, "## %.*s\n", nl ? (int)(nl - p) : (int)strlen(p), p);
			p = nl ? nl + 1 : NULL;
		} while (p && *p);
	}
	ret = dnsmasq_conf_top(&b, def, o, ifname, dns, err, errlen);
	if (!ret && dns)
		ret = dnsmasq_conf_records(&b, def, err, errlen);
	if (ret)
		goto fail;

	for (i = 0; i < def->n_ips; i++) {
		const struct network_ip *ip = &def->ips[i];

		if (ip->address.family != AF_INET || !ip->tftp_root)
			continue;
		if (!tftp)
			strbuf_appendf(&b, "enable-tftp\n");
		tftp = true;
		strbuf_appendf(&b, "tftp-root=%s\n", ip->tftp_root);
	}
	if (ip4)
		ret = dnsmasq_conf_dhcp(&b, &hb, def, ip4, &leases, err, errlen);
	if (!ret && ip6)
		ret = dnsmasq_conf_dhcp(&b, &hb, def, ip6, &leases, err, errlen);
	if (ret)
		goto fail;
	if (leases > 0)
		strbuf_appendf(&b, "dhcp-lease-max=%lld\n", leases);
	if (ip4 || ip6)
		ret = dnsmasq_conf_file_line(&b, "dhcp-hostsfile", def, o, "hostsfile", err,
					     errlen);
	if (!ret && dns)
		ret = dnsmasq_conf_file_line(&b, "addn-hosts", def, o, "addnhosts", err, errlen);
	if (ret)
		goto fail;
	if (def->mtu || o->mtu)
		strbuf_appendf(&b, "dhcp-option=option:mtu,%u\n", def->mtu ? def->mtu : o->mtu);
	/* router advertisements: with DHCPv6 stateful, else each IPv6 subnet for SLAAC */
	if (ip6) {
		strbuf_appendf(&b, "enable-ra\n");
	} else {
		for (i = 0; i < def->n_ips; i++)
			if (def->ips[i].address.family == AF_INET6)
				strbuf_appendf(&b, "dhcp-range=%s,ra-only\n",
					       dnsmasq_conf_addr(&def->ips[i].address, abuf,
								 sizeof(abuf)));
	}
	for (i = 0; i < def->n_dnsmasq_options; i++)
		strbuf_appendf(&b, "%s\n", def->dnsmasq_options[i]);

	for (i = 0; i < def->dns.n_hosts; i++) {
		const struct network_dns_host *h = &def->dns.hosts[i];

		strbuf_appendf(&ab, "%s", dnsmasq_conf_addr(&h->ip, abuf, sizeof(abuf)));
		for (j = 0; j < h->n_hostnames; j++)
			strbuf_appendf(&ab, "\t%s", h->hostnames[j]);
		strbuf_appendf(&ab, "\n");
	}

	has_hosts = hb.len || hb.err;
	out->needed = dnsmasq_conf_needed(def);
	/* each take frees its buffer, whether it fails or not */
	ret = strbuf_take(&b, &out->conf);
	if (strbuf_take(&ab, &out->addnhosts))
		ret = -ENOMEM;
	if (has_hosts && strbuf_take(&hb, &out->hostsfile))
		ret = -ENOMEM;
	strbuf_free(&hb);
	if (ret) {
		dnsmasq_conf_free(out);
		snprintf(err, errlen, "network '%s': out of memory", def->name);
		return ret;
	}
	return 0;

fail:
	strbuf_free(&b);
	strbuf_free(&hb);
	strbuf_free(&ab);
	if (ret == -ENOMEM)
		snprintf(err, errlen, "network '%s': out of memory", def->name);
	return ret;
}

void dnsmasq_conf_free(struct dnsmasq_conf *c)
{
	if (!c)
		return;
	free(c->conf);
	free(c->hostsfile);
	free(c->addnhosts);
	memset(c, 0, sizeof(*c));
}
