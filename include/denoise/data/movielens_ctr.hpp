// MovieLens as a multi-field CTR dataset, encoded as AutoDenoise (Lin et al.) does: every field is
// label-encoded over its sorted distinct values (integers numerically, strings as bytes), and the
// label is rating > 3. Fields, in AutoDenoise's order:
//   item (the movie), genres (the whole genre string, one value), year (release year: from the
//   release date in ml-100k, from the title in ML-1M), user, occupation, age (the index of the
//   bucket in 1, 18, 25, 35, 45, 50, 56), gender, zip (first 5 characters)
// load_movielens_*_ctr return the Interactions (ratings and ids kept, fields added);
// load_movielens_*_ctr_fields return the FieldDataset the CTR models train on.
// The ratings keep their rating, timestamp and instance order; the noise flag follows the implicit
// convention (rating < noisy_below) for evaluation.
#pragma once

#include <cstddef>
#include <string>
#include <unordered_map>
#include <vector>

#include "../core/error.hpp"
#include "interactions.hpp"
#include "field_dataset.hpp"
#include "label_encoder.hpp"
#include "movielens.hpp"

namespace denoise {
namespace data {

struct CtrOptions {
  float positive_above = 3.0f;   ///< label = rating > positive_above
  float noisy_below = 3.0f;      ///< ground-truth noise flag of a positive (rating < noisy_below)
  std::size_t zip_prefix = 5;    ///< characters of the zip code kept (Lin: zip[0:5])
  bool bucket_ages = true;       ///< 100K raw ages -> the 1M buckets (1, 18, 25, 35, 45, 50, 56)
};

/// The MovieLens 1M age bucket of an age in years.
inline int movielens_age_bucket(int age) noexcept {
  if (age < 18) return 1;
  if (age < 25) return 18;
  if (age < 35) return 25;
  if (age < 45) return 35;
  if (age < 50) return 45;
  if (age < 56) return 50;
  return 56;
}

/// Builds the CTR fields of `ratings` from its side tables. Every rated user and item must be in
/// the side tables (an input_error naming the side file otherwise).
inline Interactions encode_movielens_ctr(Interactions ratings, const std::vector<UserInfo>& users,
                                         const std::vector<MovieInfo>& movies, const CtrOptions& options = {},
                                         const std::string& users_name = "users",
                                         const std::string& movies_name = "movies") {
  std::unordered_map<std::int64_t, std::size_t> user_row, movie_row;
  for (std::size_t k = 0; k < users.size(); ++k) user_row.emplace(users[k].id, k);
  for (std::size_t k = 0; k < movies.size(); ++k) movie_row.emplace(movies[k].id, k);
  const std::size_t n = ratings.size();
  std::vector<std::string> col[8];
  for (auto& c : col) c.reserve(n);
  const auto u = ratings.users();
  const auto it = ratings.items();
  for (std::size_t r = 0; r < n; ++r) {
    const std::int64_t raw_u = ratings.user_ids().raw_of(u[r]);
    const std::int64_t raw_i = ratings.item_ids().raw_of(it[r]);
    const auto fu = user_row.find(raw_u);
    if (fu == user_row.end())
      throw input_error("user " + std::to_string(raw_u) + " is rated but not in the user file",
                        location::at(users_name, 0, "user id"));
    const auto fm = movie_row.find(raw_i);
    if (fm == movie_row.end())
      throw input_error("movie " + std::to_string(raw_i) + " is rated but not in the movie file",
                        location::at(movies_name, 0, "movie id"));
    const UserInfo& us = users[fu->second];
    const MovieInfo& mv = movies[fm->second];
    col[0].push_back(std::to_string(raw_i));
    col[1].push_back(mv.genres);
    col[2].push_back(mv.year);
    col[3].push_back(std::to_string(raw_u));
    col[4].push_back(us.occupation);
    col[5].push_back(std::to_string(options.bucket_ages ? movielens_age_bucket(us.age) : us.age));
    col[6].push_back(us.gender);
    col[7].push_back(us.zip.substr(0, options.zip_prefix));
  }
  static const char* const names[8] = {"item", "genres", "year", "user", "occupation", "age", "gender", "zip"};
  for (std::size_t f = 0; f < 8; ++f) {
    LabelEncoder enc;
    auto codes = enc.encode(col[f]);
    ratings.add_field(names[f], std::move(codes), static_cast<index_t>(enc.size()), enc.vocabulary());
  }
  auto labels = ratings.mutable_labels();
  auto noisy = ratings.mutable_noisy();
  const auto rt = ratings.ratings();
  for (std::size_t r = 0; r < n; ++r) {
    labels[r] = rt[r] > options.positive_above ? 1.0f : 0.0f;
    noisy[r] = rt[r] < options.noisy_below ? 1 : 0;
  }
  return ratings;
}

/// MovieLens 100K as CTR data from `u.data`, `u.user` and `u.item` in `directory`.
inline Interactions load_movielens_100k_ctr(const std::string& directory, const CtrOptions& options = {}) {
  const std::string users_path = directory + "/u.user", items_path = directory + "/u.item";
  return encode_movielens_ctr(load_movielens_100k(directory + "/u.data"), load_movielens_100k_users(users_path),
                              load_movielens_100k_items(items_path), options, users_path, items_path);
}

/// MovieLens 1M as CTR data from `ratings.dat`, `users.dat` and `movies.dat` in `directory`
/// (ages there are already bucket codes).
inline Interactions load_movielens_1m_ctr(const std::string& directory, CtrOptions options = {}) {
  options.bucket_ages = false;
  const std::string users_path = directory + "/users.dat", items_path = directory + "/movies.dat";
  return encode_movielens_ctr(load_movielens_dat(directory + "/ratings.dat"), load_movielens_users_dat(users_path),
                              load_movielens_movies_dat(items_path), options, users_path, items_path);
}

/// MovieLens 100K CTR rows as a FieldDataset (fields in the order above).
inline FieldDataset load_movielens_100k_ctr_fields(const std::string& directory, const CtrOptions& options = {}) {
  return to_field_dataset(load_movielens_100k_ctr(directory, options));
}

/// MovieLens 1M CTR rows as a FieldDataset (fields in the order above).
inline FieldDataset load_movielens_1m_ctr_fields(const std::string& directory, const CtrOptions& options = {}) {
  return to_field_dataset(load_movielens_1m_ctr(directory, options));
}

}  // namespace data
}  // namespace denoise
