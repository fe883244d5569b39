/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz_gro.c - libFuzzer target: hostile TCP segments merged into GSO frames (core/gro.c)
 *
 * What a VXLAN port's UDP_GRO read hands to gro.c comes from other hosts. Input: one
 * byte of options, then segments, each a 2-byte big-endian length and its bytes (at
 * most FUZZ_SEGS). Option bit 0 fills in each segment's IPv4 header and TCP checksums
 * first, so the fuzzer reaches the header matching behind them. The first segment
 * heads the run, every later one is offered to it. Checked, as gro.h promises: the
 * merged frame stays inside its buffer, holds as many segments as were taken, and
 * gso_segment() cuts it into exactly the segments taken (a checksum field may hold
 * 0x0000 where the segment had its equal 0xffff).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/eth.h"
#include "core/gro.h"
#include "core/gso.h"

#define FUZZ_SEGS 64
#define FUZZ_OPT_FIX_CSUM 0x01

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fuzz_seg {
	uint8_t *p;
	uint32_t len;
};

static uint16_t fuzz_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void fuzz_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* the IP header's offset in @p, and whether it is IPv6; 0 if not IP */
static uint32_t fuzz_l3(const uint8_t *p, uint32_t len, bool *v6)
{
	uint32_t l3 = ETH_HLEN;
	uint16_t et;

	*v6 = false;
	if (len < ETH_HLEN)
		return 0;
	et = fuzz_be16(p + 2 * ETH_ALEN);
	if ((et == ETH_P_8021Q || et == ETH_P_8021AD) && len >= ETH_HLEN + VLAN_HLEN) {
		et = fuzz_be16(p + ETH_HLEN + 2);
		l3 += VLAN_HLEN;
	}
	*v6 = et == 0x86dd;
	return et == 0x0800 || et == 0x86dd ? l3 : 0;
}

/* give a segment that looks like IPv4 or IPv6 with TCP the checksums a sender would */
static void fuzz_fix_csum(uint8_t *p, uint32_t len)
{
	uint8_t pseudo[40] = { 0 };
	uint32_t l3, l4, tl;
	bool v6;
	uint64_t sum;

	l3 = fuzz_l3(p, len, &v6);
	if (!l3)
		return;
	l4 = l3 + (v6 ? 40 : 20);
	if (len < l4 + 20)
		return;
	tl = len - l4;
	if (v6) {
		memcpy(pseudo, p + l3 + 8, 32);
		pseudo[34] = (uint8_t)(tl >> 8);
		pseudo[35] = (uint8_t)tl;
		pseudo[39] = 6;
		sum = csum_add(0, pseudo, 40);
	} else {
		fuzz_put16(p + l3 + 10, 0);
		fuzz_put16(p + l3 + 10, csum_fold(csum_add(0, p + l3, 20)));
		memcpy(pseudo, p + l3 + 12, 8);
		pseudo[9] = 6;
		pseudo[10] = (uint8_t)(tl >> 8);
		pseudo[11] = (uint8_t)tl;
		sum = csum_add(0, pseudo, 12);
	}
	fuzz_put16(p + l4 + 16, 0);
	fuzz_put16(p + l4 + 16, csum_fold(csum_add(sum, p + l4, tl)));
}

/* whether 16-bit fields @a and @b are one checksum: ones' complement has two zeros */
static bool fuzz_csum_same(const uint8_t *a, const uint8_t *b)
{
	uint16_t x = fuzz_be16(a), y = fuzz_be16(b);

	return x == y || ((x == 0 || x == 0xffff) && (y == 0 || y == 0xffff));
}

/* whether @got is segment @want byte for byte, but for the checksum fields' two zeros */
static bool fuzz_seg_same(const struct frame *got, const struct fuzz_seg *want)
{
	uint32_t l3, l4;
	bool v6;

	if (got->len != want->len)
		return false;
	l3 = fuzz_l3(want->p, want->len, &v6);
	l4 = l3 + (v6 ? 40 : 20);
	for (uint32_t i = 0; i < want->len; i++) {
		/* a taken segment holds whole headers: both bytes of a checksum are there */
		if ((!v6 && i == l3 + 10) || i == l4 + 16) {
			if (!fuzz_csum_same(got->data + i, want->p + i))
				return false;
			i++;
		} else if (got->data[i] != want->p[i]) {
			return false;
		}
	}
	return true;
}

/* cut the merged frame again: it must give back the @n segments in @taken */
static void fuzz_roundtrip(const struct frame *merged, const struct fuzz_seg *taken, uint32_t n)
{
	static uint8_t bufs[FUZZ_SEGS][FRAME_BUF_SIZE];
	struct frame outf[FUZZ_SEGS], *out[FUZZ_SEGS];
	int got;

	for (unsigned i = 0; i < FUZZ_SEGS; i++) {
		frame_init(&outf[i], bufs[i], sizeof(bufs[i]));
		out[i] = &outf[i];
	}
	got = gso_segment(merged, out, FUZZ_SEGS);
	if (got != (int)n)
		abort();
	for (uint32_t i = 0; i < n; i++)
		if (!fuzz_seg_same(out[i], &taken[i]))
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t buf[FRAME_BUF_SIZE];
	struct fuzz_seg segs[FUZZ_SEGS], taken[FUZZ_SEGS];
	uint32_t nseg = 0, ntaken = 0, n, total;
	struct frame f;
	struct gro g;
	uint8_t opt;

	if (size < 1)
		return 0;
	opt = data[0];
	for (size_t at = 1; at + 2 <= size && nseg < FUZZ_SEGS;) {
		uint32_t len = fuzz_be16(data + at);

		at += 2;
		if (len > size - at)
			len = (uint32_t)(size - at);
		/* each segment in a buffer of its own size, so ASan sees a read past it */
		segs[nseg].p = malloc(len ? len : 1);
		if (!segs[nseg].p)
			abort();
		memcpy(segs[nseg].p, data + at, len);
		segs[nseg].len = len;
		if (opt & FUZZ_OPT_FIX_CSUM)
			fuzz_fix_csum(segs[nseg].p, len);
		nseg++;
		at += len;
	}
	if (!nseg || segs[0].len > FRAME_MAX_LEN)
		goto out;
	frame_init(&f, buf, sizeof(buf));
	memcpy(f.data, segs[0].p, segs[0].len);
	f.len = segs[0].len;
	if (gro_begin(&g, &f))
		goto out;
	taken[ntaken++] = segs[0];
	total = f.len;
	for (uint32_t i = 1; i < nseg; i++) {
		if (!gro_append(&g, segs[i].p, segs[i].len))
			continue;
		taken[ntaken++] = segs[i];
		total += segs[i].len - g.hdr;
	}
	if (f.len != total || f.data + f.len > f.head + f.size)
		abort();
	n = gro_end(&g);
	if (n != ntaken)
		abort();
	if (n > 1)
		fuzz_roundtrip(&f, taken, n);
out:
	for (uint32_t i = 0; i < nseg; i++)
		free(segs[i].p);
	return 0;
}
