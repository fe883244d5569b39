/* SPDX-License-Identifier: GPL-2.0-or-later */
/* qemu_args.h - the -netdev and -device arguments that connect QEMU to a VM port of kvnet */
#ifndef KVNET_CLI_QEMU_ARGS_H
#define KVNET_CLI_QEMU_ARGS_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

/* what a QEMU that connects to kvnet's stream socket (server=off) can be told to redo */
enum qemu_reconnect {
	QEMU_RECONNECT_NONE,	/* before 8.0: no reconnect at all (Debian 12's 7.2) */
	QEMU_RECONNECT_SECONDS, /* 8.0 .. 9.1: reconnect=1 */
	QEMU_RECONNECT_MS,	/* 9.2 on: reconnect-ms=1000 (reconnect is deprecated there) */
};

/**
 * qemu_version_reconnect() - the reconnect option of the QEMU whose `--version` printed @text
 * @text:	its output, "QEMU emulator version 7.2.22 (Debian ...)\n..."
 *
 * Return: the option it takes; QEMU_RECONNECT_NONE also when @text names no version
 */
enum qemu_reconnect qemu_version_reconnect(const char *text);

/**
 * struct qemu_args - the values of one interface's QEMU options, each a new string
 * @chardev:	after -chardev, before -netdev: vhost-user's "socket,id=chr-vnet0,path=..."
 *		(NULL for the other back-ends)
 * @netdev:	after -netdev: "stream,id=net-vnet0,server=off,..."
 * @device:	after -device: "virtio-net-pci,netdev=net-vnet0,mac=52:54:00:..."
 */
struct qemu_args {
	char *chardev;
	char *netdev;
	char *device;
};

/**
 * qemu_args_format() - QEMU's options for one VM port
 * @iface:	the port as kvnetd describes it (domain.attach's result, or an entry of
 *		domain.interfaces): "name", "mac", "backend", and for stream and dgram
 *		"socket", for dgram "peer_socket", for stream "listen", and "model"; a
 *		missing "backend" is "tap" and a missing "model" virtio (a kvnetd that
 *		predates them)
 * @reconnect:	what the QEMU to be run takes (used for stream with "listen" true, and
 *		for vhost-user's chardev)
 * @scripts:	the directory of kvnet-ifup and kvnet-ifdown (for backend "dev")
 * @out:	on success the two values, with every comma in a value doubled as QEMU's
 *		option syntax needs; free them with qemu_args_free()
 * @err:	on -EBADMSG what was missing or wrong, naming the member
 *
 * Return: 0, -EBADMSG (an answer kvnet cannot turn into arguments) or -ENOMEM
 */
int qemu_args_format(const json_t *iface, enum qemu_reconnect reconnect, const char *scripts,
		     struct qemu_args *out, char *err, size_t errlen);

/** qemu_args_free() - free the strings of @a (not @a); a zeroed @a is fine */
void qemu_args_free(struct qemu_args *a);

/**
 * qemu_args_shell_safe() - whether @s passes through a shell's unquoted $(...) as one word,
 * unchanged: no white space, no glob character (* ? [), no control character, not empty
 */
bool qemu_args_shell_safe(const char *s);

#endif /* KVNET_CLI_QEMU_ARGS_H */
