/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_stp.c - unit tests of stp.h: BPDU codec, RSTP/STP machines with crafted BPDUs, and
 * simulated networks of 2 and 3 bridges wired in memory
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/stp.h"

#define SEC 1000000000ull
#define MS 1000000ull
#define NPORTS 8
#define NSENT 512

static const uint8_t mac_us[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x0a };
#define ID(prio, last) ((uint64_t)(prio) << 48 | 0x020000000000ull | (last))
#define ID_US ID(32768, 0x0a)
#define ID_BETTER ID(4096, 0x01)		/* a better root */
#define ID_WORSE ID(61440, 0x0f)		/* a worse bridge */
#define PID(n) ((uint16_t)(0x8000 | ((n) + 1))) /* port id of our port n, priority 128 */

/* --- a recording of what one stp said --- */

struct sent {
	uint16_t port;
	size_t len;
	uint8_t frame[STP_FRAME_LEN];
};

struct rec {
	unsigned int n_sent;
	struct sent sent[NSENT];
	enum bridge_port_state state[NPORTS];
	unsigned int n_states[NPORTS];
	unsigned int n_flush[NPORTS];
	uint32_t flush_ageing[NPORTS];
};

static void rec_send(void *ctx, uint16_t port, const uint8_t *frame, size_t len)
{
	struct rec *r = ctx;

	assert_int_equal(len, STP_FRAME_LEN);
	if (r->n_sent == NSENT)
		r->n_sent = 0; /* keep the newest */
	r->sent[r->n_sent].port = port;
	r->sent[r->n_sent].len = len;
	memcpy(r->sent[r->n_sent].frame, frame, len);
	r->n_sent++;
}

static void rec_state(void *ctx, uint16_t port, enum bridge_port_state s)
{
	struct rec *r = ctx;

	assert_true(port < NPORTS);
	r->state[port] = s;
	r->n_states[port]++;
}

static void rec_flush(void *ctx, uint16_t port, uint32_t ageing_s)
{
	struct rec *r = ctx;

	assert_true(port < NPORTS);
	r->n_flush[port]++;
	r->flush_ageing[port] = ageing_s;
}

static const struct stp_ops rec_ops = { rec_send, rec_state, rec_flush };

/* the last BPDU sent on @port since the recording was cleared, decoded; false if none */
static bool last_sent(const struct rec *r, uint16_t port, struct stp_bpdu *b)
{
	unsigned int i;

	for (i = r->n_sent; i-- > 0;) {
		if (r->sent[i].port != port)
			continue;
		assert_int_equal(stp_bpdu_decode(r->sent[i].frame, r->sent[i].len, b), 0);
		return true;
	}
	return false;
}

static unsigned int count_sent(const struct rec *r, uint16_t port)
{
	unsigned int i, n = 0;

	for (i = 0; i < r->n_sent; i++)
		n += r->sent[i].port == port;
	return n;
}

static void rec_clear(struct rec *r)
{
	r->n_sent = 0;
	memset(r->n_flush, 0, sizeof(r->n_flush));
}

/* a test bridge on a test clock */
struct tb {
	struct stp *stp;
	struct rec rec;
	uint64_t now;
};

static struct tb *tb_new(uint8_t version)
{
	struct tb *t = calloc(1, sizeof(*t));
	struct stp_config c;

	assert_non_null(t);
	stp_config_default(&c);
	c.force_version = version;
	t->now = 1000 * SEC;
	t->stp = stp_new(&c, mac_us, &rec_ops, &t->rec);
	assert_non_null(t->stp);
	stp_tick(t->stp, t->now);
	return t;
}

static void tb_free(struct tb *t)
{
	struct stp_bridge_info bi;

	stp_bridge_info(t->stp, &bi);
	assert_int_equal(bi.overruns, 0);
	stp_free(t->stp);
	free(t);
}

/* add a p2p, non-edge, 1 Gb/s port with its link up */
static void tb_port(struct tb *t, uint16_t port, bool edge)
{
	assert_int_equal(stp_port_add(t->stp, port, 1000, true, edge, t->now), 0);
	assert_int_equal(stp_port_set_link(t->stp, port, true, t->now), 0);
}

static void tb_wait(struct tb *t, uint64_t ns)
{
	uint64_t end = t->now + ns;

	while (t->now < end) {
		t->now += 100 * MS;
		stp_tick(t->stp, t->now);
	}
}

struct bpdu_spec {
	uint8_t type, version, flags;
	uint64_t root;
	uint32_t cost;
	uint64_t bridge;
	uint16_t port;
	unsigned int age; /* 1/256 s */
};

static size_t mk(uint8_t *buf, const struct bpdu_spec *s)
{
	static const uint8_t peer_mac[6] = { 0x02, 0, 0, 0, 0, 0x99 };
	struct stp_bpdu b = {
		.version = s->version,
		.type = s->type,
		.flags = s->flags,
		.root_id = s->root,
		.root_cost = s->cost,
		.bridge_id = s->bridge,
		.port_id = s->port,
		.message_age = (uint16_t)s->age,
		.max_age = 20 * 256,
		.hello_time = 2 * 256,
		.forward_delay = 15 * 256,
	};

	return stp_bpdu_encode(&b, peer_mac, buf);
}

#define RST_DESIG (STP_BPDU_ROLE_DESIGNATED << STP_FLAG_ROLE_SHIFT)
#define RST_ROOT (STP_BPDU_ROLE_ROOT << STP_FLAG_ROLE_SHIFT)

/* an RST BPDU from a designated port of bridge @bridge claiming root @root at @cost */
static int rx_rst(struct tb *t, uint16_t port, uint8_t flags, uint64_t root, uint32_t cost,
		  uint64_t bridge, uint16_t pid)
{
	uint8_t buf[STP_FRAME_LEN];
	struct bpdu_spec s = { STP_BPDU_RST, 2, flags, root, cost, bridge, pid, 0 };
	size_t len = mk(buf, &s);

	return stp_rx(t->stp, port, buf, len, t->now);
}

static int rx_config(struct tb *t, uint16_t port, uint8_t flags, uint64_t root, uint32_t cost,
		     uint64_t bridge, uint16_t pid)
{
	uint8_t buf[STP_FRAME_LEN];
	struct bpdu_spec s = { STP_BPDU_CONFIG, 0, flags, root, cost, bridge, pid, 256 };
	size_t len = mk(buf, &s);

	return stp_rx(t->stp, port, buf, len, t->now);
}

static size_t tcn_frame(uint8_t *buf)
{
	struct bpdu_spec s = { STP_BPDU_TCN, 0, 0, 0, 0, 0, 0, 0 };

	return mk(buf, &s);
}

static int rx_tcn(struct tb *t, uint16_t port)
{
	uint8_t buf[STP_FRAME_LEN];
	size_t len = tcn_frame(buf);

	return stp_rx(t->stp, port, buf, len, t->now);
}

static struct stp_port_info pinfo(struct tb *t, uint16_t port)
{
	struct stp_port_info pi;

	assert_int_equal(stp_port_info(t->stp, port, &pi), 0);
	return pi;
}

static struct stp_bridge_info binfo(struct tb *t)
{
	struct stp_bridge_info bi;

	stp_bridge_info(t->stp, &bi);
	return bi;
}

/* --- BPDU encoding and decoding --- */

static void bpdu_encode_layout(void **state)
{
	struct stp_bpdu b = { .version = 2,
			      .type = STP_BPDU_RST,
			      .flags = 0x3e,
			      .root_id = 0x8000020000000001ull,
			      .root_cost = 20000,
			      .bridge_id = 0x9000020000000002ull,
			      .port_id = 0x8003,
			      .message_age = 256,
			      .max_age = 20 * 256,
			      .hello_time = 2 * 256,
			      .forward_delay = 15 * 256 };
	static const uint8_t want[] = {
		0x01, 0x80, 0xc2, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x0a, 0x00, 39,
		0x42, 0x42, 0x03, 0x00, 0x00, 0x02, 0x02, 0x3e, 0x80, 0x00, 0x02, 0x00, 0x00, 0x00,
		0x00, 0x01, 0x00, 0x00, 0x4e, 0x20, 0x90, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x02,
		0x80, 0x03, 0x01, 0x00, 0x14, 0x00, 0x02, 0x00, 0x0f, 0x00, 0x00,
	};
	uint8_t buf[STP_FRAME_LEN];
	struct stp_bpdu d;
	size_t i;

	(void)state;
	assert_int_equal(stp_bpdu_encode(&b, mac_us, buf), STP_FRAME_LEN);
	assert_memory_equal(buf, want, sizeof(want));
	for (i = sizeof(want); i < STP_FRAME_LEN; i++)
		assert_int_equal(buf[i], 0);
	assert_int_equal(stp_bpdu_decode(buf, STP_FRAME_LEN, &d), 0);
	assert_int_equal(d.version, 2);
	assert_int_equal(d.type, STP_BPDU_RST);
	assert_int_equal(d.flags, 0x3e);
	assert_true(d.root_id == b.root_id && d.bridge_id == b.bridge_id);
	assert_int_equal(d.root_cost, 20000);
	assert_int_equal(d.port_id, 0x8003);
	assert_int_equal(d.message_age, 256);
	assert_int_equal(d.max_age, 20 * 256);
	assert_int_equal(d.hello_time, 2 * 256);
	assert_int_equal(d.forward_delay, 15 * 256);

	/* configuration: 35 octets, length 38; TCN: 4 octets, length 7 */
	b.type = STP_BPDU_CONFIG;
	b.version = 0;
	stp_bpdu_encode(&b, mac_us, buf);
	assert_int_equal(buf[13], 38);
	assert_int_equal(buf[20], 0);
	assert_int_equal(stp_bpdu_decode(buf, STP_FRAME_LEN, &d), 0);
	assert_int_equal(d.type, STP_BPDU_CONFIG);
	assert_int_equal(d.root_cost, 20000);
	b.type = STP_BPDU_TCN;
	stp_bpdu_encode(&b, mac_us, buf);
	assert_int_equal(buf[13], 7);
	assert_int_equal(buf[20], 0x80);
	assert_int_equal(stp_bpdu_decode(buf, 21, &d), 0);
	assert_int_equal(d.type, STP_BPDU_TCN);
}

/* one byte of a good frame changed, and what decoding then says */
struct mutation {
	const char *what;
	size_t off;
	uint8_t val;
	int ret;
};

static void check_mutations(const uint8_t *good, size_t len, const struct mutation *m, size_t n)
{
	uint8_t buf[STP_FRAME_LEN];
	struct stp_bpdu d;
	size_t i;

	for (i = 0; i < n; i++) {
		memcpy(buf, good, len);
		buf[m[i].off] = m[i].val;
		if (stp_bpdu_decode(buf, len, &d) != m[i].ret)
			fail_msg("%s: not %d", m[i].what, m[i].ret);
	}
}

static void bpdu_decode_rejects_malformed(void **state)
{
	static const struct mutation cfg_mut[] = {
		{ "802.3 length: 34 octets of BPDU", 13, 3 + 34, -EINVAL },
		{ "Ethernet II, not 802.3", 12, 0x08, -EINVAL },
		{ "DSAP", 14, 0xaa, -EINVAL },
		{ "SSAP", 15, 0xaa, -EINVAL },
		{ "control not UI", 16, 0x13, -EINVAL },
		{ "another destination", 5, 0x02, -EINVAL },
		{ "protocol identifier", 18, 1, -EINVAL },
		{ "unknown type", 20, 0x01, -EINVAL },
		{ "version 3 config", 19, 3, 0 },
		{ "message age = max age", 44, 20, -EINVAL },
		{ "message age > max age", 44, 21, -EINVAL },
		{ "message age < max age", 44, 19, 0 },
	};
	static const struct mutation rst_mut[] = {
		{ "802.3 length: 35 octets of BPDU", 13, 3 + 35, -EINVAL },
		{ "RST type, version 1", 19, 1, -EINVAL },
		{ "RST type, version 0", 19, 0, -EINVAL },
		{ "MSTP version: read as RST", 19, 3, 0 },
		/* RST BPDUs carry no message age check (9.3.4 c) */
		{ "message age = max age", 44, 20, 0 },
	};
	struct bpdu_spec cfg = { STP_BPDU_CONFIG, 0, 0, ID_BETTER, 0, ID_BETTER, 0x8001, 0 };
	struct bpdu_spec rst = { STP_BPDU_RST, 2, RST_DESIG, ID_BETTER, 0, ID_BETTER, 0x8001, 0 };
	uint8_t good[STP_FRAME_LEN];
	struct stp_bpdu d;
	size_t len;

	(void)state;
	len = mk(good, &cfg);
	/* truncated: a configuration BPDU needs 14 + 3 + 35 bytes */
	assert_int_equal(stp_bpdu_decode(good, 14 + 3 + 35, &d), 0);
	assert_int_equal(stp_bpdu_decode(good, 14 + 3 + 34, &d), -EINVAL);
	assert_int_equal(stp_bpdu_decode(good, 10, &d), -EINVAL);
	assert_int_equal(stp_bpdu_decode(good, 0, &d), -EINVAL);
	check_mutations(good, len, cfg_mut, sizeof(cfg_mut) / sizeof(cfg_mut[0]));
	/* RST: 36 octets and version 2 or more */
	len = mk(good, &rst);
	assert_int_equal(stp_bpdu_decode(good, 14 + 3 + 36, &d), 0);
	assert_int_equal(stp_bpdu_decode(good, 14 + 3 + 35, &d), -EINVAL);
	check_mutations(good, len, rst_mut, sizeof(rst_mut) / sizeof(rst_mut[0]));
	/* TCN: 4 octets */
	assert_int_equal(tcn_frame(good), STP_FRAME_LEN);
	assert_int_equal(stp_bpdu_decode(good, 14 + 3 + 4, &d), 0);
	assert_int_equal(stp_bpdu_decode(good, 14 + 3 + 3, &d), -EINVAL);
}

static void rx_malformed_counted_and_ignored(void **state)
{
	struct tb *t = tb_new(STP_VERSION_RSTP);
	struct bpdu_spec cfg = { STP_BPDU_CONFIG, 0, 0, ID_BETTER, 0, ID_BETTER, 0x8001, 0 };
	uint8_t buf[STP_FRAME_LEN];
	size_t len;

	(void)state;
	tb_port(t, 0, false);
	len = mk(buf, &cfg);
	assert_int_equal(stp_rx(t->stp, 0, buf, 30, t->now), -EINVAL);
	buf[16] = 0;
	assert_int_equal(stp_rx(t->stp, 0, buf, len, t->now), -EINVAL);
	assert_int_equal(pinfo(t, 0).rx_bad, 2);
	assert_int_equal(binfo(t).rx_bad, 2);
	assert_int_equal(pinfo(t, 0).rx_config, 0);
	/* nothing changed: we are still the root */
	assert_int_equal(binfo(t).designated_root, ID_US);
	assert_int_equal(stp_port_role(t->stp, 0), STP_ROLE_DESIGNATED);
	assert_int_equal(stp_rx(t->stp, 5, buf, len, t->now), -ENOENT);
	tb_free(t);
}

/* --- configuration --- */

static void config_range_checks(void **state)
{
	struct stp_config c;
	struct tb *t;

	(void)state;
	stp_config_default(&c);
	assert_int_equal(stp_config_check(&c), 0);
	assert_int_equal(c.priority, 32768);
	assert_int_equal(c.hello_time, 2);
	assert_int_equal(c.max_age, 20);
	assert_int_equal(c.forward_delay, 15);
#define BAD(field, v)                                                                              \
	do {                                                                                       \
		struct stp_config b = c;                                                           \
		b.field = v;                                                                       \
		assert_int_equal(stp_config_check(&b), -EINVAL);                                   \
	} while (0)
#define GOOD(field, v)                                                                             \
	do {                                                                                       \
		struct stp_config b = c;                                                           \
		b.field = v;                                                                       \
		assert_int_equal(stp_config_check(&b), 0);                                         \
	} while (0)
	GOOD(priority, 0);
	GOOD(priority, 61440);
	BAD(priority, 4095);
	BAD(priority, 65535);
	GOOD(force_version, 0);
	BAD(force_version, 1);
	BAD(force_version, 3);
	GOOD(hello_time, 1);
	BAD(hello_time, 0);
	BAD(hello_time, 3);
	BAD(max_age, 5);
	BAD(max_age, 41);
	BAD(forward_delay, 3);
	BAD(forward_delay, 31);
	BAD(tx_hold_count, 0);
	BAD(tx_hold_count, 11);
	/* 2 * (forward_delay - 1) >= max_age */
	c.forward_delay = 11;
	BAD(max_age, 21);
	GOOD(max_age, 20);
	/* max_age >= 2 * (hello_time + 1) */
	c.forward_delay = 15;
	c.max_age = 6;
	BAD(hello_time, 3);
	GOOD(hello_time, 2);
	c.max_age = 40;
	BAD(forward_delay, 20);
	GOOD(forward_delay, 21);
#undef BAD
#undef GOOD
	stp_config_default(&c);
	c.priority = 100;
	assert_null(stp_new(&c, mac_us, NULL, NULL));

	t = tb_new(STP_VERSION_RSTP);
	tb_port(t, 0, false);
	assert_int_equal(stp_set_config(t->stp, &c, t->now), -EINVAL);
	assert_int_equal(stp_port_set_priority(t->stp, 0, 8, t->now), -EINVAL);
	assert_int_equal(stp_port_set_priority(t->stp, 0, 256, t->now), -EINVAL);
	assert_int_equal(stp_port_set_priority(t->stp, 0, 240, t->now), 0);
	assert_int_equal(pinfo(t, 0).port_id, 0xf001);
	assert_int_equal(stp_port_set_priority(t->stp, 1, 16, t->now), -ENOENT);
	assert_int_equal(stp_port_set_path_cost(t->stp, 0, 200000001, t->now), -EINVAL);
	assert_int_equal(stp_port_set_path_cost(t->stp, 0, 7, t->now), 0);
	assert_int_equal(pinfo(t, 0).path_cost, 7);
	assert_false(pinfo(t, 0).path_cost_auto);
	assert_int_equal(stp_port_set_path_cost(t->stp, 0, 0, t->now), 0);
	assert_int_equal(pinfo(t, 0).path_cost, 20000);
	assert_int_equal(stp_port_add(t->stp, 0, 10, true, false, t->now), -EEXIST);
	assert_int_equal(stp_port_add(t->stp, STP_PORTS_MAX, 10, true, false, t->now), -EINVAL);
	assert_int_equal(stp_port_del(t->stp, 3, t->now), -ENOENT);
	stp_config_default(&c);
	c.priority = 4096;
	assert_int_equal(stp_set_config(t->stp, &c, t->now), 0);
	assert_int_equal(binfo(t).bridge_id, ID(4096, 0x0a));
	tb_free(t);
}

static void path_cost_table(void **state)
{
	(void)state;
	assert_int_equal(stp_path_cost(0), 2000000);
	assert_int_equal(stp_path_cost(1), 20000000);
	assert_int_equal(stp_path_cost(10), 2000000);
	assert_int_equal(stp_path_cost(100), 200000);
	assert_int_equal(stp_path_cost(1000), 20000);
	assert_int_equal(stp_path_cost(10000), 2000);
	assert_int_equal(stp_path_cost(25000), 800);
	assert_int_equal(stp_path_cost(100000), 200);
	assert_int_equal(stp_path_cost(1000000), 20);
	assert_int_equal(stp_path_cost(4000000000u), 1);
}

/* --- one bridge, crafted BPDUs --- */

static void alone_is_root_and_designated(void **state)
{
	struct tb *t = tb_new(STP_VERSION_RSTP);
	struct stp_bridge_info bi;
	struct stp_bpdu b;

	(void)state;
	assert_int_equal(stp_port_add(t->stp, 0, 1000, true, false, t->now), 0);
	/* reported at once: link down */
	assert_int_equal(t->rec.n_states[0], 1);
	assert_int_equal(t->rec.state[0], BR_STATE_DISABLED);
	assert_int_equal(stp_port_set_link(t->stp, 0, true, t->now), 0);
	assert_int_equal(t->rec.state[0], BR_STATE_BLOCKING);
	bi = binfo(t);
	assert_int_equal(bi.bridge_id, ID_US);
	assert_int_equal(bi.designated_root, ID_US);
	assert_int_equal(bi.root_port, -1);
	assert_int_equal(bi.root_path_cost, 0);
	assert_int_equal(stp_port_role(t->stp, 0), STP_ROLE_DESIGNATED);
	/* it proposes at once */
	assert_true(last_sent(&t->rec, 0, &b));
	assert_int_equal(b.type, STP_BPDU_RST);
	assert_int_equal(b.version, 2);
	assert_int_equal(b.root_id, ID_US);
	assert_int_equal(b.bridge_id, ID_US);
	assert_int_equal(b.port_id, PID(0));
	assert_int_equal(b.flags & STP_FLAG_ROLE_MASK, RST_DESIG);
	assert_true(b.flags & STP_FLAG_PROPOSAL);
	assert_int_equal(b.hello_time, 2 * 256);
	/* hello: one BPDU every 2 s */
	rec_clear(&t->rec);
	tb_wait(t, 10 * SEC);
	assert_true(count_sent(&t->rec, 0) >= 4 && count_sent(&t->rec, 0) <= 6);
	tb_free(t);
}

static void better_bpdu_makes_root_port(void **state)
{
	struct tb *t = tb_new(STP_VERSION_RSTP);
	struct stp_bridge_info bi;
	struct stp_bpdu b;

	(void)state;
	tb_port(t, 0, false);
	tb_port(t, 1, false);
	rec_clear(&t->rec);
	assert_int_equal(rx_rst(t, 0, RST_DESIG | STP_FLAG_PROPOSAL, ID_BETTER, 100, ID_BETTER,
				0x8005),
			 0);
	bi = binfo(t);
	assert_int_equal(bi.designated_root, ID_BETTER);
	assert_int_equal(bi.root_path_cost, 100 + 20000);
	assert_int_equal(bi.root_port, 0);
	assert_int_equal(stp_port_role(t->stp, 0), STP_ROLE_ROOT);
	assert_int_equal(stp_port_role(t->stp, 1), STP_ROLE_DESIGNATED);
	/* a root port with no recent root forwards at once */
	assert_int_equal(t->rec.state[0], BR_STATE_FORWARDING);
	/* and agrees to the proposal: port 1 is discarding, so synced */
	assert_true(last_sent(&t->rec, 0, &b));
	assert_int_equal(b.flags & STP_FLAG_ROLE_MASK, RST_ROOT);
	assert_true(b.flags & STP_FLAG_AGREEMENT);
	assert_int_equal(b.root_id, ID_BETTER);
	assert_int_equal(b.root_cost, 20100);
	/* port 1 proposes the new root downstream */
	assert_true(last_sent(&t->rec, 1, &b));
	assert_int_equal(b.root_id, ID_BETTER);
	assert_int_equal(b.root_cost, 20100);
	assert_int_equal(b.message_age, 256);
	assert_true(b.flags & STP_FLAG_PROPOSAL);
	assert_int_equal(pinfo(t, 0).designated_bridge, ID_BETTER);
	assert_int_equal(pinfo(t, 0).designated_port, 0x8005);
	assert_int_equal(pinfo(t, 0).rx_rst, 1);
	tb_free(t);
}

/* root guard (restrictedRole): six priority-0 BPDUs on a guarded port never make it root */
static void root_guard_blocks_superior_root(void **state)
{
	struct tb *t = tb_new(STP_VERSION_RSTP);
	struct stp_bridge_info bi;

	(void)state;
	tb_port(t, 0, false);
	tb_port(t, 1, true);
	assert_int_equal(stp_port_set_root_guard(t->stp, 1, true, t->now), 0);
	assert_int_equal(stp_port_set_root_guard(t->stp, 7, true, t->now), -ENOENT);
	for (int i = 0; i < 6; i++) {
		assert_int_equal(rx_rst(t, 1, RST_DESIG | STP_FLAG_PROPOSAL, ID_BETTER, 0,
					ID_BETTER, 0x8001),
				 0);
		tb_wait(t, SEC);
	}
	bi = binfo(t);
	assert_int_equal(bi.root_port, -1);
	assert_int_equal(bi.bridge_id, bi.designated_root);
	assert_int_equal(stp_port_role(t->stp, 1), STP_ROLE_ALTERNATE);
	assert_int_equal(t->rec.state[1], BR_STATE_BLOCKING);
	assert_true(pinfo(t, 1).root_guard);
	assert_true(pinfo(t, 1).root_blocked);
	/* the honest port stays designated and forwarding */
	assert_int_equal(stp_port_role(t->stp, 0), STP_ROLE_DESIGNATED);
	/* once the information ages out the port is designated again */
	tb_wait(t, 10 * SEC);
	assert_int_equal(stp_port_role(t->stp, 1), STP_ROLE_DESIGNATED);
	assert_false(pinfo(t, 1).root_blocked);
	/* without the guard the same BPDU makes port 1 the root port */
	assert_int_equal(stp_port_set_root_guard(t->stp, 1, false, t->now), 0);
	assert_int_equal(rx_rst(t, 1, RST_DESIG, ID_BETTER, 0, ID_BETTER, 0x8001), 0);
	assert_int_equal(binfo(t).root_port, 1);
	tb_free(t);
}

static void alternate_and_backup_roles(void **state)
{
	struct tb *t = tb_new(STP_VERSION_RSTP);
	struct stp_bpdu b;
	unsigned int i;

	(void)state;
	tb_port(t, 0, false);
	tb_port(t, 1, false);
	/* the same designated bridge on both ports: the better port id wins, the other is alternate */
	assert_int_equal(rx_rst(t, 1, RST_DESIG, ID_BETTER, 0, ID_BETTER, 0x8002), 0);
	assert_int_equal(stp_port_role(t->stp, 1), STP_ROLE_ROOT);
	assert_int_equal(t->rec.state[1], BR_STATE_FORWARDING);
	rec_clear(&t->rec);
	assert_int_equal(rx_rst(t, 0, RST_DESIG, ID_BETTER, 0, ID_BETTER, 0x8001), 0);
	assert_int_equal(stp_port_role(t->stp, 0), STP_ROLE_ROOT);
	assert_int_equal(stp_port_role(t->stp, 1), STP_ROLE_ALTERNATE);
	assert_int_equal(t->rec.state[1], BR_STATE_BLOCKING);
	/* a port that stops forwarding forgets what it learned */
	assert_int_equal(t->rec.n_flush[1], 1);
	assert_int_equal(t->rec.flush_ageing[1], 0);
	/* the alternate's BPDUs say so, from the port's own MAC once it has one */
	assert_int_equal(stp_port_set_mac(t->stp, 1, (const uint8_t[6]){ 2, 0, 0, 0, 1, 1 }), 0);
	rec_clear(&t->rec);
	tb_wait(t, 3 * SEC);
	assert_int_equal(count_sent(&t->rec, 1), 0); /* only designated ports send hellos */
	assert_int_equal(rx_rst(t, 1, RST_DESIG | STP_FLAG_PROPOSAL, ID_BETTER, 0, ID_BETTER,
				0x8002),
			 0);
	assert_true(last_sent(&t->rec, 1, &b));
	assert_int_equal(b.flags & STP_FLAG_ROLE_MASK,
			 STP_BPDU_ROLE_ALT_BACKUP << STP_FLAG_ROLE_SHIFT);
	assert_true(b.flags & STP_FLAG_AGREEMENT);
	assert_false(b.flags & (STP_FLAG_FORWARDING | STP_FLAG_LEARNING));
	for (i = t->rec.n_sent; i-- > 0;)
		if (t->rec.sent[i].port == 1)
			break;
	assert_memory_equal(t->rec.sent[i].frame + 6, ((const uint8_t[6]){ 2, 0, 0, 0, 1, 1 }), 6);
	assert_int_equal(binfo(t).root_port, 0);
	tb_free(t);

	/* backup: our own two ports on one LAN; the one with the higher port id backs up */
	t = tb_new(STP_VERSION_RSTP);
	tb_port(t, 0, false);
	tb_port(t, 1, false);
	assert_true(last_sent(&t->rec, 0, &b));
	for (i = t->rec.n_sent; i-- > 0;)
		if (t->rec.sent[i].port == 0)
			break;
	assert_int_equal(stp_rx(t->stp, 1, t->rec.sent[i].frame, t->rec.sent[i].len, t->now), 0);
	assert_int_equal(stp_port_role(t->stp, 1), STP_ROLE_BACKUP);
	assert_int_equal(stp_port_role(t->stp, 0), STP_ROLE_DESIGNATED);
	assert_int_equal(t->rec.state[1], BR_STATE_BLOCKING);
	assert_int_equal(binfo(t).root_port, -1);
	/* a port hearing its own configuration BPDU ignores it */
	assert_int_equal(rx_config(t, 0, 0, ID_US, 0, ID_US, PID(0)), 0);
	assert_int_equal(pinfo(t, 0).rx_config, 0);
	tb_free(t);
}

static void rstp_proposal_agreement_forwards_at_once(void **state)
{
	struct tb *t = tb_new(STP_VERSION_RSTP);

	(void)state;
	tb_port(t, 0, false);
	assert_int_equal(t->rec.state[0], BR_STATE_BLOCKING);
	assert_true(pinfo(t, 0).proposing);
	/* the peer's root port agrees: its vector is worse (it is our child) */
	assert_int_equal(rx_rst(t, 0, RST_ROOT | STP_FLAG_AGREEMENT, ID_US, 20000, ID_WORSE,
				0x8001),
			 0);
	assert_int_equal(t->rec.state[0], BR_STATE_FORWARDING);
	assert_true(pinfo(t, 0).agreed);
	tb_free(t);

	/* not point-to-point: an agreement means nothing, forward delay applies */
	t = tb_new(STP_VERSION_RSTP);
	assert_int_equal(stp_port_add(t->stp, 0, 1000, false, false, t->now), 0);
	assert_int_equal(stp_port_set_edge(t->stp, 0, false, false, t->now), 0);
	assert_int_equal(stp_port_set_link(t->stp, 0, true, t->now), 0);
	assert_int_equal(rx_rst(t, 0, RST_ROOT | STP_FLAG_AGREEMENT, ID_US, 20000, ID_WORSE,
				0x8001),
			 0);
	assert_int_equal(t->rec.state[0], BR_STATE_BLOCKING);
	tb_free(t);
}

static void rstp_designated_without_agreement_waits(void **state)
{
	struct tb *t = tb_new(STP_VERSION_RSTP);

	(void)state;
	assert_int_equal(stp_port_add(t->stp, 0, 1000, true, false, t->now), 0);
	assert_int_equal(stp_port_set_edge(t->stp, 0, false, false, t->now), 0);
	assert_int_equal(stp_port_set_link(t->stp, 0, true, t->now), 0);
	/* from disabled, fdWhile starts at max age; then learning for forwardDelay (hello) */
	tb_wait(t, 19 * SEC);
	assert_int_equal(t->rec.state[0], BR_STATE_BLOCKING);
	tb_wait(t, 2 * SEC);
	assert_int_equal(t->rec.state[0], BR_STATE_LEARNING);
	tb_wait(t, 2 * SEC);
	assert_int_equal(t->rec.state[0], BR_STATE_FORWARDING);
	tb_free(t);
}

static void legacy_stp_timers(void **state)
{
	struct tb *t = tb_new(STP_VERSION_STP);
	struct stp_bpdu b;
	uint64_t i;

	(void)state;
	tb_port(t, 0, false);
	tb_port(t, 1, false);
	/* STP talks configuration BPDUs, version 0 */
	assert_true(last_sent(&t->rec, 0, &b));
	assert_int_equal(b.type, STP_BPDU_CONFIG);
	assert_int_equal(b.version, 0);
	assert_false(pinfo(t, 0).send_rstp);
	/* port 0 hears the root, port 1 the same root through a worse path: alternate */
	assert_int_equal(rx_config(t, 0, 0, ID_BETTER, 0, ID_BETTER, 0x8001), 0);
	assert_int_equal(rx_config(t, 1, 0, ID_BETTER, 10, ID(4096, 0x02), 0x8001), 0);
	assert_int_equal(stp_port_role(t->stp, 0), STP_ROLE_ROOT);
	assert_int_equal(stp_port_role(t->stp, 1), STP_ROLE_ALTERNATE);
	assert_int_equal(t->rec.state[1], BR_STATE_BLOCKING);
	/* wait until port 0 forwards (from disabled: max age, then forward delay) */
	for (i = 0; i < 60 && t->rec.state[0] != BR_STATE_FORWARDING; i++) {
		rx_config(t, 0, 0, ID_BETTER, 0, ID_BETTER, 0x8001);
		rx_config(t, 1, 0, ID_BETTER, 10, ID(4096, 0x02), 0x8001);
		tb_wait(t, SEC);
	}
	assert_int_equal(t->rec.state[0], BR_STATE_FORWARDING);
	assert_int_equal(t->rec.state[1], BR_STATE_BLOCKING);
	/* the root port's link fails: the alternate becomes root port and goes
	 * listening, learning after forward delay, forwarding after twice that */
	assert_int_equal(stp_port_set_link(t->stp, 0, false, t->now), 0);
	assert_int_equal(t->rec.state[0], BR_STATE_DISABLED);
	assert_int_equal(stp_port_role(t->stp, 1), STP_ROLE_ROOT);
	assert_int_equal(t->rec.state[1], BR_STATE_LISTENING);
	for (i = 0; i < 14; i++) {
		rx_config(t, 1, 0, ID_BETTER, 10, ID(4096, 0x02), 0x8001);
		tb_wait(t, SEC);
	}
	assert_int_equal(t->rec.state[1], BR_STATE_LISTENING);
	for (i = 0; i < 2; i++) {
		rx_config(t, 1, 0, ID_BETTER, 10, ID(4096, 0x02), 0x8001);
		tb_wait(t, SEC);
	}
	assert_int_equal(t->rec.state[1], BR_STATE_LEARNING);
	for (i = 0; i < 13; i++) {
		rx_config(t, 1, 0, ID_BETTER, 10, ID(4096, 0x02), 0x8001);
		tb_wait(t, SEC);
	}
	assert_int_equal(t->rec.state[1], BR_STATE_LEARNING);
	for (i = 0; i < 2; i++) {
		rx_config(t, 1, 0, ID_BETTER, 10, ID(4096, 0x02), 0x8001);
		tb_wait(t, SEC);
	}
	assert_int_equal(t->rec.state[1], BR_STATE_FORWARDING);
	tb_free(t);
}

static void received_info_expires(void **state)
{
	struct tb *t = tb_new(STP_VERSION_RSTP);
	uint8_t buf[STP_FRAME_LEN];
	struct bpdu_spec s = { STP_BPDU_RST, 2, RST_DESIG, ID_BETTER, 0, ID_BETTER, 0x8001, 0 };
	size_t len;

	(void)state;
	tb_port(t, 0, false);
	assert_int_equal(rx_rst(t, 0, RST_DESIG, ID_BETTER, 0, ID_BETTER, 0x8001), 0);
	assert_int_equal(binfo(t).root_port, 0);
	assert_int_equal(pinfo(t, 0).rcvd_info_while, 6);
	/* refreshed while it keeps coming */
	tb_wait(t, 5 * SEC);
	assert_int_equal(rx_rst(t, 0, RST_DESIG, ID_BETTER, 0, ID_BETTER, 0x8001), 0);
	tb_wait(t, 5 * SEC);
	assert_int_equal(binfo(t).root_port, 0);
	/* three hellos without it: aged, we are root again */
	tb_wait(t, 2 * SEC);
	assert_int_equal(binfo(t).root_port, -1);
	assert_int_equal(binfo(t).designated_root, ID_US);
	assert_int_equal(stp_port_role(t->stp, 0), STP_ROLE_DESIGNATED);

	/* information that arrives as old as max age (after rounding) ages at once */
	s.age = 20 * 256 - 100;
	len = mk(buf, &s);
	assert_int_equal(stp_rx(t->stp, 0, buf, len, t->now), 0);
	assert_int_equal(binfo(t).root_port, -1);
	s.age = 18 * 256;
	len = mk(buf, &s);
	assert_int_equal(stp_rx(t->stp, 0, buf, len, t->now), 0);
	assert_int_equal(binfo(t).root_port, 0);
	assert_int_equal(pinfo(t, 0).message_age, 18);
	tb_free(t);
}

static void tc_detected_propagated_and_flushed(void **state)
{
	struct tb *t = tb_new(STP_VERSION_RSTP);
	struct stp_bpdu b;

	(void)state;
	tb_port(t, 0, false);
	tb_port(t, 1, false);
	tb_port(t, 2, true); /* an edge port: never a topology change */
	assert_int_equal(t->rec.state[2], BR_STATE_FORWARDING);
	assert_int_equal(binfo(t).tc_count, 0);
	/* port 0 agrees: it forwards, a topology change */
	rec_clear(&t->rec);
	assert_int_equal(rx_rst(t, 0, RST_ROOT | STP_FLAG_AGREEMENT, ID_US, 20000, ID_WORSE,
				0x8001),
			 0);
	assert_int_equal(t->rec.state[0], BR_STATE_FORWARDING);
	assert_int_equal(binfo(t).tc_count, 1);
	assert_true(binfo(t).topology_change);
	assert_int_equal(binfo(t).tc_last_ns, t->now);
	/* RSTP: tcWhile = hello + 1, the TC flag goes out on port 0 at once */
	assert_int_equal(pinfo(t, 0).tc_while, 3);
	assert_true(last_sent(&t->rec, 0, &b));
	assert_true(b.flags & STP_FLAG_TC);
	/* nothing else to flush: port 1 does not forward, port 2 is an edge */
	assert_int_equal(t->rec.n_flush[0], 0);
	assert_int_equal(t->rec.n_flush[1], 0);
	assert_int_equal(t->rec.n_flush[2], 0);
	tb_wait(t, 4 * SEC);
	assert_false(binfo(t).topology_change);
	/* port 1 forwards: port 0 flushes at once (RSTP), port 1 and the edge do not */
	rec_clear(&t->rec);
	assert_int_equal(rx_rst(t, 1, RST_ROOT | STP_FLAG_AGREEMENT, ID_US, 20000, ID_WORSE,
				0x8002),
			 0);
	assert_int_equal(t->rec.state[1], BR_STATE_FORWARDING);
	assert_int_equal(binfo(t).tc_count, 2);
	assert_int_equal(t->rec.n_flush[0], 1);
	assert_int_equal(t->rec.flush_ageing[0], 0);
	assert_int_equal(t->rec.n_flush[1], 0);
	assert_int_equal(t->rec.n_flush[2], 0);
	assert_true(last_sent(&t->rec, 0, &b));
	assert_true(b.flags & STP_FLAG_TC);
	tb_wait(t, 4 * SEC);
	assert_false(binfo(t).topology_change);

	/* a TC flag received on the root port propagates to the others */
	rec_clear(&t->rec);
	assert_int_equal(rx_rst(t, 1, RST_DESIG | STP_FLAG_TC, ID_BETTER, 0, ID_BETTER, 0x8001), 0);
	assert_int_equal(stp_port_role(t->stp, 1), STP_ROLE_ROOT);
	tb_wait(t, 3 * SEC);
	rec_clear(&t->rec);
	assert_int_equal(rx_rst(t, 1, RST_DESIG | STP_FLAG_TC, ID_BETTER, 0, ID_BETTER, 0x8001), 0);
	assert_int_equal(t->rec.n_flush[1], 0);
	assert_int_equal(t->rec.n_flush[0], 1);
	assert_true(pinfo(t, 0).tc_while > 0);
	assert_true(last_sent(&t->rec, 0, &b));
	assert_true(b.flags & STP_FLAG_TC);
	/* two more: the first TC flag, and this one after the first had run out */
	assert_int_equal(binfo(t).tc_count, 4);
	tb_free(t);
}

static void legacy_tcn_acknowledged_and_short_ageing(void **state)
{
	struct tb *t = tb_new(STP_VERSION_STP);
	struct stp_bpdu b;
	unsigned int i;

	(void)state;
	tb_port(t, 0, false);
	tb_port(t, 1, false);
	for (i = 0; i < 40; i++)
		tb_wait(t, SEC);
	assert_int_equal(t->rec.state[0], BR_STATE_FORWARDING);
	assert_int_equal(t->rec.state[1], BR_STATE_FORWARDING);
	tb_wait(t, 40 * SEC); /* let the topology change of their forwarding pass */
	assert_false(binfo(t).topology_change);
	/* a TCN on designated port 1: acknowledged in the next config BPDU, TC on all ports */
	rec_clear(&t->rec);
	assert_int_equal(rx_tcn(t, 1), 0);
	assert_int_equal(pinfo(t, 1).rx_tcn, 1);
	assert_true(pinfo(t, 1).topology_change_ack);
	assert_int_equal(t->rec.n_flush[0], 1);
	assert_int_equal(t->rec.flush_ageing[0], 15);
	tb_wait(t, 2 * SEC);
	assert_true(last_sent(&t->rec, 1, &b));
	assert_true(b.flags & STP_FLAG_TC_ACK);
	assert_true(b.flags & STP_FLAG_TC);
	assert_true(last_sent(&t->rec, 0, &b));
	assert_true(b.flags & STP_FLAG_TC);
	assert_false(b.flags & STP_FLAG_TC_ACK);
	/* legacy: the TC flag stays for max age + forward delay */
	assert_int_equal(pinfo(t, 0).tc_while, 35 - 2);
	tb_free(t);
}

static void legacy_root_port_sends_tcn(void **state)
{
	struct tb *t = tb_new(STP_VERSION_STP);
	struct stp_bpdu b;
	unsigned int i;

	(void)state;
	tb_port(t, 0, false);
	tb_port(t, 1, false);
	for (i = 0; i < 40; i++) {
		rx_config(t, 0, 0, ID_BETTER, 0, ID_BETTER, 0x8001);
		tb_wait(t, SEC);
	}
	assert_int_equal(stp_port_role(t->stp, 0), STP_ROLE_ROOT);
	assert_int_equal(t->rec.state[0], BR_STATE_FORWARDING);
	for (i = 0; i < 40; i++) {
		rx_config(t, 0, STP_FLAG_TC_ACK, ID_BETTER, 0, ID_BETTER, 0x8001);
		tb_wait(t, SEC);
	}
	assert_false(binfo(t).topology_change);
	/* a TCN from downstream goes up the root port as a TCN until acknowledged */
	rec_clear(&t->rec);
	assert_int_equal(rx_tcn(t, 1), 0);
	tb_wait(t, 2 * SEC);
	assert_true(last_sent(&t->rec, 0, &b));
	assert_int_equal(b.type, STP_BPDU_TCN);
	assert_int_equal(rx_config(t, 0, STP_FLAG_TC_ACK, ID_BETTER, 0, ID_BETTER, 0x8001), 0);
	assert_int_equal(pinfo(t, 0).tc_while, 0);
	rec_clear(&t->rec);
	tb_wait(t, 5 * SEC);
	assert_int_equal(count_sent(&t->rec, 0), 0);
	tb_free(t);
}

static void edge_port_bpdu_turns_edge_off(void **state)
{
	struct tb *t = tb_new(STP_VERSION_RSTP);

	(void)state;
	tb_port(t, 0, true);
	assert_int_equal(t->rec.state[0], BR_STATE_FORWARDING);
	assert_true(pinfo(t, 0).oper_edge);
	assert_int_equal(binfo(t).tc_count, 0);
	/* a bridge appears behind it: no longer an edge */
	assert_int_equal(rx_rst(t, 0, RST_DESIG, ID_WORSE, 0, ID_WORSE, 0x8001), 0);
	assert_false(pinfo(t, 0).oper_edge);
	assert_true(pinfo(t, 0).admin_edge);
	/* a better bridge: the port becomes root port */
	assert_int_equal(rx_rst(t, 0, RST_DESIG, ID_BETTER, 0, ID_BETTER, 0x8001), 0);
	assert_int_equal(stp_port_role(t->stp, 0), STP_ROLE_ROOT);
	/* the link goes down and up: admin edge again */
	assert_int_equal(stp_port_set_link(t->stp, 0, false, t->now), 0);
	assert_int_equal(stp_port_set_link(t->stp, 0, true, t->now), 0);
	assert_true(pinfo(t, 0).oper_edge);
	assert_int_equal(t->rec.state[0], BR_STATE_FORWARDING);
	tb_free(t);
}

static void auto_edge_after_silence(void **state)
{
	struct tb *t = tb_new(STP_VERSION_RSTP);

	(void)state;
	tb_port(t, 0, false);
	assert_false(pinfo(t, 0).oper_edge);
	assert_int_equal(t->rec.state[0], BR_STATE_BLOCKING);
	tb_wait(t, 2 * SEC);
	assert_int_equal(t->rec.state[0], BR_STATE_BLOCKING);
	tb_wait(t, 2 * SEC);
	assert_true(pinfo(t, 0).oper_edge);
	assert_int_equal(t->rec.state[0], BR_STATE_FORWARDING);
	/* auto edge off: it stays blocking */
	assert_int_equal(stp_port_add(t->stp, 1, 1000, true, false, t->now), 0);
	assert_int_equal(stp_port_set_edge(t->stp, 1, false, false, t->now), 0);
	assert_int_equal(stp_port_set_link(t->stp, 1, true, t->now), 0);
	tb_wait(t, 5 * SEC);
	assert_false(pinfo(t, 1).oper_edge);
	assert_int_equal(t->rec.state[1], BR_STATE_BLOCKING);
	tb_free(t);
}

/* add port @port, p2p and 1 Gb/s, with edge setting @edge, and bring its link up */
static void tb_port_edge(struct tb *t, uint16_t port, enum stp_edge edge)
{
	assert_int_equal(stp_port_add(t->stp, port, 1000, true, false, t->now), 0);
	assert_int_equal(stp_port_set_edge_mode(t->stp, port, edge, t->now), 0);
	assert_int_equal(stp_port_set_link(t->stp, port, true, t->now), 0);
}

static void edge_auto_forwards_after_edge_delay(void **state)
{
	struct tb *t = tb_new(STP_VERSION_RSTP);
	struct stp_config c;
	uint64_t t0, waited;

	(void)state;
	stp_get_config(t->stp, &c);
	tb_port_edge(t, 0, STP_EDGE_AUTO);
	t0 = t->now;
	assert_false(pinfo(t, 0).admin_edge);
	assert_true(pinfo(t, 0).auto_edge);
	assert_false(pinfo(t, 0).oper_edge);
	assert_true(pinfo(t, 0).proposing);
	assert_int_equal(t->rec.state[0], BR_STATE_BLOCKING);
	while (t->rec.state[0] != BR_STATE_FORWARDING && t->now - t0 < 60 * SEC)
		tb_wait(t, 100 * MS);
	waited = t->now - t0;
	assert_true(pinfo(t, 0).oper_edge);
	assert_int_equal(t->rec.state[0], BR_STATE_FORWARDING);
	/* after the edge delay (migrate time on a point-to-point link), counted in whole ticks */
	assert_true(waited > (STP_MIGRATE_TIME - 1) * SEC);
	assert_true(waited <= (STP_MIGRATE_TIME + 1) * SEC);
	/* not twice the forward delay, nor max age and the forward delay from disabled */
	assert_true(waited < 2 * c.forward_delay * SEC);
	/* an edge port that starts to forward is no topology change */
	assert_int_equal(binfo(t).tc_count, 0);
	tb_free(t);
}

static void edge_auto_bpdu_ends_edge(void **state)
{
	struct tb *t = tb_new(STP_VERSION_RSTP);
	unsigned int i;

	(void)state;
	/* auto is what a new port gets */
	tb_port(t, 0, false);
	tb_wait(t, (STP_MIGRATE_TIME + 1) * SEC);
	assert_true(pinfo(t, 0).oper_edge);
	assert_int_equal(t->rec.state[0], BR_STATE_FORWARDING);
	/* a bridge appears behind it (a worse one: the port stays designated) */
	assert_int_equal(rx_rst(t, 0, RST_DESIG, ID_WORSE, 0, ID_WORSE, 0x8001), 0);
	assert_false(pinfo(t, 0).oper_edge);
	assert_true(pinfo(t, 0).auto_edge);
	assert_false(pinfo(t, 0).admin_edge);
	assert_int_equal(stp_port_role(t->stp, 0), STP_ROLE_DESIGNATED);
	/* a forwarding port that is no longer an edge is a topology change */
	assert_int_equal(binfo(t).tc_count, 1);
	/* while that bridge talks, the port stays a non-edge port */
	for (i = 0; i < 3 * STP_MIGRATE_TIME; i++) {
		tb_wait(t, SEC);
		assert_int_equal(rx_rst(t, 0, RST_DESIG, ID_WORSE, 0, ID_WORSE, 0x8001), 0);
		assert_false(pinfo(t, 0).oper_edge);
	}
	/* a better one: the port becomes its root port, still not an edge */
	assert_int_equal(rx_rst(t, 0, RST_DESIG, ID_BETTER, 0, ID_BETTER, 0x8001), 0);
	assert_int_equal(stp_port_role(t->stp, 0), STP_ROLE_ROOT);
	assert_false(pinfo(t, 0).oper_edge);
	tb_free(t);
}

static void edge_off_never_edge(void **state)
{
	struct tb *t = tb_new(STP_VERSION_RSTP);
	unsigned int i;

	(void)state;
	tb_port_edge(t, 0, STP_EDGE_OFF);
	assert_false(pinfo(t, 0).admin_edge);
	assert_false(pinfo(t, 0).auto_edge);
	/* no BPDU for 30 s: never an edge; it forwards by the timers alone (max age from
	 * disabled, then learning for forwardDelay, as rstp_designated_without_agreement_waits) */
	for (i = 1; i <= 30; i++) {
		tb_wait(t, SEC);
		assert_false(pinfo(t, 0).oper_edge);
		if (i < 19)
			assert_int_equal(t->rec.state[0], BR_STATE_BLOCKING);
	}
	assert_int_equal(t->rec.state[0], BR_STATE_FORWARDING);
	/* a port that auto edge found an edge stops being one when set off */
	tb_port(t, 1, false);
	tb_wait(t, (STP_MIGRATE_TIME + 1) * SEC);
	assert_true(pinfo(t, 1).oper_edge);
	assert_int_equal(stp_port_set_edge_mode(t->stp, 1, STP_EDGE_OFF, t->now), 0);
	assert_false(pinfo(t, 1).oper_edge);
	/* nor does its link coming back up make it one */
	assert_int_equal(stp_port_set_link(t->stp, 1, false, t->now), 0);
	assert_int_equal(stp_port_set_link(t->stp, 1, true, t->now), 0);
	tb_wait(t, 3 * STP_MIGRATE_TIME * SEC);
	assert_false(pinfo(t, 1).oper_edge);
	assert_int_equal(t->rec.state[1], BR_STATE_BLOCKING);
	tb_free(t);
}

static void edge_on_forwards_at_once(void **state)
{
	struct tb *t = tb_new(STP_VERSION_RSTP);

	(void)state;
	tb_port_edge(t, 0, STP_EDGE_ON);
	assert_int_equal(t->rec.state[0], BR_STATE_FORWARDING);
	assert_true(pinfo(t, 0).admin_edge);
	assert_true(pinfo(t, 0).auto_edge);
	assert_true(pinfo(t, 0).oper_edge);
	/* a port set on later forwards at once too; neither is a topology change */
	tb_port(t, 1, false);
	assert_int_equal(t->rec.state[1], BR_STATE_BLOCKING);
	assert_int_equal(stp_port_set_edge_mode(t->stp, 1, STP_EDGE_ON, t->now), 0);
	assert_int_equal(t->rec.state[1], BR_STATE_FORWARDING);
	assert_true(pinfo(t, 1).oper_edge);
	assert_int_equal(binfo(t).tc_count, 0);
	/* a BPDU ends the edge until the link goes down and up, as before */
	assert_int_equal(rx_rst(t, 0, RST_DESIG, ID_WORSE, 0, ID_WORSE, 0x8001), 0);
	assert_false(pinfo(t, 0).oper_edge);
	assert_int_equal(stp_port_set_link(t->stp, 0, false, t->now), 0);
	assert_int_equal(stp_port_set_link(t->stp, 0, true, t->now), 0);
	assert_true(pinfo(t, 0).oper_edge);
	assert_int_equal(t->rec.state[0], BR_STATE_FORWARDING);
	/* what is refused */
	assert_int_equal(stp_port_set_edge_mode(t->stp, 0, (enum stp_edge)3, t->now), -EINVAL);
	assert_int_equal(stp_port_set_edge_mode(t->stp, 5, STP_EDGE_ON, t->now), -ENOENT);
	assert_true(pinfo(t, 0).admin_edge);
	tb_free(t);
}

static void version_fallback_and_mcheck(void **state)
{
	struct tb *t = tb_new(STP_VERSION_RSTP);
	struct stp_bpdu b;

	(void)state;
	tb_port(t, 0, false);
	assert_true(pinfo(t, 0).send_rstp);
	/* wait out the migration delay: then a legacy neighbour is heard */
	tb_wait(t, 3 * SEC);
	assert_int_equal(rx_config(t, 0, 0, ID_WORSE, 0, ID_WORSE, 0x8001), 0);
	assert_false(pinfo(t, 0).send_rstp);
	rec_clear(&t->rec);
	tb_wait(t, 2 * SEC);
	assert_true(last_sent(&t->rec, 0, &b));
	assert_int_equal(b.type, STP_BPDU_CONFIG);
	assert_int_equal(b.version, 0);
	/* while the neighbour is legacy, discarding non-edge designated is listening */
	assert_int_equal(stp_port_role(t->stp, 0), STP_ROLE_DESIGNATED);
	/* it stays STP while the neighbour talks STP */
	tb_wait(t, 10 * SEC);
	assert_int_equal(rx_config(t, 0, 0, ID_WORSE, 0, ID_WORSE, 0x8001), 0);
	assert_false(pinfo(t, 0).send_rstp);
	/* mcheck: try RSTP again */
	assert_int_equal(stp_port_mcheck(t->stp, 0, t->now), 0);
	assert_true(pinfo(t, 0).send_rstp);
	rec_clear(&t->rec);
	tb_wait(t, 2 * SEC);
	assert_true(last_sent(&t->rec, 0, &b));
	assert_int_equal(b.type, STP_BPDU_RST);
	tb_free(t);

	/* the link going down and up also tries RSTP again */
	t = tb_new(STP_VERSION_RSTP);
	tb_port(t, 0, false);
	tb_wait(t, 3 * SEC);
	assert_int_equal(rx_config(t, 0, 0, ID_WORSE, 0, ID_WORSE, 0x8001), 0);
	assert_false(pinfo(t, 0).send_rstp);
	assert_int_equal(stp_port_set_link(t->stp, 0, false, t->now), 0);
	assert_int_equal(stp_port_set_link(t->stp, 0, true, t->now), 0);
	assert_true(pinfo(t, 0).send_rstp);
	tb_free(t);
}

static void priority_and_cost_change_roles(void **state)
{
	struct tb *t = tb_new(STP_VERSION_RSTP);
	struct stp_config c;

	(void)state;
	tb_port(t, 0, false);
	tb_port(t, 1, false);
	assert_int_equal(rx_rst(t, 0, RST_DESIG, ID_BETTER, 0, ID_BETTER, 0x8001), 0);
	assert_int_equal(rx_rst(t, 1, RST_DESIG, ID_BETTER, 0, ID(4096, 0x02), 0x8001), 0);
	assert_int_equal(binfo(t).root_port, 0);
	assert_int_equal(stp_port_role(t->stp, 1), STP_ROLE_ALTERNATE);
	/* a cheaper path through port 1 */
	assert_int_equal(stp_port_set_path_cost(t->stp, 1, 100, t->now), 0);
	assert_int_equal(binfo(t).root_port, 1);
	assert_int_equal(binfo(t).root_path_cost, 100);
	assert_int_equal(stp_port_role(t->stp, 0), STP_ROLE_ALTERNATE);
	/* our priority 0 makes us root: both ports designated */
	stp_config_default(&c);
	c.priority = 0;
	assert_int_equal(stp_set_config(t->stp, &c, t->now), 0);
	assert_int_equal(binfo(t).root_port, -1);
	assert_int_equal(binfo(t).designated_root, ID(0, 0x0a));
	assert_int_equal(stp_port_role(t->stp, 0), STP_ROLE_DESIGNATED);
	assert_int_equal(stp_port_role(t->stp, 1), STP_ROLE_DESIGNATED);
	/* removing ports */
	assert_int_equal(stp_port_del(t->stp, 0, t->now), 0);
	assert_false(stp_port_exists(t->stp, 0));
	assert_int_equal(stp_port_info(t->stp, 0, &(struct stp_port_info){ 0 }), -ENOENT);
	assert_int_equal(stp_port_role(t->stp, 1), STP_ROLE_DESIGNATED);
	/* the root port goes with its port; with no port left, we are root */
	stp_config_default(&c);
	assert_int_equal(stp_set_config(t->stp, &c, t->now), 0);
	assert_int_equal(rx_rst(t, 1, RST_DESIG, ID_BETTER, 0, ID_BETTER, 0x8001), 0);
	assert_int_equal(binfo(t).root_port, 1);
	assert_int_equal(stp_port_del(t->stp, 1, t->now), 0);
	assert_int_equal(binfo(t).root_port, -1);
	assert_int_equal(binfo(t).designated_root, ID_US);
	tb_free(t);
}

static void times_come_from_the_root(void **state)
{
	struct tb *t = tb_new(STP_VERSION_RSTP);
	uint8_t buf[STP_FRAME_LEN];
	struct bpdu_spec sp = { STP_BPDU_RST, 2, RST_DESIG, ID_BETTER, 0, ID_BETTER, 0x8001, 0 };
	struct stp_bridge_info bi;
	struct stp_config c;
	struct stp_bpdu b;
	size_t len;

	(void)state;
	stp_config_default(&c);
	c.hello_time = 1;
	c.max_age = 10;
	c.forward_delay = 8;
	assert_int_equal(stp_set_config(t->stp, &c, t->now), 0);
	tb_port(t, 0, false);
	tb_port(t, 1, false);
	/* as root, its own times */
	assert_true(last_sent(&t->rec, 1, &b));
	assert_int_equal(b.max_age, 10 * 256);
	assert_int_equal(b.hello_time, 1 * 256);
	assert_int_equal(b.forward_delay, 8 * 256);
	assert_int_equal(b.message_age, 0);
	/* under another root, the root's max age and forward delay, a second older */
	len = mk(buf, &sp); /* max age 20, hello 2, forward delay 15 */
	buf[44] = 3;	    /* message age 3 s */
	rec_clear(&t->rec);
	assert_int_equal(stp_rx(t->stp, 0, buf, len, t->now), 0);
	assert_true(last_sent(&t->rec, 1, &b));
	assert_int_equal(b.message_age, 4 * 256);
	assert_int_equal(b.max_age, 20 * 256);
	assert_int_equal(b.forward_delay, 15 * 256);
	assert_int_equal(b.hello_time, 1 * 256); /* hello is always our own */
	bi = binfo(t);
	assert_int_equal(bi.max_age, 20);
	assert_int_equal(bi.forward_delay, 15);
	assert_int_equal(bi.bridge_max_age, 10);
	assert_int_equal(bi.bridge_forward_delay, 8);
	assert_int_equal(bi.bridge_hello_time, 1);
	/* the received hello decides how long the information lasts: 3 x 2 s */
	assert_int_equal(pinfo(t, 0).rcvd_info_while, 6);
	tb_free(t);
}

static void tx_hold_count_limits_bursts(void **state)
{
	struct tb *t = tb_new(STP_VERSION_RSTP);
	struct stp_config c;
	struct stp_bpdu b;
	unsigned int i;

	(void)state;
	stp_config_default(&c);
	c.tx_hold_count = 2;
	assert_int_equal(stp_set_config(t->stp, &c, t->now), 0);
	tb_port(t, 0, false);
	tb_port(t, 1, false);
	tb_wait(t, 2 * SEC);
	/* the root keeps changing its mind within one second: port 1 may say so only twice */
	rec_clear(&t->rec);
	for (i = 0; i < 10; i++)
		assert_int_equal(rx_rst(t, 0, RST_DESIG, ID_BETTER, i, ID_BETTER, 0x8001), 0);
	assert_true(count_sent(&t->rec, 1) >= 1 && count_sent(&t->rec, 1) <= 2);
	/* the latest goes out as the seconds pass */
	tb_wait(t, 2 * SEC);
	assert_true(last_sent(&t->rec, 1, &b));
	assert_int_equal(b.root_cost, 9 + 20000);
	assert_int_equal(binfo(t).root_path_cost, 9 + 20000);
	tb_free(t);
}

static void force_version_switch(void **state)
{
	struct tb *t = tb_new(STP_VERSION_RSTP);
	struct stp_config c;
	struct stp_bpdu b;

	(void)state;
	tb_port(t, 0, false);
	tb_port(t, 1, true);
	assert_int_equal(t->rec.state[1], BR_STATE_FORWARDING);
	stp_config_default(&c);
	c.force_version = STP_VERSION_STP;
	rec_clear(&t->rec);
	assert_int_equal(stp_set_config(t->stp, &c, t->now), 0);
	assert_true(last_sent(&t->rec, 0, &b));
	assert_int_equal(b.type, STP_BPDU_CONFIG);
	assert_false(pinfo(t, 0).send_rstp);
	/* every port starts over: the non-edge one listens, the edge one forwards */
	assert_int_equal(t->rec.state[0], BR_STATE_LISTENING);
	assert_int_equal(t->rec.state[1], BR_STATE_FORWARDING);
	assert_int_equal(binfo(t).force_version, 0);
	c.force_version = STP_VERSION_RSTP;
	rec_clear(&t->rec);
	assert_int_equal(stp_set_config(t->stp, &c, t->now), 0);
	assert_true(last_sent(&t->rec, 0, &b));
	assert_int_equal(b.type, STP_BPDU_RST);
	assert_int_equal(t->rec.state[0], BR_STATE_BLOCKING);
	tb_free(t);
}

/* 802.1Q-2011: a designated port told by an inferior designated port that it is learning
 * (a one-way link) stops forwarding */
static void dispute_stops_forwarding(void **state)
{
	struct tb *t = tb_new(STP_VERSION_RSTP);

	(void)state;
	tb_port(t, 0, false);
	assert_int_equal(rx_rst(t, 0, RST_ROOT | STP_FLAG_AGREEMENT, ID_US, 20000, ID_WORSE,
				0x8001),
			 0);
	assert_int_equal(t->rec.state[0], BR_STATE_FORWARDING);
	assert_int_equal(rx_rst(t, 0, RST_DESIG | STP_FLAG_LEARNING, ID_WORSE, 0, ID_WORSE, 0x8001),
			 0);
	assert_int_equal(stp_port_role(t->stp, 0), STP_ROLE_DESIGNATED);
	assert_int_equal(t->rec.state[0], BR_STATE_BLOCKING);
	tb_free(t);
}

static void showstp_view(void **state)
{
	struct tb *t = tb_new(STP_VERSION_RSTP);
	struct stp_port_info pi;
	struct stp_bridge_info bi;

	(void)state;
	tb_port(t, 0, false);
	tb_port(t, 3, false);
	assert_int_equal(stp_port_set_priority(t->stp, 3, 32, t->now), 0);
	assert_int_equal(rx_rst(t, 0, RST_DESIG, ID_BETTER, 500, ID_BETTER, 0x8007), 0);
	bi = binfo(t);
	assert_int_equal(bi.bridge_id, ID_US);
	assert_int_equal(bi.designated_root, ID_BETTER);
	assert_int_equal(bi.root_path_cost, 20500);
	assert_int_equal(bi.root_port, 0);
	assert_int_equal(bi.force_version, 2);
	assert_int_equal(bi.tx_hold_count, 6);
	assert_int_equal(bi.rx_bad, 0);
	/* the root port shows what it heard */
	pi = pinfo(t, 0);
	assert_int_equal(pi.role, STP_ROLE_ROOT);
	assert_string_equal(stp_role_name(pi.role), "root");
	assert_int_equal(pi.state, BR_STATE_FORWARDING);
	assert_true(pi.link_up);
	assert_int_equal(pi.port_id, 0x8001);
	assert_int_equal(pi.designated_root, ID_BETTER);
	assert_int_equal(pi.designated_bridge, ID_BETTER);
	assert_int_equal(pi.designated_port, 0x8007);
	assert_int_equal(pi.designated_cost, 500);
	assert_int_equal(pi.path_cost, 20000);
	assert_true(pi.path_cost_auto);
	assert_true(pi.point_to_point);
	assert_int_equal(pi.rcvd_info_while, 6);
	assert_int_equal(pi.rx_rst, 1);
	/* a designated port shows this bridge as designated, at its own cost to the root */
	pi = pinfo(t, 3);
	assert_int_equal(pi.role, STP_ROLE_DESIGNATED);
	assert_string_equal(stp_role_name(pi.role), "designated");
	assert_int_equal(pi.port_id, 0x2004);
	assert_int_equal(pi.priority, 32);
	assert_int_equal(pi.designated_root, ID_BETTER);
	assert_int_equal(pi.designated_bridge, ID_US);
	assert_int_equal(pi.designated_port, 0x2004);
	assert_int_equal(pi.designated_cost, 20500);
	assert_true(pi.tx_rst > 0);
	assert_int_equal(stp_port_state(t->stp, 3), pi.state);
	assert_int_equal(stp_port_state(t->stp, 9), BR_STATE_DISABLED);
	assert_int_equal(stp_port_role(t->stp, 9), STP_ROLE_DISABLED);
	assert_null(stp_role_name((enum stp_role)7));
	assert_string_equal(stp_role_name(STP_ROLE_ALTERNATE), "alternate");
	assert_string_equal(stp_role_name(STP_ROLE_BACKUP), "backup");
	assert_string_equal(stp_role_name(STP_ROLE_DISABLED), "disabled");
	/* the root port's link goes down: it is disabled and flushed, we are root again */
	rec_clear(&t->rec);
	assert_int_equal(stp_port_set_link(t->stp, 0, false, t->now), 0);
	assert_int_equal(t->rec.state[0], BR_STATE_DISABLED);
	assert_int_equal(t->rec.n_flush[0], 1);
	assert_int_equal(pinfo(t, 0).role, STP_ROLE_DISABLED);
	assert_false(pinfo(t, 0).link_up);
	assert_int_equal(binfo(t).root_port, -1);
	/* the speed sets the cost while it is automatic */
	assert_int_equal(stp_port_set_speed(t->stp, 3, 100, t->now), 0);
	assert_int_equal(pinfo(t, 3).path_cost, 200000);
	assert_int_equal(stp_port_set_path_cost(t->stp, 3, 42, t->now), 0);
	assert_int_equal(stp_port_set_speed(t->stp, 3, 10000, t->now), 0);
	assert_int_equal(pinfo(t, 3).path_cost, 42);
	assert_int_equal(stp_port_set_speed(t->stp, 8, 10000, t->now), -ENOENT);
	assert_int_equal(stp_port_set_link(t->stp, 8, true, t->now), -ENOENT);
	assert_int_equal(stp_port_set_p2p(t->stp, 8, true, t->now), -ENOENT);
	assert_int_equal(stp_port_set_edge(t->stp, 8, true, true, t->now), -ENOENT);
	assert_int_equal(stp_port_set_mac(t->stp, 8, NULL), -ENOENT);
	assert_int_equal(stp_port_mcheck(t->stp, 8, t->now), -ENOENT);
	tb_free(t);
}

/* --- simulated networks --- */

#define SIM_BRIDGES 4
#define SIM_LINKS 6
#define SIM_QUEUE 4096

struct sim;

struct simbr {
	struct sim *sim;
	int idx;
	struct stp *stp;
	enum bridge_port_state state[NPORTS];
	unsigned int n_flush;
	bool rst_deaf; /* drops RST BPDUs unread, as an 802.1D-1998 bridge (Linux's) does */
};

struct simlink {
	int a, pa, b, pb;
	bool up;
};

struct simq {
	int br, port;
	size_t len;
	uint8_t frame[STP_FRAME_LEN];
};

struct sim {
	uint64_t now;
	int n_br, n_links;
	struct simbr br[SIM_BRIDGES];
	struct simlink link[SIM_LINKS];
	unsigned int qh, qt;
	struct simq q[SIM_QUEUE];
	uint64_t delivered;
	/* count instants with a forwarding loop instead of failing (count to infinity) */
	bool count_loops;
	uint64_t loop_instants;
};

static void sim_send(void *ctx, uint16_t port, const uint8_t *frame, size_t len)
{
	struct simbr *sb = ctx;
	struct sim *s = sb->sim;
	struct simq *e;
	int i;

	for (i = 0; i < s->n_links; i++) {
		struct simlink *l = &s->link[i];
		int to, to_port;

		if (l->a == sb->idx && l->pa == port) {
			to = l->b;
			to_port = l->pb;
		} else if (l->b == sb->idx && l->pb == port) {
			to = l->a;
			to_port = l->pa;
		} else {
			continue;
		}
		if (!l->up)
			return;
		assert_true(s->qt - s->qh < SIM_QUEUE);
		e = &s->q[s->qt++ % SIM_QUEUE];
		e->br = to;
		e->port = to_port;
		e->len = len;
		memcpy(e->frame, frame, len);
		return;
	}
}

static void sim_state(void *ctx, uint16_t port, enum bridge_port_state st)
{
	struct simbr *sb = ctx;

	sb->state[port] = st;
}

static void sim_flush(void *ctx, uint16_t port, uint32_t ageing_s)
{
	struct simbr *sb = ctx;

	(void)port;
	(void)ageing_s;
	sb->n_flush++;
}

static const struct stp_ops sim_ops = { sim_send, sim_state, sim_flush };

static int sim_forwarding_links(const struct sim *s);
static void sim_dump(const struct sim *s);

static void sim_check_no_loop(struct sim *s)
{
	if (sim_forwarding_links(s) >= 0)
		return;
	if (s->count_loops) {
		if (!s->loop_instants && getenv("STP_SIM_VERBOSE"))
			sim_dump(s);
		s->loop_instants++;
		return;
	}
	sim_dump(s);
	fail_msg("a forwarding loop");
}

static void sim_deliver(struct sim *s)
{
	while (s->qh != s->qt) {
		struct simq e = s->q[s->qh++ % SIM_QUEUE];

		if (s->br[e.br].rst_deaf && e.frame[20] == STP_BPDU_RST)
			continue;
		assert_int_equal(stp_rx(s->br[e.br].stp, (uint16_t)e.port, e.frame, e.len, s->now),
				 0);
		/* never a forwarding loop, not even for an instant */
		sim_check_no_loop(s);
		s->delivered++;
		assert_true(s->delivered < 10000000);
	}
}

static struct sim *sim_new(int n_br, uint8_t version, const uint16_t *prio)
{
	struct sim *s = calloc(1, sizeof(*s));
	struct stp_config c;
	int i;

	assert_non_null(s);
	s->now = 5 * SEC;
	s->n_br = n_br;
	for (i = 0; i < n_br; i++) {
		uint8_t mac[6] = { 0x02, 0, 0, 0, 0x10, (uint8_t)(i + 1) };

		stp_config_default(&c);
		c.force_version = version;
		c.priority = prio[i];
		s->br[i].sim = s;
		s->br[i].idx = i;
		s->br[i].stp = stp_new(&c, mac, &sim_ops, &s->br[i]);
		assert_non_null(s->br[i].stp);
		stp_tick(s->br[i].stp, s->now);
	}
	return s;
}

static void sim_free(struct sim *s)
{
	int i;

	for (i = 0; i < s->n_br; i++)
		stp_free(s->br[i].stp);
	free(s);
}

static int sim_link(struct sim *s, int a, int pa, int b, int pb)
{
	struct simlink *l = &s->link[s->n_links];

	*l = (struct simlink){ a, pa, b, pb, true };
	if (!stp_port_exists(s->br[a].stp, (uint16_t)pa))
		assert_int_equal(stp_port_add(s->br[a].stp, (uint16_t)pa, 1000, true, false,
					      s->now),
				 0);
	if (!stp_port_exists(s->br[b].stp, (uint16_t)pb))
		assert_int_equal(stp_port_add(s->br[b].stp, (uint16_t)pb, 1000, true, false,
					      s->now),
				 0);
	stp_port_set_link(s->br[a].stp, (uint16_t)pa, true, s->now);
	sim_deliver(s);
	stp_port_set_link(s->br[b].stp, (uint16_t)pb, true, s->now);
	sim_deliver(s);
	return s->n_links++;
}

static void sim_link_set(struct sim *s, int i, bool up)
{
	struct simlink *l = &s->link[i];

	l->up = up;
	stp_port_set_link(s->br[l->a].stp, (uint16_t)l->pa, up, s->now);
	sim_deliver(s);
	stp_port_set_link(s->br[l->b].stp, (uint16_t)l->pb, up, s->now);
	sim_deliver(s);
}

static void sim_dump(const struct sim *s)
{
	int i;

	for (i = 0; i < s->n_br; i++) {
		struct stp_bridge_info bi;

		stp_bridge_info(s->br[i].stp, &bi);
		printf("br%d id %016llx v%d root %016llx cost %u rp %d\n", i,
		       (unsigned long long)bi.bridge_id, bi.force_version,
		       (unsigned long long)bi.designated_root, bi.root_path_cost, bi.root_port);
	}
	for (i = 0; i < s->n_links; i++) {
		const struct simlink *l = &s->link[i];
		struct stp_port_info pa, pb;

		stp_port_info(s->br[l->a].stp, (uint16_t)l->pa, &pa);
		stp_port_info(s->br[l->b].stp, (uint16_t)l->pb, &pb);
		printf("link%d %s: br%d.%d %s/%d rstp%d fd%u | br%d.%d %s/%d rstp%d fd%u\n", i,
		       l->up ? "up" : "down", l->a, l->pa, stp_role_name(pa.role),
		       s->br[l->a].state[l->pa], pa.send_rstp, pa.fd_while, l->b, l->pb,
		       stp_role_name(pb.role), s->br[l->b].state[l->pb], pb.send_rstp, pb.fd_while);
	}
}

static void sim_run(struct sim *s, uint64_t ns)
{
	uint64_t end = s->now + ns;
	int i;

	while (s->now < end) {
		s->now += 50 * MS;
		for (i = 0; i < s->n_br; i++) {
			stp_tick(s->br[i].stp, s->now);
			sim_check_no_loop(s);
			sim_deliver(s);
		}
	}
}

/* frames could go around: count link ends not forwarding, and check the forwarding graph */
static int sim_blocked_ends(const struct sim *s)
{
	int i, n = 0;

	for (i = 0; i < s->n_links; i++) {
		const struct simlink *l = &s->link[i];

		if (!l->up)
			continue;
		n += s->br[l->a].state[l->pa] != BR_STATE_FORWARDING;
		n += s->br[l->b].state[l->pb] != BR_STATE_FORWARDING;
	}
	return n;
}

/* links with both ends forwarding: how many, or -1 if they make a loop */
static int sim_forwarding_links(const struct sim *s)
{
	int parent[SIM_BRIDGES], i, edges = 0;

	for (i = 0; i < s->n_br; i++)
		parent[i] = i;
	for (i = 0; i < s->n_links; i++) {
		const struct simlink *l = &s->link[i];
		int ra = l->a, rb = l->b;

		if (!l->up || s->br[l->a].state[l->pa] != BR_STATE_FORWARDING ||
		    s->br[l->b].state[l->pb] != BR_STATE_FORWARDING)
			continue;
		while (parent[ra] != ra)
			ra = parent[ra];
		while (parent[rb] != rb)
			rb = parent[rb];
		if (ra == rb)
			return -1;
		parent[ra] = rb;
		edges++;
	}
	return edges;
}

/* up links with both ends forwarding form a tree spanning every bridge */
static bool sim_is_spanning_tree(const struct sim *s)
{
	return sim_forwarding_links(s) == s->n_br - 1;
}

static void sim_check_root(const struct sim *s, int root)
{
	struct stp_bridge_info bi, ri;
	int i;

	stp_bridge_info(s->br[root].stp, &ri);
	assert_int_equal(ri.root_port, -1);
	for (i = 0; i < s->n_br; i++) {
		stp_bridge_info(s->br[i].stp, &bi);
		assert_int_equal(bi.overruns, 0);
		assert_int_equal(bi.designated_root, ri.bridge_id);
		if (i != root)
			assert_true(bi.root_port >= 0);
	}
}

static int sim_count_role(const struct sim *s, enum stp_role r)
{
	int i, n = 0;

	for (i = 0; i < s->n_links; i++) {
		const struct simlink *l = &s->link[i];

		n += stp_port_role(s->br[l->a].stp, (uint16_t)l->pa) == r;
		n += stp_port_role(s->br[l->b].stp, (uint16_t)l->pb) == r;
	}
	return n;
}

/* how long until every up link is in a spanning tree again, in ns; fails after @limit */
static uint64_t sim_time_to_tree(struct sim *s, uint64_t limit)
{
	uint64_t start = s->now;

	while (!sim_is_spanning_tree(s)) {
		assert_true(s->now - start <= limit);
		sim_run(s, 50 * MS);
	}
	return s->now - start;
}

static void sim_two_link_loop(void **state)
{
	static const uint16_t prio[] = { 4096, 32768 };
	uint8_t v;

	(void)state;
	for (v = 0; v <= 2; v += 2) {
		struct sim *s = sim_new(2, v, prio);
		struct stp_config c;
		uint64_t t;

		sim_link(s, 0, 0, 1, 0);
		sim_link(s, 0, 1, 1, 1);
		sim_run(s, 60 * SEC);
		sim_check_root(s, 0);
		assert_int_equal(sim_blocked_ends(s), 1);
		assert_true(sim_is_spanning_tree(s));
		/* bridge 1's port 1 hears the root's port 1: worse than port 0, alternate */
		assert_int_equal(stp_port_role(s->br[1].stp, 0), STP_ROLE_ROOT);
		assert_int_equal(stp_port_role(s->br[1].stp, 1), STP_ROLE_ALTERNATE);
		assert_int_equal(sim_count_role(s, STP_ROLE_ALTERNATE), 1);

		/* cut the active link */
		sim_link_set(s, 0, false);
		t = sim_time_to_tree(s, v ? 2 * SEC : 50 * SEC);
		printf("two-link loop, %s: active link cut, a tree again after %llu ms\n",
		       v ? "RSTP" : "STP", (unsigned long long)(t / MS));
		if (v)
			assert_true(t <= 100 * MS);
		else
			assert_true(t >= 30 * SEC - 1 * SEC);
		assert_int_equal(stp_port_role(s->br[1].stp, 1), STP_ROLE_ROOT);
		/* restore it */
		sim_link_set(s, 0, true);
		sim_run(s, 60 * SEC);
		assert_int_equal(sim_blocked_ends(s), 1);
		assert_int_equal(stp_port_role(s->br[1].stp, 0), STP_ROLE_ROOT);

		/* swap priorities: the root moves */
		stp_get_config(s->br[1].stp, &c);
		c.priority = 0;
		stp_set_config(s->br[1].stp, &c, s->now);
		sim_deliver(s);
		sim_run(s, 60 * SEC);
		sim_check_root(s, 1);
		assert_int_equal(sim_blocked_ends(s), 1);
		assert_true(sim_is_spanning_tree(s));
		assert_int_equal(stp_port_role(s->br[0].stp, 1), STP_ROLE_ALTERNATE);
		sim_free(s);
	}
}

static void sim_three_bridge_ring(void **state)
{
	static const uint16_t prio[] = { 32768, 4096, 32768 };
	uint8_t v;

	(void)state;
	for (v = 0; v <= 2; v += 2) {
		struct sim *s = sim_new(3, v, prio);
		struct stp_bridge_info bi;
		struct stp_config c;
		uint64_t t;
		int i, active;

		/* 0 - 1 - 2 - 0; bridge 1 is root */
		sim_link(s, 0, 0, 1, 0);
		sim_link(s, 1, 1, 2, 0);
		sim_link(s, 2, 1, 0, 1);
		sim_run(s, 60 * SEC);
		sim_check_root(s, 1);
		assert_int_equal(sim_blocked_ends(s), 1);
		assert_true(sim_is_spanning_tree(s));
		assert_int_equal(sim_count_role(s, STP_ROLE_ALTERNATE), 1);
		assert_int_equal(sim_count_role(s, STP_ROLE_ROOT), 2);
		/* the link 2-0 is the one blocked: bridge 2 (same cost, higher id) blocks it */
		assert_int_equal(s->br[2].state[1], BR_STATE_BLOCKING);
		stp_bridge_info(s->br[2].stp, &bi);
		assert_int_equal(bi.root_path_cost, 20000);

		/* cut the root's link to bridge 0: bridge 0 reaches it through bridge 2 */
		active = 0;
		sim_link_set(s, active, false);
		t = sim_time_to_tree(s, v ? 2 * SEC : 50 * SEC);
		printf("3-bridge ring, %s: active link cut, a tree again after %llu ms\n",
		       v ? "RSTP" : "STP", (unsigned long long)(t / MS));
		if (v)
			assert_true(t <= 2 * SEC);
		sim_run(s, 60 * SEC);
		sim_check_root(s, 1);
		assert_true(sim_is_spanning_tree(s));
		assert_int_equal(sim_blocked_ends(s), 0);
		stp_bridge_info(s->br[0].stp, &bi);
		assert_int_equal(bi.root_path_cost, 40000);

		/* back, then the root moves to bridge 2 */
		sim_link_set(s, active, true);
		sim_run(s, 60 * SEC);
		assert_int_equal(sim_blocked_ends(s), 1);
		stp_get_config(s->br[2].stp, &c);
		c.priority = 0;
		stp_set_config(s->br[2].stp, &c, s->now);
		sim_deliver(s);
		sim_run(s, 60 * SEC);
		sim_check_root(s, 2);
		assert_int_equal(sim_blocked_ends(s), 1);
		assert_true(sim_is_spanning_tree(s));
		/* the blocked port now is on the link 0-1, at bridge 0: bridge 1's id is better */
		assert_int_equal(s->br[0].state[0], BR_STATE_BLOCKING);
		for (i = 0; i < 3; i++)
			assert_true(s->br[i].n_flush > 0);
		sim_free(s);
	}
}

/* a silent failure (frames stop, links stay up): the information ages in 3 hellos, then the
 * alternate forwards: at once with RSTP, after twice forward delay with STP */
static void sim_silent_failure(void **state)
{
	static const uint16_t prio[] = { 4096, 32768 };
	uint8_t v;

	(void)state;
	for (v = 0; v <= 2; v += 2) {
		struct sim *s = sim_new(2, v, prio);
		uint64_t t = 0;

		sim_link(s, 0, 0, 1, 0);
		sim_link(s, 0, 1, 1, 1);
		sim_run(s, 60 * SEC);
		assert_int_equal(sim_blocked_ends(s), 1);
		s->link[0].up = false; /* frames lost, the ports do not know */
		while (s->br[1].state[1] != BR_STATE_FORWARDING) {
			sim_run(s, 50 * MS);
			t += 50 * MS;
			assert_true(t <= (v ? 7 : 2 * 15 + 20) * SEC);
		}
		printf("two-link loop, %s: silent failure, forwarding again after %llu ms\n",
		       v ? "RSTP" : "STP", (unsigned long long)(t / MS));
		assert_true(t >= 4 * SEC);
		assert_int_equal(stp_port_role(s->br[1].stp, 1), STP_ROLE_ROOT);
		sim_free(s);
	}
}

/* an RSTP ring with one bridge forced to STP: the ports facing it talk STP, and it converges */
static void sim_mixed_versions(void **state)
{
	static const uint16_t prio[] = { 4096, 32768, 32768 };
	struct sim *s = sim_new(3, STP_VERSION_RSTP, prio);
	struct stp_port_info pi;
	struct stp_config c;
	uint64_t t;

	(void)state;
	stp_get_config(s->br[2].stp, &c);
	c.force_version = STP_VERSION_STP;
	assert_int_equal(stp_set_config(s->br[2].stp, &c, s->now), 0);
	sim_link(s, 0, 0, 1, 0);
	sim_link(s, 1, 1, 2, 0);
	sim_link(s, 2, 1, 0, 1);
	sim_run(s, 90 * SEC);
	sim_check_root(s, 0);
	assert_int_equal(sim_blocked_ends(s), 1);
	assert_true(sim_is_spanning_tree(s));
	/* the link between 0 and 1 stays RSTP; bridge 0 heard bridge 2's root port send
	 * TCNs, so it talks STP to it; bridge 2's alternate port towards bridge 1 says
	 * nothing (STP), so bridge 1 has no reason to fall back */
	assert_int_equal(stp_port_info(s->br[0].stp, 0, &pi), 0);
	assert_true(pi.send_rstp);
	assert_int_equal(stp_port_info(s->br[0].stp, 1, &pi), 0);
	assert_false(pi.send_rstp);
	assert_true(pi.rx_tcn > 0);
	assert_int_equal(stp_port_info(s->br[2].stp, 0, &pi), 0);
	assert_false(pi.send_rstp);
	assert_int_equal(pi.role, STP_ROLE_ALTERNATE);
	/* bridge 2's root port link fails: it reconverges through bridge 1 */
	sim_link_set(s, 2, false);
	t = sim_time_to_tree(s, 50 * SEC);
	printf("mixed ring: a tree again after %llu ms\n", (unsigned long long)(t / MS));
	sim_run(s, 60 * SEC);
	sim_check_root(s, 0);
	assert_true(sim_is_spanning_tree(s));
	sim_free(s);
}

/* with a bridge that knows only 802.1D-1998 STP (it ignores RST BPDUs, as the Linux kernel
 * bridge does), the RSTP bridge falls back to STP on both links and they agree */
static void sim_legacy_neighbour(void **state)
{
	static const uint16_t prio[] = { 32768, 4096 };
	uint8_t root;

	(void)state;
	for (root = 0; root < 2; root++) {
		struct sim *s = sim_new(2, STP_VERSION_RSTP, prio);
		struct stp_port_info pi;
		struct stp_config c;

		stp_get_config(s->br[1].stp, &c);
		c.force_version = STP_VERSION_STP;
		c.priority = root ? 4096 : 32768;
		assert_int_equal(stp_set_config(s->br[1].stp, &c, s->now), 0);
		stp_get_config(s->br[0].stp, &c);
		c.priority = root ? 32768 : 4096;
		assert_int_equal(stp_set_config(s->br[0].stp, &c, s->now), 0);
		s->br[1].rst_deaf = true;
		sim_link(s, 0, 0, 1, 0);
		sim_link(s, 0, 1, 1, 1);
		sim_run(s, 90 * SEC);
		sim_check_root(s, root);
		assert_int_equal(sim_blocked_ends(s), 1);
		assert_true(sim_is_spanning_tree(s));
		assert_int_equal(stp_port_info(s->br[0].stp, 0, &pi), 0);
		assert_false(pi.send_rstp);
		assert_int_equal(stp_port_info(s->br[0].stp, 1, &pi), 0);
		assert_false(pi.send_rstp);
		/* the non-root bridge blocks its second port */
		assert_int_equal(s->br[!root].state[1], BR_STATE_BLOCKING);
		assert_int_equal(stp_port_role(s->br[!root].stp, 1), STP_ROLE_ALTERNATE);
		sim_free(s);
	}
}

/* random networks of 2 to 4 bridges and up to 6 links (parallel ones too), random
 * priorities and versions, links failing and coming back: at every instant no loop, and once
 * settled, each connected part is a spanning tree whose bridges all name its best bridge root */
static uint32_t lcg(uint32_t *x)
{
	*x = *x * 1103515245u + 12345u;
	return *x >> 16;
}

static int sim_component(const struct sim *s, int *comp)
{
	int i, j, n = 0, changed = 1;

	for (i = 0; i < s->n_br; i++)
		comp[i] = i;
	while (changed) {
		changed = 0;
		for (j = 0; j < s->n_links; j++) {
			const struct simlink *l = &s->link[j];
			int m = comp[l->a] < comp[l->b] ? comp[l->a] : comp[l->b];

			if (l->up && (comp[l->a] != m || comp[l->b] != m)) {
				comp[l->a] = comp[l->b] = m;
				changed = 1;
			}
		}
	}
	for (i = 0; i < s->n_br; i++)
		n += comp[i] == i;
	return n;
}

static void sim_check_settled(const struct sim *s)
{
	int comp[SIM_BRIDGES], n_comp, i, j;
	struct stp_bridge_info bi, bj;

	n_comp = sim_component(s, comp);
	assert_int_equal(sim_forwarding_links(s), s->n_br - n_comp);
	for (i = 0; i < s->n_br; i++) {
		uint64_t best;

		stp_bridge_info(s->br[i].stp, &bi);
		assert_int_equal(bi.overruns, 0);
		best = bi.bridge_id;
		for (j = 0; j < s->n_br; j++) {
			if (comp[j] != comp[i])
				continue;
			stp_bridge_info(s->br[j].stp, &bj);
			if (bj.bridge_id < best)
				best = bj.bridge_id;
		}
		assert_int_equal(bi.designated_root, best);
	}
}

static void sim_random_networks(void **state)
{
	uint32_t seed = getenv("STP_SIM_SEED") ? (uint32_t)atoi(getenv("STP_SIM_SEED")) : 7;
	uint64_t loops = 0;
	int round;

	(void)state;
	for (round = 0; round < 200; round++) {
		uint16_t prio[SIM_BRIDGES];
		int n_br = 2 + (int)(lcg(&seed) % 3), n_links = n_br - 1 + (int)(lcg(&seed) % 3);
		int next_port[SIM_BRIDGES] = { 0 };
		struct sim *s;
		int i, k;

		for (i = 0; i < n_br; i++)
			prio[i] = (uint16_t)((lcg(&seed) % 4) * STP_PRIORITY_STEP + 4096);
		s = sim_new(n_br, STP_VERSION_RSTP, prio);
		s->count_loops = true;
		for (i = 0; i < n_br; i++) {
			if (lcg(&seed) % 4 == 0) {
				struct stp_config c;

				stp_get_config(s->br[i].stp, &c);
				c.force_version = STP_VERSION_STP;
				assert_int_equal(stp_set_config(s->br[i].stp, &c, s->now), 0);
			}
		}
		for (i = 0; i < n_links; i++) {
			int a = (int)(lcg(&seed) % (unsigned)n_br);
			int b = (a + 1 + (int)(lcg(&seed) % (unsigned)(n_br - 1))) % n_br;

			if (i < n_br - 1) { /* a chain first, so that it starts connected */
				a = i;
				b = i + 1;
			}
			sim_link(s, a, next_port[a]++, b, next_port[b]++);
		}
		sim_run(s, 80 * SEC);
		sim_check_settled(s);
		if (getenv("STP_SIM_VERBOSE"))
			printf("round %d: %d bridges, %d links, %d forwarding, %llu BPDUs\n", round,
			       n_br, n_links, sim_forwarding_links(s),
			       (unsigned long long)s->delivered);
		for (k = 0; k < 3; k++) {
			int l = (int)(lcg(&seed) % (unsigned)n_links);

			sim_link_set(s, l, !s->link[l].up);
			sim_run(s, 80 * SEC);
			sim_check_settled(s);
		}
		loops += s->loop_instants;
		sim_free(s);
	}
	/* RSTP's count to infinity (stale information on alternate ports going round after
	 * the root is cut off) can make a loop for a moment; say how often */
	printf("random networks: %llu instants with a loop in 200 networks\n",
	       (unsigned long long)loops);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bpdu_encode_layout),
		cmocka_unit_test(bpdu_decode_rejects_malformed),
		cmocka_unit_test(rx_malformed_counted_and_ignored),
		cmocka_unit_test(config_range_checks),
		cmocka_unit_test(path_cost_table),
		cmocka_unit_test(alone_is_root_and_designated),
		cmocka_unit_test(better_bpdu_makes_root_port),
		cmocka_unit_test(alternate_and_backup_roles),
		cmocka_unit_test(root_guard_blocks_superior_root),
		cmocka_unit_test(rstp_proposal_agreement_forwards_at_once),
		cmocka_unit_test(rstp_designated_without_agreement_waits),
		cmocka_unit_test(legacy_stp_timers),
		cmocka_unit_test(received_info_expires),
		cmocka_unit_test(tc_detected_propagated_and_flushed),
		cmocka_unit_test(legacy_tcn_acknowledged_and_short_ageing),
		cmocka_unit_test(legacy_root_port_sends_tcn),
		cmocka_unit_test(edge_port_bpdu_turns_edge_off),
		cmocka_unit_test(auto_edge_after_silence),
		cmocka_unit_test(edge_auto_forwards_after_edge_delay),
		cmocka_unit_test(edge_auto_bpdu_ends_edge),
		cmocka_unit_test(edge_off_never_edge),
		cmocka_unit_test(edge_on_forwards_at_once),
		cmocka_unit_test(version_fallback_and_mcheck),
		cmocka_unit_test(priority_and_cost_change_roles),
		cmocka_unit_test(times_come_from_the_root),
		cmocka_unit_test(tx_hold_count_limits_bursts),
		cmocka_unit_test(force_version_switch),
		cmocka_unit_test(dispute_stops_forwarding),
		cmocka_unit_test(showstp_view),
		cmocka_unit_test(sim_two_link_loop),
		cmocka_unit_test(sim_three_bridge_ring),
		cmocka_unit_test(sim_silent_failure),
		cmocka_unit_test(sim_mixed_versions),
		cmocka_unit_test(sim_legacy_neighbour),
		cmocka_unit_test(sim_random_networks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
