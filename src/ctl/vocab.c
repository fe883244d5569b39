/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vocab.c - the control protocol's words, one table per enum, and its MAC parser */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ctl/vocab.h"

/* an enum's table from its list: the words, NULL-terminated, and the value of each */
#define CTL_NAME(value, word) word,
#define CTL_VALUE(value, word) value,
#define CTL_VOCAB(name, list)                                                                      \
	static const char *const name##_names[] = { list(CTL_NAME, CTL_NAME, CTL_NAME) NULL };     \
	static const int name##_values[] = { list(CTL_VALUE, CTL_VALUE, CTL_VALUE) };              \
	const struct ctl_vocab name = { name##_names, name##_values }

CTL_VOCAB(ctl_port_states, CTL_PORT_STATE_LIST);
CTL_VOCAB(ctl_port_types, CTL_PORT_TYPE_LIST);
CTL_VOCAB(ctl_vm_backends, CTL_VM_BACKEND_LIST);
CTL_VOCAB(ctl_stp_versions, CTL_STP_VERSION_LIST);
CTL_VOCAB(ctl_vlan_protos, CTL_VLAN_PROTO_LIST);
CTL_VOCAB(ctl_stp_edges, CTL_STP_EDGE_LIST);
CTL_VOCAB(ctl_port_flags, CTL_PORT_FLAG_LIST);
CTL_VOCAB(ctl_nic_models, CTL_NIC_MODEL_LIST);
CTL_VOCAB(ctl_net_update_cmds, CTL_NET_UPDATE_CMD_LIST);
CTL_VOCAB(ctl_net_update_sections, CTL_NET_UPDATE_SECTION_LIST);
CTL_VOCAB(ctl_capture_dirs, CTL_CAPTURE_DIR_LIST);

int ctl_vocab_value(const struct ctl_vocab *v, const char *name)
{
	size_t i;

	if (!name)
		return -EINVAL;
	for (i = 0; v->names[i]; i++)
		if (!strcmp(v->names[i], name))
			return v->values[i];
	return -EINVAL;
}

const char *ctl_vocab_name(const struct ctl_vocab *v, int value)
{
	size_t i;

	for (i = 0; v->names[i]; i++)
		if (v->values[i] == value)
			return v->names[i];
	return NULL;
}

int ctl_name_valid(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n < 1 || n > 15 || !strcmp(s, ".") || !strcmp(s, ".."))
		return 0;
	return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") == n;
}

bool ctl_netns_name_valid(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	return n >= 1 && n <= CTL_NETNS_NAME_MAX && !strchr(s, '/') && strcmp(s, ".") &&
	       strcmp(s, "..");
}

/* the value of hex digit @c, or -1 */
static int ctl_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int ctl_mac_parse(const char *s, uint8_t mac[CTL_MAC_LEN])
{
	uint8_t m[CTL_MAC_LEN];
	int i, hi, lo;

	if (!s || strlen(s) != CTL_MAC_STRLEN - 1)
		return -EINVAL;
	for (i = 0; i < CTL_MAC_LEN; i++, s += 3) {
		hi = ctl_hex(s[0]);
		lo = ctl_hex(s[1]);
		if (hi < 0 || lo < 0 || (i < CTL_MAC_LEN - 1 && s[2] != ':'))
			return -EINVAL;
		m[i] = (uint8_t)(hi << 4 | lo);
	}
	memcpy(mac, m, sizeof(m));
	return 0;
}

char *ctl_mac_format(const uint8_t mac[CTL_MAC_LEN], char buf[CTL_MAC_STRLEN])
{
	snprintf(buf, CTL_MAC_STRLEN, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2],
		 mac[3], mac[4], mac[5]);
	return buf;
}
