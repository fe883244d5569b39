/* SPDX-License-Identifier: GPL-2.0-or-later */
/* domain.c - kvnet attach-interface|detach-interface|domain-interfaces: a domain's ports */

#include <errno.h>
#include <stdio.h>

#include "cli/kvnet.h"
#include "cli/parse.h"
#include "cli/print.h"

static const char *const domain_backends[] = { "tap", "dev", "stream", "dgram", NULL };

static const struct parse_arg domain_attach_args[] = {
	{ .key = "domain", .kind = PARSE_STRING, .what = "domain name", .required = true },
	{ .key = "file", .kind = PARSE_STRING, .what = "file name", .required = true },
	{ .word = "--backend",
	  .key = "backend",
	  .kind = PARSE_CHOICE,
	  .what = "backend",
	  .choices = domain_backends },
	{ .word = "--netns", .key = "netns", .kind = PARSE_NETNS, .what = "network namespace name" },
	{ .word = "--connect", .key = "connect", .kind = PARSE_STRING, .what = "socket path" },
	{ 0 },
};

static const struct parse_arg domain_detach_args[] = {
	{ .key = "domain", .kind = PARSE_STRING, .what = "domain name", .required = true },
	{ .word = "--mac", .key = "mac", .kind = PARSE_MAC, .what = "MAC", .required = true },
	{ 0 },
};

static const struct parse_arg domain_name_args[] = {
	{ .key = "domain", .kind = PARSE_STRING, .what = "domain name", .required = true },
	{ 0 },
};

static int domain_attach(struct kvnet *k, json_t *params)
{
	json_t *result;
	int ret;

	ret = qemu_connect_absolute(params);
	if (ret)
		return ret;
	ret = kvnet_call_xml(k, "domain.attach", params, &result);
	if (ret)
		return ret;
	/* a tap in a namespace is the VM's NIC itself: no QEMU to tell anything */
	if (json_object_get(params, "netns"))
		ret = print_result(k, result, print_attached);
	else if (!k->json)
		ret = print_attached(result);
	if (ret == -ENOMEM)
		kvnet_err("out of memory");
	if (!ret && !json_object_get(params, "netns"))
		ret = qemu_print_port(k, result, NULL);
	json_decref(result);
	return ret ? KVNET_EXIT_ERROR : KVNET_EXIT_OK;
}

static int domain_detach(struct kvnet *k, json_t *params)
{
	json_t *result;
	int ret;

	ret = kvnet_call(k, "domain.detach", json_incref(params), &result);
	if (ret)
		return ret;
	if (k->json)
		print_json(result);
	else
		printf("Interface detached successfully\n");
	json_decref(result);
	return KVNET_EXIT_OK;
}

const struct kvnet_cmd domain_cmds[] = {
	{
		.name = "attach-interface",
		.args = "DOMAIN FILE [--backend tap|dev|stream|dgram] [--netns NS] "
			"[--connect PATH]",
		.help = "Attach the libvirt <interface> in FILE (as virsh attach-device takes it)\n"
			"to DOMAIN: type='network' with <source network [portgroup]>, or\n"
			"type='bridge' with <source bridge>; <mac> (generated under 52:54:00 when\n"
			"absent), <vlan>, <target dev> (the port's name, default vnetN) and <port\n"
			"isolated> are used. VLAN: the interface's, else its portgroup's, else "
			"the\n"
			"network's. Prints \"Interface attached successfully\", the port and MAC,\n"
			"and the QEMU arguments that connect the VM (as qemu-args prints them).\n"
			"  --backend tap     a tap kvnet makes, QEMU opens it by name (default)\n"
			"  --backend dev     the existing interface <target dev> (a tap QEMU "
			"made)\n"
			"  --backend stream  a UNIX stream socket: kvnet listens, QEMU connects\n"
			"  --backend dgram   UNIX datagram sockets kvnet hands out\n"
			"  --netns NS        tap: move the tap into network namespace NS, with "
			"the\n"
			"                    MAC (the namespace plays the VM; no QEMU arguments)\n"
			"  --connect PATH    stream: kvnet connects to a QEMU listening at PATH\n"
			"                    (server=on) and reconnects while it is away\n",
		.spec = domain_attach_args,
		.check = qemu_backend_check,
		.act = domain_attach,
	},
	{
		.name = "detach-interface",
		.args = "DOMAIN --mac MAC",
		.help = "Detach DOMAIN's interface with MAC: its port and tap are removed.\n",
		.spec = domain_detach_args,
		.act = domain_detach,
	},
	{
		.name = "domain-interfaces",
		.args = "DOMAIN",
		.help = "List DOMAIN's interfaces (as virsh domiflist): Interface, Type, Source\n"
			"(network or bridge), Portgroup, MAC, VLANs (\"10 pvid untagged\", "
			"\"trunk\n"
			"42,48\"), State.\n",
		.method = "domain.interfaces",
		.spec = domain_name_args,
		.print = print_domain_interfaces,
	},
	{ 0 },
};
