/* How a decapsulation verdict counts in a result, per framing: one table
 * for every workload that opens ESP, MACsec or TLS-style records (the
 * flow framings and rr), so a verdict is classed in one place. */
#ifndef NCB_WORKLOADS_VERDICTS_H
#define NCB_WORKLOADS_VERDICTS_H

#include <stdint.h>

#include "crypto/esp.h"
#include "crypto/macsec.h"
#include "crypto/record.h"

enum verdict_class {
	VERDICT_OK,
	VERDICT_AUTH,   /* not authenticated: forged, unknown SA */
	VERDICT_REPLAY, /* refused by the replay window */
	VERDICT_BROKEN, /* malformed, or wrong although authentic */
};

/* Where a refusal happened. Anyone can send bytes to a UDP port: a
 * packet refused before it authenticated says nothing about its sender.
 * At the tag check of the receiver's own SA the packet's sequence number
 * says whether it may be one the peer sent; a packet found wrong after it
 * authenticated can only come from the peer, which is then broken. */
enum verdict_stage {
	VERDICT_BEFORE_AUTH, /* also ok */
	VERDICT_AT_TAG,      /* the SA's tag check failed */
	VERDICT_AFTER_AUTH,
};

/* enum verdict_class by verdict of each framing. */
extern const uint8_t verdicts_esp[ESP_V_COUNT];
extern const uint8_t verdicts_macsec[MACSEC_V_COUNT];
extern const uint8_t verdicts_record[RECORD_V_COUNT];

/* enum verdict_stage by verdict of each framing. */
extern const uint8_t verdict_stages_esp[ESP_V_COUNT];
extern const uint8_t verdict_stages_macsec[MACSEC_V_COUNT];
extern const uint8_t verdict_stages_record[RECORD_V_COUNT];

#endif
