/* SPDX-License-Identifier: GPL-2.0-or-later */
/* virtq.h - a guest's memory table and its split virtqueues, as a vhost-user back-end sees them
 *
 * Theory of Operation
 *
 * Everything here is pure: no system call, no allocation, so the unit tests and the fuzz
 * target drive it against memory of their own. The socket side (vhost_user.c) maps the
 * front-end's regions and fills a struct virtq_mem; vhost_user_msg.c sets the rings up.
 *
 * The guest is hostile. Every address it gives (a descriptor's, an indirect table's, a
 * ring's) is translated through the table and must lie wholly inside one region, or it is
 * refused. Each descriptor is read once from shared memory into a local copy before it is
 * checked, so the guest cannot change it between check and use. A chain is walked at most
 * as many steps as its table has entries (a loop ends there), an indirect table may not
 * hold another, and a chain has at most VIRTQ_SEG_MAX pieces: past any of these the chain
 * is returned to the guest as used with length 0 and counted as a drop.
 *
 * The split ring (virtio 1.x, 2.7): the driver publishes chain heads in the available
 * ring and bumps avail->idx; the device consumes from @last_avail, returns heads in the
 * used ring and bumps used->idx. avail->idx is read with acquire order and used->idx
 * stored with release order. With EVENT_IDX, used_event (after the available ring) says
 * when the driver wants an interrupt and avail_event (after the used ring) when the
 * device wants a kick.
 */
#ifndef KVNET_PORT_VIRTQ_H
#define KVNET_PORT_VIRTQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* the most regions a vhost-user memory table has (VHOST_MEMORY_BASELINE_NREGIONS) */
#define VIRTQ_REGIONS_MAX 8
/* the largest ring the virtio spec allows for a split queue */
#define VIRTQ_SIZE_MAX 32768
/* pieces of guest memory one chain may have; a frame of MTU size needs 1 to 3 */
#define VIRTQ_SEG_MAX 64

#define VIRTQ_DESC_F_NEXT 1
#define VIRTQ_DESC_F_WRITE 2
#define VIRTQ_DESC_F_INDIRECT 4
#define VIRTQ_AVAIL_F_NO_INTERRUPT 1
#define VIRTQ_USED_F_NO_NOTIFY 1

/**
 * struct virtq_region - one region of the front-end's memory, mapped here
 * @gpa:	guest physical address of its first byte
 * @size:	its length in bytes
 * @uva:	the front-end's own (QEMU process) address of its first byte
 * @host:	where its first byte is mapped in kvnetd
 */
struct virtq_region {
	uint64_t gpa;
	uint64_t size;
	uint64_t uva;
	uint8_t *host;
};

/**
 * struct virtq_mem - the memory table
 * @n:		regions in use
 * @r:		the regions
 */
struct virtq_mem {
	unsigned int n;
	struct virtq_region r[VIRTQ_REGIONS_MAX];
};

/**
 * virtq_mem_gpa() - where guest physical [@gpa, @gpa + @len) is mapped here
 * Return: the address, or NULL if the range is not wholly inside one region (or @len is 0)
 */
void *virtq_mem_gpa(const struct virtq_mem *m, uint64_t gpa, uint64_t len);

/**
 * virtq_mem_uva() - where the front-end's address range [@uva, @uva + @len) is mapped here
 * Return: the address, or NULL if the range is not wholly inside one region
 */
void *virtq_mem_uva(const struct virtq_mem *m, uint64_t uva, uint64_t len);

/* the ring layouts in guest memory (little-endian: kvnet runs on little-endian hosts) */
struct virtq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

struct virtq_avail {
	uint16_t flags;
	uint16_t idx;
	uint16_t ring[]; /* then used_event */
};

struct virtq_used_elem {
	uint32_t id;
	uint32_t len;
};

struct virtq_used {
	uint16_t flags;
	uint16_t idx;
	struct virtq_used_elem ring[]; /* then avail_event */
};

/**
 * struct virtq - the back-end's state of one split ring
 * @num:	entries (a power of two, 1 to VIRTQ_SIZE_MAX), 0 until set
 * @desc, @avail, @used: the ring in kvnetd's mapping, NULL until virtq_map() succeeds
 * @desc_uva, @avail_uva, @used_uva: where the front-end said they are (its addresses)
 * @last_avail:	the next available entry to consume
 * @used_idx:	the used index after what was pushed (published by virtq_publish())
 * @signalled:	the used index when the guest was last notified
 * @event_idx:	VIRTIO_RING_F_EVENT_IDX was negotiated
 * @started:	the ring runs (a kick descriptor came, and it is enabled)
 * @broken:	the driver broke the ring (an available index too far ahead): it stops
 *		until set up again
 */
struct virtq {
	uint32_t num;
	struct virtq_desc *desc;
	struct virtq_avail *avail;
	struct virtq_used *used;
	uint64_t desc_uva;
	uint64_t avail_uva;
	uint64_t used_uva;
	uint16_t last_avail;
	uint16_t used_idx;
	uint16_t signalled;
	bool event_idx;
	bool started;
	bool broken;
};

/**
 * struct virtq_seg - one piece of a chain in kvnetd's mapping
 * @p:		its first byte
 * @len:	its length
 */
struct virtq_seg {
	uint8_t *p;
	uint32_t len;
};

/**
 * struct virtq_chain - a descriptor chain taken from the available ring
 * @head:	its head index, to give back in the used ring
 * @n:		pieces
 * @len:	their total length
 * @seg:	the pieces, in order
 */
struct virtq_chain {
	uint16_t head;
	unsigned int n;
	uint32_t len;
	struct virtq_seg seg[VIRTQ_SEG_MAX];
};

/**
 * virtq_map() - translate @q's ring addresses through @m
 * Return: 0, or -EINVAL if @q has no size or a part of the ring is not wholly in one region
 */
int virtq_map(struct virtq *q, const struct virtq_mem *m);

/**
 * virtq_ready() - can @q be served: sized, mapped, started and not broken?
 */
static inline bool virtq_ready(const struct virtq *q)
{
	return q->started && !q->broken && q->desc;
}

/**
 * virtq_avail_count() - chains the driver has made available and the device not taken yet
 * Return: the count (0 to @q->num), or -EPROTO if the driver's index is more than a ring
 * ahead (the ring is then marked broken)
 */
int virtq_avail_count(struct virtq *q);

/**
 * virtq_pop() - take the next available chain of @q into @c
 * @write:	the chain must be device-writable (guest RX) rather than device-readable
 *
 * Call only after virtq_avail_count() said one is there. The chain is consumed whether
 * or not it is good; a bad one is pushed back as used with length 0.
 * Return: 0, or -EINVAL (a bad chain: a loop, an index or address out of bounds, a
 * nested indirect table, the wrong direction, too many pieces)
 */
int virtq_pop(struct virtq *q, const struct virtq_mem *m, bool write, struct virtq_chain *c);

/**
 * virtq_unpop() - give back the last @n chains taken and not pushed: they are taken again
 */
static inline void virtq_unpop(struct virtq *q, uint16_t n)
{
	q->last_avail = (uint16_t)(q->last_avail - n);
}

/**
 * virtq_push() - return chain @head as used, @len bytes written to it; seen by the
 * driver after virtq_publish()
 */
void virtq_push(struct virtq *q, uint16_t head, uint32_t len);

/**
 * virtq_publish() - make what was pushed visible to the driver, and tell it whether to
 * kick when it makes more available
 * @kick:	kvnet waits for the kick (the guest's transmit ring); without it (the receive
 *		ring, looked at when there is a frame for it) the driver is asked not to
 * Return: whether the driver wants to be notified now (write the call eventfd)
 */
bool virtq_publish(struct virtq *q, bool kick);

/**
 * virtq_copy_from() - copy @len bytes of chain @c from byte @off into @dst
 * Return: bytes copied (less than @len if the chain is shorter)
 */
uint32_t virtq_copy_from(const struct virtq_chain *c, uint32_t off, void *dst, uint32_t len);

/**
 * virtq_copy_to() - copy @len bytes of @src into chain @c from byte @off
 * Return: bytes copied (less than @len if the chain is shorter)
 */
uint32_t virtq_copy_to(const struct virtq_chain *c, uint32_t off, const void *src, uint32_t len);

#endif /* KVNET_PORT_VIRTQ_H */
