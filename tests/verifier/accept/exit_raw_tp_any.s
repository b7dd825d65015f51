# fmod_ret may return anything (BPF_MODIFY_RETURN).
# type: tracing
# attach: 26
# expect: accept
call 7
exit
