// Finds the newlines of a buffer in order, 64 bytes at a time: one SIMD
// pass builds a bit mask per block, then each newline costs a count of
// trailing zeros, where a memchr call per line cost more than the search.
#ifndef GOTRIAGE_PARSERS_NEWLINES_H_
#define GOTRIAGE_PARSERS_NEWLINES_H_

#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace gotriage {

class NewlineCursor {
 public:
  /// Reads [p, end); never past \a end.
  NewlineCursor(const char* p, const char* end) : blk_(p), end_(end) { Load(); }

  /// The next `\n`, or nullptr when there is none before the end.
  const char* Next() {
    while (mask_ == 0) {
      if (tail_) {
        // The last bytes, fewer than a block: memchr.
        if (blk_ >= end_) return nullptr;
        const char* nl =
            static_cast<const char*>(std::memchr(blk_, '\n', static_cast<size_t>(end_ - blk_)));
        if (!nl) {
          blk_ = end_;
          return nullptr;
        }
        blk_ = nl + 1;
        return nl;
      }
      blk_ += 64;
      Load();
    }
    unsigned i = static_cast<unsigned>(__builtin_ctzll(mask_));
    mask_ &= mask_ - 1;
    return blk_ + i;
  }

 private:
  void Load() {
    if (end_ - blk_ < 64) {
      tail_ = true;
      mask_ = 0;
      return;
    }
#if defined(__SSE2__)
    const __m128i nl = _mm_set1_epi8('\n');
    uint64_t m = 0;
    for (int i = 0; i < 4; ++i) {
      __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(blk_ + 16 * i));
      m |= static_cast<uint64_t>(static_cast<uint16_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(x, nl))))
           << (16 * i);
    }
    mask_ = m;
#else
    uint64_t m = 0;
    for (int i = 0; i < 64; ++i) m |= static_cast<uint64_t>(blk_[i] == '\n') << i;
    mask_ = m;
#endif
  }

  const char* blk_;
  const char* end_;
  uint64_t mask_ = 0;
  bool tail_ = false;
};

}  // namespace gotriage

#endif  // GOTRIAGE_PARSERS_NEWLINES_H_
