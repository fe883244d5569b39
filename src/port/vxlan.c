/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vxlan.c - the VXLAN port back-end: sockets, encapsulation, replication (see vxlan.h)
 *
 * Frames are read and written in batches with recvmmsg()/sendmmsg(). On
 * receive each datagram is scattered into two pieces: the VXLAN header into
 * a small per-message buffer, the inner frame straight into the caller's
 * frame at FRAME_HEADROOM, so the core can push a tag before it. On send a
 * datagram is gathered from a per-message header (UDP header for the raw
 * socket, then the VXLAN header) and the caller's frame, which is never
 * modified (it may sit in other output lists): a NEEDS_CSUM frame goes as
 * three pieces with the checksum computed beside it, and a GSO frame is cut
 * into segments in a scratch arena of the port's own, as dgram.c does.
 *
 * A datagram the socket does not take now (EAGAIN, ENOBUFS) is dropped and
 * its frame counted in tx_errors: the tunnel is a lossy link, as the
 * kernel's is. Unreachable remotes (EHOSTUNREACH, ENETUNREACH) lose that
 * datagram only; the other remotes still get theirs.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "port/vxlan_priv.h"

#define VXLAN_NO_FRAME UINT32_MAX
#define VLAN_HLEN 4

/**
 * struct vxlan_tx - how one frame (not GSO) goes out
 * @f:		the frame
 * @i:		its index in the burst
 * @vni:	its VNI
 * @strip:	its 802.1Q tag is left out (a mapped VLAN)
 * @sport:	UDP source port (raw socket)
 * @csum:	the checksum of a NEEDS_CSUM frame, else NULL
 */
struct vxlan_tx {
	const struct frame *f;
	uint32_t i;
	uint32_t vni;
	bool strip;
	uint16_t sport;
	const uint8_t *csum;
};

static struct vxlan_port *vxlan_port(struct port *p)
{
	return (struct vxlan_port *)p;
}

static const struct vxlan_port *vxlan_port_c(const struct port *p)
{
	return (const struct vxlan_port *)p;
}

static bool vxlan_v6(const struct vxlan_port *v)
{
	return v->cfg.local.ss_family == AF_INET6;
}

static bool vxlan_has_group(const struct vxlan_port *v)
{
	return v->cfg.group.ss_family != AF_UNSPEC;
}

void vxlan_dst_set(struct vxlan_port *v, unsigned r, const struct sockaddr_storage *ss)
{
	v->dst[r] = *ss;
	v->dst_raw[r] = *ss;
	/* sin_port and sin6_port are at the same place */
	((struct sockaddr_in *)&v->dst[r])->sin_port =
		((const struct sockaddr_in *)&v->cfg.local)->sin_port;
	((struct sockaddr_in *)&v->dst_raw[r])->sin_port = 0;
}

/*
 * The index of the remote (or learned peer) @ss is from, or -1 (the source port does not
 * matter). Slot 0 of a port with a group is the group, never a source.
 */
static int vxlan_remote_index(const struct vxlan_port *v, const struct sockaddr_storage *ss)
{
	for (unsigned r = vxlan_has_group(v) ? 1 : 0; r < v->n_dst; r++) {
		const struct sockaddr_storage *c = &v->dst_raw[r];

		if (ss->ss_family != c->ss_family)
			continue;
		if (ss->ss_family == AF_INET &&
		    ((const struct sockaddr_in *)ss)->sin_addr.s_addr ==
			    ((const struct sockaddr_in *)c)->sin_addr.s_addr)
			return (int)r;
		if (ss->ss_family == AF_INET6 &&
		    !memcmp(&((const struct sockaddr_in6 *)ss)->sin6_addr,
			    &((const struct sockaddr_in6 *)c)->sin6_addr, sizeof(struct in6_addr)))
			return (int)r;
	}
	return -1;
}

/* the VLAN datagrams of @vni come in on @v: 0 for untagged, -1 for none (not @v's VNI) */
static int vxlan_vid_of(const struct vxlan_port *v, uint32_t vni)
{
	if (vni == v->cfg.vni && !v->cfg.no_vni)
		return 0;
	for (unsigned k = 0; k < v->cfg.n_map; k++)
		if (v->cfg.map[k].vni == vni)
			return v->cfg.map[k].vid;
	return -1;
}

/* the port of @x's endpoint that has @vni (@x first, the likely one), with its VLAN in *@vid */
static struct vxlan_port *vxlan_demux(struct vxlan_port *x, uint32_t vni, int *vid)
{
	const struct vxlan_ep *ep = x->ep;

	*vid = vxlan_vid_of(x, vni);
	if (*vid >= 0)
		return x;
	for (unsigned k = 0; k < ep->n_ports; k++) {
		if (ep->ports[k] == x)
			continue;
		*vid = vxlan_vid_of(ep->ports[k], vni);
		if (*vid >= 0)
			return ep->ports[k];
	}
	return NULL;
}

/*
 * The VNI frame @f goes out in; *@strip says its tag goes (a mapped VLAN).
 * Return: 0, or -1 if it has none
 */
static int vxlan_vni_of(const struct vxlan_port *v, const struct frame *f, uint32_t *vni,
			bool *strip)
{
	*strip = false;
	if (v->cfg.n_map && f->len >= 14 + VLAN_HLEN && f->data[12] == 0x81 && !f->data[13]) {
		uint16_t vid = (uint16_t)((f->data[14] << 8 | f->data[15]) & 0x0fff);

		for (unsigned k = 0; k < v->cfg.n_map; k++) {
			if (v->cfg.map[k].vid == vid) {
				*vni = v->cfg.map[k].vni;
				*strip = true;
				return 0;
			}
		}
	}
	*vni = v->cfg.vni;
	return v->cfg.no_vni ? -1 : 0;
}

/* give @f (its inner frame at f->data) VLAN @vid's tag, in the headroom */
void vxlan_push_tag(struct frame *f, int vid)
{
	if (!vid)
		return;
	/* the addresses move 4 bytes back, the tag goes after them */
	memmove(f->data - VLAN_HLEN, f->data, 12);
	f->data -= VLAN_HLEN;
	f->len += VLAN_HLEN;
	f->data[12] = 0x81;
	f->data[13] = 0x00;
	f->data[14] = (uint8_t)(vid >> 8);
	f->data[15] = (uint8_t)vid;
}

/* a datagram of @len bytes is lost on @v for @why */
void vxlan_rx_drop(struct vxlan_port *v, enum vxlan_drop why)
{
	v->drops[why]++;
	v->port.rx_errors++;
}

/* queue inner frame @data/@len for port @t (another port of the endpoint) and wake it */
void vxlan_inbox_add(struct vxlan_port *t, const uint8_t *data, uint32_t len, int vid)
{
	uint64_t one = 1;

	if (t->inq_n == VXLAN_INBOX_MAX || VXLAN_INBOX_SIZE - t->inbox_used < len) {
		vxlan_rx_drop(t, VXLAN_DROP_QUEUE_FULL);
		return;
	}
	memcpy(t->inbox + t->inbox_used, data, len);
	t->inq[t->inq_n++] = (struct vxlan_inq){ t->inbox_used, len, (uint16_t)vid };
	t->inbox_used += len;
	if (write(t->evfd, &one, sizeof(one)) < 0) {
		/* cannot be: the counter would have to reach 2^64 - 1 */
	}
}

/* frames other ports queued for @v, into @frames. Return: how many */
static unsigned vxlan_inbox_take(struct vxlan_port *v, struct frame **frames, unsigned n)
{
	unsigned got = 0;
	uint64_t cnt;

	while (got < n && v->inq_first < v->inq_n) {
		const struct vxlan_inq *q = &v->inq[v->inq_first++];
		struct frame *f = frames[got];

		if (f->size < FRAME_HEADROOM + q->len) {
			vxlan_rx_drop(v, VXLAN_DROP_TOO_BIG);
			continue;
		}
		f->data = f->head + FRAME_HEADROOM;
		memcpy(f->data, v->inbox + q->off, q->len);
		f->len = q->len;
		memset(&f->vnet, 0, sizeof(f->vnet));
		vxlan_push_tag(f, q->vid);
		got++;
	}
	if (!v->inq_n) /* nothing was queued: no eventfd to read, no system call */
		return 0;
	if (v->inq_first == v->inq_n) {
		v->inq_first = v->inq_n = 0;
		v->inbox_used = 0;
		/* all taken: the eventfd goes quiet until the next one */
		if (read(v->evfd, &cnt, sizeof(cnt)) < 0) {
			/* EAGAIN: it was read already */
		}
	} else {
		v->port.rx_more = true;
	}
	return got;
}

/*
 * A datagram to port @v's group came from @ss, a host not yet known: a peer from now on,
 * that MACs learned behind it are sent to. Return: its index, or -1 when the table is full
 * (the datagram is still taken; its MACs are reached through the group)
 */
static int vxlan_peer_add(struct vxlan_port *v, const struct sockaddr_storage *ss)
{
	if (v->n_dst == VXLAN_DST_MAX || ss->ss_family != v->cfg.local.ss_family)
		return -1;
	vxlan_dst_set(v, v->n_dst, ss);
	return (int)v->n_dst++;
}

/*
 * Check a datagram of @len bytes from @src read by @v: VXLAN header @hdr, inner frame
 * @inner; count it on the port whose VNI it has, and learn its source MAC there.
 * Return: that port, with the inner frame's VLAN in *@vid, or NULL (dropped, counted)
 */
struct vxlan_port *vxlan_rx_accept(struct vxlan_port *v, const uint8_t *hdr, uint32_t len,
				   const uint8_t *inner, const struct sockaddr_storage *src,
				   int *vid)
{
	struct vxlan_port *t;
	uint32_t vni;
	int remote;

	if (len < VXLAN_HDR_LEN || vxlan_hdr_parse(hdr, len, &vni)) {
		vxlan_rx_drop(v, VXLAN_DROP_BAD_HEADER);
		return NULL;
	}
	t = vxlan_demux(v, vni, vid);
	if (!t) {
		vxlan_rx_drop(v, VXLAN_DROP_BAD_VNI);
		return NULL;
	}
	remote = vxlan_remote_index(t, src);
	if (remote < 0 && vxlan_has_group(t))
		remote = vxlan_peer_add(t, src);
	else if (remote < 0) {
		vxlan_rx_drop(t, VXLAN_DROP_BAD_REMOTE);
		return NULL;
	}
	/* a group address is never a source; learning it would be a way to steer floods */
	if (!(inner[6] & 1) && remote >= 0)
		vxlan_fdb_learn(t->fdb, inner + 6, vni, (uint16_t)remote, t->now);
	return t;
}

/*
 * Check datagram @i of a receive batch, read by @v into @f, and count it on the port whose
 * VNI it has. Return: true if it is @v's and @f is its frame (the others are dropped or
 * queued for their port)
 */
static bool vxlan_rx_check(struct vxlan_port *v, unsigned i, struct frame *f)
{
	const struct msghdr *m = &v->rmsg[i].msg_hdr;
	uint32_t len = v->rmsg[i].msg_len;
	struct vxlan_port *t;
	int vid;

	if (m->msg_flags & MSG_TRUNC) {
		vxlan_rx_drop(v, VXLAN_DROP_TOO_BIG);
		return false;
	}
	/* the header is checked on a contiguous copy: it and the frame are two pieces */
	t = vxlan_rx_accept(v, v->rhdr[i], len, f->data, &v->rsrc[i], &vid);
	if (!t)
		return false;
	len -= VXLAN_HDR_LEN;
	if (t != v) {
		vxlan_inbox_add(t, f->data, len, vid);
		return false;
	}
	f->len = len;
	memset(&f->vnet, 0, sizeof(f->vnet));
	vxlan_push_tag(f, vid);
	return true;
}

static int vxlan_rx_burst(struct port *p, struct frame **frames, unsigned n)
{
	struct vxlan_port *v = vxlan_port(p);
	unsigned got, done = 0;
	int fd = v->ep->fd;

	p->rx_more = false;
	got = vxlan_inbox_take(v, frames, n);
	if (p->rx_more)
		return (int)got;
	if (v->ep->gro)
		return vxlan_gro_burst(v, frames, got, n);
	while (got + done < n) {
		unsigned batch = n - got - done < VXLAN_BATCH ? n - got - done : VXLAN_BATCH;
		unsigned base = got;
		int r;

		for (unsigned i = 0; i < batch; i++) {
			struct frame *f = frames[base + i];
			struct msghdr *m = &v->rmsg[i].msg_hdr;

			f->data = f->head + FRAME_HEADROOM;
			v->riov[i][0] = (struct iovec){ v->rhdr[i], VXLAN_HDR_LEN };
			v->riov[i][1] = (struct iovec){ f->data, f->size > FRAME_HEADROOM
									 ? f->size - FRAME_HEADROOM
									 : 0 };
			memset(m, 0, sizeof(*m));
			m->msg_name = &v->rsrc[i];
			m->msg_namelen = sizeof(v->rsrc[i]);
			m->msg_iov = v->riov[i];
			m->msg_iovlen = 2;
		}
		r = recvmmsg(fd, v->rmsg, batch, MSG_DONTWAIT, NULL);
		if (r < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ||
			    errno == ECONNREFUSED) {
				/* the unicast socket is empty: the group's next */
				if (fd == v->ep->fd && v->gfd >= 0) {
					fd = v->gfd;
					continue;
				}
				break;
			}
			return got ? (int)got : -errno;
		}
		/* good frames stay packed at the front: another one swaps places with the next */
		for (unsigned i = 0; i < (unsigned)r; i++) {
			struct frame *f = frames[base + i];

			if (base + i != got) {
				frames[base + i] = frames[got];
				frames[got] = f;
			}
			if (vxlan_rx_check(v, i, f))
				got++;
			else
				done++;
		}
		if ((unsigned)r < batch && fd == v->ep->fd && v->gfd >= 0)
			fd = v->gfd;
		else if ((unsigned)r < batch)
			break;
	}
	/* a full burst may have left datagrams in the group's socket */
	if (got + done == n && v->gfd >= 0)
		p->rx_more = true;
	return (int)got;
}

void vxlan_tx_drop(struct vxlan_port *v, uint32_t i)
{
	if (v->failed == i)
		return;
	v->failed = i;
	v->n_failed++;
	v->port.tx_errors++;
}

/* send the batch; what the socket does not take is lost (see the top of the file) */
static void vxlan_flush(struct vxlan_port *v)
{
	int fd = v->ep->raw_fd >= 0 ? v->ep->raw_fd : v->ep->fd;
	unsigned done = 0;

	while (done < v->nmsg) {
		int r = sendmmsg(fd, v->tmsg + done, v->nmsg - done, MSG_DONTWAIT | MSG_NOSIGNAL);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS) {
				for (unsigned j = done; j < v->nmsg; j++)
					vxlan_tx_drop(v, v->towner[j]);
				break;
			}
			/* EMSGSIZE, EHOSTUNREACH, ENETUNREACH, ...: that datagram only */
			vxlan_tx_drop(v, v->towner[done]);
			done++;
			continue;
		}
		done += (unsigned)r;
	}
	v->nmsg = 0;
	v->arena_used = 0;
}

/* one datagram of @t to remote @r */
static void vxlan_add(struct vxlan_port *v, const struct vxlan_tx *t, unsigned r)
{
	unsigned m = v->nmsg++;
	struct msghdr *h = &v->tmsg[m].msg_hdr;
	uint8_t *hdr = v->thdr[m];
	struct iovec *iov = v->tiov[m];
	const struct frame *f = t->f;
	uint32_t skip = t->strip ? 12 + VLAN_HLEN : 0; /* where the bytes after the tag start */
	size_t n = 0;

	memset(h, 0, sizeof(*h));
	if (v->ep->raw_fd >= 0) {
		uint16_t ulen = (uint16_t)(UDP_HLEN + VXLAN_HDR_LEN + f->len -
					   (t->strip ? VLAN_HLEN : 0));
		uint16_t sport = t->sport;
		uint16_t dport = ntohs(((const struct sockaddr_in *)&v->cfg.local)->sin_port);

		/* sin_port and sin6_port are at the same place */
		hdr[0] = (uint8_t)(sport >> 8);
		hdr[1] = (uint8_t)sport;
		hdr[2] = (uint8_t)(dport >> 8);
		hdr[3] = (uint8_t)dport;
		hdr[4] = (uint8_t)(ulen >> 8);
		hdr[5] = (uint8_t)ulen;
		hdr[6] = hdr[7] = 0; /* IPv4: none (RFC 7348); IPv6: the kernel's (IPV6_CHECKSUM) */
		vxlan_hdr_build(hdr + UDP_HLEN, t->vni);
		iov[n++] = (struct iovec){ hdr, UDP_HLEN + VXLAN_HDR_LEN };
		h->msg_name = &v->dst_raw[r];
	} else {
		vxlan_hdr_build(hdr, t->vni);
		iov[n++] = (struct iovec){ hdr, VXLAN_HDR_LEN };
		h->msg_name = &v->dst[r];
	}
	h->msg_namelen = vxlan_v6(v) ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
	if (skip)
		iov[n++] = (struct iovec){ f->data, 12 };
	if (t->csum) {
		/* vxlan_queue() checked that the checksum lies past the tag */
		uint32_t at = (uint32_t)f->vnet.csum_start + f->vnet.csum_offset;

		memcpy(v->tcsum[m], t->csum, 2);
		iov[n++] = (struct iovec){ f->data + skip, at - skip };
		iov[n++] = (struct iovec){ v->tcsum[m], 2 };
		iov[n++] = (struct iovec){ f->data + at + 2, f->len - at - 2 };
	} else {
		iov[n++] = (struct iovec){ f->data + skip, f->len - skip };
	}
	h->msg_iov = iov;
	h->msg_iovlen = n;
	v->towner[m] = t->i;
}

/* how many datagrams a flood takes: one per remote, or one to the group */
static unsigned vxlan_n_flood(const struct vxlan_port *v)
{
	return vxlan_has_group(v) ? 1 : v->n_dst;
}

/* @v's destination @r as an address with port 0 */
static void vxlan_dst_addr(const struct vxlan_port *v, unsigned r, struct sockaddr_storage *out)
{
	*out = v->dst_raw[r];
}

/* the datagrams of frame @i (@f: not GSO) to its remote, or to each */
static void vxlan_queue(struct vxlan_port *v, uint32_t i, const struct frame *f)
{
	struct vxlan_tx t = { .f = f, .i = i };
	uint8_t csum[2];
	uint16_t r;

	if (f->len < 14) {
		vxlan_tx_drop(v, i);
		return;
	}
	if (vxlan_vni_of(v, f, &t.vni, &t.strip)) {
		v->drops[VXLAN_DROP_NO_VNI]++;
		vxlan_tx_drop(v, i);
		return;
	}
	if (f->len - (t.strip ? VLAN_HLEN : 0) + v->overhead > v->cfg.mtu) {
		v->drops[VXLAN_DROP_OVER_MTU]++;
		vxlan_tx_drop(v, i);
		return;
	}
	if (f->vnet.flags & VNET_F_NEEDS_CSUM) {
		if (csum_compute(f, csum) ||
		    (t.strip && f->vnet.csum_start + f->vnet.csum_offset < 12 + VLAN_HLEN)) {
			vxlan_tx_drop(v, i);
			return;
		}
		t.csum = csum;
	}
	if (v->ep->raw_fd >= 0)
		t.sport = vxlan_flow_sport(f->data, f->len);
	/* the flow's GSO frames leave from this port: all of it from one (vxlan_gso.c) */
	if (v->ep->raw_fd >= 0 && v->ep->gso_ok)
		t.sport = v->ep->gso_port[t.sport % VXLAN_GSO_SOCKS];
	r = (f->data[0] & 1) ? VXLAN_FDB_NONE : vxlan_fdb_lookup(v->fdb, f->data, t.vni, v->now);
	if (r != VXLAN_FDB_NONE && r < v->n_dst) {
		if (v->nmsg == VXLAN_BATCH)
			vxlan_flush(v);
		vxlan_add(v, &t, r);
		return;
	}
	/* the rest to each remote, or once to the group */
	for (r = 0; r < vxlan_n_flood(v); r++) {
		if (v->nmsg == VXLAN_BATCH)
			vxlan_flush(v);
		vxlan_add(v, &t, r);
	}
}

/*
 * GSO frame @f, number @i of the burst, with UDP_SEGMENT (vxlan_gso.c): TCP, to its remote
 * or to each (not to a group: the sockets for it are not multicast ones).
 * Return: 0 if done (sent or counted), -1 if the caller segments it
 */
static int vxlan_queue_udp_gso(struct vxlan_port *v, const struct frame *f, uint32_t i)
{
	uint16_t dsts[VXLAN_DST_MAX], r;
	unsigned n = 0;
	uint32_t vni;
	bool strip;

	if (!v->ep->gso_ok || !v->gso.tcp || f->len < 14)
		return -1;
	if (vxlan_vni_of(v, f, &vni, &strip)) {
		v->drops[VXLAN_DROP_NO_VNI]++;
		vxlan_tx_drop(v, i);
		return 0;
	}
	r = (f->data[0] & 1) ? VXLAN_FDB_NONE : vxlan_fdb_lookup(v->fdb, f->data, vni, v->now);
	if (r != VXLAN_FDB_NONE && r < v->n_dst && !(vxlan_has_group(v) && r == 0))
		dsts[n++] = r;
	else if (vxlan_has_group(v))
		return -1;
	else
		for (r = 0; r < v->n_dst; r++)
			dsts[n++] = r;
	/* the segments are built in the arena: what is queued before them goes first */
	vxlan_flush(v);
	if (!vxlan_gso_send(v, f, i, vni, strip, dsts, n))
		return 0;
	return gso_begin(&v->gso, f) ? 0 : -1; /* refused: segmented here after all */
}

/* the segments of GSO frame @f, number @i of the burst, each as a frame of its own */
static void vxlan_queue_gso(struct vxlan_port *v, const struct frame *f, uint32_t i)
{
	struct gso_ctx *g = &v->gso;

	if (gso_begin(g, f)) {
		vxlan_tx_drop(v, i);
		return;
	}
	if (!vxlan_queue_udp_gso(v, f, i))
		return;
	while (g->next < g->nseg) {
		uint32_t len = gso_seg_len(g, g->next);
		struct frame seg = { 0 }, *segp = &seg;

		/* each segment may go to every remote: room for all of its datagrams */
		if (v->nmsg + vxlan_n_flood(v) > VXLAN_BATCH ||
		    VXLAN_ARENA_SIZE - v->arena_used < len)
			vxlan_flush(v);
		seg.head = v->arena + v->arena_used;
		seg.data = seg.head;
		seg.size = VXLAN_ARENA_SIZE - v->arena_used;
		if (gso_next(g, &segp, 1) != 1) { /* cannot be: the room was checked */
			vxlan_tx_drop(v, i);
			return;
		}
		v->arena_used += seg.len;
		vxlan_queue(v, i, &seg);
	}
}

static int vxlan_tx_burst(struct port *p, struct frame **frames, unsigned n)
{
	struct vxlan_port *v = vxlan_port(p);

	v->nmsg = 0;
	v->arena_used = 0;
	v->failed = VXLAN_NO_FRAME;
	v->n_failed = 0;
	for (uint32_t i = 0; i < n; i++) {
		if (gso_is_gso(frames[i]))
			vxlan_queue_gso(v, frames[i], i);
		else
			vxlan_queue(v, i, frames[i]);
	}
	vxlan_flush(v);
	return (int)(n - v->n_failed);
}

static void vxlan_tick(struct port *p)
{
	vxlan_port(p)->now++;
}

const struct port_ops vxlan_ops = {
	.kind = "vxlan",
	.rx_burst = vxlan_rx_burst,
	.tx_burst = vxlan_tx_burst,
	.destroy = vxlan_destroy,
	.tick = vxlan_tick,
};

bool vxlan_port_is(const struct port *p)
{
	return p && p->ops == &vxlan_ops;
}

void vxlan_port_info(const struct port *p, struct vxlan_info *info)
{
	const struct vxlan_port *v = vxlan_port_c(p);

	info->cfg = v->cfg;
	info->mtu_given = v->mtu_given;
	info->raw = v->ep->raw_fd >= 0;
	info->udp_gso = v->ep->gso_ok;
	info->udp_gro = v->ep->gro;
	info->gso_sends = v->gso_sends;
	info->gso_fallbacks = v->gso_fallbacks;
	info->coalesced = v->coalesced;
	info->n_peers = vxlan_has_group(v) ? v->n_dst - 1 : 0;
	memcpy(info->drops, v->drops, sizeof(info->drops));
}

bool vxlan_port_remote_of(const struct port *p, const uint8_t mac[6], uint16_t vid,
			  struct sockaddr_storage *out)
{
	const struct vxlan_port *v = vxlan_port_c(p);
	uint32_t vni = v->cfg.vni;
	uint16_t r;

	for (unsigned k = 0; k < v->cfg.n_map; k++)
		if (v->cfg.map[k].vid == vid)
			vni = v->cfg.map[k].vni;
	r = vxlan_fdb_lookup(v->fdb, mac, vni, v->now);

	if (r == VXLAN_FDB_NONE || r >= v->n_dst)
		return false;
	vxlan_dst_addr(v, r, out);
	return true;
}

int vxlan_port_pin(struct port *p, const uint8_t mac[6], uint16_t vid,
		   const struct sockaddr_storage *remote, bool check)
{
	struct vxlan_port *v = vxlan_port(p);
	uint32_t vni = v->cfg.vni;
	bool found = !v->cfg.no_vni;
	int r = vxlan_remote_index(v, remote);

	for (unsigned k = 0; k < v->cfg.n_map; k++) {
		if (v->cfg.map[k].vid == vid) {
			vni = v->cfg.map[k].vni;
			found = true;
		}
	}
	if (r < 0 && !vxlan_has_group(v))
		return -ENOENT;
	if (!found)
		return -EINVAL;
	if (check)
		return 0;
	/* with a group, any host of it may be named: a peer from now on */
	if (r < 0)
		r = vxlan_peer_add(v, remote);
	if (r < 0)
		return -ENOSPC;
	return vxlan_fdb_pin(v->fdb, mac, vni, vid, (uint16_t)r);
}

void vxlan_port_unpin(struct port *p, bool (*keep)(void *ctx, const uint8_t mac[6], uint16_t vid),
		      void *ctx)
{
	struct vxlan_port *v = vxlan_port(p);

	for (unsigned i = 0; i < VXLAN_FDB_SIZE; i++) {
		struct vxlan_fdb_entry *e = &v->fdb[i];

		if (e->pinned && e->remote != VXLAN_FDB_NONE && !keep(ctx, e->mac, e->vid)) {
			e->pinned = false;
			e->remote = VXLAN_FDB_NONE;
		}
	}
}

bool vxlan_port_pin_of(const struct port *p, const uint8_t mac[6], uint16_t vid,
		       struct sockaddr_storage *out)
{
	const struct vxlan_port *v = vxlan_port_c(p);

	for (unsigned i = 0; i < VXLAN_FDB_SIZE; i++) {
		const struct vxlan_fdb_entry *e = &v->fdb[i];

		if (e->pinned && e->remote < v->n_dst && e->vid == vid && !memcmp(e->mac, mac, 6)) {
			vxlan_dst_addr(v, e->remote, out);
			return true;
		}
	}
	return false;
}
