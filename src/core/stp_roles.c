/* SPDX-License-Identifier: GPL-2.0-or-later */
/* stp_roles.c - port roles, states and topology change: clause 17.28-17.31 of 802.1D-2004
 *
 * Role selection computes the spanning tree from the information the ports
 * hold (updtRolesTree()); each port's role transitions then move it towards
 * its selected role, through the proposal/agreement handshake or the
 * forward delay timer, and its state transition machine follows learn and
 * forward. The topology change machine notices a port that starts to
 * forward and tells the others. stp_machines.c calls each step in turn.
 */
#include "core/stp_priv.h"

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

bool stp_tc_running(const struct stp *stp)
{
	const struct stp_port *q;
	unsigned int i;

	for (i = 0; i < stp->n_ports && (q = stp->list[i]); i++)
		if (q->tc_while)
			return true;
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
	if (!stp_tc_running(stp)) {
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

/* Port Role Selection (17.28) */

/* the root path priority vector through @p: its port priority vector plus its cost */
static struct stp_pv root_path_pv(const struct stp_port *p)
{
	struct stp_pv rp = p->port_pri;

	rp.cost = rp.cost > UINT32_MAX - p->path_cost ? UINT32_MAX : rp.cost + p->path_cost;
	rp.rx_port = p->port_id;
	return rp;
}

static void updt_roles_tree(struct stp *stp)
{
	struct stp_pv best = stp->bridge_pri, rp;
	struct stp_port *p, *root = NULL;
	unsigned int i;

	for (i = 0; i < stp->n_ports && (p = stp->list[i]); i++) {
		p->root_blocked = false;
		if (p->info_is != INFO_RECEIVED)
			continue;
		/* information from this bridge (a loop through a LAN) never makes a root port */
		if ((p->port_pri.bridge & MAC_MASK) == (stp->bridge_id & MAC_MASK))
			continue;
		rp = root_path_pv(p);
		/* 802.1Q's restrictedRole: below, it becomes an alternate port instead */
		if (p->restricted_role)
			continue;
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
			if (p->restricted_role) {
				rp = root_path_pv(p);
				p->root_blocked = pv_cmp(&rp, &best) < 0;
			}
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

bool stp_prs_step(struct stp *stp)
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

bool stp_prt_step(struct stp *stp, struct stp_port *p)
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

bool stp_pst_step(struct stp_port *p)
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

bool stp_tcm_step(struct stp *stp, struct stp_port *p)
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

/* INIT_PORT then DISABLE_PORT, DISCARDING, INACTIVE: the part of BEGIN that is this file's */
void stp_roles_begin(struct stp_port *p)
{
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
}
