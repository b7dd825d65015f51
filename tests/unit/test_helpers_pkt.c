/* SPDX-License-Identifier: MIT */
/* Packet helpers on a struct pkt_xdp_buff: adjust_head/tail/meta limits
 * and return values, csum_diff, redirect and redirect_map. */
#include "helpers/pkt_ctx.h"
#include "test_helpers_util.h"

#define FRAME 512
#define HEADROOM 256

struct pkt {
	uint8_t frame[FRAME];
	struct pkt_xdp_buff x;
	struct uebpf_run_ctx rc;
};

static void pkt_init(struct pkt *p, size_t len)
{
	memset(p, 0, sizeof(*p));
	p->x.hard_start = p->frame;
	p->x.hard_end = p->frame + FRAME;
	p->x.reserved = PKT_XDP_FRAME_RESERVED;
	p->x.data = p->x.data_meta = p->frame + HEADROOM;
	p->x.data_end = p->x.data + len;
	p->x.meta_supported = true;
	pkt_xdp_sync_md(&p->x);
	p->rc.xdp = &p->x;
}

#define CTX(p) ((uintptr_t)&(p)->x.md)
#define HEAD(p, d) (int64_t)helper_xdp_adjust_head(CTX(p), (uint64_t)(int64_t)(d), 0, 0, 0, &(p)->rc)
#define TAIL(p, d) (int64_t)helper_xdp_adjust_tail(CTX(p), (uint64_t)(int64_t)(d), 0, 0, 0, &(p)->rc)
#define META(p, d) (int64_t)helper_xdp_adjust_meta(CTX(p), (uint64_t)(int64_t)(d), 0, 0, 0, &(p)->rc)

static void test_adjust_head(void **state)
{
	struct pkt p;

	(void)state;
	pkt_init(&p, 64);
	assert_int_equal(HEAD(&p, -14), 0);
	assert_ptr_equal(p.x.data, p.frame + HEADROOM - 14);
	assert_int_equal(p.x.md.data, (uint32_t)(uintptr_t)p.x.data);
	assert_int_equal(HEAD(&p, 14), 0);
	/* down to hard_start + reserved, not further */
	assert_int_equal(HEAD(&p, -(HEADROOM - PKT_XDP_FRAME_RESERVED)), 0);
	assert_int_equal(HEAD(&p, -1), -EINVAL);
	assert_int_equal(HEAD(&p, HEADROOM - PKT_XDP_FRAME_RESERVED), 0);
	/* keep at least an Ethernet header */
	assert_int_equal(HEAD(&p, 64 - 14), 0);
	assert_int_equal(HEAD(&p, 1), -EINVAL);
	/* metadata moves with data */
	pkt_init(&p, 64);
	assert_int_equal(META(&p, -8), 0);
	memcpy(p.x.data_meta, "METADATA", 8);
	assert_int_equal(HEAD(&p, -20), 0);
	assert_memory_equal(p.x.data_meta, "METADATA", 8);
	assert_int_equal(p.x.data - p.x.data_meta, 8);
	/* a pointer that is not this run's context */
	assert_int_equal((int64_t)helper_xdp_adjust_head(CTX(&p) + 8, 0, 0, 0, 0, &p.rc), -EINVAL);
}

static void test_adjust_tail(void **state)
{
	struct pkt p;

	(void)state;
	pkt_init(&p, 64);
	memset(p.x.data_end, 0xaa, 16);
	assert_int_equal(TAIL(&p, 16), 0);
	assert_memory_equal(p.x.data_end - 16, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16); /* zeroed */
	assert_int_equal(TAIL(&p, -(64 + 16 - 14)), 0);
	assert_int_equal(TAIL(&p, -1), -EINVAL);
	assert_int_equal(TAIL(&p, FRAME - HEADROOM - 14), 0);
	assert_int_equal(TAIL(&p, 1), -EINVAL);
	assert_int_equal((int64_t)p.x.md.data_end - (int64_t)p.x.md.data, FRAME - HEADROOM);
}

static void test_adjust_meta(void **state)
{
	struct pkt p;

	(void)state;
	pkt_init(&p, 64);
	assert_int_equal(META(&p, -32), 0);
	assert_int_equal(META(&p, -4), -EACCES);     /* more than 32 bytes */
	assert_int_equal(META(&p, 30), -EACCES);     /* not a multiple of 4 */
	assert_int_equal(META(&p, 33), -EINVAL);     /* beyond data */
	assert_int_equal(META(&p, 32), 0);
	p.x.meta_supported = false;
	assert_int_equal(META(&p, -4), -524);
}

static uint32_t fold(uint64_t csum)
{
	csum = (csum & 0xffff) + (csum >> 16);
	csum = (csum & 0xffff) + (csum >> 16);
	return (uint32_t)~csum & 0xffff;
}

static void test_csum_diff(void **state)
{
	/* an IPv4 header (checksum field zero): its checksum is 0xb861 */
	uint8_t hdr[20] = { 0x45, 0, 0, 0x73, 0, 0, 0x40, 0, 0x40, 0x11, 0, 0,
			    0xc0, 0xa8, 0, 1, 0xc0, 0xa8, 0, 0xc7 };
	uint8_t from[4] = { 0xc0, 0xa8, 0, 0xc7 }, to[4] = { 0x0a, 0, 0, 1 };
	struct uebpf_run_ctx rc = { 0 };
	uint64_t sum, diff;
	uint16_t be;

	(void)state;
	sum = helper_csum_diff(0, 0, (uintptr_t)hdr, 20, 0, &rc);
	be = (uint16_t)fold(sum);
	assert_int_equal(__builtin_bswap16(be), 0xb861);
	/* rewrite the destination address: folding (old sum + diff) equals the
	 * checksum of the rewritten header */
	diff = helper_csum_diff((uintptr_t)from, 4, (uintptr_t)to, 4, (uint32_t)sum, &rc);
	memcpy(hdr + 16, to, 4);
	assert_int_equal(fold(diff), fold(helper_csum_diff(0, 0, (uintptr_t)hdr, 20, 0, &rc)));
	assert_int_equal((int64_t)helper_csum_diff((uintptr_t)from, 3, 0, 0, 0, &rc), -EINVAL);
	assert_int_equal((int64_t)helper_csum_diff((uintptr_t)hdr, 260, (uintptr_t)hdr, 256, 0, &rc),
			 -EINVAL);
	assert_int_equal(helper_csum_diff(0, 0, 0, 0, 0x1234, &rc), 0x1234);
}

static void test_redirect(void **state)
{
	struct uebpf_map *map = make_map("dev", BPF_MAP_TYPE_ARRAY, 4, 4, 4);
	struct pkt p;
	uint32_t key = 2, ifindex = 7;

	(void)state;
	pkt_init(&p, 64);
	assert_int_equal(helper_xdp_redirect(5, 0, 0, 0, 0, &p.rc), XDP_REDIRECT);
	assert_true(p.x.redirect.set);
	assert_int_equal(p.x.redirect.ifindex, 5);
	assert_int_equal(helper_xdp_redirect(5, 1, 0, 0, 0, &p.rc), XDP_ABORTED);
	assert_int_equal(helper_skb_redirect(3, BPF_F_INGRESS, 0, 0, 0, &p.rc), 7);
	assert_int_equal(p.x.redirect.flags, BPF_F_INGRESS);
	assert_int_equal(helper_skb_redirect(3, 2, 0, 0, 0, &p.rc), 2);

	assert_int_equal(uebpf_map_update(map, &key, &ifindex, BPF_ANY, NULL), 0);
	memset(&p.x.redirect, 0, sizeof(p.x.redirect));
	assert_int_equal(helper_redirect_map((uintptr_t)map, 2, XDP_PASS, 0, 0, &p.rc), XDP_REDIRECT);
	assert_int_equal(p.x.redirect.ifindex, 7);
	assert_ptr_equal(p.x.redirect.map, map);
	assert_int_equal(helper_redirect_map((uintptr_t)map, 9, XDP_PASS, 0, 0, &p.rc), XDP_PASS);
	assert_int_equal(helper_redirect_map((uintptr_t)map, 9, XDP_DROP, 0, 0, &p.rc), XDP_DROP);
	assert_int_equal(helper_redirect_map((uintptr_t)map, 2, 1u << 6, 0, 0, &p.rc), XDP_ABORTED);
	uebpf_map_destroy(map);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_adjust_head),
		cmocka_unit_test(test_adjust_tail),
		cmocka_unit_test(test_adjust_meta),
		cmocka_unit_test(test_csum_diff),
		cmocka_unit_test(test_redirect),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
