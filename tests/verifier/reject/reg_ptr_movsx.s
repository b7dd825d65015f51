# Sign-extending a pointer.
# type: raw
# expect: refuse
# reason: sign extension of a pointer
movsx3264 %r1, %r10
mov %r0, 0
exit
