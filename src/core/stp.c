/* SPDX-License-Identifier: GPL-2.0-or-later */
/* stp.c - the spanning tree's API (stp.h): the tree, its ports and settings, BPDUs and time in
 *
 * Every entry point that changes an input of clause 17 (a setting, a link, a
 * BPDU, a second passing) sets it and calls stp_run() (stp_machines.c), which
 * runs the machines to completion before the call returns. The machines are
 * in stp_machines.c and stp_roles.c, the BPDU codec in stp_bpdu.c; what they
 * share is in stp_priv.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/stp_priv.h"

#define NS_PER_S 1000000000ull
#define TICKS_MAX 3600

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
			stp_port_begin(stp, p);
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
	stp_port_begin(stp, p);
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
	/*
	 * Bridge Detection begins again, as mstpd does for a new AdminEdge; for a new
	 * AutoEdge too, so that turning both off ends an edge that auto edge found
	 */
	if (admin_edge != p->admin_edge || auto_edge != p->auto_edge) {
		p->oper_edge = admin_edge;
		p->bdm = admin_edge ? BDM_EDGE : BDM_NOT_EDGE;
	}
	p->admin_edge = admin_edge;
	p->auto_edge = auto_edge;
	stp_run(stp);
	return 0;
}

int stp_port_set_edge_mode(struct stp *stp, uint16_t port_no, enum stp_edge edge, uint64_t now_ns)
{
	if (!port_get(stp, port_no))
		return -ENOENT;
	if (edge != STP_EDGE_OFF && edge != STP_EDGE_ON && edge != STP_EDGE_AUTO)
		return -EINVAL;
	/* on keeps AutoEdge, as every port had it before there was a choice */
	return stp_port_set_edge(stp, port_no, edge == STP_EDGE_ON, edge != STP_EDGE_OFF, now_ns);
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

int stp_port_set_root_guard(struct stp *stp, uint16_t port_no, bool on, uint64_t now_ns)
{
	struct stp_port *p = port_get(stp, port_no);

	if (!p)
		return -ENOENT;
	stp_set_clock(stp, now_ns);
	p->restricted_role = on;
	p->reselect = true;
	p->selected = false;
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
		.topology_change = stp_tc_running(stp),
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
		.root_guard = p->restricted_role,
		.root_blocked = p->root_blocked,
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
