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
//
// Model policy (docs/policies/model.md): forward(batch, workspace, logits) and
// backward(workspace, dlogits) work on a caller-owned workspace, which holds the corruption mask
// of its forward (workspace::replay reuses it); jvp() is exact, with the same mask, and so is
// logit_gradients(), which gives nn::per_sample its factored per-sample gradient cosines.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "../backends/static_checks.hpp"
#include "../core/csr_view.hpp"
#include "../core/error.hpp"
#include "../core/random.hpp"
#include "../core/types.hpp"
#include "../data/pair_batch.hpp"
#include "../nn/embedding.hpp"
#include "../nn/init.hpp"
#include "../nn/logit_gradients.hpp"
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
  using batch_type = data::pair_batch<B>;

  /// Everything one forward leaves for its backward/jvp: the batch's grouping by user, the
  /// corruption mask, the layer caches, the activations and the scratch. Default-constructible
  /// and movable; buffers are reused from forward to forward.
  class workspace {
   public:
    /// When true, the next forward() reuses the corruption mask this workspace holds from its
    /// previous training forward instead of drawing a new one, and the model's corruption stream
    /// does not advance (the mask covers the whole training matrix, so the batch may differ).
    bool replay = false;

   private:
    friend CDAE;
    struct state {
      typename B::scatter_workspace groups;  // keys, pair order and per-user segments of the batch
      index_vector unique, slot, user_slot, entry_slot;
      vector mask;  // 0 or 1 / (1 - q) per user-CSR entry
      bool has_mask = false;
      bool corrupt = false;
      typename nn::Embedding<B>::cache user_node, out_items, out_bias;
      matrix vrows, z, h, hp, wo, bo;  // forward
      matrix dy, t, dh, dz;            // backward
      std::size_t pairs = 0;
      std::uint64_t version = 0;  // of the training matrix the forward used
      bool forwarded = false;
    };
    detail::boxed<state> s_;
  };

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
    ++version_;  // a pending backward or a replayed mask would mix the old and the new training matrix
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

  /// One logit per pair; the hidden code is computed once per distinct user of the batch. The
  /// batch must stay alive and unchanged until the backward() that follows.
  void forward(const batch_type& batch, workspace& ws, vector& logits) { forward_pairs(batch.users, batch.items, ws, logits); }

  /// Accumulates the gradients of every parameter for dlogits = d(loss)/d(logits) of ws's forward.
  void backward(workspace& ws, const vector& dlogits) {
    auto* s = ws.s_.find();
    detail::require_dlogits(dlogits.size(), s ? s->pairs : 0, s && s->forwarded, "CDAE");
    require_version(*s, "backward");
    const auto k = static_cast<std::size_t>(options_.hidden);
    detail::as_column<B>(dlogits, s->dy);
    out_bias_.backward(s->out_bias, s->dy);
    detail::scale_rows<B>(dlogits, s->hp, s->t);
    out_items_.backward(s->out_items, s->t);
    detail::scale_rows<B>(dlogits, s->wo, s->t);  // d h per pair
    s->dh.resize(s->h.rows(), s->h.cols());
    B::launch(block_count(s->dh.rows()), kernels::sum_pairs_per_user<scalar>{B::ptr(s->t), B::ptr(s->groups.offsets),
                                                                              B::ptr(s->groups.order), B::ptr(s->dh), k},
              kernels::cdae_column_block);
    s->dz.resize(s->h.rows(), s->h.cols());
    B::launch(s->dz.size(), nn::kernels::activation_backward<scalar, nn::sigmoid_op>{
                                B::ptr(s->z), B::ptr(s->h), B::ptr(s->dh), B::ptr(s->dz), nn::sigmoid_op{}});
    user_node_.backward(s->user_node, s->dz);
    B::col_sum(s->dz, db_, scalar(1));
    s->entry_slot.resize(item_users_.size());
    B::launch(s->entry_slot.size(),
              kernels::cdae_entry_slots<scalar>{B::ptr(item_users_), B::ptr(item_user_position_), B::ptr(s->user_slot),
                                                mask_or_null(*s), B::ptr(s->entry_slot)});
    B::launch(block_count(dw_.rows()),
              kernels::cdae_input_grad<scalar>{B::ptr(item_offsets_), B::ptr(s->entry_slot), B::ptr(s->dz), B::ptr(dw_),
                                               k, keep_scale(s->corrupt)},
              kernels::cdae_column_block * k);
  }

  /// Exact JVP of ws's logits along a direction (parts in visit_parameters order), with the
  /// forward's corruption: z_dot = V_dot[u] + b_dot + sum of the kept W_dot rows (scaled),
  /// h_dot = h (1 - h) z_dot, logit_dot = h_dot · W'_i + h · W'_dot_i + b'_dot_i.
  void jvp(const workspace& ws, const nn::param_set<B>& direction, vector& logit_tangent) {
    const auto* s = ws.s_.find();
    detail::require_forwarded(s && s->forwarded, "CDAE", "jvp");
    require_version(*s, "jvp");
    direction.require_matches(*this, "CDAE::jvp");
    B::gather_rows(direction[0], s->unique, t_v_);
    t_z_.resize(static_cast<index_t>(s->unique.size()), options_.hidden);
    B::launch(block_count(t_z_.rows()),
              kernels::cdae_hidden<scalar>{B::ptr(s->unique), B::ptr(user_offsets_), B::ptr(user_item_ids_),
                                           B::ptr(t_v_), B::ptr(direction[2]), B::ptr(direction[1]), mask_or_null(*s),
                                           B::ptr(t_z_), static_cast<std::size_t>(options_.hidden)},
              kernels::cdae_column_block * static_cast<std::size_t>(options_.hidden));
    t_h_.resize(t_z_.rows(), t_z_.cols());
    B::launch(t_h_.size(), nn::kernels::activation_backward<scalar, nn::sigmoid_op>{
                               B::ptr(s->z), B::ptr(s->h), B::ptr(t_z_), B::ptr(t_h_), nn::sigmoid_op{}});
    B::gather_rows(t_h_, s->slot, t_hp_);
    B::row_dot(t_hp_, s->wo, logit_tangent);
    out_items_.tangent(s->out_items, direction[3], t_wo_);
    B::row_dot(s->hp, t_wo_, t_l_);
    B::axpy(scalar(1), t_l_, logit_tangent);
    out_bias_.tangent(s->out_bias, direction[4], t_wo_);
    B::axpy(scalar(1), t_wo_.values(), logit_tangent);
  }

  /// Every logit's gradient, factored (nn/logit_gradients.hpp), in visit order, with ws's
  /// corruption: with delta = W'_i ⊙ h_u ⊙ (1 - h_u) (dz/d pre-activation), V gets delta in row u,
  /// W the outer product x~_u^T delta (x~_u: the user's corrupted input over all items, so this
  /// entry is `items` wide), b gets delta, W' gets h_u in row i and b' gets 1 in row i.
  void logit_gradients(const workspace& ws, nn::logit_gradients<B>& out) {
    const auto* s = ws.s_.find();
    detail::require_forwarded(s && s->forwarded, "CDAE", "logit_gradients");
    require_version(*s, "logit_gradients");
    const auto n = static_cast<index_t>(s->pairs);
    lg_delta_.resize(n, options_.hidden);
    B::launch(lg_delta_.size(), kernels::cdae_hidden_delta<scalar>{B::ptr(s->wo), B::ptr(s->hp), B::ptr(lg_delta_)});
    lg_users_.resize(s->pairs);
    lg_input_.resize(n, items());
    B::fill(lg_input_, scalar(0));
    B::launch(s->pairs, kernels::cdae_pair_inputs<scalar>{B::ptr(s->unique), B::ptr(s->slot), B::ptr(user_offsets_),
                                                          B::ptr(user_item_ids_), mask_or_null(*s), B::ptr(lg_users_),
                                                          B::ptr(lg_input_), static_cast<std::size_t>(items())});
    out.start(s->pairs);
    using same_as = typename nn::logit_gradients<B>::same_as;
    out.rows(lg_users_, &lg_delta_);
    out.dense(&lg_input_, same_as{0});
    out.dense(nullptr, same_as{0});
    out.rows(*s->out_items.idx, &s->hp);
    out.rows(*s->out_bias.idx, nullptr);
  }

  /// Convenience over a workspace the model owns (not part of the Model policy): what the
  /// one-batch-at-a-time callers use. users and items must stay alive until backward().
  void forward(const index_vector& users, const index_vector& items, vector& logits) {
    forward_pairs(users, items, own_, logits);
  }
  /// Convenience: backward() of the last convenience forward().
  void backward(const vector& dlogits) { backward(own_, dlogits); }

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
    hidden(users, sv_, nullptr, sz_);
    B::map(sz_, sz_, nn::kernels::activation_forward<scalar, nn::sigmoid_op>{});
    B::gemm(false, true, scalar(1), sz_, out_items_.table(), scalar(0), scores);
    B::add_row_broadcast(scores, out_bias_.table());
  }

  /// out[n, :] = [h_u || W'_i]: the user's uncorrupted hidden code and the item's output vector
  /// (the two factors of the logit); 2 * hidden columns. Own buffers.
  void features(const batch_type& batch, matrix& out) { features(batch.users, batch.items, out); }
  void features(const index_vector& users, const index_vector& items, matrix& out) {
    detail::require_pairs(users.size(), items.size(), "CDAE::features");
    B::gather_rows(user_node_.table(), users, fv_);
    hidden(users, fv_, nullptr, fz_);
    B::map(fz_, fz_, nn::kernels::activation_forward<scalar, nn::sigmoid_op>{});
    B::gather_rows(out_items_.table(), items, fi_);
    out.resize(static_cast<index_t>(users.size()), feature_dim());
    detail::put_cols<B>(fz_, out, 0);
    detail::put_cols<B>(fi_, out, options_.hidden);
  }
  index_t feature_dim() const noexcept { return 2 * options_.hidden; }

 private:
  void forward_pairs(const index_vector& users, const index_vector& items, workspace& ws, vector& logits) {
    detail::require_pairs(users.size(), items.size(), "CDAE");
    B::check_indices(users, this->users(), "CDAE::forward (users)");
    B::check_indices(items, this->items(), "CDAE::forward (items)");
    const std::size_t n = users.size();
    auto& s = ws.s_.get();
    s.forwarded = false;
    if (s.user_slot.size() != static_cast<std::size_t>(this->users())) {
      s.user_slot.resize(static_cast<std::size_t>(this->users()));
      B::fill_index(s.user_slot, index_t(-1));
      s.unique.clear();
    }
    // forget the previous batch's users, then group this batch's pairs by user
    B::launch(s.unique.size(), kernels::set_user_slot{B::ptr(s.unique), B::ptr(s.user_slot), index_t(-1)});
    s.groups.keys.resize(n);
    s.groups.sorted_rows.resize(n);
    s.groups.order.resize(n);
    B::launch(n, kernels::user_key{B::ptr(users), B::ptr(s.groups.keys)});
    B::sort_keys(s.groups.keys);
    B::launch(n, kernels::split_user_key{B::ptr(s.groups.keys), B::ptr(s.groups.sorted_rows), B::ptr(s.groups.order)});
    B::unique_segments(s.groups.sorted_rows, s.unique, s.groups.counts, s.groups.offsets);
    s.slot.resize(n);
    B::launch(s.unique.size(), kernels::assign_slots{B::ptr(s.unique), B::ptr(s.groups.offsets), B::ptr(s.groups.order),
                                                      B::ptr(s.slot), B::ptr(s.user_slot)});
    // the corruption: a fresh mask, or with replay the one this workspace holds
    s.corrupt = training_ && options_.corruption > 0.0;
    if (s.corrupt) {
      if (ws.replay) {
        if (!s.has_mask || s.version != version_) {
          throw config_error("CDAE::forward: replay needs a corruption mask from a previous training forward with this "
                             "workspace (on the current training matrix)");
        }
      } else {
        s.mask.resize(user_item_ids_.size());
        B::launch(s.mask.size(), kernels::cdae_mask<scalar>{B::ptr(s.mask),
                                                             random::counter_stream(random::derive_seed(corruption_seed_, calls_++)),
                                                             static_cast<scalar>(options_.corruption), keep_scale(true)});
        s.has_mask = true;
      }
    }
    s.version = version_;
    // hidden codes of the distinct users
    user_node_.forward(s.unique, s.vrows, s.user_node);
    hidden(s.unique, s.vrows, mask_or_null(s), s.z);
    B::map(s.z, s.h, nn::kernels::activation_forward<scalar, nn::sigmoid_op>{});
    // logits
    B::gather_rows(s.h, s.slot, s.hp);
    out_items_.forward(items, s.wo, s.out_items);
    B::row_dot(s.hp, s.wo, logits);
    out_bias_.forward(items, s.bo, s.out_bias);
    B::axpy(scalar(1), s.bo.values(), logits);
    s.pairs = n;
    s.forwarded = true;
  }

  void require_version(const typename workspace::state& s, const char* what) const {
    if (s.version != version_) {
      throw config_error(std::string("CDAE::") + what + ": set_user_items() was called since this workspace's forward");
    }
  }

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
  static const scalar* mask_or_null(const typename workspace::state& s) {
    return s.corrupt ? B::ptr(s.mask) : nullptr;
  }
  /// z[s, :] = V[rows[s], :] + b + the sum of the user's W rows, masked by a forward's corruption
  /// (each kept row scaled by 1 / (1 - q)) when mask is not null.
  void hidden(const index_vector& rows, const matrix& v_rows, const scalar* mask, matrix& z) {
    z.resize(static_cast<index_t>(rows.size()), options_.hidden);
    B::launch(block_count(z.rows()),
              kernels::cdae_hidden<scalar>{B::ptr(rows), B::ptr(user_offsets_), B::ptr(user_item_ids_), B::ptr(v_rows),
                                           B::ptr(b_), B::ptr(w_), mask, B::ptr(z),
                                           static_cast<std::size_t>(options_.hidden)},
              kernels::cdae_column_block * static_cast<std::size_t>(options_.hidden));
  }
  /// Threads of a row kernel over `rows` rows of hidden width: one per (row, column block).
  std::size_t block_count(index_t rows) const {
    return static_cast<std::size_t>(rows) * kernels::cdae_blocks(static_cast<std::size_t>(options_.hidden));
  }

  cdae_options options_;
  nn::Embedding<B> user_node_;   // V
  nn::Embedding<B> out_items_;   // W'
  nn::Embedding<B> out_bias_;    // b'
  matrix w_, dw_, b_, db_;       // W (items x hidden), b (1 x hidden)
  // the training matrix, by user and by item
  offset_vector user_offsets_, item_offsets_, item_user_position_;
  index_vector user_item_ids_, item_users_;
  std::uint64_t version_ = 0;  // bumped by set_user_items()
  bool training_ = true;
  std::uint64_t corruption_seed_ = 0;
  std::uint64_t calls_ = 0;
  workspace own_;                                   // the convenience forward()/backward()'s
  matrix t_v_, t_z_, t_h_, t_hp_, t_wo_;            // jvp() scratch
  vector t_l_;
  matrix sv_, sz_, fv_, fz_, fi_;                   // score() / features() buffers
  matrix lg_delta_, lg_input_;                      // logit_gradients() scratch
  index_vector lg_users_;
};

}  // namespace models
}  // namespace denoise
