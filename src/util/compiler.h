/* SPDX-License-Identifier: GPL-2.0-or-later */
/* compiler.h - branch hints, array sizes and other small compiler helpers */
#ifndef KVNET_UTIL_COMPILER_H
#define KVNET_UTIL_COMPILER_H

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))
/* a macro's value as a string literal: STRINGIFY(CTL_VID_MAX) is "4094" */
#define STRINGIFY(x) STRINGIFY_(x)
#define STRINGIFY_(x) #x

#endif
