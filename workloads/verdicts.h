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
	VERDICT_BROKEN, /* malformed or broken although sent by the peer */
};

/* enum verdict_class by verdict of each framing. */
extern const uint8_t verdicts_esp[ESP_V_COUNT];
extern const uint8_t verdicts_macsec[MACSEC_V_COUNT];
extern const uint8_t verdicts_record[RECORD_V_COUNT];

#endif
