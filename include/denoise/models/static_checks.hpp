// check_model<M>(): one readable static_assert per member of the Model policy, each naming the
// member and docs/policies/model.md (ensmallen's static_checks style); sequence models (batch kind
// data::sequences_tag) also need users(), items() and score(windows, scores). The trainer calls it, so a
// user-written model that lacks a member fails with that line instead of a template backtrace.
// The convenience forward(users, items, logits) / backward(dlogits) of the built-in models are not
// part of the policy; the optional exact jvp(workspace, direction, logit_tangent) is detected by
// nn::has_exact_jvp_v (nn/jvp.hpp).
// DENOISE_DISABLE_STATIC_CHECKS turns the checks off.
#pragma once

#include <cstdint>
#include <type_traits>
#include <utility>

#include "../core/static_checks.hpp"
#include "../core/types.hpp"
#include "../data/pair_batch.hpp"
#include "../data/sequence_batch.hpp"

namespace denoise {
namespace models {
namespace detail {
namespace probe {

template <class M> using backend_t = typename M::backend;
template <class M> using scalar_t = typename M::scalar;
template <class M> using matrix_t = typename M::matrix;
template <class M> using vector_t = typename M::vector;
template <class M> using index_vector_t = typename M::index_vector;

template <class M> using name_t = decltype(M::name());
/// True unless M's batch kind is known and is not data::pairs_tag: the pair-only members
/// (constructor from users and items, users(), items(), score()) are required of pair models only.
template <class M, class = void>
struct consumes_pairs : std::true_type {};
template <class M>
struct consumes_pairs<M, std::void_t<typename M::batch_type::kind>>
    : std::is_same<typename M::batch_type::kind, data::pairs_tag> {};
template <class M> using construct_t = decltype(M(index_t{}, index_t{}));
template <class M> using users_t = decltype(std::declval<const M&>().users());
template <class M> using items_t = decltype(std::declval<const M&>().items());
template <class M> using train_t = decltype(std::declval<M&>().train(true));
template <class M> using eval_t = decltype(std::declval<M&>().eval());
template <class M> using training_t = decltype(static_cast<bool>(std::declval<const M&>().training()));
template <class M> using batch_type_t = typename M::batch_type;
template <class M> using workspace_t = typename M::workspace;
/// M::workspace, or int when it is missing (so the later checks stay quiet).
template <class M, class = void>
struct workspace_or_int {
  using type = int;
};
template <class M>
struct workspace_or_int<M, std::void_t<typename M::workspace>> {
  using type = typename M::workspace;
};
template <class M> using workspace_default_t = decltype(typename M::workspace{});
template <class M> using workspace_replay_t =
    std::enable_if_t<std::is_same<decltype(std::declval<typename M::workspace&>().replay), bool>::value>;
template <class M> using forward_t = decltype(std::declval<M&>().forward(
    std::declval<const typename M::batch_type&>(), std::declval<typename M::workspace&>(),
    std::declval<typename M::vector&>()));
template <class M> using backward_t = decltype(std::declval<M&>().backward(
    std::declval<typename M::workspace&>(), std::declval<const typename M::vector&>()));
/// A visitor that accepts anything: what visit_parameters must be callable with.
struct any_visitor {
  template <class P>
  void operator()(P&&) const {}
};
template <class M> using visit_t = decltype(std::declval<M&>().visit_parameters(any_visitor{}));
template <class M> using reset_t = decltype(std::declval<M&>().reset(std::uint64_t{}));
template <class M> using score_t = decltype(std::declval<M&>().score(
    std::declval<const typename M::index_vector&>(), std::declval<typename M::matrix&>()));
/// True when M's batch kind is data::sequences_tag (GRU4Rec, SASRec, MFSoftmax, or a user's).
template <class M, class = void>
struct consumes_sequences : std::false_type {};
template <class M>
struct consumes_sequences<M, std::void_t<typename M::batch_type::kind>>
    : std::is_same<typename M::batch_type::kind, data::sequences_tag> {};
template <class M> using sequence_score_t = decltype(std::declval<M&>().score(
    std::declval<const typename M::batch_type&>(), std::declval<typename M::matrix&>()));
template <class M> using features_t = decltype(std::declval<M&>().features(
    std::declval<const typename M::batch_type&>(), std::declval<typename M::matrix&>()));
template <class M> using feature_dim_t = decltype(std::declval<const M&>().feature_dim());

}  // namespace probe
}  // namespace detail

/// True when M meets every requirement of the Model policy; otherwise a static_assert names the
/// first missing member. Use as `static_assert(models::check_model<M>(), "");`.
template <class M>
constexpr bool check_model() {
  using traits::is_detected_v;
  namespace p = detail::probe;
  constexpr bool pairs_only_ok = !p::consumes_pairs<M>::value;  // field-row / sequence models skip them
  DENOISE_STATIC_CHECK((is_detected_v<p::backend_t, M>),
                       "denoise: a Model policy needs 'using backend = B;' (its Backend); see docs/policies/model.md");
  DENOISE_STATIC_CHECK((is_detected_v<p::scalar_t, M>),
                       "denoise: a Model policy needs 'using scalar = typename B::scalar;'; see docs/policies/model.md");
  DENOISE_STATIC_CHECK((is_detected_v<p::matrix_t, M>),
                       "denoise: a Model policy needs 'using matrix = typename B::matrix;'; see docs/policies/model.md");
  DENOISE_STATIC_CHECK((is_detected_v<p::vector_t, M>),
                       "denoise: a Model policy needs 'using vector = typename B::vector;'; see docs/policies/model.md");
  DENOISE_STATIC_CHECK((is_detected_v<p::index_vector_t, M>),
                       "denoise: a Model policy needs 'using index_vector = typename B::index_vector;'; see "
                       "docs/policies/model.md");
  DENOISE_STATIC_CHECK((is_detected_v<p::name_t, M>),
                       "denoise: a Model policy needs 'static constexpr const char* name()'; see docs/policies/model.md");
  DENOISE_STATIC_CHECK((pairs_only_ok || is_detected_v<p::construct_t, M>),
                       "denoise: a Model policy needs a constructor 'M(index_t users, index_t items, options = {}, "
                       "std::uint64_t seed = 0)'; see docs/policies/model.md");
  DENOISE_STATIC_CHECK((pairs_only_ok || is_detected_v<p::users_t, M>),
                       "denoise: a Model policy needs 'index_t users() const noexcept'; see docs/policies/model.md");
  DENOISE_STATIC_CHECK((pairs_only_ok || is_detected_v<p::items_t, M>),
                       "denoise: a Model policy needs 'index_t items() const noexcept'; see docs/policies/model.md");
  DENOISE_STATIC_CHECK((is_detected_v<p::train_t, M>),
                       "denoise: a Model policy needs 'void train(bool on = true)'; see docs/policies/model.md");
  DENOISE_STATIC_CHECK((is_detected_v<p::eval_t, M>),
                       "denoise: a Model policy needs 'void eval()'; see docs/policies/model.md");
  DENOISE_STATIC_CHECK((is_detected_v<p::training_t, M>),
                       "denoise: a Model policy needs 'bool training() const' (evaluators restore the mode they found); "
                       "see docs/policies/model.md");
  DENOISE_STATIC_CHECK((is_detected_v<p::batch_type_t, M>),
                       "denoise: a Model policy needs 'using batch_type = ...;' (the batch it consumes, e.g. "
                       "data::pair_batch<B>); see docs/policies/model.md");
  DENOISE_STATIC_CHECK((is_detected_v<p::workspace_t, M>),
                       "denoise: a Model policy needs a nested 'class workspace' (caller-owned activation caches); "
                       "see docs/policies/model.md");
  // The members below need the workspace: without one, the line above is the only message.
  constexpr bool no_workspace = !is_detected_v<p::workspace_t, M>;
  DENOISE_STATIC_CHECK((no_workspace || is_detected_v<p::workspace_default_t, M>),
                       "denoise: a Model policy's workspace must be default-constructible; see docs/policies/model.md");
  DENOISE_STATIC_CHECK((no_workspace || (std::is_move_constructible<typename p::workspace_or_int<M>::type>::value &&
                                         std::is_move_assignable<typename p::workspace_or_int<M>::type>::value)),
                       "denoise: a Model policy's workspace must be movable; see docs/policies/model.md");
  DENOISE_STATIC_CHECK((no_workspace || is_detected_v<p::workspace_replay_t, M>),
                       "denoise: a Model policy's workspace needs a public member 'bool replay = false;'; see "
                       "docs/policies/model.md");
  DENOISE_STATIC_CHECK((no_workspace || is_detected_v<p::forward_t, M>),
                       "denoise: a Model policy needs 'void forward(const batch_type& batch, workspace& ws, vector& "
                       "logits)'; see docs/policies/model.md");
  DENOISE_STATIC_CHECK((no_workspace || is_detected_v<p::backward_t, M>),
                       "denoise: a Model policy needs 'void backward(workspace& ws, const vector& dlogits)'; see "
                       "docs/policies/model.md");
  DENOISE_STATIC_CHECK((is_detected_v<p::visit_t, M>),
                       "denoise: a Model policy needs 'template <class F> void visit_parameters(F&& f)' calling "
                       "f(nn::param_ref<B>) per parameter; see docs/policies/model.md");
  DENOISE_STATIC_CHECK((is_detected_v<p::reset_t, M>),
                       "denoise: a Model policy needs 'void reset(std::uint64_t seed)'; see docs/policies/model.md");
  DENOISE_STATIC_CHECK((pairs_only_ok || is_detected_v<p::score_t, M>),
                       "denoise: a Model policy needs 'void score(const index_vector& users, matrix& scores)'; see "
                       "docs/policies/model.md");
  // Sequence models: the trainer checks the catalogue and the users, the evaluator scores windows.
  constexpr bool not_sequences = !p::consumes_sequences<M>::value;
  DENOISE_STATIC_CHECK((not_sequences || is_detected_v<p::users_t, M>),
                       "denoise: a sequence Model needs 'index_t users() const noexcept'; see docs/sequential.md");
  DENOISE_STATIC_CHECK((not_sequences || is_detected_v<p::items_t, M>),
                       "denoise: a sequence Model needs 'index_t items() const noexcept' (the catalogue it scores); "
                       "see docs/sequential.md");
  DENOISE_STATIC_CHECK((not_sequences || is_detected_v<p::sequence_score_t, M>),
                       "denoise: a sequence Model needs 'void score(const batch_type& windows, matrix& scores)' "
                       "(windows x items, for evaluators::SequenceRanking); see docs/sequential.md");
  DENOISE_STATIC_CHECK((is_detected_v<p::features_t, M>),
                       "denoise: a Model policy needs 'void features(const batch_type& batch, matrix& out)'; see "
                       "docs/policies/model.md");
  DENOISE_STATIC_CHECK((is_detected_v<p::feature_dim_t, M>),
                       "denoise: a Model policy needs 'index_t feature_dim() const noexcept'; see "
                       "docs/policies/model.md");
  return true;
}

}  // namespace models
}  // namespace denoise
