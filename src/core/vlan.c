/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vlan.c - a port's VLAN membership, `bridge vlan` semantics and libvirt's <vlan> forms */

#include <errno.h>
#include <string.h>

#include "core/vlan.h"

static void vlan_bit_set(uint64_t *map, uint16_t vid, bool on)
{
	if (on)
		map[vid >> 6] |= 1ull << (vid & 63);
	else
		map[vid >> 6] &= ~(1ull << (vid & 63));
}

void vlan_port_init(struct vlan_port *v)
{
	memset(v, 0, sizeof(*v));
}

int vlan_add(struct vlan_port *v, uint16_t vid, bool pvid, bool untagged)
{
	if (!vlan_vid_valid(vid))
		return -EINVAL;
	if (!vlan_is_member(v, vid))
		v->n_members++;
	vlan_bit_set(v->member, vid, true);
	vlan_bit_set(v->untagged, vid, untagged);
	if (pvid)
		v->pvid = vid;
	else if (v->pvid == vid)
		v->pvid = VLAN_NO_PVID;
	return 0;
}

int vlan_del(struct vlan_port *v, uint16_t vid)
{
	if (!vlan_vid_valid(vid))
		return -EINVAL;
	if (!vlan_is_member(v, vid))
		return -ENOENT;
	v->n_members--;
	vlan_bit_set(v->member, vid, false);
	vlan_bit_set(v->untagged, vid, false);
	if (v->pvid == vid)
		v->pvid = VLAN_NO_PVID;
	return 0;
}

int vlan_apply_spec(struct vlan_port *v, const struct vlan_spec *spec)
{
	struct vlan_port next;
	unsigned n_native = 0;
	bool access;

	if (!spec || !spec->n_tags || !spec->tags)
		return -EINVAL;
	for (unsigned i = 0; i < spec->n_tags; i++) {
		if (!vlan_vid_valid(spec->tags[i].id))
			return -EINVAL;
		if (spec->tags[i].native_mode != VLAN_NATIVE_NONE)
			n_native++;
	}
	if (n_native > 1)
		return -EINVAL;

	access = !spec->trunk && spec->n_tags == 1 && !n_native;
	vlan_port_init(&next);
	for (unsigned i = 0; i < spec->n_tags; i++) {
		const struct vlan_spec_tag *t = &spec->tags[i];
		bool native = t->native_mode != VLAN_NATIVE_NONE;

		vlan_add(&next, t->id, access || native,
			 access || t->native_mode == VLAN_NATIVE_UNTAGGED);
	}
	*v = next;
	return 0;
}
