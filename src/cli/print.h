/* SPDX-License-Identifier: GPL-2.0-or-later */
/* print.h - kvnet's output: one print path per object, aligned text or the result as JSON */
#ifndef KVNET_CLI_PRINT_H
#define KVNET_CLI_PRINT_H

#include <stdbool.h>

#include <jansson.h>

struct kvnet;

/*
 * Each print_*() takes a method's result object and prints its text form, described in
 * docs/cli.md; --json is not theirs to look at: print_result() chooses. The text form
 * checks every member it uses first and prints nothing at all if one is missing or of
 * the wrong type: it reports "kvnet: bad answer from kvnetd: ..." on stderr instead.
 * They return 0, or -EBADMSG after that report, or -ENOMEM.
 */

/**
 * print_result() - the one way a result is printed: with --json (@k->json) the result as
 * JSON and nothing else, else its text form by @text
 * Return: 0, or what @text returns
 */
int print_result(const struct kvnet *k, const json_t *result, int (*text)(const json_t *result));

/** print_json() - @v as JSON, indented by 2, members in order, and a newline */
void print_json(const json_t *v);

/** print_done() - a result with nothing to say in text (it is printed only with --json) */
int print_done(const json_t *result);

/** print_version() - daemon.ping's result: "kvnetd VERSION (pid PID)" */
int print_version(const json_t *result);

/** print_bridges() - bridge.list's result, as brctl show: one interface per line */
int print_bridges(const json_t *result);

/** print_ports() - port.list's result, one line per port */
int print_ports(const json_t *result);

/** print_vlans() - vlan.list's result, as bridge vlan show, runs of VIDs as ranges */
int print_vlans(const json_t *result);

/** print_fdb() - fdb.list's result, one line per entry */
int print_fdb(const json_t *result);

/** print_flushed() - fdb.flush's result: "flushed N entries" */
int print_flushed(const json_t *result);

/** print_stats() - stats.show's result: a block per bridge, then a block per port */
int print_stats(const json_t *result);

/*
 * The virsh-compatible commands' output: tables in virsh's layout (a blank before each cell,
 * a line of dashes under the header), fields as "Label:" padded to 15 columns.
 */

/** print_xml() - a result's "xml" member, exactly as it is */
int print_xml(const json_t *result);

/** print_networks() - net.list's result as virsh net-list: Name, State, Autostart, Persistent */
int print_networks(const json_t *result);

/** print_net_info() - net.info's result as virsh net-info: Name:, UUID:, Active:, ... */
int print_net_info(const json_t *result);

/** print_net_ports() - net.port.list's result: UUID, Owner, MAC, Group, Interface */
int print_net_ports(const json_t *result);

/**
 * print_net_dhcp_leases() - net.dhcp_leases' result as virsh net-dhcp-leases: Expiry Time
 * (local time; "infinite" for 0), MAC address, Protocol, IP address (address/prefix),
 * Hostname, Client ID or DUID ("-" for null), sorted by MAC address
 */
int print_net_dhcp_leases(const json_t *result);

/**
 * print_domain_interfaces() - domain.interfaces' result: Interface, Type, Source,
 * Portgroup, MAC, VLANs ("10 pvid untagged", "trunk 42,48"), State
 */
int print_domain_interfaces(const json_t *result);

/**
 * print_stp() - stp.show's result in brctl showstp's layout: the bridge (id, designated root,
 * root port, path cost, times in use and its own, flags), then a block per port
 */
int print_stp(const json_t *result);
/** print_attached() - domain.attach's result: "Interface attached successfully", name, MAC */
int print_attached(const json_t *result);

/**
 * print_port_fields() - domain.attach's result in text: the line @header, then Interface:,
 * MAC:, Network: (if any), Bridge:; nothing at all if the result lacks one of them
 * Return: 0, -EBADMSG after reporting it, or -ENOMEM
 */
int print_port_fields(const json_t *result, const char *header);

/** print_field() - "Label:          value", as virsh's net-info prints it. Return: 0 or -ENOMEM */
__attribute__((format(printf, 2, 3))) int print_field(const char *label, const char *fmt, ...);

#endif
