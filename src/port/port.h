/* SPDX-License-Identifier: GPL-2.0-or-later */
/* port.h - the table of operations every port back-end implements
 *
 * A back-end moves frames between the outside (a tap, an interface through
 * AF_PACKET, later QEMU's sockets and vhost-user) and struct frame buffers
 * owned by the caller. It knows frames, not bridges, VLANs or networks.
 * Every function is called from one thread at a time (the datapath thread,
 * or the control thread before the port is handed to the datapath).
 */
#ifndef KVNET_PORT_PORT_H
#define KVNET_PORT_PORT_H

#include <net/if.h>
#include <stdint.h>

#include "core/frame.h"

/* offloads a back-end accepts on transmit (its peer can take) */
#define PORT_OFFLOAD_CSUM (1u << 0) /* NEEDS_CSUM frames */
#define PORT_OFFLOAD_TSO4 (1u << 1)
#define PORT_OFFLOAD_TSO6 (1u << 2)
#define PORT_OFFLOAD_UFO (1u << 3)

struct port;

/**
 * struct port_ops - a back-end
 * @kind:	"tap", "dev", ...
 * @rx_burst:	read up to @n frames into @frames (each has an empty buffer of
 *		FRAME_BUF_SIZE set up with frame_init()); never blocks.
 *		Return: frames read (0 if none waiting), or a negative errno if the
 *		port is unusable (-ENETDOWN, -ENXIO: its interface went away)
 * @tx_burst:	write @n frames; never blocks; a frame that cannot be written now
 *		is dropped and counted in tx_errors. The frames stay the caller's.
 *		Return: frames written, or a negative errno if the port is unusable
 * @destroy:	close everything and free the port; a tap it created disappears.
 *		May not be NULL.
 */
struct port_ops {
	const char *kind;
	int (*rx_burst)(struct port *p, struct frame **frames, unsigned n);
	int (*tx_burst)(struct port *p, struct frame **frames, unsigned n);
	void (*destroy)(struct port *p);
};

/**
 * struct port - what every back-end's port starts with
 * @ops:	its back-end
 * @fd:		file descriptor to poll for input (EPOLLIN)
 * @ifname:	interface name (the tap's, or the attached interface's)
 * @ifindex:	interface index in the namespace it was made or found in
 * @offloads:	PORT_OFFLOAD_* the port accepts on transmit
 * @rx_errors:	frames that could not be read (too long, truncated)
 * @tx_errors:	frames that could not be written
 */
struct port {
	const struct port_ops *ops;
	int fd;
	char ifname[IF_NAMESIZE];
	int ifindex;
	uint32_t offloads;
	uint64_t rx_errors;
	uint64_t tx_errors;
};

/**
 * tap_create() - create tap @ifname on /dev/net/tun with a virtio-net header
 *		  and checksum/TSO offloads, non-blocking
 * @ifname:	name for the tap (must not exist)
 * @err:	on failure, a message naming the tap and the failing call
 * @errlen:	size of @err
 *
 * The tap is not persistent: it disappears when the port is destroyed.
 * Return: the port, or NULL with errno set and @err filled
 */
struct port *tap_create(const char *ifname, char *err, size_t errlen);

/**
 * af_packet_open() - attach existing interface @ifname through AF_PACKET:
 *		      promiscuous, own transmissions ignored, virtio-net header on,
 *		      VLAN tags the kernel strips put back from PACKET_AUXDATA
 * Return: the port, or NULL with errno set and @err filled
 */
struct port *af_packet_open(const char *ifname, char *err, size_t errlen);

#endif
