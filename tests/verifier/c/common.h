/* SPDX-License-Identifier: MIT */
/* Shared by the verifier's C corpus: the includes a libbpf program uses and
 * a few maps many of the programs need. */
#ifndef UEBPF_VERIFIER_C_COMMON_H
#define UEBPF_VERIFIER_C_COMMON_H

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/pkt_cls.h>
#include <linux/ptrace.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

/* Keeps a value opaque to clang, so a check the program makes (or forgets)
 * is not folded away: the verifier must see the code as written. */
#define OPAQUE(x) ({ __typeof__(x) __v = (x); asm volatile("" : "+r"(__v)); __v; })

char LICENSE[] SEC("license") = "GPL";

#endif
