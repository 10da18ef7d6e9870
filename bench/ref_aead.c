/* Minimal reference loop for `make bench`: the fastest plain use of each
 * library, with no harness around it. Context keyed once; per buffer a new
 * IV, 8 bytes of AAD, seal in place, tag out. Prints Gbit/s of payload.
 *
 * usage: ref_aead openssl|gcrypt|ipsec-mb|sodium ALG SIZE SECONDS CPU */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gcrypt.h>
#include <intel-ipsec-mb.h>
#include <openssl/evp.h>
#include <sodium.h>

#include "bench/ref_loop.h"

static uint64_t loop_openssl(const char *alg, uint8_t *buf, size_t n)
{
	const char *name = strcmp(alg, "aes-256-gcm") == 0   ? "AES-256-GCM"
			   : strcmp(alg, "aes-128-gcm") == 0 ? "AES-128-GCM"
							     : "ChaCha20-Poly1305";
	EVP_CIPHER *c = EVP_CIPHER_fetch(NULL, name, NULL);
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	uint8_t key[32] = { 1 }, iv[12] = { 2 }, aad[8] = { 3 }, tag[16];
	uint64_t count = 0;
	int len;

	EVP_EncryptInit_ex2(ctx, c, key, NULL, NULL);
	while (!stop) {
		put_be64(iv + 4, ++count);
		put_be64(aad, count);
		EVP_EncryptInit_ex2(ctx, NULL, NULL, iv, NULL);
		EVP_EncryptUpdate(ctx, NULL, &len, aad, sizeof(aad));
		EVP_EncryptUpdate(ctx, buf, &len, buf, (int)n);
		EVP_EncryptFinal_ex(ctx, buf + n, &len);
		EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, 16, tag);
	}
	EVP_CIPHER_CTX_free(ctx);
	EVP_CIPHER_free(c);
	return count;
}

static uint64_t loop_gcrypt(const char *alg, uint8_t *buf, size_t n)
{
	int algo = strcmp(alg, "aes-256-gcm") == 0   ? GCRY_CIPHER_AES256
		   : strcmp(alg, "aes-128-gcm") == 0 ? GCRY_CIPHER_AES128
		   : strcmp(alg, "sm4-gcm") == 0     ? GCRY_CIPHER_SM4
						     : GCRY_CIPHER_CHACHA20;
	int mode = algo == GCRY_CIPHER_CHACHA20 ? GCRY_CIPHER_MODE_POLY1305
						: GCRY_CIPHER_MODE_GCM;
	uint8_t key[32] = { 1 }, iv[12] = { 2 }, aad[8] = { 3 }, tag[16];
	gcry_cipher_hd_t h;
	uint64_t count = 0;

	gcry_check_version(NULL);
	gcry_control(GCRYCTL_DISABLE_SECMEM, 0);
	gcry_control(GCRYCTL_INITIALIZATION_FINISHED, 0);
	gcry_cipher_open(&h, algo, mode, 0);
	gcry_cipher_setkey(h, key, gcry_cipher_get_algo_keylen(algo));
	while (!stop) {
		put_be64(iv + 4, ++count);
		put_be64(aad, count);
		gcry_cipher_setiv(h, iv, sizeof(iv));
		gcry_cipher_authenticate(h, aad, sizeof(aad));
		gcry_cipher_final(h);
		gcry_cipher_encrypt(h, buf, n, NULL, 0);
		gcry_cipher_gettag(h, tag, sizeof(tag));
	}
	gcry_cipher_close(h);
	return count;
}

static uint64_t loop_ipsecmb(const char *alg, uint8_t *buf, size_t n)
{
	static struct gcm_key_data key_data __attribute__((aligned(64)));
	struct gcm_context_data gctx;
	struct chacha20_poly1305_context_data cctx;
	uint8_t key[32] = { 1 }, iv[12] = { 2 }, aad[8] = { 3 }, tag[16];
	IMB_MGR *m = alloc_mb_mgr(0);
	uint64_t count = 0;
	int is_chacha = strcmp(alg, "chacha20-poly1305") == 0;
	int is_256 = strcmp(alg, "aes-256-gcm") == 0;

	init_mb_mgr_auto(m, NULL);
	if (is_256)
		IMB_AES256_GCM_PRE(m, key, &key_data);
	else if (!is_chacha)
		IMB_AES128_GCM_PRE(m, key, &key_data);
	while (!stop) {
		put_be64(iv + 4, ++count);
		put_be64(aad, count);
		if (is_chacha) {
			IMB_CHACHA20_POLY1305_INIT(m, key, &cctx, iv, aad, sizeof(aad));
			IMB_CHACHA20_POLY1305_ENC_UPDATE(m, key, &cctx, buf, buf, n);
			IMB_CHACHA20_POLY1305_ENC_FINALIZE(m, &cctx, tag, sizeof(tag));
		} else if (is_256) {
			IMB_AES256_GCM_ENC(m, &key_data, &gctx, buf, buf, n, iv, aad,
					   sizeof(aad), tag, sizeof(tag));
		} else {
			IMB_AES128_GCM_ENC(m, &key_data, &gctx, buf, buf, n, iv, aad,
					   sizeof(aad), tag, sizeof(tag));
		}
	}
	free_mb_mgr(m);
	return count;
}

static uint64_t loop_sodium(const char *alg, uint8_t *buf, size_t n)
{
	static crypto_aead_aes256gcm_state st __attribute__((aligned(64)));
	uint8_t key[32] = { 1 }, iv[12] = { 2 }, aad[8] = { 3 }, tag[16];
	int is_chacha = strcmp(alg, "chacha20-poly1305") == 0;
	unsigned long long tl;
	uint64_t count = 0;

	if (sodium_init() < 0)
		return 0;
	crypto_aead_aes256gcm_beforenm(&st, key);
	while (!stop) {
		put_be64(iv + 4, ++count);
		put_be64(aad, count);
		if (is_chacha)
			crypto_aead_chacha20poly1305_ietf_encrypt_detached(
				buf, tag, &tl, buf, n, aad, sizeof(aad), NULL, iv, key);
		else
			crypto_aead_aes256gcm_encrypt_detached_afternm(
				buf, tag, &tl, buf, n, aad, sizeof(aad), NULL, iv, &st);
	}
	return count;
}

int main(int argc, char **argv)
{
	uint8_t *buf;
	size_t n;
	double secs, t0, t1;
	uint64_t count;

	if (argc != 6) {
		fprintf(stderr, "usage: ref_aead openssl|gcrypt|ipsec-mb|sodium ALG SIZE SECONDS CPU\n");
		return 2;
	}
	n = strtoul(argv[3], NULL, 10);
	secs = atof(argv[4]);
	pin_cpu(atoi(argv[5]));
	buf = aligned_alloc(64, (n + 16 + 63) & ~(size_t)63);
	memset(buf, 0xab, n + 16);
	arm_alarm(secs);
	t0 = now();
	if (strcmp(argv[1], "openssl") == 0)
		count = loop_openssl(argv[2], buf, n);
	else if (strcmp(argv[1], "ipsec-mb") == 0)
		count = loop_ipsecmb(argv[2], buf, n);
	else if (strcmp(argv[1], "sodium") == 0)
		count = loop_sodium(argv[2], buf, n);
	else
		count = loop_gcrypt(argv[2], buf, n);
	t1 = now();
	printf("%.4f\n", (double)count * (double)n * 8 / (t1 - t0) / 1e9);
	free(buf);
	return 0;
}
