/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vhost_user_net.c - frames between a vhost-user device's rings and struct frame buffers
 *
 * The guest's transmit ring: each chain is a virtio-net header and a frame, read into one
 * of the caller's buffers and given back at once (used length 0). kvnet offers no
 * offloads yet, so a header asking for one is the guest's error: the chain is dropped.
 *
 * The guest's receive ring: a frame takes one chain, or with MRG_RXBUF as many as it
 * needs (up to VHOST_USER_MRG_MAX), the header in the first with num_buffers saying how
 * many. Chains taken for a frame that then does not fit are put back untouched. A GSO
 * frame from another port is cut into segments (core/gso.h) in the device's scratch
 * buffer, and a NEEDS_CSUM frame's checksum is written into the guest's copy: the
 * caller's frame, perhaps shared with other ports, is never changed.
 */

#include <errno.h>
#include <string.h>

#include "core/gso.h"
#include "port/vhost_user_dev.h"

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
	/* flags and gso_type: the guest was offered no offload */
	if (hdr[0] || hdr[1])
		return -EINVAL;
	f->data = f->head + FRAME_HEADROOM;
	virtq_copy_from(c, d->hdr_len, f->data, len);
	f->len = len;
	memset(&f->vnet, 0, sizeof(f->vnet));
	return 0;
}

int vhost_user_net_rx(struct vhost_user_dev *d, struct frame **frames, unsigned int n,
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
	*notify = virtq_publish(q, true) && d->call[VHOST_USER_TX] >= 0;
	if (q->broken)
		return got ? (int)got : -EPROTO;
	/* asked for a kick past what was taken: anything there now would not bring one */
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

/* @f into the guest's receive ring. Return: 0, -ENOBUFS (no room now), -EINVAL, -EPROTO */
static int vhost_user_write(struct vhost_user_dev *d, const struct frame *f)
{
	struct virtq *q = &d->vq[VHOST_USER_RX];
	bool mrg = d->features >> VIRTIO_NET_F_MRG_RXBUF & 1;
	uint32_t need = d->hdr_len + f->len, total = 0, left = f->len;
	uint8_t hdr[12] = { 0 }, csum[2];
	unsigned int nch = 0;
	int avail = virtq_avail_count(q);

	if (avail < 0)
		return -EPROTO;
	if ((f->vnet.flags & VNET_F_NEEDS_CSUM) && csum_compute(f, csum))
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
	hdr[10] = (uint8_t)nch; /* num_buffers, little-endian; 12-byte header only */
	virtq_copy_to(&d->chain[0], 0, hdr, d->hdr_len);
	vhost_user_put(d, nch, 0, f->data, f->len);
	if (f->vnet.flags & VNET_F_NEEDS_CSUM)
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
		ret = gso_is_gso(frames[i]) ? vhost_user_write_gso(d, frames[i])
					    : vhost_user_write(d, frames[i]);
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
