/* SPDX-License-Identifier: GPL-2.0-or-later */
/* stp_machines.c - clause 17's machines run to completion; port receive to port information
 *
 * Each machine of 802.1D-2004 clause 17 is a step function that makes at
 * most one transition and says whether it did. stp_run() steps them all
 * (this file's: port receive, protocol migration, bridge detection, port
 * information; stp_roles.c's: role selection, role and state transitions,
 * topology change) until none moves, then lets the port transmit machines
 * send, and repeats if they did; states a machine passes through with an
 * unconditional transition (UCT) are folded into the transition that
 * enters them. Variable and procedure names follow the standard's (in snake
 * case) so that each line can be checked against it. Where this code
 * departs from the 2004 text it follows the later 802.1Q-2005/2011
 * corrections, and says so.
 */
#include "core/stp_priv.h"

#define RUN_LIMIT 10000

/* 17.6: better, or from the same designated bridge and port (priorities aside) */
static bool pv_superior(const struct stp_pv *m, const struct stp_pv *p)
{
	if (pv_cmp(m, p) < 0)
		return true;
	return (m->bridge & MAC_MASK) == (p->bridge & MAC_MASK) &&
	       (m->port & PORT_NUM_MASK) == (p->port & PORT_NUM_MASK);
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
		stp_bpdu_tx_rst(stp, p);
		p->tx_count++;
		p->tc_ack = false;
	} else if (can_send && p->role == STP_ROLE_ROOT) {
		p->new_info = false;
		stp_bpdu_tx_tcn(stp, p);
		p->tx_count++;
	} else if (can_send && p->role == STP_ROLE_DESIGNATED) {
		p->new_info = false;
		stp_bpdu_tx_config(stp, p);
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

void stp_run(struct stp *stp)
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
			changed |= stp_prs_step(stp);
			for (i = 0; i < stp->n_ports && (p = stp->list[i]); i++) {
				changed |= stp_prt_step(stp, p);
				changed |= stp_pst_step(p);
				changed |= stp_tcm_step(stp, p);
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
void stp_port_begin(struct stp *stp, struct stp_port *p)
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
	/* INIT_PORT, then DISABLE_PORT; DISCARDING; INACTIVE */
	stp_roles_begin(p);
	p->updt_info = false;
	p->hello_when = p->tc_while = p->rcvd_info_while = 0;
}
