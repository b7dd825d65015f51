# bpf_for_each_map_elem hands the callback a read-only key.
# type: raw
# map: arr array 4 8 4
# expect: refuse
# reason: the map key is read-only
lddw %r1, map_fd 0
lddw %r2, func cb
mov %r3, 0
mov %r4, 0
call 164
mov %r0, 0
exit
cb:
stw [%r2+0], 0
mov %r0, 0
exit
