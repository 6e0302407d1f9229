// Small host-side helpers for the backend tests.
#pragma once

#include <cstdint>
#include <vector>

#include <denoise/core/random.hpp>
#include <denoise/core/types.hpp>

namespace denoise {
namespace test {

template <class B>
typename B::matrix make_matrix(index_t rows, index_t cols, std::uint64_t seed) {
  typename B::matrix m(rows, cols);
  B::fill_uniform(m, seed, typename B::scalar(-1), typename B::scalar(1));
  return m;
}

template <class B>
std::vector<typename B::scalar> host(const typename B::matrix& m) {
  std::vector<typename B::scalar> out;
  B::to_host(m, out);
  return out;
}

template <class B, class V>
auto host_vec(const V& v) {
  std::vector<typename V::value_type> out;
  B::to_host(v, out);
  return out;
}

}  // namespace test
}  // namespace denoise
