/* SPDX-License-Identifier: GPL-2.0-or-later */
/* gso.h - software segmentation of GSO frames and completion of partial checksums
 *
 * For a port whose peer takes no virtio-net header (QEMU's stream and dgram
 * sockets): a GSO frame is cut into the frames its gso_size describes, and a
 * frame with NEEDS_CSUM gets its checksum filled in. Pure: no system calls,
 * no allocation; the caller gives every output buffer.
 *
 * Errors (negative errno), for the caller to count as a drop:
 *  -EINVAL		malformed metadata or headers: gso_size 0, headers beyond the
 *			frame, csum_start/csum_offset out of range, an IP header that
 *			does not match the GSO type, a fragment (maps to bad-offload)
 *  -EPROTONOSUPPORT	well-formed but not handled: an unknown GSO type, UFO
 *			(VNET_GSO_UDP), IPv6 routing or fragment headers, non-IP
 *			(maps to bad-offload)
 *  -ENOSPC		an output buffer too small, or too few of them (maps to no-buffer)
 */
#ifndef KVNET_CORE_GSO_H
#define KVNET_CORE_GSO_H

#include <stdbool.h>
#include <stdint.h>

#include "core/frame.h"

/**
 * struct gso_ctx - a GSO frame being segmented; filled by gso_begin(), read-only to callers
 * @in:		the frame (not modified)
 * @l3:		offset of the IP header from in->data
 * @l4:		offset of the TCP or UDP header
 * @hdr:	bytes of headers copied into every segment (L2 + L3 + L4)
 * @mss:	payload bytes per segment (gso_size)
 * @payload:	payload bytes after @hdr
 * @nseg:	segments the frame makes (at least 1)
 * @next:	index of the next segment gso_next() writes
 * @ipv6:	the L3 header is IPv6
 * @tcp:	TCP (else UDP, one datagram per segment)
 * @seq:	TCP sequence number of the first segment
 * @id:		IPv4 identification of the first segment
 */
struct gso_ctx {
	const struct frame *in;
	uint32_t l3;
	uint32_t l4;
	uint32_t hdr;
	uint16_t mss;
	uint32_t payload;
	uint32_t nseg;
	uint32_t next;
	bool ipv6;
	bool tcp;
	uint32_t seq;
	uint16_t id;
};

/**
 * gso_is_gso() - whether @f is a GSO frame (gso_type without ECN not none)
 */
static inline bool gso_is_gso(const struct frame *f)
{
	return (f->vnet.gso_type & ~VNET_GSO_ECN) != VNET_GSO_NONE;
}

/**
 * gso_begin() - check a GSO frame's metadata and headers and prepare to segment it
 * @ctx:	filled in; valid while @in is
 * @in:		the frame: Ethernet, up to two 802.1Q/802.1ad tags, IPv4 or IPv6
 *		(hop-by-hop and destination options allowed), TCP (VNET_GSO_TCPV4/6)
 *		or UDP (VNET_GSO_UDP_L4: each segment its own datagram)
 *
 * If NEEDS_CSUM is set, csum_start and csum_offset must point at the L4
 * checksum found by parsing. hdr_len is a hint and is ignored.
 *
 * Return: 0, or -EINVAL / -EPROTONOSUPPORT (see the top of this file)
 */
int gso_begin(struct gso_ctx *ctx, const struct frame *in);

/**
 * gso_seg_len() - length of segment @i of @ctx (at most hdr + mss), 0 if there is no such one
 */
uint32_t gso_seg_len(const struct gso_ctx *ctx, uint32_t i);

/**
 * gso_next() - write the next segments of @ctx
 * @ctx:	from gso_begin()
 * @out:	frames to write into: each segment is written at out[i]->data,
 *		which needs gso_seg_len() bytes up to out[i]->head + out[i]->size
 *		(a frame set up by frame_init() on FRAME_BUF_SIZE always has them)
 * @max_out:	frames in @out
 *
 * Each segment is a whole Ethernet frame: the headers with IPv4 total
 * length, identification (+1 a segment) and header checksum, or IPv6
 * payload length; TCP sequence number (+mss a segment), FIN and PSH only
 * on the last segment, CWR only on the first, and a full TCP checksum; or
 * UDP length and checksum. Its metadata is zero (no offload), port, tci and
 * tagged are @in's.
 *
 * Return: segments written (0 once all are), or -ENOSPC if out[0] is too
 *	   small (nothing written; a later too-small frame ends the batch early)
 */
int gso_next(struct gso_ctx *ctx, struct frame **out, unsigned max_out);

/**
 * gso_segment() - segment @in into @out[0..] in one call
 * @in:		GSO frame, as gso_begin() takes it
 * @out:	as for gso_next()
 * @max_out:	frames in @out; all segments must fit
 *
 * Return: segments written, or -EINVAL, -EPROTONOSUPPORT, or -ENOSPC (more
 *	   segments than @max_out, or a buffer too small; @out is then undefined)
 */
int gso_segment(const struct frame *in, struct frame **out, unsigned max_out);

/**
 * csum_compute() - the checksum a NEEDS_CSUM frame needs, without writing it
 * @f:		frame with VNET_F_NEEDS_CSUM; the 16 bits at csum_start +
 *		csum_offset hold the seed (for TCP and UDP, the pseudo-header sum)
 * @csum:	the two bytes to store there, in network order
 *
 * The sum runs from csum_start to the end of the frame, as virtio-net says;
 * a result of 0 is stored as 0xffff (as the kernel does, right for UDP).
 *
 * Return: 0, or -EINVAL if NEEDS_CSUM is not set or the offsets are out of range
 */
int csum_compute(const struct frame *f, uint8_t csum[2]);

/**
 * csum_complete() - fill in the checksum of a NEEDS_CSUM frame and clear the flag
 * @f:		frame, modified in place; not GSO (segment those with gso_*)
 *
 * Do not use it on a frame other output lists still hold (the flood copy
 * is shared): copy first, or use csum_compute().
 *
 * Return: 0 (also for a frame without NEEDS_CSUM, left alone), or -EINVAL
 */
int csum_complete(struct frame *f);

/**
 * csum_add() - the Internet checksum: add @len bytes at @p to the running sum @sum
 * @sum:	running sum from earlier calls (0 to start); an odd @len is only
 *		right for the last piece
 * Return: the new running sum (fold it with csum_fold())
 */
uint64_t csum_add(uint64_t sum, const uint8_t *p, uint32_t len);

/**
 * csum_fold() - fold a running sum into 16 bits and complement it (host order)
 */
uint16_t csum_fold(uint64_t sum);

#endif
