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
#include <fcntl.h>
#include <ifaddrs.h>
#include <linux/filter.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "core/gso.h"
#include "port/vxlan.h"

#define VXLAN_BATCH 64
#define VXLAN_ARENA_SIZE (256 * 1024)
#define VXLAN_NO_FRAME UINT32_MAX
#define UDP_HLEN 8
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

/**
 * struct vxlan_port - a VXLAN port
 * @port:	the generic part, first
 * @cfg:	its configuration (cfg.mtu the underlay MTU in use)
 * @raw_fd:	raw UDP socket for sending with per-flow source ports, or -1
 * @dst:	per remote: its address with the destination port (for @port.fd)
 * @dst_raw:	per remote: its address with port 0 (for @raw_fd)
 * @overhead:	bytes the underlay adds to an inner frame (IP, UDP, VXLAN headers)
 * @now:	seconds, advanced by the tick: the clock of @fdb
 * @drops:	drops by cause
 * @fdb:	VXLAN_FDB_SIZE entries: MAC -> remote
 * @rhdr, @riov, @rmsg, @rsrc: a receive batch
 * @thdr, @tiov, @tcsum, @tmsg, @towner, @nmsg: a send batch
 * @arena:	VXLAN_ARENA_SIZE bytes for GSO segments of the batch
 * @arena_used:	bytes of @arena in use
 * @failed:	the frame of this burst last counted in tx_errors
 * @n_failed:	frames of this burst counted in tx_errors
 * @gso:	the GSO frame being segmented
 */
struct vxlan_port {
	struct port port;
	struct vxlan_config cfg;
	int raw_fd;
	struct sockaddr_storage dst[VXLAN_REMOTES_MAX];
	struct sockaddr_storage dst_raw[VXLAN_REMOTES_MAX];
	uint32_t overhead;
	uint32_t now;
	uint64_t drops[VXLAN_DROP__MAX];
	struct vxlan_fdb_entry *fdb;
	uint8_t rhdr[VXLAN_BATCH][VXLAN_HDR_LEN];
	struct iovec riov[VXLAN_BATCH][2];
	struct mmsghdr rmsg[VXLAN_BATCH];
	struct sockaddr_storage rsrc[VXLAN_BATCH];
	uint8_t thdr[VXLAN_BATCH][UDP_HLEN + VXLAN_HDR_LEN];
	struct iovec tiov[VXLAN_BATCH][6];
	uint8_t tcsum[VXLAN_BATCH][2];
	struct mmsghdr tmsg[VXLAN_BATCH];
	uint32_t towner[VXLAN_BATCH];
	unsigned nmsg;
	uint8_t *arena;
	uint32_t arena_used;
	uint32_t failed;
	unsigned n_failed;
	struct gso_ctx gso;
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

/* the index of the remote @ss is from, or -1 (the source port does not matter) */
static int vxlan_remote_index(const struct vxlan_port *v, const struct sockaddr_storage *ss)
{
	for (unsigned r = 0; r < v->cfg.n_remotes; r++) {
		const struct sockaddr_storage *c = &v->cfg.remotes[r];

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

/* the VLAN datagrams of @vni come in: 0 for untagged, -1 for none (not a VNI of the port) */
static int vxlan_vid_of(const struct vxlan_port *v, uint32_t vni)
{
	if (vni == v->cfg.vni && !v->cfg.no_vni)
		return 0;
	for (unsigned k = 0; k < v->cfg.n_map; k++)
		if (v->cfg.map[k].vni == vni)
			return v->cfg.map[k].vid;
	return -1;
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

/* check and count datagram @i of a receive batch. Return: true to keep its frame */
static bool vxlan_rx_check(struct vxlan_port *v, unsigned i, struct frame *f)
{
	const struct msghdr *m = &v->rmsg[i].msg_hdr;
	uint32_t len = v->rmsg[i].msg_len, vni;
	int remote, vid;

	if (m->msg_flags & MSG_TRUNC) {
		v->drops[VXLAN_DROP_TOO_BIG]++;
		return false;
	}
	remote = vxlan_remote_index(v, &v->rsrc[i]);
	if (remote < 0) {
		v->drops[VXLAN_DROP_BAD_REMOTE]++;
		return false;
	}
	/* the header is checked on a contiguous copy: it and the frame are two pieces */
	if (len < VXLAN_HDR_LEN || vxlan_hdr_parse(v->rhdr[i], len, &vni)) {
		v->drops[VXLAN_DROP_BAD_HEADER]++;
		return false;
	}
	vid = vxlan_vid_of(v, vni);
	if (vid < 0) {
		v->drops[VXLAN_DROP_BAD_VNI]++;
		return false;
	}
	f->len = len - VXLAN_HDR_LEN;
	memset(&f->vnet, 0, sizeof(f->vnet));
	/* a group address is never a source; learning it would be a way to steer floods */
	if (!(f->data[6] & 1))
		vxlan_fdb_learn(v->fdb, f->data + 6, vni, (uint16_t)remote, v->now);
	if (vid) {
		/* into the headroom: the addresses move 4 bytes back, the tag goes after them */
		memmove(f->data - VLAN_HLEN, f->data, 12);
		f->data -= VLAN_HLEN;
		f->len += VLAN_HLEN;
		f->data[12] = 0x81;
		f->data[13] = 0x00;
		f->data[14] = (uint8_t)(vid >> 8);
		f->data[15] = (uint8_t)vid;
	}
	return true;
}

static int vxlan_rx_burst(struct port *p, struct frame **frames, unsigned n)
{
	struct vxlan_port *v = vxlan_port(p);
	unsigned got = 0, done = 0;

	while (done < n) {
		unsigned batch = n - done < VXLAN_BATCH ? n - done : VXLAN_BATCH;
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
		r = recvmmsg(p->fd, v->rmsg, batch, MSG_DONTWAIT, NULL);
		if (r < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ||
			    errno == ECONNREFUSED)
				break;
			return got ? (int)got : -errno;
		}
		/* good frames stay packed at the front: a bad one swaps places with the next */
		for (unsigned i = 0; i < (unsigned)r; i++) {
			struct frame *f = frames[base + i];

			if (base + i != got) {
				frames[base + i] = frames[got];
				frames[got] = f;
			}
			if (!vxlan_rx_check(v, i, f)) {
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

/* frame @i of the burst is lost: count it once */
static void vxlan_tx_drop(struct vxlan_port *v, uint32_t i)
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
	int fd = v->raw_fd >= 0 ? v->raw_fd : v->port.fd;
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
	if (v->raw_fd >= 0) {
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
	if (v->raw_fd >= 0)
		t.sport = vxlan_flow_sport(f->data, f->len);
	r = (f->data[0] & 1) ? VXLAN_FDB_NONE : vxlan_fdb_lookup(v->fdb, f->data, t.vni, v->now);
	if (r != VXLAN_FDB_NONE && r < v->cfg.n_remotes) {
		if (v->nmsg == VXLAN_BATCH)
			vxlan_flush(v);
		vxlan_add(v, &t, r);
		return;
	}
	for (r = 0; r < v->cfg.n_remotes; r++) {
		if (v->nmsg == VXLAN_BATCH)
			vxlan_flush(v);
		vxlan_add(v, &t, r);
	}
}

/* the segments of GSO frame @f, number @i of the burst, each as a frame of its own */
static void vxlan_queue_gso(struct vxlan_port *v, const struct frame *f, uint32_t i)
{
	struct gso_ctx *g = &v->gso;

	if (gso_begin(g, f)) {
		vxlan_tx_drop(v, i);
		return;
	}
	while (g->next < g->nseg) {
		uint32_t len = gso_seg_len(g, g->next);
		struct frame seg = { 0 }, *segp = &seg;

		/* each segment may go to every remote: room for all of its datagrams */
		if (v->nmsg + v->cfg.n_remotes > VXLAN_BATCH ||
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

static void vxlan_destroy(struct port *p)
{
	struct vxlan_port *v = vxlan_port(p);

	if (!p)
		return;
	if (p->fd >= 0)
		close(p->fd);
	if (v->raw_fd >= 0)
		close(v->raw_fd);
	free(v->fdb);
	free(v->arena);
	free(v);
}

static const struct port_ops vxlan_ops = {
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
	info->raw = v->raw_fd >= 0;
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

	if (r == VXLAN_FDB_NONE || r >= v->cfg.n_remotes)
		return false;
	*out = v->cfg.remotes[r];
	return true;
}

/* the MTU of the interface that holds @local's address; 0 if none does (a wildcard) */
static uint32_t vxlan_local_mtu(const struct sockaddr_storage *local)
{
	struct ifaddrs *ifa, *a;
	uint32_t mtu = 0;

	if (getifaddrs(&ifa))
		return 0;
	for (a = ifa; a && !mtu; a = a->ifa_next) {
		struct ifreq ifr = { 0 };
		int s;

		if (!a->ifa_addr || a->ifa_addr->sa_family != local->ss_family)
			continue;
		if (local->ss_family == AF_INET
			    ? ((struct sockaddr_in *)a->ifa_addr)->sin_addr.s_addr !=
				      ((const struct sockaddr_in *)local)->sin_addr.s_addr
			    : memcmp(&((struct sockaddr_in6 *)a->ifa_addr)->sin6_addr,
				     &((const struct sockaddr_in6 *)local)->sin6_addr,
				     sizeof(struct in6_addr)))
			continue;
		snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", a->ifa_name);
		s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (s < 0)
			break;
		if (!ioctl(s, SIOCGIFMTU, &ifr) && ifr.ifr_mtu > 0)
			mtu = (uint32_t)ifr.ifr_mtu;
		close(s);
	}
	freeifaddrs(ifa);
	return mtu;
}

/* set the TTL (hop limit) of @fd's datagrams */
static int vxlan_set_ttl(int fd, bool v6, int ttl)
{
	if (v6)
		return setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &ttl, sizeof(ttl));
	return setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl));
}

/*
 * The raw UDP socket for per-flow source ports, bound to the local address, reading nothing
 * (a filter drops every copy of the host's UDP it would get). Return: its fd, or -1 without
 * the privilege (the port then sends from its bound socket)
 */
static int vxlan_raw_open(const struct vxlan_config *cfg)
{
	static struct sock_filter drop_all[] = { BPF_STMT(BPF_RET | BPF_K, 0) };
	struct sock_fprog prog = { .len = 1, .filter = drop_all };
	bool v6 = cfg->local.ss_family == AF_INET6;
	struct sockaddr_storage a = cfg->local;
	int fd, off = 6; /* the UDP checksum's offset, for IPV6_CHECKSUM */

	fd = socket(cfg->local.ss_family, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_UDP);
	if (fd < 0)
		return -1;
	/* a raw socket binds an address only: IPv6 takes port 0 or the protocol */
	((struct sockaddr_in *)&a)->sin_port = 0;
	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)) ||
	    (v6 && setsockopt(fd, IPPROTO_IPV6, IPV6_CHECKSUM, &off, sizeof(off))) ||
	    vxlan_set_ttl(fd, v6, cfg->ttl) ||
	    bind(fd, (struct sockaddr *)&a,
		 v6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in))) {
		close(fd);
		return -1;
	}
	return fd;
}

/* check @cfg's VLAN map; Return: 0, or -EINVAL with @err filled */
static int vxlan_check_map(const char *name, const struct vxlan_config *cfg, char *err,
			   size_t errlen)
{
	if (cfg->n_map > VXLAN_MAP_MAX || (cfg->no_vni && !cfg->n_map)) {
		snprintf(err, errlen, "vxlan port '%s': %u VLANs mapped (expected %d..%d)", name,
			 cfg->n_map, cfg->no_vni ? 1 : 0, VXLAN_MAP_MAX);
		return -EINVAL;
	}
	for (unsigned k = 0; k < cfg->n_map; k++) {
		const struct vxlan_map *m = &cfg->map[k];

		if (!m->vid || m->vid > 4094 || m->vni > VXLAN_VNI_MAX) {
			snprintf(err, errlen,
				 "vxlan port '%s': VLAN %u as VNI %u (expected VLAN 1..4094, VNI "
				 "0..%u)",
				 name, m->vid, m->vni, VXLAN_VNI_MAX);
			return -EINVAL;
		}
		if (!cfg->no_vni && m->vni == cfg->vni) {
			snprintf(err, errlen,
				 "vxlan port '%s': VNI %u is the port's own (for untagged frames); "
				 "VLAN %u needs another",
				 name, m->vni, m->vid);
			return -EINVAL;
		}
		for (unsigned j = 0; j < k; j++) {
			if (cfg->map[j].vid == m->vid || cfg->map[j].vni == m->vni) {
				snprintf(err, errlen,
					 "vxlan port '%s': VLAN %u or VNI %u is mapped twice", name,
					 m->vid, m->vni);
				return -EINVAL;
			}
		}
	}
	return 0;
}

/* check @cfg; Return: 0, or -EINVAL with @err filled */
static int vxlan_check(const char *name, const struct vxlan_config *cfg, char *err, size_t errlen)
{
	sa_family_t fam = cfg->local.ss_family;

	if (cfg->vni > VXLAN_VNI_MAX) {
		snprintf(err, errlen, "vxlan port '%s': vni %u is out of range (expected 0..%u)",
			 name, cfg->vni, VXLAN_VNI_MAX);
		return -EINVAL;
	}
	if (fam != AF_INET && fam != AF_INET6) {
		snprintf(err, errlen, "vxlan port '%s': the local address is not IPv4 or IPv6",
			 name);
		return -EINVAL;
	}
	if (!cfg->n_remotes || cfg->n_remotes > VXLAN_REMOTES_MAX) {
		snprintf(err, errlen, "vxlan port '%s': %u remotes (expected 1..%d)", name,
			 cfg->n_remotes, VXLAN_REMOTES_MAX);
		return -EINVAL;
	}
	for (unsigned r = 0; r < cfg->n_remotes; r++) {
		if (cfg->remotes[r].ss_family != fam) {
			snprintf(err, errlen,
				 "vxlan port '%s': remote %u is not of the local address's family "
				 "(%s)",
				 name, r + 1, fam == AF_INET ? "IPv4" : "IPv6");
			return -EINVAL;
		}
	}
	if (!cfg->ttl) {
		snprintf(err, errlen, "vxlan port '%s': ttl 0 (expected 1..255)", name);
		return -EINVAL;
	}
	return vxlan_check_map(name, cfg, err, errlen);
}

/* the bound, non-blocking UDP socket; Return: its fd, or a negative errno with @err filled */
static int vxlan_udp_open(const char *name, const struct vxlan_config *cfg, char *err,
			  size_t errlen)
{
	bool v6 = cfg->local.ss_family == AF_INET6;
	char addr[INET6_ADDRSTRLEN] = "?";
	int fd, one = 1, ret;

	fd = socket(cfg->local.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_UDP);
	if (fd < 0)
		goto fail;
	if ((v6 && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one))) ||
	    vxlan_set_ttl(fd, v6, cfg->ttl))
		goto fail;
	if (!bind(fd, (const struct sockaddr *)&cfg->local,
		  v6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in)))
		return fd;
fail:
	ret = errno;
	if (fd >= 0)
		close(fd);
	inet_ntop(cfg->local.ss_family,
		  v6 ? (const void *)&((const struct sockaddr_in6 *)&cfg->local)->sin6_addr
		     : (const void *)&((const struct sockaddr_in *)&cfg->local)->sin_addr,
		  addr, sizeof(addr));
	snprintf(err, errlen, "vxlan port '%s': cannot bind UDP %s%s%s port %u: %s%s", name,
		 v6 ? "[" : "", addr, v6 ? "]" : "",
		 ntohs(((const struct sockaddr_in *)&cfg->local)->sin_port), strerror(ret),
		 ret == EADDRINUSE	? " (another VXLAN port or the kernel's vxlan has it)"
		 : ret == EADDRNOTAVAIL ? " (the address is not on this host)"
					: "");
	return -ret;
}

int vxlan_port_open(const char *name, const struct vxlan_config *cfg, struct port **out, char *err,
		    size_t errlen)
{
	struct vxlan_port *v;
	int fd, ret;

	if (!name || !*name || strlen(name) >= IF_NAMESIZE) {
		snprintf(err, errlen, "vxlan port name '%s' is not valid", name ? name : "");
		return -EINVAL;
	}
	ret = vxlan_check(name, cfg, err, errlen);
	if (ret)
		return ret;
	fd = vxlan_udp_open(name, cfg, err, errlen);
	if (fd < 0)
		return fd;
	v = calloc(1, sizeof(*v));
	if (!v || !(v->arena = malloc(VXLAN_ARENA_SIZE)) ||
	    !(v->fdb = malloc(VXLAN_FDB_SIZE * sizeof(*v->fdb)))) {
		if (v)
			free(v->arena);
		free(v);
		close(fd);
		snprintf(err, errlen, "vxlan port '%s': %s", name, strerror(ENOMEM));
		return -ENOMEM;
	}
	for (unsigned i = 0; i < VXLAN_FDB_SIZE; i++)
		v->fdb[i] = (struct vxlan_fdb_entry){ .remote = VXLAN_FDB_NONE };
	v->port.ops = &vxlan_ops;
	v->port.fd = fd;
	memcpy(v->port.ifname, name, strlen(name) + 1);
	v->cfg = *cfg;
	if (!v->cfg.mtu)
		v->cfg.mtu = vxlan_local_mtu(&cfg->local);
	if (!v->cfg.mtu)
		v->cfg.mtu = 1500;
	v->overhead = vxlan_v6(v) ? VXLAN_OVERHEAD6 : VXLAN_OVERHEAD4;
	for (unsigned r = 0; r < cfg->n_remotes; r++) {
		v->dst[r] = cfg->remotes[r];
		v->dst_raw[r] = cfg->remotes[r];
		/* sin_port and sin6_port are at the same place */
		((struct sockaddr_in *)&v->dst[r])->sin_port =
			((const struct sockaddr_in *)&cfg->local)->sin_port;
		((struct sockaddr_in *)&v->dst_raw[r])->sin_port = 0;
	}
	v->raw_fd = vxlan_raw_open(cfg);
	*out = &v->port;
	return 0;
}
