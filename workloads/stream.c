/* The `stream` traffic pattern: encrypted bulk transfer over one TCP
 * connection per pair, as TLS carries it. The sender seals records of
 * --size bytes of data back to back and sends each batch with one call;
 * the receiver feeds whatever pieces TCP hands it to the framing, which
 * re-frames and opens them in order (workloads/flow). The headline
 * figure is received goodput. */
#include "workloads/flow.h"
#include "workloads/pattern.h"

/* TCP segments and coalesces by itself: no UDP offloads to switch off.
 * Records are sealed and opened in order, one call each: no bursts. One
 * connection, one SA: the records name none. */
static const char *const net_unused[] = { "no-gso", "burst", "sas", "sa-dist",
					   "flows", NULL };

const struct pattern_ops stream_pattern = {
	.name = "stream",
	.summary = "bulk over one TCP connection per pair with a byte-stream framing: sender seals, receiver re-frames and opens",
	.kind = FRAMING_F_STREAM,
	.net_unused = net_unused,
	.wl = &flow_bulk, /* flow's data path, with feed instead of decap */
};
