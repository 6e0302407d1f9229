// logit_gradients<B>: the gradient of every logit of one forward with respect to every parameter,
// in factored form, one entry per parameter in visit_parameters order. A model fills it through
// the optional Model member
//
//   void logit_gradients(const workspace& ws, nn::logit_gradients<B>& out);
//
// (docs/policies/model.md), and nn::per_sample then takes dot products of per-sample gradients
// (SGDL's gradient cosines) without ever forming a gradient: O(rows a sample touches + widths of
// the dense layers) per sample instead of O(all parameters).
//
// Three kinds of entry, for a batch of N logits z_n:
//   out.rows(keys, right)    a table (embedding) T: dz_n/dT = right[n, :] in row keys[n], 0 elsewhere
//   out.dense(left, right)   a dense matrix W (in x out): dz_n/dW = left[n, :]^T right[n, :]
//   out.propagated_rows(keys, right, terms, kernel)
//                            a table T read through a fixed linear propagation P (a graph model's
//                            layers: LightGCN): dz_n/dT[r] = sum_t P[keys[n,t], r] right[n,t, :]
//                            (keys and right hold `terms` rows per logit), given by the kernel
//                            K = P_T P_T^T (P_T: P's columns of T's rows) over P's nodes
// A null left or right stands for a column of ones: a bias has left = 1 (dz_n/db = right[n, :]);
// a parameter the logit is linear in with weight 1 has right = 1 (a global bias: both null).
// Every matrix given is copied, so the model may reuse its workspace right after; a factor that
// repeats an earlier entry's is named by same_as{entry} instead and is not copied again (CDAE's
// dz/dh for V, W and b; LightGCN's keys and right for both tables). Readers take the factors
// through keys(i), left(i) and right(i), which follow the link.
//
// Why it is enough: the dot product of two logits' gradients factors per entry,
//   <dz_n/dW, dz'_m/dW> = (left_n . left'_m) (right_n . right'_m)      (dense)
//   <dz_n/dT, dz'_m/dT> = [keys_n == keys_m] (right_n . right'_m)      (table)
//   <dz_n/dT, dz_m/dT> = sum_{t,t'} K[keys_{n,t}, keys_{m,t'}] (right_{n,t} . right_{m,t'})  (propagated)
// (the identity behind per-example gradient norms: Goodfellow, "Efficient Per-Example Gradient
// Computations", 2015). The first two hold for a model whose logit n depends on parameters through
// pair n alone (MF, GMF, NeuMF) or through its user's input row (CDAE: the input weights are a
// dense entry whose left factor is the corrupted input, as wide as the item set); the third for a
// graph model whose propagation is linear and fixed
// (LightGCN: K costs nodes^2 memory, once per graph). NGCF's propagation has weights and a
// nonlinearity: it has no hook, and per_sample uses its brute-force path.
#pragma once

#include <cstddef>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "../backends/static_checks.hpp"
#include "../core/error.hpp"
#include "../core/static_checks.hpp"
#include "../core/types.hpp"
#include "parameter.hpp"

namespace denoise {
namespace nn {

template <class B>
class logit_gradients {
 public:
  using matrix = typename B::matrix;
  using index_vector = typename B::index_vector;

  /// Names an earlier entry (its index in fill order) whose factor an entry repeats.
  struct same_as {
    std::size_t entry;
  };

  /// One parameter's factors (read by nn::per_sample's kernels through keys(), left(), right()).
  struct entry {
    bool table = false;       ///< rows(): keys and right; dense(): left and right
    index_vector keys;        ///< table row of each logit (tables only)
    matrix left, right;       ///< N x in and N x out; unused when the matching *_ones is set
    bool left_ones = false;   ///< left is a column of ones (dense only)
    bool right_ones = false;  ///< right is a column of ones
    index_t left_cols = 0;    ///< in (1 for ones)
    index_t right_cols = 0;   ///< out (1 for ones)
    std::size_t terms = 1;    ///< keys and right rows per logit (propagated tables)
    const matrix* kernel = nullptr;  ///< propagated tables: K, referenced (the model owns it)
    std::size_t keys_at = 0, left_at = 0, right_at = 0;  ///< the entries that store each factor
  };

  /// Starts a fill for a forward of `logits` logits; entries' buffers are kept from call to call.
  void start(std::size_t logits) {
    logits_ = logits;
    used_ = 0;
  }

  /// The next parameter is a table: dz_n/dT is right[n, :] (nullptr: 1) in row keys[n].
  void rows(const index_vector& keys, const matrix* right) {
    if (keys.size() != logits_) {
      throw config_error("logit_gradients::rows: " + std::to_string(keys.size()) + " keys for " +
                         std::to_string(logits_) + " logits");
    }
    entry& e = next();
    e.table = true;
    B::copy(keys, e.keys);
    e.left_ones = false;
    e.left_cols = 0;
    e.terms = 1;
    e.kernel = nullptr;
    set_factor(right, e.right, e.right_ones, e.right_cols, "right");
  }

  /// As rows(keys, right), with the right factor of an earlier entry (not copied again).
  void rows(const index_vector& keys, same_as right) {
    const std::size_t from = shareable_right(right, "rows");
    rows(keys, nullptr);
    take_right(from);
  }

  /// The next parameter is a table read through a fixed linear propagation: dz_n/dT[r] =
  /// sum_t P[keys[n * terms + t], r] right[n * terms + t, :], described by the kernel
  /// K = P_T P_T^T (square over P's nodes; keys index its rows). `kernel` is referenced, not copied:
  /// it must stay alive and unchanged while these gradients are used.
  void propagated_rows(const index_vector& keys, const matrix& right, std::size_t terms, const matrix& kernel) {
    if (terms == 0 || keys.size() != logits_ * terms || static_cast<std::size_t>(right.rows()) != logits_ * terms) {
      throw config_error("logit_gradients::propagated_rows: keys and right need " + std::to_string(terms) +
                         " rows per logit (" + std::to_string(logits_) + " logits)");
    }
    if (kernel.rows() != kernel.cols()) throw config_error("logit_gradients::propagated_rows: the kernel must be square");
    entry& e = next();
    e.table = true;
    B::copy(keys, e.keys);
    e.left_ones = false;
    e.left_cols = 0;
    e.terms = terms;
    e.kernel = &kernel;
    e.right_ones = false;
    B::copy(right, e.right);
    e.right_cols = right.cols();
  }

  /// As propagated_rows(keys, right, terms, kernel) with the keys, right factor and terms of an
  /// earlier propagated entry (not copied again), through another kernel.
  void propagated_rows(same_as keys_and_right, const matrix& kernel) {
    const entry& source = earlier(keys_and_right, "propagated_rows");
    if (source.kernel == nullptr) {
      throw config_error("logit_gradients::propagated_rows: entry #" + std::to_string(keys_and_right.entry) +
                         " is not a propagated table");
    }
    if (kernel.rows() != kernel.cols()) throw config_error("logit_gradients::propagated_rows: the kernel must be square");
    const std::size_t terms = source.terms;
    const index_t cols = source.right_cols;
    entry& e = next();
    e.table = true;
    e.left_ones = false;
    e.left_cols = 0;
    e.terms = terms;
    e.kernel = &kernel;
    e.right_ones = false;
    e.right_cols = cols;
    e.keys_at = entries_[keys_and_right.entry].keys_at;
    e.right_at = entries_[keys_and_right.entry].right_at;
  }

  /// The next parameter is a dense in x out matrix: dz_n/dW = left[n, :]^T right[n, :] (nullptr: 1).
  void dense(const matrix* left, const matrix* right) {
    entry& e = next();
    e.table = false;
    e.terms = 1;
    e.kernel = nullptr;
    set_factor(left, e.left, e.left_ones, e.left_cols, "left");
    set_factor(right, e.right, e.right_ones, e.right_cols, "right");
  }

  /// As dense(left, right), with the right factor of an earlier entry (not copied again).
  void dense(const matrix* left, same_as right) {
    const std::size_t from = shareable_right(right, "dense");
    dense(left, nullptr);
    take_right(from);
  }

  std::size_t logits() const noexcept { return logits_; }
  /// Entries filled since start().
  std::size_t size() const noexcept { return used_; }
  const entry& operator[](std::size_t i) const { return entries_[i]; }
  /// Entry i's factors, wherever they are stored (table keys; left and right unless *_ones).
  const index_vector& keys(std::size_t i) const { return entries_[entries_[i].keys_at].keys; }
  const matrix& left(std::size_t i) const { return entries_[entries_[i].left_at].left; }
  const matrix& right(std::size_t i) const { return entries_[entries_[i].right_at].right; }

  /// Throws config_error unless there is one entry per parameter of the model, in visit order,
  /// each with the parameter's shape (a table's width, a dense matrix's in x out).
  template <class Model>
  void require_matches(Model& model, const char* what) const {
    std::size_t i = 0;
    model.visit_parameters([&](param_ref<B> p) {
      if (i >= used_) {
        throw config_error(std::string(what) + ": no logit gradient for parameter '" + p.name + "' (#" +
                           std::to_string(i) + ")");
      }
      const entry& e = entries_[i];
      const bool ok = e.table ? e.right_cols == p.value.cols()
                              : e.left_cols == p.value.rows() && e.right_cols == p.value.cols();
      if (!ok) {
        throw config_error(std::string(what) + ": the logit gradient of parameter '" + p.name + "' (#" +
                           std::to_string(i) + ") does not have the parameter's shape");
      }
      ++i;
    });
    if (i != used_) {
      throw config_error(std::string(what) + ": " + std::to_string(used_) + " logit gradients for " +
                         std::to_string(i) + " parameters");
    }
  }

 private:
  entry& next() {
    if (used_ == entries_.size()) entries_.emplace_back();
    entry& e = entries_[used_];
    e.keys_at = e.left_at = e.right_at = used_;
    ++used_;
    return e;
  }
  const entry& earlier(same_as source, const char* what) const {
    if (source.entry >= used_) {
      throw config_error(std::string("logit_gradients::") + what + ": same_as{" + std::to_string(source.entry) +
                         "} names no earlier entry (" + std::to_string(used_) + " filled)");
    }
    return entries_[source.entry];
  }
  /// The index of an earlier one-term entry whose right factor the next entry may share.
  std::size_t shareable_right(same_as source, const char* what) const {
    if (earlier(source, what).terms != 1) {
      throw config_error(std::string("logit_gradients::") + what + ": entry #" + std::to_string(source.entry) +
                         " is a propagated table; its right factor has several rows per logit");
    }
    return source.entry;
  }
  /// The entry just filled takes entry `from`'s right factor (an index: next() may move entries).
  void take_right(std::size_t from) {
    entry& e = entries_[used_ - 1];
    e.right_ones = entries_[from].right_ones;
    e.right_cols = entries_[from].right_cols;
    e.right_at = entries_[from].right_at;
  }
  void set_factor(const matrix* m, matrix& dst, bool& ones, index_t& cols, const char* side) const {
    ones = m == nullptr;
    if (ones) {
      cols = 1;
      return;
    }
    if (static_cast<std::size_t>(m->rows()) != logits_) {
      throw config_error(std::string("logit_gradients: the ") + side + " factor has " + std::to_string(m->rows()) +
                         " rows for " + std::to_string(logits_) + " logits");
    }
    B::copy(*m, dst);
    cols = m->cols();
  }

  std::size_t logits_ = 0;
  std::size_t used_ = 0;
  std::vector<entry> entries_;
};

namespace detail {
template <class Model>
using logit_gradients_member_t = decltype(std::declval<Model&>().logit_gradients(
    std::declval<const typename Model::workspace&>(), std::declval<logit_gradients<typename Model::backend>&>()));
template <class Model>
using logit_gradients_named_t = decltype(&Model::logit_gradients);
template <class Model>
using logit_gradients_available_t = decltype(std::declval<const Model&>().logit_gradients_available());
}  // namespace detail

/// The optional run-time condition of a model's hook (LightGCN: no L2 outside the logits):
/// Model::logit_gradients_available() when the model has it, else true.
template <class Model>
bool logit_gradients_available(const Model& model) {
  if constexpr (traits::is_detected_v<detail::logit_gradients_available_t, Model>) {
    return model.logit_gradients_available();
  } else {
    static_cast<void>(model);
    return true;
  }
}

/// True when Model has the optional logit_gradients(workspace, out) member.
template <class Model>
inline constexpr bool has_logit_gradients_v = traits::is_detected_v<detail::logit_gradients_member_t, Model>;

/// A member named logit_gradients with another signature is a mistake, not "no hook": say so
/// instead of silently taking the slow path.
template <class Model>
constexpr bool check_logit_gradients() {
  DENOISE_STATIC_CHECK((has_logit_gradients_v<Model> ||
                        !traits::is_detected_v<detail::logit_gradients_named_t, Model>),
                       "denoise: Model::logit_gradients must be 'void logit_gradients(const workspace&, "
                       "nn::logit_gradients<B>&)'; see docs/policies/model.md (Per-sample gradients)");
  return true;
}

}  // namespace nn
}  // namespace denoise
