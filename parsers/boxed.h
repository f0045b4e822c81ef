// Boxed<T>: an optional value kept on the heap, with std::optional's
// interface (has_value, *, ->, emplace, reset, = T, = std::nullopt).
//
// For the large parts of a model record that most records lack: an
// Incident held a crashing goroutine, a `runtime stack:` block, a signal,
// a race report and a pprof top listing inline, 1,032 of its 1,608 bytes,
// and a fleet of thousands of crash logs holds thousands of incidents. A
// Boxed member costs one pointer when empty and deep-copies like the value.
#ifndef GOTRIAGE_PARSERS_BOXED_H_
#define GOTRIAGE_PARSERS_BOXED_H_

#include <memory>
#include <optional>
#include <utility>

namespace gotriage {

template <class T>
class Boxed {
 public:
  Boxed() = default;
  Boxed(std::nullopt_t) {}  // NOLINT(google-explicit-constructor): as std::optional
  Boxed(const T& v) : p_(std::make_unique<T>(v)) {}  // NOLINT(google-explicit-constructor)
  Boxed(T&& v) : p_(std::make_unique<T>(std::move(v))) {}  // NOLINT(google-explicit-constructor)
  Boxed(const Boxed& o) : p_(o.p_ ? std::make_unique<T>(*o.p_) : nullptr) {}
  Boxed(Boxed&& o) noexcept = default;
  ~Boxed() = default;

  Boxed& operator=(const Boxed& o) {
    if (this != &o) p_ = o.p_ ? std::make_unique<T>(*o.p_) : nullptr;
    return *this;
  }
  Boxed& operator=(Boxed&& o) noexcept = default;
  Boxed& operator=(std::nullopt_t) {
    p_.reset();
    return *this;
  }
  Boxed& operator=(const T& v) {
    p_ = std::make_unique<T>(v);
    return *this;
  }
  Boxed& operator=(T&& v) {
    p_ = std::make_unique<T>(std::move(v));
    return *this;
  }

  template <class... Args>
  T& emplace(Args&&... args) {
    p_ = std::make_unique<T>(std::forward<Args>(args)...);
    return *p_;
  }
  void reset() { p_.reset(); }

  bool has_value() const { return p_ != nullptr; }
  explicit operator bool() const { return p_ != nullptr; }
  T& operator*() { return *p_; }
  const T& operator*() const { return *p_; }
  T* operator->() { return p_.get(); }
  const T* operator->() const { return p_.get(); }
  T& value() { return *p_; }
  const T& value() const { return *p_; }

  friend bool operator==(const Boxed& b, std::nullopt_t) { return !b.p_; }

 private:
  std::unique_ptr<T> p_;
};

}  // namespace gotriage

#endif  // GOTRIAGE_PARSERS_BOXED_H_
