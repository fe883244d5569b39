/* SPDX-License-Identifier: GPL-2.0-or-later */
/* af_packet.c - port back-end for an existing interface through an AF_PACKET socket
 *
 * Theory of Operation
 *
 * One SOCK_RAW packet socket bound to the interface for every protocol
 * (ETH_P_ALL), in promiscuous mode through a PACKET_MR_PROMISC membership
 * (dropped by the kernel when the socket closes). PACKET_IGNORE_OUTGOING
 * keeps our own transmissions, and anything else the host sends out of the
 * interface, from being read back. The socket is made with protocol 0 and
 * only bound once it is set up, so no frame of another interface is ever
 * queued on it.
 *
 * PACKET_VNET_HDR prepends a 10-byte virtio-net header (legacy layout,
 * host byte order: the kernel uses the legacy virtio endianness for packet
 * sockets) to every frame read and written, so GRO'd and GSO frames of up
 * to 64 KiB and checksum-offloaded frames keep their metadata.
 *
 * VLAN tags: on receive the kernel takes the outer 802.1Q/802.1ad tag out
 * of the frame (skb_vlan_untag, or the NIC did it) and reports it only in
 * PACKET_AUXDATA. TP_STATUS_VLAN_VALID says a tag was there, even one with
 * TCI 0 (a priority tag); tp_vlan_tpid is its TPID when
 * TP_STATUS_VLAN_TPID_VALID is set. We put the tag back into the frame's
 * headroom before the core sees the frame; the virtio-net offsets were
 * computed on the untagged frame and move with the headers. On transmit a
 * tag in the bytes is sent as it is.
 *
 * Frames are read from a TPACKET_V2 receive ring (af_packet_ring.c), with
 * no system call while they keep coming; if the kernel gives no ring, or
 * for a frame too big for a slot, with recvmmsg(). They are written in
 * batches with sendmmsg(): a PACKET_TX_RING would have to hold 64 KiB slots
 * for GSO frames, and the kernel keeps a slot until the peer has consumed
 * the frame. Nothing blocks. The interface going down or away is reported
 * once through the socket error (ENETDOWN), which the burst returns as
 * -ENETDOWN.
 */

#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <net/if_arp.h>
#include <linux/if_packet.h>

#include "core/eth.h"
#include "port/af_packet_priv.h"
#include "port/port.h"
#include "util/log.h"

#define AF_PACKET_P_ALL 0x0003 /* ETH_P_ALL */
/* enough queued receive buffer for a few dozen 64 KiB frames */
#define AF_PACKET_RCVBUF (4 << 20)

static struct af_packet_port *af_packet_port(struct port *p)
{
	return (struct af_packet_port *)p;
}

void af_packet_vnet_to_meta(const struct af_packet_vnet *h, struct vnet_meta *m)
{
	m->flags = h->flags;
	m->gso_type = h->gso_type;
	m->hdr_len = h->hdr_len;
	m->gso_size = h->gso_size;
	m->csum_start = h->csum_start;
	m->csum_offset = h->csum_offset;
}

static void af_packet_meta_to_vnet(const struct vnet_meta *m, struct af_packet_vnet *h)
{
	h->flags = m->flags;
	h->gso_type = m->gso_type;
	h->hdr_len = m->hdr_len;
	h->gso_size = m->gso_size;
	h->csum_start = m->csum_start;
	h->csum_offset = m->csum_offset;
}

int af_packet_put_tag(struct frame *f, uint32_t status, uint16_t tci, uint16_t tpid)
{
	if (!(status & TP_STATUS_VLAN_VALID))
		return 0;
	if (!(status & TP_STATUS_VLAN_TPID_VALID))
		tpid = ETH_P_8021Q;
	if (f->len < 2 * ETH_ALEN || eth_push_tag(f, tci))
		return -1;
	eth_put_be16(f->data + 2 * ETH_ALEN, tpid);
	return 0;
}

/*
 * Put back the tag the kernel took out on receive, from the auxdata of @msg.
 * Return: 0, or -1 if the frame cannot take it (runt, or no headroom)
 */
static int af_packet_restore_tag(struct frame *f, const struct msghdr *msg)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(msg); c; c = CMSG_NXTHDR((struct msghdr *)msg, c)) {
		struct tpacket_auxdata aux;

		if (c->cmsg_level != SOL_PACKET || c->cmsg_type != PACKET_AUXDATA ||
		    c->cmsg_len < CMSG_LEN(sizeof(aux)))
			continue;
		memcpy(&aux, CMSG_DATA(c), sizeof(aux));
		return af_packet_put_tag(f, aux.tp_status, aux.tp_vlan_tci, aux.tp_vlan_tpid);
	}
	return 0;
}

int af_packet_recv_burst(struct port *p, struct frame **frames, unsigned n)
{
	struct af_packet_port *a = af_packet_port(p);
	unsigned got = 0, done = 0;

	while (done < n) {
		unsigned batch = n - done < AF_PACKET_BATCH ? n - done : AF_PACKET_BATCH;
		unsigned base = got;
		int r;

		for (unsigned i = 0; i < batch; i++) {
			struct frame *f = frames[base + i];
			struct msghdr *m = &a->msg[i].msg_hdr;

			f->data = f->head + FRAME_HEADROOM;
			a->iov[i][0].iov_base = &a->vnet[i];
			a->iov[i][0].iov_len = sizeof(a->vnet[i]);
			a->iov[i][1].iov_base = f->data;
			a->iov[i][1].iov_len = f->size - FRAME_HEADROOM;
			memset(m, 0, sizeof(*m));
			m->msg_iov = a->iov[i];
			m->msg_iovlen = 2;
			m->msg_control = a->cmsg[i].buf;
			m->msg_controllen = sizeof(a->cmsg[i].buf);
		}
		r = recvmmsg(p->fd, a->msg, batch, MSG_DONTWAIT, NULL);
		if (r < 0) {
			if (errno == EAGAIN || errno == EINTR)
				break;
			if (errno == ENETDOWN || errno == ENXIO)
				return -ENETDOWN;
			if (errno != EINVAL && errno != ENOBUFS)
				return -errno;
			/* a frame the kernel could not describe in a header, dropped */
			p->rx_errors++;
			done++;
			continue;
		}

		/* good frames stay packed at the front: a bad one swaps places with the next */
		for (unsigned i = 0; i < (unsigned)r; i++) {
			struct frame *f = frames[base + i];
			struct msghdr *m = &a->msg[i].msg_hdr;
			uint32_t len = a->msg[i].msg_len;

			if (base + i != got) {
				frames[base + i] = frames[got];
				frames[got] = f;
			}
			if ((m->msg_flags & MSG_TRUNC) || len < sizeof(struct af_packet_vnet)) {
				p->rx_errors++;
				continue;
			}
			f->len = len - (uint32_t)sizeof(struct af_packet_vnet);
			af_packet_vnet_to_meta(&a->vnet[i], &f->vnet);
			if (af_packet_restore_tag(f, m)) {
				p->rx_errors++;
				continue;
			}
			got++;
		}
		done += (unsigned)r;
		if ((unsigned)r < batch)
			break;
	}
	return (int)got;
}

static int af_packet_rx_burst(struct port *p, struct frame **frames, unsigned n)
{
	if (af_packet_port(p)->ring.map)
		return af_packet_ring_rx_burst(p, frames, n);
	return af_packet_recv_burst(p, frames, n);
}

static int af_packet_tx_burst(struct port *p, struct frame **frames, unsigned n)
{
	struct af_packet_port *a = af_packet_port(p);
	unsigned sent = 0, done = 0;

	p->tx_busy = false;
	while (done < n) {
		unsigned batch = n - done < AF_PACKET_BATCH ? n - done : AF_PACKET_BATCH;
		int r;

		for (unsigned i = 0; i < batch; i++) {
			struct frame *f = frames[done + i];
			struct msghdr *m = &a->msg[i].msg_hdr;

			af_packet_meta_to_vnet(&f->vnet, &a->vnet[i]);
			a->iov[i][0].iov_base = &a->vnet[i];
			a->iov[i][0].iov_len = sizeof(a->vnet[i]);
			a->iov[i][1].iov_base = f->data;
			a->iov[i][1].iov_len = f->len;
			memset(m, 0, sizeof(*m));
			m->msg_iov = a->iov[i];
			m->msg_iovlen = 2;
		}
		r = sendmmsg(p->fd, a->msg, batch, MSG_DONTWAIT);
		if (r < 0) {
			if (errno == ENETDOWN || errno == ENXIO) {
				p->tx_errors += n - done;
				return -ENETDOWN;
			}
			if (errno == EAGAIN || errno == ENOBUFS) {
				/* the queue is full: what is left of the burst is dropped */
				p->tx_full += n - done;
				p->tx_busy = true;
				break;
			}
			if (errno == EINTR)
				continue;
			/* EMSGSIZE, EINVAL: that one frame is bad; go on after it */
			p->tx_errors++;
			done++;
			continue;
		}
		sent += (unsigned)r;
		done += (unsigned)r;
	}
	return (int)sent;
}

/*
 * Frames the kernel dropped because the socket's queue was full (kvnetd did not read in time)
 * are counted as the port's rx_overrun; the kernel's counter restarts at each read.
 */
static void af_packet_tick(struct port *p)
{
	struct tpacket_stats st;
	socklen_t len = sizeof(st);

	if (!getsockopt(p->fd, SOL_PACKET, PACKET_STATISTICS, &st, &len))
		p->rx_overrun += st.tp_drops;
	/* a fanout group's other sockets: only this touches their rx_overrun */
	for (unsigned int i = 0; i < p->n_queues; i++)
		af_packet_tick(p->queues[i]);
}

static void af_packet_destroy(struct port *p)
{
	if (!p)
		return;
	for (unsigned int i = 0; i < p->n_queues; i++)
		af_packet_destroy(p->queues[i]);
	free(p->queues);
	af_packet_ring_free(af_packet_port(p));
	if (p->fd >= 0)
		close(p->fd);
	free(af_packet_port(p));
}

static const struct port_ops af_packet_ops = {
	.kind = "dev",
	.rx_burst = af_packet_rx_burst,
	.tx_burst = af_packet_tx_burst,
	.destroy = af_packet_destroy,
	.tick = af_packet_tick,
};

static int af_packet_setopt(struct af_packet_port *a, int level, int opt, const char *what,
			    const void *val, socklen_t len, char *err, size_t errlen)
{
	if (setsockopt(a->port.fd, level, opt, val, len) < 0) {
		int e = errno;

		snprintf(err, errlen, "cannot attach interface '%s': %s (%s)", a->port.ifname,
			 strerror(e), what);
		return -e;
	}
	return 0;
}

/*
 * A receive ring (af_packet_ring.c) only with KVNET_AF_PACKET_RING=1 in kvnetd's environment,
 * else recvmmsg(). The ring's 1024 slots hold a fifth of the 64-byte burst the 4 MiB socket
 * buffer holds (a flood of 5000 new stations lost a fifth of them: 86_events), for no gain
 * measured yet that outweighs it; a larger ring is memory taken up front on every port.
 */
static void af_packet_use_ring(struct af_packet_port *a)
{
	const char *env = getenv("KVNET_AF_PACKET_RING");
	int ret;

	if (!env || strcmp(env, "1"))
		return;
	ret = af_packet_ring_setup(a);
	if (ret)
		log_warn("interface '%s': no receive ring (%s), reading with recvmmsg",
			 a->port.ifname, strerror(-ret));
}

/* Only Ethernet interfaces carry the frames a switch port forwards. */
static int af_packet_check_type(struct af_packet_port *a, char *err, size_t errlen)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, a->port.ifname, sizeof(a->port.ifname));
	if (ioctl(a->port.fd, SIOCGIFHWADDR, &ifr) < 0) {
		int e = errno;

		snprintf(err, errlen, "cannot attach interface '%s': %s (SIOCGIFHWADDR)",
			 a->port.ifname, strerror(e));
		return -e;
	}
	if (ifr.ifr_hwaddr.sa_family != ARPHRD_ETHER) {
		snprintf(err, errlen, "cannot attach interface '%s': not an Ethernet interface",
			 a->port.ifname);
		return -EINVAL;
	}
	return 0;
}

/* @ifname's index into @ifindex. Return: 0, or -EINVAL or -ENODEV... with @err filled */
static int af_packet_ifindex(const char *ifname, unsigned int *ifindex, char *err, size_t errlen)
{
	int ret;

	if (!ifname || !*ifname || strlen(ifname) >= IF_NAMESIZE) {
		snprintf(err, errlen, "interface name '%s' is not valid", ifname ? ifname : "");
		return -EINVAL;
	}
	*ifindex = if_nametoindex(ifname);
	if (!*ifindex) {
		ret = errno ? errno : ENODEV; /* never 0: the caller would take it for success */
		if (ret == ENODEV || ret == ENXIO)
			snprintf(err, errlen, "interface '%s' does not exist", ifname);
		else
			snprintf(err, errlen, "cannot attach interface '%s': %s", ifname,
				 strerror(ret));
		return ret == ENXIO ? -ENODEV : -ret;
	}
	return 0;
}

/* a socket on interface @ifindex, set up and bound: see the top. Return: 0 or -errno */
static int af_packet_socket(const char *ifname, unsigned int ifindex, struct port **out, char *err,
			    size_t errlen)
{
	int one = 1, rcvbuf = AF_PACKET_RCVBUF;
	struct sockaddr_ll sll;
	struct packet_mreq mr;
	struct af_packet_port *a;
	int ret;

	a = calloc(1, sizeof(*a));
	if (!a) {
		snprintf(err, errlen, "cannot attach interface '%s': %s", ifname, strerror(ENOMEM));
		return -ENOMEM;
	}
	a->port.ops = &af_packet_ops;
	memcpy(a->port.ifname, ifname, strlen(ifname) + 1);
	a->port.ifindex = (int)ifindex;
	/* protocol 0: nothing is queued before the socket is bound to its interface */
	a->port.fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (a->port.fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "cannot attach interface '%s': %s (socket AF_PACKET)", ifname,
			 strerror(-ret));
		goto err_free;
	}
	ret = af_packet_check_type(a, err, errlen);
	if (ret)
		goto err_close;

	ret = af_packet_setopt(a, SOL_PACKET, PACKET_VNET_HDR, "PACKET_VNET_HDR", &one, sizeof(one),
			       err, errlen);
	if (!ret)
		ret = af_packet_setopt(a, SOL_PACKET, PACKET_AUXDATA, "PACKET_AUXDATA", &one,
				       sizeof(one), err, errlen);
	if (!ret)
		ret = af_packet_setopt(a, SOL_PACKET, PACKET_IGNORE_OUTGOING,
				       "PACKET_IGNORE_OUTGOING", &one, sizeof(one), err, errlen);
	if (ret)
		goto err_close;
	af_packet_use_ring(a);
	/* a bigger queue if we may (CAP_NET_ADMIN); the default is only slower */
	if (setsockopt(a->port.fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)) < 0)
		(void)setsockopt(a->port.fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));

	memset(&mr, 0, sizeof(mr));
	mr.mr_ifindex = (int)ifindex;
	mr.mr_type = PACKET_MR_PROMISC;
	ret = af_packet_setopt(a, SOL_PACKET, PACKET_ADD_MEMBERSHIP, "PACKET_MR_PROMISC", &mr,
			       sizeof(mr), err, errlen);
	if (ret)
		goto err_close;

	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(AF_PACKET_P_ALL);
	sll.sll_ifindex = (int)ifindex;
	if (bind(a->port.fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		ret = -errno;
		if (ret == -ENODEV)
			snprintf(err, errlen, "interface '%s' does not exist", ifname);
		else
			snprintf(err, errlen, "cannot attach interface '%s': %s (bind)", ifname,
				 strerror(-ret));
		goto err_close;
	}
	a->port.offloads = PORT_OFFLOAD_CSUM | PORT_OFFLOAD_TSO4 | PORT_OFFLOAD_TSO6;
	*out = &a->port;
	return 0;

err_close:
	af_packet_ring_free(a);
	close(a->port.fd);
err_free:
	free(a);
	return ret;
}

int af_packet_open(const char *ifname, struct port **out, char *err, size_t errlen)
{
	unsigned int ifindex;
	int ret = af_packet_ifindex(ifname, &ifindex, err, errlen);

	return ret ? ret : af_packet_socket(ifname, ifindex, out, err, errlen);
}

/* @p joins fanout group @arg (id | type << 16 | flags << 24). Return: 0 or -errno */
static int af_packet_fanout(struct port *p, uint32_t arg, char *err, size_t errlen)
{
	return af_packet_setopt(af_packet_port(p), SOL_PACKET, PACKET_FANOUT, "PACKET_FANOUT", &arg,
				sizeof(arg), err, errlen);
}

/*
 * Between its bind and its joining the group a socket took a copy of every frame, which the
 * group's first socket has too: thrown away, from its receive ring (if it has one) and its
 * queue (where a ring's frames too big for a slot wait), so that none is forwarded twice.
 */
static void af_packet_drain(struct port *p)
{
	char buf[64];

	af_packet_ring_drain(af_packet_port(p));
	while (recv(p->fd, buf, sizeof(buf), MSG_DONTWAIT | MSG_TRUNC) >= 0)
		;
}

int af_packet_open_queues(const char *ifname, unsigned int n, struct port **out, char *err,
			  size_t errlen)
{
	/* the flags are the type's high byte already */
	uint32_t arg = (uint32_t)(PACKET_FANOUT_HASH | PACKET_FANOUT_FLAG_UNIQUEID) << 16;
	socklen_t len = sizeof(arg);
	unsigned int ifindex;
	struct port *first;
	int ret = af_packet_ifindex(ifname, &ifindex, err, errlen);

	if (n < 2)
		return ret ? ret : af_packet_socket(ifname, ifindex, out, err, errlen);
	if (!ret)
		ret = af_packet_socket(ifname, ifindex, &first, err, errlen);
	if (ret)
		return ret;
	/* the kernel picks the group's id, unused in this namespace; the others join it */
	ret = af_packet_fanout(first, arg, err, errlen);
	if (!ret && getsockopt(first->fd, SOL_PACKET, PACKET_FANOUT, &arg, &len) < 0) {
		ret = -errno;
		snprintf(err, errlen, "cannot attach interface '%s': %s (PACKET_FANOUT id)", ifname,
			 strerror(-ret));
	}
	if (!ret && !(first->queues = calloc(n - 1, sizeof(*first->queues)))) {
		ret = -ENOMEM;
		snprintf(err, errlen, "cannot attach interface '%s': %s", ifname, strerror(ENOMEM));
	}
	for (; !ret && first->n_queues < n - 1; first->n_queues++) {
		struct port **q = &first->queues[first->n_queues];

		ret = af_packet_socket(ifname, ifindex, q, err, errlen);
		if (ret)
			break;
		ret = af_packet_fanout(*q, arg, err, errlen);
		af_packet_drain(*q);
		if (ret) {
			af_packet_destroy(*q);
			break;
		}
	}
	if (ret) {
		af_packet_destroy(first);
		return ret;
	}
	*out = first;
	return 0;
}
