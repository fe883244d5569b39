/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz_stp.c - libFuzzer target: hostile BPDUs into the decoder and the spanning tree machines
 *
 * The input is a script for one bridge of four ports: each step receives a
 * raw frame (any bytes), receives a BPDU built from fuzzed fields behind a
 * valid header (so the machines see well-formed but hostile information),
 * lets time pass, toggles a link or changes a setting. ASan/UBSan catch
 * memory errors; the checks below catch a decoder that accepts what it
 * cannot re-encode identically, and states outside the core's enum.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/stp.h"
#include "fuzz_input.h"

#define FUZZ_PORTS 4

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_send(void *ctx, uint16_t port, const uint8_t *frame, size_t len)
{
	struct stp_bpdu b;

	(void)ctx;
	if (port >= FUZZ_PORTS || len != STP_FRAME_LEN || stp_bpdu_decode(frame, len, &b))
		abort(); /* everything we send must be a valid BPDU */
}

static void fuzz_state(void *ctx, uint16_t port, enum bridge_port_state s)
{
	(void)ctx;
	if (port >= FUZZ_PORTS || (unsigned)s > BR_STATE_BLOCKING)
		abort();
}

static void fuzz_flush(void *ctx, uint16_t port, uint32_t ageing_s)
{
	(void)ctx;
	if (port >= FUZZ_PORTS || ageing_s > 255) /* the root's forward delay, whatever it says */
		abort();
}

static const struct stp_ops fuzz_ops = { fuzz_send, fuzz_state, fuzz_flush };

/* a decoded BPDU re-encodes to a frame that decodes to the same fields */
static void fuzz_roundtrip(const struct stp_bpdu *b)
{
	static const uint8_t src[6] = { 0x02, 0, 0, 0, 0, 1 };
	uint8_t buf[STP_FRAME_LEN];
	struct stp_bpdu d;

	stp_bpdu_encode(b, src, buf);
	if (stp_bpdu_decode(buf, sizeof(buf), &d))
		abort();
	if (d.type != b->type || d.version != b->version)
		abort();
	if (b->type != STP_BPDU_TCN &&
	    (d.flags != b->flags || d.root_id != b->root_id || d.root_cost != b->root_cost ||
	     d.bridge_id != b->bridge_id || d.port_id != b->port_id ||
	     d.message_age != b->message_age || d.max_age != b->max_age ||
	     d.hello_time != b->hello_time || d.forward_delay != b->forward_delay))
		abort();
}

static void fuzz_crafted(struct stp *stp, uint16_t port, struct fuzz_in *in, uint64_t now)
{
	static const uint8_t src[6] = { 0x02, 0, 0, 0, 0, 2 };
	static const uint8_t types[] = { STP_BPDU_CONFIG, STP_BPDU_RST, STP_BPDU_TCN };
	uint8_t buf[STP_FRAME_LEN];
	struct stp_bpdu b;
	uint8_t t = fuzz_u8(in);

	b.type = types[t % 3];
	b.version = b.type == STP_BPDU_RST ? 2 + (t >> 7) : (t >> 6) & 3;
	b.flags = fuzz_u8(in);
	/* small identifier spaces so that fuzzed vectors collide with ours */
	b.root_id = (uint64_t)(fuzz_u8(in) & 0xf0) << 56 | 0x020000001000ull | (fuzz_u8(in) & 3);
	b.root_cost = fuzz_u8(in) % 4 ? fuzz_u8(in) * 20000u : fuzz_u16(in) * 65537u;
	b.bridge_id = (uint64_t)(fuzz_u8(in) & 0xf0) << 56 | 0x020000001000ull | (fuzz_u8(in) & 3);
	b.port_id = (uint16_t)((fuzz_u8(in) & 0xf0) << 8 | (fuzz_u8(in) & 7));
	b.message_age = fuzz_u16(in);
	b.max_age = fuzz_u16(in);
	b.hello_time = fuzz_u16(in);
	b.forward_delay = fuzz_u16(in);
	stp_bpdu_encode(&b, src, buf);
	stp_rx(stp, port, buf, sizeof(buf), now);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t mac[6] = { 0x02, 0, 0, 0, 0x10, 0x01 };
	struct fuzz_in in = { data, size };
	struct stp_config c;
	struct stp_bpdu b;
	struct stp_bridge_info bi;
	struct stp_port_info pi;
	uint64_t now = 1000000000ull;
	struct stp *stp;
	unsigned int steps = 0;
	uint16_t port;

	/* the whole input as one frame, through the decoder alone */
	if (stp_bpdu_decode(data, size, &b) == 0)
		fuzz_roundtrip(&b);

	stp_config_default(&c);
	c.force_version = fuzz_u8(&in) & 1 ? STP_VERSION_STP : STP_VERSION_RSTP;
	stp = stp_new(&c, mac, &fuzz_ops, NULL);
	if (!stp)
		abort();
	stp_tick(stp, now);
	for (port = 0; port < FUZZ_PORTS; port++) {
		uint8_t f = fuzz_u8(&in);

		stp_port_add(stp, port, 1000, f & 1, f & 2, now);
		stp_port_set_link(stp, port, !(f & 4), now);
	}
	while (in.left && steps++ < 256) {
		uint8_t op = fuzz_u8(&in), len;
		uint8_t frame[256];

		port = op >> 6;
		switch (op & 7) {
		case 0: /* a raw frame */
			len = fuzz_u8(&in);
			memset(frame, 0, sizeof(frame));
			memcpy(frame, in.p, len < in.left ? len : in.left);
			if (stp_bpdu_decode(frame, len, &b) == 0)
				fuzz_roundtrip(&b);
			stp_rx(stp, port, frame, len, now);
			in.p += len < in.left ? len : in.left;
			in.left -= len < in.left ? len : in.left;
			break;
		case 1:
		case 2:
			fuzz_crafted(stp, port, &in, now);
			break;
		case 3:
			now += (uint64_t)fuzz_u8(&in) * 100000000ull;
			stp_tick(stp, now);
			break;
		case 4:
			stp_port_set_link(stp, port, fuzz_u8(&in) & 1, now);
			break;
		case 5:
			c.priority = (uint16_t)((fuzz_u8(&in) & 0xf) * STP_PRIORITY_STEP);
			c.force_version = (op >> 3) & 1 ? STP_VERSION_STP : STP_VERSION_RSTP;
			stp_set_config(stp, &c, now);
			break;
		case 6:
			stp_port_set_path_cost(stp, port, fuzz_u8(&in), now);
			stp_port_set_priority(stp, port, (fuzz_u8(&in) & 0xf) * 16, now);
			break;
		case 7:
			stp_port_set_edge(stp, port, op & 8, op & 16, now);
			stp_port_set_p2p(stp, port, op & 32, now);
			stp_port_mcheck(stp, port, now);
			break;
		}
	}
	stp_bridge_info(stp, &bi);
	if (bi.overruns)
		abort(); /* the machines did not settle */
	for (port = 0; port < FUZZ_PORTS; port++)
		if (stp_port_info(stp, port, &pi) || !stp_role_name(pi.role))
			abort();
	stp_free(stp);
	return 0;
}
