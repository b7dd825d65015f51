# Verifier soundness fuzzing: generated programs (vgen: pointer arithmetic,
# bounds checks right / off by one / missing, packet checks, map values,
# spills) are verified and every accepted one runs in an exact-region shadow
# interpreter, the checked interpreter and, in a child, unchecked. Any fault
# of an accepted program is a verifier bug. See docs/verifier.md.
add_executable(vsound
  ${CMAKE_CURRENT_LIST_DIR}/vsound.c
  ${CMAKE_CURRENT_LIST_DIR}/vgen.c
  ${CMAKE_CURRENT_LIST_DIR}/shadow.c
  ${CMAKE_CURRENT_LIST_DIR}/../kernel/progen.c)
target_include_directories(vsound PRIVATE ${CMAKE_CURRENT_LIST_DIR} ${CMAKE_CURRENT_LIST_DIR}/../kernel)
target_link_libraries(vsound PRIVATE uebpf_static)
# A fixed seed keeps CI reproducible; long runs: vsound --count N --seed S.
# Fewer programs under the sanitizers, which make every run several times slower.
if(UEBPF_SANITIZE)
  set(UEBPF_VSOUND_COUNT 60000)
else()
  set(UEBPF_VSOUND_COUNT 200000)
endif()
add_test(NAME verifier.soundness COMMAND vsound --count ${UEBPF_VSOUND_COUNT} --seed 1)
set_tests_properties(verifier.soundness PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 600)
