// NormalizedAdjacency<B>: the normalized adjacency matrix Â of the bipartite user-item training
// graph, in CSR on the backend. Nodes are the users [0, users) followed by the items
// [users, users + items); user u and item j are joined when j is among u's training items.
//   normalization::symmetric              Â = D^-1/2 A D^-1/2, no self loops (LightGCN);
//                                          Â[i, j] = 1 / sqrt(d_i d_j), d = degree.
//   normalization::mean_with_self_loops   Â = D^-1 (A + I), D the degrees of A + I (NGCF's
//                                          PyTorch reference); Â[i, j] = 1 / (d_i + 1).
// A node without interactions has an empty row (symmetric) or only its self loop.
//
// Rows are sorted by column. The pattern is symmetric, so the transpose is stored as mirror[k]:
// the position of entry (j, i) for entry k = (i, j); Â^T[i, j] = values[mirror[k]]. The products
// of nn/graph/sparse_propagation.hpp read either direction row by row (no atomics).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

#include "../../backends/static_checks.hpp"
#include "../../core/csr_view.hpp"
#include "../../core/error.hpp"
#include "../../core/types.hpp"

namespace denoise {
namespace nn {
namespace graph {

/// Which normalization of the adjacency matrix (see the file comment).
enum class normalization { symmetric, mean_with_self_loops };

template <class B>
class NormalizedAdjacency {
  static_assert(backends::check_backend<B>(), "");

 public:
  using scalar = typename B::scalar;
  using vector = typename B::vector;
  using index_vector = typename B::index_vector;
  using offset_vector = typename B::offset_vector;

  NormalizedAdjacency() = default;
  /// Â of the graph whose user u has the items user_items.row(u) (duplicates count once).
  NormalizedAdjacency(csr_view user_items, index_t users, index_t items, normalization how) {
    assign(user_items, users, items, how);
  }

  /// Rebuilds from new training interactions. Throws input_error on a malformed CSR or an item id
  /// outside [0, items), config_error when user_items does not have `users` rows.
  void assign(csr_view user_items, index_t users, index_t items, normalization how) {
    validate(user_items, users, items);
    users_ = users;
    items_ = items;
    how_ = how;
    const auto nu = static_cast<std::size_t>(users);
    const auto n = static_cast<std::size_t>(users) + static_cast<std::size_t>(items);
    const bool loops = how == normalization::mean_with_self_loops;
    // neighbour lists: a user's items (sorted, distinct), an item's users (ascending by construction)
    std::vector<std::vector<index_t>> adj(n);
    for (std::size_t u = 0; u < nu; ++u) {
      auto& row = adj[u];
      for (index_t j : user_items.row(u)) row.push_back(users + j);
      std::sort(row.begin(), row.end());
      row.erase(std::unique(row.begin(), row.end()), row.end());
      for (index_t node : row) adj[static_cast<std::size_t>(node)].push_back(static_cast<index_t>(u));
    }
    std::vector<std::size_t> degree(n);
    for (std::size_t i = 0; i < n; ++i) degree[i] = adj[i].size();
    if (loops) {
      // the self loop at its sorted place: first in a user row (items follow), last in an item row
      for (std::size_t i = 0; i < n; ++i) {
        auto& row = adj[i];
        row.insert(std::lower_bound(row.begin(), row.end(), static_cast<index_t>(i)), static_cast<index_t>(i));
      }
    }
    host_offsets_.assign(n + 1, 0);
    for (std::size_t i = 0; i < n; ++i) host_offsets_[i + 1] = host_offsets_[i] + static_cast<offset_t>(adj[i].size());
    const auto nnz = static_cast<std::size_t>(host_offsets_[n]);
    host_indices_.resize(nnz);
    host_values_.resize(nnz);
    host_mirror_.resize(nnz);
    for (std::size_t i = 0; i < n; ++i) {
      const auto base = static_cast<std::size_t>(host_offsets_[i]);
      for (std::size_t k = 0; k < adj[i].size(); ++k) {
        const auto j = static_cast<std::size_t>(adj[i][k]);
        host_indices_[base + k] = adj[i][k];
        const double v = loops ? 1.0 / static_cast<double>(degree[i] + 1)
                               : 1.0 / std::sqrt(static_cast<double>(degree[i]) * static_cast<double>(degree[j]));
        host_values_[base + k] = static_cast<scalar>(v);
        const auto& back = adj[j];
        const auto at = std::lower_bound(back.begin(), back.end(), static_cast<index_t>(i)) - back.begin();
        host_mirror_[base + k] = host_offsets_[j] + static_cast<offset_t>(at);
      }
    }
    B::from_host(host_offsets_, offsets_);
    B::from_host(host_indices_, indices_);
    B::from_host(host_values_, values_);
    B::from_host(host_mirror_, mirror_);
  }

  index_t users() const noexcept { return users_; }
  index_t items() const noexcept { return items_; }
  index_t nodes() const noexcept { return users_ + items_; }
  std::size_t nnz() const noexcept { return host_indices_.size(); }
  normalization kind() const noexcept { return how_; }

  /// The CSR on the backend: rows() + 1 offsets, nnz() columns, values and mirror positions.
  const offset_vector& offsets() const noexcept { return offsets_; }
  const index_vector& indices() const noexcept { return indices_; }
  const vector& values() const noexcept { return values_; }
  const offset_vector& mirror() const noexcept { return mirror_; }

  /// Â[i, j] on the host (0 when not stored): for tests and inspection, O(log degree).
  double at(index_t i, index_t j) const {
    if (i < 0 || i >= nodes() || j < 0 || j >= nodes()) throw config_error("NormalizedAdjacency::at: node out of range");
    const auto b = host_indices_.begin() + host_offsets_[static_cast<std::size_t>(i)];
    const auto e = host_indices_.begin() + host_offsets_[static_cast<std::size_t>(i) + 1];
    const auto it = std::lower_bound(b, e, j);
    return it != e && *it == j ? static_cast<double>(host_values_[static_cast<std::size_t>(it - host_indices_.begin())]) : 0.0;
  }

 private:
  static void validate(csr_view rows, index_t users, index_t items) {
    if (users <= 0 || items <= 0) throw config_error("NormalizedAdjacency: users and items must be positive");
    const auto nu = static_cast<std::size_t>(users);
    if (rows.rows() != nu) {
      throw config_error("NormalizedAdjacency: user_items has " + std::to_string(rows.rows()) + " rows for " +
                         std::to_string(nu) + " users (it must hold each user's training items)");
    }
    if (rows.offsets[0] != 0 || static_cast<std::size_t>(rows.offsets[nu]) != rows.nnz()) {
      throw input_error("NormalizedAdjacency: user_items offsets must start at 0 and end at the number of entries");
    }
    for (std::size_t u = 0; u < nu; ++u) {
      if (rows.offsets[u + 1] < rows.offsets[u]) {
        throw input_error("NormalizedAdjacency: user_items offsets decrease at row " + std::to_string(u));
      }
      for (index_t j : rows.row(u)) {
        if (j < 0 || j >= items) {
          throw input_error("NormalizedAdjacency: user " + std::to_string(u) + " has item " + std::to_string(j) +
                            " outside [0, " + std::to_string(items) + ")");
        }
      }
    }
  }

  index_t users_ = 0;
  index_t items_ = 0;
  normalization how_ = normalization::symmetric;
  std::vector<offset_t> host_offsets_{0};
  std::vector<index_t> host_indices_;
  std::vector<scalar> host_values_;
  std::vector<offset_t> host_mirror_;
  offset_vector offsets_;
  index_vector indices_;
  vector values_;
  offset_vector mirror_;
};

}  // namespace graph
}  // namespace nn
}  // namespace denoise
