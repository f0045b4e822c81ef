# A portable gotriage: one file with no shared library at all (glibc,
# libstdc++, RE2, zlib and xxHash linked in), to copy into a pod or a CI
# image that lacks the libraries. Debian ships every archive it needs:
# libre2.a (RE2 2022-12-01, no abseil), libz.a, libxxhash.a, libstdc++.a,
# libc.a (but libxxhash.a without xxHash's x86 dispatcher: see
# parsers/static/xxhash_dispatch.cc). gotriage calls nothing that needs glibc's NSS or dlopen, so a
# fully static link is safe.
#
#   -DGOTRIAGE_STATIC=ON   `gotriage` itself is linked static (install and
#                          package it like the normal build)
#   ninja gotriage-static  the same objects linked static beside the normal
#                          binary (not built by default; the e2e test
#                          tests/install/static_binary.sh builds it: a link,
#                          no compile)
option(GOTRIAGE_STATIC "Link gotriage fully static (portable binary)" OFF)

# pkg-config and FindZLIB name the shared objects by full path, which a
# -static link rejects. Targets with the GOTRIAGE_LINK_STATIC property get
# the archives instead, through the libraries' link interface; everything
# else links as before.
set(_gotriage_static_swaps "PkgConfig::RE2=re2" "PkgConfig::XXHASH=xxhash" "ZLIB::ZLIB=z")
get_target_property(_links gotriage_parsers INTERFACE_LINK_LIBRARIES)
set(_new_links "")
foreach(item IN LISTS _links)
  set(_swapped FALSE)
  foreach(swap IN LISTS _gotriage_static_swaps)
    string(REPLACE "=" ";" swap "${swap}")
    list(GET swap 0 _target)
    list(GET swap 1 _lib)
    if(item STREQUAL _target)
      string(TOUPPER "${_lib}" _up)
      find_library(GOTRIAGE_STATIC_${_up} NAMES lib${_lib}.a)
      if(GOTRIAGE_STATIC_${_up})
        list(APPEND _new_links
             "$<IF:$<BOOL:$<TARGET_PROPERTY:GOTRIAGE_LINK_STATIC>>,${GOTRIAGE_STATIC_${_up}},${item}>")
        set(_swapped TRUE)
      elseif(GOTRIAGE_STATIC)
        message(FATAL_ERROR "GOTRIAGE_STATIC: lib${_lib}.a not found (its -dev package ships it)")
      endif()
    endif()
  endforeach()
  if(NOT _swapped)
    list(APPEND _new_links "${item}")
  endif()
endforeach()
set_property(TARGET gotriage_parsers PROPERTY INTERFACE_LINK_LIBRARIES "${_new_links}")

# Debian's libxxhash.a lacks the x86 dispatcher (see the file).
set(GOTRIAGE_STATIC_SRCS ${PROJECT_SOURCE_DIR}/parsers/static/xxhash_dispatch.cc)

# The default build links the same archives and the C++ runtime into
# `gotriage` but keeps glibc shared (so getaddrinfo, for --alertmanager's
# host, goes through the system's NSS as usual). The dynamic loader then
# maps and relocates libc alone instead of six libraries: a run on a small
# input takes 2.1 ms instead of 3.2 (`perf stat -r 50 gotriage --format
# json` on a one-line file; fully static: 1.3 ms), a millisecond off every
# invocation, as wc or grep start. Sanitizer and fuzz builds keep the shared
# libraries (the sanitizers' runtimes expect a shared libstdc++).
if(GOTRIAGE_SANITIZE OR GOTRIAGE_FUZZ)
  set(_static_deps_default OFF)
else()
  set(_static_deps_default ON)
endif()
option(GOTRIAGE_STATIC_DEPS "Link RE2, zlib, xxHash and the C++ runtime into gotriage (glibc stays shared)"
       ${_static_deps_default})

if(GOTRIAGE_STATIC)
  set_target_properties(gotriage PROPERTIES GOTRIAGE_LINK_STATIC ON)
  target_sources(gotriage PRIVATE ${GOTRIAGE_STATIC_SRCS})
  target_link_options(gotriage PRIVATE -static)
elseif(GOTRIAGE_STATIC_DEPS AND GOTRIAGE_STATIC_RE2 AND GOTRIAGE_STATIC_Z AND GOTRIAGE_STATIC_XXHASH)
  set_target_properties(gotriage PROPERTIES GOTRIAGE_LINK_STATIC ON)
  target_sources(gotriage PRIVATE ${GOTRIAGE_STATIC_SRCS})
  target_link_options(gotriage PRIVATE -static-libstdc++ -static-libgcc)
endif()

add_executable(gotriage_static EXCLUDE_FROM_ALL ${PROJECT_SOURCE_DIR}/cli/main.cc ${GOTRIAGE_STATIC_SRCS})
target_link_libraries(gotriage_static PRIVATE gotriage_cli)
target_link_options(gotriage_static PRIVATE -static)
set_target_properties(gotriage_static PROPERTIES OUTPUT_NAME gotriage-static GOTRIAGE_LINK_STATIC ON)
