/* SPDX-License-Identifier: GPL-2.0-or-later */
/* log.h - leveled logging to stderr, one line per event, rate-limited where asked */
#ifndef KVNET_UTIL_LOG_H
#define KVNET_UTIL_LOG_H

#include <stdbool.h>
#include <stdint.h>

enum log_level {
	LOG_LVL_ERROR,
	LOG_LVL_WARN,
	LOG_LVL_INFO,
	LOG_LVL_DEBUG,
};

/**
 * log_journal_detect() - whether stderr is systemd's journal ($JOURNAL_STREAM names
 * stderr's device and inode); from then on each line starts with its syslog priority,
 * "<3>" for an error to "<7>" for debug, which the journal takes as the line's priority
 * Return: whether it is
 */
bool log_journal_detect(void);

/** log_set_level() - messages above @level are not printed */
void log_set_level(enum log_level level);

/** log_level_parse() - "error", "warn", "info", "debug" into @level. Return: 0 or -1 */
int log_level_parse(const char *s, enum log_level *level);

void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_err(...) log_msg(LOG_LVL_ERROR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_LVL_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_LVL_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_LVL_DEBUG, __VA_ARGS__)

/**
 * struct log_ratelimit - allow @burst messages per @interval_ns
 */
struct log_ratelimit {
	uint64_t interval_ns;
	unsigned burst;
	uint64_t start;
	unsigned count;
	uint64_t missed;
};

#define LOG_RATELIMIT_INIT                                                                         \
	{                                                                                          \
		.interval_ns = 5000000000ull, .burst = 10                                          \
	}

/** log_ratelimit_ok() - whether a message may be printed now */
bool log_ratelimit_ok(struct log_ratelimit *rl);

#endif
