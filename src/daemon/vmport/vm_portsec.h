/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vm_portsec.h - a VM port's <filterref> applied as port security (core/portsec.h) */
#ifndef KVNET_DAEMON_VMPORT_VM_PORTSEC_H
#define KVNET_DAEMON_VMPORT_VM_PORTSEC_H

#include <stddef.h>

#include "conf/conf_filterref.h"
#include "daemon/switch/switch.h"

/**
 * vm_portsec_apply() - give switch port @p the checks of filter @f for a VM of MAC @mac
 * @p:		the port
 * @f:		the filter (conf_filterref.h); NULL leaves the port as it is (the admin may
 *		have set port security by hand)
 * @mac:	the VM's MAC, "xx:xx:..."; its MAC parameters are added
 * @err:	on failure, a message naming the parameter and what was expected
 * Return: 0, or -EINVAL (more addresses of a family than the switch keeps)
 */
int vm_portsec_apply(struct kv_port *p, const struct conf_filterref *f, const char *mac, char *err,
		     size_t errlen);

#endif
