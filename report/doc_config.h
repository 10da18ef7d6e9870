/* A document's config{} (the options the run resolved) read back as
 * name = text pairs, so a report can say what differs between two files
 * ("busy-poll=0" against "busy-poll=50"). */
#ifndef NCB_REPORT_DOC_CONFIG_H
#define NCB_REPORT_DOC_CONFIG_H

#include "report/doc.h"
#include "report/doc_check.h"

/* Reads root's config{} (optional) into d->config, sorted by name: a
 * string, number or boolean as text, a list of them joined by commas
 * (cut at DOC_HYGIENE_VALUE_MAX bytes: a label, not a value to compute
 * with), an object as "{...}". At most DOC_CONFIG_MAX entries. 0,
 * -EINVAL with a->e naming the field, or -ENOMEM; doc_free frees it. */
NCB_MUST_CHECK int doc_config_load(struct doc *d, json_t *root,
				   const struct doc_at *a);

/* The text of config entry name in d, or NULL when d has none. */
const char *doc_config_get(const struct doc *d, const char *name);

#endif
