/* SPDX-License-Identifier: GPL-2.0-or-later */
/* stp_priv.h - the spanning tree's internals: what stp.c and its machines and BPDU code share
 *
 * stp.c is the public API (stp.h): it owns struct stp and its ports and turns
 * every input into a run of the machines. stp_machines.c runs them
 * (stp_run()) and holds the machines that receive, check and transmit BPDUs
 * and keep each port's information (17.23-17.27); stp_roles.c holds role
 * selection, role and state transitions and topology change (17.28-17.31);
 * stp_bpdu.c encodes, decodes and builds the BPDUs. Names follow 802.1D-2004
 * clause 17 in snake case.
 */
#ifndef KVNET_CORE_STP_PRIV_H
#define KVNET_CORE_STP_PRIV_H

#include <stdbool.h>
#include <stdint.h>

#include "core/stp.h"

#define MAC_MASK 0x0000ffffffffffffull
#define PORT_NUM_MASK 0x0fff

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
	bool restricted_role; /* root guard */
	bool root_blocked;    /* restricted, and its information would have made it root */
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

/* priority vectors (17.6) */

static inline int pv_cmp(const struct stp_pv *a, const struct stp_pv *b)
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

static inline bool times_eq(const struct stp_times *a, const struct stp_times *b)
{
	return a->msg_age == b->msg_age && a->max_age == b->max_age && a->hello == b->hello &&
	       a->fwd_delay == b->fwd_delay;
}

/* derived values (17.20) */

static inline bool rstp_version(const struct stp *stp)
{
	return stp->cfg.force_version >= 2;
}

static inline unsigned int fwd_delay(const struct stp_port *p)
{
	return p->designated_times.fwd_delay;
}

static inline unsigned int max_age(const struct stp_port *p)
{
	return p->designated_times.max_age;
}

static inline unsigned int hello_time(const struct stp_port *p)
{
	return p->designated_times.hello;
}

static inline unsigned int forward_delay(const struct stp_port *p)
{
	return p->send_rstp ? hello_time(p) : fwd_delay(p);
}

/* 802.1Q-2011 13.25.9 EdgeDelay(): shared media wait max age before calling a port an edge */
static inline unsigned int edge_delay(const struct stp_port *p)
{
	return p->p2p ? STP_MIGRATE_TIME : max_age(p);
}

/* stp_machines.c */

/**
 * stp_run() - run every machine until none moves, let the ports transmit, repeat until
 * nothing is sent; then report the ports' new states through ops.set_state
 * @stp:	the tree; the caller has set the inputs (a BPDU, a setting, a tick)
 */
void stp_run(struct stp *stp);

/**
 * stp_port_begin() - BEGIN for one port: every machine of @p to its initial state
 * @stp:	its tree, whose root times the port starts from
 * @p:		the port
 */
void stp_port_begin(struct stp *stp, struct stp_port *p);

/* stp_roles.c: one step of each machine, true if it made a transition */

/* Port Role Selection (17.28), for the whole bridge */
bool stp_prs_step(struct stp *stp);
/* Port Role Transitions (17.29) */
bool stp_prt_step(struct stp *stp, struct stp_port *p);
/* Port State Transition (17.30) */
bool stp_pst_step(struct stp_port *p);
/* Topology Change (17.31) */
bool stp_tcm_step(struct stp *stp, struct stp_port *p);
/* BEGIN for @p's role transitions, state transition and topology change machines */
void stp_roles_begin(struct stp_port *p);
/* a port of @stp has its topology change timer (tcWhile) running */
bool stp_tc_running(const struct stp *stp);

/* stp_bpdu.c: transmission (17.21.19-21), out through ops.send; each counts what it sent */

/* txConfig(): a configuration BPDU with @p's designated priority and times */
void stp_bpdu_tx_config(struct stp *stp, struct stp_port *p);
/* txRstp(): an RST BPDU with @p's role, state, proposal and agreement flags */
void stp_bpdu_tx_rst(struct stp *stp, struct stp_port *p);
/* txTcn(): a topology change notification BPDU */
void stp_bpdu_tx_tcn(struct stp *stp, struct stp_port *p);

#endif
