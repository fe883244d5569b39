/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vhost_user_msg.c - the vhost-user messages a back-end of one virtio-net queue pair takes */

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "port/vhost_user_dev.h"

void vhost_user_dev_init(struct vhost_user_dev *d, const struct vhost_user_env *env)
{
	uint8_t *scratch = d->scratch;

	memset(d, 0, sizeof(*d));
	d->env = env;
	d->scratch = scratch;
	d->hdr_len = 10;
	for (int i = 0; i < VHOST_USER_RINGS; i++) {
		d->kick[i] = -1;
		d->call[i] = -1;
		d->err[i] = -1;
		d->enabled[i] = true;
	}
}

static void vhost_user_close(struct vhost_user_dev *d, int *fd)
{
	if (*fd >= 0)
		d->env->close_fd(d->env->ctx, *fd);
	*fd = -1;
}

static void vhost_user_unmap_all(struct vhost_user_dev *d)
{
	for (unsigned int i = 0; i < VIRTQ_REGIONS_MAX; i++) {
		if (d->map[i])
			d->env->unmap(d->env->ctx, d->map[i], d->map_len[i]);
		d->map[i] = NULL;
	}
	d->mem.n = 0;
}

void vhost_user_dev_reset(struct vhost_user_dev *d)
{
	vhost_user_unmap_all(d);
	for (int i = 0; i < VHOST_USER_RINGS; i++) {
		vhost_user_close(d, &d->kick[i]);
		vhost_user_close(d, &d->call[i]);
		vhost_user_close(d, &d->err[i]);
	}
	vhost_user_dev_init(d, d->env);
}

bool vhost_user_dev_ready(const struct vhost_user_dev *d)
{
	return virtq_ready(&d->vq[VHOST_USER_RX]) && virtq_ready(&d->vq[VHOST_USER_TX]);
}

/* refuse the message: why into @d->why. Return: -EPROTO */
__attribute__((format(printf, 2, 3))) static int vhost_user_bad(struct vhost_user_dev *d,
								const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(d->why, sizeof(d->why), fmt, ap);
	va_end(ap);
	return -EPROTO;
}

/* @req set features @set, of which some were not in @offered. Return: -EPROTO */
static int vhost_user_bad_features(struct vhost_user_dev *d, const char *req, uint64_t set,
				   uint64_t offered)
{
	return vhost_user_bad(d,
			      "%s: 0x%" PRIx64 " has features kvnet did not offer (0x%" PRIx64 ")",
			      req, set, offered);
}

/* ring @i runs if everything it needs has come; it is (re)mapped through the table */
static void vhost_user_ring_update(struct vhost_user_dev *d, unsigned int i)
{
	struct virtq *q = &d->vq[i];
	bool was = q->started;

	q->event_idx = d->features >> VIRTIO_RING_F_EVENT_IDX & 1;
	if (q->num && (q->desc_uva || q->avail_uva || q->used_uva))
		virtq_map(q, &d->mem);
	q->started = d->kicked[i] && d->enabled[i] && q->desc;
	if (q->started && !was) {
		/* the driver's used index is where the device goes on from */
		q->used_idx = __atomic_load_n(&q->used->idx, __ATOMIC_ACQUIRE);
		q->signalled = q->used_idx;
		q->broken = false;
		/*
		 * kvnet uses every chain it takes at once, so at rest the next one to take is the
		 * next one to use, and SET_VRING_BASE's number is not needed: a front-end whose
		 * base is not that (DPDK's virtio-user reconnecting sends 0) would have its ring
		 * taken as broken. Go on from the used index, as DPDK's own back-end does.
		 */
		q->last_avail = q->used_idx;
	}
}

/* a message's ring index, checked. Return: 0 or -EPROTO */
static int vhost_user_ring(struct vhost_user_dev *d, uint32_t index, unsigned int *i)
{
	if (index >= VHOST_USER_RINGS)
		return vhost_user_bad(d,
				      "ring %" PRIu32 " does not exist (kvnet has rings 0 and 1)",
				      index);
	*i = index;
	return 0;
}

static int vhost_user_set_mem(struct vhost_user_dev *d, const struct vhost_user_msg *m,
			      const int *fds, unsigned int nfds)
{
	const struct vhost_user_mem *mem = &m->u.mem;
	void *map[VIRTQ_REGIONS_MAX] = { 0 };
	uint64_t len[VIRTQ_REGIONS_MAX];
	struct virtq_mem t = { 0 };
	unsigned int n = mem->nregions;

	if (n == 0 || n > VIRTQ_REGIONS_MAX)
		return vhost_user_bad(d, "SET_MEM_TABLE: %u regions (expected 1 to %d)", n,
				      VIRTQ_REGIONS_MAX);
	if (m->hdr.size != 8 + n * sizeof(mem->r[0]) || nfds != n)
		return vhost_user_bad(d,
				      "SET_MEM_TABLE: %u regions in %" PRIu32
				      " bytes with %u descriptors (expected %zu bytes and %u)",
				      n, m->hdr.size, nfds, 8 + n * sizeof(mem->r[0]), n);
	for (unsigned int i = 0; i < n; i++) {
		const struct vhost_user_region *r = &mem->r[i];

		if (!r->size || r->gpa + r->size < r->gpa || r->uva + r->size < r->uva ||
		    r->mmap_offset + r->size < r->mmap_offset)
			return vhost_user_bad(d, "SET_MEM_TABLE: region %u is empty or wraps", i);
	}
	for (unsigned int i = 0; i < n; i++) {
		const struct vhost_user_region *r = &mem->r[i];

		len[i] = r->mmap_offset + r->size;
		map[i] = d->env->map(d->env->ctx, fds[i], &len[i]);
		if (!map[i]) {
			for (unsigned int j = 0; j < i; j++)
				d->env->unmap(d->env->ctx, map[j], len[j]);
			return vhost_user_bad(d,
					      "SET_MEM_TABLE: region %u (%" PRIu64
					      " bytes at offset %" PRIu64 ") cannot be mapped",
					      i, r->size, r->mmap_offset);
		}
		t.r[i].gpa = r->gpa;
		t.r[i].size = r->size;
		t.r[i].uva = r->uva;
		t.r[i].host = (uint8_t *)map[i] + r->mmap_offset;
	}
	t.n = n;
	/* the descriptors are not needed once mapped */
	for (unsigned int i = 0; i < nfds; i++)
		d->env->close_fd(d->env->ctx, fds[i]);
	vhost_user_unmap_all(d);
	d->mem = t;
	memcpy(d->map, map, sizeof(map));
	memcpy(d->map_len, len, sizeof(len));
	for (unsigned int i = 0; i < VHOST_USER_RINGS; i++)
		vhost_user_ring_update(d, i);
	return 0;
}

static int vhost_user_set_addr(struct vhost_user_dev *d, const struct vhost_user_addr *a)
{
	unsigned int i = 0;
	int ret = vhost_user_ring(d, a->index, &i);

	if (ret)
		return ret;
	if (!d->vq[i].num)
		return vhost_user_bad(d, "SET_VRING_ADDR: ring %u has no size yet", i);
	d->vq[i].desc_uva = a->desc;
	d->vq[i].avail_uva = a->avail;
	d->vq[i].used_uva = a->used;
	if (d->mem.n && virtq_map(&d->vq[i], &d->mem))
		return vhost_user_bad(d,
				      "SET_VRING_ADDR: ring %u of %" PRIu32
				      " entries is not inside the memory table",
				      i, d->vq[i].num);
	vhost_user_ring_update(d, i);
	return 0;
}

/* SET_VRING_KICK, CALL, ERR: the descriptor (or none) for a ring */
static int vhost_user_set_fd(struct vhost_user_dev *d, const struct vhost_user_msg *m,
			     const int *fds, unsigned int nfds)
{
	bool nofd = m->u.u64 & VHOST_USER_VRING_NOFD;
	unsigned int i = 0;
	int *slot, ret;

	if (m->u.u64 & ~(uint64_t)(VHOST_USER_VRING_IDX_MASK | VHOST_USER_VRING_NOFD))
		return vhost_user_bad(d, "request %" PRIu32 ": unknown bits in 0x%" PRIx64,
				      m->hdr.request, m->u.u64);
	ret = vhost_user_ring(d, (uint32_t)(m->u.u64 & VHOST_USER_VRING_IDX_MASK), &i);
	if (ret)
		return ret;
	if (nfds != (nofd ? 0u : 1u))
		return vhost_user_bad(d, "request %" PRIu32 " for ring %u: %u descriptors",
				      m->hdr.request, i, nfds);
	if (m->hdr.request == VHOST_USER_SET_VRING_KICK && nofd)
		return vhost_user_bad(d,
				      "SET_VRING_KICK: ring %u without an eventfd (kvnet does "
				      "not poll rings)",
				      i);
	slot = m->hdr.request == VHOST_USER_SET_VRING_KICK   ? &d->kick[i]
	       : m->hdr.request == VHOST_USER_SET_VRING_CALL ? &d->call[i]
							     : &d->err[i];
	vhost_user_close(d, slot);
	*slot = nofd ? -1 : fds[0];
	if (m->hdr.request == VHOST_USER_SET_VRING_KICK) {
		d->kicked[i] = true;
		vhost_user_ring_update(d, i);
	}
	return 0;
}

static int vhost_user_set_state(struct vhost_user_dev *d, const struct vhost_user_msg *m,
				struct vhost_user_msg *reply)
{
	const struct vhost_user_state *s = &m->u.state;
	unsigned int i = 0;
	int ret = vhost_user_ring(d, s->index, &i);

	if (ret)
		return ret;
	switch (m->hdr.request) {
	case VHOST_USER_SET_VRING_NUM:
		if (s->num == 0 || s->num > VIRTQ_SIZE_MAX || (s->num & (s->num - 1)))
			return vhost_user_bad(d,
					      "SET_VRING_NUM: ring %u of %" PRIu32
					      " entries (expected a power of two up to %d)",
					      i, s->num, VIRTQ_SIZE_MAX);
		if (d->vq[i].started)
			return vhost_user_bad(d, "SET_VRING_NUM: ring %u is running", i);
		d->vq[i].num = s->num;
		d->vq[i].desc = NULL;
		return 0;
	case VHOST_USER_SET_VRING_BASE:
		if (s->num > UINT16_MAX)
			return vhost_user_bad(d,
					      "SET_VRING_BASE: ring %u base %" PRIu32
					      " (expected up to 65535)",
					      i, s->num);
		d->vq[i].last_avail = (uint16_t)s->num;
		return 0;
	case VHOST_USER_GET_VRING_BASE:
		/* the ring stops; a new kick descriptor starts it again */
		d->kicked[i] = false;
		d->vq[i].started = false;
		vhost_user_close(d, &d->kick[i]);
		reply->u.state.index = i;
		reply->u.state.num = d->vq[i].last_avail;
		reply->hdr.size = sizeof(reply->u.state);
		return 0;
	case VHOST_USER_SET_VRING_ENABLE:
		if (s->num > 1)
			return vhost_user_bad(d, "SET_VRING_ENABLE: %" PRIu32 " (expected 0 or 1)",
					      s->num);
		d->enabled[i] = s->num;
		vhost_user_ring_update(d, i);
		return 0;
	default:
		return vhost_user_bad(d, "request %" PRIu32 " is not a ring state", m->hdr.request);
	}
}

/* the payload size @req must have, or -1 for the memory table (checked by its handler) */
static int vhost_user_req_size(uint32_t req)
{
	switch (req) {
	case VHOST_USER_GET_FEATURES:
	case VHOST_USER_SET_OWNER:
	case VHOST_USER_RESET_OWNER:
	case VHOST_USER_GET_PROTOCOL_FEATURES:
	case VHOST_USER_GET_QUEUE_NUM:
		return 0;
	case VHOST_USER_SET_FEATURES:
	case VHOST_USER_SET_PROTOCOL_FEATURES:
	case VHOST_USER_SET_VRING_KICK:
	case VHOST_USER_SET_VRING_CALL:
	case VHOST_USER_SET_VRING_ERR:
	case VHOST_USER_NET_SET_MTU:
		return sizeof(uint64_t);
	case VHOST_USER_SET_VRING_NUM:
	case VHOST_USER_SET_VRING_BASE:
	case VHOST_USER_GET_VRING_BASE:
	case VHOST_USER_SET_VRING_ENABLE:
		return sizeof(struct vhost_user_state);
	case VHOST_USER_SET_VRING_ADDR:
		return sizeof(struct vhost_user_addr);
	case VHOST_USER_SET_MEM_TABLE:
		return -1;
	default:
		return -2;
	}
}

/* the requests whose fds the handler takes; every other one must come with none */
static bool vhost_user_req_fds(uint32_t req)
{
	return req == VHOST_USER_SET_MEM_TABLE || req == VHOST_USER_SET_VRING_KICK ||
	       req == VHOST_USER_SET_VRING_CALL || req == VHOST_USER_SET_VRING_ERR;
}

static int vhost_user_dispatch(struct vhost_user_dev *d, const struct vhost_user_msg *m,
			       const int *fds, unsigned int nfds, struct vhost_user_msg *reply)
{
	switch (m->hdr.request) {
	case VHOST_USER_GET_FEATURES:
		reply->u.u64 = VHOST_USER_FEATURES;
		reply->hdr.size = sizeof(uint64_t);
		return 0;
	case VHOST_USER_SET_FEATURES:
		if (m->u.u64 & ~(uint64_t)VHOST_USER_FEATURES)
			return vhost_user_bad_features(d, "SET_FEATURES", m->u.u64,
						       VHOST_USER_FEATURES);
		d->features = m->u.u64;
		d->hdr_len = d->features & (1ull << VIRTIO_F_VERSION_1 |
					    1ull << VIRTIO_NET_F_MRG_RXBUF)
				     ? 12
				     : 10;
		/* a ring starts disabled only when the protocol features are there */
		if (!(d->features & 1ull << VHOST_USER_F_PROTOCOL_FEATURES))
			for (unsigned int i = 0; i < VHOST_USER_RINGS; i++)
				d->enabled[i] = true;
		for (unsigned int i = 0; i < VHOST_USER_RINGS; i++)
			vhost_user_ring_update(d, i);
		return 0;
	case VHOST_USER_GET_PROTOCOL_FEATURES:
		reply->u.u64 = VHOST_USER_PROTOCOL_FEATURES;
		reply->hdr.size = sizeof(uint64_t);
		return 0;
	case VHOST_USER_SET_PROTOCOL_FEATURES:
		if (m->u.u64 & ~(uint64_t)VHOST_USER_PROTOCOL_FEATURES)
			return vhost_user_bad_features(d, "SET_PROTOCOL_FEATURES", m->u.u64,
						       VHOST_USER_PROTOCOL_FEATURES);
		d->proto = m->u.u64;
		/* from now on rings wait for SET_VRING_ENABLE */
		for (unsigned int i = 0; i < VHOST_USER_RINGS; i++)
			if (!d->vq[i].started)
				d->enabled[i] = false;
		return 0;
	case VHOST_USER_SET_OWNER:
		return 0;
	case VHOST_USER_RESET_OWNER:
		vhost_user_dev_reset(d);
		return 0;
	case VHOST_USER_GET_QUEUE_NUM:
		reply->u.u64 = 1;
		reply->hdr.size = sizeof(uint64_t);
		return 0;
	case VHOST_USER_NET_SET_MTU:
		if (!(d->proto & 1ull << VHOST_USER_PROTOCOL_F_MTU) || m->u.u64 < 68 ||
		    m->u.u64 > 65535)
			return vhost_user_bad(
				d,
				"NET_SET_MTU: %" PRIu64
				" (expected 68 to 65535, after the MTU protocol feature)",
				m->u.u64);
		d->mtu = (uint32_t)m->u.u64;
		return 0;
	case VHOST_USER_SET_MEM_TABLE:
		return vhost_user_set_mem(d, m, fds, nfds);
	case VHOST_USER_SET_VRING_ADDR:
		return vhost_user_set_addr(d, &m->u.addr);
	case VHOST_USER_SET_VRING_KICK:
	case VHOST_USER_SET_VRING_CALL:
	case VHOST_USER_SET_VRING_ERR:
		return vhost_user_set_fd(d, m, fds, nfds);
	case VHOST_USER_SET_VRING_NUM:
	case VHOST_USER_SET_VRING_BASE:
	case VHOST_USER_GET_VRING_BASE:
	case VHOST_USER_SET_VRING_ENABLE:
		return vhost_user_set_state(d, m, reply);
	default:
		return vhost_user_bad(d, "request %" PRIu32 " is not one kvnet takes",
				      m->hdr.request);
	}
}

/* close what the handler did not take: a refused message's descriptors */
static void vhost_user_drop_fds(struct vhost_user_dev *d, const int *fds, unsigned int nfds)
{
	for (unsigned int i = 0; i < nfds; i++)
		d->env->close_fd(d->env->ctx, fds[i]);
}

int vhost_user_handle(struct vhost_user_dev *d, const struct vhost_user_msg *m, const int *fds,
		      unsigned int nfds, struct vhost_user_msg *reply)
{
	uint32_t req = m->hdr.request;
	int size = vhost_user_req_size(req);
	int ret;

	memset(&reply->hdr, 0, sizeof(reply->hdr));
	if ((m->hdr.flags & VHOST_USER_VERSION_MASK) != VHOST_USER_VERSION)
		ret = vhost_user_bad(d, "request %" PRIu32 ": version %" PRIu32 " (expected 1)",
				     req, m->hdr.flags & VHOST_USER_VERSION_MASK);
	else if (size == -2)
		ret = vhost_user_bad(d, "request %" PRIu32 " is not one kvnet takes", req);
	else if (m->hdr.size > VHOST_USER_PAYLOAD_MAX ||
		 (size >= 0 && m->hdr.size != (uint32_t)size))
		ret = vhost_user_bad(d, "request %" PRIu32 ": %" PRIu32 " bytes (expected %d)", req,
				     m->hdr.size, size);
	else if (nfds > VHOST_USER_FDS_MAX || (nfds && !vhost_user_req_fds(req)))
		ret = vhost_user_bad(d, "request %" PRIu32 " came with %u descriptors", req, nfds);
	else
		ret = 1;
	if (ret < 0) {
		vhost_user_drop_fds(d, fds, nfds);
		return ret;
	}
	reply->hdr.request = req;
	reply->hdr.size = 0;
	ret = vhost_user_dispatch(d, m, fds, nfds, reply);
	if (ret) {
		/* a handler that refuses has taken none of the descriptors */
		vhost_user_drop_fds(d, fds, nfds);
		memset(&reply->hdr, 0, sizeof(reply->hdr));
		return ret;
	}
	reply->hdr.flags = VHOST_USER_VERSION | VHOST_USER_FLAG_REPLY;
	if (reply->hdr.size)
		return 0;
	/* REPLY_ACK: a message that has no answer of its own gets 0, done */
	if ((d->proto & 1ull << VHOST_USER_PROTOCOL_F_REPLY_ACK) &&
	    (m->hdr.flags & VHOST_USER_FLAG_NEED_REPLY)) {
		reply->u.u64 = 0;
		reply->hdr.size = sizeof(uint64_t);
		return 0;
	}
	memset(&reply->hdr, 0, sizeof(reply->hdr));
	return 0;
}
