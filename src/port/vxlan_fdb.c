/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vxlan_fdb.c - a VXLAN port's MAC -> remote table
 *
 * Open addressing in a fixed table made with the port: learning and lookup
 * allocate nothing. An entry lives where its hash puts it or in one of the
 * next VXLAN_FDB_PROBE slots; when they are all taken by other MACs the
 * oldest goes. Entries are never removed, only outlived: one older than
 * VXLAN_FDB_AGEING counts as absent and its slot is reused first. The
 * switch's own FDB decides whether a frame is unicast to this port at all;
 * this table only picks the remote, so a stale entry costs nothing worse
 * than a frame to the remote the MAC was last behind.
 */

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "port/vxlan.h"

#define VXLAN_FDB_PROBE 8

static uint32_t vxlan_fdb_slot(const uint8_t mac[6], uint32_t vni)
{
	uint32_t h = 2166136261u ^ vni;

	for (int i = 0; i < 6; i++) {
		h ^= mac[i];
		h *= 16777619u;
	}
	return (h ^ h >> 15) & (VXLAN_FDB_SIZE - 1);
}

static bool vxlan_fdb_fresh(const struct vxlan_fdb_entry *e, uint32_t now)
{
	return e->remote != VXLAN_FDB_NONE && (e->pinned || now - e->seen < VXLAN_FDB_AGEING);
}

/* the entry holds @mac of @vni */
static bool vxlan_fdb_is(const struct vxlan_fdb_entry *e, const uint8_t mac[6], uint32_t vni)
{
	return e->remote != VXLAN_FDB_NONE && e->vni == vni && !memcmp(e->mac, mac, 6);
}

void vxlan_fdb_learn(struct vxlan_fdb_entry *tab, const uint8_t mac[6], uint32_t vni,
		     uint16_t remote, uint32_t now)
{
	uint32_t s = vxlan_fdb_slot(mac, vni);
	struct vxlan_fdb_entry *victim = NULL;

	for (int i = 0; i < VXLAN_FDB_PROBE; i++) {
		struct vxlan_fdb_entry *e = &tab[(s + (uint32_t)i) & (VXLAN_FDB_SIZE - 1)];

		if (vxlan_fdb_is(e, mac, vni)) {
			if (e->pinned)
				return;
			victim = e;
			break;
		}
		if (e->pinned)
			continue;
		if (!vxlan_fdb_fresh(e, now)) {
			if (!victim || vxlan_fdb_fresh(victim, now))
				victim = e;
		} else if (!victim || (vxlan_fdb_fresh(victim, now) && e->seen < victim->seen)) {
			victim = e;
		}
	}
	if (!victim) /* only pinned entries here: the MAC goes unlearned */
		return;
	memcpy(victim->mac, mac, 6);
	victim->vni = vni;
	victim->remote = remote;
	victim->seen = now;
}

int vxlan_fdb_pin(struct vxlan_fdb_entry *tab, const uint8_t mac[6], uint32_t vni, uint16_t vid,
		  uint16_t remote)
{
	uint32_t s = vxlan_fdb_slot(mac, vni);
	struct vxlan_fdb_entry *e, *free_e = NULL;

	for (int i = 0; i < VXLAN_FDB_PROBE; i++) {
		e = &tab[(s + (uint32_t)i) & (VXLAN_FDB_SIZE - 1)];
		if (vxlan_fdb_is(e, mac, vni)) {
			free_e = e;
			break;
		}
		if (!e->pinned && !free_e)
			free_e = e;
	}
	if (!free_e)
		return -ENOSPC;
	memcpy(free_e->mac, mac, 6);
	free_e->vni = vni;
	free_e->vid = vid;
	free_e->remote = remote;
	free_e->pinned = true;
	return 0;
}

uint16_t vxlan_fdb_lookup(const struct vxlan_fdb_entry *tab, const uint8_t mac[6], uint32_t vni,
			  uint32_t now)
{
	uint32_t s = vxlan_fdb_slot(mac, vni);

	for (int i = 0; i < VXLAN_FDB_PROBE; i++) {
		const struct vxlan_fdb_entry *e = &tab[(s + (uint32_t)i) & (VXLAN_FDB_SIZE - 1)];

		if (vxlan_fdb_is(e, mac, vni))
			return vxlan_fdb_fresh(e, now) ? e->remote : VXLAN_FDB_NONE;
	}
	return VXLAN_FDB_NONE;
}
