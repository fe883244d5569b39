/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vhost_user.c - port back-end for vhost-user front-ends (QEMU, DPDK's virtio-user)
 *
 * Theory of Operation
 *
 * kvnet listens on a UNIX socket per port and the front-end connects, or (client mode:
 * QEMU's -chardev socket,server=on, DPDK's virtio-user server=1) the front-end listens
 * and kvnet connects. Either way the front-end then sets the device up with messages
 * (vhost_user_msg.c), shares the guest's memory and gives an eventfd per ring to kick
 * kvnet (kick) and one for kvnet to interrupt the guest (call). Frames then move through
 * the rings in shared memory (vhost_user_net.c): no system call per frame.
 *
 * The datapath polls one descriptor per port (port.fd). Here it is an epoll set of the
 * port's own, as peer.c has, holding what the port waits on at the moment: the listening
 * socket while no front-end is connected (nothing in client mode: the once-a-second tick
 * tries to connect, so a front-end that is not there yet or went away is reached again
 * within a second of listening, as QEMU's reconnect= expects of the other side), else the
 * connection and the guest's transmit kick eventfd. So one wake-up of the datapath serves both control messages and frames,
 * and a port with nothing to do costs nothing. A wake-up asks the set which of them is
 * ready (one epoll_wait with no timeout), reads the messages that came whole, clears the
 * kick and takes a burst from the ring; when chains are left (the burst was full, or the
 * guest added more without a kick, as EVENT_IDX lets it), rx_more makes the datapath
 * call again without waiting. The call eventfd is written once per burst, when the ring
 * says the guest wants it.
 *
 * Busy polling (kvnetd --busy-poll USEC, vhost_user_busy_poll()). A kick costs the guest an
 * exit to its hypervisor and kvnet a wake-up, for every burst. So once a burst found
 * frames the port polls the ring instead: the guest is asked not to kick (virtq_publish()
 * with EVENT_IDX's avail_event a ring ahead, or VRING_USED_F_NO_NOTIFY) and rx_more keeps
 * the datapath calling, until USEC pass without a frame. Then kicks are asked for again and
 * the ring is looked at once more after that (a chain added just before would bring no
 * kick), and the port sleeps until the next one. So a busy port is served without a kick
 * or a wake-up, a port costs at most USEC of polling after its last frame, and an idle one
 * nothing; USEC 0 turns it off.
 *
 * The link is up while a front-end is connected and both rings run. A message that breaks
 * the protocol closes the connection, logged with the reason; so does a guest breaking its
 * rings. The device is reset (memory unmapped, eventfds closed) and the socket waits for
 * the next front-end, as after a disconnect. One front-end at a time: while one is
 * connected the listening socket is out of the set and a second waits in the backlog.
 *
 * A descriptor kvnet was given may also be held by the front-end, so closing it would not
 * take it out of the set: the kick eventfd is taken out before every message (which may
 * replace or close it) and put back after.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "port/guest_mem_guard.h"
#include "port/port.h"
#include "port/vhost_user_dev.h"
#include "util/log.h"

/* messages read per wake-up: a front-end setting up sends a few dozen */
#define VHOST_MSGS_PER_POLL 64

/* how long a port polls its guest's ring after the last frame: the datapath's window */
static uint64_t vhost_poll_ns = 50000;

void vhost_user_busy_poll(unsigned long usec)
{
	vhost_poll_ns = (uint64_t)usec * 1000;
}

static uint64_t vhost_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

enum vhost_tag {
	VHOST_TAG_LISTEN,
	VHOST_TAG_CONN,
	VHOST_TAG_KICK,
};

/**
 * struct vhost_port - a vhost-user port
 * @port:	the generic part, first; its fd is the port's epoll set
 * @sock:	the listening socket, -1 in client mode
 * @conn:	the front-end's connection, -1 if none
 * @watched:	the kick eventfd in the set, -1 if none
 * @addr:	@sock's path, or the front-end's (client mode)
 * @client:	kvnet connects to the front-end at @addr
 * @dev:	the device
 * @env:	how @dev maps memory and closes descriptors
 * @msg:	the message being read
 * @have:	bytes of it read so far (header, then payload)
 * @fds:	descriptors that came with it
 * @nfds:	how many
 * @poll_until:	the ring is polled, the guest's kicks off, until then (CLOCK_MONOTONIC, ns)
 */
struct vhost_port {
	struct port port;
	int sock;
	int conn;
	int watched;
	struct sockaddr_un addr;
	bool client;
	struct vhost_user_dev dev;
	struct vhost_user_env env;
	struct vhost_user_msg msg;
	uint32_t have;
	int fds[VHOST_USER_FDS_MAX];
	unsigned int nfds;
	uint64_t poll_until;
	atomic_bool mem_lost; /* guest_mem_guard.h: the front-end shrank its memory file */
};

static struct vhost_port *vhost_port(struct port *p)
{
	return (struct vhost_port *)p;
}

static void *vhost_map(void *ctx, int fd, uint64_t *lenp)
{
	struct vhost_port *vp = ctx;
	uint64_t len = *lenp;
	struct stat st;
	uint64_t align;
	void *p;

	if (fstat(fd, &st))
		return NULL;
	/* a region past the file's end would fault (SIGBUS) when touched */
	if (S_ISREG(st.st_mode) && (uint64_t)st.st_size < len)
		return NULL;
	/* hugetlbfs gives its page size as the block size, and maps only whole pages */
	align = st.st_blksize > 4096 ? (uint64_t)st.st_blksize : 4096;
	len = (len + align - 1) / align * align;
	if (len > SIZE_MAX)
		return NULL;
	p = mmap(NULL, (size_t)len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return NULL;
	if (guest_mem_guard_add(p, (size_t)len, &vp->mem_lost)) {
		munmap(p, (size_t)len);
		return NULL;
	}
	*lenp = len;
	return p;
}

static void vhost_unmap(void *ctx, void *addr, uint64_t len)
{
	(void)ctx;
	guest_mem_guard_del(addr);
	munmap(addr, (size_t)len);
}

static void vhost_close_fd(void *ctx, int fd)
{
	(void)ctx;
	close(fd);
}

static void vhost_watch(struct vhost_port *vp, int fd, enum vhost_tag tag)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = tag };

	epoll_ctl(vp->port.fd, EPOLL_CTL_ADD, fd, &ev);
}

static void vhost_unwatch(struct vhost_port *vp, int fd)
{
	epoll_ctl(vp->port.fd, EPOLL_CTL_DEL, fd, NULL);
}

static void vhost_unwatch_kick(struct vhost_port *vp)
{
	if (vp->watched >= 0)
		vhost_unwatch(vp, vp->watched);
	vp->watched = -1;
}

static void vhost_watch_kick(struct vhost_port *vp)
{
	int fd = vp->dev.kick[VHOST_USER_TX];

	if (fd >= 0 && vp->watched < 0) {
		vhost_watch(vp, fd, VHOST_TAG_KICK);
		vp->watched = fd;
	}
}

/* the link follows the rings; the offloads, what the guest negotiated to take */
static void vhost_sync_link(struct vhost_port *vp)
{
	uint64_t f = vp->dev.features;

	vp->port.no_peer = vp->conn < 0 || !vhost_user_dev_ready(&vp->dev);
	vp->port.offloads = 0;
	if (f >> VIRTIO_NET_F_GUEST_CSUM & 1) {
		vp->port.offloads |= PORT_OFFLOAD_CSUM;
		if (f >> VIRTIO_NET_F_GUEST_TSO4 & 1)
			vp->port.offloads |= PORT_OFFLOAD_TSO4;
		if (f >> VIRTIO_NET_F_GUEST_TSO6 & 1)
			vp->port.offloads |= PORT_OFFLOAD_TSO6;
	}
}

static void vhost_drop_fds(struct vhost_port *vp)
{
	for (unsigned int i = 0; i < vp->nfds; i++)
		close(vp->fds[i]);
	vp->nfds = 0;
}

/* the front-end is gone (@why), or broke the protocol: wait for the next one */
static void vhost_disconnect(struct vhost_port *vp, int why)
{
	vhost_unwatch_kick(vp);
	vhost_unwatch(vp, vp->conn);
	close(vp->conn);
	vp->conn = -1;
	vhost_drop_fds(vp);
	vp->have = 0;
	vhost_user_dev_reset(&vp->dev);
	vp->port.peer_err = why;
	vp->port.rx_more = false;
	if (!vp->client)
		vhost_watch(vp, vp->sock, VHOST_TAG_LISTEN);
	vhost_sync_link(vp);
}

/* Return: true if a page of the guest's memory vanished (guest_mem_guard.h): then gone */
static bool vhost_mem_lost(struct vhost_port *vp)
{
	if (!atomic_load_explicit(&vp->mem_lost, memory_order_relaxed))
		return false;
	log_warn("port %s: the vhost-user front-end shrank the guest memory it shared: "
		 "connection closed",
		 vp->port.ifname);
	vhost_disconnect(vp, -ECONNABORTED);
	atomic_store_explicit(&vp->mem_lost, false, memory_order_relaxed);
	return true;
}

/* the front-end is on @fd: wait for its messages */
static void vhost_attach(struct vhost_port *vp, int fd)
{
	vp->conn = fd;
	vp->have = 0;
	vhost_watch(vp, fd, VHOST_TAG_CONN);
	log_info("port %s: vhost-user front-end connected", vp->port.ifname);
}

static void vhost_accept(struct vhost_port *vp)
{
	int fd = accept4(vp->sock, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

	if (fd < 0)
		return;
	vhost_unwatch(vp, vp->sock);
	vhost_attach(vp, fd);
}

/*
 * Client mode: connect to the front-end's socket. A UNIX socket's connect does not block
 * (it succeeds, or the listener is not there: ENOENT, ECONNREFUSED; or its backlog is
 * full: EAGAIN); any failure waits for the next tick.
 */
static void vhost_try_connect(struct vhost_port *vp)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return;
	if (connect(fd, (const struct sockaddr *)&vp->addr, sizeof(vp->addr))) {
		close(fd);
		return;
	}
	vhost_attach(vp, fd);
}

/* once a second: in client mode without a front-end, try to reach it again */
static void vhost_tick(struct port *p)
{
	struct vhost_port *vp = vhost_port(p);

	if (vp->client && vp->conn < 0) {
		vhost_try_connect(vp);
		vhost_sync_link(vp);
	}
}

/* the descriptors of a received control message into @vp->fds */
static void vhost_take_fds(struct vhost_port *vp, struct msghdr *mh)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
		size_t n;

		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < n; i++) {
			int fd;

			memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(fd));
			if (vp->nfds < VHOST_USER_FDS_MAX)
				vp->fds[vp->nfds++] = fd;
			else
				close(fd); /* too many: the message is refused below */
		}
	}
}

/*
 * Read on at the message being read. Return: 1 when it is whole, 0 when the rest has not
 * come yet, or a negative errno (-ENOTCONN: the front-end hung up; -EPROTO: too long)
 */
static int vhost_read_msg(struct vhost_port *vp)
{
	union {
		char buf[CMSG_SPACE(sizeof(int) * VHOST_USER_FDS_MAX)];
		struct cmsghdr align;
	} cbuf;

	for (;;) {
		uint32_t want = VHOST_USER_HDR_SIZE;
		struct iovec iov;
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
		ssize_t r;

		if (vp->have >= VHOST_USER_HDR_SIZE) {
			if (vp->msg.hdr.size > VHOST_USER_PAYLOAD_MAX) {
				snprintf(vp->dev.why, sizeof(vp->dev.why),
					 "request %u: a payload of %u bytes (kvnet reads up to %d)",
					 vp->msg.hdr.request, vp->msg.hdr.size,
					 VHOST_USER_PAYLOAD_MAX);
				return -EPROTO;
			}
			want += vp->msg.hdr.size;
			if (vp->have == want)
				return 1;
			iov.iov_base = vp->msg.u.raw + (vp->have - VHOST_USER_HDR_SIZE);
		} else {
			iov.iov_base = (uint8_t *)&vp->msg.hdr + vp->have;
			/* descriptors come with the header's bytes */
			mh.msg_control = cbuf.buf;
			mh.msg_controllen = sizeof(cbuf.buf);
		}
		iov.iov_len = want - vp->have;
		r = recvmsg(vp->conn, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
		if (r < 0)
			return errno == EAGAIN || errno == EINTR ? 0 : -ENOTCONN;
		if (r == 0)
			return -ENOTCONN;
		if (mh.msg_controllen)
			vhost_take_fds(vp, &mh);
		vp->have += (uint32_t)r;
	}
}

/* handle the whole message read. Return: 0, or a negative errno to disconnect */
static int vhost_handle_msg(struct vhost_port *vp)
{
	struct vhost_user_msg reply;
	struct iovec iov[2];
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = 2 };
	ssize_t len;
	int ret;

	vhost_unwatch_kick(vp);
	ret = vhost_user_handle(&vp->dev, &vp->msg, vp->fds, vp->nfds, &reply);
	vp->nfds = 0; /* the device's now */
	vp->have = 0;
	if (ret)
		return ret;
	vhost_watch_kick(vp);
	if (!reply.hdr.request)
		return 0;
	iov[0].iov_base = &reply.hdr;
	iov[0].iov_len = VHOST_USER_HDR_SIZE;
	iov[1].iov_base = reply.u.raw;
	iov[1].iov_len = reply.hdr.size;
	len = VHOST_USER_HDR_SIZE + (ssize_t)reply.hdr.size;
	/* a reply is a few bytes into an idle socket: not taken means the peer is stuck */
	if (sendmsg(vp->conn, &mh, MSG_DONTWAIT | MSG_NOSIGNAL) != len) {
		snprintf(vp->dev.why, sizeof(vp->dev.why), "the reply to request %u was not taken",
			 reply.hdr.request);
		return -EPROTO;
	}
	return 0;
}

/* read and handle the messages that came */
static void vhost_serve_conn(struct vhost_port *vp)
{
	for (int i = 0; i < VHOST_MSGS_PER_POLL && vp->conn >= 0; i++) {
		int r = vhost_read_msg(vp);

		if (r > 0)
			r = vhost_handle_msg(vp);
		if (vhost_mem_lost(vp))
			return;
		if (r == -EPROTO)
			log_warn(
				"port %s: vhost-user front-end broke the protocol (%s): connection "
				"closed",
				vp->port.ifname, vp->dev.why);
		if (r < 0) {
			vhost_disconnect(vp, r == -EPROTO ? -ECONNABORTED : -ENOTCONN);
			return;
		}
		if (r == 0)
			break;
	}
	vhost_sync_link(vp);
}

static void vhost_clear_kick(struct vhost_port *vp)
{
	uint64_t v;

	if (vp->watched >= 0 && read(vp->watched, &v, sizeof(v)) < 0 && errno != EAGAIN)
		vhost_unwatch_kick(vp);
}

static void vhost_call(int fd)
{
	uint64_t one = 1;

	/* a full counter means the guest has a wake-up waiting anyway */
	if (fd >= 0 && write(fd, &one, sizeof(one)) < 0 && errno != EAGAIN)
		return;
}

static void vhost_ring_broken(struct vhost_port *vp, const char *ring)
{
	log_warn("port %s: the guest broke its %s ring: connection closed", vp->port.ifname, ring);
	vhost_disconnect(vp, -ECONNABORTED);
}

static int vhost_rx_burst(struct port *p, struct frame **frames, unsigned n)
{
	struct vhost_port *vp = vhost_port(p);
	struct epoll_event ev[4];
	bool notify, more, poll;
	uint64_t now;
	int nev, r;

	nev = epoll_wait(p->fd, ev, 4, 0);
	for (int i = 0; i < nev; i++) {
		if (ev[i].data.u32 == VHOST_TAG_LISTEN && vp->conn < 0)
			vhost_accept(vp);
		else if (ev[i].data.u32 == VHOST_TAG_CONN && vp->conn >= 0)
			vhost_serve_conn(vp);
		else if (ev[i].data.u32 == VHOST_TAG_KICK)
			vhost_clear_kick(vp);
	}
	p->rx_more = false;
	if (vp->conn < 0)
		return 0;
	now = vhost_now();
	poll = now < vp->poll_until;
	r = vhost_user_net_rx(&vp->dev, frames, n, poll, &p->rx_errors, &notify, &more);
	if (vhost_mem_lost(vp))
		return 0; /* what was read may be the zeros put in its place */
	if (notify)
		vhost_call(vp->dev.call[VHOST_USER_TX]);
	if (r < 0) {
		vhost_ring_broken(vp, "transmit");
		return 0;
	}
	if (r > 0 && vhost_poll_ns)
		vp->poll_until = now + vhost_poll_ns;
	/* polling, or about to: come back without a kick; else more came before the kick */
	p->rx_more = more || poll || (r > 0 && vhost_poll_ns);
	return r;
}

static int vhost_tx_burst(struct port *p, struct frame **frames, unsigned n)
{
	struct vhost_port *vp = vhost_port(p);
	bool notify;
	int r;

	if (p->no_peer)
		return 0;
	r = vhost_user_net_tx(&vp->dev, frames, n, &p->tx_errors, &notify);
	if (vhost_mem_lost(vp))
		return 0;
	if (notify)
		vhost_call(vp->dev.call[VHOST_USER_RX]);
	if (r < 0) {
		vhost_ring_broken(vp, "receive");
		return 0;
	}
	return r;
}

/* remove @path if it is a socket (the one kvnet bound): never any other file */
static void vhost_unlink_socket(const char *path)
{
	struct stat st;

	if (!lstat(path, &st) && S_ISSOCK(st.st_mode))
		unlink(path);
}

static void vhost_destroy(struct port *p)
{
	struct vhost_port *vp = vhost_port(p);

	if (!p)
		return;
	if (vp->conn >= 0)
		vhost_disconnect(vp, -ENOTCONN);
	if (vp->sock >= 0) { /* the front-end's socket, in client mode, is left alone */
		close(vp->sock);
		vhost_unlink_socket(vp->addr.sun_path);
	}
	if (p->fd >= 0)
		close(p->fd);
	free(vp->dev.scratch);
	free(vp);
}

static const struct port_ops vhost_ops = {
	.kind = "vhost-user",
	.rx_burst = vhost_rx_burst,
	.tx_burst = vhost_tx_burst,
	.destroy = vhost_destroy,
	.tick = vhost_tick,
};

/* the listening socket at @vp->addr, a stale one there replaced. Return: 0 or -errno */
static int vhost_listen(struct vhost_port *vp, char *err, size_t errlen)
{
	const char *path = vp->addr.sun_path;
	int e;

	vp->sock = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (vp->sock < 0) {
		e = errno;
		snprintf(err, errlen, "port '%s': socket: %s", vp->port.ifname, strerror(e));
		return -e;
	}
	vhost_unlink_socket(path);
	if (bind(vp->sock, (const struct sockaddr *)&vp->addr, sizeof(vp->addr)) ||
	    listen(vp->sock, 4)) {
		e = errno;
		snprintf(err, errlen, "port '%s': cannot listen on '%s': %s", vp->port.ifname, path,
			 strerror(e));
		return -e;
	}
	vhost_watch(vp, vp->sock, VHOST_TAG_LISTEN);
	return 0;
}

int vhost_user_port_open(const char *name, const char *path, bool connect, struct port **out,
			 char *err, size_t errlen)
{
	struct vhost_port *vp;
	int ret = -ENOMEM;

	if (!name || !*name || strlen(name) >= IF_NAMESIZE) {
		snprintf(err, errlen, "vhost-user port name '%s' is not valid", name ? name : "");
		return -EINVAL;
	}
	if (!path || !*path || strlen(path) >= sizeof(vp->addr.sun_path)) {
		snprintf(err, errlen, "port '%s': socket path '%.200s' must be 1 to %zu bytes",
			 name, path ? path : "", sizeof(vp->addr.sun_path) - 1);
		return path && *path ? -ENAMETOOLONG : -EINVAL;
	}
	vp = calloc(1, sizeof(*vp));
	if (!vp)
		goto fail;
	vp->dev.scratch = malloc(FRAME_BUF_SIZE);
	if (!vp->dev.scratch)
		goto free_port;
	vp->env = (struct vhost_user_env){
		.ctx = vp, .map = vhost_map, .unmap = vhost_unmap, .close_fd = vhost_close_fd
	};
	vhost_user_dev_init(&vp->dev, &vp->env);
	vp->port.ops = &vhost_ops;
	vp->port.no_peer = true;
	vp->port.peer_err = -ENOTCONN;
	vp->conn = -1;
	vp->sock = -1;
	vp->watched = -1;
	vp->client = connect;
	memcpy(vp->port.ifname, name, strlen(name) + 1);
	vp->addr.sun_family = AF_UNIX;
	memcpy(vp->addr.sun_path, path, strlen(path) + 1);
	vp->port.fd = epoll_create1(EPOLL_CLOEXEC);
	if (vp->port.fd < 0) {
		ret = -errno;
		goto free_scratch;
	}
	if (connect)
		vhost_try_connect(vp); /* not there yet: the tick tries again */
	ret = connect ? 0 : vhost_listen(vp, err, errlen);
	if (ret) {
		if (vp->sock >= 0)
			close(vp->sock);
		close(vp->port.fd);
		free(vp->dev.scratch);
		free(vp);
		return ret;
	}
	*out = &vp->port;
	return 0;
free_scratch:
	free(vp->dev.scratch);
free_port:
	free(vp);
fail:
	snprintf(err, errlen, "port '%s': %s", name, strerror(-ret));
	return ret;
}
