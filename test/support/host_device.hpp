// Moving test values between the host (std::vector<double>, whatever the backend's scalar) and a
// backend's vectors or matrices, for tests written once over every backend.
#pragma once

#include <vector>

namespace denoise {
namespace test {

/// host values -> a B::vector, converted to B's scalar.
template <class B>
typename B::vector device(const std::vector<double>& host) {
  std::vector<typename B::scalar> h(host.begin(), host.end());
  typename B::vector v;
  B::from_host(h, v);
  return v;
}

/// A B::vector or B::matrix (row-major values) -> host doubles.
template <class B, class C>
std::vector<double> host(const C& c) {
  std::vector<typename B::scalar> out;
  B::to_host(c, out);
  return {out.begin(), out.end()};
}

}  // namespace test
}  // namespace denoise
