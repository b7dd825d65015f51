/* SPDX-License-Identifier: MIT */
/* The clang-built examples through the object loader and the Linux
 * helpers: callbacks (bpf_loop, bpf_for_each_map_elem), ring buffer
 * reserve/submit and output, queue push/pop/peek, and a prog_array
 * dispatcher tail-calling per IP protocol. XDP contexts are struct xdp_md
 * with 32-bit pointers, so the packet lives below 4 GiB (MAP_32BIT). */
#define _GNU_SOURCE
#include <sys/mman.h>
#include <sys/stat.h>

#include "test_helpers_util.h"
#include "uebpf/object.h"

#ifndef UEBPF_EXAMPLES_DIR
#define UEBPF_EXAMPLES_DIR ""
#endif

static struct uebpf_helper_set *set;

static struct uebpf_object *open_example(const char *rel)
{
	struct uebpf_object_opts opts = { .sz = sizeof(opts), .helpers = set };
	struct uebpf_error err = { 0 };
	struct uebpf_object *obj = NULL;
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", UEBPF_EXAMPLES_DIR, rel);
	if (uebpf_object_open_file(path, &opts, &obj, &err) || uebpf_object_load(obj, &err))
		fail_msg("%s: %s", path, err.msg);
	return obj;
}

static struct uebpf_prog *prog_of(struct uebpf_object *obj, const char *name)
{
	struct uebpf_object_prog *p = uebpf_object_find_prog(obj, name);

	assert_non_null(p);
	assert_non_null(uebpf_object_prog_get(p));
	return uebpf_object_prog_get(p);
}

static struct uebpf_map *map_of(struct uebpf_object *obj, const char *name)
{
	struct uebpf_object_map *m = uebpf_object_find_map(obj, name);

	assert_non_null(m);
	return uebpf_object_map_get(m);
}

/* Runs with r1 = an xdp_md for `len` bytes at `pkt` (granted rw). */
static uint64_t run_xdp(struct uebpf_prog *prog, uint8_t *pkt, size_t len)
{
	struct xdp_md md = { .data = (uint32_t)(uintptr_t)pkt,
			     .data_end = (uint32_t)(uintptr_t)(pkt + len), .ingress_ifindex = 3 };
	struct uebpf_region region = { pkt, len, true };
	struct uebpf_run_opts opts = { .sz = sizeof(opts), .mem = &md, .mem_len = sizeof(md),
				       .mem_readonly = true, .regions = &region,
				       .nr_regions = pkt ? 1 : 0, .engine = UEBPF_ENGINE_INTERP };
	struct uebpf_error err = { 0 };
	uint64_t r0 = 0;

	if (uebpf_prog_run(prog, &opts, &r0, &err))
		fail_msg("run: %s", err.msg);
	return r0;
}

static uint8_t *low_packet(void)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT,
		       -1, 0);

	assert_true(p != MAP_FAILED);
	assert_true((uintptr_t)p + 4096 <= UINT32_MAX);
	return p;
}

static void test_callbacks(void **state)
{
	struct uebpf_object *obj = open_example("callbacks/callbacks.bpf.o");
	struct uebpf_prog *prog = prog_of(obj, "loop_sum");
	struct uebpf_map *values = map_of(obj, "values");
	uint32_t key = 5;
	uint64_t v = (uint64_t)-10;

	(void)state;
	/* bpf_loop sums 0..10 = 55 (it stops after index 10); the array is
	 * all zeros: 55 != 45 */
	assert_int_equal(run_xdp(prog, NULL, 0), XDP_DROP);
	/* for_each adds -10 from one element: 55 - 10 == 45 */
	assert_int_equal(uebpf_map_update(values, &key, &v, BPF_ANY, NULL), 0);
	assert_int_equal(run_xdp(prog, NULL, 0), XDP_PASS);
	uebpf_object_destroy(obj);
}

struct event {
	uint32_t len;
	uint32_t ifindex;
	uint64_t ts;
};

static int events_seen;

static int on_event(void *ctx, const void *data, size_t size)
{
	const struct event *e = data;

	(void)ctx;
	assert_int_equal(size, sizeof(*e));
	assert_int_equal(e->len, 60);
	assert_true(e->ifindex == 3 || e->ifindex == 0);
	events_seen++;
	return 0;
}

static void test_ringbuf(void **state)
{
	struct uebpf_object *obj = open_example("maps/ringbuf.bpf.o");
	uint8_t *pkt = low_packet();

	(void)state;
	assert_int_equal(run_xdp(prog_of(obj, "ringbuf_reserve"), pkt, 60), XDP_PASS);
	assert_int_equal(run_xdp(prog_of(obj, "ringbuf_output"), pkt, 60), XDP_PASS);
	assert_int_equal(run_xdp(prog_of(obj, "ringbuf_reserve"), pkt, 60), XDP_PASS);
	assert_int_equal(uebpf_ringbuf_consume(map_of(obj, "events"), on_event, NULL, NULL), 3);
	assert_int_equal(events_seen, 3);
	munmap(pkt, 4096);
	uebpf_object_destroy(obj);
}

static void test_queue(void **state)
{
	struct uebpf_object *obj = open_example("maps/queue.bpf.o");
	struct uebpf_prog *prog = prog_of(obj, "queue_push_pop");
	uint8_t *pkt = low_packet();
	int i;

	(void)state;
	for (i = 0; i < 40; i++)
		run_xdp(prog, pkt, 20 + (size_t)i);
	assert_true(uebpf_map_max_entries(map_of(obj, "queue_lens")) > 0);
	munmap(pkt, 4096);
	uebpf_object_destroy(obj);
}

static void test_prog_array_dispatch(void **state)
{
	struct uebpf_object *obj = open_example("maps/prog_array.bpf.o");
	struct uebpf_prog *dispatcher = prog_of(obj, "dispatcher");
	uint8_t *pkt = low_packet();

	(void)state;
	memset(pkt, 0, 64);
	pkt[12] = 0x08;          /* ETH_P_IP */
	pkt[14] = 0x45;
	pkt[14 + 9] = 6;         /* TCP: handle_tcp */
	assert_int_equal(run_xdp(dispatcher, pkt, 64), XDP_TX);
	pkt[14 + 9] = 17;        /* UDP: handle_udp */
	assert_int_equal(run_xdp(dispatcher, pkt, 64), XDP_DROP);
	pkt[14 + 9] = 1;         /* ICMP: empty slot, the dispatcher goes on */
	assert_int_equal(run_xdp(dispatcher, pkt, 64), XDP_PASS);
	munmap(pkt, 4096);
	uebpf_object_destroy(obj);
}

static int have_objects(void **state)
{
	char path[512];
	struct stat st;

	(void)state;
	snprintf(path, sizeof(path), "%s/callbacks/callbacks.bpf.o", UEBPF_EXAMPLES_DIR);
	if (!UEBPF_EXAMPLES_DIR[0] || stat(path, &st)) {
		printf("skip: example objects not built (needs clang-19; see examples/*.cmake)\n");
		exit(77);
	}
	set = all_helpers(BPF_PROG_TYPE_XDP);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	uebpf_helper_set_destroy(set);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_callbacks),
		cmocka_unit_test(test_ringbuf),
		cmocka_unit_test(test_queue),
		cmocka_unit_test(test_prog_array_dispatch),
	};

	return cmocka_run_group_tests(tests, have_objects, teardown);
}
