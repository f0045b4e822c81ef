// Chunked input reading; see input.h.
#include "parsers/input.h"

#include <errno.h>
#include <poll.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cstring>

#include "parsers/grouping.h"

namespace gotriage {

void LineSplitter::Emit(std::string_view line, bool unterminated) {
  ++lineno_;
  if (demux_) demux_->Feed(line, lineno_, unterminated, cut_);
  else env_->Feed(line, lineno_, unterminated, cut_);
  cut_ = false;
}

bool LineSplitter::Sniffed(const char* data, size_t n, bool at_end) {
  if (route_ == Route::kBinary) {
    sniff_->take(std::string_view(data, n));
    return true;
  }
  // The decision sees exactly the first head_bytes (or all there is at the
  // end), however the input arrived: a 1-byte read and a 1 MiB read of the
  // same bytes must route alike. Only those bytes are held back, and only
  // when they came in pieces: the first read's megabyte is not copied (and
  // its pages faulted in) to be cut into lines from the copy.
  const size_t want = sniff_->head_bytes;
  std::string head;
  std::string_view decide;
  size_t held = 0;  // bytes of this piece in head
  if (head_.empty() && (n >= want || at_end)) {
    decide = std::string_view(data, std::min(n, want));
  } else {
    held = std::min(n, want - head_.size());  // head_ holds fewer than want
    head_.append(data, held);
    if (head_.size() < want && !at_end) return true;
    head = std::move(head_);
    head_.clear();
    decide = head;
  }
  route_ = sniff_->is_binary(decide) ? Route::kBinary : Route::kText;
  if (route_ == Route::kBinary) {
    if (!head.empty()) sniff_->take(head);
    if (n > held) sniff_->take(std::string_view(data + held, n - held));
  } else {
    if (!head.empty()) WriteText(head.data(), head.size());
    if (n > held) WriteText(data + held, n - held);
  }
  return true;
}

void LineSplitter::Write(const char* data, size_t n) {
  if (sniff_ && route_ != Route::kText && Sniffed(data, n, false)) return;
  WriteText(data, n);
}

void LineSplitter::WriteText(const char* data, size_t n) {
  if (keep_) {
    if (keep_->size() + n <= keep_max_) {
      keep_->append(data, n);
    } else {
      keep_->clear();
      keep_->shrink_to_fit();
      keep_ = nullptr;
    }
  }
  if (sniffed_ < 4096) {
    // Text has no NUL; a core dump or an executable has them early (a
    // protobuf profile was routed away above). Once per input, not per line.
    size_t k = static_cast<size_t>(std::min<uint64_t>(n, 4096 - sniffed_));
    if (std::memchr(data, '\0', k)) binary_ = true;
    sniffed_ += k;
  }
  const char* p = data;
  const char* end = data + n;
  while (p < end) {
    if (fast_lane_ && carry_.empty() && !skipping_) {
      size_t lines = 0;
      std::string_view run(p, static_cast<size_t>(end - p));
      size_t took = demux_ ? demux_->TakeRun(run, lineno_ + 1, max_line_, &lines)
                           : env_->TakeRun(run, lineno_ + 1, max_line_, &lines);
      // Then the line it stopped at goes the slow way.
      p += took;
      lineno_ += lines;
      if (p >= end) break;
    }
    const char* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)));
    if (skipping_) {
      if (!nl) return;
      skipping_ = false;
      p = nl + 1;
      continue;
    }
    if (!nl) {
      size_t take = static_cast<size_t>(end - p);
      if (carry_.size() + take > max_line_) {
        carry_.append(p, max_line_ - carry_.size());
        NoteLimit(notes_, "lines longer than --max-line-bytes (cut)");
        cut_ = true;
        Emit(carry_, false);
        carry_.clear();
        skipping_ = true;
        return;
      }
      carry_.append(p, take);
      return;
    }
    size_t len = static_cast<size_t>(nl - p);
    if (carry_.empty()) {
      if (len > max_line_) {
        NoteLimit(notes_, "lines longer than --max-line-bytes (cut)");
        cut_ = true;
        len = max_line_;
      }
      Emit(std::string_view(p, len), false);
    } else {
      if (carry_.size() + len > max_line_) {
        NoteLimit(notes_, "lines longer than --max-line-bytes (cut)");
        cut_ = true;
        len = max_line_ - carry_.size();
      }
      carry_.append(p, len);
      Emit(carry_, false);
      carry_.clear();
    }
    p = nl + 1;
  }
}

void LineSplitter::Close() {
  if (sniff_ && route_ == Route::kUndecided && !head_.empty()) Sniffed("", 0, true);
  if (!carry_.empty()) {
    Emit(carry_, true);
    carry_.clear();
  }
  skipping_ = false;
  if (demux_) demux_->End();
  else env_->End();
}

namespace {

constexpr size_t kChunk = 1 << 20;

class Inflater {
 public:
  Inflater() {
    std::memset(&zs_, 0, sizeof zs_);
    ok_ = inflateInit2(&zs_, 16 + MAX_WBITS) == Z_OK;
  }
  ~Inflater() { inflateEnd(&zs_); }
  // Inflates \a n bytes; false on a corrupt stream.
  bool Write(const char* data, size_t n, LineSplitter* out, std::string* err) {
    if (!ok_) {
      *err = "cannot initialise zlib";
      return false;
    }
    zs_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data));
    zs_.avail_in = static_cast<uInt>(n);
    while (zs_.avail_in > 0) {
      if (ended_) {
        // Concatenated gzip members (as `cat a.gz b.gz` makes).
        if (inflateReset(&zs_) != Z_OK) return false;
        ended_ = false;
      }
      zs_.next_out = reinterpret_cast<Bytef*>(buf_);
      zs_.avail_out = sizeof buf_;
      int r = inflate(&zs_, Z_NO_FLUSH);
      size_t got = sizeof buf_ - zs_.avail_out;
      if (got) out->Write(buf_, got);
      if (r == Z_STREAM_END) {
        ended_ = true;
      } else if (r != Z_OK && r != Z_BUF_ERROR) {
        *err = std::string("corrupt gzip data: ") + (zs_.msg ? zs_.msg : "inflate failed");
        return false;
      } else if (r == Z_BUF_ERROR && got == 0) {
        break;
      }
    }
    return true;
  }
  bool complete() const { return ended_; }

 private:
  z_stream zs_;
  bool ok_ = false;
  bool ended_ = false;
  char buf_[1 << 16];
};

bool IsGzip(const char* p, size_t n) {
  return n >= 2 && static_cast<unsigned char>(p[0]) == 0x1f &&
         static_cast<unsigned char>(p[1]) == 0x8b;
}

}  // namespace

bool ReadAll(int fd, LineSplitter* splitter, uint64_t* bytes, std::string* err, int idle_ms,
             const std::function<void()>& on_idle) {
  std::unique_ptr<char[]> buf(new char[kChunk]);
  std::unique_ptr<Inflater> gz;
  bool first = true;
  bool ok = true;
  bool idle_reported = false;
  for (;;) {
    if (idle_ms > 0 && on_idle) {
      struct pollfd p = {fd, POLLIN, 0};
      int r = poll(&p, 1, idle_ms);
      if (r == 0) {
        if (!idle_reported) on_idle();
        idle_reported = true;
        continue;
      }
      if (r < 0 && errno == EINTR) continue;
      idle_reported = false;
    }
    ssize_t n = read(fd, buf.get(), kChunk);
    if (n < 0) {
      if (errno == EINTR) continue;
      *err = std::string("read error: ") + std::strerror(errno);
      ok = false;
      break;
    }
    if (n == 0) break;
    *bytes += static_cast<uint64_t>(n);
    if (first) {
      first = false;
      if (IsGzip(buf.get(), static_cast<size_t>(n))) gz = std::make_unique<Inflater>();
    }
    if (gz) {
      if (!gz->Write(buf.get(), static_cast<size_t>(n), splitter, err)) {
        ok = false;
        break;
      }
    } else {
      splitter->Write(buf.get(), static_cast<size_t>(n));
    }
  }
  if (ok && gz && !gz->complete()) {
    *err = "gzip data ends early (truncated .gz)";
    ok = false;
  }
  splitter->Close();
  return ok;
}

bool ReadBuffer(std::string_view data, LineSplitter* splitter, std::string* err, size_t piece) {
  bool ok = true;
  if (piece == 0) piece = data.size();
  if (IsGzip(data.data(), data.size())) {
    Inflater gz;
    for (size_t at = 0; ok && at < data.size(); at += piece)
      ok = gz.Write(data.data() + at, std::min(piece, data.size() - at), splitter, err);
    if (ok && !gz.complete()) {
      *err = "gzip data ends early (truncated .gz)";
      ok = false;
    }
  } else {
    for (size_t at = 0; at < data.size(); at += piece)
      splitter->Write(data.data() + at, std::min(piece, data.size() - at));
  }
  splitter->Close();
  return ok;
}

}  // namespace gotriage
