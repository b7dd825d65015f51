# The benchmark suite (docs/benchmarks.md): bench/suite/NAME.bpf.c built twice
# with clang-19, as an eBPF object (NAME.bpf.o, for uebpf and the kernel) and
# natively (NAME.native.so, the same C at -O2 through the shim in
# bench/suite/native), plus the driver bench_suite that runs and compares
# them. Run it with bench/run.sh; CTest only runs bench.suite.smoke, which
# checks that every engine returns the same value (no timing).
if(NOT CLANG_BPF)
  message(STATUS "uebpf: clang-19 not found, the benchmark suite is skipped")
  return()
endif()

if(CMAKE_LIBRARY_ARCHITECTURE)
  set(BENCH_BPF_MULTIARCH_INCLUDE /usr/include/${CMAKE_LIBRARY_ARCHITECTURE})
else()
  set(BENCH_BPF_MULTIARCH_INCLUDE /usr/include/x86_64-linux-gnu)
endif()

set(BENCH_SUITE_SRC ${CMAKE_CURRENT_LIST_DIR}/suite)
set(BENCH_SUITE_OUT ${CMAKE_BINARY_DIR}/bench/suite)
file(GLOB BENCH_SUITE_PROGS CONFIGURE_DEPENDS ${BENCH_SUITE_SRC}/*.bpf.c)
file(GLOB BENCH_SUITE_SHIM CONFIGURE_DEPENDS ${BENCH_SUITE_SRC}/native/bpf/*.h)
set(BENCH_SUITE_OUTPUTS "")
foreach(src ${BENCH_SUITE_PROGS})
  get_filename_component(name ${src} NAME_WE)
  set(bpf_out ${BENCH_SUITE_OUT}/${name}.bpf.o)
  set(native_out ${BENCH_SUITE_OUT}/${name}.native.so)
  add_custom_command(
    OUTPUT ${bpf_out}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${BENCH_SUITE_OUT}
    COMMAND ${CLANG_BPF} -O2 -g -target bpf -mcpu=v3 -Wall -Werror
            -I${BENCH_BPF_MULTIARCH_INCLUDE} -c ${src} -o ${bpf_out}
    DEPENDS ${src}
    COMMENT "clang-19 -target bpf bench/suite/${name}.bpf.c"
    VERBATIM)
  # The physical limit: the same C, native, -O2, no -march (as the library).
  add_custom_command(
    OUTPUT ${native_out}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${BENCH_SUITE_OUT}
    COMMAND ${CLANG_BPF} -O2 -fPIC -shared -Wall -Werror
            -I${BENCH_SUITE_SRC}/native ${src} -o ${native_out}
    DEPENDS ${src} ${BENCH_SUITE_SHIM}
    COMMENT "clang-19 -O2 (native) bench/suite/${name}.bpf.c"
    VERBATIM)
  list(APPEND BENCH_SUITE_OUTPUTS ${bpf_out} ${native_out})
endforeach()
add_custom_target(bench_suite_programs ALL DEPENDS ${BENCH_SUITE_OUTPUTS})

add_executable(bench_suite ${CMAKE_CURRENT_LIST_DIR}/bench_suite.c)
# Linking the object library (not the archive) keeps every library object in
# the executable, so the weak reference to uebpf_helper_set_create_linux
# resolves whenever the library has it; ENABLE_EXPORTS (-rdynamic) lets the
# native shared objects call the map functions of this very executable.
target_link_libraries(bench_suite PRIVATE uebpf_objs ${CMAKE_DL_LIBS} m)
set_target_properties(bench_suite PROPERTIES ENABLE_EXPORTS ON)
target_compile_definitions(bench_suite PRIVATE BENCH_SUITE_DIR="${BENCH_SUITE_OUT}")
add_dependencies(bench_suite bench_suite_programs)

if(BUILD_TESTING)
  add_test(NAME bench.suite.smoke COMMAND bench_suite --smoke --dir ${BENCH_SUITE_OUT})
  set_tests_properties(bench.suite.smoke PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300)
endif()
