/* libFuzzer target for SA files (`run --sa-file FILE`, `ncbench
 * wireshark --sa-file FILE`): the input is the file's text. It is parsed;
 * a file that parses is checked against a case of its own framing,
 * cipher and options (2 pairs, 2 directions, 2 SAs each) and, when it
 * fits, applied to that case's descriptions, as pairs_open does. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "workloads/safile.h"

enum { PAIRS = 2, DIRS = 2, SAS = 2 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct framing_sa_desc descs[PAIRS * DIRS * SAS];
	struct safile *sf;
	struct ncb_err e;

	if (safile_parse(&sf, (const char *)data, size, "fuzz", &e) < 0)
		return 0;
	const struct safile_case k = {
		.f = safile_framing(sf),
		.fopts = safile_fopts(sf),
		.cipher = safile_cipher(sf),
		.pairs = PAIRS,
		.dirs = DIRS,
		.sas = SAS,
		.family = safile_count(sf) && safile_at(sf, 0)->family == 6 ? 6 : 4,
	};
	if (safile_check(sf, &k, &e) == 0)
		safile_apply(sf, &k, descs);
	for (size_t i = 0; i < safile_count(sf); i++)
		if (!safile_at(sf, i))
			__builtin_trap();
	safile_free(sf);
	return 0;
}
