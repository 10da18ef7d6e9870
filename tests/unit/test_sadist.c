/* The spread of packets over SAs (workloads/sadist.h): --sa-dist's
 * spellings, round robin exactly, uniform draws against a chi-square
 * bound, Zipf shares against their expected values. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/helpers.h"
#include "workloads/sadist.h"

static void test_parse(void)
{
	static const struct {
		const char *text, *name;
		enum sadist_kind kind;
		unsigned milli;
	} good[] = {
		{ "uniform", "uniform", SADIST_UNIFORM, 0 },
		{ "round-robin", "round-robin", SADIST_ROUND_ROBIN, 0 },
		{ "zipf:1", "zipf:1.000", SADIST_ZIPF, 1000 },
		{ "zipf:1.1", "zipf:1.100", SADIST_ZIPF, 1100 },
		{ "zipf:1.100", "zipf:1.100", SADIST_ZIPF, 1100 },
		{ "zipf:0.001", "zipf:0.001", SADIST_ZIPF, 1 },
		{ "zipf:0.5", "zipf:0.500", SADIST_ZIPF, 500 },
		{ "zipf:05", "zipf:5.000", SADIST_ZIPF, 5000 },
		{ "zipf:5.000", "zipf:5.000", SADIST_ZIPF, 5000 },
	};
	static const char *const bad[] = {
		"", "Uniform", "uniform ", "round_robin", "roundrobin", "zipf",
		"zipf:", "zipf:0", "zipf:0.000", "zipf:5.001", "zipf:6",
		"zipf:1.", "zipf:.5", "zipf:1.1234", "zipf:-1", "zipf:+1",
		"zipf:1e3", "zipf:1,5", "zipf: 1", "zipf:1 ", "zipf:nan",
		"zipf:99999999999999999999999", "zipf:1\n", "zipf:1:2",
	};
	char name[32];

	for (size_t i = 0; i < NCB_ARRAY_SIZE(good); i++) {
		struct sadist d = { SADIST_ROUND_ROBIN, 7 }, back;
		struct ncb_err e = { "" };
		int rc = sadist_parse(good[i].text, &d, &e);

		t_check(rc == 0 && d.kind == good[i].kind &&
				d.zipf_milli == good[i].milli,
			"'%s' parses (rc %d, kind %d, milli %u: %s)", good[i].text,
			rc, d.kind, d.zipf_milli, e.msg);
		sadist_name(&d, name, sizeof(name));
		t_check(!strcmp(name, good[i].name), "'%s' is named '%s', got '%s'",
			good[i].text, good[i].name, name);
		rc = sadist_parse(name, &back, &e);
		t_check(rc == 0 && back.kind == d.kind &&
				back.zipf_milli == d.zipf_milli,
			"'%s' parses back as itself", name);
	}
	for (size_t i = 0; i < NCB_ARRAY_SIZE(bad); i++) {
		struct sadist d;
		struct ncb_err e = { "" };
		int rc = sadist_parse(bad[i], &d, &e);

		t_check(rc == -EINVAL && !strncmp(e.msg, "--sa-dist: ", 11) &&
				!strchr(e.msg, '\n'),
			"bad spelling %zu refused in one line (rc %d: %s)", i, rc,
			e.msg);
	}
}

static void test_round_robin(void)
{
	static const unsigned ns[] = { 1, 2, 3, 1000, 65537 };
	struct sadist d = { SADIST_ROUND_ROBIN, 0 };

	for (size_t k = 0; k < NCB_ARRAY_SIZE(ns); k++) {
		struct ncb_err e = { "" };
		uint32_t *tab;
		size_t len, wrong = 0;
		int rc = sadist_table(&d, ns[k], 1, &tab, &len, &e);

		t_check(rc == 0 && len == ns[k], "round-robin %u: one lap (len %zu)",
			ns[k], len);
		for (size_t i = 0; rc == 0 && i < 3 * len; i++)
			wrong += tab[i % len] != i % ns[k];
		t_check(rc == 0 && wrong == 0,
			"round-robin %u: 0, 1, ..., n-1 over three laps (%zu wrong)",
			ns[k], wrong);
		free(tab);
	}
}

/* Counts of each of n SAs in tab. */
static unsigned *count(const uint32_t *tab, size_t len, unsigned n,
		       size_t *outside)
{
	unsigned *c = calloc(n, sizeof(*c));

	*outside = 0;
	for (size_t i = 0; c && i < len; i++) {
		if (tab[i] < n)
			c[tab[i]]++;
		else
			(*outside)++;
	}
	return c;
}

static int is_pow2(size_t x)
{
	return x && !(x & (x - 1));
}

static void test_uniform(void)
{
	enum { N = 1000 };
	struct sadist d = { SADIST_UNIFORM, 0 };
	struct ncb_err e = { "" };
	uint32_t *tab, *again, *other;
	size_t len, len2, len3, outside, missing = 0;
	unsigned *c;
	double chi = 0, expect;
	int rc = sadist_table(&d, N, 42, &tab, &len, &e);

	t_check(rc == 0 && is_pow2(len) && len >= 65536 && len >= 4 * N,
		"uniform %d: a power of two of at least max(4n, 65536) (%zu)", N,
		len);
	if (rc < 0)
		return;
	c = count(tab, len, N, &outside);
	expect = (double)len / N;
	for (unsigned k = 0; c && k < N; k++) {
		missing += c[k] == 0;
		chi += (c[k] - expect) * (c[k] - expect) / expect;
	}
	t_check(c && outside == 0, "uniform: every entry names one of the SAs");
	t_check(c && missing == 0, "uniform: every SA of %d appears (%zu do not)",
		N, missing);
	/* 999 degrees of freedom: mean 999, sd sqrt(2 * 999) = 44.7; five
	 * sd either way (a tail of 3e-7 each). Too even is as wrong as too
	 * uneven: the draws would not be independent. */
	t_check(chi > 999 - 5 * 44.7 && chi < 999 + 5 * 44.7,
		"uniform: chi-square %.1f within 999 +- 5 sd", chi);
	free(c);
	rc = sadist_table(&d, N, 42, &again, &len2, &e);
	t_check(rc == 0 && len2 == len && !memcmp(tab, again, len * sizeof(*tab)),
		"uniform: the same seed draws the same table");
	free(again);
	rc = sadist_table(&d, N, 43, &other, &len3, &e);
	t_check(rc == 0 && len3 == len && memcmp(tab, other, len * sizeof(*tab)),
		"uniform: another seed draws another table");
	free(other);
	free(tab);
}

/* The expected share of rank 1 under zipf:S over n: 1 / sum k^-S. */
static double rank1_share(unsigned n, double s)
{
	double h = 0;

	for (unsigned k = 1; k <= n; k++)
		h += pow(k, -s);
	return 1 / h;
}

static void test_zipf(void)
{
	enum { N = 100 };
	static const unsigned millis[] = { 500, 1000, 1100, 2000, 5000 };
	double prev = 0;

	for (size_t m = 0; m < NCB_ARRAY_SIZE(millis); m++) {
		struct sadist d = { SADIST_ZIPF, millis[m] };
		struct ncb_err e = { "" };
		double s = millis[m] / 1000.0, want = rank1_share(N, s), got;
		uint32_t *tab;
		size_t len, outside;
		unsigned *c;
		int rc = sadist_table(&d, N, 7, &tab, &len, &e);

		t_check(rc == 0 && is_pow2(len) && len >= 65536,
			"zipf:%g: a power of two of at least 65536 (%zu)", s, len);
		if (rc < 0)
			continue;
		c = count(tab, len, N, &outside);
		got = c ? (double)c[0] / len : 0;
		/* A binomial share over 65536 draws has sd <= 0.002: 0.01 is
		 * five of them. */
		t_check(c && outside == 0 && fabs(got - want) < 0.01,
			"zipf:%g over %d: rank 1 carries %.4f, expected %.4f +- 0.01",
			s, N, got, want);
		t_check(c && c[0] > c[1] && c[1] > c[9] && c[9] >= c[N - 1],
			"zipf:%g: shares fall with rank (%u %u %u %u)", s,
			c ? c[0] : 0, c ? c[1] : 0, c ? c[9] : 0, c ? c[N - 1] : 0);
		t_check(got > prev, "zipf:%g is more skewed than the smaller S before it (%.4f > %.4f)",
			s, got, prev);
		prev = got;
		free(c);
		free(tab);
	}
}

static void test_sizes(void)
{
	struct sadist u = { SADIST_UNIFORM, 0 };
	struct ncb_err e = { "" };
	uint32_t *tab = NULL;
	size_t len = 1, outside;
	unsigned *c;
	int rc;

	rc = sadist_table(&u, 0, 1, &tab, &len, &e);
	t_check(rc == -EINVAL && !tab && !len, "no SA is refused (rc %d)", rc);
	rc = sadist_table(&u, SADIST_N_MAX + 1, 1, &tab, &len, &e);
	t_check(rc == -EINVAL && !tab, "%d SAs are refused (rc %d)",
		SADIST_N_MAX + 1, rc);
	rc = sadist_table(&u, 1, 1, &tab, &len, &e);
	c = rc == 0 ? count(tab, len, 1, &outside) : NULL;
	t_check(c && outside == 0 && c[0] == len, "one SA: every entry is SA 0");
	free(c);
	free(tab);
	rc = sadist_table(&u, SADIST_N_MAX, 1, &tab, &len, &e);
	t_check(rc == 0 && is_pow2(len) && len >= 4ull * SADIST_N_MAX &&
			len < 8ull * SADIST_N_MAX,
		"%d SAs: the next power of two above 4n (%zu)", SADIST_N_MAX, len);
	free(tab);
}

int main(void)
{
	test_parse();
	test_round_robin();
	test_uniform();
	test_zipf();
	test_sizes();
	return t_done("test_sadist");
}
