/* SPDX-License-Identifier: GPL-2.0-or-later */
/* switch.c - create, find and remove the daemon's switches and ports */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "daemon/switch/datapath.h"
#include "daemon/switch/switch.h"
#include "daemon/switch/switch_capture.h"
#include "daemon/switch/switch_event.h"
#include "daemon/switch/switch_host.h"
#include "util/log.h"

struct kv_switch *switches;

/* how much a state holds a port back: the lower wins (see switch.h) */
static int switch_state_rank(enum bridge_port_state s)
{
	switch (s) {
	case BR_STATE_DISABLED:
		return 0;
	case BR_STATE_BLOCKING:
		return 1;
	case BR_STATE_LISTENING:
		return 2;
	case BR_STATE_LEARNING:
		return 3;
	case BR_STATE_FORWARDING:
		break;
	}
	return 4;
}

/* the state the core should have for @p: link, admin and STP, the most restrictive */
static enum bridge_port_state switch_port_state(const struct kv_port *p)
{
	/* a mirror's output takes no other traffic (switch_mirror.h) */
	if (!p->link_up || p->mirror_out)
		return BR_STATE_DISABLED;
	if (switch_state_rank(p->admin_state) <= switch_state_rank(p->stp_state))
		return p->admin_state;
	return p->stp_state;
}

static int switch_port_apply_state(struct kv_port *p)
{
	return bridge_port_set_state(p->sw->br, p->no, switch_port_state(p));
}

static struct kv_port *switch_stp_port(void *ctx, uint16_t port_no)
{
	struct kv_switch *sw = ctx;

	return port_no < sw->cfg.max_ports ? sw->by_no[port_no] : NULL;
}

/* a BPDU from the spanning tree: out at once, whatever the port's state */
static void switch_stp_send(void *ctx, uint16_t port_no, const uint8_t *frame, size_t len)
{
	struct kv_port *p = switch_stp_port(ctx, port_no);

	/* a failure shows in the back-end's tx_errors; the link is the datapath's to judge */
	if (p && p->link_up)
		datapath_tx_copy(p, frame, len);
}

/* an STP state change, with the port's role, for subscribers (switch_event.h) */
static void switch_stp_event(const struct kv_port *p, enum bridge_port_state state)
{
	struct switch_event e = { .kind = SWITCH_EV_STP_STATE, .state = (uint8_t)state };
	struct stp_port_info pi;

	if (!switch_event_wanted(SWITCH_EVENT_STP))
		return;
	snprintf(e.bridge, sizeof(e.bridge), "%s", p->sw->name);
	snprintf(e.port, sizeof(e.port), "%s", p->name);
	if (p->sw->stp && !stp_port_info(p->sw->stp, p->no, &pi))
		e.role = (uint8_t)pi.role;
	switch_event_post(&e);
}

static void switch_stp_set_state(void *ctx, uint16_t port_no, enum bridge_port_state state)
{
	struct kv_port *p = switch_stp_port(ctx, port_no);

	if (!p)
		return;
	if (p->stp_state != state) {
		log_debug("port %s: stp state %s", p->name, bridge_port_state_name(state));
		switch_stp_event(p, state);
	}
	p->stp_state = state;
	switch_port_apply_state(p);
}

/* an FDB change, for subscribers (switch_event.h): the datapath thread, per new address */
static void switch_fdb_event(void *ctx, enum fdb_event ev, const uint8_t *mac, uint16_t vid,
			     uint16_t port_no)
{
	static const enum switch_event_kind kinds[] = {
		[FDB_EV_LEARNED] = SWITCH_EV_FDB_LEARNED,
		[FDB_EV_MOVED] = SWITCH_EV_FDB_MOVED,
		[FDB_EV_AGED] = SWITCH_EV_FDB_AGED,
	};
	struct kv_switch *sw = ctx;
	struct kv_port *p = switch_stp_port(sw, port_no);
	struct switch_event e = { .kind = kinds[ev], .vid = vid };

	if (!switch_event_wanted(SWITCH_EVENT_FDB))
		return;
	memcpy(e.mac, mac, sizeof(e.mac));
	memcpy(e.bridge, sw->name, sizeof(e.bridge));
	if (p)
		memcpy(e.port, p->name, sizeof(e.port));
	switch_event_post(&e);
}

/* short ageing (@ageing_s > 0, legacy STP) is done as a flush now too: see switch.h */
static void switch_stp_flush(void *ctx, uint16_t port_no, uint32_t ageing_s)
{
	struct kv_port *p = switch_stp_port(ctx, port_no);

	(void)ageing_s;
	if (p)
		fdb_flush(bridge_fdb(p->sw->br), p->no, FDB_FLUSH_ANY_VID, false);
}

static const struct stp_ops switch_stp_ops = {
	.send = switch_stp_send,
	.set_state = switch_stp_set_state,
	.flush = switch_stp_flush,
};

/* add @p to its switch's spanning tree with its settings; the tree must exist */
static int switch_stp_port_add(struct kv_port *p)
{
	struct stp *stp = p->sw->stp;
	uint64_t now = datapath_now();
	int err;

	err = stp_port_add(stp, p->no, p->speed_mbps, true, p->stp_edge == STP_EDGE_ON, now);
	if (err)
		return err;
	stp_port_set_edge_mode(stp, p->no, p->stp_edge, now);
	if (p->stp_path_cost)
		stp_port_set_path_cost(stp, p->no, p->stp_path_cost, now);
	if (p->stp_priority != STP_PORT_PRIORITY_DEFAULT)
		stp_port_set_priority(stp, p->no, p->stp_priority, now);
	if (p->root_guard)
		stp_port_set_root_guard(stp, p->no, true, now);
	if (p->link_up && !p->bpdu_tripped)
		stp_port_set_link(stp, p->no, true, now);
	return 0;
}

int switch_stp_enable(struct kv_switch *sw, bool on)
{
	if (on == !!sw->stp)
		return 0;
	if (on) {
		sw->stp = stp_new(&sw->stp_cfg, sw->mac, &switch_stp_ops, sw);
		if (!sw->stp)
			return -ENOMEM;
		bridge_set_stp(sw->br, true);
		for (struct kv_port *p = sw->ports; p; p = p->next) {
			if (switch_stp_port_add(p)) {
				switch_stp_enable(sw, false);
				return -ENOMEM;
			}
		}
	} else {
		stp_free(sw->stp);
		sw->stp = NULL;
		bridge_set_stp(sw->br, false);
		for (struct kv_port *p = sw->ports; p; p = p->next) {
			p->stp_state = BR_STATE_FORWARDING;
			switch_port_apply_state(p);
		}
	}
	log_info("bridge %s: stp %s", sw->name, on ? "on" : "off");
	return 0;
}

int switch_stp_set_config(struct kv_switch *sw, const struct stp_config *c)
{
	int err = stp_config_check(c);

	if (!err && sw->stp)
		err = stp_set_config(sw->stp, c, datapath_now());
	if (!err)
		sw->stp_cfg = *c;
	return err;
}

int switch_port_stp_set_cost(struct kv_port *p, uint32_t cost)
{
	if (cost > STP_PATH_COST_MAX)
		return -EINVAL;
	if (p->sw->stp) {
		int err = stp_port_set_path_cost(p->sw->stp, p->no, cost, datapath_now());

		if (err)
			return err;
	}
	p->stp_path_cost = cost;
	return 0;
}

int switch_port_stp_set_priority(struct kv_port *p, unsigned priority)
{
	if (priority > 240 || priority % STP_PORT_PRIORITY_STEP)
		return -EINVAL;
	if (p->sw->stp) {
		int err = stp_port_set_priority(p->sw->stp, p->no, priority, datapath_now());

		if (err)
			return err;
	}
	p->stp_priority = (uint8_t)priority;
	return 0;
}

int switch_port_stp_set_edge(struct kv_port *p, enum stp_edge edge)
{
	if (edge != STP_EDGE_OFF && edge != STP_EDGE_ON && edge != STP_EDGE_AUTO)
		return -EINVAL;
	if (p->sw->stp) {
		int err = stp_port_set_edge_mode(p->sw->stp, p->no, edge, datapath_now());

		if (err)
			return err;
	}
	p->stp_edge = edge;
	return 0;
}

/* the link speed of an attached interface, from sysfs; 10 Gb/s when unknown (taps, veths) */
static uint32_t switch_port_speed(const struct kv_port *p)
{
	char path[64];
	long speed = -1;
	FILE *f;

	if (p->type != KV_PORT_DEV)
		return 10000;
	snprintf(path, sizeof(path), "/sys/class/net/%s/speed", p->name);
	f = fopen(path, "re");
	if (f) {
		if (fscanf(f, "%ld", &speed) != 1)
			speed = -1;
		fclose(f);
	}
	return speed > 0 && speed <= UINT32_MAX ? (uint32_t)speed : 10000;
}

struct kv_switch *switch_find(const char *name)
{
	for (struct kv_switch *sw = switches; sw; sw = sw->next)
		if (!strcmp(sw->name, name))
			return sw;
	return NULL;
}

struct kv_port *switch_port_find(const char *name)
{
	for (struct kv_switch *sw = switches; sw; sw = sw->next)
		for (struct kv_port *p = sw->ports; p; p = p->next)
			if (!strcmp(p->name, name))
				return p;
	return NULL;
}

int switch_add(const char *name, const struct bridge_config *cfg, struct kv_switch **out)
{
	struct kv_switch *sw, **tail;
	struct bridge_config bc;

	if (switch_find(name))
		return -EEXIST;
	if (strlen(name) >= SWITCH_NAME_MAX)
		return -EINVAL;
	sw = calloc(1, sizeof(*sw));
	if (!sw)
		return -ENOMEM;
	snprintf(sw->name, sizeof(sw->name), "%s", name);
	sw->cfg = *cfg;
	bc = *cfg;
	sw->cfg.stp = false;
	stp_config_default(&sw->stp_cfg);
	/* as its host netdev's: the STP bridge id stays the same when kvnetd makes it again */
	switch_host_mac(name, sw->mac);
	/* a secret per bridge, so that no sender can choose MACs that collide in its FDB */
	if (getrandom(&bc.fdb_hash_key, sizeof(bc.fdb_hash_key), 0) != sizeof(bc.fdb_hash_key)) {
		free(sw);
		return -EIO;
	}
	sw->cfg.fdb_hash_key = bc.fdb_hash_key;
	sw->br = bridge_new(&bc);
	if (!sw->br) {
		free(sw);
		return -EINVAL;
	}
	sw->by_no = calloc(cfg->max_ports, sizeof(*sw->by_no));
	if (!sw->by_no)
		goto err_free;
	for (unsigned int t = 0; t < datapath_threads(); t++) {
		sw->out[t] = bridge_out_new(sw->br);
		if (!sw->out[t])
			goto err_free;
		datapath_give_spares(sw->out[t], t);
	}
	pthread_mutex_init(&sw->lock, NULL);
	fdb_set_notify(bridge_fdb(sw->br), switch_fdb_event, sw);
	for (tail = &switches; *tail; tail = &(*tail)->next)
		;
	*tail = sw;
	log_info("bridge %s added (vlan_filtering %s%s%s)", name,
		 cfg->vlan_filtering ? "on" : "off", cfg->relay != BR_RELAY_VEB ? ", relay " : "",
		 cfg->relay != BR_RELAY_VEB ? bridge_relay_name(cfg->relay) : "");
	switch_event_bridge(SWITCH_EV_BRIDGE_ADDED, name);
	*out = sw;
	return 0;

err_free:
	for (unsigned int t = 0; t < DATAPATH_THREADS_MAX; t++)
		bridge_out_free(sw->out[t]);
	bridge_free(sw->br);
	free(sw->by_no);
	free(sw);
	return -ENOMEM;
}

void switch_del(struct kv_switch *sw)
{
	struct kv_switch **pp;

	while (sw->ports)
		switch_port_del(sw->ports);
	stp_free(sw->stp);
	for (pp = &switches; *pp != sw; pp = &(*pp)->next)
		;
	*pp = sw->next;
	log_info("bridge %s deleted", sw->name);
	switch_event_bridge(SWITCH_EV_BRIDGE_REMOVED, sw->name);
	for (unsigned int t = 0; t < DATAPATH_THREADS_MAX; t++)
		bridge_out_free(sw->out[t]);
	pthread_mutex_destroy(&sw->lock);
	bridge_free(sw->br);
	free(sw->by_no);
	free(sw);
}

void switch_del_all(void)
{
	while (switches)
		switch_del(switches);
}

int switch_port_add(struct kv_switch *sw, const char *name, struct port *be, enum kv_port_type type,
		    const char *netns, struct kv_port **out, char *err, size_t errlen)
{
	struct kv_port *p, **tail;
	int no, ret;

	p = calloc(1, sizeof(*p));
	if (!p) {
		ret = -ENOMEM;
		goto fail;
	}
	no = bridge_port_add(sw->br);
	if (no < 0) {
		free(p);
		ret = no;
		goto fail;
	}
	snprintf(p->name, sizeof(p->name), "%s", name);
	snprintf(p->netns, sizeof(p->netns), "%s", netns ? netns : "");
	p->sw = sw;
	p->no = (uint16_t)no;
	p->be = be;
	p->type = type;
	p->link_up = !be->no_peer; /* a socket port's QEMU may not be there yet */
	p->admin_state = BR_STATE_FORWARDING;
	p->stp_state = BR_STATE_FORWARDING;
	/* a network's host port has only the host behind it; the others find out (auto) */
	p->stp_edge = type == KV_PORT_HOST ? STP_EDGE_ON : STP_EDGE_AUTO;
	p->stp_priority = STP_PORT_PRIORITY_DEFAULT;
	p->speed_mbps = switch_port_speed(p);
	pthread_mutex_init(&p->lock, NULL);
	ret = datapath_port_add(p);
	if (ret) {
		bridge_port_del(sw->br, p->no);
		pthread_mutex_destroy(&p->lock);
		free(p);
		goto fail;
	}
	sw->by_no[no] = p;
	switch_port_apply_state(p);
	if (sw->stp && switch_stp_port_add(p)) {
		sw->by_no[no] = NULL;
		datapath_port_del(p);
		bridge_port_del(sw->br, p->no);
		pthread_mutex_destroy(&p->lock);
		free(p);
		ret = -ENOMEM;
		goto fail;
	}
	for (tail = &sw->ports; *tail; tail = &(*tail)->next)
		;
	*tail = p;
	log_info("port %s added to bridge %s as port %d (%s)", name, sw->name, no, be->ops->kind);
	switch_event_port(SWITCH_EV_PORT_ADDED, sw->name, name);
	*out = p;
	return 0;

fail:
	snprintf(err, errlen, "cannot add port '%s' to bridge '%s': %s", name, sw->name,
		 ret == -ENOSPC ? "the bridge has no free port" : strerror(-ret));
	return ret;
}

void switch_port_del(struct kv_port *p)
{
	struct kv_switch *sw = p->sw;
	struct kv_port **pp;

	switch_copy_port_del(p);
	datapath_port_del(p);
	sw->by_no[p->no] = NULL;
	if (sw->host == p)
		sw->host = NULL;
	if (sw->stp)
		stp_port_del(sw->stp, p->no, datapath_now());
	bridge_port_del(sw->br, p->no);
	for (pp = &sw->ports; *pp != p; pp = &(*pp)->next)
		;
	*pp = p->next;
	log_info("port %s removed from bridge %s", p->name, sw->name);
	switch_event_port(SWITCH_EV_PORT_REMOVED, sw->name, p->name);
	if (p->release)
		p->release(p);
	p->be->ops->destroy(p->be);
	pthread_mutex_destroy(&p->lock);
	free(p);
}

int switch_port_set_shaping(struct kv_port *p, bool rx, uint64_t avg, uint64_t peak, uint64_t burst)
{
	struct shaper *s = rx ? &p->shape_rx : &p->shape_tx;

	if (!avg) {
		shaper_off(s);
		return 0;
	}
	return shaper_set(s, avg, peak, burst, datapath_now());
}

void switch_port_set_link(struct kv_port *p, bool up)
{
	if (p->link_up == up)
		return;
	p->link_up = up;
	switch_port_apply_state(p);
	/* a port its BPDU guard disabled stays out of the tree until reset (switch_guard.h) */
	if (p->sw->stp && !p->bpdu_tripped)
		stp_port_set_link(p->sw->stp, p->no, up, datapath_now());
	log_info("port %s: link %s", p->name, up ? "up" : "down");
	switch_event_port(up ? SWITCH_EV_LINK_UP : SWITCH_EV_LINK_DOWN, p->sw->name, p->name);
}

int switch_port_set_state(struct kv_port *p, enum bridge_port_state state)
{
	enum bridge_port_state old = p->admin_state;
	int err;

	if (!bridge_port_state_name(state))
		return -EINVAL;
	p->admin_state = state;
	err = switch_port_apply_state(p);
	if (err)
		p->admin_state = old;
	return err;
}
