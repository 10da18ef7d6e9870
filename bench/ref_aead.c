/* Minimal reference loop for `make bench`: the fastest plain use of each
 * library, with no harness around it. Context keyed once; per buffer a new
 * IV, 8 bytes of AAD, seal in place, tag out. Prints Gbit/s of payload.
 *
 * usage: ref_aead openssl|gcrypt ALG SIZE SECONDS CPU */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include <gcrypt.h>
#include <openssl/evp.h>

static volatile sig_atomic_t stop;

static void on_alarm(int sig)
{
	(void)sig;
	stop = 1;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void put_be64(uint8_t *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

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

int main(int argc, char **argv)
{
	struct itimerval it = { { 0, 0 }, { 0, 0 } };
	cpu_set_t set;
	uint8_t *buf;
	size_t n;
	double secs, t0, t1;
	uint64_t count;

	if (argc != 6) {
		fprintf(stderr, "usage: ref_aead openssl|gcrypt ALG SIZE SECONDS CPU\n");
		return 2;
	}
	n = strtoul(argv[3], NULL, 10);
	secs = atof(argv[4]);
	CPU_ZERO(&set);
	CPU_SET(atoi(argv[5]), &set);
	sched_setaffinity(0, sizeof(set), &set);
	buf = aligned_alloc(64, (n + 16 + 63) & ~(size_t)63);
	memset(buf, 0xab, n + 16);
	signal(SIGALRM, on_alarm);
	it.it_value.tv_sec = (time_t)secs;
	it.it_value.tv_usec = (suseconds_t)((secs - (double)(time_t)secs) * 1e6);
	setitimer(ITIMER_REAL, &it, NULL);
	t0 = now();
	count = strcmp(argv[1], "openssl") == 0 ? loop_openssl(argv[2], buf, n)
						: loop_gcrypt(argv[2], buf, n);
	t1 = now();
	printf("%.4f\n", (double)count * (double)n * 8 / (t1 - t0) / 1e9);
	free(buf);
	return 0;
}
