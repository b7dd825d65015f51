# Conformance vectors (read in place from ${UEBPF_SHARED_DIR}/conformance,
# never copied into the repo), checked by `uebpf conformance`. run.sh skips
# (exit 77) when the vectors are not beside the repo.
set(UEBPF_CONFORMANCE_DIR ${UEBPF_SHARED_DIR}/conformance)
set(UEBPF_CONFORMANCE_RUN bash ${CMAKE_CURRENT_LIST_DIR}/run.sh ${UEBPF_CONFORMANCE_DIR})

add_test(NAME conformance.tests
  COMMAND ${UEBPF_CONFORMANCE_RUN} $<TARGET_FILE:uebpf> conformance
          ${UEBPF_CONFORMANCE_DIR}/tests)
# Every vector there must be reported as failed: --expect-fail inverts each
# verdict, so the run succeeds only when all of them fail.
add_test(NAME conformance.negative
  COMMAND ${UEBPF_CONFORMANCE_RUN} $<TARGET_FILE:uebpf> conformance --expect-fail
          ${UEBPF_CONFORMANCE_DIR}/negative)
set(UEBPF_CONFORMANCE_TESTS conformance.tests conformance.negative)

if(EXISTS ${CMAKE_SOURCE_DIR}/src/jit/jit.c)
  add_test(NAME conformance.tests.jit
    COMMAND ${UEBPF_CONFORMANCE_RUN} $<TARGET_FILE:uebpf> conformance --engine jit
            ${UEBPF_CONFORMANCE_DIR}/tests)
  add_test(NAME conformance.negative.jit
    COMMAND ${UEBPF_CONFORMANCE_RUN} $<TARGET_FILE:uebpf> conformance --engine jit
            --expect-fail ${UEBPF_CONFORMANCE_DIR}/negative)
  list(APPEND UEBPF_CONFORMANCE_TESTS conformance.tests.jit conformance.negative.jit)
endif()

set_tests_properties(${UEBPF_CONFORMANCE_TESTS} PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 600)
