/* SPDX-License-Identifier: GPL-2.0-or-later */
/* gro.h - coalescing consecutive TCP segments of one flow into one GSO frame
 *
 * The reverse of gso.h, for a back-end that reads many segments of one flow
 * at once (a VXLAN port reading a UDP_GRO batch): a tap with a virtio-net
 * header then takes them in one write, as the kernel's GRO would hand them
 * on. Only an exact match is merged, so that segmenting the result
 * (gso_segment()) gives back the same bytes: the same Ethernet header and
 * tags, IP header (IPv4 without options or fragments, identification +1 a
 * segment; IPv6 with TCP right after its header), TCP header and options
 * (timestamps too), consecutive sequence numbers, every segment's payload
 * as long as the first one's but the last's, flags ACK, PSH only on the
 * last, and every checksum right (the result's is left to the receiver:
 * NEEDS_CSUM). Pure: no system calls, no allocation.
 */
#ifndef KVNET_CORE_GRO_H
#define KVNET_CORE_GRO_H

#include <stdbool.h>
#include <stdint.h>

#include "core/frame.h"

/**
 * struct gro - a run of segments being merged into one frame; the fields are gro.c's
 * @f:		the frame: the first segment, then each later one's payload
 * @l3:		offset of the IP header
 * @l4:		offset of the TCP header
 * @hdr:	bytes of headers (up to the payload)
 * @mss:	the first segment's payload length
 * @seq_next:	the sequence number the next segment must have
 * @id_next:	the IPv4 identification it must have
 * @nseg:	segments in the run
 * @ipv6:	IPv6 (else IPv4)
 * @closed:	the last segment was short or had PSH: nothing more joins
 * @psh:	it had PSH
 */
struct gro {
	struct frame *f;
	uint32_t l3;
	uint32_t l4;
	uint32_t hdr;
	uint32_t mss;
	uint32_t seq_next;
	uint16_t id_next;
	uint32_t nseg;
	bool ipv6;
	bool closed;
	bool psh;
};

/**
 * gro_begin() - start a run with frame @f, if it can head one
 * @g:		filled in
 * @f:		a whole TCP segment (no offload metadata), flags ACK only, with payload
 *		and correct checksums; its buffer takes what later segments add
 *
 * Return: 0 if @f heads a run, -1 if not (@f is left alone; nothing joins it)
 */
int gro_begin(struct gro *g, struct frame *f);

/**
 * gro_append() - add segment @seg (@len bytes, a whole Ethernet frame) to the run
 *
 * Return: true if it matched exactly and its payload is now in the run's frame; false if
 *	   not (the run is unchanged: the caller ends it and takes @seg as it is)
 */
bool gro_append(struct gro *g, const uint8_t *seg, uint32_t len);

/**
 * gro_end() - finish the run's frame
 *
 * With one segment the frame is left as it came. With more, its IP length (and IPv4
 * header checksum) cover all of it, its TCP header has PSH if the last segment had, and
 * its metadata makes it a GSO frame: gso_type TCPV4 or TCPV6, gso_size the first
 * segment's payload, NEEDS_CSUM with the pseudo-header sum in the TCP checksum.
 *
 * Return: segments in the frame
 */
uint32_t gro_end(struct gro *g);

#endif
