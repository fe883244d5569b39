/* SPDX-License-Identifier: GPL-2.0-or-later */
/* peer.c - stream and dgram ports that outlive their peer: QEMU may come, go and come back
 *
 * Theory of Operation
 *
 * A VM's port belongs to the network for as long as the VM is defined, but
 * the QEMU process behind it is not always there: it starts after the port
 * is made, it is killed, it is restarted. stream.c and dgram.c speak the
 * framing on one connected socket and break for good when the peer goes;
 * this wrapper keeps the port and changes what lies under it:
 *
 *   stream, kvnet listens:  listening socket  --accept-->  stream port on it
 *                           <--peer hung up or broke the framing--
 *   stream, kvnet connects: nothing to poll   --connect (tick)-->  stream port
 *   dgram:                  bound socket      --connect (rx, tick)-->  dgram port
 *
 * While the peer is away @no_peer is set (the daemon holds the port's link
 * down, which flushes its learned addresses). The daemon polls one
 * descriptor for the port's whole life: an epoll set of the port's own,
 * which holds whatever the port waits on at the moment (the listening
 * socket, the connection, the bound dgram socket, or nothing while kvnet
 * retries its connect once a second). So the sockets can change under it,
 * and a descriptor is always taken out of the set before it is closed.
 * The set also takes EPOLLOUT on the connection while a slow peer has
 * frames waiting (stream.c's and dgram.c's tx_flush); they are written on
 * the next wake-up, so the daemon never polls for output itself.
 *
 * Only one peer at a time: while one is connected the listening socket is
 * not polled, so a second QEMU waits in the backlog until the first one
 * goes. A datagram socket has no connection to lose, so a dgram peer is
 * known to be gone when sending to it is refused, or when the tick finds
 * nothing bound at its path any more; until it is back, what arrives from
 * anyone else is read and dropped.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "port/port.h"

/* datagrams dropped per poll while no peer is connected */
#define PEER_DRAIN_MAX 64

/**
 * struct peer_port - a port whose peer comes and goes
 * @port:	the generic part, first
 * @mode:	enum peer_mode
 * @inner:	the stream or dgram port while the peer is there, else NULL
 * @out:	@inner's socket is in the set for EPOLLOUT too (bytes wait)
 * @sock:	the listening or bound socket, -1 in connect mode
 * @addr:	@sock's path, or where to connect
 * @peer:	dgram: the peer's path
 * @peer_id:	dgram: the peer's socket file when kvnet connected to it (peer_file_same())
 * @rx_base:	errors counted by earlier inner ports
 * @tx_base:	likewise
 * @full_base:	likewise, frames dropped for a full queue
 */
struct peer_port {
	struct port port;
	enum peer_mode mode;
	struct port *inner;
	bool out;
	int sock;
	struct sockaddr_un addr;
	struct sockaddr_un peer;
	struct stat peer_id;
	uint64_t rx_base;
	uint64_t tx_base;
	uint64_t full_base;
};

static struct peer_port *peer_port(struct port *p)
{
	return (struct peer_port *)p;
}

/* the port's set (port.fd) waits on @fd: EPOLLIN, and EPOLLOUT with @out */
static void peer_watch(struct peer_port *pp, int fd, bool out)
{
	struct epoll_event ev = { .events = EPOLLIN | (out ? EPOLLOUT : 0) };

	epoll_ctl(pp->port.fd, EPOLL_CTL_ADD, fd, &ev);
}

static void peer_unwatch(struct peer_port *pp, int fd)
{
	epoll_ctl(pp->port.fd, EPOLL_CTL_DEL, fd, NULL);
}

static void peer_sync_counters(struct peer_port *pp)
{
	pp->port.rx_errors = pp->rx_base + pp->inner->rx_errors;
	pp->port.tx_errors = pp->tx_base + pp->inner->tx_errors;
	pp->port.tx_full = pp->full_base + pp->inner->tx_full;
}

/* The peer is there on @fd (for dgram a duplicate of the bound socket). Return: 0 or -errno */
static int peer_attach(struct peer_port *pp, int fd)
{
	struct port *inner;
	char err[128];
	int ret;

	ret = pp->mode == PEER_DGRAM
		      ? dgram_port_open(fd, pp->port.ifname, &inner, err, sizeof(err))
		      : stream_port_open(fd, pp->port.ifname, &inner, err, sizeof(err));
	if (ret) {
		close(fd);
		return ret;
	}
	pp->inner = inner;
	/* one peer at a time: a second QEMU waits in the backlog */
	if (pp->sock >= 0)
		peer_unwatch(pp, pp->sock);
	peer_watch(pp, pp->inner->fd, false);
	pp->out = false;
	pp->port.no_peer = false;
	return 0;
}

/* a dgram socket forgets its peer: it receives from anyone again */
static void peer_disassociate(struct peer_port *pp)
{
	static const struct sockaddr unspec = { .sa_family = AF_UNSPEC };

	connect(pp->sock, &unspec, sizeof(unspec));
}

/* The peer is gone (@why): back to waiting for it. */
static void peer_detach(struct peer_port *pp, int why)
{
	peer_sync_counters(pp);
	pp->rx_base = pp->port.rx_errors;
	pp->tx_base = pp->port.tx_errors;
	pp->full_base = pp->port.tx_full;
	peer_unwatch(pp, pp->inner->fd);
	pp->inner->ops->destroy(pp->inner);
	pp->inner = NULL;
	pp->port.no_peer = true;
	pp->port.tx_busy = false;
	pp->port.peer_err = why;
	if (pp->mode == PEER_DGRAM)
		peer_disassociate(pp);
	if (pp->sock >= 0)
		peer_watch(pp, pp->sock, false);
}

/* a new, non-blocking UNIX socket of @type */
static int peer_socket(int type)
{
	return socket(AF_UNIX, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
}

/*
 * Is something bound at @a now? (a dgram peer that was killed leaves its file behind.) A peer
 * whose socket is connected to ours refuses others (EPERM): that too says it is there.
 */
static bool peer_bound(const struct sockaddr_un *a)
{
	int fd = peer_socket(SOCK_DGRAM);
	bool gone;

	if (fd < 0)
		return true; /* cannot tell: keep the peer */
	gone = connect(fd, (const struct sockaddr *)a, sizeof(*a)) &&
	       (errno == ECONNREFUSED || errno == ENOENT);
	close(fd);
	return !gone;
}

/*
 * Is the socket file at @a still the one kvnet connected to (@id)? A restarted QEMU binds a
 * new file, which the file system may give the old inode number, but not its change time too.
 */
static void peer_file_id(const struct sockaddr_un *a, struct stat *id)
{
	if (stat(a->sun_path, id))
		memset(id, 0, sizeof(*id));
}

static bool peer_file_same(const struct sockaddr_un *a, const struct stat *id)
{
	struct stat now;

	peer_file_id(a, &now);
	return now.st_ino == id->st_ino && now.st_ctim.tv_sec == id->st_ctim.tv_sec &&
	       now.st_ctim.tv_nsec == id->st_ctim.tv_nsec;
}

static void peer_try_connect(struct peer_port *pp)
{
	int fd;

	if (pp->mode == PEER_STREAM_LISTEN || pp->inner)
		return;
	if (pp->mode == PEER_DGRAM) {
		if (connect(pp->sock, (const struct sockaddr *)&pp->peer, sizeof(pp->peer)))
			return;
		peer_file_id(&pp->peer, &pp->peer_id);
		fd = fcntl(pp->sock, F_DUPFD_CLOEXEC, 0);
		if (fd >= 0 && !peer_attach(pp, fd))
			return;
		peer_disassociate(pp);
		return;
	}
	fd = peer_socket(SOCK_STREAM);
	if (fd < 0)
		return;
	/* a UNIX connect completes at once or fails at once, even non-blocking */
	if (connect(fd, (const struct sockaddr *)&pp->addr, sizeof(pp->addr))) {
		close(fd);
		return;
	}
	peer_attach(pp, fd);
}

/* no peer: take one that is waiting to connect, or drop what strangers sent */
static void peer_poll_waiting(struct peer_port *pp)
{
	uint8_t junk[1];
	int fd;

	if (pp->mode == PEER_STREAM_LISTEN) {
		fd = accept4(pp->sock, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd >= 0)
			peer_attach(pp, fd);
		return;
	}
	peer_try_connect(pp);
	if (pp->inner)
		return;
	for (int i = 0; i < PEER_DRAIN_MAX; i++)
		if (recv(pp->sock, junk, sizeof(junk), MSG_DONTWAIT | MSG_TRUNC) < 0)
			break;
}

/* write out what a slow peer has waiting; poll EPOLLOUT while anything is left */
static void peer_flush(struct peer_port *pp)
{
	int r;

	if (!pp->inner->ops->tx_flush)
		return;
	r = pp->inner->ops->tx_flush(pp->inner);
	if (r < 0) {
		peer_detach(pp, r);
		return;
	}
	if ((r > 0) != pp->out) {
		struct epoll_event ev = { .events = EPOLLIN | (r > 0 ? EPOLLOUT : 0) };

		epoll_ctl(pp->port.fd, EPOLL_CTL_MOD, pp->inner->fd, &ev);
		pp->out = r > 0;
	}
	/* frames wait for the peer: the datapath holds back what feeds this port */
	pp->port.tx_busy = pp->out;
}

static int peer_rx_burst(struct port *p, struct frame **frames, unsigned n)
{
	struct peer_port *pp = peer_port(p);
	int r;

	if (!pp->inner) {
		peer_poll_waiting(pp);
		return 0;
	}
	if (pp->out)
		peer_flush(pp);
	if (!pp->inner)
		return 0;
	r = pp->inner->ops->rx_burst(pp->inner, frames, n);
	peer_sync_counters(pp);
	if (r < 0) {
		peer_detach(pp, r);
		p->rx_more = false;
		return 0;
	}
	p->rx_more = pp->inner->rx_more;
	return r;
}

static int peer_tx_burst(struct port *p, struct frame **frames, unsigned n)
{
	struct peer_port *pp = peer_port(p);
	int r;

	if (!pp->inner)
		return 0;
	r = pp->inner->ops->tx_burst(pp->inner, frames, n);
	peer_sync_counters(pp);
	if (r < 0) {
		peer_detach(pp, r);
		return 0;
	}
	peer_flush(pp);
	return r;
}

/*
 * A dgram peer is gone when nothing is bound at its path any more, or when another socket is
 * (a restarted QEMU binds its path anew): our socket is still connected to the old one, which
 * would refuse the new one's datagrams, so connect again at once.
 */
static void peer_tick(struct port *p)
{
	struct peer_port *pp = peer_port(p);

	if (pp->inner && pp->mode == PEER_DGRAM &&
	    (!peer_file_same(&pp->peer, &pp->peer_id) || !peer_bound(&pp->peer)))
		peer_detach(pp, -ENOTCONN);
	if (!pp->inner)
		peer_try_connect(pp);
}

/* remove @path if it is a socket (the one kvnet bound): never any other file */
static void peer_unlink_socket(const char *path)
{
	struct stat st;

	if (!lstat(path, &st) && S_ISSOCK(st.st_mode))
		unlink(path);
}

static void peer_destroy(struct port *p)
{
	struct peer_port *pp = peer_port(p);

	if (!p)
		return;
	if (pp->inner)
		pp->inner->ops->destroy(pp->inner);
	if (pp->sock >= 0) {
		close(pp->sock);
		peer_unlink_socket(pp->addr.sun_path);
	}
	close(pp->port.fd);
	free(pp);
}

static const struct port_ops peer_stream_ops = {
	.kind = "stream",
	.rx_burst = peer_rx_burst,
	.tx_burst = peer_tx_burst,
	.destroy = peer_destroy,
	.tick = peer_tick,
};

static const struct port_ops peer_dgram_ops = {
	.kind = "dgram",
	.rx_burst = peer_rx_burst,
	.tx_burst = peer_tx_burst,
	.destroy = peer_destroy,
	.tick = peer_tick,
};

/* @path into @a. Return: 0, or -ENAMETOOLONG / -EINVAL with @err filled */
static int peer_addr(struct sockaddr_un *a, const char *name, const char *path, char *err,
		     size_t errlen)
{
	a->sun_family = AF_UNIX;
	if (!path || !*path) {
		snprintf(err, errlen, "port '%s': a socket path is needed", name);
		return -EINVAL;
	}
	if (strlen(path) >= sizeof(a->sun_path)) {
		snprintf(err, errlen, "port '%s': socket path '%.200s' is longer than %zu bytes",
			 name, path, sizeof(a->sun_path) - 1);
		return -ENAMETOOLONG;
	}
	memcpy(a->sun_path, path, strlen(path) + 1);
	return 0;
}

/* bind (and for stream, listen on) @pp->addr, replacing a stale socket file there */
static int peer_bind(struct peer_port *pp, char *err, size_t errlen)
{
	const char *path = pp->addr.sun_path;
	int type = pp->mode == PEER_DGRAM ? SOCK_DGRAM : SOCK_STREAM;

	pp->sock = peer_socket(type);
	if (pp->sock < 0) {
		int e = errno;

		snprintf(err, errlen, "port '%s': socket: %s", pp->port.ifname, strerror(e));
		return -e;
	}
	peer_unlink_socket(path);
	if (bind(pp->sock, (const struct sockaddr *)&pp->addr, sizeof(pp->addr)) ||
	    (type == SOCK_STREAM && listen(pp->sock, 4))) {
		int e = errno;

		snprintf(err, errlen, "port '%s': cannot %s '%s': %s", pp->port.ifname,
			 type == SOCK_STREAM ? "listen on" : "bind", path, strerror(e));
		return -e;
	}
	return 0;
}

int peer_port_open(enum peer_mode mode, const char *name, const char *path, const char *peer_path,
		   struct port **out, char *err, size_t errlen)
{
	struct peer_port *pp;
	int ret;

	if (!name || !*name || strlen(name) >= IF_NAMESIZE) {
		snprintf(err, errlen, "socket port name '%s' is not valid", name ? name : "");
		return -EINVAL;
	}
	pp = calloc(1, sizeof(*pp));
	if (!pp) {
		snprintf(err, errlen, "port '%s': %s", name, strerror(ENOMEM));
		return -ENOMEM;
	}
	pp->port.ops = mode == PEER_DGRAM ? &peer_dgram_ops : &peer_stream_ops;
	pp->port.fd = epoll_create1(EPOLL_CLOEXEC);
	pp->port.no_peer = true;
	pp->port.peer_err = -ENOTCONN;
	pp->mode = mode;
	pp->sock = -1;
	memcpy(pp->port.ifname, name, strlen(name) + 1);
	ret = peer_addr(&pp->addr, name, path, err, errlen);
	if (!ret && mode == PEER_DGRAM)
		ret = peer_addr(&pp->peer, name, peer_path, err, errlen);
	if (!ret && pp->port.fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "port '%s': epoll_create1: %s", name, strerror(-ret));
	}
	if (!ret && mode != PEER_STREAM_CONNECT) {
		ret = peer_bind(pp, err, errlen);
		if (!ret)
			peer_watch(pp, pp->sock, false);
	}
	if (ret) {
		if (pp->sock >= 0)
			close(pp->sock);
		if (pp->port.fd >= 0)
			close(pp->port.fd);
		free(pp);
		return ret;
	}
	peer_try_connect(pp);
	*out = &pp->port;
	return 0;
}
