/* How a sender spreads its packets over its SAs (sadist.h): the spelling
 * of --sa-dist, and the table of each packet's SA drawn before the timed
 * part. Draws come from xoshiro256** seeded through splitmix64 (Blackman
 * and Vigna), reduced to 0..n-1 without bias by multiply and reject
 * (Lemire, "Fast random integer generation in an interval", 2019). */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "workloads/sadist.h"

enum {
	TABLE_MIN = 65536, /* entries of a drawn table, at least */
	TABLE_PER_SA = 4,  /* and at least this many per SA */
	MILLI_DIGITS = 3,  /* decimals zipf:S keeps */
};

static const char *const kinds[] = {
	[SADIST_UNIFORM] = "uniform",
	[SADIST_ROUND_ROBIN] = "round-robin",
};

/* S of "zipf:S" as S * 1000: digits, then optionally a point and one to
 * three digits. 0, -EINVAL (not such a number) or -ERANGE (above
 * SADIST_ZIPF_MILLI_MAX). */
static int parse_milli(const char *s, unsigned *out)
{
	unsigned long whole = 0;
	unsigned frac = 0, digits = 0;

	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	for (; isdigit((unsigned char)*s); s++)
		if (whole <= SADIST_ZIPF_MILLI_MAX)
			whole = whole * 10 + (unsigned long)(*s - '0');
	if (*s == '.') {
		if (!isdigit((unsigned char)*++s))
			return -EINVAL;
		for (; isdigit((unsigned char)*s); s++) {
			if (++digits > MILLI_DIGITS)
				return -EINVAL;
			frac = frac * 10 + (unsigned)(*s - '0');
		}
	}
	if (*s)
		return -EINVAL;
	for (; digits < MILLI_DIGITS; digits++)
		frac *= 10;
	if (whole > SADIST_ZIPF_MILLI_MAX / 1000 ||
	    whole * 1000 + frac > SADIST_ZIPF_MILLI_MAX)
		return -ERANGE;
	*out = (unsigned)whole * 1000 + frac;
	return 0;
}

int sadist_parse(const char *text, struct sadist *d, struct ncb_err *e)
{
	unsigned milli = 0;
	int rc;

	for (unsigned k = 0; k < NCB_ARRAY_SIZE(kinds); k++)
		if (!strcmp(text, kinds[k])) {
			*d = (struct sadist){ .kind = (enum sadist_kind)k };
			return 0;
		}
	if (strncmp(text, "zipf:", 5))
		return ncb_errf(e, -EINVAL,
				"--sa-dist: '%.40s' is not uniform, round-robin or zipf:S",
				text);
	rc = parse_milli(text + 5, &milli);
	if (rc == -EINVAL)
		return ncb_errf(e, -EINVAL,
				"--sa-dist: '%.40s': S of zipf:S is a decimal number with at most %d decimals",
				text, MILLI_DIGITS);
	if (rc < 0 || milli == 0)
		return ncb_errf(e, -EINVAL,
				"--sa-dist: '%.40s': S of zipf:S must be above 0 and at most %d",
				text, SADIST_ZIPF_MILLI_MAX / 1000);
	*d = (struct sadist){ .kind = SADIST_ZIPF, .zipf_milli = milli };
	return 0;
}

void sadist_name(const struct sadist *d, char *buf, size_t len)
{
	if (d->kind == SADIST_ZIPF)
		snprintf(buf, len, "zipf:%u.%03u", d->zipf_milli / 1000,
			 d->zipf_milli % 1000);
	else if ((unsigned)d->kind < NCB_ARRAY_SIZE(kinds))
		snprintf(buf, len, "%s", kinds[d->kind]);
	else
		snprintf(buf, len, "?");
}

/* --- Drawing ------------------------------------------------------------ */

struct rng {
	uint64_t s[4];
};

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static void rng_seed(struct rng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/* xoshiro256**: the next 64 random bits. */
static uint64_t rng_next(struct rng *r)
{
	uint64_t *s = r->s, out = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return out;
}

/* Uniform in 0..n-1 (n >= 1): the high half of a 32-bit draw times n,
 * redrawn in the few cases that would favour low values. */
static uint32_t rng_below(struct rng *r, uint32_t n)
{
	uint64_t m = (rng_next(r) >> 32) * n;

	if ((uint32_t)m < n) {
		uint32_t floor = (uint32_t)-n % n;

		while ((uint32_t)m < floor)
			m = (rng_next(r) >> 32) * n;
	}
	return (uint32_t)(m >> 32);
}

/* Uniform in [0, 1), 53 bits. */
static double rng_unit(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

/* The power of two a drawn table of n SAs takes. */
static size_t drawn_len(unsigned n)
{
	size_t want = (size_t)n * TABLE_PER_SA, len = TABLE_MIN;

	while (len < want)
		len <<= 1;
	return len;
}

/* Zipf over ranks 1..n with exponent S: rank k has weight 1 / k^S, and a
 * uniform u in [0, 1) falls to the first rank whose cumulative share
 * exceeds it. SA k - 1 has rank k, so SA 0 carries the most. */
static int draw_zipf(uint32_t *tab, size_t len, unsigned n, double s,
		     struct rng *r)
{
	double *cdf = malloc((size_t)n * sizeof(*cdf)), sum = 0;

	if (!cdf)
		return -ENOMEM;
	for (unsigned k = 0; k < n; k++) {
		sum += pow((double)k + 1, -s);
		cdf[k] = sum;
	}
	for (unsigned k = 0; k < n; k++)
		cdf[k] /= sum;
	cdf[n - 1] = 1.0; /* rounding must not leave u past the end */
	for (size_t i = 0; i < len; i++) {
		double u = rng_unit(r);
		unsigned lo = 0, hi = n - 1;

		while (lo < hi) {
			unsigned mid = lo + (hi - lo) / 2;

			if (cdf[mid] > u)
				hi = mid;
			else
				lo = mid + 1;
		}
		tab[i] = lo;
	}
	free(cdf);
	return 0;
}

int sadist_table(const struct sadist *d, unsigned n, uint64_t seed,
		 uint32_t **tab, size_t *len, struct ncb_err *e)
{
	struct rng r;
	size_t l;
	uint32_t *t;

	*tab = NULL;
	*len = 0;
	if (n < 1 || n > SADIST_N_MAX)
		return ncb_errf(e, -EINVAL, "--sas: %u is out of range 1..%d", n,
				SADIST_N_MAX);
	l = d->kind == SADIST_ROUND_ROBIN ? n : drawn_len(n);
	t = malloc(l * sizeof(*t));
	if (!t)
		return ncb_errf(e, -ENOMEM, "out of memory for the SA table");
	rng_seed(&r, seed);
	switch (d->kind) {
	case SADIST_ROUND_ROBIN:
		for (size_t i = 0; i < l; i++)
			t[i] = (uint32_t)i;
		break;
	case SADIST_ZIPF:
		if (draw_zipf(t, l, n, d->zipf_milli / 1000.0, &r) < 0) {
			free(t);
			return ncb_errf(e, -ENOMEM, "out of memory for the SA table");
		}
		break;
	default:
		for (size_t i = 0; i < l; i++)
			t[i] = rng_below(&r, n);
		break;
	}
	*tab = t;
	*len = l;
	return 0;
}
