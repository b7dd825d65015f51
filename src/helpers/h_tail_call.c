/* SPDX-License-Identifier: MIT */
/*
 * bpf_tail_call(ctx, prog_array, index): on success the current program
 * ends and the program in slot `index` starts with r1 = ctx, reusing the
 * stack; on failure execution continues after the call. The helper only
 * records the target and asks the engine to stop (uebpf_run_ctx_exit);
 * uebpf_prog_run (src/prog/run.c) then starts the target in the same run,
 * so every engine gets tail calls for free.
 *
 * As the kernel: the index is checked first, then the chain limit (33 tail
 * calls, MAX_TAIL_CALL_CNT), and the count grows before the slot is read,
 * so a call to an empty slot counts too. Slots hold program registry ids
 * (uebpf_prog_registry_*). Failures return -E2BIG (index or limit),
 * -ENOENT (empty slot, unknown id), -EPERM (an unchecked run may only
 * continue in a verified program), -EINVAL (not a prog_array).
 */
#include <errno.h>

#include "helpers/helpers_internal.h"
#include "maps/map_internal.h"

#define MAX_TAIL_CALL_CNT 33

HELPER_FN(helper_tail_call)
{
	struct uebpf_map *map = helper_map(rc, r2);
	uint32_t index = (uint32_t)r3, id;
	const struct uebpf_prog *target;

	(void)r4, (void)r5;
	if (!map)
		return (uint64_t)(int64_t)run_ctx_fail(rc, -EINVAL,
			"bpf_tail_call: r2 = 0x%llx is not a map the program references",
			(unsigned long long)r2);
	if (map->type != BPF_MAP_TYPE_PROG_ARRAY)
		return (uint64_t)(int64_t)-EINVAL;
	if (index >= map->max_entries)
		return (uint64_t)(int64_t)-E2BIG;
	if (rc->tail_call_cnt >= MAX_TAIL_CALL_CNT)
		return (uint64_t)(int64_t)-E2BIG;
	rc->tail_call_cnt++;
	id = map_prog_array_get(map, index);
	target = id ? uebpf_prog_registry_get(id) : NULL;
	if (!target)
		return (uint64_t)(int64_t)-ENOENT;
	if (!rc->checked && !target->verified)
		return (uint64_t)(int64_t)-EPERM;
	rc->tail_target = target;
	rc->tail_ctx = r1;
	uebpf_run_ctx_exit(rc, 0);
	return 0;
}
