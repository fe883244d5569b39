/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz_gso.c - libFuzzer target: hostile frames and virtio-net metadata through segmentation
 * and checksum completion (core/gso.c)
 *
 * Input: flags (1 byte), gso_type (1), hdr_len (2), gso_size (2),
 * csum_start (2), csum_offset (2), the size of the output buffers (1),
 * then the frame. The frame and every output buffer are allocated at their
 * exact size, so ASan sees any byte read or written past them. Checked:
 * every segment is at most gso_size plus the headers and no longer than
 * the frame; a completed checksum verifies; the input is never modified.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/gso.h"

#define FUZZ_META_LEN 11
#define FUZZ_OUT 4
/* enough to see the segments' shape without spending a run on 65,535 of them */
#define FUZZ_SEGS_MAX 4096

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint16_t fuzz_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void fuzz_segment(const struct frame *in, uint8_t sel)
{
	/* from a tiny buffer to one always big enough */
	uint32_t osize = sel & 0x80 ? FRAME_MAX_LEN : (uint32_t)sel * 64 + 1;
	struct frame outf[FUZZ_OUT], *out[FUZZ_OUT];
	uint8_t *bufs[FUZZ_OUT];
	struct gso_ctx ctx;
	uint32_t total = 0;
	int n;

	if (gso_begin(&ctx, in))
		return;
	if (ctx.hdr > in->len || ctx.nseg == 0 || ctx.l3 >= ctx.l4 || ctx.l4 >= ctx.hdr)
		abort();
	for (unsigned i = 0; i < FUZZ_OUT; i++) {
		bufs[i] = malloc(osize);
		if (!bufs[i])
			abort();
		frame_init(&outf[i], bufs[i], osize);
		outf[i].data =
			bufs[i]; /* no headroom: the segment ends exactly at the buffer's end */
		out[i] = &outf[i];
	}
	while (total < FUZZ_SEGS_MAX && (n = gso_next(&ctx, out, FUZZ_OUT)) > 0) {
		for (int i = 0; i < n; i++) {
			if (out[i]->len > (uint32_t)ctx.hdr + in->vnet.gso_size ||
			    out[i]->len > in->len || out[i]->len < ctx.hdr || out[i]->len > osize)
				abort();
			if (out[i]->vnet.gso_type || out[i]->vnet.flags)
				abort();
		}
		total += (uint32_t)n;
	}
	for (unsigned i = 0; i < FUZZ_OUT; i++)
		free(bufs[i]);
}

static void fuzz_csum(const struct frame *in)
{
	struct frame f = *in;
	uint8_t *buf = malloc(in->len ? in->len : 1);
	uint32_t at = (uint32_t)in->vnet.csum_start + in->vnet.csum_offset;
	uint16_t seed = 0;
	int ret;

	if (!buf)
		abort();
	memcpy(buf, in->data, in->len);
	f.data = f.head = buf;
	if (at + 2 <= in->len)
		seed = (uint16_t)(buf[at] << 8 | buf[at + 1]);
	ret = csum_complete(&f);
	/* the seed (pseudo-header) plus the region now sums to all ones; an odd
	 * csum_offset (no protocol has one) puts the field across two words */
	if (!ret && (in->vnet.flags & VNET_F_NEEDS_CSUM) && !(in->vnet.csum_offset & 1)) {
		if (csum_fold(csum_add(seed, buf + in->vnet.csum_start,
				       in->len - in->vnet.csum_start)) != 0)
			abort();
		if (f.vnet.flags & VNET_F_NEEDS_CSUM)
			abort();
	}
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct frame in;
	uint8_t *buf, *copy;
	uint32_t len;

	if (size < FUZZ_META_LEN)
		return 0;
	len = (uint32_t)(size - FUZZ_META_LEN);
	if (len > FRAME_MAX_LEN)
		len = FRAME_MAX_LEN;
	buf = malloc(len ? len : 1);
	copy = malloc(len ? len : 1);
	if (!buf || !copy)
		abort();
	memcpy(buf, data + FUZZ_META_LEN, len);
	memcpy(copy, buf, len);
	memset(&in, 0, sizeof(in));
	in.head = in.data = buf;
	in.len = in.size = len;
	in.vnet.flags = data[0];
	in.vnet.gso_type = data[1];
	in.vnet.hdr_len = fuzz_be16(data + 2);
	in.vnet.gso_size = fuzz_be16(data + 4);
	in.vnet.csum_start = fuzz_be16(data + 6);
	in.vnet.csum_offset = fuzz_be16(data + 8);

	if (gso_is_gso(&in))
		fuzz_segment(&in, data[10]);
	else
		fuzz_csum(&in);
	if (memcmp(buf, copy, len))
		abort();
	free(buf);
	free(copy);
	return 0;
}
