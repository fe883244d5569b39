/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vhost_user_dev.h - the vhost-user back-end's device: its messages and its two rings
 *
 * Theory of Operation
 *
 * kvnet is the back-end of QEMU's vhost-user protocol (docs/interop/vhost-user.rst) for one
 * virtio-net queue pair: ring 0 is the guest's receive queue (kvnet writes into it), ring 1
 * its transmit queue (kvnet reads from it). This part is pure, for the unit tests and the
 * fuzz target: vhost_user_msg.c handles one message that vhost_user.c has read whole from
 * the socket, with the descriptors that came with it, and says what to answer;
 * vhost_user_net.c moves frames between the rings and struct frame buffers. What needs the
 * system (mapping a region, closing a descriptor) goes through struct vhost_user_env.
 *
 * Every message is checked before anything is changed: its version, its size against the
 * request's, its descriptors (the number the request carries, no more), a ring index (0 or
 * 1), a ring size (a power of two up to 32768), features (only those offered), the memory
 * table (1 to 8 regions, no overflow, each mapped whole). A message that fails closes the
 * connection: vhost_user_handle() returns -EPROTO with the reason in @why, which the port
 * logs; the device is reset and the port waits for the next front-end.
 *
 * A ring runs once it has a size, addresses inside the table, a kick eventfd and (when
 * VHOST_USER_F_PROTOCOL_FEATURES was negotiated) SET_VRING_ENABLE 1. GET_VRING_BASE stops
 * it and answers where it stopped.
 */
#ifndef KVNET_PORT_VHOST_USER_DEV_H
#define KVNET_PORT_VHOST_USER_DEV_H

#include <stdbool.h>
#include <stdint.h>

#include "core/frame.h"
#include "port/virtq.h"

/* requests (vhost-user.rst, "Front-end message types") */
enum vhost_user_req {
	VHOST_USER_GET_FEATURES = 1,
	VHOST_USER_SET_FEATURES = 2,
	VHOST_USER_SET_OWNER = 3,
	VHOST_USER_RESET_OWNER = 4,
	VHOST_USER_SET_MEM_TABLE = 5,
	VHOST_USER_SET_VRING_NUM = 8,
	VHOST_USER_SET_VRING_ADDR = 9,
	VHOST_USER_SET_VRING_BASE = 10,
	VHOST_USER_GET_VRING_BASE = 11,
	VHOST_USER_SET_VRING_KICK = 12,
	VHOST_USER_SET_VRING_CALL = 13,
	VHOST_USER_SET_VRING_ERR = 14,
	VHOST_USER_GET_PROTOCOL_FEATURES = 15,
	VHOST_USER_SET_PROTOCOL_FEATURES = 16,
	VHOST_USER_GET_QUEUE_NUM = 17,
	VHOST_USER_SET_VRING_ENABLE = 18,
	VHOST_USER_NET_SET_MTU = 20,
};

/* header flags */
#define VHOST_USER_VERSION 1u
#define VHOST_USER_VERSION_MASK 3u
#define VHOST_USER_FLAG_REPLY (1u << 2)
#define VHOST_USER_FLAG_NEED_REPLY (1u << 3)

/* the fd of SET_VRING_KICK/CALL/ERR: bits 0-7 the ring, bit 8 "no descriptor" */
#define VHOST_USER_VRING_IDX_MASK 0xffu
#define VHOST_USER_VRING_NOFD (1u << 8)

/* virtio feature bits kvnet offers */
#define VIRTIO_NET_F_CSUM 0	  /* the guest sends NEEDS_CSUM frames */
#define VIRTIO_NET_F_GUEST_CSUM 1 /* it takes them (and DATA_VALID) */
#define VIRTIO_NET_F_GUEST_TSO4 7 /* it takes TCPv4 GSO frames */
#define VIRTIO_NET_F_GUEST_TSO6 8
#define VIRTIO_NET_F_GUEST_ECN 9  /* ... with the ECN bit */
#define VIRTIO_NET_F_HOST_TSO4 11 /* it sends TCPv4 GSO frames */
#define VIRTIO_NET_F_HOST_TSO6 12
#define VIRTIO_NET_F_HOST_ECN 13
#define VIRTIO_NET_F_MRG_RXBUF 15
#define VIRTIO_RING_F_INDIRECT_DESC 28
#define VIRTIO_RING_F_EVENT_IDX 29
#define VHOST_USER_F_PROTOCOL_FEATURES 30
#define VIRTIO_F_VERSION_1 32
#define VHOST_USER_OFFLOADS                                                                        \
	(1ull << VIRTIO_NET_F_CSUM | 1ull << VIRTIO_NET_F_GUEST_CSUM |                             \
	 1ull << VIRTIO_NET_F_GUEST_TSO4 | 1ull << VIRTIO_NET_F_GUEST_TSO6 |                       \
	 1ull << VIRTIO_NET_F_GUEST_ECN | 1ull << VIRTIO_NET_F_HOST_TSO4 |                         \
	 1ull << VIRTIO_NET_F_HOST_TSO6 | 1ull << VIRTIO_NET_F_HOST_ECN)
#define VHOST_USER_FEATURES                                                                        \
	(VHOST_USER_OFFLOADS | 1ull << VIRTIO_NET_F_MRG_RXBUF |                                    \
	 1ull << VIRTIO_RING_F_INDIRECT_DESC | 1ull << VIRTIO_RING_F_EVENT_IDX |                   \
	 1ull << VHOST_USER_F_PROTOCOL_FEATURES | 1ull << VIRTIO_F_VERSION_1)

/* protocol feature bits kvnet offers */
#define VHOST_USER_PROTOCOL_F_REPLY_ACK 3
#define VHOST_USER_PROTOCOL_F_MTU 4
#define VHOST_USER_PROTOCOL_FEATURES                                                               \
	(1ull << VHOST_USER_PROTOCOL_F_REPLY_ACK | 1ull << VHOST_USER_PROTOCOL_F_MTU)

#define VHOST_USER_HDR_SIZE 12
/* the largest payload kvnet reads: a memory table of 8 regions is 264 bytes */
#define VHOST_USER_PAYLOAD_MAX 512
#define VHOST_USER_FDS_MAX VIRTQ_REGIONS_MAX
/* ring 0: the guest's receive queue; ring 1: its transmit queue */
#define VHOST_USER_RINGS 2
#define VHOST_USER_RX 0
#define VHOST_USER_TX 1
/*
 * chains one frame toward the guest may take with MRG_RXBUF: a 64 KiB GSO frame in the
 * guest's smallest mergeable buffers (Linux's are at least 1518 bytes) takes 44
 */
#define VHOST_USER_MRG_MAX 64

struct vhost_user_hdr {
	uint32_t request;
	uint32_t flags;
	uint32_t size;
};

struct vhost_user_state {
	uint32_t index;
	uint32_t num;
};

struct vhost_user_addr {
	uint32_t index;
	uint32_t flags;
	uint64_t desc;
	uint64_t used;
	uint64_t avail;
	uint64_t log;
};

struct vhost_user_region {
	uint64_t gpa;
	uint64_t size;
	uint64_t uva;
	uint64_t mmap_offset;
};

struct vhost_user_mem {
	uint32_t nregions;
	uint32_t padding;
	struct vhost_user_region r[VIRTQ_REGIONS_MAX];
};

/**
 * struct vhost_user_msg - one message: the header, then @hdr.size bytes of payload
 */
struct vhost_user_msg {
	struct vhost_user_hdr hdr;
	union {
		uint64_t u64;
		struct vhost_user_state state;
		struct vhost_user_addr addr;
		struct vhost_user_mem mem;
		uint8_t raw[VHOST_USER_PAYLOAD_MAX];
	} u;
};

/**
 * struct vhost_user_env - what the device needs from the system
 * @ctx:	passed back to each
 * @map:	map *@len bytes of @fd from offset 0, shared and writable, *@len rounded up
 *		to what was mapped; NULL on failure
 * @unmap:	undo @map (with the rounded length)
 * @close_fd:	close a descriptor the device was given
 */
struct vhost_user_env {
	void *ctx;
	void *(*map)(void *ctx, int fd, uint64_t *len);
	void (*unmap)(void *ctx, void *addr, uint64_t len);
	void (*close_fd)(void *ctx, int fd);
};

/**
 * struct vhost_user_dev - one vhost-user device (a queue pair)
 * @env:	the system
 * @features:	virtio features the front-end set
 * @proto:	protocol features it set
 * @mtu:	what NET_SET_MTU said, 0 if nothing
 * @hdr_len:	the virtio-net header's length: 12 with VERSION_1 or MRG_RXBUF, else 10
 * @mem:	the memory table
 * @map:	each region's mapping, for unmap
 * @map_len:	its length
 * @vq:		the rings
 * @kick, @call, @err: each ring's eventfds, -1 if none
 * @kicked:	a kick descriptor came for the ring since it was last stopped
 * @enabled:	SET_VRING_ENABLE's last word (true without protocol features)
 * @why:	why the last message was refused
 * @chain:	scratch: the chains of one frame (no allocation per frame)
 * @scratch:	FRAME_BUF_SIZE bytes for one segment of a GSO frame, or NULL (such frames
 *		are then dropped)
 */
struct vhost_user_dev {
	const struct vhost_user_env *env;
	uint64_t features;
	uint64_t proto;
	uint32_t mtu;
	uint32_t hdr_len;
	struct virtq_mem mem;
	void *map[VIRTQ_REGIONS_MAX];
	uint64_t map_len[VIRTQ_REGIONS_MAX];
	struct virtq vq[VHOST_USER_RINGS];
	int kick[VHOST_USER_RINGS];
	int call[VHOST_USER_RINGS];
	int err[VHOST_USER_RINGS];
	bool kicked[VHOST_USER_RINGS];
	bool enabled[VHOST_USER_RINGS];
	char why[160];
	struct virtq_chain chain[VHOST_USER_MRG_MAX];
	uint8_t *scratch;
};

/**
 * vhost_user_dev_init() - a device with nothing set up, on @env
 */
void vhost_user_dev_init(struct vhost_user_dev *d, const struct vhost_user_env *env);

/**
 * vhost_user_dev_reset() - forget the front-end: unmap its memory, close its descriptors,
 * stop the rings (as at a disconnect or RESET_OWNER); @scratch stays
 */
void vhost_user_dev_reset(struct vhost_user_dev *d);

/**
 * vhost_user_handle() - handle message @m
 * @fds:	the descriptors that came with it (@nfds of them): the device's from now on,
 *		used or closed, whatever the outcome
 * @reply:	gets the answer when one is due (@reply->hdr.size bytes of payload after
 *		the header); its header's request is 0 when none is
 * Return: 0, or -EPROTO with @d->why saying what was wrong: close the connection
 */
int vhost_user_handle(struct vhost_user_dev *d, const struct vhost_user_msg *m, const int *fds,
		      unsigned int nfds, struct vhost_user_msg *reply);

/**
 * vhost_user_dev_ready() - both rings run: the port's link is up
 */
bool vhost_user_dev_ready(const struct vhost_user_dev *d);

/**
 * vhost_user_net_rx() - take up to @n frames the guest sent (its transmit ring)
 * @frames:	buffers set up by frame_init(), FRAME_BUF_SIZE
 * @poll:	the caller will look again soon without a kick: the guest is asked not to
 *		kick (else it is asked to, and @more says what came before it would)
 * @drops:	incremented for each chain refused (bad chain, too long, a virtio-net
 *		header that asks for an offload not negotiated or does not fit the frame:
 *		see vhost_user_net.c)
 * @notify:	set when the guest wants to hear that its buffers were used
 * @more:	set when chains remain available after this burst
 * Return: frames read, or -EPROTO when the guest broke the ring (it stops)
 */
int vhost_user_net_rx(struct vhost_user_dev *d, struct frame **frames, unsigned int n, bool poll,
		      uint64_t *drops, bool *notify, bool *more);

/**
 * vhost_user_net_tx() - write @n frames into the guest's receive ring
 * @drops:	incremented for each frame not written (no buffer, a bad chain, too long)
 * @notify:	set when the guest wants to hear of the new frames
 * Return: frames written, or -EPROTO when the guest broke the ring (it stops)
 */
int vhost_user_net_tx(struct vhost_user_dev *d, struct frame **frames, unsigned int n,
		      uint64_t *drops, bool *notify);

#endif /* KVNET_PORT_VHOST_USER_DEV_H */
