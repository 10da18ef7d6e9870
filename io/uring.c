/* io_uring probing. A throw-away ring is created to read the kernel's
 * feature bits and opcode table, and once per setup flag of interest. */
#include <errno.h>
#include <string.h>

#include <liburing.h>

#include "io/ncb.h"
#include "io/uring.h"

#ifndef NCB_LIBURING_VERSION
#define NCB_LIBURING_VERSION "unknown"
#endif

static const struct {
	unsigned bit;
	const char *name;
} feats[] = {
	{ IORING_FEAT_SINGLE_MMAP, "single_mmap" },
	{ IORING_FEAT_NODROP, "nodrop" },
	{ IORING_FEAT_SUBMIT_STABLE, "submit_stable" },
	{ IORING_FEAT_FAST_POLL, "fast_poll" },
	{ IORING_FEAT_SQPOLL_NONFIXED, "sqpoll_nonfixed" },
	{ IORING_FEAT_EXT_ARG, "ext_arg" },
	{ IORING_FEAT_NATIVE_WORKERS, "native_workers" },
	{ IORING_FEAT_RSRC_TAGS, "rsrc_tags" },
	{ IORING_FEAT_CQE_SKIP, "cqe_skip" },
	{ IORING_FEAT_LINKED_FILE, "linked_file" },
};

static const struct {
	unsigned flag;
	const char *name;
} setups[] = {
	{ IORING_SETUP_SQPOLL, "setup_sqpoll" },
	{ IORING_SETUP_COOP_TASKRUN, "setup_coop_taskrun" },
	{ IORING_SETUP_SINGLE_ISSUER, "setup_single_issuer" },
	{ IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN,
	  "setup_defer_taskrun" },
};

static const struct {
	int op;
	const char *name;
} ops[] = {
	{ IORING_OP_SENDMSG, "op_sendmsg" },
	{ IORING_OP_RECVMSG, "op_recvmsg" },
	{ IORING_OP_SEND, "op_send" },
	{ IORING_OP_RECV, "op_recv" },
	{ IORING_OP_PROVIDE_BUFFERS, "op_provide_buffers" },
	{ IORING_OP_SEND_ZC, "op_send_zc" },
	{ IORING_OP_SENDMSG_ZC, "op_sendmsg_zc" },
};

int uring_features(const char **names, size_t max)
{
	struct io_uring_params p;
	struct io_uring_probe *probe;
	struct io_uring ring;
	size_t n = 0;
	int rc;

	memset(&p, 0, sizeof(p));
	rc = io_uring_queue_init_params(4, &ring, &p);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < NCB_ARRAY_SIZE(feats) && n < max; i++)
		if (p.features & feats[i].bit)
			names[n++] = feats[i].name;
	probe = io_uring_get_probe_ring(&ring);
	for (size_t i = 0; probe && i < NCB_ARRAY_SIZE(ops) && n < max; i++)
		if (io_uring_opcode_supported(probe, ops[i].op))
			names[n++] = ops[i].name;
	io_uring_free_probe(probe);
	io_uring_queue_exit(&ring);

	for (size_t i = 0; i < NCB_ARRAY_SIZE(setups) && n < max; i++) {
		memset(&p, 0, sizeof(p));
		p.flags = setups[i].flag;
		if (io_uring_queue_init_params(4, &ring, &p) == 0) {
			names[n++] = setups[i].name;
			io_uring_queue_exit(&ring);
		}
	}
	return (int)n;
}

const char *uring_version(void)
{
	return NCB_LIBURING_VERSION;
}
