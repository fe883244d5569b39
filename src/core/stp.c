/* SPDX-License-Identifier: GPL-2.0-or-later */
/* stp.c - the RSTP state machines of 802.1D-2004 clause 17, run to completion on every input
 *
 * Each machine of clause 17 is a step function that makes at most one
 * transition and says whether it did. stp_run() steps them all until none
 * moves, then lets the port transmit machines send, and repeats if they
 * did; states a machine passes through with an unconditional transition
 * (UCT) are folded into the transition that enters them. Variable and
 * procedure names follow the standard's (in snake case) so that each line
 * can be checked against it. Where this file departs from the 2004 text it
 * follows the later 802.1Q-2005/2011 corrections, and says so.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/stp.h"

#define MAC_MASK 0x0000ffffffffffffull
#define PORT_NUM_MASK 0x0fff
#define NS_PER_S 1000000000ull
#define RUN_LIMIT 10000
#define TICKS_MAX 3600

enum info_is {
	INFO_DISABLED,
	INFO_MINE,
	INFO_AGED,
	INFO_RECEIVED
};

enum rcvd_info {
	RI_SUPERIOR_DESIGNATED,
	RI_REPEATED_DESIGNATED,
	RI_INFERIOR_DESIGNATED,
	RI_INFERIOR_ROOT_ALTERNATE,
	RI_OTHER,
};

enum prx_state {
	PRX_DISCARD,
	PRX_RECEIVE
};
enum ppm_state {
	PPM_CHECKING_RSTP,
	PPM_SELECTING_STP,
	PPM_SENSING
};
enum bdm_state {
	BDM_EDGE,
	BDM_NOT_EDGE
};
enum ptx_state {
	PTX_TRANSMIT_INIT,
	PTX_IDLE
};
enum pim_state {
	PIM_DISABLED,
	PIM_AGED,
	PIM_CURRENT
};
enum prt_state {
	PRT_DISABLE_PORT,
	PRT_DISABLED_PORT,
	PRT_ROOT_PORT,
	PRT_DESIGNATED_PORT,
	PRT_BLOCK_PORT,
	PRT_ALTERNATE_PORT,
};
enum pst_state {
	PST_DISCARDING,
	PST_LEARNING,
	PST_FORWARDING
};
enum tcm_state {
	TCM_INACTIVE,
	TCM_LEARNING,
	TCM_ACTIVE
};

/* a priority vector (17.6); lower is better, compared in this order */
struct stp_pv {
	uint64_t root;
	uint32_t cost;
	uint64_t bridge;
	uint16_t port;
	uint16_t rx_port;
};

/* seconds */
struct stp_times {
	unsigned int msg_age;
	unsigned int max_age;
	unsigned int hello;
	unsigned int fwd_delay;
};

struct stp_port {
	uint16_t no;
	uint16_t port_id;
	uint8_t priority;
	uint32_t speed;
	uint32_t path_cost;
	bool cost_auto;
	bool admin_edge, auto_edge, p2p;
	bool port_enabled;
	bool has_mac;
	uint8_t mac[6];

	enum prx_state prx;
	enum ppm_state ppm;
	enum bdm_state bdm;
	enum ptx_state ptx;
	enum pim_state pim;
	enum prt_state prt;
	enum pst_state pst;
	enum tcm_state tcm;

	/* 17.19 */
	bool agree, agreed, disputed, fdb_flush, forward, forwarding, learn, learning, mcheck;
	bool new_info, oper_edge, proposed, proposing, rcvd_bpdu, rcvd_msg, rcvd_rstp, rcvd_stp;
	bool rcvd_tc, rcvd_tc_ack, rcvd_tcn, re_root, reselect, selected, send_rstp;
	bool sync, synced, tc_ack, tc_prop, updt_info;
	enum info_is info_is;
	enum rcvd_info rcvd_info;
	enum stp_role role, selected_role;
	struct stp_pv port_pri, msg_pri, designated_pri;
	struct stp_times port_times, msg_times, designated_times;
	/* 17.17 timers, seconds */
	unsigned int edge_delay_while, fd_while, hello_when, mdelay_while, rb_while;
	unsigned int rcvd_info_while, rr_while, tc_while, tx_count;

	struct stp_bpdu rx; /* the BPDU being received */
	int reported;	    /* enum bridge_port_state last given to set_state, -1 for none */

	uint64_t rx_config, rx_rst, rx_tcn, rx_bad;
	uint64_t tx_config, tx_rst, tx_tcn;
};

struct stp {
	struct stp_config cfg;
	uint8_t mac[6];
	struct stp_ops ops;
	void *ctx;

	uint64_t bridge_id;
	struct stp_pv bridge_pri;
	struct stp_times bridge_times;
	struct stp_pv root_pri;
	struct stp_times root_times;
	struct stp_port *root_port;

	bool clock_set;
	uint64_t now, last_tick;
	uint64_t tc_count, tc_last;
	uint64_t rx_bad;
	uint64_t overruns;

	unsigned int n_ports;
	struct stp_port *list[STP_PORTS_MAX]; /* dense, in order of addition */
	struct stp_port *by_no[STP_PORTS_MAX];
	uint8_t txbuf[STP_FRAME_LEN];
};

static const char *const stp_role_names[] = {
	[STP_ROLE_DISABLED] = "disabled",     [STP_ROLE_ROOT] = "root",
	[STP_ROLE_DESIGNATED] = "designated", [STP_ROLE_ALTERNATE] = "alternate",
	[STP_ROLE_BACKUP] = "backup",
};

const char *stp_role_name(enum stp_role r)
{
	if ((unsigned)r >= sizeof(stp_role_names) / sizeof(stp_role_names[0]))
		return NULL;
	return stp_role_names[r];
}

void stp_config_default(struct stp_config *c)
{
	*c = (struct stp_config){
		.priority = STP_PRIORITY_DEFAULT,
		.force_version = STP_VERSION_RSTP,
		.hello_time = STP_HELLO_DEFAULT,
		.max_age = STP_MAX_AGE_DEFAULT,
		.forward_delay = STP_FWD_DELAY_DEFAULT,
		.tx_hold_count = STP_TX_HOLD_DEFAULT,
	};
}

int stp_config_check(const struct stp_config *c)
{
	if (c->priority % STP_PRIORITY_STEP || c->priority > 15 * STP_PRIORITY_STEP)
		return -EINVAL;
	if (c->force_version != STP_VERSION_STP && c->force_version != STP_VERSION_RSTP)
		return -EINVAL;
	if (c->hello_time < STP_HELLO_MIN || c->hello_time > STP_HELLO_MAX)
		return -EINVAL;
	if (c->max_age < STP_MAX_AGE_MIN || c->max_age > STP_MAX_AGE_MAX)
		return -EINVAL;
	if (c->forward_delay < STP_FWD_DELAY_MIN || c->forward_delay > STP_FWD_DELAY_MAX)
		return -EINVAL;
	if (c->tx_hold_count < STP_TX_HOLD_MIN || c->tx_hold_count > STP_TX_HOLD_MAX)
		return -EINVAL;
	/* 17.14: information must reach the whole network before ports forward */
	if (2 * (c->forward_delay - 1) < c->max_age || c->max_age < 2 * (c->hello_time + 1))
		return -EINVAL;
	return 0;
}

uint32_t stp_path_cost(uint32_t speed_mbps)
{
	uint64_t kbps = (uint64_t)(speed_mbps ? speed_mbps : 10) * 1000;
	uint64_t cost = 20000000000ull / kbps;

	if (cost < 1)
		return 1;
	return cost > STP_PATH_COST_MAX ? STP_PATH_COST_MAX : (uint32_t)cost;
}

/* priority vectors */

static int pv_cmp(const struct stp_pv *a, const struct stp_pv *b)
{
	if (a->root != b->root)
		return a->root < b->root ? -1 : 1;
	if (a->cost != b->cost)
		return a->cost < b->cost ? -1 : 1;
	if (a->bridge != b->bridge)
		return a->bridge < b->bridge ? -1 : 1;
	if (a->port != b->port)
		return a->port < b->port ? -1 : 1;
	if (a->rx_port != b->rx_port)
		return a->rx_port < b->rx_port ? -1 : 1;
	return 0;
}

/* 17.6: better, or from the same designated bridge and port (priorities aside) */
static bool pv_superior(const struct stp_pv *m, const struct stp_pv *p)
{
	if (pv_cmp(m, p) < 0)
		return true;
	return (m->bridge & MAC_MASK) == (p->bridge & MAC_MASK) &&
	       (m->port & PORT_NUM_MASK) == (p->port & PORT_NUM_MASK);
}

static bool times_eq(const struct stp_times *a, const struct stp_times *b)
{
	return a->msg_age == b->msg_age && a->max_age == b->max_age && a->hello == b->hello &&
	       a->fwd_delay == b->fwd_delay;
}

/* derived values (17.20) */

static bool rstp_version(const struct stp *stp)
{
	return stp->cfg.force_version >= 2;
}

static unsigned int fwd_delay(const struct stp_port *p)
{
	return p->designated_times.fwd_delay;
}

static unsigned int max_age(const struct stp_port *p)
{
	return p->designated_times.max_age;
}

static unsigned int hello_time(const struct stp_port *p)
{
	return p->designated_times.hello;
}

static unsigned int forward_delay(const struct stp_port *p)
{
	return p->send_rstp ? hello_time(p) : fwd_delay(p);
}

/* 802.1Q-2011 13.25.9 EdgeDelay(): shared media wait max age before calling a port an edge */
static unsigned int edge_delay(const struct stp_port *p)
{
	return p->p2p ? STP_MIGRATE_TIME : max_age(p);
}

static bool all_synced(const struct stp *stp)
{
	const struct stp_port *q;
	unsigned int i;

	for (i = 0; i < stp->n_ports && (q = stp->list[i]); i++) {
		if (!q->selected || q->role != q->selected_role || q->updt_info)
			return false;
		if (q->role != STP_ROLE_ROOT && !q->synced)
			return false;
	}
	return true;
}

static bool re_rooted(const struct stp *stp, const struct stp_port *p)
{
	const struct stp_port *q;
	unsigned int i;

	for (i = 0; i < stp->n_ports && (q = stp->list[i]); i++)
		if (q != p && q->rr_while)
			return false;
	return true;
}

static bool tc_running(const struct stp *stp)
{
	const struct stp_port *q;
	unsigned int i;

	for (i = 0; i < stp->n_ports && (q = stp->list[i]); i++)
		if (q->tc_while)
			return true;
	return false;
}

/* transmission (17.21.19-21) */

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

static void tx_config(struct stp *stp, struct stp_port *p)
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

static void tx_rstp(struct stp *stp, struct stp_port *p)
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

static void tx_tcn(struct stp *stp, struct stp_port *p)
{
	struct stp_bpdu b = { .version = 0, .type = STP_BPDU_TCN };

	tx_frame(stp, p, &b);
	p->tx_tcn++;
}

/* procedures on the received BPDU (17.21) */

static unsigned int bpdu_seconds(uint16_t v)
{
	unsigned int s = (v + 128u) >> 8;

	/* 256 s would not fit back into a BPDU */
	return s > 255 ? 255 : s;
}

/* the port role a received BPDU conveys; a configuration BPDU is a designated port's */
static unsigned int rx_role(const struct stp_port *p)
{
	if (p->rx.type == STP_BPDU_CONFIG)
		return STP_BPDU_ROLE_DESIGNATED;
	return (p->rx.flags & STP_FLAG_ROLE_MASK) >> STP_FLAG_ROLE_SHIFT;
}

static enum rcvd_info rcv_info(struct stp_port *p)
{
	const struct stp_bpdu *b = &p->rx;
	unsigned int role = rx_role(p);
	int c;

	p->msg_pri = (struct stp_pv){ b->root_id, b->root_cost, b->bridge_id, b->port_id,
				      p->port_id };
	p->msg_times = (struct stp_times){ bpdu_seconds(b->message_age), bpdu_seconds(b->max_age),
					   bpdu_seconds(b->hello_time),
					   bpdu_seconds(b->forward_delay) };
	if (role == STP_BPDU_ROLE_DESIGNATED) {
		c = pv_cmp(&p->msg_pri, &p->port_pri);
		if (c == 0)
			return times_eq(&p->msg_times, &p->port_times) ? RI_REPEATED_DESIGNATED
								       : RI_SUPERIOR_DESIGNATED;
		if (pv_superior(&p->msg_pri, &p->port_pri))
			return RI_SUPERIOR_DESIGNATED;
		return RI_INFERIOR_DESIGNATED;
	}
	if ((role == STP_BPDU_ROLE_ROOT || role == STP_BPDU_ROLE_ALT_BACKUP) &&
	    pv_cmp(&p->msg_pri, &p->port_pri) >= 0)
		return RI_INFERIOR_ROOT_ALTERNATE;
	return RI_OTHER;
}

static void record_proposal(struct stp_port *p)
{
	if (rx_role(p) == STP_BPDU_ROLE_DESIGNATED && (p->rx.flags & STP_FLAG_PROPOSAL))
		p->proposed = true;
}

static void record_agreement(const struct stp *stp, struct stp_port *p)
{
	if (rstp_version(stp) && p->p2p && p->rx.type == STP_BPDU_RST &&
	    (p->rx.flags & STP_FLAG_AGREEMENT)) {
		p->agreed = true;
		p->proposing = false;
	} else {
		p->agreed = false;
	}
}

/* 802.1Q-2011: an inferior designated port that is learning disputes our role */
static void record_dispute(struct stp_port *p)
{
	if (p->rx.type == STP_BPDU_RST && (p->rx.flags & STP_FLAG_LEARNING)) {
		p->disputed = true;
		p->agreed = false;
	}
}

static void set_tc_flags(struct stp_port *p)
{
	if (p->rx.flags & STP_FLAG_TC)
		p->rcvd_tc = true;
	if (p->rx.flags & STP_FLAG_TC_ACK)
		p->rcvd_tc_ack = true;
}

static void record_times(struct stp_port *p)
{
	p->port_times = p->msg_times;
	if (p->port_times.hello < 1)
		p->port_times.hello = 1;
}

static void updt_rcvd_info_while(struct stp_port *p)
{
	if (p->port_times.msg_age + 1 <= p->port_times.max_age)
		p->rcvd_info_while = 3 * p->port_times.hello;
	else
		p->rcvd_info_while = 0;
}

static bool better_or_same_info(const struct stp_port *p, enum info_is new_info_is)
{
	if (new_info_is == INFO_RECEIVED && p->info_is == INFO_RECEIVED)
		return pv_cmp(&p->msg_pri, &p->port_pri) <= 0;
	if (new_info_is == INFO_MINE && p->info_is == INFO_MINE)
		return pv_cmp(&p->designated_pri, &p->port_pri) <= 0;
	return false;
}

static void set_sync_tree(struct stp *stp)
{
	struct stp_port *q;
	unsigned int i;

	for (i = 0; i < stp->n_ports && (q = stp->list[i]); i++)
		q->sync = true;
}

static void set_re_root_tree(struct stp *stp)
{
	struct stp_port *q;
	unsigned int i;

	for (i = 0; i < stp->n_ports && (q = stp->list[i]); i++)
		q->re_root = true;
}

static void set_tc_prop_tree(struct stp *stp, const struct stp_port *p)
{
	struct stp_port *q;
	unsigned int i;

	for (i = 0; i < stp->n_ports && (q = stp->list[i]); i++)
		if (q != p)
			q->tc_prop = true;
}

static void new_tc_while(struct stp *stp, struct stp_port *p)
{
	if (p->tc_while)
		return;
	if (!tc_running(stp)) {
		stp->tc_count++;
		stp->tc_last = stp->now;
	}
	if (p->send_rstp) {
		p->tc_while = hello_time(p) + 1;
		p->new_info = true;
	} else {
		p->tc_while = stp->root_times.max_age + stp->root_times.fwd_delay;
	}
}

/* Port Receive (17.23) */

static void prx_discard(struct stp_port *p)
{
	p->prx = PRX_DISCARD;
	p->rcvd_bpdu = p->rcvd_rstp = p->rcvd_stp = false;
	p->rcvd_msg = false;
	p->edge_delay_while = edge_delay(p);
}

static void prx_receive(struct stp_port *p)
{
	p->prx = PRX_RECEIVE;
	/* updtBPDUVersion() */
	if (p->rx.version < 2 && (p->rx.type == STP_BPDU_CONFIG || p->rx.type == STP_BPDU_TCN))
		p->rcvd_stp = true;
	if (p->rx.type == STP_BPDU_RST)
		p->rcvd_rstp = true;
	p->oper_edge = p->rcvd_bpdu = false;
	/* a TCN carries no priority vector: it goes to topology change alone (802.1Q-2011) */
	if (p->rx.type == STP_BPDU_TCN)
		p->rcvd_tcn = true;
	else
		p->rcvd_msg = true;
	p->edge_delay_while = edge_delay(p);
}

static bool prx_step(struct stp_port *p)
{
	if ((p->rcvd_bpdu || p->edge_delay_while != edge_delay(p)) && !p->port_enabled) {
		prx_discard(p);
		return true;
	}
	if (p->rcvd_bpdu && p->port_enabled && !p->rcvd_msg) {
		prx_receive(p);
		return true;
	}
	return false;
}

/* Port Protocol Migration (17.24) */

static void ppm_checking_rstp(const struct stp *stp, struct stp_port *p)
{
	p->ppm = PPM_CHECKING_RSTP;
	p->mcheck = false;
	p->send_rstp = rstp_version(stp);
	p->mdelay_while = STP_MIGRATE_TIME;
}

static bool ppm_step(const struct stp *stp, struct stp_port *p)
{
	switch (p->ppm) {
	case PPM_CHECKING_RSTP:
		if (p->mdelay_while != STP_MIGRATE_TIME && !p->port_enabled) {
			ppm_checking_rstp(stp, p);
			return true;
		}
		if (p->mdelay_while == 0)
			goto sensing;
		return false;
	case PPM_SELECTING_STP:
		if (p->mdelay_while == 0 || !p->port_enabled || p->mcheck)
			goto sensing;
		return false;
	case PPM_SENSING:
		if (!p->port_enabled || p->mcheck ||
		    (rstp_version(stp) && !p->send_rstp && p->rcvd_rstp)) {
			ppm_checking_rstp(stp, p);
			return true;
		}
		if (p->send_rstp && p->rcvd_stp) {
			p->ppm = PPM_SELECTING_STP;
			p->send_rstp = false;
			p->mdelay_while = STP_MIGRATE_TIME;
			return true;
		}
		return false;
	}
	return false;
sensing:
	p->ppm = PPM_SENSING;
	p->rcvd_rstp = p->rcvd_stp = false;
	return true;
}

/* Bridge Detection (17.25) */

static bool bdm_step(struct stp_port *p)
{
	switch (p->bdm) {
	case BDM_EDGE:
		if ((!p->port_enabled && !p->admin_edge) || !p->oper_edge) {
			p->bdm = BDM_NOT_EDGE;
			p->oper_edge = false;
			return true;
		}
		return false;
	case BDM_NOT_EDGE:
		if ((!p->port_enabled && p->admin_edge) ||
		    (p->edge_delay_while == 0 && p->auto_edge && p->send_rstp && p->proposing)) {
			p->bdm = BDM_EDGE;
			p->oper_edge = true;
			return true;
		}
		return false;
	}
	return false;
}

/* Port Transmit (17.26) */

static void ptx_idle(const struct stp *stp, struct stp_port *p)
{
	p->ptx = PTX_IDLE;
	p->hello_when = stp->bridge_times.hello;
}

static bool ptx_step(struct stp *stp, struct stp_port *p)
{
	bool ready = p->selected && !p->updt_info;
	bool can_send;

	if (!p->port_enabled) {
		if (p->ptx == PTX_TRANSMIT_INIT)
			return false;
		p->ptx = PTX_TRANSMIT_INIT;
		p->new_info = true;
		p->tx_count = 0;
		return true;
	}
	if (p->ptx == PTX_TRANSMIT_INIT) {
		ptx_idle(stp, p);
		return true;
	}
	if (!ready)
		return false;
	if (p->hello_when == 0) {
		/* TRANSMIT_PERIODIC */
		p->new_info = p->new_info || p->role == STP_ROLE_DESIGNATED ||
			      (p->role == STP_ROLE_ROOT && p->tc_while);
		ptx_idle(stp, p);
		return true;
	}
	can_send = p->new_info && p->tx_count < stp->cfg.tx_hold_count;
	if (can_send && p->send_rstp) {
		p->new_info = false;
		tx_rstp(stp, p);
		p->tx_count++;
		p->tc_ack = false;
	} else if (can_send && p->role == STP_ROLE_ROOT) {
		p->new_info = false;
		tx_tcn(stp, p);
		p->tx_count++;
	} else if (can_send && p->role == STP_ROLE_DESIGNATED) {
		p->new_info = false;
		tx_config(stp, p);
		p->tx_count++;
		p->tc_ack = false;
	} else {
		return false;
	}
	ptx_idle(stp, p);
	return true;
}

/* Port Information (17.27) */

static void pim_disabled(struct stp_port *p)
{
	p->pim = PIM_DISABLED;
	p->rcvd_msg = false;
	p->proposing = p->proposed = p->agree = p->agreed = false;
	p->rcvd_info_while = 0;
	p->info_is = INFO_DISABLED;
	p->reselect = true;
	p->selected = false;
}

static void pim_aged(struct stp_port *p)
{
	p->pim = PIM_AGED;
	p->info_is = INFO_AGED;
	p->reselect = true;
	p->selected = false;
}

static void pim_update(struct stp_port *p)
{
	p->proposing = p->proposed = false;
	p->agreed = p->agreed && better_or_same_info(p, INFO_MINE);
	p->synced = p->synced && p->agreed;
	p->port_pri = p->designated_pri;
	p->port_times = p->designated_times;
	p->updt_info = false;
	p->info_is = INFO_MINE;
	p->new_info = true;
	p->pim = PIM_CURRENT;
}

static void pim_receive(const struct stp *stp, struct stp_port *p)
{
	p->rcvd_info = rcv_info(p);
	switch (p->rcvd_info) {
	case RI_SUPERIOR_DESIGNATED:
		p->agreed = p->proposing = false;
		record_proposal(p);
		set_tc_flags(p);
		p->agree = p->agree && better_or_same_info(p, INFO_RECEIVED);
		p->port_pri = p->msg_pri; /* recordPriority() */
		record_times(p);
		updt_rcvd_info_while(p);
		p->info_is = INFO_RECEIVED;
		p->reselect = true;
		p->selected = false;
		break;
	case RI_REPEATED_DESIGNATED:
		record_proposal(p);
		set_tc_flags(p);
		updt_rcvd_info_while(p);
		break;
	case RI_INFERIOR_DESIGNATED:
		record_dispute(p);
		break;
	case RI_INFERIOR_ROOT_ALTERNATE:
		record_agreement(stp, p);
		set_tc_flags(p);
		break;
	case RI_OTHER:
		break;
	}
	p->rcvd_msg = false;
	p->pim = PIM_CURRENT;
}

static bool pim_step(const struct stp *stp, struct stp_port *p)
{
	if (!p->port_enabled && p->info_is != INFO_DISABLED) {
		pim_disabled(p);
		return true;
	}
	switch (p->pim) {
	case PIM_DISABLED:
		if (p->rcvd_msg) {
			pim_disabled(p);
			return true;
		}
		if (p->port_enabled) {
			pim_aged(p);
			return true;
		}
		return false;
	case PIM_AGED:
		if (p->selected && p->updt_info) {
			pim_update(p);
			return true;
		}
		return false;
	case PIM_CURRENT:
		if (p->selected && p->updt_info) {
			pim_update(p);
			return true;
		}
		if (p->info_is == INFO_RECEIVED && p->rcvd_info_while == 0 && !p->updt_info &&
		    !p->rcvd_msg) {
			pim_aged(p);
			return true;
		}
		if (p->rcvd_msg && !p->updt_info) {
			pim_receive(stp, p);
			return true;
		}
		return false;
	}
	return false;
}

/* Port Role Selection (17.28) */

static void updt_roles_tree(struct stp *stp)
{
	struct stp_pv best = stp->bridge_pri, rp;
	struct stp_port *p, *root = NULL;
	unsigned int i;

	for (i = 0; i < stp->n_ports && (p = stp->list[i]); i++) {
		if (p->info_is != INFO_RECEIVED)
			continue;
		/* information from this bridge (a loop through a LAN) never makes a root port */
		if ((p->port_pri.bridge & MAC_MASK) == (stp->bridge_id & MAC_MASK))
			continue;
		rp = p->port_pri;
		rp.cost = rp.cost > UINT32_MAX - p->path_cost ? UINT32_MAX : rp.cost + p->path_cost;
		rp.rx_port = p->port_id;
		if (pv_cmp(&rp, &best) < 0) {
			best = rp;
			root = p;
		}
	}
	stp->root_pri = best;
	stp->root_port = root;
	if (root) {
		stp->root_times = root->port_times;
		stp->root_times.msg_age++;
	} else {
		stp->root_times = stp->bridge_times;
	}

	for (i = 0; i < stp->n_ports && (p = stp->list[i]); i++) {
		p->designated_pri = (struct stp_pv){ best.root, best.cost, stp->bridge_id,
						     p->port_id, p->port_id };
		p->designated_times = stp->root_times;
		p->designated_times.hello = stp->bridge_times.hello;
		switch (p->info_is) {
		case INFO_DISABLED:
			p->selected_role = STP_ROLE_DISABLED;
			break;
		case INFO_AGED:
			p->selected_role = STP_ROLE_DESIGNATED;
			p->updt_info = true;
			break;
		case INFO_MINE:
			p->selected_role = STP_ROLE_DESIGNATED;
			if (pv_cmp(&p->port_pri, &p->designated_pri) ||
			    !times_eq(&p->port_times, &p->designated_times))
				p->updt_info = true;
			break;
		case INFO_RECEIVED:
			if (p == root) {
				p->selected_role = STP_ROLE_ROOT;
				p->updt_info = false;
			} else if (pv_cmp(&p->designated_pri, &p->port_pri) >= 0) {
				if ((p->port_pri.bridge & MAC_MASK) != (stp->bridge_id & MAC_MASK))
					p->selected_role = STP_ROLE_ALTERNATE;
				else
					p->selected_role = STP_ROLE_BACKUP;
				p->updt_info = false;
			} else {
				p->selected_role = STP_ROLE_DESIGNATED;
				p->updt_info = true;
			}
			break;
		}
	}
}

static bool prs_step(struct stp *stp)
{
	struct stp_port *p;
	unsigned int i;
	bool any = false;

	for (i = 0; i < stp->n_ports && (p = stp->list[i]); i++)
		any = any || p->reselect;
	if (!any)
		return false;
	/* ROLE_SELECTION: clearReselectTree(), updtRolesTree(), setSelectedTree() */
	for (i = 0; i < stp->n_ports && (p = stp->list[i]); i++)
		p->reselect = false;
	updt_roles_tree(stp);
	for (i = 0; i < stp->n_ports && (p = stp->list[i]); i++)
		p->selected = true;
	return true;
}

/* Port Role Transitions (17.29) */

static void prt_disable_port(struct stp_port *p)
{
	p->prt = PRT_DISABLE_PORT;
	p->role = p->selected_role;
	p->learn = p->forward = false;
}

static void prt_disabled_port(struct stp_port *p)
{
	p->prt = PRT_DISABLED_PORT;
	p->fd_while = max_age(p);
	p->synced = true;
	p->rr_while = 0;
	p->sync = p->re_root = false;
}

static void prt_root_port(struct stp_port *p)
{
	p->prt = PRT_ROOT_PORT;
	p->role = STP_ROLE_ROOT;
	p->rr_while = fwd_delay(p);
}

static void prt_designated_port(struct stp_port *p)
{
	p->prt = PRT_DESIGNATED_PORT;
	p->role = STP_ROLE_DESIGNATED;
}

static void prt_block_port(struct stp_port *p)
{
	p->prt = PRT_BLOCK_PORT;
	p->role = p->selected_role;
	p->learn = p->forward = false;
}

static void prt_alternate_port(struct stp_port *p)
{
	p->prt = PRT_ALTERNATE_PORT;
	p->fd_while = forward_delay(p);
	p->synced = true;
	p->rr_while = 0;
	p->sync = p->re_root = false;
}

static bool prt_root(struct stp *stp, struct stp_port *p)
{
	bool may_advance = p->fd_while == 0 ||
			   (re_rooted(stp, p) && p->rb_while == 0 && rstp_version(stp));

	if (p->proposed && !p->agree) {
		/* ROOT_PROPOSED */
		set_sync_tree(stp);
		p->proposed = false;
	} else if ((all_synced(stp) && !p->agree) || (p->proposed && p->agree)) {
		/* ROOT_AGREED */
		p->proposed = p->sync = false;
		p->agree = true;
		p->new_info = true;
	} else if ((p->agreed && !p->synced) || (p->sync && p->synced)) {
		/* ROOT_SYNCED */
		p->synced = true;
		p->sync = false;
	} else if (!p->forward && !p->re_root) {
		/* REROOT */
		set_re_root_tree(stp);
	} else if (may_advance && !p->learn) {
		/* ROOT_LEARN */
		p->fd_while = forward_delay(p);
		p->learn = true;
	} else if (may_advance && p->learn && !p->forward) {
		/* ROOT_FORWARD */
		p->fd_while = 0;
		p->forward = true;
	} else if (p->re_root && p->forward) {
		/* REROOTED */
		p->re_root = false;
	} else if (p->rr_while != fwd_delay(p)) {
		/* back to ROOT_PORT below */
	} else {
		return false;
	}
	prt_root_port(p);
	return true;
}

static bool prt_designated(struct stp_port *p)
{
	bool may_advance = (p->fd_while == 0 || p->agreed || p->oper_edge) &&
			   (p->rr_while == 0 || !p->re_root) && !p->sync;

	if (!p->forward && !p->agreed && !p->proposing && !p->oper_edge) {
		/* DESIGNATED_PROPOSE */
		p->proposing = true;
		p->edge_delay_while = edge_delay(p);
		p->new_info = true;
	} else if ((!p->learning && !p->forwarding && !p->synced) || (p->agreed && !p->synced) ||
		   (p->oper_edge && !p->synced) || (p->sync && p->synced)) {
		/* DESIGNATED_SYNCED */
		p->rr_while = 0;
		p->synced = true;
		p->sync = false;
	} else if (p->rr_while == 0 && p->re_root) {
		/* DESIGNATED_RETIRED */
		p->re_root = false;
	} else if (((p->sync && !p->synced) || (p->re_root && p->rr_while) || p->disputed) &&
		   !p->oper_edge && (p->learn || p->forward)) {
		/* DESIGNATED_DISCARD */
		p->learn = p->forward = p->disputed = false;
		p->fd_while = forward_delay(p);
	} else if (may_advance && !p->learn) {
		/* DESIGNATED_LEARN */
		p->learn = true;
		p->fd_while = forward_delay(p);
	} else if (may_advance && p->learn && !p->forward) {
		/* DESIGNATED_FORWARD */
		p->forward = true;
		p->fd_while = 0;
		p->agreed = p->send_rstp;
	} else {
		return false;
	}
	prt_designated_port(p);
	return true;
}

static bool prt_alternate(struct stp *stp, struct stp_port *p)
{
	if (p->proposed && !p->agree) {
		/* ALTERNATE_PROPOSED */
		set_sync_tree(stp);
		p->proposed = false;
	} else if ((all_synced(stp) && !p->agree) || (p->proposed && p->agree)) {
		/* ALTERNATE_AGREED */
		p->proposed = false;
		p->agree = true;
		p->new_info = true;
	} else if (p->rb_while != 2 * hello_time(p) && p->role == STP_ROLE_BACKUP) {
		/* BACKUP_PORT */
		p->rb_while = 2 * hello_time(p);
	} else if (p->fd_while != forward_delay(p) || p->sync || p->re_root || !p->synced) {
		/* back to ALTERNATE_PORT below */
	} else {
		return false;
	}
	prt_alternate_port(p);
	return true;
}

static bool prt_step(struct stp *stp, struct stp_port *p)
{
	if (!p->selected || p->updt_info)
		return false;
	if (p->role != p->selected_role) {
		switch (p->selected_role) {
		case STP_ROLE_DISABLED:
			prt_disable_port(p);
			break;
		case STP_ROLE_ROOT:
			prt_root_port(p);
			break;
		case STP_ROLE_DESIGNATED:
			prt_designated_port(p);
			break;
		case STP_ROLE_ALTERNATE:
		case STP_ROLE_BACKUP:
			prt_block_port(p);
			break;
		}
		return true;
	}
	switch (p->prt) {
	case PRT_DISABLE_PORT:
		if (!p->learning && !p->forwarding) {
			prt_disabled_port(p);
			return true;
		}
		return false;
	case PRT_DISABLED_PORT:
		if (p->fd_while != max_age(p) || p->sync || p->re_root || !p->synced) {
			prt_disabled_port(p);
			return true;
		}
		return false;
	case PRT_ROOT_PORT:
		return prt_root(stp, p);
	case PRT_DESIGNATED_PORT:
		return prt_designated(p);
	case PRT_BLOCK_PORT:
		if (!p->learning && !p->forwarding) {
			prt_alternate_port(p);
			return true;
		}
		return false;
	case PRT_ALTERNATE_PORT:
		return prt_alternate(stp, p);
	}
	return false;
}

/* Port State Transition (17.30) */

static bool pst_step(struct stp_port *p)
{
	switch (p->pst) {
	case PST_DISCARDING:
		if (p->learn) {
			p->pst = PST_LEARNING;
			p->learning = true;
			return true;
		}
		return false;
	case PST_LEARNING:
		if (!p->learn)
			goto discarding;
		if (p->forward) {
			p->pst = PST_FORWARDING;
			p->forwarding = true;
			return true;
		}
		return false;
	case PST_FORWARDING:
		if (!p->forward)
			goto discarding;
		return false;
	}
	return false;
discarding:
	p->pst = PST_DISCARDING;
	p->learning = p->forwarding = false;
	return true;
}

/* Topology Change (17.31) */

static void tcm_inactive(struct stp_port *p)
{
	p->tcm = TCM_INACTIVE;
	p->fdb_flush = true;
	p->tc_while = 0;
	p->tc_ack = false;
}

static void tcm_learning(struct stp_port *p)
{
	p->tcm = TCM_LEARNING;
	p->rcvd_tc = p->rcvd_tcn = p->rcvd_tc_ack = false;
	p->tc_prop = false;
}

static bool tcm_step(struct stp *stp, struct stp_port *p)
{
	bool root_or_desig = p->role == STP_ROLE_ROOT || p->role == STP_ROLE_DESIGNATED;
	bool any_rcvd = p->rcvd_tc || p->rcvd_tcn || p->rcvd_tc_ack || p->tc_prop;

	switch (p->tcm) {
	case TCM_INACTIVE:
		if (p->learn && !p->fdb_flush) {
			tcm_learning(p);
			return true;
		}
		return false;
	case TCM_LEARNING:
		if (root_or_desig && p->forward && !p->oper_edge) {
			/* DETECTED */
			new_tc_while(stp, p);
			set_tc_prop_tree(stp, p);
			p->new_info = true;
			p->tcm = TCM_ACTIVE;
			return true;
		}
		if (!root_or_desig && !(p->learn || p->learning) && !any_rcvd) {
			tcm_inactive(p);
			return true;
		}
		if (any_rcvd) {
			tcm_learning(p);
			return true;
		}
		return false;
	case TCM_ACTIVE:
		if (!root_or_desig || p->oper_edge) {
			tcm_learning(p);
			return true;
		}
		if (p->rcvd_tcn || p->rcvd_tc) {
			/* NOTIFIED_TCN, then NOTIFIED_TC */
			if (p->rcvd_tcn)
				new_tc_while(stp, p);
			p->rcvd_tcn = p->rcvd_tc = false;
			if (p->role == STP_ROLE_DESIGNATED)
				p->tc_ack = true;
			set_tc_prop_tree(stp, p);
			return true;
		}
		if (p->tc_prop && !p->oper_edge) {
			/* PROPAGATING */
			new_tc_while(stp, p);
			p->fdb_flush = true;
			p->tc_prop = false;
			return true;
		}
		if (p->rcvd_tc_ack) {
			/* ACKNOWLEDGED */
			p->tc_while = 0;
			p->rcvd_tc_ack = false;
			return true;
		}
		return false;
	}
	return false;
}

/* the filtering database does what fdbFlush asks at once (17.19.7) */
static void do_flush(struct stp *stp, struct stp_port *p)
{
	if (!p->fdb_flush)
		return;
	p->fdb_flush = false;
	if (stp->ops.flush)
		stp->ops.flush(stp->ctx, p->no, rstp_version(stp) ? 0 : fwd_delay(p));
}

static enum bridge_port_state port_br_state(const struct stp_port *p)
{
	if (!p->port_enabled)
		return BR_STATE_DISABLED;
	if (p->forwarding)
		return BR_STATE_FORWARDING;
	if (p->learning)
		return BR_STATE_LEARNING;
	if (!p->send_rstp && (p->role == STP_ROLE_ROOT || p->role == STP_ROLE_DESIGNATED))
		return BR_STATE_LISTENING;
	return BR_STATE_BLOCKING;
}

static void report_states(struct stp *stp)
{
	struct stp_port *p;
	enum bridge_port_state s;
	unsigned int i;

	for (i = 0; i < stp->n_ports && (p = stp->list[i]); i++) {
		s = port_br_state(p);
		if ((int)s == p->reported)
			continue;
		p->reported = (int)s;
		if (stp->ops.set_state)
			stp->ops.set_state(stp->ctx, p->no, s);
	}
}

static void stp_run(struct stp *stp)
{
	struct stp_port *p;
	unsigned int i, n;
	bool changed, sent;

	for (n = 0; n < RUN_LIMIT;) {
		do {
			changed = false;
			for (i = 0; i < stp->n_ports && (p = stp->list[i]); i++) {
				changed |= prx_step(p);
				changed |= ppm_step(stp, p);
				changed |= bdm_step(p);
				changed |= pim_step(stp, p);
			}
			changed |= prs_step(stp);
			for (i = 0; i < stp->n_ports && (p = stp->list[i]); i++) {
				changed |= prt_step(stp, p);
				changed |= pst_step(p);
				changed |= tcm_step(stp, p);
				do_flush(stp, p);
			}
		} while (changed && ++n < RUN_LIMIT);
		if (n >= RUN_LIMIT)
			break;
		sent = false;
		for (i = 0; i < stp->n_ports && (p = stp->list[i]); i++)
			sent |= ptx_step(stp, p);
		if (!sent)
			break;
		n++;
	}
	if (n >= RUN_LIMIT)
		stp->overruns++;
	report_states(stp);
}

/* BEGIN for one port: every machine to its initial state */
static void port_begin(struct stp *stp, struct stp_port *p)
{
	p->designated_times = stp->root_times;
	p->designated_times.hello = stp->bridge_times.hello;
	p->rcvd_tc = p->rcvd_tcn = p->rcvd_tc_ack = p->tc_prop = false;
	p->disputed = false;
	prx_discard(p);
	ppm_checking_rstp(stp, p);
	p->bdm = p->admin_edge ? BDM_EDGE : BDM_NOT_EDGE;
	p->oper_edge = p->admin_edge;
	p->ptx = PTX_TRANSMIT_INIT;
	p->new_info = true;
	p->tx_count = 0;
	pim_disabled(p);
	p->selected_role = STP_ROLE_DISABLED;
	/* INIT_PORT, then DISABLE_PORT */
	p->role = STP_ROLE_DISABLED;
	p->learn = p->forward = false;
	p->synced = false;
	p->sync = p->re_root = true;
	p->rr_while = fwd_delay(p);
	p->fd_while = max_age(p);
	p->rb_while = 0;
	prt_disable_port(p);
	p->pst = PST_DISCARDING;
	p->learning = p->forwarding = false;
	tcm_inactive(p);
	p->updt_info = false;
	p->hello_when = p->tc_while = p->rcvd_info_while = 0;
}

static void stp_set_clock(struct stp *stp, uint64_t now_ns)
{
	if (!stp->clock_set) {
		stp->clock_set = true;
		stp->last_tick = now_ns;
	}
	if (now_ns > stp->now)
		stp->now = now_ns;
}

static void bridge_vectors(struct stp *stp)
{
	stp->bridge_id = (uint64_t)stp->cfg.priority << 48 | (uint64_t)stp->mac[0] << 40 |
			 (uint64_t)stp->mac[1] << 32 | (uint64_t)stp->mac[2] << 24 |
			 (uint64_t)stp->mac[3] << 16 | (uint64_t)stp->mac[4] << 8 | stp->mac[5];
	stp->bridge_pri = (struct stp_pv){ stp->bridge_id, 0, stp->bridge_id, 0, 0 };
	stp->bridge_times = (struct stp_times){ 0, stp->cfg.max_age, stp->cfg.hello_time,
						stp->cfg.forward_delay };
}

struct stp *stp_new(const struct stp_config *c, const uint8_t mac[6], const struct stp_ops *ops,
		    void *ctx)
{
	struct stp *stp;

	if (stp_config_check(c)) {
		errno = EINVAL;
		return NULL;
	}
	stp = calloc(1, sizeof(*stp));
	if (!stp)
		return NULL;
	stp->cfg = *c;
	memcpy(stp->mac, mac, 6);
	if (ops)
		stp->ops = *ops;
	stp->ctx = ctx;
	bridge_vectors(stp);
	stp->root_pri = stp->bridge_pri;
	stp->root_times = stp->bridge_times;
	return stp;
}

void stp_free(struct stp *stp)
{
	unsigned int i;

	if (!stp)
		return;
	for (i = 0; i < stp->n_ports; i++)
		free(stp->list[i]);
	free(stp);
}

static void reselect_all(struct stp *stp)
{
	struct stp_port *p;
	unsigned int i;

	for (i = 0; i < stp->n_ports && (p = stp->list[i]); i++) {
		p->reselect = true;
		p->selected = false;
	}
}

int stp_set_config(struct stp *stp, const struct stp_config *c, uint64_t now_ns)
{
	struct stp_port *p;
	bool restart;
	unsigned int i;

	if (stp_config_check(c))
		return -EINVAL;
	stp_set_clock(stp, now_ns);
	restart = c->force_version != stp->cfg.force_version;
	stp->cfg = *c;
	bridge_vectors(stp);
	if (!stp->root_port) {
		stp->root_pri = stp->bridge_pri;
		stp->root_times = stp->bridge_times;
	}
	if (restart)
		for (i = 0; i < stp->n_ports && (p = stp->list[i]); i++)
			port_begin(stp, p);
	reselect_all(stp);
	stp_run(stp);
	return 0;
}

void stp_get_config(const struct stp *stp, struct stp_config *c)
{
	*c = stp->cfg;
}

static struct stp_port *port_get(const struct stp *stp, uint16_t port_no)
{
	return port_no < STP_PORTS_MAX ? stp->by_no[port_no] : NULL;
}

bool stp_port_exists(const struct stp *stp, uint16_t port_no)
{
	return port_get(stp, port_no) != NULL;
}

static uint16_t make_port_id(unsigned int priority, uint16_t port_no)
{
	return (uint16_t)(priority << 8 | ((port_no + 1) & PORT_NUM_MASK));
}

int stp_port_add(struct stp *stp, uint16_t port_no, uint32_t speed_mbps, bool point_to_point,
		 bool admin_edge, uint64_t now_ns)
{
	struct stp_port *p;

	if (port_no >= STP_PORTS_MAX)
		return -EINVAL;
	if (stp->by_no[port_no])
		return -EEXIST;
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	stp_set_clock(stp, now_ns);
	p->no = port_no;
	p->priority = STP_PORT_PRIORITY_DEFAULT;
	p->port_id = make_port_id(p->priority, port_no);
	p->speed = speed_mbps;
	p->path_cost = stp_path_cost(speed_mbps);
	p->cost_auto = true;
	p->p2p = point_to_point;
	p->admin_edge = admin_edge;
	p->auto_edge = true;
	p->reported = -1;
	stp->by_no[port_no] = p;
	stp->list[stp->n_ports++] = p;
	port_begin(stp, p);
	stp_run(stp);
	return 0;
}

int stp_port_del(struct stp *stp, uint16_t port_no, uint64_t now_ns)
{
	struct stp_port *p = port_get(stp, port_no);
	unsigned int i;

	if (!p)
		return -ENOENT;
	stp_set_clock(stp, now_ns);
	for (i = 0; i < stp->n_ports; i++)
		if (stp->list[i] == p)
			break;
	memmove(&stp->list[i], &stp->list[i + 1], (stp->n_ports - i - 1) * sizeof(stp->list[0]));
	stp->n_ports--;
	stp->by_no[port_no] = NULL;
	if (stp->root_port == p)
		stp->root_port = NULL;
	free(p);
	if (!stp->n_ports) {
		stp->root_pri = stp->bridge_pri;
		stp->root_times = stp->bridge_times;
	}
	reselect_all(stp);
	stp_run(stp);
	return 0;
}

int stp_port_set_link(struct stp *stp, uint16_t port_no, bool up, uint64_t now_ns)
{
	struct stp_port *p = port_get(stp, port_no);

	if (!p)
		return -ENOENT;
	stp_set_clock(stp, now_ns);
	p->port_enabled = up;
	stp_run(stp);
	return 0;
}

static void port_reselect(struct stp *stp, struct stp_port *p)
{
	p->reselect = true;
	p->selected = false;
	stp_run(stp);
}

int stp_port_set_speed(struct stp *stp, uint16_t port_no, uint32_t speed_mbps, uint64_t now_ns)
{
	struct stp_port *p = port_get(stp, port_no);

	if (!p)
		return -ENOENT;
	stp_set_clock(stp, now_ns);
	p->speed = speed_mbps;
	if (p->cost_auto && p->path_cost != stp_path_cost(speed_mbps)) {
		p->path_cost = stp_path_cost(speed_mbps);
		port_reselect(stp, p);
	}
	return 0;
}

int stp_port_set_path_cost(struct stp *stp, uint16_t port_no, uint32_t cost, uint64_t now_ns)
{
	struct stp_port *p = port_get(stp, port_no);

	if (!p)
		return -ENOENT;
	if (cost > STP_PATH_COST_MAX)
		return -EINVAL;
	stp_set_clock(stp, now_ns);
	p->cost_auto = cost == 0;
	p->path_cost = cost ? cost : stp_path_cost(p->speed);
	port_reselect(stp, p);
	return 0;
}

int stp_port_set_priority(struct stp *stp, uint16_t port_no, unsigned priority, uint64_t now_ns)
{
	struct stp_port *p = port_get(stp, port_no);

	if (!p)
		return -ENOENT;
	if (priority % STP_PORT_PRIORITY_STEP || priority > 15 * STP_PORT_PRIORITY_STEP)
		return -EINVAL;
	stp_set_clock(stp, now_ns);
	p->priority = (uint8_t)priority;
	p->port_id = make_port_id(priority, port_no);
	p->port_pri.rx_port = p->port_id;
	port_reselect(stp, p);
	return 0;
}

int stp_port_set_edge(struct stp *stp, uint16_t port_no, bool admin_edge, bool auto_edge,
		      uint64_t now_ns)
{
	struct stp_port *p = port_get(stp, port_no);

	if (!p)
		return -ENOENT;
	stp_set_clock(stp, now_ns);
	if (admin_edge != p->admin_edge) {
		p->oper_edge = admin_edge;
		p->bdm = admin_edge ? BDM_EDGE : BDM_NOT_EDGE;
	}
	p->admin_edge = admin_edge;
	p->auto_edge = auto_edge;
	stp_run(stp);
	return 0;
}

int stp_port_set_p2p(struct stp *stp, uint16_t port_no, bool point_to_point, uint64_t now_ns)
{
	struct stp_port *p = port_get(stp, port_no);

	if (!p)
		return -ENOENT;
	stp_set_clock(stp, now_ns);
	p->p2p = point_to_point;
	stp_run(stp);
	return 0;
}

int stp_port_set_mac(struct stp *stp, uint16_t port_no, const uint8_t mac[6])
{
	struct stp_port *p = port_get(stp, port_no);

	if (!p)
		return -ENOENT;
	p->has_mac = mac != NULL;
	if (mac)
		memcpy(p->mac, mac, 6);
	return 0;
}

int stp_port_mcheck(struct stp *stp, uint16_t port_no, uint64_t now_ns)
{
	struct stp_port *p = port_get(stp, port_no);

	if (!p)
		return -ENOENT;
	stp_set_clock(stp, now_ns);
	if (rstp_version(stp))
		p->mcheck = true;
	stp_run(stp);
	return 0;
}

int stp_rx(struct stp *stp, uint16_t port_no, const uint8_t *frame, size_t len, uint64_t now_ns)
{
	struct stp_port *p = port_get(stp, port_no);
	struct stp_bpdu b;

	if (!p)
		return -ENOENT;
	stp_set_clock(stp, now_ns);
	if (stp_bpdu_decode(frame, len, &b)) {
		p->rx_bad++;
		stp->rx_bad++;
		return -EINVAL;
	}
	if (!p->port_enabled)
		return 0;
	/* 9.3.4 a): this port's own configuration looped back to it */
	if (b.type != STP_BPDU_TCN && b.bridge_id == stp->bridge_id && b.port_id == p->port_id)
		return 0;
	switch (b.type) {
	case STP_BPDU_CONFIG:
		p->rx_config++;
		break;
	case STP_BPDU_RST:
		p->rx_rst++;
		break;
	default:
		p->rx_tcn++;
		break;
	}
	p->rx = b;
	p->rcvd_bpdu = true;
	stp_run(stp);
	return 0;
}

/* Port Timers (17.22): one tick a second */
static void port_tick(struct stp_port *p)
{
	unsigned int *t[] = { &p->edge_delay_while, &p->fd_while, &p->hello_when,
			      &p->mdelay_while,	    &p->rb_while, &p->rcvd_info_while,
			      &p->rr_while,	    &p->tc_while, &p->tx_count };
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (*t[i])
			(*t[i])--;
}

void stp_tick(struct stp *stp, uint64_t now_ns)
{
	struct stp_port *p;
	uint64_t n, k;
	unsigned int i;

	if (!stp->clock_set || now_ns < stp->last_tick) {
		stp_set_clock(stp, now_ns);
		return;
	}
	stp_set_clock(stp, now_ns);
	n = (now_ns - stp->last_tick) / NS_PER_S;
	stp->last_tick += n * NS_PER_S;
	if (n > TICKS_MAX)
		n = TICKS_MAX;
	for (k = 0; k < n; k++) {
		for (i = 0; i < stp->n_ports && (p = stp->list[i]); i++)
			port_tick(p);
		stp_run(stp);
	}
}

void stp_bridge_info(const struct stp *stp, struct stp_bridge_info *info)
{
	*info = (struct stp_bridge_info){
		.bridge_id = stp->bridge_id,
		.designated_root = stp->root_pri.root,
		.root_path_cost = stp->root_pri.cost,
		.root_port = stp->root_port ? stp->root_port->no : -1,
		.max_age = (uint8_t)stp->root_times.max_age,
		.hello_time = (uint8_t)stp->root_times.hello,
		.forward_delay = (uint8_t)stp->root_times.fwd_delay,
		.bridge_max_age = stp->cfg.max_age,
		.bridge_hello_time = stp->cfg.hello_time,
		.bridge_forward_delay = stp->cfg.forward_delay,
		.force_version = stp->cfg.force_version,
		.tx_hold_count = stp->cfg.tx_hold_count,
		.topology_change = tc_running(stp),
		.tc_count = stp->tc_count,
		.tc_last_ns = stp->tc_last,
		.rx_bad = stp->rx_bad,
		.overruns = stp->overruns,
	};
}

static uint8_t clamp8(unsigned int v)
{
	return v > 255 ? 255 : (uint8_t)v;
}

int stp_port_info(const struct stp *stp, uint16_t port_no, struct stp_port_info *info)
{
	const struct stp_port *p = port_get(stp, port_no);

	if (!p)
		return -ENOENT;
	*info = (struct stp_port_info){
		.port_id = p->port_id,
		.priority = p->priority,
		.path_cost = p->path_cost,
		.path_cost_auto = p->cost_auto,
		.role = p->role,
		.state = p->reported < 0 ? BR_STATE_DISABLED : (enum bridge_port_state)p->reported,
		.link_up = p->port_enabled,
		.designated_root = p->port_pri.root,
		.designated_cost = p->port_pri.cost,
		.designated_bridge = p->port_pri.bridge,
		.designated_port = p->port_pri.port,
		.admin_edge = p->admin_edge,
		.auto_edge = p->auto_edge,
		.oper_edge = p->oper_edge,
		.point_to_point = p->p2p,
		.send_rstp = p->send_rstp,
		.topology_change_ack = p->tc_ack,
		.proposing = p->proposing,
		.agreed = p->agreed,
		.message_age = clamp8(p->port_times.msg_age),
		.fd_while = clamp8(p->fd_while),
		.hello_when = clamp8(p->hello_when),
		.tc_while = clamp8(p->tc_while),
		.rcvd_info_while = clamp8(p->rcvd_info_while),
		.edge_delay_while = clamp8(p->edge_delay_while),
		.migrate_delay_while = clamp8(p->mdelay_while),
		.rx_config = p->rx_config,
		.rx_rst = p->rx_rst,
		.rx_tcn = p->rx_tcn,
		.rx_bad = p->rx_bad,
		.tx_config = p->tx_config,
		.tx_rst = p->tx_rst,
		.tx_tcn = p->tx_tcn,
	};
	return 0;
}

enum bridge_port_state stp_port_state(const struct stp *stp, uint16_t port_no)
{
	const struct stp_port *p = port_get(stp, port_no);

	if (!p || p->reported < 0)
		return BR_STATE_DISABLED;
	return (enum bridge_port_state)p->reported;
}

enum stp_role stp_port_role(const struct stp *stp, uint16_t port_no)
{
	const struct stp_port *p = port_get(stp, port_no);

	return p ? p->role : STP_ROLE_DISABLED;
}
