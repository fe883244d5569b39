/* SPDX-License-Identifier: GPL-2.0-or-later */
/* af_packet_priv.h - what af_packet.c and af_packet_ring.c share: the port and its ring */
#ifndef KVNET_PORT_AF_PACKET_PRIV_H
#define KVNET_PORT_AF_PACKET_PRIV_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include <linux/if_packet.h>

#include "port/port.h"

#define AF_PACKET_BATCH 64

/**
 * struct af_packet_vnet - the legacy virtio-net header packet sockets use, host byte order
 */
struct af_packet_vnet {
	uint8_t flags;
	uint8_t gso_type;
	uint16_t hdr_len;
	uint16_t gso_size;
	uint16_t csum_start;
	uint16_t csum_offset;
};

_Static_assert(sizeof(struct af_packet_vnet) == 10, "virtio_net_hdr is 10 bytes");

union af_packet_cmsg {
	struct cmsghdr align;
	char buf[CMSG_SPACE(sizeof(struct tpacket_auxdata))];
};

/**
 * struct af_packet_ring - a TPACKET_V2 receive ring mapped into our memory
 * @map:	the mapping, NULL when the port reads with recvmmsg()
 * @map_len:	its length
 * @nr:		slots in the ring
 * @slot_size:	bytes per slot
 * @head:	the next slot to read
 */
struct af_packet_ring {
	uint8_t *map;
	size_t map_len;
	unsigned int nr;
	unsigned int slot_size;
	unsigned int head;
};

/**
 * struct af_packet_port - a port on an interface through AF_PACKET
 * @port:	the generic part, first
 * @ring:	the receive ring, if it could be set up
 * @msg:	one batch of message headers, reused for receive and transmit
 * @iov:	per message: the virtio-net header, then the frame
 * @vnet:	per message: the virtio-net header
 * @cmsg:	per message: room for the PACKET_AUXDATA control message
 */
struct af_packet_port {
	struct port port;
	struct af_packet_ring ring;
	struct mmsghdr msg[AF_PACKET_BATCH];
	struct iovec iov[AF_PACKET_BATCH][2];
	struct af_packet_vnet vnet[AF_PACKET_BATCH];
	union af_packet_cmsg cmsg[AF_PACKET_BATCH];
};

/** af_packet_vnet_to_meta() - the header's fields into the frame's offload metadata */
void af_packet_vnet_to_meta(const struct af_packet_vnet *h, struct vnet_meta *m);

/**
 * af_packet_put_tag() - put back into @f the tag the kernel took out on receive
 * @f:		the frame, as read (untagged)
 * @status:	tp_status of the frame (TP_STATUS_VLAN_VALID, TP_STATUS_VLAN_TPID_VALID)
 * @tci:	tp_vlan_tci
 * @tpid:	tp_vlan_tpid
 * Return: 0, or -1 if the frame cannot take it (runt, or no headroom)
 */
int af_packet_put_tag(struct frame *f, uint32_t status, uint16_t tci, uint16_t tpid);

/**
 * af_packet_recv_burst() - read up to @n frames from the socket's queue with recvmmsg()
 *
 * The port's rx_burst without a ring; with one, reads the frames the ring handed over
 * to the queue because they did not fit a slot (TP_STATUS_COPY).
 * Return: as port_ops.rx_burst
 */
int af_packet_recv_burst(struct port *p, struct frame **frames, unsigned n);

/**
 * af_packet_ring_setup() - give the port's socket a TPACKET_V2 receive ring and map it
 * @a:		the port, its socket made and PACKET_VNET_HDR set, not bound yet
 *
 * On failure the socket is left as it was, without a ring, and @a->ring.map stays NULL:
 * the port then reads with recvmmsg().
 * Return: 0, or the failing call's negative errno
 */
int af_packet_ring_setup(struct af_packet_port *a);

/** af_packet_ring_free() - unmap the ring, if there is one (before the socket closes) */
void af_packet_ring_free(struct af_packet_port *a);

/** af_packet_ring_drain() - hand every slot the kernel filled back to it, unread */
void af_packet_ring_drain(struct af_packet_port *a);

/**
 * af_packet_ring_rx_burst() - read up to @n frames from the ring, handing each slot back to
 * the kernel as soon as its frame is copied
 * Return: as port_ops.rx_burst
 */
int af_packet_ring_rx_burst(struct port *p, struct frame **frames, unsigned n);

#endif
