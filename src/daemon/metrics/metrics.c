/* SPDX-License-Identifier: GPL-2.0-or-later */
/* metrics.c - the --metrics HTTP server: its address, its thread, a scrape's snapshot */

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#ifdef KVNET_HAVE_MICROHTTPD
#include <microhttpd.h>
#endif

#include "ctl/client.h"
#include "daemon/metrics/metrics.h"
#include "daemon/metrics/metrics_prom.h"
#include "util/log.h"

/* scrapers at once, and how long one may take to send its request */
#define METRICS_CONN_MAX 8
#define METRICS_CONN_TIMEOUT 10

struct metrics_server {
#ifdef KVNET_HAVE_MICROHTTPD
	struct MHD_Daemon *mhd;
#endif
	char ctl_socket[4096];
	char unix_path[108]; /* "" for TCP */
};

int metrics_addr_parse(const char *addr, char path[108], char ip[16], unsigned *port, char *err,
		       size_t errlen)
{
	const char *p = NULL;
	char *end;
	unsigned long n;

	path[0] = ip[0] = '\0';
	*port = 0;
	if (!strncmp(addr, "unix:", 5)) {
		if (addr[5] != '/' || strlen(addr + 5) > 107) {
			snprintf(err, errlen,
				 "--metrics %s: expected unix: and an absolute path of at most "
				 "107 bytes",
				 addr);
			return -EINVAL;
		}
		snprintf(path, 108, "%s", addr + 5);
		return 0;
	}
	if (!strncmp(addr, "127.0.0.1:", 10)) {
		snprintf(ip, 16, "127.0.0.1");
		p = addr + 10;
	} else if (!strncmp(addr, "[::1]:", 6)) {
		snprintf(ip, 16, "::1");
		p = addr + 6;
	}
	if (!p) {
		/* counters of every port and network are for this host only */
		snprintf(err, errlen,
			 "--metrics %s: kvnetd serves metrics only on the loopback address or a "
			 "UNIX socket: expected 127.0.0.1:PORT, [::1]:PORT or unix:PATH (a "
			 "reverse proxy may publish them further)",
			 addr);
		return -EINVAL;
	}
	errno = 0;
	n = strtoul(p, &end, 10);
	if (*p < '0' || *p > '9' || *end || errno || n < 1 || n > 65535) {
		snprintf(err, errlen, "--metrics %s: the port '%s' is not a number 1..65535", addr,
			 p);
		return -EINVAL;
	}
	*port = (unsigned)n;
	return 0;
}

#ifdef KVNET_HAVE_MICROHTTPD
/* @method's result with @params (a "{...}" pack format, then its values), or NULL */
static json_t *metrics_call(struct ctl_client *c, const char *method, json_t *params)
{
	struct ctl_client_error e;
	json_t *res = NULL;

	if (ctl_client_call(c, method, params, &res, &e)) {
		log_debug("metrics: %s: %s", method, e.message);
		res = NULL;
	}
	json_decref(params);
	return res;
}

/* net.list's networks, each with its net.info ("info") and lease count ("leases") */
static json_t *metrics_networks(struct ctl_client *c)
{
	json_t *list = metrics_call(c, "net.list", NULL), *nets, *n, *info, *leases;
	size_t i;

	nets = json_incref(json_object_get(list, "networks"));
	json_decref(list);
	if (!json_is_array(nets)) {
		json_decref(nets);
		return NULL;
	}
	json_array_foreach(nets, i, n)
	{
		const char *name = json_string_value(json_object_get(n, "name"));

		if (!name || !json_is_true(json_object_get(n, "active")))
			continue;
		info = metrics_call(c, "net.info", json_pack("{s:s}", "network", name));
		if (info)
			json_object_set_new(n, "info", info);
		leases = metrics_call(c, "net.dhcp_leases", json_pack("{s:s}", "network", name));
		if (json_is_array(json_object_get(leases, "leases")))
			json_object_set_new(n, "leases",
					    json_integer((json_int_t)json_array_size(
						    json_object_get(leases, "leases"))));
		json_decref(leases);
	}
	return nets;
}

/*
 * A scrape's snapshot: the answers metrics_prom_render() formats. Each is taken by the
 * control thread under the datapath lock, request by request, as the CLI's are.
 * Return: the snapshot, or NULL if the daemon did not answer stats.show
 */
static json_t *metrics_snapshot(const char *ctl_socket)
{
	struct ctl_client *c;
	json_t *snap, *stats, *stp, *nets, *br;
	size_t i;
	int ret;

	ret = ctl_client_connect(ctl_socket, &c);
	if (ret) {
		log_warn("metrics: cannot connect to %s: %s", ctl_socket, strerror(-ret));
		return NULL;
	}
	stats = metrics_call(c, "stats.show", NULL);
	if (!stats) {
		ctl_client_close(c);
		return NULL;
	}
	stp = json_array();
	json_array_foreach(json_object_get(stats, "bridges"), i, br)
	{
		json_t *s = metrics_call(c, "stp.show",
					 json_pack("{s:O}", "bridge", json_object_get(br, "name")));

		if (s)
			json_array_append_new(stp, s);
	}
	nets = metrics_networks(c);
	ctl_client_close(c);
	snap = json_pack("{s:o,s:o,s:o?}", "stats", stats, "stp", stp, "networks", nets);
	return snap;
}

static enum MHD_Result metrics_reply(struct MHD_Connection *conn, unsigned status, const char *type,
				     char *body)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	r = MHD_create_response_from_buffer(strlen(body), body, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	ret = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return ret;
}

/* the request handler, on the server's thread: GET /metrics, nothing else */
static enum MHD_Result metrics_handle(void *cls, struct MHD_Connection *conn, const char *url,
				      const char *method, const char *version,
				      const char *upload_data, size_t *upload_size, void **ctx)
{
	struct metrics_server *m = cls;
	struct strbuf out = STRBUF_INIT;
	static int first_call;
	json_t *snap;
	char *body;

	(void)version;
	(void)upload_data;
	/* called once with the headers, then again to answer: answer the second time */
	if (!*ctx) {
		*ctx = &first_call;
		return MHD_YES;
	}
	if (*upload_size)
		return MHD_NO;
	if (strcmp(method, "GET") && strcmp(method, "HEAD"))
		return metrics_reply(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain",
				     strdup("only GET /metrics is served\n"));
	if (strcmp(url, "/metrics"))
		return metrics_reply(conn, MHD_HTTP_NOT_FOUND, "text/plain",
				     strdup("not found: kvnetd serves GET /metrics\n"));
	snap = metrics_snapshot(m->ctl_socket);
	if (!snap)
		return metrics_reply(conn, MHD_HTTP_SERVICE_UNAVAILABLE, "text/plain",
				     strdup("kvnetd's control socket did not answer\n"));
	metrics_prom_render(snap, &out);
	json_decref(snap);
	if (strbuf_take(&out, &body))
		return MHD_NO;
	return metrics_reply(conn, MHD_HTTP_OK, METRICS_PROM_CONTENT_TYPE, body);
}

/* the listening socket for @path or @ip:@port, or a negative errno with a message */
static int metrics_listen(const char *addr, const char *path, const char *ip, unsigned port,
			  gid_t group, char *err, size_t errlen)
{
	struct sockaddr_storage ss = { 0 };
	socklen_t len;
	int fd, one = 1, ret;

	if (path[0]) {
		struct sockaddr_un *sun = (struct sockaddr_un *)&ss;

		sun->sun_family = AF_UNIX;
		snprintf(sun->sun_path, sizeof(sun->sun_path), "%s", path);
		len = sizeof(*sun);
		unlink(path);
	} else if (!strcmp(ip, "::1")) {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;

		in6->sin6_family = AF_INET6;
		in6->sin6_addr = in6addr_loopback;
		in6->sin6_port = htons((uint16_t)port);
		len = sizeof(*in6);
	} else {
		struct sockaddr_in *in = (struct sockaddr_in *)&ss;

		in->sin_family = AF_INET;
		in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		in->sin_port = htons((uint16_t)port);
		len = sizeof(*in);
	}
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		goto fail;
	if (!path[0])
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, len) ||
	    (path[0] &&
	     (chmod(path, 0660) || (group != (gid_t)-1 && chown(path, (uid_t)-1, group)))) ||
	    listen(fd, METRICS_CONN_MAX))
		goto fail_close;
	return fd;

fail_close:
	ret = -errno;
	close(fd);
	if (path[0])
		unlink(path);
	errno = -ret;
fail:
	ret = -errno;
	snprintf(err, errlen, "--metrics %s: cannot listen: %s", addr, strerror(-ret));
	return ret;
}

int metrics_start(const char *addr, const char *ctl_socket, gid_t group,
		  struct metrics_server **out, char *err, size_t errlen)
{
	char path[108], ip[16];
	struct metrics_server *m;
	unsigned port;
	int fd, ret;

	ret = metrics_addr_parse(addr, path, ip, &port, err, errlen);
	if (ret)
		return ret;
	m = calloc(1, sizeof(*m));
	if (!m) {
		snprintf(err, errlen, "--metrics %s: out of memory", addr);
		return -ENOMEM;
	}
	snprintf(m->ctl_socket, sizeof(m->ctl_socket), "%s", ctl_socket);
	snprintf(m->unix_path, sizeof(m->unix_path), "%s", path);
	fd = metrics_listen(addr, path, ip, port, group, err, errlen);
	if (fd < 0) {
		free(m);
		return fd;
	}
	/* one thread of its own serves every scraper in turn */
	m->mhd = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL, NULL, metrics_handle, m,
				  MHD_OPTION_LISTEN_SOCKET, fd, MHD_OPTION_CONNECTION_LIMIT,
				  (unsigned)METRICS_CONN_MAX, MHD_OPTION_CONNECTION_TIMEOUT,
				  (unsigned)METRICS_CONN_TIMEOUT, MHD_OPTION_END);
	if (!m->mhd) {
		snprintf(err, errlen, "--metrics %s: cannot start the HTTP server", addr);
		close(fd);
		if (path[0])
			unlink(path);
		free(m);
		return -EIO;
	}
	*out = m;
	return 0;
}

void metrics_stop(struct metrics_server *m)
{
	if (!m)
		return;
	/* it closes the listening socket too */
	MHD_stop_daemon(m->mhd);
	if (m->unix_path[0])
		unlink(m->unix_path);
	free(m);
}
#else /* !KVNET_HAVE_MICROHTTPD */

int metrics_start(const char *addr, const char *ctl_socket, gid_t group,
		  struct metrics_server **out, char *err, size_t errlen)
{
	(void)ctl_socket;
	(void)group;
	*out = NULL;
	snprintf(err, errlen,
		 "--metrics %s: this kvnetd was built without libmicrohttpd (Debian package "
		 "libmicrohttpd-dev), so it serves no metrics; kvnet --json stats show has the "
		 "counters",
		 addr);
	return -EOPNOTSUPP;
}

void metrics_stop(struct metrics_server *m)
{
	free(m);
}
#endif
