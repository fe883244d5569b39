/* SPDX-License-Identifier: GPL-2.0-or-later */
/* frame.h - a frame buffer and its offload metadata, shared by the core and the port back-ends
 *
 * A frame is a view (data, len) into a buffer (head, size) owned by whoever
 * received it. The free space before data is the headroom the core uses to
 * push a VLAN tag without moving the payload. Beside the bytes, every frame
 * carries the virtio-net header it came with (host byte order), so a TSO or
 * checksum-offloaded frame leaves the switch with metadata that still
 * describes it.
 */
#ifndef KVNET_CORE_FRAME_H
#define KVNET_CORE_FRAME_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* Headroom a back-end should leave before data: room for two VLAN tags and alignment. */
#define FRAME_HEADROOM 64
/* Largest frame the core accepts: a 64 KiB GSO frame plus an Ethernet header and one tag. */
#define FRAME_MAX_LEN (65535 + 18)
/* Buffer size that holds any frame with the standard headroom. */
#define FRAME_BUF_SIZE (FRAME_HEADROOM + FRAME_MAX_LEN)

/* virtio-net header flags and GSO types (virtio 1.x, section 5.1.6) */
#define VNET_F_NEEDS_CSUM 1
#define VNET_F_DATA_VALID 2
#define VNET_GSO_NONE 0
#define VNET_GSO_TCPV4 1
#define VNET_GSO_UDP 3
#define VNET_GSO_TCPV6 4
#define VNET_GSO_UDP_L4 5
#define VNET_GSO_ECN 0x80

/**
 * struct vnet_meta - offload metadata of a frame, as in a virtio-net header
 * @flags:	VNET_F_*
 * @gso_type:	VNET_GSO_*, possibly or-ed with VNET_GSO_ECN
 * @hdr_len:	length of the headers to replicate per segment (a hint, may be 0)
 * @gso_size:	payload bytes per segment, 0 if not GSO
 * @csum_start:	offset from the Ethernet header where checksumming starts
 * @csum_offset: offset from csum_start where the checksum is stored
 */
struct vnet_meta {
	uint8_t flags;
	uint8_t gso_type;
	uint16_t hdr_len;
	uint16_t gso_size;
	uint16_t csum_start;
	uint16_t csum_offset;
};

/**
 * struct frame - one Ethernet frame in a buffer
 * @data:	first byte of the Ethernet header
 * @len:	bytes of frame from @data
 * @head:	start of the buffer; @data - @head is the headroom
 * @size:	bytes in the buffer from @head
 * @vnet:	offload metadata
 * @refs:	set by bridge_input(): how many output lists hold this frame
 * @port:	ingress port, set by bridge_input(); read it for control frames
 * @tci:	core private: VLAN tag control information after ingress
 * @tagged:	core private: the bytes at @data currently carry an 802.1Q tag
 */
struct frame {
	uint8_t *data;
	uint32_t len;
	uint32_t size;
	uint8_t *head;
	struct vnet_meta vnet;
	uint16_t refs;
	uint16_t port;
	uint16_t tci;
	bool tagged;
};

/**
 * frame_init() - point a frame at an empty buffer, leaving FRAME_HEADROOM free
 * @f:		frame to set up
 * @buf:	buffer, at least FRAME_HEADROOM bytes
 * @size:	size of @buf
 */
static inline void frame_init(struct frame *f, uint8_t *buf, uint32_t size)
{
	memset(f, 0, sizeof(*f));
	f->head = buf;
	f->size = size;
	f->data = buf + FRAME_HEADROOM;
}

/**
 * frame_headroom() - bytes free before the frame's data
 */
static inline uint32_t frame_headroom(const struct frame *f)
{
	return (uint32_t)(f->data - f->head);
}

/**
 * frame_copy() - copy bytes and metadata of @src into the buffer of @dst
 * @dst:	frame whose buffer receives the copy, with FRAME_HEADROOM kept free
 * @src:	frame to copy
 *
 * Return: 0, or -1 if @dst's buffer is too small
 */
static inline int frame_copy(struct frame *dst, const struct frame *src)
{
	if (dst->size < FRAME_HEADROOM + src->len)
		return -1;
	dst->data = dst->head + FRAME_HEADROOM;
	memcpy(dst->data, src->data, src->len);
	dst->len = src->len;
	dst->vnet = src->vnet;
	dst->port = src->port;
	dst->tci = src->tci;
	dst->tagged = src->tagged;
	dst->refs = 0;
	return 0;
}

#endif
