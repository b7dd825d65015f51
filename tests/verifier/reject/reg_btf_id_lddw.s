# Kernel BTF object loads are not available.
# type: raw
# expect: refuse
# reason: not supported
lddw %r1, btf_id 7
mov %r0, 0
exit
