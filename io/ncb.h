/* Cross-cutting helpers shared by every module: error reporting buffer,
 * attributes and small macros. Header only; no dependencies. */
#ifndef NCB_IO_NCB_H
#define NCB_IO_NCB_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define NCB_MUST_CHECK __attribute__((warn_unused_result))
#define NCB_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define NCB_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

enum { NCB_ERR_LEN = 256 };

enum ncb_opt_type {
	NCB_OPT_CHOICE, /* stored as unsigned index into choices */
	NCB_OPT_UINT,
	NCB_OPT_FLAG,   /* no value; stored as unsigned 0 or 1 */
	/* --sa-dist: uniform, round-robin or zipf:S (workloads/sadist.h),
	 * stored as two consecutive unsigned members: the kind, then S *
	 * 1000; shown as sadist_name spells it ("zipf:1.100"). */
	NCB_OPT_SA_DIST,
};

/* An option (--name VALUE) of a workload, traffic pattern or framing,
 * stored at offset in its option struct (unsigned members only, so the
 * struct is plain data). One table gives --help, defaults, parsing and
 * the resolved config of the result document. */
struct ncb_opt {
	const char *name;
	enum ncb_opt_type type;
	size_t offset;
	const char *def;
	const char *help;
	const char *const *choices; /* NULL-terminated, for NCB_OPT_CHOICE */
};

/* A one-line message naming the option or file and what is wrong. Lower
 * layers fill it; only bench/ prints it. */
struct ncb_err {
	char msg[NCB_ERR_LEN];
};

/* Replaces control bytes (newlines, escape sequences, DEL) in s with '?':
 * messages quote file names, options and document strings, which must not
 * break the one-line format or drive the terminal. */
static inline char *ncb_clean(char *s)
{
	for (char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	return s;
}

/* Fills e (if not NULL) and returns rc, so callers can write
 * `return ncb_errf(e, -EINVAL, "...")`. The message is one clean line. */
static inline NCB_PRINTF(3, 4) int ncb_errf(struct ncb_err *e, int rc,
					    const char *fmt, ...)
{
	va_list ap;

	if (e) {
		va_start(ap, fmt);
		vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
		va_end(ap);
		ncb_clean(e->msg);
	}
	return rc;
}

/* Appends printf output to the NUL-terminated text in buf (len bytes);
 * what does not fit is cut, as labels and sentences are. */
static inline NCB_PRINTF(3, 4) void ncb_appendf(char *buf, size_t len,
						const char *fmt, ...)
{
	size_t n = strlen(buf);
	va_list ap;

	if (n + 1 >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + n, len - n, fmt, ap);
	va_end(ap);
}

/* Network byte order in and out of packet bytes, at any alignment. */
static inline void ncb_put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void ncb_put_be32(uint8_t *p, uint32_t v)
{
	ncb_put_be16(p, (uint16_t)(v >> 16));
	ncb_put_be16(p + 2, (uint16_t)v);
}

static inline void ncb_put_be64(uint8_t *p, uint64_t v)
{
	ncb_put_be32(p, (uint32_t)(v >> 32));
	ncb_put_be32(p + 4, (uint32_t)v);
}

static inline uint16_t ncb_get_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t ncb_get_be32(const uint8_t *p)
{
	return (uint32_t)ncb_get_be16(p) << 16 | ncb_get_be16(p + 2);
}

static inline uint64_t ncb_get_be64(const uint8_t *p)
{
	return (uint64_t)ncb_get_be32(p) << 32 | ncb_get_be32(p + 4);
}

/* The Internet checksum (RFC 1071): ncb_inet_sum adds len bytes at p
 * (an even number, but for the last piece, whose odd byte is padded
 * with 0) to a running sum started at 0; ncb_inet_fold gives the
 * checksum of the sum (host order: store it big-endian). */
static inline uint32_t ncb_inet_sum(const uint8_t *p, size_t len,
				    uint32_t sum)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len % 2)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static inline uint16_t ncb_inet_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)(~sum & 0xffff);
}

#endif
