/* SPDX-License-Identifier: GPL-2.0-or-later */
/* switch_mirror.h - port mirroring (SPAN): copies of some ports' frames out of another port
 *
 * Theory of Operation
 * A mirror, as a row of Open vSwitch's Mirror table, selects frames and sends a copy of each
 * out of its output port. Its source ports are both OVS's select_src_port and
 * select_dst_port (what ovs-tcpdump sets up): the frames each of them receives and sends;
 * with VLANs, only frames of those VLANs (OVS's select_vlan). The copy is the frame as it is
 * on the source port's wire (tagged there, tagged in the copy), sent by the output port's
 * back-end as it is; the copies are counted on the mirror (frames, bytes, and those the
 * back-end could not take).
 *
 * The output port is the mirror's alone (OVS's output_port): the switch forwards nothing to
 * it and drops what it receives (it is disabled in the core, so such frames are counted as
 * port-state drops), for as long as it is the output of a mirror. Copies sent out of it are
 * seen by its captures but not mirrored again.
 *
 * A mirror goes with its output port, or with its last source port. Everything runs under
 * the datapath lock: the control thread changes mirrors, the datapath thread uses them.
 */
#ifndef KVNET_DAEMON_SWITCH_SWITCH_MIRROR_H
#define KVNET_DAEMON_SWITCH_SWITCH_MIRROR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/frame.h"
#include "ctl/vocab.h"

struct kv_port;
struct kv_switch;

/**
 * struct switch_mirror - one mirror
 * @name:	unique on its bridge
 * @sw:		its bridge
 * @src:	its source ports, in the order given
 * @n_src:	how many
 * @dst:	its output port
 * @vlans:	the VLANs it copies, sorted; none: every frame
 * @n_vlans:	how many
 * @tx_frames:	copies sent
 * @tx_bytes:	their bytes
 * @tx_dropped:	copies the output's back-end did not take (or its link was down)
 * @next:	the next mirror, by creation
 */
struct switch_mirror {
	char name[16];
	struct kv_switch *sw;
	struct kv_port *src[CTL_MIRROR_SRC_MAX];
	unsigned int n_src;
	struct kv_port *dst;
	uint16_t vlans[CTL_MIRROR_VLANS_MAX];
	unsigned int n_vlans;
	uint64_t tx_frames;
	uint64_t tx_bytes;
	uint64_t tx_dropped;
	struct switch_mirror *next;
};

/* every mirror, by creation; under the datapath lock */
extern struct switch_mirror *switch_mirrors;

/** switch_mirror_find() - mirror @name of @sw, or NULL */
struct switch_mirror *switch_mirror_find(const struct kv_switch *sw, const char *name);

/**
 * switch_mirror_add() - make mirror @name on @sw
 * @src:	@n_src source ports (1..CTL_MIRROR_SRC_MAX), of @sw
 * @dst:	the output port, of @sw, not one of @src
 * @vlans:	@n_vlans VIDs (0..CTL_MIRROR_VLANS_MAX) to copy; none for all
 * @out:	gets the mirror
 * Return: 0, or a negative errno with a sentence naming what was wrong in @err: -EEXIST (a
 * mirror of that name), -EINVAL (a port of another bridge, the output among the sources, a
 * source twice), -ENOSPC (CTL_MIRROR_MAX mirrors on the bridge), -ENOMEM
 */
int switch_mirror_add(struct kv_switch *sw, const char *name, struct kv_port *const *src,
		      unsigned int n_src, struct kv_port *dst, const uint16_t *vlans,
		      unsigned int n_vlans, struct switch_mirror **out, char *err, size_t errlen);

/** switch_mirror_del() - remove a mirror; its output port forwards again */
void switch_mirror_del(struct switch_mirror *m);

/** switch_mirror_port_del() - @p goes: the mirrors it is the output or last source of go */
void switch_mirror_port_del(struct kv_port *p);

/** switch_mirror_dirs() - SWITCH_COPY_* bits the mirrors want of @p (0 or both) */
unsigned int switch_mirror_dirs(const struct kv_port *p);

/** switch_port_mirror_output() - @p is the output of a mirror */
bool switch_port_mirror_output(const struct kv_port *p);

/**
 * switch_mirror_frames() - the mirrors' part of switch_copy_frames(): send the frames of
 * @n that @p received (SWITCH_COPY_IN) or sent (SWITCH_COPY_OUT) out of the outputs of the
 * mirrors @p is a source of; datapath thread
 */
void switch_mirror_frames(struct kv_port *p, unsigned int dir, struct frame *const *frames,
			  unsigned int n);

#endif
