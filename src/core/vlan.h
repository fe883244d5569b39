/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vlan.h - 802.1Q VLAN membership of one port, and libvirt's <vlan> forms mapped onto it
 *
 * Theory of Operation
 * A port is a member of a set of VIDs (1..4094, a bitmap), and for each
 * member VID egress is either tagged or untagged. Untagged and
 * priority-tagged frames entering the port are classified into the port's
 * PVID; with no PVID they are dropped. This is the vocabulary of the Linux
 * bridge with vlan_filtering 1 and of `bridge vlan`, and every libvirt
 * <vlan> form is expressed in it (vlan_apply_spec()).
 */
#ifndef KVNET_CORE_VLAN_H
#define KVNET_CORE_VLAN_H

#include <stdbool.h>
#include <stdint.h>

#define VLAN_N_VID 4096
#define VLAN_VID_MIN 1
#define VLAN_VID_MAX 4094
#define VLAN_NO_PVID 0

/**
 * struct vlan_port - VLAN membership of one port
 * @member:	bit per VID: the port is a member
 * @untagged:	bit per VID: egress for that VID is untagged
 * @pvid:	VID given to untagged and priority-tagged ingress, VLAN_NO_PVID for none
 * @n_members:	number of member VIDs
 */
struct vlan_port {
	uint64_t member[VLAN_N_VID / 64];
	uint64_t untagged[VLAN_N_VID / 64];
	uint16_t pvid;
	uint16_t n_members;
};

static inline bool vlan_is_member(const struct vlan_port *v, uint16_t vid)
{
	return (v->member[vid >> 6] >> (vid & 63)) & 1;
}

static inline bool vlan_is_untagged(const struct vlan_port *v, uint16_t vid)
{
	return (v->untagged[vid >> 6] >> (vid & 63)) & 1;
}

static inline bool vlan_vid_valid(unsigned long vid)
{
	return vid >= VLAN_VID_MIN && vid <= VLAN_VID_MAX;
}

/** vlan_port_init() - no membership, no PVID */
void vlan_port_init(struct vlan_port *v);

/**
 * vlan_add() - make the port a member of @vid, as `bridge vlan add vid N [pvid] [untagged]`
 * @v:		membership to change
 * @vid:	1..4094
 * @pvid:	make @vid the PVID; if false and @vid was the PVID, the port has no PVID after
 * @untagged:	egress for @vid is untagged (else tagged)
 *
 * Adding a VID that is already a member replaces its flags, as the Linux bridge does.
 *
 * Return: 0, or -EINVAL if @vid is outside 1..4094
 */
int vlan_add(struct vlan_port *v, uint16_t vid, bool pvid, bool untagged);

/**
 * vlan_del() - remove @vid from the port; if it was the PVID, the port has none after
 * Return: 0, -EINVAL if @vid is outside 1..4094, -ENOENT if not a member
 */
int vlan_del(struct vlan_port *v, uint16_t vid);

/* libvirt's nativeMode attribute of a <tag> */
enum vlan_native_mode {
	VLAN_NATIVE_NONE,
	VLAN_NATIVE_TAGGED,
	VLAN_NATIVE_UNTAGGED,
};

/**
 * struct vlan_spec - a libvirt <vlan> element in plain form
 * @trunk:	trunk='yes'
 * @n_tags:	number of <tag> children
 * @tags:	their id and nativeMode
 */
struct vlan_spec {
	bool trunk;
	uint16_t n_tags;
	const struct vlan_spec_tag {
		uint16_t id;
		enum vlan_native_mode native_mode;
	} * tags;
};

/**
 * vlan_apply_spec() - replace a port's membership with what a libvirt <vlan> means
 * @v:		membership to replace
 * @spec:	the <vlan>
 *
 * <tag id='42'/> alone is an access port: PVID 42, untagged, member of 42 only.
 * trunk='yes' (or more than one tag): a tagged member of every tag, no PVID.
 * A tag with nativeMode='untagged' is the PVID and egresses untagged;
 * nativeMode='tagged' is the PVID but egresses tagged.
 *
 * Return: 0; -EINVAL (and @v unchanged) if there is no tag, a VID is outside
 * 1..4094, or more than one tag has a nativeMode
 */
int vlan_apply_spec(struct vlan_port *v, const struct vlan_spec *spec);

#endif
