/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vhost_user_net.c - frames between a vhost-user device's rings and struct frame buffers
 *
 * The guest's transmit ring: each chain is a virtio-net header and a frame, read into one
 * of the caller's buffers and given back at once (used length 0). The header becomes the
 * frame's offload metadata (struct vnet_meta), as a tap's does, once it is checked: the
 * guest is hostile, and a header that asks for what was not negotiated (NEEDS_CSUM without
 * CSUM, a GSO type without its HOST_TSO*, ECN without HOST_ECN, UFO and USO never), a GSO
 * frame without gso_size or NEEDS_CSUM, or offsets past the frame is a dropped chain.
 *
 * The guest's receive ring: a frame takes one chain, or with MRG_RXBUF as many as it
 * needs (up to VHOST_USER_MRG_MAX), the header in the first with num_buffers saying how
 * many. Chains taken for a frame that then does not fit are put back untouched. A GSO or
 * NEEDS_CSUM frame goes as it is, its metadata in the header, when the guest negotiated
 * taking it (GUEST_TSO4/6 with GUEST_CSUM, GUEST_ECN for the ECN bit; GUEST_CSUM). Else a
 * GSO frame is cut into segments (core/gso.h) in the device's scratch buffer, and a
 * NEEDS_CSUM frame's checksum is written into the guest's copy: the caller's frame,
 * perhaps shared with other ports, is never changed.
 */

#include <errno.h>
#include <string.h>

#include "core/gso.h"
#include "port/vhost_user_dev.h"

static inline bool vhost_user_has(const struct vhost_user_dev *d, unsigned int bit)
{
	return d->features >> bit & 1;
}

static inline uint16_t vhost_user_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

/* the guest's header @h of a @len-byte frame into @m. Return: 0, or -EINVAL to drop it */
static int vhost_user_hdr_in(const struct vhost_user_dev *d, const uint8_t *h, uint32_t len,
			     struct vnet_meta *m)
{
	uint8_t type = h[1] & ~VNET_GSO_ECN;

	/* DATA_VALID means nothing from a driver (virtio 1.x 5.1.6.2): ignored */
	m->flags = h[0] & ~VNET_F_DATA_VALID;
	m->gso_type = h[1];
	m->hdr_len = vhost_user_le16(h + 2);
	m->gso_size = vhost_user_le16(h + 4);
	m->csum_start = vhost_user_le16(h + 6);
	m->csum_offset = vhost_user_le16(h + 8);
	if (m->flags & ~VNET_F_NEEDS_CSUM)
		return -EINVAL;
	if (m->flags) {
		if (!vhost_user_has(d, VIRTIO_NET_F_CSUM) || m->csum_start < 14 ||
		    (uint32_t)m->csum_start + m->csum_offset + 2 > len)
			return -EINVAL;
	} else {
		m->csum_start = 0;
		m->csum_offset = 0;
	}
	if (type == VNET_GSO_NONE) {
		if (m->gso_type) /* ECN alone */
			return -EINVAL;
		m->gso_size = 0;
		m->hdr_len = 0;
		return 0;
	}
	if (!(type == VNET_GSO_TCPV4 && vhost_user_has(d, VIRTIO_NET_F_HOST_TSO4)) &&
	    !(type == VNET_GSO_TCPV6 && vhost_user_has(d, VIRTIO_NET_F_HOST_TSO6)))
		return -EINVAL;
	if ((m->gso_type & VNET_GSO_ECN) && !vhost_user_has(d, VIRTIO_NET_F_HOST_ECN))
		return -EINVAL;
	if (!m->gso_size || !m->flags || m->hdr_len > len)
		return -EINVAL;
	return 0;
}

/* chain @c into @f, after the header. Return: 0, or -EINVAL for a frame to drop */
static int vhost_user_take(const struct vhost_user_dev *d, const struct virtq_chain *c,
			   struct frame *f)
{
	uint8_t hdr[12];
	uint32_t len;

	if (c->len < d->hdr_len + 14 || c->len - d->hdr_len > f->size - FRAME_HEADROOM ||
	    c->len - d->hdr_len > FRAME_MAX_LEN)
		return -EINVAL;
	len = c->len - d->hdr_len;
	virtq_copy_from(c, 0, hdr, d->hdr_len);
	if (vhost_user_hdr_in(d, hdr, len, &f->vnet))
		return -EINVAL;
	f->data = f->head + FRAME_HEADROOM;
	virtq_copy_from(c, d->hdr_len, f->data, len);
	f->len = len;
	return 0;
}

int vhost_user_net_rx(struct vhost_user_dev *d, struct frame **frames, unsigned int n, bool poll,
		      uint64_t *drops, bool *notify, bool *more)
{
	struct virtq *q = &d->vq[VHOST_USER_TX];
	struct virtq_chain *c = &d->chain[0];
	unsigned int got = 0;
	int avail;

	*notify = false;
	*more = false;
	if (!virtq_ready(q))
		return 0;
	avail = virtq_avail_count(q);
	if (avail < 0)
		return -EPROTO;
	for (; avail > 0 && got < n; avail--) {
		if (virtq_pop(q, &d->mem, false, c)) {
			(*drops)++;
			if (q->broken)
				break;
			continue;
		}
		if (vhost_user_take(d, c, frames[got]))
			(*drops)++;
		else
			got++;
		virtq_push(q, c->head, 0);
	}
	*notify = virtq_publish(q, !poll) && d->call[VHOST_USER_TX] >= 0;
	if (q->broken)
		return got ? (int)got : -EPROTO;
	/*
	 * asked for a kick past what was taken (after the fence in virtq_publish()): anything
	 * there now would not bring one
	 */
	*more = virtq_avail_count(q) > 0;
	return (int)got;
}

/* write @len bytes of @src at frame offset @off across the @nch chains of @d->chain */
static void vhost_user_put(struct vhost_user_dev *d, unsigned int nch, uint32_t off,
			   const uint8_t *src, uint32_t len)
{
	uint32_t start = 0; /* frame offset of this chain's first frame byte */

	for (unsigned int k = 0; k < nch && len; k++) {
		uint32_t skip = k ? 0 : d->hdr_len;
		uint32_t room = d->chain[k].len - skip, w;

		if (off >= start + room) {
			start += room;
			continue;
		}
		w = start + room - off;
		if (w > len)
			w = len;
		virtq_copy_to(&d->chain[k], skip + (off - start), src, w);
		src += w;
		off += w;
		len -= w;
		start += room;
	}
}

/* give back the @nch chains taken for a frame that is not written */
static void vhost_user_giveback(struct vhost_user_dev *d, unsigned int nch, bool used)
{
	struct virtq *q = &d->vq[VHOST_USER_RX];

	if (!used) {
		virtq_unpop(q, (uint16_t)nch);
		return;
	}
	for (unsigned int k = 0; k < nch; k++)
		virtq_push(q, d->chain[k].head, 0);
}

/* can the guest take GSO frame @f as it is? */
static bool vhost_user_guest_gso(const struct vhost_user_dev *d, const struct frame *f)
{
	uint8_t type = f->vnet.gso_type & ~VNET_GSO_ECN;

	if (!vhost_user_has(d, VIRTIO_NET_F_GUEST_CSUM) || !(f->vnet.flags & VNET_F_NEEDS_CSUM))
		return false;
	if ((f->vnet.gso_type & VNET_GSO_ECN) && !vhost_user_has(d, VIRTIO_NET_F_GUEST_ECN))
		return false;
	return (type == VNET_GSO_TCPV4 && vhost_user_has(d, VIRTIO_NET_F_GUEST_TSO4)) ||
	       (type == VNET_GSO_TCPV6 && vhost_user_has(d, VIRTIO_NET_F_GUEST_TSO6));
}

/* the header for @f as the guest takes it (little-endian); num_buffers is left 0 */
static void vhost_user_hdr_out(const struct vhost_user_dev *d, const struct frame *f,
			       uint8_t hdr[12])
{
	const struct vnet_meta *m = &f->vnet;
	bool gso = gso_is_gso(f);

	memset(hdr, 0, 12);
	if (!vhost_user_has(d, VIRTIO_NET_F_GUEST_CSUM))
		return; /* no offload: the frame was completed or segmented */
	hdr[0] = m->flags & (VNET_F_NEEDS_CSUM | VNET_F_DATA_VALID);
	if (hdr[0] & VNET_F_NEEDS_CSUM) {
		hdr[6] = (uint8_t)m->csum_start;
		hdr[7] = (uint8_t)(m->csum_start >> 8);
		hdr[8] = (uint8_t)m->csum_offset;
		hdr[9] = (uint8_t)(m->csum_offset >> 8);
	}
	if (gso) {
		hdr[1] = m->gso_type;
		hdr[2] = (uint8_t)m->hdr_len;
		hdr[3] = (uint8_t)(m->hdr_len >> 8);
		hdr[4] = (uint8_t)m->gso_size;
		hdr[5] = (uint8_t)(m->gso_size >> 8);
	}
}

/* @f into the guest's receive ring. Return: 0, -ENOBUFS (no room now), -EINVAL, -EPROTO */
static int vhost_user_write(struct vhost_user_dev *d, const struct frame *f)
{
	struct virtq *q = &d->vq[VHOST_USER_RX];
	bool mrg = vhost_user_has(d, VIRTIO_NET_F_MRG_RXBUF);
	bool fill = (f->vnet.flags & VNET_F_NEEDS_CSUM) &&
		    !vhost_user_has(d, VIRTIO_NET_F_GUEST_CSUM);
	uint32_t need = d->hdr_len + f->len, total = 0, left = f->len;
	uint8_t hdr[12], csum[2];
	unsigned int nch = 0;
	int avail = virtq_avail_count(q);

	if (avail < 0)
		return -EPROTO;
	if (fill && csum_compute(f, csum))
		return -EINVAL;
	while (total < need) {
		struct virtq_chain *c = &d->chain[nch];

		if (nch == (mrg ? VHOST_USER_MRG_MAX : 1u)) {
			vhost_user_giveback(d, nch, true);
			return -EINVAL; /* buffers too small for it: the guest's to refill */
		}
		if (nch == (unsigned int)avail) {
			vhost_user_giveback(d, nch, false);
			return -ENOBUFS;
		}
		if (virtq_pop(q, &d->mem, true, c)) {
			vhost_user_giveback(d, nch, true);
			return q->broken ? -EPROTO : -EINVAL;
		}
		nch++;
		total += c->len;
		if (nch == 1 && c->len < d->hdr_len) {
			vhost_user_giveback(d, nch, true);
			return -EINVAL;
		}
	}
	vhost_user_hdr_out(d, f, hdr);
	hdr[10] = (uint8_t)nch; /* num_buffers, little-endian; 12-byte header only */
	virtq_copy_to(&d->chain[0], 0, hdr, d->hdr_len);
	vhost_user_put(d, nch, 0, f->data, f->len);
	if (fill)
		vhost_user_put(d, nch, (uint32_t)f->vnet.csum_start + f->vnet.csum_offset, csum, 2);
	for (unsigned int k = 0; k < nch; k++) {
		uint32_t room = d->chain[k].len - (k ? 0 : d->hdr_len);
		uint32_t w = room < left ? room : left;

		virtq_push(q, d->chain[k].head, w + (k ? 0 : d->hdr_len));
		left -= w;
	}
	return 0;
}

/* GSO frame @f cut into segments, each written. Return: 0 or as vhost_user_write() */
static int vhost_user_write_gso(struct vhost_user_dev *d, const struct frame *f)
{
	struct gso_ctx g;
	struct frame seg, *segp = &seg;
	int ret;

	if (!d->scratch)
		return -EINVAL;
	ret = gso_begin(&g, f);
	if (ret)
		return -EINVAL;
	while (g.next < g.nseg) {
		frame_init(&seg, d->scratch, FRAME_BUF_SIZE);
		if (gso_next(&g, &segp, 1) != 1)
			return -EINVAL;
		ret = vhost_user_write(d, &seg);
		if (ret)
			return ret;
	}
	return 0;
}

int vhost_user_net_tx(struct vhost_user_dev *d, struct frame **frames, unsigned int n,
		      uint64_t *drops, bool *notify)
{
	struct virtq *q = &d->vq[VHOST_USER_RX];
	unsigned int sent = 0;
	uint16_t before = q->used_idx;
	int ret = 0;

	*notify = false;
	if (!virtq_ready(q)) {
		*drops += n;
		return 0;
	}
	for (unsigned int i = 0; i < n; i++) {
		const struct frame *f = frames[i];

		ret = gso_is_gso(f) && !vhost_user_guest_gso(d, f) ? vhost_user_write_gso(d, f)
								   : vhost_user_write(d, f);
		if (ret == -EPROTO) {
			*drops += n - i;
			break;
		}
		if (ret)
			(*drops)++;
		else
			sent++;
	}
	if (q->used_idx != before)
		*notify = virtq_publish(q, false) && d->call[VHOST_USER_RX] >= 0;
	if (ret == -EPROTO && !sent)
		return -EPROTO;
	return (int)sent;
}
