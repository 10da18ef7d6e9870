/* `ncbench plan FILE --target RATE`: capacity planning from a result
 * document. A size sweep gives a per-packet CPU cost model (ns = a + b x
 * bytes) that prices any size or traffic mix; a thread sweep gives the
 * scaling curve (Universal Scalability Law with >= 3 points, else linear)
 * and so the threads and cores a target rate needs, with headroom. */
#ifndef NCB_REPORT_PLAN_H
#define NCB_REPORT_PLAN_H

#include "io/ncb.h"

enum plan_unit { PLAN_BITS, PLAN_PACKETS };

#define PLAN_RATE_MAX 1e15 /* 1 Pbit/s, 10^15 packet/s: beyond any host */

struct plan_rate {
	double value;       /* bits/s or packets/s */
	enum plan_unit unit;
};

/* "40G", "40Gbit", "40Gbps", "400M", "1.5T", "2Mpps", "500kpps", "1e6pps",
 * at most PLAN_RATE_MAX. 0 or -EINVAL with e naming the value. */
NCB_MUST_CHECK int plan_parse_rate(const char *s, struct plan_rate *out,
				   struct ncb_err *e);

/* argv[0] is "plan". 0; 1 if the plan could not be written whole; 2 on a
 * usage or input error. */
int plan_main(int argc, char **argv);

#endif
