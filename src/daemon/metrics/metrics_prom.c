/* SPDX-License-Identifier: GPL-2.0-or-later */
/* metrics_prom.c - a snapshot of kvnetd's control answers as Prometheus exposition text */

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "daemon/metrics/metrics_prom.h"

/* where a family's samples come from: one sample per element of that list */
enum prom_src {
	PROM_PORT,     /* stats.show's ports: labels bridge, port */
	PROM_FDB,      /* stats.show's bridges, their "fdb" object: label bridge */
	PROM_STP,      /* each stp.show answer: label bridge */
	PROM_STP_PORT, /* the ports of each stp.show answer with STP on: labels bridge, port */
	PROM_NET,      /* net.list's networks: label network */
	PROM_DNSMASQ,  /* net.info's "dnsmasq" of each running network with one: label network */
};

/* how a sample's value is read from the element's member @key */
enum prom_kind {
	PROM_NUMBER, /* an integer or a boolean (1 or 0) */
	PROM_STATE,  /* a string: one sample, its value 1, the string in label "state" */
	PROM_CAUSES, /* an object of integers: one sample per member, its name in label "cause" */
};

struct prom_family {
	const char *name;
	const char *type;
	enum prom_src src;
	const char *key;
	enum prom_kind kind;
	const char *help;
};

static const struct prom_family prom_families[] = {
	{ "kvnet_port_rx_frames_total", "counter", PROM_PORT, "rx_frames", PROM_NUMBER,
	  "Frames received on the port." },
	{ "kvnet_port_rx_bytes_total", "counter", PROM_PORT, "rx_bytes", PROM_NUMBER,
	  "Bytes received on the port." },
	{ "kvnet_port_tx_frames_total", "counter", PROM_PORT, "tx_frames", PROM_NUMBER,
	  "Frames sent on the port." },
	{ "kvnet_port_tx_bytes_total", "counter", PROM_PORT, "tx_bytes", PROM_NUMBER,
	  "Bytes sent on the port." },
	{ "kvnet_port_rx_control_total", "counter", PROM_PORT, "rx_control", PROM_NUMBER,
	  "Link-local control frames (BPDUs) received on the port." },
	{ "kvnet_port_learn_refused_total", "counter", PROM_PORT, "learn_refused", PROM_NUMBER,
	  "Source addresses the port could not learn (FDB limits)." },
	{ "kvnet_port_rx_errors_total", "counter", PROM_PORT, "rx_errors", PROM_NUMBER,
	  "Receive errors of the port's back-end." },
	{ "kvnet_port_tx_errors_total", "counter", PROM_PORT, "tx_errors", PROM_NUMBER,
	  "Send errors of the port's back-end." },
	{ "kvnet_port_drops_total", "counter", PROM_PORT, "drops", PROM_CAUSES,
	  "Frames dropped, by the port they came in on, and why." },
	{ "kvnet_fdb_entries", "gauge", PROM_FDB, "size", PROM_NUMBER,
	  "Entries in the bridge's forwarding database." },
	{ "kvnet_fdb_static_entries", "gauge", PROM_FDB, "static", PROM_NUMBER,
	  "Static entries in the bridge's forwarding database." },
	{ "kvnet_fdb_learned_entries", "gauge", PROM_FDB, "learned_now", PROM_NUMBER,
	  "Learned entries in the bridge's forwarding database." },
	{ "kvnet_fdb_learned_total", "counter", PROM_FDB, "learned", PROM_NUMBER,
	  "Addresses learned by the bridge." },
	{ "kvnet_fdb_moved_total", "counter", PROM_FDB, "moved", PROM_NUMBER,
	  "Learned addresses seen moving to another port." },
	{ "kvnet_fdb_refused_bridge_limit_total", "counter", PROM_FDB, "refused_bridge_limit",
	  PROM_NUMBER, "Addresses not learned: the bridge's FDB limit was reached." },
	{ "kvnet_fdb_refused_port_limit_total", "counter", PROM_FDB, "refused_port_limit",
	  PROM_NUMBER, "Addresses not learned: a port's FDB limit was reached." },
	{ "kvnet_fdb_aged_total", "counter", PROM_FDB, "aged", PROM_NUMBER,
	  "Learned entries removed for age." },
	{ "kvnet_stp_enabled", "gauge", PROM_STP, "enabled", PROM_NUMBER,
	  "Whether the bridge runs the spanning tree (1) or not (0)." },
	{ "kvnet_stp_topology_changes_total", "counter", PROM_STP, "topology_change_count",
	  PROM_NUMBER, "Spanning-tree topology changes of the bridge." },
	{ "kvnet_stp_port_state", "gauge", PROM_STP_PORT, "state", PROM_STATE,
	  "The port's spanning-tree state, in label state (the sample is 1)." },
	{ "kvnet_network_active", "gauge", PROM_NET, "active", PROM_NUMBER,
	  "Whether the network runs (1) or not (0)." },
	{ "kvnet_network_vm_ports", "gauge", PROM_NET, "ports", PROM_NUMBER,
	  "VM ports on the network." },
	{ "kvnet_network_dhcp_leases", "gauge", PROM_NET, "leases", PROM_NUMBER,
	  "DHCP leases in the running network's lease file." },
	{ "kvnet_network_dnsmasq_state", "gauge", PROM_DNSMASQ, "state", PROM_STATE,
	  "The state of the network's dnsmasq, in label state (the sample is 1)." },
	{ "kvnet_network_dnsmasq_restarts_total", "counter", PROM_DNSMASQ, "restarts", PROM_NUMBER,
	  "Restarts of the network's dnsmasq by kvnetd." },
};

int metrics_prom_label(struct strbuf *out, const char *s)
{
	char one[2] = { 0, 0 };

	for (; *s; s++) {
		switch (*s) {
		case '\\':
			strbuf_append(out, "\\\\");
			break;
		case '"':
			strbuf_append(out, "\\\"");
			break;
		case '\n':
			strbuf_append(out, "\\n");
			break;
		default:
			one[0] = *s;
			strbuf_append(out, one);
		}
	}
	return out->err;
}

/* one label, name="value", after a comma unless @first */
static void prom_label(struct strbuf *out, bool first, const char *name, const char *value)
{
	strbuf_appendf(out, "%s%s=\"", first ? "" : ",", name);
	metrics_prom_label(out, value ? value : "");
	strbuf_append(out, "\"");
}

/* the sample's value from a JSON integer or boolean; false for anything else */
static bool prom_number(const json_t *v, json_int_t *n)
{
	if (json_is_integer(v))
		*n = json_integer_value(v);
	else if (json_is_boolean(v))
		*n = json_is_true(v);
	else
		return false;
	return true;
}

/*
 * One sample of family @f, value @n, with labels @l1=@v1, @l2=@v2 (if @l2) and @l3=@v3
 * (if @l3)
 */
static void prom_sample(struct strbuf *out, const struct prom_family *f, json_int_t n,
			const char *l1, const char *v1, const char *l2, const char *v2,
			const char *l3, const char *v3)
{
	strbuf_appendf(out, "%s{", f->name);
	prom_label(out, true, l1, v1);
	if (l2)
		prom_label(out, false, l2, v2);
	if (l3)
		prom_label(out, false, l3, v3);
	strbuf_appendf(out, "} %lld\n", (long long)n);
}

/* the samples of family @f for element @el, labelled @l1=@v1 and (if @l2) @l2=@v2 */
static void prom_samples(struct strbuf *out, const struct prom_family *f, const json_t *el,
			 const char *l1, const char *v1, const char *l2, const char *v2)
{
	const json_t *v = json_object_get(el, f->key), *cv;
	const char *cause;
	json_int_t n;

	switch (f->kind) {
	case PROM_NUMBER:
		if (prom_number(v, &n))
			prom_sample(out, f, n, l1, v1, l2, v2, NULL, NULL);
		break;
	case PROM_STATE:
		if (json_is_string(v))
			prom_sample(out, f, 1, l1, v1, l2, v2, "state", json_string_value(v));
		break;
	case PROM_CAUSES:
		json_object_foreach((json_t *)v, cause, cv)
		{
			if (prom_number(cv, &n))
				prom_sample(out, f, n, l1, v1, l2, v2, "cause", cause);
		}
		break;
	}
}

static const char *prom_str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* every sample of family @f in @snap */
static void prom_family_samples(struct strbuf *out, const struct prom_family *f, json_t *snap)
{
	json_t *stats = json_object_get(snap, "stats"), *el, *p;
	size_t i, j;

	switch (f->src) {
	case PROM_PORT:
		json_array_foreach(json_object_get(stats, "ports"), i, el)
			prom_samples(out, f, el, "bridge", prom_str(el, "bridge"), "port",
				     prom_str(el, "name"));
		break;
	case PROM_FDB:
		json_array_foreach(json_object_get(stats, "bridges"), i, el)
			prom_samples(out, f, json_object_get(el, "fdb"), "bridge",
				     prom_str(el, "name"), NULL, NULL);
		break;
	case PROM_STP:
		json_array_foreach(json_object_get(snap, "stp"), i, el)
			prom_samples(out, f, el, "bridge", prom_str(el, "bridge"), NULL, NULL);
		break;
	case PROM_STP_PORT:
		json_array_foreach(json_object_get(snap, "stp"), i, el)
			json_array_foreach(json_object_get(el, "ports"), j, p)
				prom_samples(out, f, p, "bridge", prom_str(el, "bridge"), "port",
					     prom_str(p, "name"));
		break;
	case PROM_NET:
		json_array_foreach(json_object_get(snap, "networks"), i, el)
			prom_samples(out, f, el, "network", prom_str(el, "name"), NULL, NULL);
		break;
	case PROM_DNSMASQ:
		json_array_foreach(json_object_get(snap, "networks"), i, el)
			prom_samples(out, f,
				     json_object_get(json_object_get(el, "info"), "dnsmasq"),
				     "network", prom_str(el, "name"), NULL, NULL);
		break;
	}
}

int metrics_prom_render(json_t *snap, struct strbuf *out)
{
	for (size_t i = 0; i < sizeof(prom_families) / sizeof(prom_families[0]); i++) {
		const struct prom_family *f = &prom_families[i];

		/* HELP text escapes only backslash and newline: ours have neither */
		strbuf_appendf(out, "# HELP %s %s\n# TYPE %s %s\n", f->name, f->help, f->name,
			       f->type);
		prom_family_samples(out, f, snap);
	}
	return out->err ? -ENOMEM : 0;
}
