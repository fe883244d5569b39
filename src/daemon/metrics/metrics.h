/* SPDX-License-Identifier: GPL-2.0-or-later */
/* metrics.h - kvnetd --metrics ADDR: GET /metrics over HTTP, in Prometheus' text format
 *
 * Theory of Operation
 * The HTTP server (libmicrohttpd) runs in a thread of its own. For each scrape it asks the
 * daemon, over kvnetd's own control socket, what `kvnet --json stats show`, `stp show`,
 * `net-list`, `net-info` and `net-dhcp-leases` ask, and formats the answers
 * (metrics_prom.c). So it reads the counters exactly as the CLI does, under the datapath lock
 * the request handlers take, and never touches the switches itself: the datapath waits for a
 * scrape no longer than for any CLI request, and a slow scraper makes the daemon wait for
 * nothing. It listens only where no other host can reach it: a UNIX socket (unix:PATH,
 * mode 0660 like the control socket, its group --group's) or the loopback address
 * (127.0.0.1:PORT, [::1]:PORT).
 */
#ifndef KVNET_DAEMON_METRICS_METRICS_H
#define KVNET_DAEMON_METRICS_METRICS_H

#include <stddef.h>
#include <sys/types.h>

struct metrics_server;

/**
 * metrics_start() - listen on @addr and serve GET /metrics from a thread of its own
 * @addr:	"unix:PATH", "127.0.0.1:PORT" or "[::1]:PORT"; anything else is refused
 * @ctl_socket:	kvnetd's control socket, asked for the counters at each scrape
 * @group:	group of a unix: socket besides root and kvnetd's user, or (gid_t)-1
 * @out:	set to the running server
 * Return: 0, or a negative errno with a message in @err naming the address and what was
 * expected (-EINVAL for an address it does not take)
 */
int metrics_start(const char *addr, const char *ctl_socket, gid_t group,
		  struct metrics_server **out, char *err, size_t errlen);

/**
 * metrics_stop() - stop serving, wait for a scrape in progress, remove a unix: socket and
 * free @m; NULL is allowed. Call it after the control socket is closed: a scrape waiting for
 * the control thread then ends at once.
 */
void metrics_stop(struct metrics_server *m);

/**
 * metrics_addr_parse() - check @addr, and fill @path (a unix: socket) or @ip and @port
 * @path:	"" unless unix:; else the path, at most 107 bytes
 * @ip:		"127.0.0.1" or "::1" for a TCP address, else ""
 * Return: 0, or -EINVAL with a message in @err
 */
int metrics_addr_parse(const char *addr, char path[108], char ip[16], unsigned *port, char *err,
		       size_t errlen);

#endif
