// CDAE<B>: Collaborative Denoising Auto-Encoder, Wu et al., "Collaborative Denoising
// Auto-Encoders for Top-N Recommender Systems", WSDM 2016. A user is encoded from the items of
// their training set I_u, corrupted by dropping each with probability q (training mode only),
// plus a user node V_u:
//   h_u = sigmoid( sum_{j in I_u kept} W_j / (1 - q) + V_u + b )          (hidden, `hidden` wide)
//   logit(u, i) = h_u · W'_i + b'_i
// The paper's decoder applies the output function to the logit; here the trainer's loss does.
// The model copies each user's training items (cdae_options::user_items, a CSR view) at
// construction; set_user_items() replaces them (for instance with a denoised subset).
//
// Corruption: one mask per training forward() over every entry of the training matrix (so every
// pair of a user in the batch sees the same corrupted input, as when CDAE trains user by user),
// drawn from a counter stream of (seed, forward count): the same on every backend and thread
// count. The input weights W get a dense gradient, computed item by item over the item's users.
// Defaults: hidden 200 (the ADT setting; SGDL used 100), q = 0.5 (SGDL's dropout), sigmoid
// hidden layer and identity output (the paper's best pairing with a logistic loss).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "../backends/static_checks.hpp"
#include "../core/csr_view.hpp"
#include "../core/error.hpp"
#include "../core/random.hpp"
#include "../core/types.hpp"
#include "../nn/embedding.hpp"
#include "../nn/init.hpp"
#include "../nn/parameter.hpp"
#include "../nn/sigmoid.hpp"
#include "detail/ops.hpp"

namespace denoise {
namespace models {

struct cdae_options {
  index_t hidden = 200;     ///< K, the hidden width
  double corruption = 0.5;  ///< q: probability of dropping each input item in training mode
  csr_view user_items{};    ///< row u = the training items of user u (copied; rows() == users)
  nn::init::initializer weight_init = nn::init::xavier_uniform();     ///< W (input) and W' (output)
  nn::init::initializer user_init = nn::init::normal(0.0, 0.01);      ///< V; b and b' start at 0
};

template <class B>
class CDAE {
  static_assert(backends::check_backend<B>(), "");

 public:
  using backend = B;
  using scalar = typename B::scalar;
  using matrix = typename B::matrix;
  using vector = typename B::vector;
  using index_vector = typename B::index_vector;
  using offset_vector = typename B::offset_vector;
  using options_type = cdae_options;

  static constexpr const char* name() { return "cdae"; }

  CDAE(index_t users, index_t items, cdae_options options = {}, std::uint64_t seed = 0)
      : options_(validated(users, items, options)),
        user_node_(users, options.hidden, 0, options.user_init),
        out_items_(items, options.hidden, 0, options.weight_init),
        out_bias_(items, 1, 0, nn::init::zeros()),
        w_(items, options.hidden),
        dw_(items, options.hidden),
        b_(1, options.hidden),
        db_(1, options.hidden) {
    set_user_items(options.user_items);
    options_.user_items = csr_view{};  // the copy is kept; the caller's memory is not referenced
    user_slot_.resize(static_cast<std::size_t>(users));
    B::fill_index(user_slot_, index_t(-1));
    reset(seed);
  }
  /// Convenience: the training items given apart from the other options.
  CDAE(index_t users, index_t items, csr_view user_items, cdae_options options = {}, std::uint64_t seed = 0)
      : CDAE(users, items, with_items(options, user_items), seed) {}

  index_t users() const noexcept { return user_node_.rows(); }
  index_t items() const noexcept { return out_items_.rows(); }
  index_t hidden() const noexcept { return options_.hidden; }
  const cdae_options& options() const noexcept { return options_; }  ///< user_items is not kept here

  /// Replaces the users' input items (copied). Must have users() rows and ids below items().
  void set_user_items(csr_view rows) {
    const auto nu = static_cast<std::size_t>(users());
    if (rows.rows() != nu) {
      throw config_error("CDAE: user_items has " + std::to_string(rows.rows()) + " rows for " + std::to_string(nu) +
                         " users (cdae_options::user_items must hold each user's training items)");
    }
    if (rows.offsets[0] != 0 || static_cast<std::size_t>(rows.offsets[nu]) != rows.nnz()) {
      throw input_error("CDAE: user_items offsets must start at 0 and end at the number of entries");
    }
    const auto ni = static_cast<std::size_t>(items());
    std::vector<offset_t> item_offsets(ni + 1, 0);
    for (std::size_t u = 0; u < nu; ++u) {
      if (rows.offsets[u + 1] < rows.offsets[u]) throw input_error("CDAE: user_items offsets decrease at row " + std::to_string(u));
      for (index_t j : rows.row(u)) {
        if (j < 0 || static_cast<std::size_t>(j) >= ni) {
          throw input_error("CDAE: user " + std::to_string(u) + " has item " + std::to_string(j) + " outside [0, " +
                            std::to_string(ni) + ")");
        }
        ++item_offsets[static_cast<std::size_t>(j) + 1];
      }
    }
    for (std::size_t j = 0; j < ni; ++j) item_offsets[j + 1] += item_offsets[j];
    // the transpose: for each item its users (ascending) and each entry's position in the user CSR
    std::vector<index_t> item_users(rows.nnz());
    std::vector<offset_t> user_position(rows.nnz());
    std::vector<offset_t> fill(item_offsets.begin(), item_offsets.end() - 1);
    for (std::size_t u = 0; u < nu; ++u) {
      for (offset_t k = rows.offsets[u]; k < rows.offsets[u + 1]; ++k) {
        const auto j = static_cast<std::size_t>(rows.indices[static_cast<std::size_t>(k)]);
        const auto at = static_cast<std::size_t>(fill[j]++);
        item_users[at] = static_cast<index_t>(u);
        user_position[at] = k;
      }
    }
    B::from_host(std::vector<offset_t>(rows.offsets.begin(), rows.offsets.end()), user_offsets_);
    B::from_host(std::vector<index_t>(rows.indices.begin(), rows.indices.end()), user_item_ids_);
    B::from_host(item_offsets, item_offsets_);
    B::from_host(item_users, item_users_);
    B::from_host(user_position, item_user_position_);
    forwarded_ = false;  // a pending backward would mix the old and the new training matrix
  }

  /// Corruption on (training) or off (evaluation).
  void train(bool on = true) noexcept { training_ = on; }
  void eval() noexcept { training_ = false; }
  bool training() const noexcept { return training_; }
  /// Training forwards since reset(): the corruption stream of the next one.
  std::uint64_t corruptions() const noexcept { return calls_; }
  /// Rewinds or advances the corruption stream (resuming from a checkpoint, gradient checks).
  void set_corruptions(std::uint64_t count) noexcept { calls_ = count; }

  nn::Embedding<B>& user_node() noexcept { return user_node_; }        ///< V
  nn::Embedding<B>& output_items() noexcept { return out_items_; }     ///< W'
  nn::Embedding<B>& output_bias() noexcept { return out_bias_; }       ///< b'
  matrix& input_weights() noexcept { return w_; }                      ///< W
  matrix& hidden_bias() noexcept { return b_; }                        ///< b

  /// One logit per pair; the hidden code is computed once per distinct user of the batch.
  /// users and items must stay alive and unchanged until backward().
  void forward(const index_vector& users, const index_vector& items, vector& logits) {
    detail::require_pairs(users.size(), items.size(), "CDAE");
    B::check_indices(users, this->users(), "CDAE::forward (users)");
    B::check_indices(items, this->items(), "CDAE::forward (items)");
    const std::size_t n = users.size();
    // forget the previous batch's users, then group this batch's pairs by user
    B::launch(unique_.size(), kernels::set_user_slot{B::ptr(unique_), B::ptr(user_slot_), index_t(-1)});
    ws_.keys.resize(n);
    ws_.sorted_rows.resize(n);
    ws_.order.resize(n);
    B::launch(n, kernels::user_key{B::ptr(users), B::ptr(ws_.keys)});
    B::sort_keys(ws_.keys);
    B::launch(n, kernels::split_user_key{B::ptr(ws_.keys), B::ptr(ws_.sorted_rows), B::ptr(ws_.order)});
    B::unique_segments(ws_.sorted_rows, unique_, ws_.counts, ws_.offsets);
    slot_.resize(n);
    B::launch(unique_.size(), kernels::assign_slots{B::ptr(unique_), B::ptr(ws_.offsets), B::ptr(ws_.order),
                                                     B::ptr(slot_), B::ptr(user_slot_)});
    // hidden codes of the distinct users
    corrupt_ = training_ && options_.corruption > 0.0;
    if (corrupt_) {
      mask_.resize(user_item_ids_.size());
      B::launch(mask_.size(), kernels::cdae_mask<scalar>{B::ptr(mask_),
                                                         random::counter_stream(random::derive_seed(corruption_seed_, calls_++)),
                                                         static_cast<scalar>(options_.corruption), keep_scale(true)});
    }
    user_node_.forward(unique_, vrows_);
    hidden(unique_, vrows_, corrupt_, z_);
    B::map(z_, h_, nn::kernels::activation_forward<scalar, nn::sigmoid_op>{});
    // logits
    B::gather_rows(h_, slot_, hp_);
    out_items_.forward(items, wo_);
    B::row_dot(hp_, wo_, logits);
    out_bias_.forward(items, bo_);
    B::axpy(scalar(1), bo_.values(), logits);
    pairs_ = n;
    forwarded_ = true;
  }

  /// Accumulates the gradients of every parameter for dlogits = d(loss)/d(logits).
  void backward(const vector& dlogits) {
    detail::require_dlogits(dlogits.size(), pairs_, forwarded_, "CDAE");
    const auto k = static_cast<std::size_t>(options_.hidden);
    detail::as_column<B>(dlogits, dy_);
    out_bias_.backward(dy_);
    detail::scale_rows<B>(dlogits, hp_, t_);
    out_items_.backward(t_);
    detail::scale_rows<B>(dlogits, wo_, t_);  // d h per pair
    dh_.resize(h_.rows(), h_.cols());
    B::launch(dh_.size(), kernels::sum_pairs_per_user<scalar>{B::ptr(t_), B::ptr(ws_.offsets), B::ptr(ws_.order),
                                                               B::ptr(dh_), k});
    dz_.resize(h_.rows(), h_.cols());
    B::launch(dz_.size(), nn::kernels::activation_backward<scalar, nn::sigmoid_op>{B::ptr(z_), B::ptr(h_), B::ptr(dh_),
                                                                                   B::ptr(dz_), nn::sigmoid_op{}});
    user_node_.backward(dz_);
    B::col_sum(dz_, db_, scalar(1));
    entry_slot_.resize(item_users_.size());
    B::launch(entry_slot_.size(), kernels::cdae_entry_slots<scalar>{B::ptr(item_users_), B::ptr(item_user_position_),
                                                                    B::ptr(user_slot_), mask_or_null(corrupt_),
                                                                    B::ptr(entry_slot_)});
    B::launch(dw_.size(),
              kernels::cdae_input_grad<scalar>{B::ptr(item_offsets_), B::ptr(entry_slot_), B::ptr(dz_), B::ptr(dw_), k,
                                               keep_scale(corrupt_)},
              static_cast<std::size_t>(k));
  }

  /// V (sparse), W (dense: every row of a batch user's item set moves), b, W' (sparse), b' (sparse).
  template <class F>
  void visit_parameters(F&& f) {
    user_node_.visit_parameters([&](nn::param_ref<B> p) { f(nn::param_ref<B>{"user_node", p.value, p.grad, p.touched}); });
    f(nn::param_ref<B>{"input_weight", w_, dw_, nullptr});
    f(nn::param_ref<B>{"hidden_bias", b_, db_, nullptr});
    out_items_.visit_parameters([&](nn::param_ref<B> p) { f(nn::param_ref<B>{"output_weight", p.value, p.grad, p.touched}); });
    out_bias_.visit_parameters([&](nn::param_ref<B> p) { f(nn::param_ref<B>{"output_bias", p.value, p.grad, p.touched}); });
  }

  /// Fresh parameters and corruption stream from one seed; gradients zeroed.
  void reset(std::uint64_t seed) {
    user_node_.reset(random::derive_seed(seed, "cdae.user"));
    nn::init::apply<B>(options_.weight_init, w_, items(), options_.hidden, random::derive_seed(seed, "cdae.input"));
    B::fill(dw_, scalar(0));
    B::fill(b_, scalar(0));
    B::fill(db_, scalar(0));
    out_items_.reset(random::derive_seed(seed, "cdae.output"));
    out_bias_.reset(seed);
    corruption_seed_ = random::derive_seed(seed, "cdae.corruption");
    calls_ = 0;
  }

  /// scores[r, j] = logit(users[r], j) from the uncorrupted input: H W'^T + b' with H the hidden
  /// codes of the users (one gemm). Uses its own buffers: a pending forward/backward is not disturbed.
  void score(const index_vector& users, matrix& scores) {
    B::gather_rows(user_node_.table(), users, sv_);  // checks the ids
    hidden(users, sv_, false, sz_);
    B::map(sz_, sz_, nn::kernels::activation_forward<scalar, nn::sigmoid_op>{});
    B::gemm(false, true, scalar(1), sz_, out_items_.table(), scalar(0), scores);
    B::add_row_broadcast(scores, out_bias_.table());
  }

  /// out[n, :] = [h_u || W'_i]: the user's uncorrupted hidden code and the item's output vector
  /// (the two factors of the logit); 2 * hidden columns.
  void features(const index_vector& users, const index_vector& items, matrix& out) {
    detail::require_pairs(users.size(), items.size(), "CDAE::features");
    B::gather_rows(user_node_.table(), users, fv_);
    hidden(users, fv_, false, fz_);
    B::map(fz_, fz_, nn::kernels::activation_forward<scalar, nn::sigmoid_op>{});
    B::gather_rows(out_items_.table(), items, fi_);
    out.resize(static_cast<index_t>(users.size()), feature_dim());
    detail::put_cols<B>(fz_, out, 0);
    detail::put_cols<B>(fi_, out, options_.hidden);
  }
  index_t feature_dim() const noexcept { return 2 * options_.hidden; }

 private:
  static cdae_options validated(index_t users, index_t items, const cdae_options& o) {
    detail::require_positive(users, "the number of users", "CDAE");
    detail::require_positive(items, "the number of items", "CDAE");
    detail::require_positive(o.hidden, "hidden", "CDAE");
    if (!(o.corruption >= 0.0 && o.corruption < 1.0)) throw config_error("CDAE: corruption must be in [0, 1)");
    return o;
  }
  static cdae_options with_items(cdae_options o, csr_view rows) {
    o.user_items = rows;
    return o;
  }
  scalar keep_scale(bool corrupt) const {
    return corrupt ? static_cast<scalar>(1.0 / (1.0 - options_.corruption)) : scalar(1);
  }
  const scalar* mask_or_null(bool corrupt) const { return corrupt ? B::ptr(mask_) : nullptr; }
  /// z[s, :] = V[rows[s], :] + b + the sum of the user's W rows, masked by this forward's
  /// corruption (each kept row scaled by 1 / (1 - q)) when corrupt.
  void hidden(const index_vector& rows, const matrix& v_rows, bool corrupt, matrix& z) {
    z.resize(static_cast<index_t>(rows.size()), options_.hidden);
    B::launch(z.size(),
              kernels::cdae_hidden<scalar>{B::ptr(rows), B::ptr(user_offsets_), B::ptr(user_item_ids_), B::ptr(v_rows),
                                           B::ptr(b_), B::ptr(w_), mask_or_null(corrupt), B::ptr(z),
                                           static_cast<std::size_t>(options_.hidden)},
              static_cast<std::size_t>(options_.hidden));
  }

  cdae_options options_;
  nn::Embedding<B> user_node_;   // V
  nn::Embedding<B> out_items_;   // W'
  nn::Embedding<B> out_bias_;    // b'
  matrix w_, dw_, b_, db_;       // W (items x hidden), b (1 x hidden)
  // the training matrix, by user and by item
  offset_vector user_offsets_, item_offsets_, item_user_position_;
  index_vector user_item_ids_, item_users_;
  // the last forward
  bool training_ = true;
  bool forwarded_ = false;
  bool corrupt_ = false;
  std::size_t pairs_ = 0;
  std::uint64_t corruption_seed_ = 0;
  std::uint64_t calls_ = 0;
  typename B::scatter_workspace ws_;  // keys, pair order and per-user segments of the batch
  index_vector unique_, slot_, user_slot_, entry_slot_;
  vector mask_;  // 0 or 1 / (1 - q) per user-CSR entry: the last training forward's corruption
  matrix vrows_, z_, h_, hp_, wo_, bo_;  // forward workspaces
  matrix dy_, t_, dh_, dz_;              // backward workspaces
  matrix sv_, sz_, fv_, fz_, fi_;        // score() / features() workspaces
};

}  // namespace models
}  // namespace denoise
