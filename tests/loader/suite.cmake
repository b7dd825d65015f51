# Objects the loader must refuse (tests/loader/bad/*.bpf.c: kfunc calls,
# __kconfig externs, CO-RE, static programs), and the wiring that hands them
# and the examples (examples/*.cmake) to tests/unit/test_loader.c. Without
# clang-19 the objects do not exist and the tests needing them skip.
get_property(UEBPF_EXAMPLES_DIR GLOBAL PROPERTY UEBPF_EXAMPLES_DIR)
set(UEBPF_LOADER_BAD_DIR ${CMAKE_BINARY_DIR}/tests/loader/bad)

if(CLANG_BPF)
  if(CMAKE_LIBRARY_ARCHITECTURE)
    set(_loader_multiarch /usr/include/${CMAKE_LIBRARY_ARCHITECTURE})
  else()
    set(_loader_multiarch /usr/include/x86_64-linux-gnu)
  endif()
  file(GLOB _loader_bad_sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/bad/*.bpf.c)
  set(_loader_bad_outputs "")
  foreach(src ${_loader_bad_sources})
    get_filename_component(name ${src} NAME_WE)
    set(out ${UEBPF_LOADER_BAD_DIR}/${name}.bpf.o)
    add_custom_command(
      OUTPUT ${out}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${UEBPF_LOADER_BAD_DIR}
      COMMAND ${CLANG_BPF} -O2 -g -target bpf -mcpu=v3 -Wall -Werror
              -I${_loader_multiarch} -c ${src} -o ${out}
      DEPENDS ${src}
      COMMENT "clang-19 -target bpf tests/loader/bad/${name}.bpf.c"
      VERBATIM)
    list(APPEND _loader_bad_outputs ${out})
  endforeach()
  add_custom_target(uebpf_loader_bad_objects ALL DEPENDS ${_loader_bad_outputs})
endif()

if(TARGET test_loader)
  target_compile_definitions(test_loader PRIVATE
    UEBPF_EXAMPLES_DIR="${UEBPF_EXAMPLES_DIR}"
    UEBPF_LOADER_BAD_DIR="${UEBPF_LOADER_BAD_DIR}")
  if(TARGET uebpf_examples)
    add_dependencies(test_loader uebpf_examples)
  endif()
  if(TARGET uebpf_loader_bad_objects)
    add_dependencies(test_loader uebpf_loader_bad_objects)
  endif()
endif()
