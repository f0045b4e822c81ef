// Linked into the static builds only (cmake/Static.cmake). parsers/grouping.cc
// calls XXH3 through xxh_x86dispatch.h, i.e. XXH3_64bits_dispatch, which
// Debian's libxxhash0 shared library provides but its libxxhash.a does not
// (the archive is built without xxh_x86dispatch.c, and the .c is not
// shipped). Here the dispatch entry point is the archive's XXH3_64bits,
// compiled for the x86-64 baseline (SSE2): the static binary must run on any
// x86-64 machine, and stacks are hashed only when the known-stack trie
// misses, so the AVX2 path is not worth a second copy of xxHash here.
#include <xxhash.h>

extern "C" XXH64_hash_t XXH3_64bits_dispatch(const void* input, size_t len) {
  return XXH3_64bits(input, len);
}
