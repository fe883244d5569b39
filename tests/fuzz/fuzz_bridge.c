/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz_bridge.c - libFuzzer target: hostile frames and offload metadata through the pipeline
 *
 * The input describes a small bridge (filtering or not, a few ports with
 * random flags, VLANs, states and MTUs), then a stream of frames, each
 * with its ingress port, length, virtio-net metadata and headroom. Every
 * frame is run through bridge_input(); ASan/UBSan catch memory errors, and
 * the checks below catch a frame that leaves malformed or is accounted
 * for other than exactly once.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/bridge.h"
#include "fuzz_input.h"

#define FUZZ_PORTS_MAX 6

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * Port security from two bits: 1 every check but the MAC's with addresses left to DHCP
 * snooping, 2 every check with one address of each family, 3 the IP and ARP checks with
 * them; the port's MAC is 02:00:00:00:00:01, so ARP, ND and snooped ACKs can match it
 */
static void fuzz_setup_portsec(struct bridge *br, uint16_t port, unsigned how)
{
	struct portsec_cfg c = { .n_mac = 1, .mac = { { 2, 0, 0, 0, 0, 1 } } };

	if (!how)
		return;
	c.flags = how == 1   ? PORTSEC_ALL & ~PORTSEC_MAC
		  : how == 2 ? PORTSEC_ALL
			     : PORTSEC_IP | PORTSEC_ARP;
	if (how > 1) {
		c.n_ip4 = c.n_ip6 = 1;
		memcpy(c.ip4[0], (const uint8_t[4]){ 10, 0, 0, 1 }, 4);
		c.ip6[0][0] = 0x20;
		c.ip6[0][15] = 1;
	}
	bridge_port_set_portsec(br, port, &c);
}

static void fuzz_setup_port(struct bridge *br, uint16_t port, struct fuzz_in *in)
{
	static const uint32_t mtus[] = { 68, 576, 1500, 9000 };
	static const struct vlan_spec_tag access[] = { { 10, VLAN_NATIVE_NONE } };
	static const struct vlan_spec_tag trunk[] = { { 10, VLAN_NATIVE_UNTAGGED }, { 20, 0 } };
	static const struct vlan_spec_tag trunk_t[] = { { 20, VLAN_NATIVE_TAGGED }, { 30, 0 } };
	uint8_t flags = fuzz_u8(in), mode = fuzz_u8(in), state = fuzz_u8(in);
	struct vlan_spec spec = { 0 };

	/* the guards above bit 7 and storm control from bits the rest leaves unused, so the
	 * corpus made before them still means what it meant */
	uint32_t fl = (flags | (uint32_t)(state & 7) << 8) & BR_PORT_FLAGS_ALL;

	bridge_port_set_flags(br, port, fl, ~fl & BR_PORT_FLAGS_ALL);
	for (int k = 0; k < BR_STORM__MAX; k++)
		bridge_port_set_storm(br, port, (enum bridge_storm)k, (mode >> 2) & 3, 0);
	bridge_port_set_mtu(br, port, mtus[mode >> 6]);
	switch (mode & 3) {
	case 1:
		spec = (struct vlan_spec){ .n_tags = 1, .tags = access };
		break;
	case 2:
		spec = (struct vlan_spec){ .trunk = true, .n_tags = 2, .tags = trunk };
		break;
	case 3:
		spec = (struct vlan_spec){ .trunk = true, .n_tags = 2, .tags = trunk_t };
		break;
	}
	if (spec.n_tags)
		bridge_vlan_apply_spec(br, port, &spec);
	fuzz_setup_portsec(br, port, (mode >> 4) & 3);
	/* mostly forwarding, so frames get past the state checks */
	bridge_port_set_state(br, port, state < 200 ? BR_STATE_FORWARDING : state % 5);
}

static void fuzz_check_out(const struct bridge_out *out, unsigned n_in)
{
	unsigned listed = 0;

	for (unsigned i = 0; i < out->n_active; i++) {
		const struct bridge_tx *tx = &out->tx[out->active[i]];

		if (!tx->n || tx->n > n_in)
			abort();
		for (unsigned j = 0; j < tx->n; j++) {
			const struct frame *f = tx->frames[j];

			if (f->len < 14 || f->data < f->head ||
			    f->data + f->len > f->head + f->size)
				abort();
			if (!f->refs)
				abort();
			listed++;
		}
	}
	if (out->n_control > n_in || out->n_clones > n_in || listed > n_in * FUZZ_PORTS_MAX)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t bufs[BRIDGE_BURST_MAX][FRAME_HEADROOM + 2048];
	static uint8_t spare_bufs[BRIDGE_BURST_MAX][FRAME_HEADROOM + 2048];
	static struct frame frames[BRIDGE_BURST_MAX], spares[BRIDGE_BURST_MAX];
	struct fuzz_in in = { data, size };
	struct bridge_config cfg;
	struct bridge_out *out;
	struct bridge *br;
	uint8_t head = fuzz_u8(&in);
	unsigned n_ports = 2 + (head >> 1) % (FUZZ_PORTS_MAX - 1);
	uint64_t now = 0;

	bridge_config_default(&cfg);
	cfg.vlan_filtering = head & 1;
	cfg.max_ports = FUZZ_PORTS_MAX;
	cfg.fdb_max_learned = 16;
	cfg.fdb_max_static = 4;
	br = bridge_new(&cfg);
	out = br ? bridge_out_new(br) : NULL;
	if (!out)
		abort();
	for (unsigned p = 0; p < n_ports; p++) {
		bridge_port_add(br);
		fuzz_setup_port(br, (uint16_t)p, &in);
	}

	while (in.left) {
		uint8_t port = fuzz_u8(&in) % n_ports;
		unsigned want = 1 + fuzz_u8(&in) % 8, n = 0;
		struct frame *burst[BRIDGE_BURST_MAX];

		for (unsigned i = 0; i < want && in.left; i++) {
			struct frame *f = &frames[i];
			uint16_t len = fuzz_u16(&in) % 2048;
			uint8_t headroom = fuzz_u8(&in) % (FRAME_HEADROOM + 1);

			frame_init(f, bufs[i], sizeof(bufs[i]));
			f->data = f->head + headroom;
			if (len > f->size - headroom)
				len = (uint16_t)(f->size - headroom);
			f->vnet.flags = fuzz_u8(&in) & 3;
			f->vnet.gso_type = fuzz_u8(&in);
			f->vnet.gso_size = fuzz_u16(&in);
			f->vnet.hdr_len = fuzz_u16(&in);
			f->vnet.csum_start = fuzz_u16(&in);
			f->vnet.csum_offset = fuzz_u16(&in);
			for (unsigned b = 0; b < len; b++)
				f->data[b] = fuzz_u8(&in);
			f->len = len;
			burst[n++] = f;
		}
		if (!n)
			break;
		for (unsigned i = 0; i < BRIDGE_BURST_MAX; i++) {
			frame_init(&spares[i], spare_bufs[i], sizeof(spare_bufs[i]));
			out->spare[i] = &spares[i];
		}
		out->n_spare = BRIDGE_BURST_MAX;
		bridge_input(br, port, burst, n, now, out);
		fuzz_check_out(out, n);
		now += 1000000000ull;
		bridge_age(br, now);
	}
	bridge_out_free(out);
	bridge_free(br);
	return 0;
}
