/* Two-host cases read back: the peer's identity (address, mode), its host
 * and placement, and its CPU per repetition and in the summary. Every
 * field is checked as the rest of the document is; the address is also
 * held to the form `run` writes, since it is part of an identity and goes
 * into labels. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report/doc_host.h"
#include "report/doc_peer.h"

static const char *const mode_names[DOC_PEER_MODES] = {
	[DOC_PEER_FORWARD] = "forward",
	[DOC_PEER_REVERSE] = "reverse",
	[DOC_PEER_BIDIR] = "bidir",
};

const char *doc_peer_mode_name(enum doc_peer_mode m)
{
	return m < DOC_PEER_MODES ? mode_names[m] : "?";
}

void doc_peer_name(const struct doc_peer *p, char *buf, size_t len)
{
	snprintf(buf, len, "%s %s", p->address, doc_peer_mode_name(p->mode));
}

void doc_peer_free(struct doc_peer *p)
{
	if (!p)
		return;
	doc_host_free(&p->host);
	free(p);
}

/* 1..65535 in decimal, no sign, no leading zero. */
static int is_port(const char *s)
{
	long v = 0;
	size_t n = 0;

	if (*s == '0')
		return 0;
	for (; isdigit((unsigned char)s[n]) && n < 6; n++)
		v = v * 10 + (s[n] - '0');
	return n && !s[n] && v >= 1 && v <= 65535;
}

/* Name or IPv4 characters, and those of an IPv6 zone. */
static int is_name_char(char c)
{
	return isalnum((unsigned char)c) || c == '.' || c == '-' || c == '_';
}

/* "HOST:PORT" (a name or an IPv4 address) or "[IPV6]:PORT", the IPv6
 * address possibly with a "%zone". */
static int is_address(const char *s)
{
	const char *p, *end;

	if (!*s || strlen(s) > DOC_PEER_ADDR_MAX)
		return 0;
	if (*s == '[') {
		end = strchr(s, ']');
		if (!end)
			return 0;
		for (p = s + 1; p < end && (isxdigit((unsigned char)*p) ||
					    *p == ':' || *p == '.'); p++)
			;
		if (p == s + 1)
			return 0;
		if (*p == '%' && p + 1 < end)
			for (p++; p < end && is_name_char(*p); p++)
				;
		return p == end && end[1] == ':' && is_port(end + 2);
	}
	end = strrchr(s, ':');
	if (!end || end == s)
		return 0;
	for (p = s; p < end; p++)
		if (!is_name_char(*p))
			return 0;
	return is_port(end + 1);
}

/* placement[]: one {pu, core, numa, mem_bound} per worker of the peer. */
static int load_placement(const struct doc_peer *p, json_t *o,
			  const struct doc_at *a)
{
	static const char *const ints[] = { "pu", "core", "numa" };
	json_t *pl = json_object_get(o, "placement"), *x;
	struct doc_at sub;
	long long v;
	int is_set, rc;
	size_t i;

	if (!json_is_array(pl) || json_array_size(pl) != p->workers)
		return doc_check_bad(a, "placement", "must be an array of one entry per worker (%u)",
				     p->workers);
	json_array_foreach(pl, i, x) {
		doc_check_at(&sub, a, "placement[%zu]", i);
		if (!json_is_object(x))
			return doc_check_bad(&sub, NULL, "must be an object");
		for (size_t k = 0; k < NCB_ARRAY_SIZE(ints); k++)
			if ((rc = doc_check_int(&sub, x, ints[k], 0, DOC_PUS_MAX, &v)) < 0)
				return rc;
		if ((rc = doc_check_opt_bool(&sub, x, "mem_bound", &is_set)) < 0)
			return rc;
	}
	return 0;
}

/* A string field that must be one of names[0..n); its index in *out. */
static int get_choice(const struct doc_at *a, json_t *o, const char *k,
		      const char *const *names, size_t n, unsigned *out)
{
	const char *s;
	int rc;

	if ((rc = doc_check_str(a, o, k, 1, &s)) < 0)
		return rc;
	for (size_t i = 0; i < n; i++)
		if (strcmp(s, names[i]) == 0) {
			*out = (unsigned)i;
			return 0;
		}
	/* The value is the document's: quoted short, and cleaned by ncb_errf. */
	return doc_check_bad(a, k, "'%.40s' is not one of %s%s%s%s%s", s, names[0],
			     n > 1 ? ", " : "", n > 1 ? names[1] : "",
			     n > 2 ? ", " : "", n > 2 ? names[2] : "");
}

int doc_peer_load(struct doc_case *c, json_t *r, const struct doc_at *a)
{
	static const char *const roles[] = { "run" };
	struct doc_peer *p;
	struct doc_at ap, ah;
	json_t *o, *host;
	unsigned mode = 0, role = 0;
	long long workers;
	int rc;

	c->peer = NULL;
	if ((rc = doc_check_obj(a, r, "peer", 0, &o)) < 0 || !o)
		return rc;
	doc_check_at(&ap, a, "peer");
	if (!(p = calloc(1, sizeof(*p))))
		return doc_check_oom(a);
	c->peer = p;
	if ((rc = doc_check_str(&ap, o, "address", 1, &p->address)) < 0)
		return rc;
	if (!is_address(p->address))
		return doc_check_bad(&ap, "address", "'%.60s' is not HOST:PORT or [IPV6]:PORT (at most %d bytes)",
				     p->address, DOC_PEER_ADDR_MAX);
	/* Only `run` writes documents: a role this reader does not know
	 * would say whose CPU the figures are, so it is refused. */
	if ((rc = get_choice(&ap, o, "mode", mode_names, DOC_PEER_MODES, &mode)) < 0 ||
	    (rc = get_choice(&ap, o, "role", roles, NCB_ARRAY_SIZE(roles), &role)) < 0 ||
	    (rc = doc_check_int(&ap, o, "workers", 1, DOC_WORKERS_MAX, &workers)) < 0 ||
	    (rc = doc_check_obj(&ap, o, "host", 1, &host)) < 0)
		return rc;
	p->mode = (enum doc_peer_mode)mode;
	p->workers = (unsigned)workers;
	doc_check_at(&ah, &ap, "host");
	if ((rc = doc_host_load(&p->host, host, &ah)) < 0)
		return rc;
	return load_placement(p, o, &ap);
}

int doc_peer_load_sample(struct doc_case *c, struct doc_rep *rep, json_t *s,
			 const struct doc_at *a)
{
	static const char *const sources[] = { "pmu", "tsc", "tsc-estimate" };
	double secs, cpu, cycles, nivcsw = 0;
	struct doc_at ap;
	unsigned src = 0;
	json_t *o;
	int rc;

	rep->peer_canary_ns = 0;
	if ((rc = doc_check_obj(a, s, "peer", 0, &o)) < 0 || !o)
		return rc;
	if (!c->peer)
		return doc_check_bad(a, "peer", "in a one-host case (the result has no peer)");
	doc_check_at(&ap, a, "peer");
	if ((rc = doc_check_num(&ap, o, "seconds", DOC_SECONDS_MIN, DOC_NUM_MAX, &secs)) < 0 ||
	    (rc = doc_check_num(&ap, o, "cpu_seconds", 0, DOC_NUM_MAX, &cpu)) < 0 ||
	    (rc = doc_check_num(&ap, o, "cycles", 0, DOC_NUM_MAX, &cycles)) < 0 ||
	    (rc = get_choice(&ap, o, "cycles_source", sources,
			     NCB_ARRAY_SIZE(sources), &src)) < 0 ||
	    (rc = doc_check_opt_num(&ap, o, "nivcsw", 0, DOC_NUM_MAX, &nivcsw)) < 0 ||
	    (rc = doc_check_opt_num(&ap, o, "canary_ns", 0, DOC_NUM_MAX,
				    &rep->peer_canary_ns)) < 0)
		return rc;
	c->peer->n_samples++;
	c->peer->is_estimate |= src != 0;
	return 0;
}

int doc_peer_load_summary(struct doc_case *c, json_t *sum,
			  const struct doc_at *a)
{
	static const struct {
		const char *name;
		size_t offset; /* of a double in struct doc_peer */
	} figures[] = {
		{ "cycles_per_byte", offsetof(struct doc_peer, cycles_per_byte) },
		{ "cpu_util", offsetof(struct doc_peer, cpu_util) },
		{ "gbps_per_core", offsetof(struct doc_peer, gbps_per_core) },
		{ "us_per_packet", offsetof(struct doc_peer, us_per_packet) },
	};
	struct doc_at ap;
	json_t *o;
	int rc;

	if ((rc = doc_check_obj(a, sum, "peer", c->peer != NULL, &o)) < 0 || !o)
		return rc;
	if (!c->peer)
		return doc_check_bad(a, "peer", "in a one-host case (the result has no peer)");
	doc_check_at(&ap, a, "peer");
	for (size_t k = 0; k < NCB_ARRAY_SIZE(figures); k++)
		if ((rc = doc_check_num(&ap, o, figures[k].name, 0, DOC_NUM_MAX,
					(double *)(void *)((char *)c->peer +
							   figures[k].offset))) < 0)
			return rc;
	return 0;
}
