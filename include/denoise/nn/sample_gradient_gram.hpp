// sample_gradient_gram: the dot products of every sample's gradient at two parameter points a and
// b, from the logit gradients of one forward at each point (logit_gradients.hpp) and each
// sample's logit coefficients c_x[s, p] = d l_s / d z_{group(s), p} at x:
//   g_s(x) = sum_p c_x[s, p] dz_{group(s), p}(x) / d theta
//   aa[s] += |g_s(a)|^2,   ab[s] += g_s(a) . g_s(b),   bb[s] += |g_s(b)|^2      (one entry's share)
// Per sample and entry it costs O(group_size^2 * (in + out)), never O(the parameter's size): the
// products of the factored gradients are taken row by row (see logit_gradients.hpp). Each sample
// sums in double, in a fixed order: deterministic at any thread count.
#pragma once

#include <cmath>
#include <cstddef>
#include <string>

#include "../core/error.hpp"
#include "../core/macros.hpp"
#include "logit_gradients.hpp"

namespace denoise {
namespace nn {
namespace kernels {

/// One logit_gradients entry's share of aa, ab and bb, one thread per sample.
template <class S, class I>
struct sample_gram_entry {
  const S* ca;  ///< samples x group_size coefficients at a
  const S* cb;  ///< ... at b
  std::size_t group_size;
  std::size_t per;  ///< samples per group
  const I* keys;    ///< table rows (tables), nullptr for dense entries
  const S* la;      ///< left factors at a and b (nullptr: ones)
  const S* lb;
  std::size_t lcols;
  const S* ra;  ///< right factors (nullptr: ones)
  const S* rb;
  std::size_t rcols;
  S* aa;
  S* ab;
  S* bb;
  const S* kernel = nullptr;  ///< propagated tables: K (kernel_cols square), else nullptr
  std::size_t kernel_cols = 0;
  std::size_t terms = 1;      ///< keys and right rows per logit

  DENOISE_HOST_DEVICE static double row_dot(const S* x, std::size_t n, const S* y, std::size_t m, std::size_t cols) {
    if (x == nullptr) return 1.0;
    double acc = 0.0;
    for (std::size_t c = 0; c < cols; ++c) acc += static_cast<double>(x[n * cols + c]) * static_cast<double>(y[m * cols + c]);
    return acc;
  }
  /// <dz_n(x)/dW, dz_m(y)/dW> for this entry's parameter W.
  DENOISE_HOST_DEVICE double pair(const S* lx, const S* rx, std::size_t n, const S* ly, const S* ry,
                                  std::size_t m) const {
    if (kernel != nullptr) {  // sum over both logits' terms of K[key, key'] (right . right')
      double acc = 0.0;
      for (std::size_t t = 0; t < terms; ++t) {
        const auto row = static_cast<std::size_t>(keys[n * terms + t]) * kernel_cols;
        for (std::size_t u = 0; u < terms; ++u) {
          const double k = static_cast<double>(kernel[row + static_cast<std::size_t>(keys[m * terms + u])]);
          if (k != 0.0) acc += k * row_dot(rx, n * terms + t, ry, m * terms + u, rcols);
        }
      }
      return acc;
    }
    return row_dot(lx, n, ly, m, lcols) * row_dot(rx, n, ry, m, rcols);
  }

  DENOISE_HOST_DEVICE void operator()(std::size_t s) const {
    const std::size_t base = (s / per) * group_size;
    const S* a = ca + s * group_size;
    const S* b = cb + s * group_size;
    double saa = 0.0, sab = 0.0, sbb = 0.0;
    for (std::size_t p = 0; p < group_size; ++p) {
      const double ap = static_cast<double>(a[p]), bp = static_cast<double>(b[p]);
      if (ap == 0.0 && bp == 0.0) continue;  // the sample does not read this logit
      const std::size_t n = base + p;
      for (std::size_t q = 0; q < group_size; ++q) {
        const double aq = static_cast<double>(a[q]), bq = static_cast<double>(b[q]);
        if (aq == 0.0 && bq == 0.0) continue;
        const std::size_t m = base + q;
        if (kernel == nullptr && keys != nullptr && keys[n] != keys[m]) continue;  // different rows: orthogonal
        if (ap != 0.0 && aq != 0.0) saa += ap * aq * pair(la, ra, n, la, ra, m);
        if (ap != 0.0 && bq != 0.0) sab += ap * bq * pair(la, ra, n, lb, rb, m);
        if (bp != 0.0 && bq != 0.0) sbb += bp * bq * pair(lb, rb, n, lb, rb, m);
      }
    }
    aa[s] += static_cast<S>(saa);
    ab[s] += static_cast<S>(sab);
    bb[s] += static_cast<S>(sbb);
  }
};

/// out[s] = ab / (|a| |b|), 0 where either gradient is zero (as the brute-force path).
template <class S>
struct cosine_from_gram {
  const S* aa;
  const S* ab;
  const S* bb;
  S* out;
  DENOISE_HOST_DEVICE void operator()(std::size_t s) const {
    const double a = static_cast<double>(aa[s]), b = static_cast<double>(bb[s]);
    out[s] = a > 0.0 && b > 0.0 ? static_cast<S>(static_cast<double>(ab[s]) / (std::sqrt(a) * std::sqrt(b))) : S(0);
  }
};

}  // namespace kernels

/// Adds every entry's share to aa, ab and bb (each sized samples, zeroed by the caller).
/// ca, cb: samples x group_size logit coefficients at a and b; ga, gb: the logit gradients of the
/// same batch at a and b (same keys, same shapes: the same forward at two parameter values).
template <class B>
void accumulate_sample_gram(const typename B::matrix& ca, const typename B::matrix& cb, const logit_gradients<B>& ga,
                            const logit_gradients<B>& gb, std::size_t group_size, typename B::vector& aa,
                            typename B::vector& ab, typename B::vector& bb) {
  using S = typename B::scalar;
  const std::size_t samples = aa.size();
  if (samples == 0) return;
  const std::size_t groups = group_size == 0 ? 0 : ga.logits() / group_size;
  if (groups == 0 || samples % groups != 0 || ga.logits() != gb.logits() || ga.size() != gb.size() ||
      static_cast<std::size_t>(ca.rows()) != samples || static_cast<std::size_t>(ca.cols()) != group_size) {
    throw config_error("accumulate_sample_gram: the coefficients and logit gradients do not describe one batch");
  }
  B::require_same_shape(ca, cb, "accumulate_sample_gram");
  const std::size_t per = samples / groups;
  for (std::size_t i = 0; i < ga.size(); ++i) {
    const auto& ea = ga[i];
    const auto& eb = gb[i];
    if (ea.table != eb.table || ea.left_cols != eb.left_cols || ea.right_cols != eb.right_cols ||
        ea.left_ones != eb.left_ones || ea.right_ones != eb.right_ones || ea.terms != eb.terms ||
        (ea.kernel == nullptr) != (eb.kernel == nullptr) ||
        (ea.kernel != nullptr && (ea.kernel->rows() != eb.kernel->rows() || ea.kernel->cols() != eb.kernel->cols()))) {
      throw config_error("accumulate_sample_gram: logit gradient #" + std::to_string(i) +
                         " differs in kind or shape between the two points");
    }
    const bool has_left = !ea.table && !ea.left_ones;
    const bool has_right = !ea.right_ones;
    const auto lcols = static_cast<std::size_t>(ea.left_cols);
    const auto rcols = static_cast<std::size_t>(ea.right_cols);
    kernels::sample_gram_entry<S, index_t> k{
        B::ptr(ca), B::ptr(cb), group_size, per, ea.table ? B::ptr(ga.keys(i)) : nullptr,
        has_left ? B::ptr(ga.left(i)) : nullptr, has_left ? B::ptr(gb.left(i)) : nullptr, lcols,
        has_right ? B::ptr(ga.right(i)) : nullptr, has_right ? B::ptr(gb.right(i)) : nullptr, rcols, B::ptr(aa),
        B::ptr(ab), B::ptr(bb)};
    if (ea.kernel != nullptr) {
      k.kernel = B::ptr(*ea.kernel);
      k.kernel_cols = static_cast<std::size_t>(ea.kernel->cols());
      k.terms = ea.terms;
    }
    B::launch(samples, k, group_size * group_size * ea.terms * ea.terms * (lcols + rcols + 1));
  }
}

}  // namespace nn
}  // namespace denoise
