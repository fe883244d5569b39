/* SPDX-License-Identifier: GPL-2.0-or-later */
/* switch_mirror.c - port mirroring: copies of source ports' frames out of an output port */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/switch/switch_mirror.h"
#include "core/bridge.h"
#include "core/eth.h"
#include "core/vlan.h"
#include "daemon/switch/switch.h"
#include "daemon/switch/switch_capture.h"
#include "util/log.h"

struct switch_mirror *switch_mirrors;

struct switch_mirror *switch_mirror_find(const struct kv_switch *sw, const char *name)
{
	for (struct switch_mirror *m = switch_mirrors; m; m = m->next)
		if (m->sw == sw && !strcmp(m->name, name))
			return m;
	return NULL;
}

static bool mirror_has_src(const struct switch_mirror *m, const struct kv_port *p)
{
	for (unsigned int i = 0; i < m->n_src; i++)
		if (m->src[i] == p)
			return true;
	return false;
}

unsigned int switch_mirror_dirs(const struct kv_port *p)
{
	for (const struct switch_mirror *m = switch_mirrors; m; m = m->next)
		if (mirror_has_src(m, p))
			return SWITCH_COPY_IN | SWITCH_COPY_OUT;
	return 0;
}

bool switch_port_mirror_output(const struct kv_port *p)
{
	for (const struct switch_mirror *m = switch_mirrors; m; m = m->next)
		if (m->dst == p)
			return true;
	return false;
}

static int mirror_vid_cmp(const void *a, const void *b)
{
	return (int)*(const uint16_t *)a - (int)*(const uint16_t *)b;
}

/* the output's forwarding state follows (switch.c reads mirror_out) */
static void mirror_set_output(struct kv_port *p)
{
	bool out = switch_port_mirror_output(p);

	if (p->mirror_out == out)
		return;
	p->mirror_out = out;
	switch_port_set_state(p, p->admin_state);
}

int switch_mirror_add(struct kv_switch *sw, const char *name, struct kv_port *const *src,
		      unsigned int n_src, struct kv_port *dst, const uint16_t *vlans,
		      unsigned int n_vlans, struct switch_mirror **out, char *err, size_t errlen)
{
	struct switch_mirror *m, **tail;
	unsigned int on_bridge = 0;

	if (switch_mirror_find(sw, name)) {
		snprintf(err, errlen, "bridge %s: mirror %s exists", sw->name, name);
		return -EEXIST;
	}
	for (m = switch_mirrors; m; m = m->next)
		on_bridge += m->sw == sw;
	if (on_bridge >= CTL_MIRROR_MAX) {
		snprintf(err, errlen, "bridge %s: already %d mirrors, the most a bridge may have",
			 sw->name, CTL_MIRROR_MAX);
		return -ENOSPC;
	}
	if (!n_src || n_src > CTL_MIRROR_SRC_MAX || n_vlans > CTL_MIRROR_VLANS_MAX) {
		snprintf(err, errlen,
			 "mirror %s: expected 1 to %d source ports and at most %d VLANs", name,
			 CTL_MIRROR_SRC_MAX, CTL_MIRROR_VLANS_MAX);
		return -EINVAL;
	}
	if (dst->sw != sw) {
		snprintf(err, errlen, "mirror %s: output port %s is not on bridge %s", name,
			 dst->name, sw->name);
		return -EINVAL;
	}
	for (unsigned int i = 0; i < n_src; i++) {
		if (src[i]->sw != sw) {
			snprintf(err, errlen, "mirror %s: source port %s is not on bridge %s", name,
				 src[i]->name, sw->name);
			return -EINVAL;
		}
		if (src[i] == dst) {
			snprintf(err, errlen,
				 "mirror %s: port %s cannot be both a source and the output", name,
				 dst->name);
			return -EINVAL;
		}
		for (unsigned int k = 0; k < i; k++)
			if (src[k] == src[i]) {
				snprintf(err, errlen, "mirror %s: source port %s is given twice",
					 name, src[i]->name);
				return -EINVAL;
			}
	}
	m = calloc(1, sizeof(*m));
	if (!m) {
		snprintf(err, errlen, "mirror %s: out of memory", name);
		return -ENOMEM;
	}
	snprintf(m->name, sizeof(m->name), "%s", name);
	m->sw = sw;
	memcpy(m->src, src, n_src * sizeof(src[0]));
	m->n_src = n_src;
	m->dst = dst;
	memcpy(m->vlans, vlans, n_vlans * sizeof(vlans[0]));
	m->n_vlans = n_vlans;
	qsort(m->vlans, n_vlans, sizeof(m->vlans[0]), mirror_vid_cmp);
	for (tail = &switch_mirrors; *tail; tail = &(*tail)->next)
		;
	*tail = m;
	mirror_set_output(dst);
	for (unsigned int i = 0; i < n_src; i++)
		switch_copy_update(src[i]);
	log_info("bridge %s: mirror %s added, output %s", sw->name, name, dst->name);
	*out = m;
	return 0;
}

void switch_mirror_del(struct switch_mirror *m)
{
	struct switch_mirror **pp;

	for (pp = &switch_mirrors; *pp != m; pp = &(*pp)->next)
		;
	*pp = m->next;
	mirror_set_output(m->dst);
	for (unsigned int i = 0; i < m->n_src; i++)
		switch_copy_update(m->src[i]);
	log_info("bridge %s: mirror %s removed", m->sw->name, m->name);
	free(m);
}

void switch_mirror_port_del(struct kv_port *p)
{
	struct switch_mirror *m, *next;

	for (m = switch_mirrors; m; m = next) {
		next = m->next;
		for (unsigned int i = 0; i < m->n_src; i++) {
			if (m->src[i] != p)
				continue;
			memmove(&m->src[i], &m->src[i + 1], (m->n_src - i - 1) * sizeof(m->src[0]));
			m->n_src--;
			break;
		}
		if (m->dst == p || !m->n_src)
			switch_mirror_del(m);
	}
}

/*
 * The VID of @f as @p has it: a frame @p received is in the VLAN of its tag (the bridge's own
 * kind, not at a dot1q-tunnel port) or else in @p's PVID, as the core's ingress decides; a
 * frame @p sends carries its VLAN in its tag, or (untagged) in the classification the core
 * made at ingress. 0 when there is none.
 */
static uint16_t mirror_vid(const struct kv_port *p, unsigned int dir, const struct frame *f)
{
	const struct bridge *br = p->sw->br;
	bool tunnel = bridge_port_flags(br, p->no) & BR_PORT_DOT1Q_TUNNEL;
	uint16_t vid = 0;

	if (f->len >= ETH_HLEN + VLAN_HLEN && !(dir == SWITCH_COPY_IN && tunnel) &&
	    eth_get_be16(f->data + 2 * ETH_ALEN) == bridge_vlan_proto(br))
		vid = eth_get_be16(f->data + ETH_HLEN) & VLAN_VID_MASK;
	if (vid)
		return vid;
	if (dir == SWITCH_COPY_IN) {
		uint16_t pvid = bridge_port_vlan(br, p->no)->pvid;

		return pvid == VLAN_NO_PVID ? 0 : pvid;
	}
	return f->tci & VLAN_VID_MASK;
}

static bool mirror_selects(const struct switch_mirror *m, uint16_t vid)
{
	if (!m->n_vlans)
		return true;
	return bsearch(&vid, m->vlans, m->n_vlans, sizeof(m->vlans[0]), mirror_vid_cmp);
}

void switch_mirror_frames(struct kv_port *p, unsigned int dir, struct frame *const *frames,
			  unsigned int n)
{
	struct frame *pick[BRIDGE_BURST_MAX];

	for (struct switch_mirror *m = switch_mirrors; m; m = m->next) {
		struct kv_port *q = m->dst;
		unsigned int k = 0;
		int sent;

		if (!mirror_has_src(m, p))
			continue;
		for (unsigned int i = 0; i < n && k < BRIDGE_BURST_MAX; i++)
			if (mirror_selects(m, mirror_vid(p, dir, frames[i])))
				pick[k++] = frames[i];
		if (!k)
			continue;
		datapath_port_lock(q);
		sent = q->link_up ? q->be->ops->tx_burst(q->be, pick, k) : 0;
		datapath_port_unlock(q);
		if (sent < 0)
			sent = 0;
		for (int i = 0; i < sent; i++)
			m->tx_bytes += pick[i]->len;
		m->tx_frames += (unsigned int)sent;
		m->tx_dropped += k - (unsigned int)sent;
		/* what leaves the output is what its captures see; the copies are not mirrored */
		if (q->copy & SWITCH_COPY_OUT)
			switch_capture_frames(q, SWITCH_COPY_OUT, pick, (unsigned int)sent);
	}
}
