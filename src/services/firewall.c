/* SPDX-License-Identifier: GPL-2.0-or-later */
/* firewall.c - NAT and forwarding rules of running networks, in kvnet's own nftables table
 *
 * Theory of Operation
 *
 * Everything lives in one table, "inet kvnet", so IPv4 and IPv6 share each rule that does not
 * name an address. firewall_init() replaces any table a crashed kvnetd left with this skeleton:
 *
 *	chain guest_cross, guest_input, guest_output	(regular chains, one jump per network)
 *	chain forward	{ type filter hook forward priority filter; policy accept;
 *			  jump guest_cross; jump guest_input; jump guest_output }
 *	chain postrouting { type nat hook postrouting priority srcnat; policy accept; }
 *
 * The three phases run in libvirt's order (cross, then input, then output, for every network
 * before the next phase), so that traffic from one network's port to another's is judged by
 * the receiving network's input rules first, as libvirt judges it.
 *
 * Each network gets up to four chains of its own, B_cross, B_in, B_out and (nat only) B_nat,
 * where B is firewall_chain_base(): "n_", the network's name with every character outside
 * [A-Za-z0-9] made '_' and cut to 16, '_', and 12 hex digits of the 64-bit FNV-1a hash of the
 * whole name (so "default" is n_default_<hash>). B is a valid nft identifier whatever the
 * name, never an nft keyword, and two names differ in B unless their hashes collide. The
 * phase chains and postrouting hold one "jump B_x" rule each per network. Every rule in
 * B_cross names the port in iifname and oifname, every rule in B_in names it in oifname, and
 * every rule in B_out in iifname, so the order of networks within a phase does not matter.
 *
 * Per mode (S each subnet, IF the host port, DEV <forward dev>, which adds oifname DEV to
 * outgoing rules and iifname DEV to incoming ones, as libvirt does):
 *	nat	B_out: iifname IF saddr S accept; B_in: oifname IF daddr S ct state
 *		related,established accept; B_nat: saddr S to 224.0.0.0/24 and 255.255.255.255
 *		(IPv6: ff02::/16) return, then tcp and udp masquerade (or snat ip to <nat><address>)
 *		to ports <nat><port> or 1024-65535, then any other protocol masquerade (or snat),
 *		each only for daddr != S. IPv6 subnets are masqueraded only with <nat ipv6='yes'/>;
 *		without it they are routed (both ways accepted), as libvirt does.
 *	route	B_out: iifname IF saddr S accept; B_in: oifname IF daddr S accept.
 *	nat, route and isolated (no <forward>) all end with B_cross: iifname IF oifname IF
 *		accept; B_out: iifname IF reject; B_in: oifname IF reject.
 *	open, bridge: no chains at all.
 * libvirt adds its IPv6 rejects only to a network with IPv6; kvnet's rejects are written
 * once for both families, so a network without an IPv6 subnet forwards no IPv6 either.
 *
 * libvirt's nftables back-end also adds a "tc ... action csum" DHCP checksum fix-up on the
 * bridge; kvnet does not, because its switch completes partial checksums itself before a frame
 * reaches a guest.
 *
 * A network's rules are replaced or removed in one nft transaction: the current table is
 * listed as JSON (with handles) to find the jumps to the network's chains, and one script
 * deletes those rules, flushes and deletes its chains and (for add) creates the new ones.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <nftables/libnftables.h>

#include "services/firewall.h"
#include "util/strbuf.h"

#define FW_TABLE FIREWALL_FAMILY " " FIREWALL_TABLE

/* fw_buf_take() - the text of @b, or NULL on allocation failure; @b is emptied either way */
static char *fw_buf_take(struct strbuf *b)
{
	char *s;

	return strbuf_take(b, &s) ? NULL : s;
}

bool firewall_ifname_valid(const char *s)
{
	size_t n;

	if (!s)
		return false;
	for (n = 0; s[n]; n++) {
		char c = s[n];

		if (n >= 15)
			return false;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '.' || c == '-'))
			return false;
	}
	return n > 0;
}

void firewall_chain_base(const char *name, char *out, size_t outlen)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	char pre[17];
	size_t i;

	for (i = 0; name[i]; i++) {
		h ^= (unsigned char)name[i];
		h *= 0x100000001b3ULL;
	}
	for (i = 0; name[i] && i < sizeof(pre) - 1; i++) {
		char c = name[i];

		pre[i] = ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			  (c >= '0' && c <= '9'))
				 ? c
				 : '_';
	}
	pre[i] = '\0';
	snprintf(out, outlen, "n_%s_%012llx", pre, (unsigned long long)(h & 0xffffffffffffULL));
}

/* a subnet as nft writes it: "192.168.122.0/24"; family AF_INET or AF_INET6 */
struct fw_subnet {
	int family;
	char text[INET6_ADDRSTRLEN + 5];
};

static int fw_mask_prefix(const unsigned char *m, size_t n)
{
	int prefix = 0;
	size_t i;

	for (i = 0; i < n * 8; i++) {
		bool set = m[i / 8] & (0x80 >> (i % 8));

		if (set && prefix != (int)i)
			return -1; /* not contiguous */
		if (set)
			prefix++;
	}
	return prefix;
}

/* fw_subnet() - the subnet of <ip>, as libvirt computes it; Return: 0, -EINVAL */
static int fw_subnet(const struct network_ip *ip, struct fw_subnet *out)
{
	unsigned char a[16];
	size_t n;
	int prefix = ip->prefix;

	if (ip->address.family == AF_INET) {
		memcpy(a, &ip->address.v4, 4);
		n = 4;
	} else if (ip->address.family == AF_INET6) {
		memcpy(a, &ip->address.v6, 16);
		n = 16;
	} else {
		return -EINVAL;
	}
	if (prefix < 0 && ip->netmask.family == ip->address.family)
		prefix = fw_mask_prefix(ip->netmask.family == AF_INET
						? (const unsigned char *)&ip->netmask.v4
						: (const unsigned char *)&ip->netmask.v6,
					n);
	if (prefix < 0 && n == 16)
		prefix = 64;
	if (prefix < 0) /* classful, as libvirt's default for an IPv4 address without a mask */
		prefix = a[0] < 128 ? 8 : a[0] < 192 ? 16 : a[0] < 224 ? 24 : -1;
	if (prefix < 0 || prefix > (int)n * 8)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		int bits = prefix - (int)i * 8;

		if (bits <= 0)
			a[i] = 0;
		else if (bits < 8)
			a[i] &= (unsigned char)(0xff << (8 - bits));
	}
	out->family = ip->address.family;
	if (!inet_ntop(out->family, a, out->text, sizeof(out->text)))
		return -EINVAL;
	snprintf(out->text + strlen(out->text), sizeof(out->text) - strlen(out->text), "/%d",
		 prefix);
	return 0;
}

static void fw_nat_rules(struct strbuf *b, const struct network_def *def, const char *base,
			 const char *devmatch, const struct fw_subnet *s)
{
	const struct network_forward *f = &def->forward;
	const char *ipk = s->family == AF_INET ? "ip" : "ip6";
	unsigned int p1 = f->nat_port_start ? f->nat_port_start : 1024;
	unsigned int p2 = f->nat_port_end ? f->nat_port_end : 65535;
	char to[2 * INET_ADDRSTRLEN + 2] = "";
	static const char *const protos[] = { "tcp", "udp" };

	if (s->family == AF_INET) {
		strbuf_appendf(b,
			       "add rule " FW_TABLE " %s_nat%s ip saddr %s ip daddr 224.0.0.0/24 "
			       "counter return\n",
			       base, devmatch, s->text);
		strbuf_appendf(b,
			       "add rule " FW_TABLE
			       " %s_nat%s ip saddr %s ip daddr 255.255.255.255 "
			       "counter return\n",
			       base, devmatch, s->text);
		if (f->nat_addr_start.family == AF_INET) {
			const struct conf_addr *e = f->nat_addr_end.family == AF_INET
							    ? &f->nat_addr_end
							    : &f->nat_addr_start;
			char a1[INET_ADDRSTRLEN], a2[INET_ADDRSTRLEN];

			inet_ntop(AF_INET, &f->nat_addr_start.v4, a1, sizeof(a1));
			inet_ntop(AF_INET, &e->v4, a2, sizeof(a2));
			if (strcmp(a1, a2))
				snprintf(to, sizeof(to), "%s-%s", a1, a2);
			else
				snprintf(to, sizeof(to), "%s", a1);
		}
	} else {
		strbuf_appendf(b,
			       "add rule " FW_TABLE " %s_nat%s ip6 saddr %s ip6 daddr ff02::/16 "
			       "counter return\n",
			       base, devmatch, s->text);
	}
	for (size_t i = 0; i < 2; i++) {
		if (to[0])
			strbuf_appendf(b,
				       "add rule " FW_TABLE " %s_nat%s meta l4proto %s ip saddr %s "
				       "ip daddr != %s counter snat ip to %s:%u-%u\n",
				       base, devmatch, protos[i], s->text, s->text, to, p1, p2);
		else
			strbuf_appendf(b,
				       "add rule " FW_TABLE " %s_nat%s meta l4proto %s %s saddr %s "
				       "%s daddr != %s counter masquerade to :%u-%u\n",
				       base, devmatch, protos[i], ipk, s->text, ipk, s->text, p1,
				       p2);
	}
	if (to[0])
		strbuf_appendf(b,
			       "add rule " FW_TABLE " %s_nat%s ip saddr %s ip daddr != %s counter "
			       "snat ip to %s\n",
			       base, devmatch, s->text, s->text, to);
	else
		strbuf_appendf(b,
			       "add rule " FW_TABLE " %s_nat%s %s saddr %s %s daddr != %s counter "
			       "masquerade\n",
			       base, devmatch, ipk, s->text, ipk, s->text);
}

int firewall_rules(const struct network_def *def, const char *ifname, char **out)
{
	enum conf_forward_mode mode = def->forward.mode;
	const char *dev = def->forward.dev;
	char base[64], oifdev[40] = "", iifdev[40] = "";
	struct strbuf b = STRBUF_INIT;
	bool nat = mode == CONF_FORWARD_NAT;
	bool has_nat_chain = false;

	*out = NULL;
	if (!def->name || !firewall_ifname_valid(ifname))
		return -EINVAL;
	if (mode != CONF_FORWARD_NAT && mode != CONF_FORWARD_ROUTE && mode != CONF_FORWARD_NONE) {
		*out = strdup(""); /* open, bridge (and modes kvnet refuses): nothing */
		return *out ? 0 : -ENOMEM;
	}
	if (dev && mode != CONF_FORWARD_NONE) {
		if (!firewall_ifname_valid(dev))
			return -EINVAL;
		snprintf(oifdev, sizeof(oifdev), " oifname \"%s\"", dev);
		snprintf(iifdev, sizeof(iifdev), " iifname \"%s\"", dev);
	}
	firewall_chain_base(def->name, base, sizeof(base));

	strbuf_appendf(&b, "add chain " FW_TABLE " %s_cross\n", base);
	strbuf_appendf(&b, "add chain " FW_TABLE " %s_in\n", base);
	strbuf_appendf(&b, "add chain " FW_TABLE " %s_out\n", base);
	for (size_t i = 0; nat && i < def->n_ips; i++)
		if (def->ips[i].address.family == AF_INET || def->forward.nat_ipv6 == CONF_TRI_YES)
			has_nat_chain = true;
	if (has_nat_chain)
		strbuf_appendf(&b, "add chain " FW_TABLE " %s_nat\n", base);
	strbuf_appendf(&b,
		       "add rule " FW_TABLE
		       " %s_cross iifname \"%s\" oifname \"%s\" counter accept\n",
		       base, ifname, ifname);

	for (size_t i = 0; mode != CONF_FORWARD_NONE && i < def->n_ips; i++) {
		struct fw_subnet s;
		const char *ipk;
		bool masq;

		if (fw_subnet(&def->ips[i], &s) < 0)
			continue; /* the parser validates addresses; nothing sane to add */
		ipk = s.family == AF_INET ? "ip" : "ip6";
		masq = nat && (s.family == AF_INET || def->forward.nat_ipv6 == CONF_TRI_YES);
		strbuf_appendf(&b,
			       "add rule " FW_TABLE " %s_out iifname \"%s\"%s %s saddr %s counter "
			       "accept\n",
			       base, ifname, oifdev, ipk, s.text);
		strbuf_appendf(&b,
			       "add rule " FW_TABLE " %s_in%s oifname \"%s\" %s daddr %s%s counter "
			       "accept\n",
			       base, iifdev, ifname, ipk, s.text,
			       masq ? " ct state related,established" : "");
		if (masq)
			fw_nat_rules(&b, def, base, oifdev, &s);
	}

	strbuf_appendf(&b, "add rule " FW_TABLE " %s_out iifname \"%s\" counter reject\n", base,
		       ifname);
	strbuf_appendf(&b, "add rule " FW_TABLE " %s_in oifname \"%s\" counter reject\n", base,
		       ifname);
	strbuf_appendf(&b, "add rule " FW_TABLE " guest_cross jump %s_cross\n", base);
	strbuf_appendf(&b, "add rule " FW_TABLE " guest_input jump %s_in\n", base);
	strbuf_appendf(&b, "add rule " FW_TABLE " guest_output jump %s_out\n", base);
	if (has_nat_chain)
		strbuf_appendf(&b, "add rule " FW_TABLE " postrouting jump %s_nat\n", base);

	*out = fw_buf_take(&b);
	return *out ? 0 : -ENOMEM;
}

const char *firewall_table_script(void)
{
	/* "add" first so that "delete" finds a table whether or not a stale one was there */
	return "add table " FW_TABLE "\n"
	       "delete table " FW_TABLE "\n"
	       "table " FW_TABLE " {\n"
	       "\tchain guest_cross {\n\t}\n"
	       "\tchain guest_input {\n\t}\n"
	       "\tchain guest_output {\n\t}\n"
	       "\tchain forward {\n"
	       "\t\ttype filter hook forward priority filter; policy accept;\n"
	       "\t\tjump guest_cross\n"
	       "\t\tjump guest_input\n"
	       "\t\tjump guest_output\n"
	       "\t}\n"
	       "\tchain postrouting {\n"
	       "\t\ttype nat hook postrouting priority srcnat; policy accept;\n"
	       "\t}\n"
	       "}\n";
}

/*
 * fw_run() - run an nft script (one transaction); with @output, list in JSON with handles and
 * return the text (free()). Return: 0, or a negative errno with a message in @err
 */
static int fw_run(const char *script, char **output, char *err, size_t errlen)
{
	struct nft_ctx *ctx;
	int rc = 0;

	ctx = nft_ctx_new(NFT_CTX_DEFAULT);
	if (!ctx) {
		snprintf(err, errlen, "nftables: cannot create a libnftables context");
		return -ENOMEM;
	}
	if (output)
		nft_ctx_output_set_flags(ctx, NFT_CTX_OUTPUT_JSON | NFT_CTX_OUTPUT_HANDLE);
	if (nft_ctx_buffer_output(ctx) || nft_ctx_buffer_error(ctx)) {
		snprintf(err, errlen, "nftables: cannot buffer libnftables output");
		rc = -ENOMEM;
		goto out_free;
	}
	if (nft_run_cmd_from_buffer(ctx, script)) {
		const char *e = nft_ctx_get_error_buffer(ctx);
		size_t n;

		if (!e || !*e)
			e = "command failed";
		if (!strncmp(e, "Error: ", 7))
			e += 7;
		n = strcspn(e, "\n");
		if (strstr(e, "No such file or directory")) {
			rc = -ENOENT;
			snprintf(err, errlen, "nftables: %.*s (is firewall_init() done?)", (int)n,
				 e);
		} else if (strstr(e, "Operation not permitted")) {
			rc = -EPERM;
			snprintf(err, errlen, "nftables: %.*s (needs CAP_NET_ADMIN)", (int)n, e);
		} else if (strstr(e, "not supported")) {
			rc = -EPROTONOSUPPORT;
			snprintf(err, errlen, "nftables: %.*s (is the nf_tables module loaded?)",
				 (int)n, e);
		} else {
			rc = -EIO;
			snprintf(err, errlen, "nftables: %.*s", (int)n, e);
		}
		goto out_free;
	}
	if (output) {
		const char *o = nft_ctx_get_output_buffer(ctx);

		*output = strdup(o ? o : "");
		if (!*output) {
			snprintf(err, errlen, "nftables: out of memory");
			rc = -ENOMEM;
		}
	}
out_free:
	nft_ctx_free(ctx);
	return rc;
}

static bool fw_ident_valid(const char *s)
{
	size_t n;

	for (n = 0; s[n]; n++)
		if (!((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z') || s[n] == '_' ||
		      (n > 0 && s[n] >= '0' && s[n] <= '9')))
			return false;
	return n > 0 && n < 64;
}

static bool fw_is_ours(const char *chain, const char *base)
{
	static const char *const kinds[] = { "_cross", "_in", "_out", "_nat" };
	size_t n = strlen(base);

	if (strncmp(chain, base, n))
		return false;
	for (size_t i = 0; i < 4; i++)
		if (!strcmp(chain + n, kinds[i]))
			return true;
	return false;
}

/*
 * fw_del_script() - append to @b what removes network chains @base_*: the jumps to them (found
 * in the listing of the table), then the chains. Return: 0, -ENOENT when the table is absent,
 * or another negative errno with a message in @err
 */
static int fw_del_script(const char *base, struct strbuf *b, char *err, size_t errlen)
{
	char *listing = NULL;
	json_t *root, *items;
	json_error_t jerr;
	size_t i;
	int rc;

	rc = fw_run("list table " FW_TABLE "\n", &listing, err, errlen);
	if (rc < 0)
		return rc;
	root = json_loads(listing, 0, &jerr);
	free(listing);
	items = json_object_get(root, "nftables");
	if (!json_is_array(items)) {
		snprintf(err, errlen, "nftables: cannot read the listing of table %s: %s", FW_TABLE,
			 jerr.text);
		json_decref(root);
		return -EIO;
	}
	for (i = 0; i < json_array_size(items); i++) {
		json_t *rule = json_object_get(json_array_get(items, i), "rule");
		const char *chain = json_string_value(json_object_get(rule, "chain"));
		json_t *handle = json_object_get(rule, "handle");
		json_t *expr = json_object_get(rule, "expr");

		if (!chain || !json_is_integer(handle) || fw_is_ours(chain, base) ||
		    !fw_ident_valid(chain))
			continue;
		for (size_t j = 0; j < json_array_size(expr); j++) {
			json_t *jump = json_object_get(json_array_get(expr, j), "jump");
			const char *t = json_string_value(json_object_get(jump, "target"));

			if (t && fw_is_ours(t, base)) {
				strbuf_appendf(b, "delete rule " FW_TABLE " %s handle %lld\n",
					       chain, (long long)json_integer_value(handle));
				break;
			}
		}
	}
	for (i = 0; i < json_array_size(items); i++) {
		json_t *chain = json_object_get(json_array_get(items, i), "chain");
		const char *name = json_string_value(json_object_get(chain, "name"));

		if (name && fw_is_ours(name, base))
			strbuf_appendf(b,
				       "flush chain " FW_TABLE " %s\ndelete chain " FW_TABLE
				       " %s\n",
				       name, name);
	}
	json_decref(root);
	return 0;
}

int firewall_init(char *err, size_t errlen)
{
	return fw_run(firewall_table_script(), NULL, err, errlen);
}

static int fw_sysctl_on(const char *path, char *err, size_t errlen)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	int e;

	if (fd >= 0 && write(fd, "1\n", 2) == 2) {
		close(fd);
		return 0;
	}
	e = errno;
	if (fd >= 0)
		close(fd);
	snprintf(err, errlen, "cannot turn on forwarding: %s: %s", path, strerror(e));
	return -e;
}

int firewall_network_add(const struct network_def *def, const char *ifname, char *err,
			 size_t errlen)
{
	enum conf_forward_mode mode = def->forward.mode;
	struct strbuf b = STRBUF_INIT;
	char base[64], *rules = NULL, *script;
	int rc;

	rc = firewall_rules(def, ifname, &rules);
	if (rc == -EINVAL) {
		snprintf(err, errlen,
			 "network '%s': interface name '%s' (host port or <forward dev>) is not "
			 "1 to 15 of [A-Za-z0-9_.-]",
			 def->name ? def->name : "", ifname ? ifname : "");
		return rc;
	}
	if (rc < 0) {
		snprintf(err, errlen, "network '%s': out of memory", def->name);
		return rc;
	}
	/* the listing first: without a table, fail before touching anything */
	firewall_chain_base(def->name, base, sizeof(base));
	rc = fw_del_script(base, &b, err, errlen);
	if (rc < 0)
		goto out_buf;
	if (mode == CONF_FORWARD_NAT || mode == CONF_FORWARD_ROUTE) {
		bool v6 = false;

		for (size_t i = 0; i < def->n_ips; i++)
			v6 |= def->ips[i].address.family == AF_INET6;
		rc = fw_sysctl_on("/proc/sys/net/ipv4/ip_forward", err, errlen);
		if (!rc && v6)
			rc = fw_sysctl_on("/proc/sys/net/ipv6/conf/all/forwarding", err, errlen);
		if (rc < 0)
			goto out_buf;
	}
	strbuf_appendf(&b, "%s", rules);
	script = fw_buf_take(&b);
	if (!script) {
		snprintf(err, errlen, "network '%s': out of memory", def->name);
		rc = -ENOMEM;
		goto out_rules;
	}
	rc = 0;
	if (*script)
		rc = fw_run(script, NULL, err, errlen);
	free(script);
	goto out_rules;
out_buf:
	strbuf_free(&b);
out_rules:
	free(rules);
	return rc;
}

int firewall_network_del(const char *name, char *err, size_t errlen)
{
	struct strbuf b = STRBUF_INIT;
	char base[64], *script;
	int rc;

	firewall_chain_base(name, base, sizeof(base));
	rc = fw_del_script(base, &b, err, errlen);
	if (rc == -ENOENT) {
		strbuf_free(&b);
		return 0; /* no table: nothing of the network's is there */
	}
	if (rc < 0) {
		strbuf_free(&b);
		return rc;
	}
	script = fw_buf_take(&b);
	if (!script) {
		snprintf(err, errlen, "network '%s': out of memory", name);
		return -ENOMEM;
	}
	if (*script)
		rc = fw_run(script, NULL, err, errlen);
	free(script);
	return rc;
}

void firewall_fini(void)
{
	char err[256];

	fw_run("add table " FW_TABLE "\ndelete table " FW_TABLE "\n", NULL, err, sizeof(err));
}
