/* SPDX-License-Identifier: GPL-2.0-or-later */
/* switch.c - create, find and remove the daemon's switches and ports */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/datapath.h"
#include "daemon/switch.h"
#include "daemon/vm_port.h"
#include "util/log.h"

struct kv_switch *switches;

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

struct kv_switch *switch_add(const char *name, const struct bridge_config *cfg)
{
	struct kv_switch *sw, **tail;

	if (switch_find(name)) {
		errno = EEXIST;
		return NULL;
	}
	if (strlen(name) >= SWITCH_NAME_MAX) {
		errno = EINVAL;
		return NULL;
	}
	sw = calloc(1, sizeof(*sw));
	if (!sw)
		goto err_nomem;
	snprintf(sw->name, sizeof(sw->name), "%s", name);
	sw->cfg = *cfg;
	sw->br = bridge_new(cfg);
	if (!sw->br) {
		free(sw);
		errno = EINVAL;
		return NULL;
	}
	sw->out = bridge_out_new(sw->br);
	sw->by_no = calloc(cfg->max_ports, sizeof(*sw->by_no));
	if (!sw->out || !sw->by_no)
		goto err_free;
	datapath_give_spares(sw->out);
	for (tail = &switches; *tail; tail = &(*tail)->next)
		;
	*tail = sw;
	log_info("bridge %s added (vlan_filtering %s)", name, cfg->vlan_filtering ? "on" : "off");
	return sw;

err_free:
	bridge_out_free(sw->out);
	bridge_free(sw->br);
	free(sw->by_no);
	free(sw);
err_nomem:
	errno = ENOMEM;
	return NULL;
}

void switch_del(struct kv_switch *sw)
{
	struct kv_switch **pp;

	while (sw->ports)
		switch_port_del(sw->ports);
	for (pp = &switches; *pp != sw; pp = &(*pp)->next)
		;
	*pp = sw->next;
	log_info("bridge %s deleted", sw->name);
	bridge_out_free(sw->out);
	bridge_free(sw->br);
	free(sw->by_no);
	free(sw);
}

void switch_del_all(void)
{
	while (switches)
		switch_del(switches);
}

struct kv_port *switch_port_add(struct kv_switch *sw, const char *name, struct port *be,
				enum kv_port_type type, const char *netns)
{
	struct kv_port *p, **tail;
	int no, err;

	p = calloc(1, sizeof(*p));
	if (!p) {
		errno = ENOMEM;
		return NULL;
	}
	no = bridge_port_add(sw->br);
	if (no < 0) {
		free(p);
		errno = -no;
		return NULL;
	}
	snprintf(p->name, sizeof(p->name), "%s", name);
	snprintf(p->netns, sizeof(p->netns), "%s", netns ? netns : "");
	p->sw = sw;
	p->no = (uint16_t)no;
	p->be = be;
	p->type = type;
	p->link_up = true;
	p->admin_state = BR_STATE_FORWARDING;
	err = datapath_port_add(p);
	if (err) {
		bridge_port_del(sw->br, p->no);
		free(p);
		errno = -err;
		return NULL;
	}
	sw->by_no[no] = p;
	for (tail = &sw->ports; *tail; tail = &(*tail)->next)
		;
	*tail = p;
	log_info("port %s added to bridge %s as port %d (%s)", name, sw->name, no, be->ops->kind);
	return p;
}

void switch_port_del(struct kv_port *p)
{
	struct kv_switch *sw = p->sw;
	struct kv_port **pp;

	datapath_port_del(p);
	bridge_port_del(sw->br, p->no);
	sw->by_no[p->no] = NULL;
	for (pp = &sw->ports; *pp != p; pp = &(*pp)->next)
		;
	*pp = p->next;
	log_info("port %s removed from bridge %s", p->name, sw->name);
	if (p->vm)
		vm_port_forget(p->vm);
	p->be->ops->destroy(p->be);
	free(p);
}

void switch_port_set_link(struct kv_port *p, bool up)
{
	if (p->link_up == up)
		return;
	p->link_up = up;
	bridge_port_set_state(p->sw->br, p->no, up ? p->admin_state : BR_STATE_DISABLED);
	log_info("port %s: link %s", p->name, up ? "up" : "down");
}

int switch_port_set_state(struct kv_port *p, enum bridge_port_state state)
{
	int err = 0;

	if (p->link_up)
		err = bridge_port_set_state(p->sw->br, p->no, state);
	if (!err)
		p->admin_state = state;
	return err;
}
