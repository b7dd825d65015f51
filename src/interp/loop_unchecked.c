/* SPDX-License-Identifier: MIT */
/* The dispatch loop without runtime checks: verified programs only. */
#define INTERP_CHECKED 0
#define INTERP_LOOP_NAME interp_loop_unchecked
#include "interp/loop.h"
