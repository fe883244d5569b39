/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ctl_portsec.h - port security (core/portsec.h) in port.set, port.list and the bridge store */
#ifndef KVNET_DAEMON_RPC_CTL_PORTSEC_H
#define KVNET_DAEMON_RPC_CTL_PORTSEC_H

#include <jansson.h>
#include <stdbool.h>

#include "core/portsec.h"
#include "daemon/rpc/ctl_request.h"

/* port.set's params for port security */
#define CTL_PORTSEC_PARAMS                                                                         \
	"mac_lock", "ip_lock", "arp_lock", "l2_lock", "allowed_mac", "allowed_ip", "ip_learning"

struct kv_port;

/**
 * ctl_portsec_param() - port @p's port security as port.set's params change it
 * @cfg:	gets the port's configuration with the params applied
 * Booleans mac_lock (no-mac-spoofing), ip_lock (no-ip-spoofing), arp_lock (no-arp-spoofing
 * and ND), l2_lock (no-other-l2-traffic); strings allowed_mac (MACs separated by commas,
 * "" for none: a VM port's own MAC is used then) and allowed_ip (IPv4 and IPv6 addresses
 * separated by commas, "" for none: DHCP snooping finds the IPv4 ones, the guest's DAD the
 * IPv6 ones); ip_learning (libvirt's CTRL_IP_LEARNING: "any", "dhcp" or "none").
 * Return: 1 if any was given, 0 if none, or -1 after ctl_fail() (a bad address, too many,
 * a lock on a port with no MAC to lock to)
 */
int ctl_portsec_param(struct ctl_request *req, const struct kv_port *p, struct portsec_cfg *cfg);

/**
 * ctl_portsec_seed() - give VM port @p of network @net_name the IPv4 addresses its MAC
 * leased from the network's dnsmasq, as if their DHCPACKs had been snooped: a port made
 * again (a kvnetd restart under running VMs) need not wait for the VM's next renewal.
 * Nothing happens without port security, with addresses given, or without a lease file.
 */
void ctl_portsec_seed(struct kv_port *p, const char *net_name);

/**
 * ctl_portsec_json() - {"mac_lock", "ip_lock", "arp_lock", "l2_lock", "ip_learning",
 * "allowed_mac": [...], "allowed_ip": [...], "learned_ip": [...] (IPv4 leases, then IPv6)} for @p; without @learned, no learned_ip and the
 * lists as port.set's strings (the bridge store's form)
 */
json_t *ctl_portsec_json(const struct kv_port *p, bool learned);

#endif
