/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz_ovs_cmd.c - fuzz target: kvnet-ovs-vsctl's parser on hostile command lines
 *
 * The input is an argv, its arguments separated by NUL or newline bytes (the program's name
 * not included). A command line that parses must give operations that hold together, and each
 * add-port's <interface> must be one kvnetd reads (conf/iface_xml.c) with that MAC, tap and
 * VLAN; one that does not parse must say why.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conf/iface_xml.h"
#include "ovs/ovs_cmd.h"

#define FUZZ_ARGS_MAX 256

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* add-port @op's <interface>, read back as kvnetd reads it, must be what @op says */
static void fuzz_check_add_port(const struct ovs_op *op, const char *network)
{
	struct ovs_membership m;
	struct iface_def *def;
	char err[512], *xml;
	size_t n = 0;

	if (!op->mac[0] || !op->vm_id[0] || !op->port[0] || !op->bridge[0])
		abort();
	if (ovs_iface_xml(op, network, &xml))
		return; /* out of memory */
	if (iface_xml_parse(xml, strlen(xml), &def, err, sizeof(err)))
		abort();
	if (strcmp(def->mac, op->mac) || !def->target_dev || strcmp(def->target_dev, op->port) ||
	    strcmp(def->source, network ? network : op->bridge))
		abort();
	if (def->vlan.present != (op->vlan.mode != OVS_VLAN_NONE))
		abort();
	if (ovs_vlan_membership(&op->vlan, &m)) {
		for (unsigned int vid = CTL_VID_MIN; vid <= CTL_VID_MAX; vid++)
			n += ovs_vid_test(m.member, vid);
		if (n != def->vlan.n_tags || (m.pvid && !ovs_vid_test(m.member, m.pvid)))
			abort();
	}
	iface_def_free(def);
	free(xml);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1), *argv[FUZZ_ARGS_MAX], err[512];
	struct ovs_cmdline c;
	int argc = 0;
	size_t start = 0;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	for (size_t i = 0; i <= size && argc < FUZZ_ARGS_MAX; i++) {
		if (i == size && start == size)
			break; /* a separator at the end ends the last argument, no more */
		if (i == size || buf[i] == '\0' || buf[i] == '\n') {
			buf[i] = '\0';
			argv[argc++] = buf + start;
			start = i + 1;
		}
	}
	if (ovs_cmd_parse(argc, argv, &c, err, sizeof(err))) {
		/* a refusal says why, and leaves nothing behind */
		if (!err[0] || c.ops || c.n_ops)
			abort();
	} else {
		if (c.timeout > OVS_TIMEOUT_MAX || (!c.n_ops && !c.version && !c.help))
			abort();
		for (size_t i = 0; i < c.n_ops; i++) {
			const struct ovs_op *op = &c.ops[i];

			if (op->kind == OVS_OP_ADD_PORT) {
				fuzz_check_add_port(op, "lab");
				fuzz_check_add_port(op, NULL);
			} else if (op->kind != OVS_OP_FIND && !op->port[0]) {
				abort();
			}
		}
		ovs_cmdline_free(&c);
	}
	free(buf);
	return 0;
}
