/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vxlan_gro.c - VXLAN ports' reads with UDP_GRO, and TCP segments merged into GSO frames
 *
 * With UDP_GRO on the endpoint's socket (vxlan_gso.c turns it on), the
 * kernel hands over several datagrams in one read: those it glued, or a
 * whole UDP_SEGMENT send of a peer kvnet that a veth carried as one packet,
 * with their segment size in a control message. Each datagram is split out
 * and checked and counted on its own (remote, VNI, header), as one read
 * alone would be, and copied into a frame of the burst; what does not fit
 * the burst waits for the next.
 *
 * The datagrams of one message are mostly consecutive segments of one TCP
 * flow: where they match exactly (core/gro.h), they become one GSO frame,
 * so a tap with a virtio-net header takes them in one write, where it took
 * one write each. A port that takes no GSO segments it again (core/gso.h)
 * to the same bytes. Anything else goes on as it came.
 */

#include <errno.h>
#include <netinet/udp.h>
#include <string.h>

#include "port/vxlan_priv.h"

/* the segment size of a message the buffer cut short (its datagrams are lost) */
#define VXLAN_GRO_CUT UINT32_MAX

/*
 * The segment size of message @k of a UDP_GRO read (its length when the kernel glued
 * nothing), from its control message
 */
static uint32_t vxlan_gro_seg(const struct vxlan_port *v, unsigned k)
{
	const struct msghdr *m = &v->gmsg[k].msg_hdr;

	for (const struct cmsghdr *c = CMSG_FIRSTHDR(m); c;
	     c = CMSG_NXTHDR((struct msghdr *)m, (struct cmsghdr *)c)) {
		int seg;

		if (c->cmsg_level != IPPROTO_UDP || c->cmsg_type != UDP_GRO ||
		    c->cmsg_len < CMSG_LEN(sizeof(int)))
			continue;
		memcpy(&seg, CMSG_DATA(c), sizeof(seg));
		if (seg > 0)
			return (uint32_t)seg;
	}
	return v->gmsg[k].msg_len;
}

/* read up to VXLAN_GRO_MSGS messages from @fd into @v's GRO buffers. Return: how many, -errno */
static int vxlan_gro_read(struct vxlan_port *v, int fd)
{
	int r;

	for (unsigned k = 0; k < VXLAN_GRO_MSGS; k++) {
		struct msghdr *m = &v->gmsg[k].msg_hdr;

		v->giov[k] = (struct iovec){ v->gbuf + (size_t)k * VXLAN_GRO_BUF, VXLAN_GRO_BUF };
		memset(m, 0, sizeof(*m));
		m->msg_name = &v->gsrc[k];
		m->msg_namelen = sizeof(v->gsrc[k]);
		m->msg_iov = &v->giov[k];
		m->msg_iovlen = 1;
		m->msg_control = v->gctl[k].buf;
		m->msg_controllen = sizeof(v->gctl[k].buf);
	}
	r = recvmmsg(fd, v->gmsg, VXLAN_GRO_MSGS, MSG_DONTWAIT, NULL);
	if (r < 0)
		return -errno;
	for (unsigned k = 0; k < (unsigned)r; k++) {
		v->gseg[k] = vxlan_gro_seg(v, k);
		/* a message the buffer cut short: its datagrams are lost, counted once */
		if (v->gmsg[k].msg_hdr.msg_flags & MSG_TRUNC) {
			vxlan_rx_drop(v, VXLAN_DROP_TOO_BIG);
			v->gseg[k] = VXLAN_GRO_CUT;
		}
	}
	v->g_n = (unsigned)r;
	v->g_cur = 0;
	v->g_off = 0;
	return r;
}

/* the run's frame is done: its GSO metadata, then its tag */
static void vxlan_run_end(struct vxlan_port *v)
{
	uint32_t n;

	if (!v->run_open)
		return;
	n = gro_end(&v->run);
	if (n > 1)
		v->coalesced += n - 1;
	vxlan_push_tag(v->run.f, v->run_vid);
	v->run_open = false;
}

/*
 * The next datagram of the GRO read: into @f, or into the run's frame when it is the next
 * segment of its flow. Return: true if @f is a new frame of @v's
 */
static bool vxlan_gro_next(struct vxlan_port *v, struct frame *f)
{
	unsigned k = v->g_cur;
	uint32_t left = v->gmsg[k].msg_len - v->g_off;
	uint32_t len = left < v->gseg[k] ? left : v->gseg[k];
	const uint8_t *d = v->gbuf + (size_t)k * VXLAN_GRO_BUF + v->g_off;
	struct vxlan_port *t = NULL;
	int vid;

	v->g_off += len;
	if (v->g_off >= v->gmsg[k].msg_len || !len || v->gseg[k] == VXLAN_GRO_CUT) {
		v->g_cur++;
		v->g_off = 0;
	}
	if (v->gseg[k] == VXLAN_GRO_CUT) /* counted when read */
		return false;
	/* an empty datagram too: one datagram, one frame or one drop */
	if (len >= VXLAN_HDR_LEN + 14)
		t = vxlan_rx_accept(v, d, len, d + VXLAN_HDR_LEN, &v->gsrc[k], &vid);
	else
		vxlan_rx_drop(v, VXLAN_DROP_BAD_HEADER);
	if (!t)
		return false;
	d += VXLAN_HDR_LEN;
	len -= VXLAN_HDR_LEN;
	if (t != v) {
		vxlan_inbox_add(t, d, len, vid);
		return false;
	}
	/* one flow's segments of one message: one frame, if they match exactly (core/gro.h) */
	if (v->run_open && v->run_msg == k && v->run_vid == vid && gro_append(&v->run, d, len))
		return false;
	vxlan_run_end(v);
	if (f->size < FRAME_HEADROOM + len) {
		vxlan_rx_drop(v, VXLAN_DROP_TOO_BIG);
		return false;
	}
	f->data = f->head + FRAME_HEADROOM;
	memcpy(f->data, d, len);
	f->len = len;
	memset(&f->vnet, 0, sizeof(f->vnet));
	/* its tag waits for the run's end: gro_append() compares untagged frames */
	if (!gro_begin(&v->run, f)) {
		v->run_open = true;
		v->run_vid = vid;
		v->run_msg = k;
	} else {
		vxlan_push_tag(f, vid);
	}
	return true;
}

int vxlan_gro_burst(struct vxlan_port *v, struct frame **frames, unsigned got, unsigned n)
{
	int fd = v->ep->fd;

	while (got < n) {
		if (v->g_cur >= v->g_n) {
			int r;

			vxlan_run_end(v);
			r = vxlan_gro_read(v, fd);
			if (r == -EAGAIN || r == -EWOULDBLOCK || r == -EINTR ||
			    r == -ECONNREFUSED || r == 0) {
				/* the unicast socket is empty: the group's next */
				if (fd == v->ep->fd && v->gfd >= 0) {
					fd = v->gfd;
					continue;
				}
				break;
			}
			if (r < 0)
				return got ? (int)got : r;
			continue;
		}
		if (vxlan_gro_next(v, frames[got]))
			got++;
	}
	/* the run's frame goes with this burst; later segments start another */
	vxlan_run_end(v);
	if (v->g_cur < v->g_n || (got == n && v->gfd >= 0))
		v->port.rx_more = true;
	return (int)got;
}
