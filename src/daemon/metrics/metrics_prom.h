/* SPDX-License-Identifier: GPL-2.0-or-later */
/* metrics_prom.h - kvnetd's counters in Prometheus' text exposition format (version 0.0.4)
 *
 * Theory of Operation
 * The metrics are what the control protocol already answers, turned into text: the same
 * stats.show that `kvnet --json stats show` prints (per bridge FDB, per port frames, bytes,
 * errors and each drop cause), stp.show per bridge (port states), net.list, net.info
 * (dnsmasq) and net.dhcp_leases per network. metrics.c gathers those answers into one
 * snapshot object; this file only formats it, with no I/O, so a unit test can feed it a
 * snapshot and read the text. Each family is printed once, with its # HELP and # TYPE, and
 * all of its samples; counters end in _total. A JSON member a family needs that is missing
 * (an older or newer daemon) leaves that sample out rather than printing a wrong 0.
 */
#ifndef KVNET_DAEMON_METRICS_METRICS_PROM_H
#define KVNET_DAEMON_METRICS_METRICS_PROM_H

#include <jansson.h>

#include "util/strbuf.h"

/* the Content-Type of the text this file writes */
#define METRICS_PROM_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

/**
 * metrics_prom_render() - append the exposition text of @snap to @out
 * @snap:	{"stats": stats.show's result, "stp": [stp.show's result per bridge],
 *		 "networks": [net.list's network, with "info": net.info's result (running ones)
 *		 and "leases": the number of net.dhcp_leases' leases]}; borrowed
 * @out:	the text is appended here
 *
 * Return: 0, or -ENOMEM (@out's sticky error)
 */
int metrics_prom_render(json_t *snap, struct strbuf *out);

/**
 * metrics_prom_label() - append @s as a label value, without its quotes: backslash, double
 * quote and newline escaped as \\, \" and \n
 * Return: 0, or -ENOMEM
 */
int metrics_prom_label(struct strbuf *out, const char *s);

#endif
