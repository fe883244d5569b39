/* SPDX-License-Identifier: GPL-2.0-or-later */
/* protocol.h - the kvnetd control protocol (docs/protocol.md), shared by daemon and CLI */
#ifndef KVNET_CTL_PROTOCOL_H
#define KVNET_CTL_PROTOCOL_H

#define CTL_SOCKET_NAME "kvnetd.sock"
#define CTL_RUN_DIR_DEFAULT "/run/kvnet"
#define CTL_SOCKET_DEFAULT CTL_RUN_DIR_DEFAULT "/" CTL_SOCKET_NAME
#define CTL_SOCKET_ENV "KVNET_SOCKET"
/* longest request or answer line, newline included */
#define CTL_LINE_MAX (1u << 20)

/* JSON-RPC 2.0 error codes, and kvnet's own in the server-defined range */
enum ctl_error {
	CTL_ERR_PARSE = -32700,
	CTL_ERR_INVALID_REQUEST = -32600,
	CTL_ERR_METHOD = -32601,
	CTL_ERR_PARAMS = -32602,
	CTL_ERR_INTERNAL = -32603,
	CTL_ERR_NOT_FOUND = -32001,
	CTL_ERR_EXISTS = -32002,
	CTL_ERR_PERM = -32003,
	CTL_ERR_SYSTEM = -32004,
	CTL_ERR_FULL = -32005,
	CTL_ERR_STATE = -32006, /* not valid in the object's current state */
};

/** ctl_error_name() - "parse error", "not found", ... for a code; "error" if unknown */
const char *ctl_error_name(int code);

#endif
