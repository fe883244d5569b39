/* SPDX-License-Identifier: GPL-2.0-or-later */
/* virtq.c - address translation through a guest's memory table, and split virtqueues */

#include <errno.h>
#include <string.h>

#include "port/virtq.h"

/* @off + @len inside a region of @size, without overflow */
static bool virtq_within(uint64_t off, uint64_t len, uint64_t size)
{
	return len && off < size && len <= size - off;
}

void *virtq_mem_gpa(const struct virtq_mem *m, uint64_t gpa, uint64_t len)
{
	for (unsigned int i = 0; i < m->n && i < VIRTQ_REGIONS_MAX; i++) {
		const struct virtq_region *r = &m->r[i];

		if (gpa >= r->gpa && virtq_within(gpa - r->gpa, len, r->size))
			return r->host + (gpa - r->gpa);
	}
	return NULL;
}

void *virtq_mem_uva(const struct virtq_mem *m, uint64_t uva, uint64_t len)
{
	for (unsigned int i = 0; i < m->n && i < VIRTQ_REGIONS_MAX; i++) {
		const struct virtq_region *r = &m->r[i];

		if (uva >= r->uva && virtq_within(uva - r->uva, len, r->size))
			return r->host + (uva - r->uva);
	}
	return NULL;
}

int virtq_map(struct virtq *q, const struct virtq_mem *m)
{
	uint64_t n = q->num;

	q->desc = NULL;
	q->avail = NULL;
	q->used = NULL;
	if (!n)
		return -EINVAL;
	q->desc = virtq_mem_uva(m, q->desc_uva, 16 * n);
	q->avail = virtq_mem_uva(m, q->avail_uva, 4 + 2 * n + 2);
	q->used = virtq_mem_uva(m, q->used_uva, 4 + 8 * n + 2);
	/*
	 * The spec's alignments (16 for the table, 2 and 4 for the rings), here as mapped: a
	 * region's mmap offset could shift what was aligned in the front-end's addresses.
	 */
	if (q->desc && q->avail && q->used && !((uintptr_t)q->desc & 15) &&
	    !((uintptr_t)q->avail & 1) && !((uintptr_t)q->used & 3))
		return 0;
	q->desc = NULL;
	q->avail = NULL;
	q->used = NULL;
	return -EINVAL;
}

int virtq_avail_count(struct virtq *q)
{
	uint16_t idx = __atomic_load_n(&q->avail->idx, __ATOMIC_ACQUIRE);
	uint16_t n = (uint16_t)(idx - q->last_avail);

	if (n > q->num) {
		q->broken = true;
		return -EPROTO;
	}
	return n;
}

/* one descriptor of @table, read once: the guest may change it behind us */
static void virtq_read_desc(const struct virtq_desc *table, uint32_t i, struct virtq_desc *d)
{
	memcpy(d, (const uint8_t *)table + (size_t)i * sizeof(*d), sizeof(*d));
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
}

/* walk the chain from @idx into @c. Return: 0 or -EINVAL */
static int virtq_walk(struct virtq *q, const struct virtq_mem *m, bool write, uint32_t idx,
		      struct virtq_chain *c)
{
	const struct virtq_desc *table = q->desc;
	uint32_t tnum = q->num, steps = 0;
	uint64_t total = 0;
	bool indirect = false;
	struct virtq_desc d;

	for (;;) {
		if (idx >= tnum || ++steps > tnum)
			return -EINVAL; /* out of the table, or a loop */
		virtq_read_desc(table, idx, &d);
		if (d.flags & VIRTQ_DESC_F_INDIRECT) {
			/* only in the ring's own table, and not chained on (2.7.5.3.1) */
			if (indirect || (d.flags & VIRTQ_DESC_F_NEXT) || d.len % sizeof(d) ||
			    d.len / sizeof(d) > VIRTQ_SIZE_MAX)
				return -EINVAL;
			table = virtq_mem_gpa(m, d.addr, d.len);
			if (!table)
				return -EINVAL;
			tnum = d.len / sizeof(d);
			indirect = true;
			idx = 0;
			steps = 0;
			continue;
		}
		if (!(d.flags & VIRTQ_DESC_F_WRITE) != !write)
			return -EINVAL;
		if (d.len) {
			uint8_t *p = virtq_mem_gpa(m, d.addr, d.len);

			if (!p || c->n == VIRTQ_SEG_MAX)
				return -EINVAL;
			total += d.len;
			if (total > UINT32_MAX)
				return -EINVAL;
			c->seg[c->n].p = p;
			c->seg[c->n].len = d.len;
			c->n++;
		}
		if (!(d.flags & VIRTQ_DESC_F_NEXT))
			break;
		idx = d.next;
	}
	c->len = (uint32_t)total;
	return 0;
}

int virtq_pop(struct virtq *q, const struct virtq_mem *m, bool write, struct virtq_chain *c)
{
	volatile uint16_t *slot = &q->avail->ring[q->last_avail & (q->num - 1)];
	uint16_t head = *slot;
	int ret;

	q->last_avail++;
	c->head = head;
	c->n = 0;
	c->len = 0;
	if (head >= q->num) {
		/* nothing to give back: the driver broke its ring */
		q->broken = true;
		return -EINVAL;
	}
	ret = virtq_walk(q, m, write, head, c);
	if (ret) {
		c->n = 0;
		c->len = 0;
		virtq_push(q, head, 0);
	}
	return ret;
}

void virtq_push(struct virtq *q, uint16_t head, uint32_t len)
{
	volatile struct virtq_used_elem *e = &q->used->ring[q->used_idx & (q->num - 1)];

	e->id = head;
	e->len = len;
	q->used_idx++;
}

/* virtio's vring_need_event(): has @new_idx passed @event since @old? */
static bool virtq_need_event(uint16_t event, uint16_t new_idx, uint16_t old)
{
	return (uint16_t)(new_idx - event - 1) < (uint16_t)(new_idx - old);
}

bool virtq_publish(struct virtq *q, bool kick)
{
	bool need;

	__atomic_store_n(&q->used->idx, q->used_idx, __ATOMIC_RELEASE);
	if (q->event_idx) {
		volatile uint16_t *avail_event = (volatile uint16_t *)&q->used->ring[q->num];

		/* a ring ahead is an index the driver cannot reach before the next publish */
		*avail_event = (uint16_t)(q->last_avail + (kick ? 0 : q->num));
	} else {
		*(volatile uint16_t *)&q->used->flags = kick ? 0 : VIRTQ_USED_F_NO_NOTIFY;
	}
	/* the index and avail_event stores before the reads of the driver's wishes */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (q->used_idx == q->signalled)
		return false;
	if (q->event_idx) {
		volatile uint16_t *used_event = &q->avail->ring[q->num];

		need = virtq_need_event(*used_event, q->used_idx, q->signalled);
	} else {
		need = !(*(volatile uint16_t *)&q->avail->flags & VIRTQ_AVAIL_F_NO_INTERRUPT);
	}
	if (need || !q->event_idx)
		q->signalled = q->used_idx;
	return need;
}

/* copy @len bytes between @buf and chain @c from its byte @off; @to: into the chain */
static uint32_t virtq_copy(const struct virtq_chain *c, uint32_t off, uint8_t *buf, uint32_t len,
			   bool to)
{
	uint32_t done = 0;

	for (unsigned int i = 0; i < c->n && done < len; i++) {
		uint32_t n;

		if (off >= c->seg[i].len) {
			off -= c->seg[i].len;
			continue;
		}
		n = c->seg[i].len - off;
		if (n > len - done)
			n = len - done;
		if (to)
			memcpy(c->seg[i].p + off, buf + done, n);
		else
			memcpy(buf + done, c->seg[i].p + off, n);
		done += n;
		off = 0;
	}
	return done;
}

uint32_t virtq_copy_from(const struct virtq_chain *c, uint32_t off, void *dst, uint32_t len)
{
	return virtq_copy(c, off, dst, len, false);
}

uint32_t virtq_copy_to(const struct virtq_chain *c, uint32_t off, const void *src, uint32_t len)
{
	/* the buffer is only read when @to */
	return virtq_copy(c, off, (uint8_t *)(uintptr_t)src, len, true);
}
