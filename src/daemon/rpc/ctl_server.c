/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ctl_server.c - accept control clients, check who they are, frame lines, dispatch methods */

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "daemon/rpc/ctl_request.h"
#include "daemon/rpc/ctl_server.h"
#include "daemon/network/network.h"
#include "daemon/switch/datapath.h"
#include "util/log.h"

#define CTL_CLIENTS_MAX 64
#define CTL_SERVER_TOKEN ((void *)1)
#define CTL_SIGNAL_TOKEN ((void *)2)

struct ctl_client {
	int fd;
	char *in;
	size_t in_len;
	char *out;
	size_t out_len;
	size_t out_off;
	struct ctl_client *next;
};

static gid_t ctl_group = (gid_t)-1;
static struct ctl_client *ctl_clients;
static unsigned ctl_n_clients;

static const struct ctl_method *const ctl_tables[] = {
	ctl_daemon_methods,  ctl_bridge_methods,  ctl_port_methods,
	ctl_vlan_methods,    ctl_fdb_methods,	  ctl_stats_methods,
	ctl_network_methods, ctl_vm_port_methods, ctl_stp_methods,
};

void ctl_server_init(void)
{
	network_set_start_hook(ctl_vm_port_restore);
}

int ctl_server_open(const char *path, gid_t group, char *err, size_t errlen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, ret;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		snprintf(err, errlen, "socket path '%s' is too long", path);
		return -ENAMETOOLONG;
	}
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return ret;
	}
	/* the lock file is ours, so a socket here is a stale one from a crash */
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || chmod(path, 0660) ||
	    (group != (gid_t)-1 && chown(path, (uid_t)-1, group)) || listen(fd, 16)) {
		ret = -errno;
		snprintf(err, errlen, "cannot listen on %s: %s", path, strerror(errno));
		close(fd);
		unlink(path);
		return ret;
	}
	ctl_group = group;
	return fd;
}

/* root, our own user, or a member of the configured group */
static int ctl_peer_allowed(int fd, char *why, size_t whylen)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);
	gid_t groups[256];

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len)) {
		snprintf(why, whylen, "cannot tell who the peer is: %s", strerror(errno));
		return 0;
	}
	if (cred.uid == 0 || cred.uid == geteuid())
		return 1;
	if (ctl_group != (gid_t)-1) {
		if (cred.gid == ctl_group)
			return 1;
		len = sizeof(groups);
		if (!getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups, &len)) {
			for (size_t i = 0; i < len / sizeof(gid_t); i++)
				if (groups[i] == ctl_group)
					return 1;
		}
	}
	snprintf(why, whylen, "permission denied: uid %u is not root and not in kvnetd's group",
		 (unsigned)cred.uid);
	return 0;
}

static const struct ctl_method *ctl_method_find(const char *name)
{
	for (size_t t = 0; t < sizeof(ctl_tables) / sizeof(ctl_tables[0]); t++)
		for (const struct ctl_method *m = ctl_tables[t]; m->name; m++)
			if (!strcmp(m->name, name))
				return m;
	return NULL;
}

/* every member of params must be one the method knows: a misspelt option is an error */
static int ctl_check_members(struct ctl_request *req, const struct ctl_method *m)
{
	const char *key;
	json_t *v;

	json_object_foreach(req->params, key, v)
	{
		size_t i;
		char expected[200] = "";

		for (i = 0; m->params[i]; i++)
			if (!strcmp(m->params[i], key))
				break;
		if (m->params[i])
			continue;
		for (i = 0; m->params[i]; i++) {
			size_t n = strlen(expected);

			snprintf(expected + n, sizeof(expected) - n, "%s%s", i ? ", " : "",
				 m->params[i]);
		}
		return ctl_fail(req, CTL_ERR_PARAMS, "unknown param '%.64s' for %s (expected %s)",
				key, m->name, i ? expected : "none");
	}
	return 0;
}

static char *ctl_answer(json_t *id, json_t *result, int code, const char *msg)
{
	json_t *ans = json_object();
	char *line;

	json_object_set_new(ans, "jsonrpc", json_string("2.0"));
	json_object_set(ans, "id", id ? id : json_null());
	if (code)
		json_object_set_new(ans, "error",
				    json_pack("{s:i,s:s}", "code", code, "message", msg));
	else
		json_object_set(ans, "result", result);
	line = json_dumps(ans, JSON_COMPACT);
	json_decref(ans);
	return line;
}

char *ctl_handle_line(const char *line, size_t len)
{
	struct ctl_request req = { 0 };
	const struct ctl_method *m;
	json_t *msg, *id = NULL, *method, *params;
	json_error_t jerr;
	char *answer;
	bool notify;

	msg = json_loadb(line, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
	if (!msg) {
		char why[300];

		snprintf(why, sizeof(why), "request is not JSON: %s (column %d)", jerr.text,
			 jerr.column);
		return ctl_answer(NULL, NULL, CTL_ERR_PARSE, why);
	}
	if (!json_is_object(msg)) {
		answer = ctl_answer(NULL, NULL, CTL_ERR_INVALID_REQUEST,
				    "request must be a JSON-RPC 2.0 object");
		goto out;
	}
	id = json_object_get(msg, "id");
	notify = !id;
	if (id && !json_is_string(id) && !json_is_integer(id) && !json_is_null(id)) {
		answer = ctl_answer(NULL, NULL, CTL_ERR_INVALID_REQUEST,
				    "id must be a string, an integer or null");
		goto out;
	}
	method = json_object_get(msg, "method");
	params = json_object_get(msg, "params");
	if (!json_is_string(json_object_get(msg, "jsonrpc")) ||
	    strcmp(json_string_value(json_object_get(msg, "jsonrpc")), "2.0") ||
	    !json_is_string(method)) {
		answer = ctl_answer(id, NULL, CTL_ERR_INVALID_REQUEST,
				    "request needs \"jsonrpc\": \"2.0\" and a string \"method\"");
		goto out;
	}
	if (params && !json_is_object(params)) {
		answer = ctl_answer(id, NULL, CTL_ERR_PARAMS, "params must be an object");
		goto out;
	}
	m = ctl_method_find(json_string_value(method));
	if (!m) {
		char why[200];

		snprintf(why, sizeof(why), "unknown method '%.64s'", json_string_value(method));
		answer = ctl_answer(id, NULL, CTL_ERR_METHOD, why);
		goto out;
	}
	req.params = params ? params : json_object();
	if (!params)
		json_object_set_new(msg, "params", req.params);
	datapath_lock();
	if (!ctl_check_members(&req, m) && !m->handler(&req) && !req.result)
		req.result = json_object();
	datapath_unlock();
	if (req.err_code) {
		log_debug("%s: %s", m->name, req.err_msg);
		answer = ctl_answer(id, NULL, req.err_code, req.err_msg);
	} else {
		answer = ctl_answer(id, req.result, 0, NULL);
	}
	json_decref(req.result);
	if (notify) {
		free(answer);
		answer = NULL;
	}
out:
	json_decref(msg);
	return answer;
}

static void ctl_client_close(int epfd, struct ctl_client *c)
{
	struct ctl_client **pp;

	for (pp = &ctl_clients; *pp != c; pp = &(*pp)->next)
		;
	*pp = c->next;
	epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	free(c->in);
	free(c->out);
	free(c);
	ctl_n_clients--;
}

/* write what the socket takes now; wait for EPOLLOUT for the rest. Return: 0 or -1 */
static int ctl_client_flush(int epfd, struct ctl_client *c)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT, .data.ptr = c };

	while (c->out_off < c->out_len) {
		ssize_t w = send(c->fd, c->out + c->out_off, c->out_len - c->out_off, MSG_NOSIGNAL);

		if (w < 0) {
			if (errno == EAGAIN)
				return epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev);
			return -1;
		}
		c->out_off += (size_t)w;
	}
	c->out_off = c->out_len = 0;
	ev.events = EPOLLIN;
	return epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev);
}

/* queue @line and a newline, and flush */
static int ctl_client_send(int epfd, struct ctl_client *c, const char *line)
{
	size_t n = strlen(line);
	char *out = realloc(c->out, c->out_len + n + 1);

	if (!out)
		return -1;
	c->out = out;
	memcpy(c->out + c->out_len, line, n);
	c->out[c->out_len + n] = '\n';
	c->out_len += n + 1;
	return ctl_client_flush(epfd, c);
}

static void ctl_client_accept(int epfd, int listen_fd)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct ctl_client *c;
	char why[160];
	int fd;

	fd = accept4(listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return;
	if (!ctl_peer_allowed(fd, why, sizeof(why)) || ctl_n_clients >= CTL_CLIENTS_MAX) {
		char *line = ctl_answer(NULL, NULL, CTL_ERR_PERM,
					ctl_n_clients >= CTL_CLIENTS_MAX ? "too many clients"
									 : why);

		log_warn("control client refused: %s", why);
		if (line && send(fd, line, strlen(line), MSG_NOSIGNAL) > 0)
			send(fd, "\n", 1, MSG_NOSIGNAL);
		free(line);
		close(fd);
		return;
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		close(fd);
		return;
	}
	c->fd = fd;
	ev.data.ptr = c;
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev)) {
		close(fd);
		free(c);
		return;
	}
	c->next = ctl_clients;
	ctl_clients = c;
	ctl_n_clients++;
}

/* Return: 0, or -1 if the client is to be closed */
static int ctl_client_read(int epfd, struct ctl_client *c)
{
	char buf[65536];
	ssize_t n = recv(c->fd, buf, sizeof(buf), 0);
	size_t start = 0;
	char *in;

	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -1;
	if (n == 0)
		return -1;
	in = realloc(c->in, c->in_len + (size_t)n);
	if (!in)
		return -1;
	c->in = in;
	memcpy(c->in + c->in_len, buf, (size_t)n);
	c->in_len += (size_t)n;

	for (size_t i = 0; i < c->in_len; i++) {
		char *answer;

		if (c->in[i] != '\n')
			continue;
		answer = ctl_handle_line(c->in + start, i - start);
		if (answer && ctl_client_send(epfd, c, answer)) {
			free(answer);
			return -1;
		}
		free(answer);
		start = i + 1;
	}
	memmove(c->in, c->in + start, c->in_len - start);
	c->in_len -= start;
	if (c->in_len >= CTL_LINE_MAX) {
		char *line = ctl_answer(NULL, NULL, CTL_ERR_INVALID_REQUEST,
					"request line longer than 1 MiB");

		if (line)
			ctl_client_send(epfd, c, line);
		free(line);
		return -1;
	}
	return 0;
}

int ctl_server_run(int listen_fd, int signal_fd, void (*tick)(void))
{
	struct epoll_event ev = { .events = EPOLLIN }, evs[16];
	int epfd = epoll_create1(EPOLL_CLOEXEC), signo = 0;
	uint64_t last_tick = datapath_now();

	if (epfd < 0)
		return -1;
	ev.data.ptr = CTL_SERVER_TOKEN;
	epoll_ctl(epfd, EPOLL_CTL_ADD, listen_fd, &ev);
	ev.data.ptr = CTL_SIGNAL_TOKEN;
	epoll_ctl(epfd, EPOLL_CTL_ADD, signal_fd, &ev);

	while (!signo) {
		int n = epoll_wait(epfd, evs, 16, tick ? 1000 : -1);
		uint64_t now = datapath_now();

		if (tick && now - last_tick >= 1000000000ull) {
			last_tick = now;
			tick();
		}

		for (int i = 0; i < n && !signo; i++) {
			struct ctl_client *c = evs[i].data.ptr;

			if (evs[i].data.ptr == CTL_SERVER_TOKEN) {
				ctl_client_accept(epfd, listen_fd);
			} else if (evs[i].data.ptr == CTL_SIGNAL_TOKEN) {
				struct signalfd_siginfo si;

				if (read(signal_fd, &si, sizeof(si)) == sizeof(si))
					signo = (int)si.ssi_signo;
			} else if (evs[i].events & EPOLLOUT) {
				if (ctl_client_flush(epfd, c))
					ctl_client_close(epfd, c);
			} else if (ctl_client_read(epfd, c)) {
				ctl_client_close(epfd, c);
				/* a later event in this batch may name the freed client */
				break;
			}
		}
	}
	while (ctl_clients)
		ctl_client_close(epfd, ctl_clients);
	close(epfd);
	return signo;
}
