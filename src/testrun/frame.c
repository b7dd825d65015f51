/* SPDX-License-Identifier: MIT */
/*
 * Packet frames below 4 GiB: struct xdp_md and struct __sk_buff hold the
 * packet's addresses in 32-bit fields (the kernel rewrites those loads into
 * 64-bit ones; uebpf runs the program's loads as written), so the frame must
 * have addresses that fit. MAP_32BIT places a mapping in the first 2 GiB.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "common/error.h"
#include "testrun/testrun_internal.h"

int tr_frame_map(struct tr_frame *frame, size_t len, struct uebpf_error *err)
{
	size_t rounded = (len + TR_PAGE_SIZE - 1) & ~(size_t)(TR_PAGE_SIZE - 1);
	void *p;

	frame->base = NULL;
	frame->len = 0;
	p = mmap(NULL, rounded, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT,
		 -1, 0);
	if (p == MAP_FAILED)
		return uebpf_err(err, -errno,
				 "test run: cannot map a %zu-byte packet frame below 4 GiB "
				 "(mmap MAP_32BIT: %s); the context's 32-bit data fields need one",
				 rounded, strerror(errno));
	if ((uintptr_t)p + rounded > 0xffffffffull) {
		munmap(p, rounded);
		return uebpf_err(err, -ENOMEM,
				 "test run: the kernel placed the packet frame above 4 GiB despite "
				 "MAP_32BIT; the context's 32-bit data fields cannot address it");
	}
	frame->base = p;
	frame->len = rounded;
	return 0;
}

void tr_frame_unmap(struct tr_frame *frame)
{
	if (frame->base)
		munmap(frame->base, frame->len);
	frame->base = NULL;
	frame->len = 0;
}
