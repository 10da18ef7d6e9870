/* Unauthenticated arrivals are auth failures; malformed ones and ones
 * wrong although authentic are broken. The stage says whether a refusal
 * could be a stranger's packet (workloads/flow.c counts those apart). */
#include "workloads/verdicts.h"

const uint8_t verdicts_esp[ESP_V_COUNT] = {
	[ESP_V_OK] = VERDICT_OK,
	[ESP_V_TRUNCATED] = VERDICT_BROKEN,
	[ESP_V_SPI] = VERDICT_AUTH,
	[ESP_V_REPLAY] = VERDICT_REPLAY,
	[ESP_V_OLD] = VERDICT_REPLAY,
	[ESP_V_ICV] = VERDICT_AUTH,
	[ESP_V_PAD] = VERDICT_BROKEN,
	[ESP_V_OVERSIZE] = VERDICT_BROKEN,
};

const uint8_t verdicts_macsec[MACSEC_V_COUNT] = {
	[MACSEC_V_OK] = VERDICT_OK,
	[MACSEC_V_TRUNCATED] = VERDICT_BROKEN,
	[MACSEC_V_BAD_TAG] = VERDICT_BROKEN,
	[MACSEC_V_SCI] = VERDICT_AUTH,
	[MACSEC_V_AN] = VERDICT_AUTH,
	[MACSEC_V_REPLAY] = VERDICT_REPLAY,
	[MACSEC_V_LATE] = VERDICT_REPLAY,
	[MACSEC_V_ICV] = VERDICT_AUTH,
	[MACSEC_V_OVERSIZE] = VERDICT_BROKEN,
};

const uint8_t verdicts_record[RECORD_V_COUNT] = {
	[RECORD_V_OK] = VERDICT_OK,
	[RECORD_V_BAD_HEADER] = VERDICT_BROKEN,
	[RECORD_V_OVERFLOW] = VERDICT_BROKEN,
	[RECORD_V_BAD_MAC] = VERDICT_AUTH,
	[RECORD_V_NO_TYPE] = VERDICT_BROKEN,
};

/* RFC 4303 §3.4: length, SA lookup and the replay check come before the
 * ICV; padding is read after it. */
const uint8_t verdict_stages_esp[ESP_V_COUNT] = {
	[ESP_V_OK] = VERDICT_BEFORE_AUTH,
	[ESP_V_TRUNCATED] = VERDICT_BEFORE_AUTH,
	[ESP_V_SPI] = VERDICT_BEFORE_AUTH,
	[ESP_V_REPLAY] = VERDICT_BEFORE_AUTH,
	[ESP_V_OLD] = VERDICT_BEFORE_AUTH,
	[ESP_V_ICV] = VERDICT_AT_TAG,
	[ESP_V_PAD] = VERDICT_AFTER_AUTH,
	[ESP_V_OVERSIZE] = VERDICT_BEFORE_AUTH,
};

/* 802.1AE 10.6: every check but the ICV comes before it. */
const uint8_t verdict_stages_macsec[MACSEC_V_COUNT] = {
	[MACSEC_V_OK] = VERDICT_BEFORE_AUTH,
	[MACSEC_V_TRUNCATED] = VERDICT_BEFORE_AUTH,
	[MACSEC_V_BAD_TAG] = VERDICT_BEFORE_AUTH,
	[MACSEC_V_SCI] = VERDICT_BEFORE_AUTH,
	[MACSEC_V_AN] = VERDICT_BEFORE_AUTH,
	[MACSEC_V_REPLAY] = VERDICT_BEFORE_AUTH,
	[MACSEC_V_LATE] = VERDICT_BEFORE_AUTH,
	[MACSEC_V_ICV] = VERDICT_AT_TAG,
	[MACSEC_V_OVERSIZE] = VERDICT_BEFORE_AUTH,
};

/* Records come over a TCP connection from the peer only; the stages
 * still say where each check sits. */
const uint8_t verdict_stages_record[RECORD_V_COUNT] = {
	[RECORD_V_OK] = VERDICT_BEFORE_AUTH,
	[RECORD_V_BAD_HEADER] = VERDICT_BEFORE_AUTH,
	[RECORD_V_OVERFLOW] = VERDICT_BEFORE_AUTH,
	[RECORD_V_BAD_MAC] = VERDICT_AT_TAG,
	[RECORD_V_NO_TYPE] = VERDICT_AFTER_AUTH,
};
