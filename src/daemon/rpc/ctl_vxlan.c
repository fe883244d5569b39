/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ctl_vxlan.c - VXLAN ports in port.add, port.list, stats.show and fdb.list (port/vxlan.h) */

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/rpc/ctl_vxlan.h"
#include "daemon/switch/switch.h"
#include "port/vxlan.h"

/* @s as an address of any family into @ss with @port. Return: 0, or -1 if it is none */
static int ctl_vxlan_addr(const char *s, uint16_t port, struct sockaddr_storage *ss)
{
	struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, s, &a4->sin_addr) == 1) {
		a4->sin_family = AF_INET;
		a4->sin_port = htons(port);
		return 0;
	}
	if (inet_pton(AF_INET6, s, &a6->sin6_addr) == 1) {
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons(port);
		return 0;
	}
	return -1;
}

/* "remote": addresses separated by commas, into @cfg. Return: 0, or -1 after ctl_fail() */
static int ctl_vxlan_remotes(struct ctl_request *req, const char *name, const char *list,
			     struct vxlan_config *cfg)
{
	char buf[INET6_ADDRSTRLEN];
	const char *p = list;

	cfg->n_remotes = 0;
	for (;;) {
		size_t len = strcspn(p, ",");

		if (cfg->n_remotes == VXLAN_REMOTES_MAX)
			return ctl_fail(req, CTL_ERR_PARAMS,
					"vxlan port '%s': more than %d remotes", name,
					VXLAN_REMOTES_MAX);
		if (len >= sizeof(buf) || !len)
			goto bad;
		memcpy(buf, p, len);
		buf[len] = '\0';
		if (ctl_vxlan_addr(buf, 0, &cfg->remotes[cfg->n_remotes]))
			goto bad;
		for (unsigned r = 0; r < cfg->n_remotes; r++)
			if (!memcmp(&cfg->remotes[r], &cfg->remotes[cfg->n_remotes],
				    sizeof(cfg->remotes[r])))
				return ctl_fail(req, CTL_ERR_PARAMS,
						"vxlan port '%s': remote %s is given twice", name,
						buf);
		cfg->n_remotes++;
		if (!p[len])
			return 0;
		p += len + 1;
	}
bad:
	return ctl_fail(req, CTL_ERR_PARAMS,
			"vxlan port '%s': remote '%.64s' is not a list of IPv4 or IPv6 addresses "
			"separated by commas",
			name, list);
}

/* "vlan_vni": VID=VNI pairs separated by commas, into @cfg. Return: 0, or -1 after ctl_fail() */
static int ctl_vxlan_map(struct ctl_request *req, const char *name, const char *list,
			 struct vxlan_config *cfg)
{
	const char *p = list;

	for (cfg->n_map = 0;; cfg->n_map++) {
		unsigned long vid, vni;
		char *end;

		if (cfg->n_map == VXLAN_MAP_MAX)
			return ctl_fail(req, CTL_ERR_PARAMS,
					"vxlan port '%s': more than %d VLANs in vlan_vni", name,
					VXLAN_MAP_MAX);
		if (*p < '0' || *p > '9')
			goto bad;
		vid = strtoul(p, &end, 10);
		if (*end != '=' || end[1] < '0' || end[1] > '9')
			goto bad;
		vni = strtoul(end + 1, &end, 10);
		if ((*end && *end != ',') || vid < 1 || vid > 4094 || vni > VXLAN_VNI_MAX)
			goto bad;
		cfg->map[cfg->n_map] = (struct vxlan_map){ (uint16_t)vid, (uint32_t)vni };
		if (!*end) {
			cfg->n_map++;
			return 0;
		}
		p = end + 1;
	}
bad:
	return ctl_fail(req, CTL_ERR_PARAMS,
			"vxlan port '%s': vlan_vni '%.64s' is not a list of VLAN=VNI separated by "
			"commas (VLAN 1..4094, VNI 0..%u)",
			name, list, VXLAN_VNI_MAX);
}

int ctl_vxlan_open(struct ctl_request *req, const char *name, struct port **out)
{
	struct vxlan_config cfg = { .ttl = VXLAN_TTL_DEFAULT };
	uint64_t vni = 0, dstport = VXLAN_PORT_DEFAULT, ttl = VXLAN_TTL_DEFAULT, mtu = 0, tos = 0;
	const char *local = NULL, *remote = NULL, *map = NULL, *group = NULL, *dev = NULL;
	char err[256];
	int ret;

	if (ctl_param_uint(req, "vni", 0, VXLAN_VNI_MAX, &vni) < 0 ||
	    ctl_param_uint(req, "dstport", 1, 65535, &dstport) < 0 ||
	    ctl_param_uint(req, "ttl", 1, 255, &ttl) < 0 ||
	    ctl_param_uint(req, "tos", 0, 255, &tos) < 0 ||
	    ctl_param_uint(req, "underlay_mtu", 68, 65535, &mtu) < 0 ||
	    ctl_param_string(req, "local", &local) < 0 ||
	    ctl_param_string(req, "remote", &remote) < 0 ||
	    ctl_param_string(req, "vlan_vni", &map) < 0 ||
	    ctl_param_string(req, "group", &group) < 0 || ctl_param_string(req, "dev", &dev) < 0)
		return -1;
	if ((!json_object_get(req->params, "vni") && !map) || !local || (!remote && !group))
		return ctl_fail(
			req, CTL_ERR_PARAMS,
			"vxlan port '%s' needs vni (or vlan_vni), local and remote or group "
			"(a VNI 0..%u, the local address, the remote addresses or a "
			"multicast group)",
			name, VXLAN_VNI_MAX);
	if (remote && group)
		return ctl_fail(req, CTL_ERR_PARAMS,
				"vxlan port '%s': remote and group given; expected one of them",
				name);
	if (dev && !group)
		return ctl_fail(req, CTL_ERR_PARAMS,
				"vxlan port '%s': dev is the interface of a group; give group too",
				name);
	if (map && ctl_vxlan_map(req, name, map, &cfg))
		return -1;
	cfg.vni = (uint32_t)vni;
	cfg.no_vni = !json_object_get(req->params, "vni");
	cfg.ttl = (uint8_t)ttl;
	cfg.tos = (uint8_t)tos;
	cfg.mtu = (uint32_t)mtu;
	if (ctl_vxlan_addr(local, (uint16_t)dstport, &cfg.local))
		return ctl_fail(req, CTL_ERR_PARAMS,
				"vxlan port '%s': local '%.64s' is not an IPv4 or IPv6 address",
				name, local);
	if (remote && ctl_vxlan_remotes(req, name, remote, &cfg))
		return -1;
	if (group && ctl_vxlan_addr(group, 0, &cfg.group))
		return ctl_fail(req, CTL_ERR_PARAMS,
				"vxlan port '%s': group '%.64s' is not an IPv4 or IPv6 address",
				name, group);
	if (dev && !(cfg.group_ifindex = if_nametoindex(dev)))
		return ctl_fail(req, CTL_ERR_NOT_FOUND,
				"vxlan port '%s': dev '%.32s': no such interface (the group's)",
				name, dev);
	ret = vxlan_port_open(name, &cfg, out, err, sizeof(err));
	if (ret)
		return ctl_fail_errno(req, ret, err);
	return 0;
}

void ctl_vxlan_join(struct kv_port *p)
{
	struct vxlan_info info;

	/* a stored bridge's file has the exact membership to replay */
	if (!vxlan_port_is(p->be) || ctl_store_restoring())
		return;
	vxlan_port_info(p->be, &info);
	for (unsigned k = 0; k < info.cfg.n_map; k++)
		bridge_vlan_add(p->sw->br, p->no, info.cfg.map[k].vid, false, false);
	/* no VNI for untagged frames: out of the default VLAN, or its floods are drops */
	if (info.cfg.no_vni && p->sw->cfg.default_pvid)
		bridge_vlan_del(p->sw->br, p->no, p->sw->cfg.default_pvid);
}

/* the bridge still has a static entry for @mac in @vid on port @ctx */
static bool ctl_vxlan_static_on(void *ctx, const uint8_t mac[6], uint16_t vid)
{
	const struct kv_port *p = ctx;
	const struct fdb *fdb = bridge_fdb_const(p->sw->br);
	struct fdb_entry e;
	size_t cursor = 0;

	while (fdb_next(fdb, &cursor, &e))
		if (e.is_static && e.port == p->no && e.vid == vid && !memcmp(e.mac, mac, 6))
			return true;
	return false;
}

void ctl_vxlan_fdb_sync(struct kv_switch *sw)
{
	for (struct kv_port *p = sw->ports; p; p = p->next)
		if (vxlan_port_is(p->be))
			vxlan_port_unpin(p->be, ctl_vxlan_static_on, p);
}

int ctl_vxlan_pin(struct ctl_request *req, struct kv_port *p, const uint8_t mac[6], uint16_t vid,
		  const char *remote, bool check)
{
	struct sockaddr_storage ss;
	int ret;

	if (!vxlan_port_is(p->be))
		return ctl_fail(req, CTL_ERR_PARAMS,
				"remote is for an entry on a vxlan port; '%s' is a port of type %s",
				p->name, p->be->ops->kind);
	if (ctl_vxlan_addr(remote, 0, &ss))
		return ctl_fail(req, CTL_ERR_PARAMS,
				"remote '%.64s' is not an IPv4 or IPv6 address", remote);
	ret = vxlan_port_pin(p->be, mac, vid, &ss, check);
	if (ret == -ENOENT)
		return ctl_fail(req, CTL_ERR_PARAMS,
				"remote %.64s is not one of vxlan port '%s''s remotes", remote,
				p->name);
	if (ret == -EINVAL)
		return ctl_fail(req, CTL_ERR_PARAMS, "vxlan port '%s' has no VNI for vlan %u",
				p->name, vid);
	if (ret)
		return ctl_fail(req, CTL_ERR_FULL,
				"vxlan port '%s' has no room for another static remote near this "
				"address",
				p->name);
	return 0;
}

int ctl_vxlan_refuse(struct ctl_request *req, const char *type)
{
	static const char *const keys[] = { CTL_VXLAN_PARAMS };

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (json_object_get(req->params, keys[i]))
			return ctl_fail(req, CTL_ERR_PARAMS,
					"%s is for vxlan ports, not for a port of type %s", keys[i],
					type);
	return 0;
}

/* @ss's address as text, into @buf */
static const char *ctl_vxlan_ntop(const struct sockaddr_storage *ss, char *buf, size_t len)
{
	const void *a = ss->ss_family == AF_INET6
				? (const void *)&((const struct sockaddr_in6 *)ss)->sin6_addr
				: (const void *)&((const struct sockaddr_in *)ss)->sin_addr;

	if (!inet_ntop(ss->ss_family, a, buf, (socklen_t)len))
		snprintf(buf, len, "?");
	return buf;
}

json_t *ctl_vxlan_json(const struct port *be)
{
	char buf[INET6_ADDRSTRLEN];
	struct vxlan_info info;
	json_t *remotes, *map, *o;

	if (!vxlan_port_is(be))
		return NULL;
	vxlan_port_info(be, &info);
	map = json_array();
	for (unsigned k = 0; k < info.cfg.n_map; k++)
		json_array_append_new(map, json_pack("{s:i,s:I}", "vid", info.cfg.map[k].vid, "vni",
						     (json_int_t)info.cfg.map[k].vni));
	remotes = json_array();
	for (unsigned r = 0; r < info.cfg.n_remotes; r++)
		json_array_append_new(remotes, json_string(ctl_vxlan_ntop(&info.cfg.remotes[r], buf,
									  sizeof(buf))));
	o = json_pack("{s:I,s:s,s:i,s:o,s:i,s:i,s:I,s:b,s:o}", "vni", (json_int_t)info.cfg.vni,
		      "local", ctl_vxlan_ntop(&info.cfg.local, buf, sizeof(buf)), "dstport",
		      ntohs(((const struct sockaddr_in *)&info.cfg.local)->sin_port), "remotes",
		      remotes, "ttl", info.cfg.ttl, "tos", info.cfg.tos, "underlay_mtu",
		      (json_int_t)info.cfg.mtu, "flow_source_ports", info.raw, "vlan_vni", map);
	if (o && info.cfg.no_vni)
		json_object_set_new(o, "vni", json_null());
	if (o) /* UDP tunnel offloads in use (vxlan_gso.c) */
		json_object_set_new(o, "offloads",
				    json_pack("{s:b,s:b,s:I,s:I,s:I}", "udp_gso", info.udp_gso,
					      "udp_gro", info.udp_gro, "gso_sends",
					      (json_int_t)info.gso_sends, "gso_fallbacks",
					      (json_int_t)info.gso_fallbacks, "coalesced",
					      (json_int_t)info.coalesced));
	if (o && info.cfg.group.ss_family != AF_UNSPEC) {
		char dev[IF_NAMESIZE];

		json_object_set_new(o, "group",
				    json_string(ctl_vxlan_ntop(&info.cfg.group, buf, sizeof(buf))));
		json_object_set_new(o, "dev",
				    info.cfg.group_ifindex &&
						    if_indextoname(info.cfg.group_ifindex, dev)
					    ? json_string(dev)
					    : json_null());
		json_object_set_new(o, "peers", json_integer(info.n_peers));
	}
	return o;
}

json_t *ctl_vxlan_drops(const struct port *be)
{
	struct vxlan_info info;
	json_t *o;

	if (!vxlan_port_is(be))
		return NULL;
	vxlan_port_info(be, &info);
	o = json_object();
	for (int d = 0; d < VXLAN_DROP__MAX; d++)
		json_object_set_new(o, vxlan_drop_name((enum vxlan_drop)d),
				    json_integer((json_int_t)info.drops[d]));
	return o;
}

json_t *ctl_vxlan_remote(const struct port *be, const uint8_t mac[6], uint16_t vid)
{
	struct sockaddr_storage ss;
	char buf[INET6_ADDRSTRLEN];

	if (!vxlan_port_is(be) || !vxlan_port_remote_of(be, mac, vid, &ss))
		return NULL;
	return json_string(ctl_vxlan_ntop(&ss, buf, sizeof(buf)));
}

json_t *ctl_vxlan_add_params(const struct kv_port *p)
{
	char buf[INET6_ADDRSTRLEN], list[VXLAN_REMOTES_MAX * (INET6_ADDRSTRLEN + 1)] = "";
	char map[VXLAN_MAP_MAX * 20] = "";
	struct vxlan_info info;
	json_t *o;

	vxlan_port_info(p->be, &info);
	for (unsigned r = 0; r < info.cfg.n_remotes; r++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s", r ? "," : "",
			 ctl_vxlan_ntop(&info.cfg.remotes[r], buf, sizeof(buf)));
	for (unsigned k = 0; k < info.cfg.n_map; k++)
		snprintf(map + strlen(map), sizeof(map) - strlen(map), "%s%u=%u", k ? "," : "",
			 info.cfg.map[k].vid, info.cfg.map[k].vni);
	o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:i,s:i,s:i,s:I}", "bridge", p->sw->name, "name",
		      p->name, "type", "vxlan", "local",
		      ctl_vxlan_ntop(&info.cfg.local, buf, sizeof(buf)), "remote", list, "dstport",
		      ntohs(((const struct sockaddr_in *)&info.cfg.local)->sin_port), "ttl",
		      info.cfg.ttl, "tos", info.cfg.tos, "mtu",
		      (json_int_t)bridge_port_mtu(p->sw->br, p->no));
	if (o && !info.cfg.no_vni)
		json_object_set_new(o, "vni", json_integer(info.cfg.vni));
	if (o && info.cfg.n_map)
		json_object_set_new(o, "vlan_vni", json_string(map));
	if (o && info.mtu_given)
		json_object_set_new(o, "underlay_mtu", json_integer(info.mtu_given));
	if (o && info.cfg.group.ss_family != AF_UNSPEC) {
		char dev[IF_NAMESIZE];

		json_object_del(o, "remote");
		json_object_set_new(o, "group",
				    json_string(ctl_vxlan_ntop(&info.cfg.group, buf, sizeof(buf))));
		if (info.cfg.group_ifindex && if_indextoname(info.cfg.group_ifindex, dev))
			json_object_set_new(o, "dev", json_string(dev));
	}
	return o;
}

json_t *ctl_vxlan_pinned(const struct port *be, const uint8_t mac[6], uint16_t vid)
{
	struct sockaddr_storage ss;
	char buf[INET6_ADDRSTRLEN];

	if (!vxlan_port_is(be) || !vxlan_port_pin_of(be, mac, vid, &ss))
		return NULL;
	return json_string(ctl_vxlan_ntop(&ss, buf, sizeof(buf)));
}
