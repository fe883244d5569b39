/* SPDX-License-Identifier: GPL-2.0-or-later */
/* stp_bpdu.c - BPDU frames: LLC encapsulation, encoding, validation (9.3.4); what a port sends */
#include <errno.h>
#include <string.h>

#include "core/stp_priv.h"

#define STP_LLC_SAP 0x42
#define STP_LLC_UI 0x03
#define STP_LLC_OFF 14
#define STP_BPDU_OFF 17
#define STP_CONFIG_LEN 35
#define STP_RST_LEN 36
#define STP_TCN_LEN 4

static const uint8_t stp_group_addr[6] = { 0x01, 0x80, 0xc2, 0x00, 0x00, 0x00 };

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t get64(const uint8_t *p)
{
	return (uint64_t)get32(p) << 32 | get32(p + 4);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)(v >> 32));
	put32(p + 4, (uint32_t)v);
}

int stp_bpdu_decode(const uint8_t *frame, size_t len, struct stp_bpdu *b)
{
	const uint8_t *p;
	size_t llc_len, blen;

	if (len < STP_BPDU_OFF + STP_TCN_LEN || memcmp(frame, stp_group_addr, 6))
		return -EINVAL;
	/* 802.3 length field: the LLC header and BPDU, within what was received */
	llc_len = get16(frame + 12);
	if (llc_len > 1500 || llc_len < 3 + STP_TCN_LEN || STP_LLC_OFF + llc_len > len)
		return -EINVAL;
	if (frame[14] != STP_LLC_SAP || frame[15] != STP_LLC_SAP || frame[16] != STP_LLC_UI)
		return -EINVAL;
	p = frame + STP_BPDU_OFF;
	blen = llc_len - 3;
	if (get16(p) != 0)
		return -EINVAL;
	memset(b, 0, sizeof(*b));
	b->version = p[2];
	b->type = p[3];
	switch (b->type) {
	case STP_BPDU_TCN:
		return 0;
	case STP_BPDU_CONFIG:
		if (blen < STP_CONFIG_LEN)
			return -EINVAL;
		break;
	case STP_BPDU_RST:
		if (b->version < 2 || blen < STP_RST_LEN)
			return -EINVAL;
		break;
	default:
		return -EINVAL;
	}
	b->flags = p[4];
	b->root_id = get64(p + 5);
	b->root_cost = get32(p + 13);
	b->bridge_id = get64(p + 17);
	b->port_id = get16(p + 25);
	b->message_age = get16(p + 27);
	b->max_age = get16(p + 29);
	b->hello_time = get16(p + 31);
	b->forward_delay = get16(p + 33);
	if (b->type == STP_BPDU_CONFIG && b->message_age >= b->max_age)
		return -EINVAL;
	return 0;
}

size_t stp_bpdu_encode(const struct stp_bpdu *b, const uint8_t src[6], uint8_t *buf)
{
	uint8_t *p = buf + STP_BPDU_OFF;
	size_t blen;

	memset(buf, 0, STP_FRAME_LEN);
	memcpy(buf, stp_group_addr, 6);
	memcpy(buf + 6, src, 6);
	switch (b->type) {
	case STP_BPDU_TCN:
		blen = STP_TCN_LEN;
		break;
	case STP_BPDU_RST:
		blen = STP_RST_LEN;
		break;
	default:
		blen = STP_CONFIG_LEN;
		break;
	}
	put16(buf + 12, (uint16_t)(3 + blen));
	buf[14] = STP_LLC_SAP;
	buf[15] = STP_LLC_SAP;
	buf[16] = STP_LLC_UI;
	/* protocol identifier 0 */
	p[2] = b->version;
	p[3] = b->type;
	if (b->type == STP_BPDU_TCN)
		return STP_FRAME_LEN;
	p[4] = b->flags;
	put64(p + 5, b->root_id);
	put32(p + 13, b->root_cost);
	put64(p + 17, b->bridge_id);
	put16(p + 25, b->port_id);
	put16(p + 27, b->message_age);
	put16(p + 29, b->max_age);
	put16(p + 31, b->hello_time);
	put16(p + 33, b->forward_delay);
	/* an RST BPDU's version 1 length (p[35]) is 0 */
	return STP_FRAME_LEN;
}

/* transmission (17.21.19-21): the BPDU a port sends, from its designated priority and times */

static void tx_frame(struct stp *stp, struct stp_port *p, const struct stp_bpdu *b)
{
	size_t len = stp_bpdu_encode(b, p->has_mac ? p->mac : stp->mac, stp->txbuf);

	if (stp->ops.send)
		stp->ops.send(stp->ctx, p->no, stp->txbuf, len);
}

static void fill_priority(struct stp_bpdu *b, const struct stp_port *p)
{
	b->root_id = p->designated_pri.root;
	b->root_cost = p->designated_pri.cost;
	b->bridge_id = p->designated_pri.bridge;
	b->port_id = p->designated_pri.port;
	b->message_age = (uint16_t)(p->designated_times.msg_age * 256);
	b->max_age = (uint16_t)(p->designated_times.max_age * 256);
	b->hello_time = (uint16_t)(p->designated_times.hello * 256);
	b->forward_delay = (uint16_t)(p->designated_times.fwd_delay * 256);
}

void stp_bpdu_tx_config(struct stp *stp, struct stp_port *p)
{
	struct stp_bpdu b = { .version = 0, .type = STP_BPDU_CONFIG };

	/* information as old as max age is not passed on: receivers would discard it (9.3.4) */
	if (p->designated_times.msg_age >= p->designated_times.max_age)
		return;
	fill_priority(&b, p);
	if (p->tc_while)
		b.flags |= STP_FLAG_TC;
	if (p->tc_ack)
		b.flags |= STP_FLAG_TC_ACK;
	tx_frame(stp, p, &b);
	p->tx_config++;
}

void stp_bpdu_tx_rst(struct stp *stp, struct stp_port *p)
{
	struct stp_bpdu b = { .version = 2, .type = STP_BPDU_RST };
	unsigned int role;

	fill_priority(&b, p);
	switch (p->role) {
	case STP_ROLE_ROOT:
		role = STP_BPDU_ROLE_ROOT;
		break;
	case STP_ROLE_DESIGNATED:
		role = STP_BPDU_ROLE_DESIGNATED;
		break;
	case STP_ROLE_ALTERNATE:
	case STP_ROLE_BACKUP:
		role = STP_BPDU_ROLE_ALT_BACKUP;
		break;
	case STP_ROLE_DISABLED:
	default:
		role = STP_BPDU_ROLE_UNKNOWN;
		break;
	}
	b.flags = (uint8_t)(role << STP_FLAG_ROLE_SHIFT);
	if (p->tc_while)
		b.flags |= STP_FLAG_TC;
	if (p->proposing)
		b.flags |= STP_FLAG_PROPOSAL;
	if (p->learning)
		b.flags |= STP_FLAG_LEARNING;
	if (p->forwarding)
		b.flags |= STP_FLAG_FORWARDING;
	if (p->agree)
		b.flags |= STP_FLAG_AGREEMENT;
	tx_frame(stp, p, &b);
	p->tx_rst++;
}

void stp_bpdu_tx_tcn(struct stp *stp, struct stp_port *p)
{
	struct stp_bpdu b = { .version = 0, .type = STP_BPDU_TCN };

	tx_frame(stp, p, &b);
	p->tx_tcn++;
}
