/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz_mdb.c - libFuzzer target: hostile IGMP and MLD through snooping (mdb.c, mdb_snoop.c)
 *
 * The input's first byte sets up a bridge with its querier on and a small MDB (so
 * that the limit is reached), the router modes of its ports; then each record is a
 * frame: ingress port, VID (filtering on, ports trunks of VIDs 1..3), time step, an
 * Ethernet header made for IPv4 or IPv6 multicast, and the IP packet from the input.
 * With a flag the harness puts the right IGMP/MLD checksum in, so the fuzzer reaches
 * the records behind it. Port 1 may join FUZZ_PORT_GROUPS groups at most (mcast_max_groups).
 * After each frame: the table never holds more than its size, what it lists is its count
 * at most, the ports' counts add up to it, port 1 stays within its limit, and every frame
 * was accounted for.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/bridge.h"
#include "core/mdb.h"
#include "fuzz_input.h"

#define FUZZ_PORTS 4
#define FUZZ_MDB_MAX 16
#define FUZZ_PORT_GROUPS 3
#define FUZZ_SEC 1000000000ull

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t fuzz_buf[FRAME_BUF_SIZE];
static uint8_t fuzz_spare_buf[BRIDGE_BURST_MAX][FRAME_BUF_SIZE];

/* put the right checksum in the IGMP message, or the ICMPv6 message right after the header */
static void fuzz_fix_csum(struct frame *f, uint32_t off, bool v6)
{
	uint8_t *ip = f->data + off;

	if (!v6) {
		uint32_t ihl = (uint32_t)(ip[0] & 15) * 4, tot = eth_get_be16(ip + 2);

		if (ihl < 20 || tot < ihl + 4 || off + tot > f->len)
			return;
		ip[ihl + 2] = ip[ihl + 3] = 0;
		eth_put_be16(ip + ihl + 2, mdb_csum_fold(mdb_csum_add(ip + ihl, tot - ihl, 0)));
	} else {
		uint32_t plen = eth_get_be16(ip + 4), sum;

		if (plen < 4 || off + 40 + plen > f->len || ip[6] != 58)
			return;
		ip[42] = ip[43] = 0;
		sum = mdb_csum_add(ip + 8, 32, plen + 58);
		eth_put_be16(ip + 42, mdb_csum_fold(mdb_csum_add(ip + 40, plen, sum)));
	}
}

static void fuzz_check(const struct bridge *br, const struct bridge_out *out, uint64_t now)
{
	const struct mdb *m = bridge_mdb_const(br);
	struct mdb_entry e;
	uint32_t cursor = 0, listed = 0, held = 0;

	if (mdb_count(m) > mdb_max(m) || mdb_n_groups(m, 1) > FUZZ_PORT_GROUPS)
		abort();
	for (uint16_t p = 0; p < FUZZ_PORTS; p++)
		held += mdb_n_groups(m, p);
	if (held != mdb_count(m))
		abort();
	while (mdb_next(m, &cursor, now, &e)) {
		if (e.port >= FUZZ_PORTS || e.expires <= now || ++listed > mdb_count(m))
			abort();
	}
	if (out->n_active > FUZZ_PORTS || out->n_control > 1 || out->n_clones > 1)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct bridge_config c;
	struct bridge_out *out;
	struct bridge *br;
	struct frame f;
	uint64_t now = 1000 * FUZZ_SEC;
	uint8_t setup = fuzz_u8(&in);

	bridge_config_default(&c);
	c.max_ports = FUZZ_PORTS;
	c.mdb_max = FUZZ_MDB_MAX;
	/* a small FDB: a big one zeroed for every input would be most of the time spent */
	c.fdb_max_learned = 64;
	c.fdb_max_static = 16;
	br = bridge_new(&c);
	if (!br)
		abort();
	out = bridge_out_new(br);
	if (!out)
		abort();
	for (int p = 0; p < FUZZ_PORTS; p++) {
		bridge_port_add(br);
		for (uint16_t v = 2; v <= 3; v++)
			bridge_vlan_add(br, (uint16_t)p, v, false, false);
		mdb_set_router(bridge_mdb(br), (uint16_t)p,
			       (enum mdb_router)((setup >> (2 * p)) % 3));
	}
	mdb_set_max_groups(bridge_mdb(br), 1, FUZZ_PORT_GROUPS);
	mdb_set_querier(bridge_mdb(br), !(setup & 0x80) || (setup & 1), now);

	while (in.left) {
		uint8_t port = fuzz_u8(&in) % FUZZ_PORTS, flags = fuzz_u8(&in);
		uint16_t len = fuzz_u16(&in) % 1200, vid = flags & 3;
		bool v6 = flags & 4;
		uint32_t off = 14;
		struct frame *fp = &f;

		now += (uint64_t)fuzz_u8(&in) * FUZZ_SEC / 4;
		frame_init(&f, fuzz_buf, sizeof(fuzz_buf));
		if (v6)
			memcpy(f.data, (const uint8_t[]){ 0x33, 0x33, 0, 0, 0, 1 }, 6);
		else
			memcpy(f.data, (const uint8_t[]){ 0x01, 0, 0x5e, 0, 0, 1 }, 6);
		memcpy(f.data + 6, (const uint8_t[]){ 0x02, 0, 0, 0, 0, (uint8_t)(port + 1) }, 6);
		if (vid) {
			eth_put_be16(f.data + 12, ETH_P_8021Q);
			eth_put_be16(f.data + 14, vid);
			off += 4;
		}
		eth_put_be16(f.data + off - 2, v6 ? 0x86dd : 0x0800);
		for (uint32_t i = 0; i < len; i++)
			f.data[off + i] = fuzz_u8(&in);
		f.len = off + len;
		if ((flags & 8) && f.len >= off + (v6 ? 44 : 24))
			fuzz_fix_csum(&f, off, v6);
		for (unsigned i = 0; i < BRIDGE_BURST_MAX; i++) {
			static struct frame spares[BRIDGE_BURST_MAX];

			frame_init(&spares[i], fuzz_spare_buf[i], FRAME_BUF_SIZE);
			out->spare[i] = &spares[i];
		}
		out->n_spare = BRIDGE_BURST_MAX;
		bridge_input(br, port, &fp, 1, now, out);
		fuzz_check(br, out, now);
		if (flags & 0x10)
			mdb_age(bridge_mdb(br), now);
		if (flags & 0x20)
			bridge_vlan_del(br, port, 2);
		if ((flags & 0xc0) == 0xc0)
			bridge_set_mcast_snooping(br, !bridge_mcast_snooping(br));
	}
	bridge_out_free(out);
	bridge_free(br);
	return 0;
}
