/* Reference loop for the encrypt-then-MAC suites in `make bench`: each
 * library used directly the best way it offers, with no harness around
 * it. OpenSSL and libgcrypt: cipher and HMAC keyed once; per buffer a new
 * IV, then encrypt and MAC AAD | IV | ciphertext. intel-ipsec-mb: the job
 * manager, BURST jobs submitted (cipher, then hash, chained) before it is
 * flushed. Buffers are laid out as in a packet (AAD 8 | IV | data | ICV),
 * data padded to the cipher's block as ESP pads it. Prints Gbit/s of
 * payload (SIZE bytes per buffer).
 *
 * usage: ref_etm openssl|gcrypt|ipsec-mb SUITE SIZE SECONDS CPU [BURST]
 * SUITE: aes-128-cbc-hmac-sha1, aes-256-cbc-hmac-sha256, sm4-cbc-hmac-sm3,
 * zuc-128 (ipsec-mb only). */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gcrypt.h>
#include <intel-ipsec-mb.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "bench/ref_loop.h"

enum { AAD = 8, BURST_MAX = 64 };

struct suite {
	const char *name;
	const char *evp_cipher, *evp_md; /* OpenSSL */
	int gc_cipher, gc_mac;           /* libgcrypt */
	size_t key, auth_key, iv, icv, block;
};

static const struct suite suites[] = {
	{ "aes-128-cbc-hmac-sha1", "AES-128-CBC", "SHA1", GCRY_CIPHER_AES128,
	  GCRY_MAC_HMAC_SHA1, 16, 20, 16, 12, 16 },
	{ "aes-256-cbc-hmac-sha256", "AES-256-CBC", "SHA256",
	  GCRY_CIPHER_AES256, GCRY_MAC_HMAC_SHA256, 32, 32, 16, 16, 16 },
	{ "sm4-cbc-hmac-sm3", "SM4-CBC", "SM3", GCRY_CIPHER_SM4,
	  GCRY_MAC_HMAC_SM3, 16, 32, 16, 12, 16 },
	{ "zuc-128", NULL, NULL, 0, 0, 16, 16, 8, 4, 1 },
};

/* Buffer i of the burst: AAD | IV | data | ICV. */
static uint8_t *slot(uint8_t *mem, size_t stride, unsigned i)
{
	return mem + stride * i;
}

static uint64_t loop_openssl(const struct suite *s, uint8_t *mem,
			     size_t stride, size_t n)
{
	EVP_CIPHER *c = EVP_CIPHER_fetch(NULL, s->evp_cipher, NULL);
	EVP_CIPHER_CTX *cc = EVP_CIPHER_CTX_new();
	EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	EVP_MAC_CTX *mc = mac ? EVP_MAC_CTX_new(mac) : NULL;
	OSSL_PARAM params[] = {
		OSSL_PARAM_utf8_string(OSSL_MAC_PARAM_DIGEST,
				       (char *)s->evp_md, 0),
		OSSL_PARAM_END,
	};
	uint8_t key[32] = { 1 }, akey[32] = { 2 }, icv[64];
	uint64_t count = 0;
	size_t ml;
	int len;

	if (!c || !cc || !mc ||
	    EVP_EncryptInit_ex2(cc, c, key, NULL, NULL) != 1 ||
	    EVP_MAC_init(mc, akey, s->auth_key, params) != 1) {
		fprintf(stderr, "ref_etm: openssl lacks %s\n", s->name);
		return 0;
	}
	EVP_CIPHER_CTX_set_padding(cc, 0);
	while (!stop) {
		uint8_t *p = slot(mem, stride, 0), *iv = p + AAD;

		put_be64(p, ++count);
		put_be64(iv + s->iv - 8, count);
		EVP_EncryptInit_ex2(cc, NULL, NULL, iv, NULL);
		EVP_EncryptUpdate(cc, iv + s->iv, &len, iv + s->iv, (int)n);
		EVP_MAC_init(mc, NULL, 0, NULL);
		EVP_MAC_update(mc, p, AAD + s->iv + n);
		EVP_MAC_final(mc, icv, &ml, sizeof(icv));
		memcpy(iv + s->iv + n, icv, s->icv);
	}
	EVP_MAC_CTX_free(mc);
	EVP_MAC_free(mac);
	EVP_CIPHER_CTX_free(cc);
	EVP_CIPHER_free(c);
	return count;
}

static uint64_t loop_gcrypt(const struct suite *s, uint8_t *mem,
			    size_t stride, size_t n)
{
	uint8_t key[32] = { 1 }, akey[32] = { 2 };
	gcry_cipher_hd_t h;
	gcry_mac_hd_t m;
	uint64_t count = 0;
	size_t ml;

	gcry_check_version(NULL);
	gcry_control(GCRYCTL_DISABLE_SECMEM, 0);
	gcry_control(GCRYCTL_INITIALIZATION_FINISHED, 0);
	if (gcry_cipher_open(&h, s->gc_cipher, GCRY_CIPHER_MODE_CBC, 0) ||
	    gcry_cipher_setkey(h, key, s->key) ||
	    gcry_mac_open(&m, s->gc_mac, 0, NULL) ||
	    gcry_mac_setkey(m, akey, s->auth_key)) {
		fprintf(stderr, "ref_etm: gcrypt lacks %s\n", s->name);
		return 0;
	}
	while (!stop) {
		uint8_t *p = slot(mem, stride, 0), *iv = p + AAD;

		put_be64(p, ++count);
		put_be64(iv + s->iv - 8, count);
		gcry_cipher_setiv(h, iv, s->iv);
		gcry_cipher_encrypt(h, iv + s->iv, n, NULL, 0);
		gcry_mac_reset(m);
		gcry_mac_write(m, p, AAD + s->iv + n);
		ml = s->icv;
		gcry_mac_read(m, iv + s->iv + n, &ml);
	}
	gcry_mac_close(m);
	gcry_cipher_close(h);
	return count;
}

/* One job of the burst: cipher, then hash over AAD | IV | ciphertext,
 * all in place in buffer i. */
struct mb_keys {
	DECLARE_ALIGNED(uint32_t enc[60], 16);
	DECLARE_ALIGNED(uint32_t dec[60], 16);
	DECLARE_ALIGNED(uint8_t ipad[64], 16);
	DECLARE_ALIGNED(uint8_t opad[64], 16);
	uint8_t key[16], akey[16];
	uint8_t ivs[BURST_MAX][2][16]; /* zuc: EEA3 and EIA3 IV */
};

static void fill_job(IMB_JOB *j, const struct suite *s, struct mb_keys *k,
		     uint8_t *p, size_t n, unsigned i, uint64_t seq)
{
	uint8_t *iv = p + AAD;

	put_be64(p, seq);
	j->chain_order = IMB_ORDER_CIPHER_HASH;
	j->cipher_direction = IMB_DIR_ENCRYPT;
	j->src = p;
	j->dst = iv + s->iv;
	j->cipher_start_src_offset_in_bytes = AAD + s->iv;
	j->msg_len_to_cipher_in_bytes = n;
	j->hash_start_src_offset_in_bytes = 0;
	j->auth_tag_output = iv + s->iv + n;
	j->auth_tag_output_len_in_bytes = s->icv;
	if (s->block == 1) { /* zuc-128: COUNT | BEARER 0 | DIRECTION 0 */
		uint8_t *e = k->ivs[i][0], *a = k->ivs[i][1];

		memset(iv, 0, 8);
		iv[0] = (uint8_t)(seq >> 24), iv[1] = (uint8_t)(seq >> 16);
		iv[2] = (uint8_t)(seq >> 8), iv[3] = (uint8_t)seq;
		memcpy(e, iv, 8);
		memcpy(e + 8, iv, 8);
		memcpy(a, iv, 8);
		memcpy(a + 8, iv, 8);
		j->cipher_mode = IMB_CIPHER_ZUC_EEA3;
		j->enc_keys = k->key;
		j->key_len_in_bytes = 16;
		j->iv = e;
		j->iv_len_in_bytes = 16;
		j->hash_alg = IMB_AUTH_ZUC_EIA3_BITLEN;
		j->u.ZUC_EIA3._key = k->akey;
		j->u.ZUC_EIA3._iv = a;
		j->msg_len_to_hash_in_bits = (AAD + s->iv + n) * 8;
		return;
	}
	put_be64(iv + s->iv - 8, seq);
	j->cipher_mode = IMB_CIPHER_CBC;
	j->enc_keys = k->enc;
	j->dec_keys = k->dec;
	j->key_len_in_bytes = s->key;
	j->iv = iv;
	j->iv_len_in_bytes = 16;
	j->hash_alg = s->auth_key == 20 ? IMB_AUTH_HMAC_SHA_1
					: IMB_AUTH_HMAC_SHA_256;
	j->u.HMAC._hashed_auth_key_xor_ipad = k->ipad;
	j->u.HMAC._hashed_auth_key_xor_opad = k->opad;
	j->msg_len_to_hash_in_bytes = AAD + s->iv + n;
}

/* HMAC's inner or outer state after its first block (key ^ pad), which
 * the library's HMAC jobs start from. */
static void pad_hash(IMB_MGR *m, const struct suite *s, const uint8_t *akey,
		     uint8_t pad, uint8_t *out)
{
	uint8_t b[64];

	memset(b, pad, sizeof(b));
	for (size_t i = 0; i < s->auth_key; i++)
		b[i] ^= akey[i];
	if (s->auth_key == 20)
		IMB_SHA1_ONE_BLOCK(m, b, out);
	else
		IMB_SHA256_ONE_BLOCK(m, b, out);
}

static uint64_t loop_ipsecmb(const struct suite *s, uint8_t *mem,
			     size_t stride, size_t n, unsigned burst)
{
	static struct mb_keys k __attribute__((aligned(64)));
	uint8_t key[32] = { 1 }, akey[32] = { 2 };
	IMB_MGR *m = alloc_mb_mgr(0);
	IMB_ARCH arch = IMB_ARCH_NONE;
	uint64_t count = 0, done = 0;

	if (!m || !s->key || strncmp(s->name, "sm4", 3) == 0) {
		fprintf(stderr, "ref_etm: ipsec-mb lacks %s\n", s->name);
		return 0;
	}
	/* The best manager for the suite on this CPU: the library gives
	 * its SHA-NI HMAC code to the AVX/AVX2 managers only with GFNI (and
	 * VAES), so where the CPU has SHA-NI without them the SSE manager
	 * hashes faster. ZUC takes the auto choice. */
	init_mb_mgr_auto(m, &arch);
	if (s->block != 1 && (m->features & IMB_FEATURE_SHANI) &&
	    (arch == IMB_ARCH_AVX || arch == IMB_ARCH_AVX2))
		init_mb_mgr_sse(m);
	if (s->block == 1) {
		memcpy(k.key, key, 16);
		memcpy(k.akey, akey, 16);
	} else {
		if (s->key == 16)
			IMB_AES_KEYEXP_128(m, key, k.enc, k.dec);
		else
			IMB_AES_KEYEXP_256(m, key, k.enc, k.dec);
		pad_hash(m, s, akey, 0x36, k.ipad);
		pad_hash(m, s, akey, 0x5c, k.opad);
	}
	while (!stop) {
		for (unsigned i = 0; i < burst; i++) {
			IMB_JOB *j = IMB_GET_NEXT_JOB(m);

			fill_job(j, s, &k, slot(mem, stride, i), n, i, ++count);
			if (IMB_SUBMIT_JOB(m))
				done++;
		}
		while (IMB_FLUSH_JOB(m))
			done++;
	}
	free_mb_mgr(m);
	return done;
}

int main(int argc, char **argv)
{
	const struct suite *s = NULL;
	unsigned burst = 32;
	size_t size, n, stride;
	uint8_t *mem;
	double secs, t0, t1;
	uint64_t count;

	if (argc != 6 && argc != 7) {
		fprintf(stderr, "usage: ref_etm openssl|gcrypt|ipsec-mb SUITE SIZE SECONDS CPU [BURST]\n");
		return 2;
	}
	for (size_t i = 0; i < sizeof(suites) / sizeof(suites[0]); i++)
		if (strcmp(suites[i].name, argv[2]) == 0)
			s = &suites[i];
	if (argc == 7)
		burst = (unsigned)strtoul(argv[6], NULL, 10);
	if (!s || burst < 1 || burst > BURST_MAX) {
		fprintf(stderr, "ref_etm: unknown suite '%s' or burst out of 1..%d\n",
			argv[2], BURST_MAX);
		return 2;
	}
	size = strtoul(argv[3], NULL, 10);
	n = (size + s->block - 1) / s->block * s->block;
	stride = (AAD + 16 + n + 64 + 63) & ~(size_t)63;
	secs = atof(argv[4]);
	pin_cpu(atoi(argv[5]));
	mem = aligned_alloc(64, stride * BURST_MAX);
	memset(mem, 0xab, stride * BURST_MAX);
	arm_alarm(secs);
	t0 = now();
	if (strcmp(argv[1], "openssl") == 0)
		count = loop_openssl(s, mem, stride, n);
	else if (strcmp(argv[1], "ipsec-mb") == 0)
		count = loop_ipsecmb(s, mem, stride, n, burst);
	else
		count = loop_gcrypt(s, mem, stride, n);
	t1 = now();
	free(mem);
	if (!count)
		return 1;
	printf("%.4f\n", (double)count * (double)size * 8 / (t1 - t0) / 1e9);
	return 0;
}
