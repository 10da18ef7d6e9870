/* Named traffic mixes (`--imix NAME`): packet sizes in sending order. One
 * table for the workloads that send them and for `plan`, which prices
 * them. */
#ifndef NCB_IO_IMIX_H
#define NCB_IO_IMIX_H

#include <stddef.h>
#include <stdint.h>

/* The sizes of mix `name` in sending order. 0, or -ENOENT. */
int imix_find(const char *name, const uint16_t **sizes, size_t *n);
/* The name of the i-th mix (from 0), or NULL past the last. */
const char *imix_name(size_t i);
/* Mean packet size of a mix, rounded. */
size_t imix_mean(const uint16_t *sizes, size_t n);

#endif
