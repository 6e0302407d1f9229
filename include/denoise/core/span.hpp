// A minimal non-owning view of contiguous memory (std::span is C++20; the library is C++17).
#pragma once

#include <cstddef>
#include <type_traits>
#include <vector>

#include "macros.hpp"

namespace denoise {

template <class T>
class span {
 public:
  using element_type = T;
  using value_type = std::remove_cv_t<T>;
  using iterator = T*;

  constexpr span() noexcept = default;
  DENOISE_HOST_DEVICE constexpr span(T* data, std::size_t size) noexcept : data_(data), size_(size) {}
  template <class U, class = std::enable_if_t<std::is_convertible<U (*)[], T (*)[]>::value>>
  span(std::vector<U>& v) noexcept : data_(v.data()), size_(v.size()) {}  // NOLINT: implicit by design
  template <class U, class = std::enable_if_t<std::is_convertible<const U (*)[], T (*)[]>::value>>
  span(const std::vector<U>& v) noexcept : data_(v.data()), size_(v.size()) {}  // NOLINT
  template <class U, class = std::enable_if_t<std::is_convertible<U (*)[], T (*)[]>::value>>
  constexpr span(span<U> other) noexcept : data_(other.data()), size_(other.size()) {}  // NOLINT

  DENOISE_HOST_DEVICE constexpr T* data() const noexcept { return data_; }
  DENOISE_HOST_DEVICE constexpr std::size_t size() const noexcept { return size_; }
  DENOISE_HOST_DEVICE constexpr bool empty() const noexcept { return size_ == 0; }
  DENOISE_HOST_DEVICE constexpr T& operator[](std::size_t i) const noexcept { return data_[i]; }
  DENOISE_HOST_DEVICE constexpr T* begin() const noexcept { return data_; }
  DENOISE_HOST_DEVICE constexpr T* end() const noexcept { return data_ + size_; }
  DENOISE_HOST_DEVICE constexpr span subspan(std::size_t offset, std::size_t count) const noexcept {
    return span(data_ + offset, count);
  }

 private:
  T* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace denoise
