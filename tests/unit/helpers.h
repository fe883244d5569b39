/* SPDX-License-Identifier: GPL-2.0-or-later */
/* helpers.h - frame buffers, MACs and byte-exact frame builders shared by the core unit tests */
#ifndef KVNET_TESTS_UNIT_HELPERS_H
#define KVNET_TESTS_UNIT_HELPERS_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/bridge.h"
#include "core/eth.h"
#include "core/frame.h"

/* a frame and its FRAME_BUF_SIZE buffer in one allocation; the frame comes first */
struct tbuf {
	struct frame f;
	uint8_t buf[FRAME_BUF_SIZE];
};

#define TPOOL_MAX 512

/* every frame a test allocated, freed together by tpool_free() */
struct tpool {
	unsigned int n;
	struct frame *f[TPOOL_MAX];
};

/* a fresh frame with an empty FRAME_BUF_SIZE buffer and FRAME_HEADROOM free */
static inline struct frame *tpool_frame(struct tpool *p)
{
	struct tbuf *t;

	if (p->n >= TPOOL_MAX) {
		fprintf(stderr, "tpool: too many frames\n");
		abort();
	}
	t = calloc(1, sizeof(*t));
	if (!t) {
		fprintf(stderr, "tpool: out of memory\n");
		abort();
	}
	frame_init(&t->f, t->buf, FRAME_BUF_SIZE);
	p->f[p->n++] = &t->f;
	return &t->f;
}

static inline void tpool_free(struct tpool *p)
{
	while (p->n)
		free(p->f[--p->n]);
}

/* 02:00:00:00:hi:lo, a locally administered unicast address */
static inline void tmac(uint8_t mac[ETH_ALEN], unsigned int n)
{
	mac[0] = 0x02;
	mac[1] = 0;
	mac[2] = (uint8_t)(n >> 24);
	mac[3] = (uint8_t)(n >> 16);
	mac[4] = (uint8_t)(n >> 8);
	mac[5] = (uint8_t)n;
}

/* a recognisable, deterministic payload byte sequence */
static inline void tfill(uint8_t *p, uint32_t n, uint8_t seed)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(seed + i * 7u + (i >> 8));
}

static inline uint16_t ttci(unsigned int pcp, unsigned int dei, unsigned int vid)
{
	return (uint16_t)(pcp << VLAN_PRIO_SHIFT | dei << 12 | vid);
}

/*
 * Bytes of a frame into @out: dst, src, @n_tags (TPID, TCI) pairs from @tags, @type, then
 * @plen payload bytes (from @payload, or the tfill() pattern seeded with @seed if NULL).
 * Return: the frame length.
 */
static inline uint32_t tbytes(uint8_t *out, const uint8_t *dst, const uint8_t *src,
			      unsigned int n_tags, const uint16_t *tags, uint16_t type,
			      const uint8_t *payload, uint32_t plen, uint8_t seed)
{
	uint32_t off = 2 * ETH_ALEN;
	unsigned int i;

	memcpy(out, dst, ETH_ALEN);
	memcpy(out + ETH_ALEN, src, ETH_ALEN);
	for (i = 0; i < n_tags; i++) {
		eth_put_be16(out + off, tags[2 * i]);
		eth_put_be16(out + off + 2, tags[2 * i + 1]);
		off += VLAN_HLEN;
	}
	eth_put_be16(out + off, type);
	off += 2;
	if (payload)
		memcpy(out + off, payload, plen);
	else
		tfill(out + off, plen, seed);
	return off + plen;
}

/* expected bytes of an untagged frame with a tfill() payload */
static inline uint32_t tb_eth(uint8_t *out, const uint8_t *dst, const uint8_t *src, uint16_t type,
			      uint32_t plen, uint8_t seed)
{
	return tbytes(out, dst, src, 0, NULL, type, NULL, plen, seed);
}

/* expected bytes of a frame with one tag (@tpid, @tci) and a tfill() payload */
static inline uint32_t tb_tag(uint8_t *out, const uint8_t *dst, const uint8_t *src, uint16_t tpid,
			      uint16_t tci, uint16_t type, uint32_t plen, uint8_t seed)
{
	uint16_t tags[2] = { tpid, tci };

	return tbytes(out, dst, src, 1, tags, type, NULL, plen, seed);
}

/* reset @f to an empty frame at the standard headroom with no offload metadata */
static inline void tf_reset(struct frame *f)
{
	f->data = f->head + FRAME_HEADROOM;
	f->len = 0;
	memset(&f->vnet, 0, sizeof(f->vnet));
	f->refs = 0;
	f->port = 0;
	f->tci = 0;
	f->tagged = false;
}

/* a frame from @p whose bytes after the addresses are @l2 (type, tags, payload), padded to 60 */
static inline struct frame *tf_raw(struct tpool *p, const uint8_t *dst, const uint8_t *src,
				   const uint8_t *l2, uint32_t n)
{
	struct frame *f = tpool_frame(p);

	tf_reset(f);
	memcpy(f->data, dst, ETH_ALEN);
	memcpy(f->data + ETH_ALEN, src, ETH_ALEN);
	memcpy(f->data + 12, l2, n);
	f->len = 12 + n < 60 ? 60 : 12 + n;
	return f;
}

/* make @f an untagged frame with a tfill() payload; return @f */
static inline struct frame *tf_eth(struct frame *f, const uint8_t *dst, const uint8_t *src,
				   uint16_t type, uint32_t plen, uint8_t seed)
{
	tf_reset(f);
	f->len = tb_eth(f->data, dst, src, type, plen, seed);
	return f;
}

/* make @f a frame with one tag (@tpid, @tci) and a tfill() payload; return @f */
static inline struct frame *tf_tag(struct frame *f, const uint8_t *dst, const uint8_t *src,
				   uint16_t tpid, uint16_t tci, uint16_t type, uint32_t plen,
				   uint8_t seed)
{
	tf_reset(f);
	f->len = tb_tag(f->data, dst, src, tpid, tci, type, plen, seed);
	return f;
}

/* make @f a frame with an outer (@tpid1, @tci1) and an inner (0x8100, @tci2) tag */
static inline struct frame *tf_qinq(struct frame *f, const uint8_t *dst, const uint8_t *src,
				    uint16_t tpid1, uint16_t tci1, uint16_t tci2, uint16_t type,
				    uint32_t plen, uint8_t seed)
{
	uint16_t tags[4] = { tpid1, tci1, ETH_P_8021Q, tci2 };

	tf_reset(f);
	f->len = tbytes(f->data, dst, src, 2, tags, type, NULL, plen, seed);
	return f;
}

/* the fixture of the pipeline tests: a bridge, its output lists, the frames, the clock */
struct tbr {
	struct bridge *br;
	struct bridge_out *out;
	struct tpool pool;
	uint64_t now;
};

/* a bridge of @c with ports 0..@nports-1, its clock at @now. Return: the fixture, or NULL */
static inline struct tbr *tbr_new(const struct bridge_config *c, int nports, uint64_t now)
{
	struct tbr *x = calloc(1, sizeof(*x));

	if (!x)
		return NULL;
	x->br = bridge_new(c);
	for (int i = 0; x->br && i < nports; i++)
		if (bridge_port_add(x->br) != i)
			goto fail;
	x->out = x->br ? bridge_out_new(x->br) : NULL;
	if (!x->out)
		goto fail;
	x->now = now;
	return x;
fail:
	if (x->br)
		bridge_free(x->br);
	free(x);
	return NULL;
}

static inline void tbr_free(struct tbr *x)
{
	bridge_out_free(x->out);
	bridge_free(x->br);
	tpool_free(&x->pool);
	free(x);
}

#endif
