/* SPDX-License-Identifier: GPL-2.0-or-later */
/* protocol.c - names of the control protocol's error codes */

#include "ctl/protocol.h"

const char *ctl_error_name(int code)
{
	switch (code) {
	case CTL_ERR_PARSE:
		return "parse error";
	case CTL_ERR_INVALID_REQUEST:
		return "invalid request";
	case CTL_ERR_METHOD:
		return "method not found";
	case CTL_ERR_PARAMS:
		return "invalid params";
	case CTL_ERR_INTERNAL:
		return "internal error";
	case CTL_ERR_NOT_FOUND:
		return "not found";
	case CTL_ERR_EXISTS:
		return "exists";
	case CTL_ERR_PERM:
		return "not permitted";
	case CTL_ERR_SYSTEM:
		return "system error";
	case CTL_ERR_FULL:
		return "full";
	case CTL_ERR_STATE:
		return "invalid state";
	}
	return "error";
}
