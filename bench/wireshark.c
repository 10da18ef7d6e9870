/* `ncbench wireshark`: one record of Wireshark's ESP SA table per SA of
 * an ESP SA file, in the table's own text form (the lines of its
 * "esp_sa" file, and what `tshark -o uat:esp_sa:RECORD` takes):
 *
 *   "PROTOCOL","SRC","DST","SPI","ENCRYPTION","KEY","AUTHENTICATION","KEY"
 *
 * The names of protocols and algorithms are those of Wireshark 4.0's
 * table (epan/dissectors/packet-ipsec.c); its key is the encryption key
 * with the salt of an AEAD (RFC 4106 §8.1) or AES-CTR's nonce after it.
 * These records hold keys: printing them is what the command is for, and
 * nothing else of ncbench prints a key. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <stdio.h>
#include <string.h>

#include "bench/wireshark.h"
#include "crypto/aead.h"
#include "crypto/framing.h"
#include "io/ncb_cli.h"
#include "workloads/safile.h"

enum {
	HEX_MAX = 2 * (AEAD_KEY_MAX + SAFILE_SALT_MAX) + 3,
	RECORD_MAX = 1024,
};

/* What Wireshark's ESP table calls ncbench's suites, by ICV length:
 * the pairs it both decrypts and authenticates. */
static const struct {
	const char *cipher;
	unsigned icv_len;
	const char *enc, *auth;
} suites[] = {
	{ "aes-128-gcm", 16, "AES-GCM with 16 octet ICV [RFC4106]", "NULL" },
	{ "aes-192-gcm", 16, "AES-GCM with 16 octet ICV [RFC4106]", "NULL" },
	{ "aes-256-gcm", 16, "AES-GCM with 16 octet ICV [RFC4106]", "NULL" },
	{ "aes-128-cbc-hmac-sha1", 12, "AES-CBC [RFC3602]",
	  "HMAC-SHA-1-96 [RFC2404]" },
	{ "aes-128-cbc-hmac-sha256", 16, "AES-CBC [RFC3602]",
	  "HMAC-SHA-256-128 [RFC4868]" },
	{ "aes-256-cbc-hmac-sha256", 16, "AES-CBC [RFC3602]",
	  "HMAC-SHA-256-128 [RFC4868]" },
	{ "aes-128-ctr-hmac-sha256", 16, "AES-CTR [RFC3686]",
	  "HMAC-SHA-256-128 [RFC4868]" },
};

static void help(void)
{
	printf("usage: ncbench wireshark --sa-file FILE\n"
	       "  prints one record of Wireshark's ESP SA table (\"esp_sa\") per SA of\n"
	       "  an ESP SA file (ncbench sa-file -o FILE -w esp ...): protocol, source,\n"
	       "  destination, SPI, encryption algorithm, key (with the salt),\n"
	       "  authentication algorithm and key. THE RECORDS HOLD THE KEYS: keep\n"
	       "  them as private as the file. With a capture of a run with that file\n"
	       "  (run --sa-file FILE --pcap CAP), tshark decrypts and checks it:\n"
	       "    ncbench wireshark --sa-file FILE > esp_sa\n"
	       "    args=(); while IFS= read -r r; do args+=(-o \"uat:esp_sa:$r\"); done < esp_sa\n"
	       "    tshark -r CAP -o esp.enable_encryption_decode:TRUE \\\n"
	       "        -o esp.enable_authentication_check:TRUE \"${args[@]}\"\n"
	       "  (the same lines, as the file esp_sa of a Wireshark profile, serve\n"
	       "  Wireshark). An SA Wireshark cannot decrypt is named on stderr.\n"
	       "  --sa-file FILE  the SA file (mode 0600)\n"
	       "exit status: 0 records printed, 2 usage error, bad file, or no SA\n"
	       "Wireshark can decrypt\n");
}

static int parse(int argc, char **argv, const char **path, struct ncb_err *e)
{
	static const struct option longs[] = {
		{ "sa-file", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c;

	*path = NULL;
	optind = 0;
	opterr = 0;
	while ((c = ncb_cli_getopt(argc, argv, ":h", longs)) != -1) {
		if (c == 'f') {
			*path = optarg;
		} else if (c == 'h') {
			help();
			return 1;
		} else if (c == ':') {
			return ncb_errf(e, -EINVAL, "%s: needs a value",
					argv[optind - 1]);
		} else {
			return ncb_errf(e, -EINVAL,
					"unknown option '%s' (%ssee ncbench wireshark --help)",
					ncb_cli_unknown(), ncb_cli_hint());
		}
	}
	if (optind < argc)
		return ncb_errf(e, -EINVAL, "unexpected argument '%s'",
				argv[optind]);
	if (!*path || !**path)
		return ncb_errf(e, -EINVAL,
				"--sa-file FILE is required (see ncbench wireshark --help)");
	return 0;
}

/* The value of framing option name in the file's option struct. */
static unsigned opt_value(const struct framing_ops *f, const void *fopts,
			  const char *name)
{
	unsigned v = 0;

	for (size_t i = 0; i < f->opts_count; i++)
		if (!strcmp(f->opts[i].name, name))
			memcpy(&v, (const unsigned char *)fopts + f->opts[i].offset,
			       sizeof(v));
	return v;
}

/* The table's algorithm names for the file's suite, or NULL with why. */
static int find_suite(const struct safile *sf, size_t *at, char *why,
		      size_t len)
{
	const struct framing_ops *f = safile_framing(sf);
	const void *fo = safile_fopts(sf);
	const struct aead_info *a = aead_info(safile_cipher(sf));
	unsigned icv = opt_value(f, fo, "icv-len");

	if (!icv)
		icv = (unsigned)a->icv_len;
	if (opt_value(f, fo, "esn")) {
		snprintf(why, len, "extended sequence numbers (--esn), which Wireshark's ESP table cannot take");
		return -1;
	}
	if (opt_value(f, fo, "esp-mode")) {
		snprintf(why, len, "AES-GMAC (--esp-mode integrity), which Wireshark's ESP table (4.0) does not have");
		return -1;
	}
	for (size_t i = 0; i < NCB_ARRAY_SIZE(suites); i++)
		if (!strcmp(suites[i].cipher, a->name) && suites[i].icv_len == icv) {
			*at = i;
			return 0;
		}
	snprintf(why, len, "%s with a %u-byte ICV, which Wireshark's ESP table (4.0) does not have",
		 a->name, icv);
	return -1;
}

/* "0x" and the hex digits of a and then b, lowercase, into out. Each
 * part is written where it goes: no buffer (nor a vector register that
 * a copy would pass through) holds the key bytes together. */
static int hex_key(char *out, size_t len, const uint8_t *a, size_t na,
		   const uint8_t *b, size_t nb)
{
	size_t n = 0, m = 0;
	int ok;

	if (len < 2 * (na + nb) + 3)
		return -1;
	memcpy(out, "0x", 3);
	ok = OPENSSL_buf2hexstr_ex(out + 2, len - 2, &n, a, na, '\0');
	if (ok && nb)
		ok = OPENSSL_buf2hexstr_ex(out + 2 + 2 * na, len - 2 - 2 * na,
					   &m, b, nb, '\0');
	ERR_clear_error();
	for (char *p = out + 2; ok && *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return ok ? 0 : -1;
}

/* SA s as one record into out: 0, or -1 (too long). */
static int record(const struct safile *sf, const struct safile_sa *s,
		  size_t suite, char *out, size_t len)
{
	const struct aead_info *a = aead_info(safile_cipher(sf));
	size_t enc = a->key_len - a->auth_key_len;
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];
	char key[HEX_MAX], auth[HEX_MAX] = "";
	int af = s->family == 6 ? AF_INET6 : AF_INET, n, rc = 0;

	inet_ntop(af, s->src, src, sizeof(src));
	inet_ntop(af, s->dst, dst, sizeof(dst));
	rc |= hex_key(key, sizeof(key), s->key, enc, s->salt, s->salt_len);
	if (a->auth_key_len)
		rc |= hex_key(auth, sizeof(auth), s->key + enc, a->auth_key_len,
			      NULL, 0);
	n = snprintf(out, len, "\"IPv%d\",\"%s\",\"%s\",\"0x%08llx\",\"%s\",\"%s\",\"%s\",\"%s\"\n",
		     s->family, src, dst, (unsigned long long)s->ident,
		     suites[suite].enc, key, suites[suite].auth, auth);
	explicit_bzero(key, sizeof(key));
	explicit_bzero(auth, sizeof(auth));
	return rc || n < 0 || (size_t)n >= len ? -1 : 0;
}

/* Every SA of sf to stdout: how many, or a negative errno. */
static int print_all(const struct safile *sf)
{
	char line[RECORD_MAX], why[200];
	size_t suite = 0, printed = 0;

	if (find_suite(sf, &suite, why, sizeof(why)) < 0) {
		for (size_t i = 0; i < safile_count(sf); i++)
			fprintf(stderr, "ncbench wireshark: spi 0x%08llx (pair %u, direction %u, sa %u): %s\n",
				(unsigned long long)safile_at(sf, i)->ident,
				safile_at(sf, i)->pair, safile_at(sf, i)->dir,
				safile_at(sf, i)->sa, why);
		return 0;
	}
	for (size_t i = 0; i < safile_count(sf); i++) {
		int rc = record(sf, safile_at(sf, i), suite, line, sizeof(line));

		if (rc == 0 && fputs(line, stdout) == EOF)
			rc = -EIO;
		explicit_bzero(line, sizeof(line));
		if (rc < 0)
			return -EIO;
		printed++;
	}
	return (int)printed;
}

int wireshark_main(int argc, char **argv)
{
	struct ncb_err e = { "" };
	struct safile *sf = NULL;
	const char *path;
	int rc = parse(argc, argv, &path, &e);

	if (rc > 0)
		return 0;
	if (rc == 0)
		rc = safile_load(&sf, path, &e);
	if (rc == 0 && strcmp(safile_framing(sf)->name, "esp"))
		rc = ncb_errf(&e, -EINVAL,
			      "'%s' holds %s SAs; Wireshark's ESP SA table takes ESP SAs only",
			      path, safile_framing(sf)->name);
	if (rc < 0) {
		safile_free(sf);
		fprintf(stderr, "ncbench wireshark: %s\n", e.msg);
		return 2;
	}
	/* Unbuffered: no copy of a record stays in a stdio buffer. */
	setvbuf(stdout, NULL, _IONBF, 0);
	rc = print_all(sf);
	safile_free(sf);
	if (rc < 0) {
		fprintf(stderr, "ncbench wireshark: cannot write the records\n");
		return 1;
	}
	if (rc == 0) {
		ncb_errf(&e, -EINVAL, "Wireshark can decrypt none of the SAs of '%s'",
			 path);
		fprintf(stderr, "ncbench wireshark: %s\n", e.msg);
		return 2;
	}
	return 0;
}
