/* SPDX-License-Identifier: MIT */
/* The dispatch loop with bounds checks, the instruction budget and callx
 * checks: the default for programs the verifier has not accepted. */
#define INTERP_CHECKED 1
#define INTERP_LOOP_NAME interp_loop_checked
#include "interp/loop.h"
