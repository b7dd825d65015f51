/* SPDX-License-Identifier: MIT */
/*
 * skb test runs (tc and socket filters), as the kernel's
 * bpf_prog_test_run_skb: the packet becomes an skb received on the loopback
 * device. eth_type_trans pulls the Ethernet header and sets protocol and
 * pkt_type; tc programs get the header pushed back (they see L2), socket
 * filters see the packet from the network header and the kernel hands back
 * the data with 14 zeroed bytes in front.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>

#include "common/error.h"
#include "helpers/pkt_ctx.h"
#include "testrun/testrun_internal.h"

#define SKB_OFF(f) offsetof(struct __sk_buff, f)
#define SKB_END(f) (offsetof(struct __sk_buff, f) + sizeof(((struct __sk_buff *)0)->f))

/* GSO_LEGACY_MAX_SIZE and GSO_MAX_SEGS of the kernel. */
#define TR_GSO_LEGACY_MAX_SIZE 65536u
#define TR_GSO_MAX_SEGS 65535u

/* The fields convert___skb_to_skb takes from ctx_in; every other byte of
 * ctx_in must be zero. */
static const struct {
	const char *name;
	size_t off, end;
} skb_ctx_in_fields[] = {
	{ "mark", SKB_OFF(mark), SKB_END(mark) },
	{ "priority", SKB_OFF(priority), SKB_END(priority) },
	{ "ingress_ifindex", SKB_OFF(ingress_ifindex), SKB_END(ingress_ifindex) },
	{ "ifindex", SKB_OFF(ifindex), SKB_END(ifindex) },
	{ "cb", SKB_OFF(cb), SKB_END(cb) },
	{ "tstamp", SKB_OFF(tstamp), SKB_END(tstamp) },
	{ "wire_len", SKB_OFF(wire_len), SKB_END(wire_len) },
	{ "gso_segs", SKB_OFF(gso_segs), SKB_END(gso_segs) },
	{ "gso_size", SKB_OFF(gso_size), SKB_END(gso_size) },
	{ "hwtstamp", SKB_OFF(hwtstamp), SKB_END(hwtstamp) },
};

static bool ctx_in_allowed(size_t off)
{
	for (size_t i = 0; i < sizeof(skb_ctx_in_fields) / sizeof(skb_ctx_in_fields[0]); i++)
		if (off >= skb_ctx_in_fields[i].off && off < skb_ctx_in_fields[i].end)
			return true;
	return false;
}

static int check_skb_ctx_in(const struct __sk_buff *in, const struct progtype_desc *desc,
			    uint32_t skb_len, struct uebpf_error *err)
{
	const uint8_t *bytes = (const uint8_t *)in;

	for (size_t off = 0; off < sizeof(*in); off++) {
		const struct progtype_ctx_field *f;

		if (!bytes[off] || ctx_in_allowed(off))
			continue;
		f = progtype_ctx_field(desc, (uint32_t)off);
		return uebpf_err(err, -EINVAL,
				 "test run: ctx_in sets %s%s (byte %zu of struct __sk_buff), which the "
				 "kernel does not take from ctx_in; only mark, priority, "
				 "ingress_ifindex, ifindex, cb, tstamp, wire_len, gso_segs, gso_size "
				 "and hwtstamp may be non-zero", f ? "field " : "a field at that offset",
				 f ? f->name : "", off);
	}
	if (in->wire_len && (in->wire_len < skb_len || in->wire_len > TR_GSO_LEGACY_MAX_SIZE))
		return uebpf_err(err, -EINVAL,
				 "test run: ctx_in wire_len %u must be 0 or between the skb length %u "
				 "and %u", in->wire_len, skb_len, TR_GSO_LEGACY_MAX_SIZE);
	if (in->gso_segs > TR_GSO_MAX_SEGS)
		return uebpf_err(err, -EINVAL, "test run: ctx_in gso_segs %u is above %u",
				 in->gso_segs, TR_GSO_MAX_SEGS);
	return 0;
}

/* eth_type_trans's protocol: the Ethernet type when it is one (>= 0x600),
 * else 802.3 raw (payload starts ff ff) or 802.2 LLC; network order. */
static uint16_t eth_protocol(const uint8_t *pkt, size_t len)
{
	uint16_t type = (uint16_t)(pkt[12] << 8 | pkt[13]);
	uint16_t proto;

	if (type >= ETH_P_802_3_MIN)
		proto = type;
	else if (len >= TR_ETH_HLEN + 2 && pkt[14] == 0xff && pkt[15] == 0xff)
		proto = ETH_P_802_3;
	else
		proto = ETH_P_802_2;
	return (uint16_t)(proto >> 8 | proto << 8);
}

/* eth_type_trans's pkt_type on the loopback device (address 00:..:00). */
static uint32_t eth_pkt_type(const uint8_t *dest)
{
	static const uint8_t zero[ETH_ALEN], bcast[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

	if (memcmp(dest, zero, ETH_ALEN) == 0)
		return PACKET_HOST;
	if (dest[0] & 1)
		return memcmp(dest, bcast, ETH_ALEN) == 0 ? PACKET_BROADCAST : PACKET_MULTICAST;
	return PACKET_OTHERHOST;
}

/* The kernel (6.x) refuses IPv4 and IPv6 packets too short for their
 * network header, measured against the fixed header only. */
static int check_l3_header(const uint8_t *pkt, size_t size, struct uebpf_error *err)
{
	uint16_t type = (uint16_t)(pkt[12] << 8 | pkt[13]);
	size_t need = type == ETH_P_IP ? 20 : type == ETH_P_IPV6 ? 40 : 0;

	if (size - TR_ETH_HLEN < need)
		return uebpf_err(err, -EINVAL,
				 "test run: the Ethernet type says %s but only %zu bytes follow the "
				 "Ethernet header; the kernel needs the whole %zu-byte header",
				 type == ETH_P_IP ? "IPv4" : "IPv6", size - TR_ETH_HLEN, need);
	return 0;
}

int tr_run_skb(const struct uebpf_prog *prog, const struct progtype_desc *desc,
	       struct uebpf_test_run_opts *opts, struct uebpf_error *err)
{
	bool is_l2 = desc->type == BPF_PROG_TYPE_SCHED_CLS ||
		     desc->type == BPF_PROG_TYPE_SCHED_ACT;
	bool has_ctx = opts->ctx_in || opts->ctx_out;
	size_t size = opts->data_size_in;
	size_t max_size = TR_PAGE_SIZE - TR_SKB_HEADROOM - TR_TAILROOM;
	struct pkt_redirect redirect;
	struct __sk_buff in, skb;
	struct tr_invocation inv;
	struct tr_frame frame;
	uint8_t *l2, *data;
	uint32_t len, wire_len;
	int ret, out_ret;

	if (size < TR_ETH_HLEN || size > max_size)
		return uebpf_err(err, -EINVAL,
				 "test run: an skb test run takes %u to %zu bytes (an Ethernet frame "
				 "in one page), got %zu", TR_ETH_HLEN, max_size, size);
	ret = tr_read_ctx_in(opts, &in, sizeof(in), "struct __sk_buff", err);
	if (ret)
		return ret;
	len = (uint32_t)(is_l2 ? size : size - TR_ETH_HLEN);
	ret = check_skb_ctx_in(&in, desc, len, err);
	if (ret)
		return ret;

	ret = check_l3_header(opts->data_in, size, err);
	if (ret)
		return ret;
	ret = tr_frame_map(&frame, TR_PAGE_SIZE, err);
	if (ret)
		return ret;
	l2 = frame.base + TR_SKB_HEADROOM;
	memcpy(l2, opts->data_in, size);
	data = is_l2 ? l2 : l2 + TR_ETH_HLEN;
	wire_len = in.wire_len ? in.wire_len : len;

	memset(&skb, 0, sizeof(skb));
	skb.len = len;
	skb.pkt_type = eth_pkt_type(l2);
	skb.mark = in.mark;
	skb.protocol = eth_protocol(l2, size);
	skb.priority = in.priority;
	skb.ingress_ifindex = in.ingress_ifindex;
	/* The kernel looks ifindex up (-ENODEV when missing); uebpf has no
	 * devices and takes it as given. */
	skb.ifindex = in.ifindex > TR_LOOPBACK_IFINDEX ? in.ifindex : TR_LOOPBACK_IFINDEX;
	memcpy(skb.cb, in.cb, sizeof(skb.cb));
	if (is_l2) {
		skb.data = (uint32_t)(uintptr_t)data;
		skb.data_end = (uint32_t)(uintptr_t)(data + len);
		skb.data_meta = skb.data;
	}
	skb.tstamp = in.tstamp;
	skb.wire_len = wire_len;
	skb.gso_segs = in.gso_segs;
	skb.gso_size = in.gso_size;
	skb.hwtstamp = in.hwtstamp;

	memset(&redirect, 0, sizeof(redirect));
	memset(&inv, 0, sizeof(inv));
	inv.ctx = &skb;
	inv.ctx_len = sizeof(skb);
	inv.ctx_writable = true;
	inv.regions[0] = (struct uebpf_region){ frame.base, frame.len, true };
	inv.nr_regions = 1;
	inv.extra.use_pkt = true;
	inv.extra.pkt_data = data;
	inv.extra.pkt_len = len;
	inv.extra.redirect = &redirect;

	ret = tr_run_repeat(prog, opts, &inv, err);
	if (ret)
		goto out;
	opts->redirected = redirect.set;
	opts->redirect_ifindex = redirect.set ? redirect.ifindex : 0;

	if (!is_l2) {
		/* The kernel pushes the Ethernet header back as zeros. */
		data -= TR_ETH_HLEN;
		memset(data, 0, TR_ETH_HLEN);
		len += TR_ETH_HLEN;
	}
	out_ret = tr_finish_data(opts, data, len, err);
	if (has_ctx) {
		/* convert_skb_to___skb: what the kernel writes back. */
		struct __sk_buff out = in;

		out.mark = skb.mark;
		out.priority = skb.priority;
		out.ingress_ifindex = in.ingress_ifindex;
		out.ifindex = in.ifindex > TR_LOOPBACK_IFINDEX ? in.ifindex : TR_LOOPBACK_IFINDEX;
		out.tstamp = skb.tstamp;
		memcpy(out.cb, skb.cb, sizeof(out.cb));
		out.wire_len = wire_len;
		out.gso_segs = in.gso_segs;
		out.hwtstamp = in.hwtstamp;
		ret = tr_finish_ctx(opts, &out, sizeof(out), err);
		if (ret)
			goto out;
	}
	ret = out_ret;
out:
	tr_frame_unmap(&frame);
	return ret;
}
