// SPDX-License-Identifier: GPL-2.0-or-later
/* ctl_portsec.c - port security in port.set, port.list and the bridge store (ctl_portsec.h) */

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/bridge.h"
#include "ctl/vocab.h"
#include "daemon/rpc/ctl_portsec.h"
#include "daemon/switch/datapath.h"
#include "daemon/network/net_services.h"
#include "daemon/switch/switch.h"
#include "daemon/vmport/vm_port.h"
#include "services/dnsmasq_leases.h"
#include "util/file.h"

/* the largest lease file read: dnsmasq's for a /16 of clients is far smaller */
#define CTL_PORTSEC_LEASES_MAX (4u << 20)

/* port.set's lock members, by core flag */
static const struct {
	const char *name;
	uint32_t flag;
} ctl_portsec_locks[] = {
	{ "mac_lock", PORTSEC_MAC },
	{ "ip_lock", PORTSEC_IP },
	{ "arp_lock", PORTSEC_ARP },
	{ "l2_lock", PORTSEC_L2 },
};

#define CTL_PORTSEC_N_LOCKS (sizeof(ctl_portsec_locks) / sizeof(ctl_portsec_locks[0]))
#define CTL_PORTSEC_ITEM_MAX 64 /* the longest address between commas */

/* allowed_mac's list into @cfg. Return: 0, or -1 after ctl_fail() */
static int ctl_portsec_macs(struct ctl_request *req, const char *s, struct portsec_cfg *cfg)
{
	char item[CTL_PORTSEC_ITEM_MAX];

	cfg->n_mac = 0;
	while (*s) {
		size_t n = strcspn(s, ",");

		if (n >= sizeof(item))
			n = sizeof(item) - 1;
		memcpy(item, s, n);
		item[n] = '\0';
		if (cfg->n_mac == PORTSEC_MAC_MAX)
			return ctl_fail(req, CTL_ERR_PARAMS, "allowed_mac: more than %d MACs",
					PORTSEC_MAC_MAX);
		if (ctl_mac_parse(item, cfg->mac[cfg->n_mac]) || (cfg->mac[cfg->n_mac][0] & 1))
			return ctl_fail(req, CTL_ERR_PARAMS,
					"allowed_mac: '%s' is not a unicast MAC (expected "
					"xx:xx:xx:xx:xx:xx, separated by commas)",
					item);
		cfg->n_mac++;
		s += strcspn(s, ",");
		s += *s == ',';
	}
	return 0;
}

/* allowed_ip's list into @cfg. Return: 0, or -1 after ctl_fail() */
static int ctl_portsec_ips(struct ctl_request *req, const char *s, struct portsec_cfg *cfg)
{
	char item[CTL_PORTSEC_ITEM_MAX];

	cfg->n_ip4 = cfg->n_ip6 = 0;
	while (*s) {
		size_t n = strcspn(s, ",");
		bool v4;

		if (n >= sizeof(item))
			n = sizeof(item) - 1;
		memcpy(item, s, n);
		item[n] = '\0';
		v4 = !strchr(item, ':');
		if (v4 ? cfg->n_ip4 == PORTSEC_IP4_MAX : cfg->n_ip6 == PORTSEC_IP6_MAX)
			return ctl_fail(req, CTL_ERR_PARAMS,
					"allowed_ip: more than %d IPv%d addresses",
					v4 ? PORTSEC_IP4_MAX : PORTSEC_IP6_MAX, v4 ? 4 : 6);
		if (inet_pton(v4 ? AF_INET : AF_INET6, item,
			      v4 ? cfg->ip4[cfg->n_ip4] : cfg->ip6[cfg->n_ip6]) != 1)
			return ctl_fail(req, CTL_ERR_PARAMS,
					"allowed_ip: '%s' is not an IPv4 or IPv6 address (expected "
					"addresses separated by commas)",
					item);
		if (v4)
			cfg->n_ip4++;
		else
			cfg->n_ip6++;
		s += strcspn(s, ",");
		s += *s == ',';
	}
	return 0;
}

int ctl_portsec_param(struct ctl_request *req, const struct kv_port *p, struct portsec_cfg *cfg)
{
	const char *macs = NULL, *ips = NULL, *learning = NULL;
	int given = 0;

	*cfg = bridge_port_portsec(p->sw->br, p->no)->cfg;
	for (size_t i = 0; i < CTL_PORTSEC_N_LOCKS; i++) {
		bool on;
		int r = ctl_param_bool(req, ctl_portsec_locks[i].name, &on);

		if (r < 0)
			return -1;
		if (r)
			cfg->flags = on ? cfg->flags | ctl_portsec_locks[i].flag
					: cfg->flags & ~ctl_portsec_locks[i].flag;
		given |= r;
	}
	if (ctl_param_string(req, "allowed_mac", &macs) < 0 ||
	    ctl_param_string(req, "allowed_ip", &ips) < 0 ||
	    ctl_param_string(req, "ip_learning", &learning) < 0)
		return -1;
	if (learning) {
		int l = portsec_learning_value(learning);

		if (l < 0)
			return ctl_fail(req, CTL_ERR_PARAMS,
					"ip_learning '%.32s' is not known (expected any, dhcp or "
					"none)",
					learning);
		cfg->learning = (uint8_t)l;
		given = 1;
	}
	if (macs && ctl_portsec_macs(req, macs, cfg))
		return -1;
	if (ips && ctl_portsec_ips(req, ips, cfg))
		return -1;
	given |= macs || ips;
	/* a VM port's station is known: its MAC is the one to lock to */
	if (!cfg->n_mac && p->vm && !ctl_mac_parse(p->vm->def->mac, cfg->mac[0]))
		cfg->n_mac = 1;
	if (cfg->flags & (PORTSEC_MAC | PORTSEC_ARP) && !cfg->n_mac)
		return ctl_fail(req, CTL_ERR_PARAMS,
				"port '%s' is no VM port: mac_lock and arp_lock need its station's "
				"MACs (allowed_mac MAC[,MAC...])",
				p->name);
	return given;
}

/* @cfg's lists, as JSON arrays or (@strings) port.set's comma-separated strings */
static void ctl_portsec_lists(json_t *o, const struct portsec_cfg *c, bool strings)
{
	json_t *macs = json_array(), *ips = json_array();
	char buf[INET6_ADDRSTRLEN];

	for (unsigned i = 0; i < c->n_mac; i++)
		json_array_append_new(macs, json_string(ctl_mac_format(c->mac[i], buf)));
	for (unsigned i = 0; i < c->n_ip4; i++)
		json_array_append_new(ips,
				      json_string(inet_ntop(AF_INET, c->ip4[i], buf, sizeof(buf))));
	for (unsigned i = 0; i < c->n_ip6; i++)
		json_array_append_new(ips, json_string(inet_ntop(AF_INET6, c->ip6[i], buf,
								 sizeof(buf))));
	if (!strings) {
		json_object_set_new(o, "allowed_mac", macs);
		json_object_set_new(o, "allowed_ip", ips);
		return;
	}
	for (int k = 0; k < 2; k++) {
		json_t *a = k ? ips : macs, *v;
		char s[PORTSEC_IP6_MAX * (INET6_ADDRSTRLEN + 1) + PORTSEC_IP4_MAX * 17] = "";
		size_t i, len = 0;

		json_array_foreach(a, i, v)
			len += (size_t)snprintf(s + len, sizeof(s) - len, "%s%s", i ? "," : "",
						json_string_value(v));
		json_object_set_new(o, k ? "allowed_ip" : "allowed_mac", json_string(s));
		json_decref(a);
	}
}

json_t *ctl_portsec_json(const struct kv_port *p, bool learned)
{
	const struct portsec *ps = bridge_port_portsec(p->sw->br, p->no);
	json_t *o = json_object();

	for (size_t i = 0; i < CTL_PORTSEC_N_LOCKS; i++)
		json_object_set_new(o, ctl_portsec_locks[i].name,
				    json_boolean(ps->cfg.flags & ctl_portsec_locks[i].flag));
	json_object_set_new(o, "ip_learning",
			    json_string(portsec_learning_name(
				    (enum portsec_learning)ps->cfg.learning)));
	ctl_portsec_lists(o, &ps->cfg, !learned);
	if (learned) {
		json_t *l = json_array();
		uint64_t now = datapath_now();
		char buf[INET6_ADDRSTRLEN];

		for (unsigned i = 0; i < PORTSEC_LEASES_MAX; i++)
			if (ps->lease[i].expires > now)
				json_array_append_new(l, json_string(inet_ntop(AF_INET,
									       ps->lease[i].ip, buf,
									       sizeof(buf))));
		/* claimed by the guest's DAD (portsec.h) */
		for (unsigned i = 0; i < ps->n_ip6_learned; i++)
			json_array_append_new(l, json_string(inet_ntop(AF_INET6, ps->ip6_learned[i],
								       buf, sizeof(buf))));
		json_object_set_new(o, "learned_ip", l);
	}
	return o;
}

void ctl_portsec_seed(struct kv_port *p, const char *net_name)
{
	const struct portsec *ps = bridge_port_portsec(p->sw->br, p->no);
	struct dnsmasq_lease *list = NULL;
	char path[4096], *text = NULL;
	uint8_t mac[6], ip[4];
	int64_t wall = (int64_t)time(NULL);
	int n;

	if (!ps->cfg.flags || ps->cfg.n_ip4 || !net_name || !p->vm ||
	    ctl_mac_parse(p->vm->def->mac, mac))
		return;
	net_services_leases_path(net_name, path, sizeof(path));
	if (file_read(path, CTL_PORTSEC_LEASES_MAX, &text, NULL))
		return;
	n = dnsmasq_leases_parse(text, &list);
	for (int i = 0; i < n; i++) {
		const struct dnsmasq_lease *l = &list[i];
		uint64_t expires;
		uint8_t lmac[6];

		if (l->ipv6 || ctl_mac_parse(l->mac, lmac) || memcmp(lmac, mac, sizeof(mac)) ||
		    inet_pton(AF_INET, l->address, ip) != 1 || (l->expiry && l->expiry <= wall))
			continue;
		expires = l->expiry ? datapath_now() + (uint64_t)(l->expiry - wall) * 1000000000ull
				    : UINT64_MAX;
		bridge_port_portsec_learn(p->sw->br, p->no, mac, ip, expires);
	}
	free(list);
	free(text);
}
