/* SPDX-License-Identifier: MIT */
/* fentry programs must return 0.
 * expect: refuse
 * reason: must return a value in [0, 0]
 */
#include "common.h"

SEC("fentry/do_unlinkat")
int ret_fentry_nonzero(unsigned long long *ctx)
{
	return ctx[0] == 0 ? 1 : 0;
}
