/* SPDX-License-Identifier: GPL-2.0 */
/* Small helpers used everywhere: error messages, number parsing, clocks. */
#ifndef MMUBENCH_UTIL_H
#define MMUBENCH_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif
#define KiB (1ull << 10)
#define MiB (1ull << 20)
#define GiB (1ull << 30)

/* Formats a message into @err (if non-NULL) and returns @ret, so callers can `return errf(...)`. */
int errf(char *err, size_t errlen, int ret, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* "4096", "4k", "2M", "1G", "1.5G" (binary units). Returns 0 or -EINVAL. */
int parse_size(const char *s, uint64_t *out);
/* Non-negative decimal integer, whole string. */
int parse_u64(const char *s, uint64_t *out);
/* Formats a size as "256M", "1G", "4096" (exact when possible). */
const char *format_size(uint64_t v, char *buf, size_t len);

uint64_t now_ns(void);		/* CLOCK_MONOTONIC */

#endif
