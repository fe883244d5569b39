/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vm_port_record.h - VM ports written down in the run dir, so a restarted kvnetd makes them again
 *
 * Theory of Operation
 * A VM outlives kvnetd: QEMU keeps running while kvnetd is restarted, and its stream
 * socket, dgram socket or tap waits for the switch to come back. So each VM port is written
 * down, as the request that made it, in RUN_DIR/ports/NAME.json; when its network starts
 * again (autostart on the new kvnetd, or net-start), the request is made again and the
 * port is back under the same name, MAC and socket paths, with the VLAN its network gives
 * it now. The run dir is cleared by a reboot, when the VMs are gone too, as libvirt's
 * /run/libvirt is. The same dir holds the ports' sockets (NAME.sock, NAME.qemu.sock).
 * A record goes when its port is deleted, and stays when kvnetd shuts down.
 */
#ifndef KVNET_DAEMON_VMPORT_VM_PORT_RECORD_H
#define KVNET_DAEMON_VMPORT_VM_PORT_RECORD_H

#include <jansson.h>
#include <stddef.h>

/**
 * vm_port_record_init() - make RUN_DIR/ports: 0755, or 03770 with the sockets' group when
 * kvnetd was given one (so its members' QEMUs can bind their dgram sockets there)
 * Return: 0, or a negative errno with a message in @err
 */
int vm_port_record_init(const char *run_dir, char *err, size_t errlen);

/** vm_port_sock_path() - RUN_DIR/ports/NAME@suffix into @buf. Return: 0, or -ENAMETOOLONG */
int vm_port_sock_path(const char *name, const char *suffix, char *buf, size_t len);

/**
 * vm_port_record_save() - write down how port @name was made: @rec (not taken) has at least
 * "method", "network" (strings) and "params" (an object). Return: 0 or a negative errno (logged)
 */
int vm_port_record_save(const char *name, const json_t *rec);

/** vm_port_record_remove() - port @name was deleted: forget it */
void vm_port_record_remove(const char *name);

/**
 * vm_port_record_each() - call @fn for each record of network @network (the record is the
 * caller's while @fn runs). Unreadable records are logged and removed.
 */
void vm_port_record_each(const char *network,
			 void (*fn)(const char *name, json_t *rec, void *opaque), void *opaque);

#endif /* KVNET_DAEMON_VMPORT_VM_PORT_RECORD_H */
