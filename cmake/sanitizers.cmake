# Applies MIRROR_SANITIZE and MIRROR_FUZZ to every target defined after this file is included.
# Directory-wide flags (add_compile_options/add_link_options) rather than per-target ones, so
# the library, the daemon, the tests and the fuzz targets are instrumented alike: mixing
# instrumented and uninstrumented code gives ASan container-overflow and TSan false reports.
if(MIRROR_FUZZ AND NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "MIRROR_FUZZ=ON needs clang (libFuzzer): configure with -DCMAKE_CXX_COMPILER=clang++")
endif()

set(_mirror_sanitize "${MIRROR_SANITIZE}")
if(MIRROR_FUZZ AND NOT _mirror_sanitize)
  set(_mirror_sanitize "address,undefined")  # a fuzzer without sanitizers finds only segfaults
endif()

if(_mirror_sanitize)
  if(_mirror_sanitize MATCHES "thread" AND _mirror_sanitize MATCHES "address")
    message(FATAL_ERROR "MIRROR_SANITIZE: thread and address cannot be combined")
  endif()
  set(_flags -fsanitize=${_mirror_sanitize} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang" AND _mirror_sanitize MATCHES "undefined")
    # clang 14's -fsanitize=function puts a signature prologue in every function, which it
    # cannot emit for coroutine frames split across sections ("Cannot represent a difference
    # across sections"); the check only matters for calls through mis-cast function pointers.
    list(APPEND _flags -fno-sanitize=function)
  endif()
  add_compile_options(${_flags})
  add_link_options(${_flags})
  message(STATUS "mcp-mirror: sanitizers ${_mirror_sanitize}")
endif()

if(MIRROR_FUZZ)
  # Coverage instrumentation for everything; only the fuzz targets link libFuzzer's main().
  add_compile_options(-fsanitize=fuzzer-no-link)
  add_link_options(-fsanitize=fuzzer-no-link)
endif()
