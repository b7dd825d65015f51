/* SPDX-License-Identifier: MIT */
/* perf_event_array: per-slot buffers, output, consumer, lost records. */
#include "test_map_util.h"

struct got {
	uint32_t n;
	unsigned cpu[256];
	uint32_t size[256];
	uint8_t mark[256];
	uint64_t lost[8];
	bool bad;
};

static void on_sample(void *ctx, unsigned cpu, const void *data, size_t size)
{
	struct got *g = ctx;
	const uint8_t *b = data;

	if (g->n < 256) {
		g->cpu[g->n] = cpu;
		g->size[g->n] = (uint32_t)size;
		g->mark[g->n] = size ? b[0] : 0;
		for (size_t i = 1; i < size; i++)
			g->bad |= b[i] != b[0];
	}
	g->n++;
}

static void on_lost(void *ctx, unsigned cpu, uint64_t lost)
{
	struct got *g = ctx;

	if (cpu < 8)
		g->lost[cpu] += lost;
}

static void test_perf_output_and_consume(void **state)
{
	struct uebpf_map_spec s = map_spec("perf", BPF_MAP_TYPE_PERF_EVENT_ARRAY, 4, 4, 2, 0);
	struct uebpf_error err = { 0 };
	struct uebpf_map *m;
	static struct got g;
	uint8_t buf[100];

	(void)state;
	memset(&g, 0, sizeof(g));
	s.map_extra = 4096;
	assert_int_equal(uebpf_map_create(&s, &m, &err), 0);
	memset(buf, 1, sizeof(buf));
	assert_int_equal(map_perf_event_output(m, 0, buf, 10), 0);
	memset(buf, 2, sizeof(buf));
	assert_int_equal(map_perf_event_output(m, 1, buf, 20), 0);
	memset(buf, 3, sizeof(buf));
	assert_int_equal(map_perf_event_output(m, 0, buf, 30), 0);
	assert_int_equal(map_perf_event_output(m, 2, buf, 30), -E2BIG);
	assert_int_equal(map_perf_event_output(m, 1ull << 32, buf, 30), -EINVAL);
	assert_int_equal(uebpf_perf_buffer_consume(m, on_sample, on_lost, &g, &err), 3);
	assert_int_equal(g.cpu[0], 0);
	assert_int_equal(g.size[0], 10);
	assert_int_equal(g.mark[0], 1);
	assert_int_equal(g.cpu[1], 0);
	assert_int_equal(g.mark[1], 3);
	assert_int_equal(g.cpu[2], 1);
	assert_int_equal(g.size[2], 20);
	assert_int_equal(uebpf_perf_buffer_consume(m, on_sample, on_lost, &g, &err), 0);

	/* Fill slot 0: 100-byte samples take 112; 36 fit, the rest are lost. */
	for (int i = 0; i < 40; i++) {
		memset(buf, i, sizeof(buf));
		long r = map_perf_event_output(m, 0, buf, sizeof(buf));

		assert_int_equal(r, i < 36 ? 0 : -ENOSPC);
	}
	g.n = 0;
	assert_int_equal(uebpf_perf_buffer_consume(m, on_sample, on_lost, &g, &err), 36);
	assert_int_equal(g.lost[0], 4);
	for (int i = 0; i < 36; i++)
		assert_int_equal(g.mark[i], i);
	/* Wrapping records come out whole. */
	for (int round = 0; round < 50; round++) {
		memset(buf, round, sizeof(buf));
		assert_int_equal(map_perf_event_output(m, 1, buf,
						       (size_t)(37 + round)), 0);
		g.n = 0;
		assert_int_equal(uebpf_perf_buffer_consume(m, on_sample, NULL, &g, &err), 1);
		assert_int_equal(g.size[0], 37 + round);
		assert_int_equal(g.mark[0], round);
	}
	assert_false(g.bad);
	assert_int_equal(uebpf_perf_buffer_poll(m, on_sample, NULL, &g, 0, &err), 0);
	uebpf_map_destroy(m);
}

static void test_perf_current_cpu_and_host_ops(void **state)
{
	struct uebpf_map_spec s = map_spec("perf2", BPF_MAP_TYPE_PERF_EVENT_ARRAY, 4, 4, 0, 0);
	struct uebpf_error err = { 0 };
	struct uebpf_map *m;
	static struct got g;
	uint32_t k = 0, v = 0;

	(void)state;
	memset(&g, 0, sizeof(g));
	assert_int_equal(uebpf_map_create(&s, &m, &err), 0);
	/* max_entries 0 means one slot per CPU, as libbpf does. */
	assert_int_equal(uebpf_map_max_entries(m), uebpf_map_nr_cpus());
	assert_int_equal(map_perf_event_output(m, BPF_F_CURRENT_CPU, &v, sizeof(v)), 0);
	assert_int_equal(uebpf_perf_buffer_consume(m, on_sample, NULL, &g, &err), 1);
	assert_true(g.cpu[0] < uebpf_map_nr_cpus());
	assert_int_equal(uebpf_map_update(m, &k, &v, BPF_ANY, &err), -EOPNOTSUPP);
	assert_int_equal(uebpf_map_get_next_key(m, NULL, &k, &err), 0);
	uebpf_map_destroy(m);

	s.map_extra = 5000;
	expect_create_error(&s, -EINVAL, "power of 2");
	s = map_spec("perf3", BPF_MAP_TYPE_PERF_EVENT_ARRAY, 4, 8, 1, 0);
	expect_create_error(&s, -EINVAL, "must be 4");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_perf_output_and_consume),
		cmocka_unit_test(test_perf_current_cpu_and_host_ops),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
