/* SPDX-License-Identifier: GPL-2.0-or-later */
/* qemu_args.c - the -netdev and -device arguments that connect QEMU to a VM port of kvnet
 *
 * One -netdev per back-end, as QEMU names them, then the NIC:
 *   tap     -netdev tap,id=ID,ifname=NAME,script=no,downscript=no (kvnet's persistent tap)
 *   dev     -netdev tap,id=ID,ifname=NAME,script=DIR/kvnet-ifup,downscript=DIR/kvnet-ifdown
 *   stream  -netdev stream,id=ID,server=off|on,addr.type=unix,addr.path=SOCKET[,reconnect..]
 *   dgram   -netdev dgram,id=ID,local.type=unix,local.path=PEER,remote.type=unix,remote.path=SOCKET
 *   vhost-user  -chardev socket,id=chr-NAME,path=SOCKET,reconnect=1 (reconnect-ms=1000 from 9.2)
 *           -netdev vhost-user,id=ID,chardev=chr-NAME; the guest's memory must be shared
 *           (qemu.c prints the memory backend once per domain)
 *   -device DEVICE,netdev=ID,mac=MAC, DEVICE the NIC of the port's "model":
 *           virtio-net-pci, e1000, e1000e or rtl8139
 * ID is "net-" and the port's name. A comma inside a value is doubled: QEMU reads a single
 * one as the start of the next option.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/qemu_args.h"
#include "ctl/vocab.h"

enum qemu_reconnect qemu_version_reconnect(const char *text)
{
	const char *v = text ? strstr(text, "version ") : NULL;
	int major, minor;

	if (!v || sscanf(v + strlen("version "), "%d.%d", &major, &minor) != 2)
		return QEMU_RECONNECT_NONE;
	if (major > 9 || (major == 9 && minor >= 2))
		return QEMU_RECONNECT_MS;
	if (major >= 8)
		return QEMU_RECONNECT_SECONDS;
	return QEMU_RECONNECT_NONE;
}

bool qemu_args_shell_safe(const char *s)
{
	if (!*s)
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p <= ' ' || *p == 0x7f || strchr("*?[", *p))
			return false;
	return true;
}

/* ",KEY=VALUE", commas in VALUE doubled */
static void qemu_opt(FILE *f, const char *key, const char *value)
{
	fprintf(f, ",%s=", key);
	for (const char *p = value; *p; p++) {
		if (*p == ',')
			fputc(',', f);
		fputc(*p, f);
	}
}

/* QEMU's device for each of ctl/'s NIC models: QEMU's own words */
static const char *const qemu_nic_devices[] = {
	[CTL_NIC_VIRTIO] = "virtio-net-pci",
	[CTL_NIC_E1000] = "e1000",
	[CTL_NIC_E1000E] = "e1000e",
	[CTL_NIC_RTL8139] = "rtl8139",
};

/* member @key of @iface as a string; NULL after writing what is wrong to @err */
static const char *qemu_member(const json_t *iface, const char *key, char *err, size_t errlen)
{
	const char *s = json_string_value(json_object_get(iface, key));

	if (!s || !*s)
		snprintf(err, errlen, "\"%s\" is missing or not a string", key);
	return s && *s ? s : NULL;
}

/* the -netdev value of @iface into @f. Return: 0 or -EBADMSG */
static int qemu_netdev(FILE *f, const json_t *iface, const char *backend, const char *id,
		       enum qemu_reconnect reconnect, const char *scripts, char *err, size_t errlen)
{
	int b = ctl_vocab_value(&ctl_vm_backends, backend);
	const char *name, *sock, *peer;
	char path[4096];

	/* the -netdev types are QEMU's words: a dev port is a tap QEMU made */
	if (b == CTL_VM_BACKEND_TAP || b == CTL_VM_BACKEND_DEV) {
		if (!(name = qemu_member(iface, "name", err, errlen)))
			return -EBADMSG;
		fprintf(f, "tap");
		qemu_opt(f, "id", id);
		qemu_opt(f, "ifname", name);
		if (b == CTL_VM_BACKEND_TAP) {
			fprintf(f, ",script=no,downscript=no");
			return 0;
		}
		snprintf(path, sizeof(path), "%s/kvnet-ifup", scripts);
		qemu_opt(f, "script", path);
		snprintf(path, sizeof(path), "%s/kvnet-ifdown", scripts);
		qemu_opt(f, "downscript", path);
		return 0;
	}
	if (b == CTL_VM_BACKEND_VHOST_USER) {
		if (!(name = qemu_member(iface, "name", err, errlen)))
			return -EBADMSG;
		fprintf(f, "vhost-user");
		qemu_opt(f, "id", id);
		snprintf(path, sizeof(path), "chr-%.32s", name);
		qemu_opt(f, "chardev", path);
		return 0;
	}
	if (b != CTL_VM_BACKEND_STREAM && b != CTL_VM_BACKEND_DGRAM) {
		snprintf(err, errlen, "backend '%.32s' is not one QEMU can use (expected %s)",
			 backend, CTL_WORDS_OR(CTL_VM_BACKEND_LIST));
		return -EBADMSG;
	}
	if (!(sock = qemu_member(iface, "socket", err, errlen)))
		return -EBADMSG;
	if (b == CTL_VM_BACKEND_STREAM) {
		const json_t *listen = json_object_get(iface, "listen");

		if (!json_is_boolean(listen)) {
			snprintf(err, errlen, "\"listen\" is missing or not true or false");
			return -EBADMSG;
		}
		/* kvnet listens: QEMU is the client, and only a client reconnects */
		fprintf(f, "stream");
		qemu_opt(f, "id", id);
		fprintf(f, ",server=%s,addr.type=unix", json_is_true(listen) ? "off" : "on");
		qemu_opt(f, "addr.path", sock);
		if (json_is_true(listen) && reconnect == QEMU_RECONNECT_SECONDS)
			fprintf(f, ",reconnect=1");
		else if (json_is_true(listen) && reconnect == QEMU_RECONNECT_MS)
			fprintf(f, ",reconnect-ms=1000");
		return 0;
	}
	if (!(peer = qemu_member(iface, "peer_socket", err, errlen)))
		return -EBADMSG;
	fprintf(f, "dgram");
	qemu_opt(f, "id", id);
	fprintf(f, ",local.type=unix");
	qemu_opt(f, "local.path", peer);
	fprintf(f, ",remote.type=unix");
	qemu_opt(f, "remote.path", sock);
	return 0;
}

/*
 * vhost-user's -chardev value of @iface into @f: kvnet listens, QEMU connects and reconnects;
 * or ("listen" false) QEMU listens without waiting for kvnet, which connects and reconnects
 */
static int qemu_chardev(FILE *f, const json_t *iface, enum qemu_reconnect reconnect, char *err,
			size_t errlen)
{
	const char *name = qemu_member(iface, "name", err, errlen);
	const char *sock = qemu_member(iface, "socket", err, errlen);
	char id[64];

	if (!name || !sock)
		return -EBADMSG;
	snprintf(id, sizeof(id), "chr-%.32s", name);
	fprintf(f, "socket");
	qemu_opt(f, "id", id);
	qemu_opt(f, "path", sock);
	if (json_is_false(json_object_get(iface, "listen"))) {
		fprintf(f, ",server=on,wait=off");
		return 0;
	}
	/* a client chardev has reconnected since long before QEMU 8 */
	fprintf(f, reconnect == QEMU_RECONNECT_MS ? ",reconnect-ms=1000" : ",reconnect=1");
	return 0;
}

/*
 * Close memory stream @f, which writes to *@buf: its text in *@out (NULL on failure).
 * Return: 0 or -ENOMEM
 */
static int qemu_close(FILE *f, char **out, char **buf)
{
	if (fclose(f) || !*buf) {
		free(*buf);
		*out = NULL;
		return -ENOMEM;
	}
	*out = *buf;
	return 0;
}

int qemu_args_format(const json_t *iface, enum qemu_reconnect reconnect, const char *scripts,
		     struct qemu_args *out, char *err, size_t errlen)
{
	const char *backend = ctl_vocab_name(&ctl_vm_backends, CTL_VM_BACKEND_TAP), *name, *mac;
	int model = CTL_NIC_VIRTIO;
	char id[64], *nbuf = NULL, *dbuf = NULL;
	size_t nlen, dlen;
	FILE *f;
	int ret;

	memset(out, 0, sizeof(*out));
	if (json_object_get(iface, "backend") &&
	    !(backend = qemu_member(iface, "backend", err, errlen)))
		return -EBADMSG;
	if (!(name = qemu_member(iface, "name", err, errlen)) ||
	    !(mac = qemu_member(iface, "mac", err, errlen)))
		return -EBADMSG;
	/* a kvnetd that predates models gave every VM virtio */
	if (json_object_get(iface, "model")) {
		const char *m = qemu_member(iface, "model", err, errlen);

		model = m ? ctl_vocab_value(&ctl_nic_models, m) : -EINVAL;
		if (model < 0 ||
		    (size_t)model >= sizeof(qemu_nic_devices) / sizeof(qemu_nic_devices[0])) {
			if (m)
				snprintf(err, errlen,
					 "\"model\" '%.32s' is not a NIC kvnet knows (expected %s)",
					 m, CTL_WORDS_OR(CTL_NIC_MODEL_LIST));
			return -EBADMSG;
		}
	}
	snprintf(id, sizeof(id), "net-%.32s", name);

	if (ctl_vocab_value(&ctl_vm_backends, backend) == CTL_VM_BACKEND_VHOST_USER) {
		f = open_memstream(&nbuf, &nlen);
		if (!f)
			return -ENOMEM;
		ret = qemu_chardev(f, iface, reconnect, err, errlen);
		if (qemu_close(f, &out->chardev, &nbuf))
			return -ENOMEM;
		nbuf = NULL;
		if (ret)
			goto free_args;
	}
	f = open_memstream(&nbuf, &nlen);
	if (!f)
		return -ENOMEM;
	ret = qemu_netdev(f, iface, backend, id, reconnect, scripts, err, errlen);
	if (qemu_close(f, &out->netdev, &nbuf))
		return -ENOMEM;
	if (ret)
		goto free_args;

	f = open_memstream(&dbuf, &dlen);
	if (!f) {
		ret = -ENOMEM;
		goto free_args;
	}
	fprintf(f, "%s", qemu_nic_devices[model]);
	qemu_opt(f, "netdev", id);
	qemu_opt(f, "mac", mac);
	ret = qemu_close(f, &out->device, &dbuf);
	if (!ret)
		return 0;
free_args:
	qemu_args_free(out);
	return ret;
}

void qemu_args_free(struct qemu_args *a)
{
	free(a->chardev);
	a->chardev = NULL;
	free(a->netdev);
	free(a->device);
	a->netdev = NULL;
	a->device = NULL;
}
