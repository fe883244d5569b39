/* SPDX-License-Identifier: GPL-2.0-or-later */
/* print.h - kvnet's output: one print path per object, aligned text or the result as JSON */
#ifndef KVNET_CLI_PRINT_H
#define KVNET_CLI_PRINT_H

#include <stdbool.h>

#include <jansson.h>

/*
 * Each print_*() takes a method's result object. With @json it prints that object as
 * JSON and nothing else; without, the text form described in docs/cli.md. The text form
 * checks every member it uses first and prints nothing at all if one is missing or of
 * the wrong type: it reports "kvnet: bad answer from kvnetd: ..." on stderr instead.
 * They return 0, or -EBADMSG after that report, or -ENOMEM.
 */

/** print_json() - @v as JSON, indented by 2, members in order, and a newline */
void print_json(const json_t *v);

/** print_done() - a result with nothing to say in text: JSON only with @json */
int print_done(const json_t *result, bool json);

/** print_version() - daemon.ping's result: "kvnetd VERSION (pid PID)" */
int print_version(const json_t *result, bool json);

/** print_bridges() - bridge.list's result, as brctl show: one interface per line */
int print_bridges(const json_t *result, bool json);

/** print_ports() - port.list's result, one line per port */
int print_ports(const json_t *result, bool json);

/** print_vlans() - vlan.list's result, as bridge vlan show, runs of VIDs as ranges */
int print_vlans(const json_t *result, bool json);

/** print_fdb() - fdb.list's result, one line per entry */
int print_fdb(const json_t *result, bool json);

/** print_flushed() - fdb.flush's result: "flushed N entries" */
int print_flushed(const json_t *result, bool json);

/** print_stats() - stats.show's result: a block per bridge, then a block per port */
int print_stats(const json_t *result, bool json);

#endif
