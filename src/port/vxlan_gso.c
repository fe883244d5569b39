/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vxlan_gso.c - UDP tunnel offloads of VXLAN ports: UDP_SEGMENT sends and UDP_GRO reads
 *
 * A guest's TCP hands the switch 64 KB GSO frames. Cutting each into ~45
 * segments and sending every one as a datagram of its own costs a trip
 * through the kernel's UDP and IP stack per segment, and the receiver pays
 * the same once more; the kernel's own vxlan carries one GSO packet end to
 * end. So a GSO frame's segments (each a VXLAN header and a whole inner
 * segment with its checksums, as core/gso.c makes them) are laid back to
 * back at a fixed stride and given to the kernel in one sendmsg() with a
 * UDP_SEGMENT control message: it makes ordinary datagrams of them, or
 * keeps one GSO packet as far as the underlay allows (a veth does).
 *
 * The bound socket sends from the endpoint's port, and the raw socket that
 * gives each flow a source port of its own cannot segment; so the GSO sends
 * leave by a few UDP sockets of their own, bound to the local address and
 * ports of RFC 7348's range, one chosen by the inner flow's hash: a flow
 * keeps its source port, flows spread over several. They read nothing (a
 * filter drops whatever comes to them).
 *
 * The other way, UDP_GRO on the endpoint's socket lets the kernel hand over
 * such a packet, or datagrams it glued together, in one read with their
 * segment size in a control message. Each datagram is then checked and
 * counted on its own, as one read alone would be.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <netinet/udp.h>
#include <string.h>
#include <unistd.h>

#include "port/vxlan_priv.h"

/* the segment size a probe sets (and unsets): any value the kernel takes */
#define VXLAN_GSO_PROBE 1400

/*
 * Source ports of the GSO sockets: RFC 7348's range less the kernel's ephemeral ports (up
 * to 60999 by default), so that binding one rarely meets a socket of someone else's
 */
#define VXLAN_GSO_PORT_MIN 61000u
#define VXLAN_GSO_PORT_TRIES 64

/*
 * A UDP socket for sending only: the local address of @cfg, a free port of the range (in
 * *@bound). Return: its fd, or -1
 */
static int vxlan_gso_sock(const struct vxlan_config *cfg, uint16_t *bound)
{
	static struct sock_filter drop_all[] = { BPF_STMT(BPF_RET | BPF_K, 0) };
	static unsigned next; /* the port tried next, over every endpoint */
	struct sock_fprog prog = { .len = 1, .filter = drop_all };
	bool v6 = cfg->local.ss_family == AF_INET6;
	struct sockaddr_storage a = cfg->local;
	int fd;

	fd = socket(a.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_UDP);
	if (fd < 0)
		return -1;
	vxlan_set_bufs(fd);
	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)) ||
	    vxlan_set_ttl(fd, v6, cfg))
		goto fail;
	for (unsigned t = 0; t < VXLAN_GSO_PORT_TRIES; t++) {
		uint16_t port = (uint16_t)(VXLAN_GSO_PORT_MIN +
					   next++ % (65536u - VXLAN_GSO_PORT_MIN));

		/* sin6_port is at the same place */
		((struct sockaddr_in *)&a)->sin_port = htons(port);
		if (!bind(fd, (struct sockaddr *)&a,
			  v6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in))) {
			*bound = port;
			return fd;
		}
		if (errno != EADDRINUSE)
			break;
	}
fail:
	close(fd);
	return -1;
}

void vxlan_gso_open(struct vxlan_ep *ep, const struct vxlan_config *cfg)
{
	int one = 1, seg = VXLAN_GSO_PROBE, off = 0;

	for (unsigned k = 0; k < VXLAN_GSO_SOCKS; k++)
		ep->gso_fd[k] = -1;
	ep->gso_ok = false;
	ep->gro = !setsockopt(ep->fd, IPPROTO_UDP, UDP_GRO, &one, sizeof(one));
	for (unsigned k = 0; k < VXLAN_GSO_SOCKS; k++) {
		ep->gso_fd[k] = vxlan_gso_sock(cfg, &ep->gso_port[k]);
		if (ep->gso_fd[k] < 0)
			goto none;
	}
	/* the probe: a kernel without UDP tunnel GSO refuses the option */
	if (setsockopt(ep->gso_fd[0], IPPROTO_UDP, UDP_SEGMENT, &seg, sizeof(seg)) ||
	    setsockopt(ep->gso_fd[0], IPPROTO_UDP, UDP_SEGMENT, &off, sizeof(off)))
		goto none;
	ep->gso_ok = true;
	return;
none:
	vxlan_gso_close(ep);
}

void vxlan_gso_close(struct vxlan_ep *ep)
{
	for (unsigned k = 0; k < VXLAN_GSO_SOCKS; k++) {
		if (ep->gso_fd[k] >= 0)
			close(ep->gso_fd[k]);
		ep->gso_fd[k] = -1;
	}
	ep->gso_ok = false;
}

/*
 * Write the next @n segments of @v->gso back to back into the arena: each a VXLAN header
 * of @vni then the segment (its tag left out with @strip). All but the last have the same
 * length, so they lie at a fixed stride. Return: bytes written
 */
static uint32_t vxlan_gso_fill(struct vxlan_port *v, uint32_t n, uint32_t vni, bool strip)
{
	struct gso_ctx *g = &v->gso;
	uint32_t at = 0, cut = strip ? 4 : 0;

	for (uint32_t k = 0; k < n; k++) {
		uint8_t *d = v->arena + at;
		struct frame seg = { 0 }, *segp = &seg;

		/* the segment starts where its tag's 4 bytes overlap the header: moved up after */
		seg.head = seg.data = d + VXLAN_HDR_LEN - cut;
		seg.size = VXLAN_ARENA_SIZE - (at + VXLAN_HDR_LEN - cut);
		if (gso_next(g, &segp, 1) != 1)
			break; /* cannot be: the arena holds VXLAN_GSO_BYTES and more */
		if (cut)
			memmove(d + VXLAN_HDR_LEN, seg.data, 12);
		vxlan_hdr_build(d, vni);
		at += VXLAN_HDR_LEN + seg.len - cut;
	}
	return at;
}

/* send @len bytes of the arena, segments of @stride, to @v->dst[@r] through @fd */
static int vxlan_gso_sendmsg(struct vxlan_port *v, int fd, uint32_t len, uint16_t stride,
			     unsigned r)
{
	union {
		char buf[CMSG_SPACE(sizeof(uint16_t))];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = { v->arena, len };
	struct msghdr m = {
		.msg_name = &v->dst[r],
		.msg_namelen = v->dst[r].ss_family == AF_INET6 ? sizeof(struct sockaddr_in6)
							       : sizeof(struct sockaddr_in),
		.msg_iov = &iov,
		.msg_iovlen = 1,
	};
	ssize_t ret;

	if (len > stride) { /* one segment alone goes as a plain datagram */
		struct cmsghdr *c;

		memset(&ctl, 0, sizeof(ctl));
		m.msg_control = ctl.buf;
		m.msg_controllen = sizeof(ctl.buf);
		c = CMSG_FIRSTHDR(&m);
		c->cmsg_level = IPPROTO_UDP;
		c->cmsg_type = UDP_SEGMENT;
		c->cmsg_len = CMSG_LEN(sizeof(uint16_t));
		memcpy(CMSG_DATA(c), &stride, sizeof(stride));
	}
	do
		ret = sendmsg(fd, &m, MSG_DONTWAIT | MSG_NOSIGNAL);
	while (ret < 0 && errno == EINTR);
	if (ret < 0)
		return -errno;
	v->gso_sends++;
	return 0;
}

int vxlan_gso_send(struct vxlan_port *v, const struct frame *f, uint32_t i, uint32_t vni,
		   bool strip, const uint16_t *dsts, unsigned n_dsts)
{
	struct gso_ctx *g = &v->gso;
	uint32_t seg0 = gso_seg_len(g, 0) - (strip ? 4 : 0);
	uint32_t stride = VXLAN_HDR_LEN + seg0, per = VXLAN_GSO_BYTES / stride;
	int fd = v->ep->gso_fd[vxlan_flow_sport(f->data, f->len) % VXLAN_GSO_SOCKS];
	bool sent = false;

	if (per > VXLAN_GSO_SEGS)
		per = VXLAN_GSO_SEGS;
	if (seg0 + v->overhead > v->cfg.mtu) {
		v->drops[VXLAN_DROP_OVER_MTU]++;
		vxlan_tx_drop(v, i);
		return 0;
	}
	while (g->next < g->nseg) {
		uint32_t n = g->nseg - g->next < per ? g->nseg - g->next : per;
		uint32_t len = vxlan_gso_fill(v, n, vni, strip);

		for (unsigned k = 0; k < n_dsts; k++) {
			int ret = vxlan_gso_sendmsg(v, fd, len, (uint16_t)stride, dsts[k]);

			if (!ret) {
				sent = true;
				continue;
			}
			if ((ret == -EIO || ret == -EINVAL) && v->ep->gso_ok) {
				/* no UDP tunnel GSO on this path after all: off for the endpoint */
				v->gso_fallbacks++;
				v->ep->gso_ok = false;
				if (!sent)
					return -EAGAIN;
			}
			/* EAGAIN, ENOBUFS, unreachable: these segments are lost for this remote */
			vxlan_tx_drop(v, i);
		}
	}
	return 0;
}
