/* SPDX-License-Identifier: MIT */
/*
 * XDP test runs, as the kernel's bpf_prog_test_run_xdp: a one-page frame with
 * XDP_PACKET_HEADROOM before the packet and skb_shared_info's room at the
 * end, metadata taken from the start of data_in when ctx_in says so, and the
 * loopback device's first queue as the receiving queue.
 */
#include <errno.h>
#include <string.h>

#include "common/error.h"
#include "helpers/pkt_ctx.h"
#include "testrun/testrun_internal.h"

/* The kernel's checks on a user-supplied struct xdp_md. */
static int check_xdp_md(const struct xdp_md *md, size_t size, struct uebpf_error *err)
{
	if (md->data_meta)
		return uebpf_err(err, -EINVAL,
				 "test run: ctx_in data_meta must be 0 (no data before the metadata)");
	if (md->data_end != size)
		return uebpf_err(err, -EINVAL,
				 "test run: ctx_in data_end is %u but must equal the input size %zu "
				 "(also when only ctx_out is given: pass a struct xdp_md with data_end set)",
				 md->data_end, size);
	if (md->data > md->data_end)
		return uebpf_err(err, -EINVAL,
				 "test run: ctx_in data (the metadata length, %u) is past data_end (%u)",
				 md->data, md->data_end);
	if (md->data % 4 || md->data > PKT_META_MAX)
		return uebpf_err(err, -EINVAL,
				 "test run: ctx_in data (the metadata length) is %u; it must be a "
				 "multiple of 4 and at most %u", md->data, PKT_META_MAX);
	if (md->egress_ifindex)
		return uebpf_err(err, -EINVAL,
				 "test run: ctx_in egress_ifindex must be 0 (only devmap programs have one)");
	if (!md->ingress_ifindex && md->rx_queue_index)
		return uebpf_err(err, -EINVAL,
				 "test run: ctx_in rx_queue_index %u needs an ingress_ifindex",
				 md->rx_queue_index);
	return 0;
}

int tr_run_xdp(const struct uebpf_prog *prog, const struct progtype_desc *desc,
	       struct uebpf_test_run_opts *opts, struct uebpf_error *err)
{
	bool has_ctx = opts->ctx_in || opts->ctx_out;
	size_t size = opts->data_size_in, headroom = TR_XDP_HEADROOM, max_size;
	struct xdp_md md_in;
	struct pkt_xdp_buff x;
	struct tr_invocation inv;
	struct tr_frame frame;
	int ret, out_ret;

	(void)desc;
	if (opts->expected_attach_type == BPF_XDP_DEVMAP ||
	    opts->expected_attach_type == BPF_XDP_CPUMAP)
		return uebpf_err(err, -EINVAL,
				 "test run: '%s' is an XDP program for %s entries, which the kernel "
				 "does not test-run; test a program of SEC(\"xdp\") instead",
				 prog->name ? prog->name : "",
				 opts->expected_attach_type == BPF_XDP_DEVMAP ? "devmap" : "cpumap");
	ret = tr_read_ctx_in(opts, &md_in, sizeof(md_in), "struct xdp_md", err);
	if (ret)
		return ret;
	if (has_ctx) {
		ret = check_xdp_md(&md_in, size, err);
		if (ret)
			return ret;
		headroom -= md_in.data;
	}
	max_size = TR_PAGE_SIZE - headroom - TR_TAILROOM;
	if (size < TR_ETH_HLEN)
		return uebpf_err(err, -EINVAL,
				 "test run: an XDP packet needs at least %u bytes (an Ethernet header), "
				 "got %zu", TR_ETH_HLEN, size);
	if (size > max_size)
		return uebpf_err(err, -EOPNOTSUPP,
				 "test run: %zu bytes do not fit one XDP frame (at most %zu here); "
				 "multi-buffer (frags) packets are not supported", size, max_size);

	ret = tr_frame_map(&frame, TR_PAGE_SIZE, err);
	if (ret)
		return ret;
	memset(&x, 0, sizeof(x));
	x.hard_start = frame.base;
	x.hard_end = frame.base + TR_PAGE_SIZE - TR_TAILROOM;
	x.reserved = PKT_XDP_FRAME_RESERVED;
	x.data_meta = frame.base + headroom;
	x.data = x.data_meta + (has_ctx ? md_in.data : 0);
	x.data_end = x.data_meta + size;
	x.meta_supported = true;
	memcpy(x.data_meta, opts->data_in, size);
	pkt_xdp_sync_md(&x);
	/* Without ctx_in the kernel receives on the loopback device's queue 0. */
	x.md.ingress_ifindex = has_ctx && md_in.ingress_ifindex ? md_in.ingress_ifindex
								 : TR_LOOPBACK_IFINDEX;
	x.md.rx_queue_index = has_ctx ? md_in.rx_queue_index : 0;

	memset(&inv, 0, sizeof(inv));
	inv.ctx = &x.md;
	inv.ctx_len = sizeof(x.md);
	inv.ctx_writable = false;
	inv.regions[0] = (struct uebpf_region){ frame.base, frame.len, true };
	inv.nr_regions = 1;
	inv.extra.xdp = &x;
	inv.extra.redirect = &x.redirect;

	ret = tr_run_repeat(prog, opts, &inv, err);
	if (ret)
		goto out;
	if (!(x.hard_start <= x.data_meta && x.data_meta <= x.data && x.data <= x.data_end &&
	      x.data_end <= x.hard_end)) {
		ret = uebpf_err(err, -EFAULT,
				"test run: after the run the packet pointers are out of order "
				"(meta %+td, data %+td, end %+td from the frame start): a helper "
				"moved them wrongly", x.data_meta - x.hard_start,
				x.data - x.hard_start, x.data_end - x.hard_start);
		goto out;
	}
	opts->redirected = x.redirect.set;
	opts->redirect_ifindex = x.redirect.set ? x.redirect.ifindex : 0;

	out_ret = tr_finish_data(opts, x.data_meta, (size_t)(x.data_end - x.data_meta), err);
	if (has_ctx) {
		struct xdp_md md_out = md_in;

		/* As xdp_convert_buff_to_md: offsets from data_meta. */
		md_out.data = (uint32_t)(x.data - x.data_meta);
		md_out.data_end = (uint32_t)(x.data_end - x.data_meta);
		ret = tr_finish_ctx(opts, &md_out, sizeof(md_out), err);
		if (ret)
			goto out;
	}
	ret = out_ret;
out:
	tr_frame_unmap(&frame);
	return ret;
}
