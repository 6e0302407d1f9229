// How the pairs family builds each model from its settings. A new pair model adds an overload
// here and a pairs_runners line in a backend translation unit.
#pragma once

#include <cstdint>

#include <denoise/models/cdae.hpp>
#include <denoise/models/gmf.hpp>
#include <denoise/models/lightgcn.hpp>
#include <denoise/models/mf.hpp>
#include <denoise/models/neumf.hpp>
#include <denoise/models/ngcf.hpp>

#include "prepared_data.hpp"
#include "pairs_runner_base.hpp"

namespace denoise_cli {

template <class Model>
struct model_tag {};

template <class B>
denoise::models::MF<B> make_pairs_model(model_tag<denoise::models::MF<B>>, const pairs_settings& s,
                                        const prepared_data& d, std::uint64_t seed) {
  denoise::models::mf_options o;
  o.factor = s.factor;
  return denoise::models::MF<B>(d.n_users(), d.n_items(), o, seed);
}

template <class B>
denoise::models::GMF<B> make_pairs_model(model_tag<denoise::models::GMF<B>>, const pairs_settings& s,
                                         const prepared_data& d, std::uint64_t seed) {
  denoise::models::gmf_options o;
  o.factor = s.factor;
  return denoise::models::GMF<B>(d.n_users(), d.n_items(), o, seed);
}

template <class B>
denoise::models::NeuMF<B> make_pairs_model(model_tag<denoise::models::NeuMF<B>>, const pairs_settings& s,
                                           const prepared_data& d, std::uint64_t seed) {
  denoise::models::neumf_options o;
  o.factor = s.factor;
  o.layers = s.layers;
  o.dropout = s.dropout;
  return denoise::models::NeuMF<B>(d.n_users(), d.n_items(), o, seed);
}

template <class B>
denoise::models::CDAE<B> make_pairs_model(model_tag<denoise::models::CDAE<B>>, const pairs_settings& s,
                                          const prepared_data& d, std::uint64_t seed) {
  denoise::models::cdae_options o;
  o.hidden = s.hidden;
  o.corruption = s.corruption;
  return denoise::models::CDAE<B>(d.n_users(), d.n_items(), d.train_by_user.view(), o, seed);
}

/// LightGCN on the training graph: --factor, --layers (propagation layers), --l2 (batch L2 on the
/// layer-0 rows; the reference's 1e-4).
template <class B>
denoise::models::LightGCN<B> make_pairs_model(model_tag<denoise::models::LightGCN<B>>, const pairs_settings& s,
                                              const prepared_data& d, std::uint64_t seed) {
  denoise::models::lightgcn_options o;
  o.factor = s.factor;
  o.layers = s.layers;
  o.l2 = s.l2;
  return denoise::models::LightGCN<B>(d.n_users(), d.n_items(), d.train_by_user.view(), o, seed);
}

/// NGCF on the training graph: --factor, --layers, --dropout (message dropout), --node-dropout,
/// --l2 (batch L2 on the final rows).
template <class B>
denoise::models::NGCF<B> make_pairs_model(model_tag<denoise::models::NGCF<B>>, const pairs_settings& s,
                                          const prepared_data& d, std::uint64_t seed) {
  denoise::models::ngcf_options o;
  o.factor = s.factor;
  o.layers = s.layers;
  o.message_dropout = s.dropout;
  o.node_dropout = s.node_dropout;
  o.l2 = s.l2;
  return denoise::models::NGCF<B>(d.n_users(), d.n_items(), d.train_by_user.view(), o, seed);
}

}  // namespace denoise_cli
