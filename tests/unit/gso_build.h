/* SPDX-License-Identifier: GPL-2.0-or-later */
/* gso_build.h - TCP/UDP over IPv4/IPv6 frames built byte by byte, with a checksum of the
 * tests' own, for test_gso.c and test_stream_dgram.c (independent of src/core/gso.c)
 */
#ifndef KVNET_TESTS_UNIT_GSO_BUILD_H
#define KVNET_TESTS_UNIT_GSO_BUILD_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define GB_FIN 0x01
#define GB_SYN 0x02
#define GB_PSH 0x08
#define GB_ACK 0x10
#define GB_CWR 0x80

/**
 * struct gb_pkt - what a built frame holds
 * @vlan:	push an 802.1Q tag with @tci
 * @v6:		IPv6 (else IPv4 with DF)
 * @udp:	UDP (else TCP with one 12-byte option block: NOP NOP timestamp)
 * @ip_id:	IPv4 identification
 * @seq:	TCP sequence number
 * @flags:	TCP flags
 * @csum:	fill in correct IP and L4 checksums; else the L4 field holds the
 *		pseudo-header seed a NEEDS_CSUM frame carries, and the IPv4 header
 *		checksum is left 0
 */
struct gb_pkt {
	bool vlan;
	uint16_t tci;
	bool v6;
	bool udp;
	uint16_t ip_id;
	uint32_t seq;
	uint8_t flags;
	bool csum;
};

/* the one's complement sum, 16 bits at a time, the textbook way */
static inline uint32_t gb_sum(uint32_t sum, const uint8_t *p, uint32_t len)
{
	for (uint32_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] * 256 + p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] * 256;
	return sum;
}

static inline uint16_t gb_fold(uint32_t sum)
{
	while (sum > 0xffff)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

static inline void gb_be16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline uint32_t gb_l3(const struct gb_pkt *k)
{
	return k->vlan ? 18 : 14;
}

static inline uint32_t gb_l4(const struct gb_pkt *k)
{
	return gb_l3(k) + (k->v6 ? 40 : 20);
}

static inline uint32_t gb_hdr(const struct gb_pkt *k)
{
	return gb_l4(k) + (k->udp ? 8 : 32);
}

/* the payload byte at offset @i of the whole (unsegmented) stream */
static inline uint8_t gb_byte(uint32_t i)
{
	return (uint8_t)(i * 13u + (i >> 9) + 5);
}

/*
 * Write into @out the frame of @k carrying payload bytes [@from, @from + @plen)
 * of the gb_byte() stream. Return: its length.
 */
static inline uint32_t gb_build(uint8_t *out, const struct gb_pkt *k, uint32_t from, uint32_t plen)
{
	static const uint8_t dst[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
	static const uint8_t src[6] = { 0x52, 0x54, 0x00, 0xab, 0xcd, 0xef };
	uint32_t l3 = gb_l3(k), l4 = gb_l4(k), hdr = gb_hdr(k), len = hdr + plen, sum;
	uint8_t *ip = out + l3, *th = out + l4;

	memcpy(out, dst, 6);
	memcpy(out + 6, src, 6);
	if (k->vlan) {
		gb_be16(out + 12, 0x8100);
		gb_be16(out + 14, k->tci);
	}
	gb_be16(out + l3 - 2, k->v6 ? 0x86dd : 0x0800);
	if (k->v6) {
		memset(ip, 0, 40);
		ip[0] = 0x60;
		ip[1] = 0x0a; /* traffic class, flow label: copied as they are */
		ip[3] = 0x77;
		gb_be16(ip + 4, len - l4);
		ip[6] = k->udp ? 17 : 6;
		ip[7] = 64;
		for (int i = 0; i < 16; i++) {
			ip[8 + i] = (uint8_t)(0x20 + i);
			ip[24 + i] = (uint8_t)(0xf0 - i);
		}
	} else {
		ip[0] = 0x45;
		ip[1] = 0;
		gb_be16(ip + 2, len - l3);
		gb_be16(ip + 4, k->ip_id);
		gb_be16(ip + 6, 0x4000);
		ip[8] = 64;
		ip[9] = k->udp ? 17 : 6;
		gb_be16(ip + 10, 0);
		memcpy(ip + 12, (const uint8_t[]){ 10, 1, 2, 3 }, 4);
		memcpy(ip + 16, (const uint8_t[]){ 192, 168, 200, 9 }, 4);
		if (k->csum)
			gb_be16(ip + 10, (uint16_t)~gb_fold(gb_sum(0, ip, 20)));
	}
	if (k->udp) {
		gb_be16(th, 40000);
		gb_be16(th + 2, 5353);
		gb_be16(th + 4, len - l4);
		gb_be16(th + 6, 0);
	} else {
		gb_be16(th, 45678);
		gb_be16(th + 2, 22);
		th[4] = (uint8_t)(k->seq >> 24);
		th[5] = (uint8_t)(k->seq >> 16);
		th[6] = (uint8_t)(k->seq >> 8);
		th[7] = (uint8_t)k->seq;
		memcpy(th + 8, (const uint8_t[]){ 0xde, 0xad, 0xbe, 0xef }, 4);
		th[12] = 8 << 4;
		th[13] = k->flags;
		gb_be16(th + 14, 501);
		gb_be16(th + 16, 0);
		gb_be16(th + 18, 0);
		memcpy(th + 20, (const uint8_t[]){ 1, 1, 8, 10, 0, 0, 1, 2, 0, 0, 3, 4 }, 12);
	}
	for (uint32_t i = 0; i < plen; i++)
		out[hdr + i] = gb_byte(from + i);

	/* pseudo-header */
	sum = k->v6 ? gb_sum(0, ip + 8, 32) : gb_sum(0, ip + 12, 8);
	sum += (k->udp ? 17u : 6u) + (len - l4);
	if (k->csum) {
		uint16_t c = (uint16_t)~gb_fold(gb_sum(sum, th, len - l4));

		if (k->udp && !c)
			c = 0xffff;
		gb_be16(th + (k->udp ? 6 : 16), c);
	} else {
		gb_be16(th + (k->udp ? 6 : 16), gb_fold(sum));
	}
	return len;
}

#endif
