// Interactions: the columnar container every method reads. One row per observed instance:
//   user, item (dense indices), label, rating, timestamp, noisy (ground truth), instance id,
//   and optional categorical feature fields (label-encoded, for CTR models).
//
// The instance id is the row's position in the dataset as first loaded or generated; subsets and
// splits keep it, so an instance is at a fixed, known position across epochs (AutoDenoise's LMat)
// and a saved subset (a list of instance ids) can be applied to the full data again.
//
// The `noisy` column is ground truth for evaluation and denoising metrics only. Batchers never
// copy it into a batch, so training cannot see it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "../core/error.hpp"
#include "../core/span.hpp"
#include "../core/types.hpp"
#include "csr_index.hpp"
#include "id_map.hpp"

namespace denoise {
namespace data {

class Interactions {
 public:
  Interactions() : users_map_(std::make_shared<IdMap>()), items_map_(std::make_shared<IdMap>()) {}

  // ---- sizes -------------------------------------------------------------------------------
  std::size_t size() const noexcept { return users_.size(); }
  bool empty() const noexcept { return users_.empty(); }
  index_t n_users() const noexcept { return static_cast<index_t>(users_map_->size()); }
  index_t n_items() const noexcept { return static_cast<index_t>(items_map_->size()); }

  // ---- columns -------------------------------------------------------------------------------
  span<const index_t> users() const noexcept { return users_; }
  span<const index_t> items() const noexcept { return items_; }
  span<const float> labels() const noexcept { return labels_; }
  span<const float> ratings() const noexcept { return ratings_; }
  span<const std::int64_t> timestamps() const noexcept { return timestamps_; }
  /// Ground-truth noise flags (1 = a false positive or a noisy negative). Evaluation only.
  span<const std::uint8_t> noisy() const noexcept { return noisy_; }
  span<const offset_t> instances() const noexcept { return instances_; }
  span<float> mutable_labels() noexcept { return labels_; }
  span<std::uint8_t> mutable_noisy() noexcept { return noisy_; }
  span<float> mutable_ratings() noexcept { return ratings_; }
  span<std::int64_t> mutable_timestamps() noexcept { return timestamps_; }

  bool has_ratings() const noexcept { return has_ratings_; }
  bool has_timestamps() const noexcept { return has_timestamps_; }
  void set_has_ratings(bool v) noexcept { has_ratings_ = v; }
  void set_has_timestamps(bool v) noexcept { has_timestamps_ = v; }

  /// One more than the largest instance id this dataset (or the one it came from) holds.
  offset_t instance_capacity() const noexcept { return next_instance_; }

  // ---- id maps -------------------------------------------------------------------------------
  const IdMap& user_ids() const noexcept { return *users_map_; }
  const IdMap& item_ids() const noexcept { return *items_map_; }
  IdMap& mutable_user_ids() noexcept { return *users_map_; }
  IdMap& mutable_item_ids() noexcept { return *items_map_; }
  std::shared_ptr<IdMap> shared_user_ids() const noexcept { return users_map_; }
  std::shared_ptr<IdMap> shared_item_ids() const noexcept { return items_map_; }
  index_t add_user(std::int64_t raw) { return users_map_->insert(raw); }
  index_t add_item(std::int64_t raw) { return items_map_->insert(raw); }

  // ---- building ------------------------------------------------------------------------------
  void reserve(std::size_t n) {
    users_.reserve(n);
    items_.reserve(n);
    labels_.reserve(n);
    ratings_.reserve(n);
    timestamps_.reserve(n);
    noisy_.reserve(n);
    instances_.reserve(n);
  }

  /// Appends a row with the next instance id. `user` and `item` must already be dense indices.
  void push_back(index_t user, index_t item, float label, float rating = 0.0f,
                 std::int64_t timestamp = 0, bool noisy = false) {
    push_back_with_instance(user, item, label, rating, timestamp, noisy, next_instance_);
  }

  /// Appends a row that keeps a given instance id (import of a saved subset).
  /// Indices outside [0, n_users()) / [0, n_items()) are a config_error.
  void push_back_with_instance(index_t user, index_t item, float label, float rating,
                               std::int64_t timestamp, bool noisy, offset_t instance) {
    if (user < 0 || user >= n_users())
      throw config_error("user index " + std::to_string(user) + " outside [0, " + std::to_string(n_users()) + ")",
                         location::of_field("user"));
    if (item < 0 || item >= n_items())
      throw config_error("item index " + std::to_string(item) + " outside [0, " + std::to_string(n_items()) + ")",
                         location::of_field("item"));
    users_.push_back(user);
    items_.push_back(item);
    labels_.push_back(label);
    ratings_.push_back(rating);
    timestamps_.push_back(timestamp);
    noisy_.push_back(noisy ? 1 : 0);
    instances_.push_back(instance);
    if (instance + 1 > next_instance_) next_instance_ = instance + 1;
  }

  // ---- feature fields (categorical, label-encoded) --------------------------------------------
  std::size_t n_fields() const noexcept { return fields_.size(); }
  const std::string& field_name(std::size_t f) const { return fields_.at(f).name; }
  span<const index_t> field(std::size_t f) const { return fields_.at(f).values; }
  index_t field_cardinality(std::size_t f) const { return fields_.at(f).cardinality; }
  /// The original value of each code of field f (may be empty when not kept).
  const std::vector<std::string>& field_vocabulary(std::size_t f) const { return fields_.at(f).vocabulary; }
  /// Index of the field called `name`, or n_fields() when there is none.
  std::size_t find_field(const std::string& name) const {
    for (std::size_t f = 0; f < fields_.size(); ++f)
      if (fields_[f].name == name) return f;
    return fields_.size();
  }

  /// Adds a field column (one code per row, each in [0, cardinality)).
  void add_field(std::string name, std::vector<index_t> values, index_t cardinality,
                 std::vector<std::string> vocabulary = {}) {
    if (values.size() != size())
      throw config_error("field has " + std::to_string(values.size()) + " values for " +
                             std::to_string(size()) + " rows",
                         location::of_field(name));
    for (index_t v : values)
      if (v < 0 || v >= cardinality)
        throw config_error("field code " + std::to_string(v) + " outside [0, " +
                               std::to_string(cardinality) + ")",
                           location::of_field(name));
    fields_.push_back(field_column{std::move(name), std::move(values), cardinality, std::move(vocabulary)});
  }

  // ---- views ---------------------------------------------------------------------------------
  /// Items of each user (n_users() rows, sorted distinct items).
  CsrIndex by_user() const { return CsrIndex::build(users_, items_, static_cast<std::size_t>(n_users())); }
  /// Users of each item (n_items() rows, sorted distinct users).
  CsrIndex by_item() const { return CsrIndex::build(items_, users_, static_cast<std::size_t>(n_items())); }
  /// Like by_user(), over the rows with a positive label only.
  CsrIndex positives_by_user() const {
    std::vector<index_t> u, i;
    for (std::size_t k = 0; k < size(); ++k)
      if (labels_[k] > 0.0f) {
        u.push_back(users_[k]);
        i.push_back(items_[k]);
      }
    return CsrIndex::build(u, i, static_cast<std::size_t>(n_users()));
  }

  /// Number of rows of each user / item.
  std::vector<offset_t> user_degrees() const { return degrees(users_, n_users()); }
  std::vector<offset_t> item_degrees() const { return degrees(items_, n_items()); }

  /// The rows at `positions` (in that order), with the same id maps, fields and instance ids.
  Interactions subset(span<const std::size_t> positions) const {
    Interactions out = empty_like();
    out.reserve(positions.size());
    for (std::size_t p : positions)
      out.push_back_with_instance(users_[p], items_[p], labels_[p], ratings_[p], timestamps_[p],
                                  noisy_[p] != 0, instances_[p]);
    for (const auto& f : fields_) {
      std::vector<index_t> values;
      values.reserve(positions.size());
      for (std::size_t p : positions) values.push_back(f.values[p]);
      out.fields_.push_back(field_column{f.name, std::move(values), f.cardinality, f.vocabulary});
    }
    out.next_instance_ = next_instance_;
    return out;
  }

  /// The rows for which pred(row position) is true, in order.
  template <class Predicate>
  Interactions filter(Predicate pred) const {
    std::vector<std::size_t> keep;
    for (std::size_t k = 0; k < size(); ++k)
      if (pred(k)) keep.push_back(k);
    return subset(keep);
  }

  /// The rows whose instance id is in `ids` (a saved subset), in the order of this dataset.
  /// An id that is not in this dataset is a config_error.
  Interactions select_instances(span<const offset_t> ids) const {
    std::vector<std::int64_t> where(static_cast<std::size_t>(next_instance_), -1);
    for (std::size_t k = 0; k < size(); ++k) where[static_cast<std::size_t>(instances_[k])] = static_cast<std::int64_t>(k);
    std::vector<std::uint8_t> chosen(size(), 0);
    for (offset_t id : ids) {
      if (id < 0 || id >= next_instance_ || where[static_cast<std::size_t>(id)] < 0)
        throw config_error("instance " + std::to_string(id) + " is not in this dataset",
                           location::of_field("instance"));
      chosen[static_cast<std::size_t>(where[static_cast<std::size_t>(id)])] = 1;
    }
    return filter([&](std::size_t k) { return chosen[k] != 0; });
  }

  /// An empty dataset sharing this one's id maps, flags and field definitions.
  Interactions empty_like() const {
    Interactions out;
    out.users_map_ = users_map_;
    out.items_map_ = items_map_;
    out.has_ratings_ = has_ratings_;
    out.has_timestamps_ = has_timestamps_;
    out.next_instance_ = 0;
    return out;
  }

  /// Replaces the id maps (used by importers; all rows must be in range of the new maps).
  void set_id_maps(std::shared_ptr<IdMap> users, std::shared_ptr<IdMap> items) {
    users_map_ = std::move(users);
    items_map_ = std::move(items);
  }

  /// Rows, fields and maps are equal (the instance capacity is not compared).
  friend bool operator==(const Interactions& a, const Interactions& b) {
    if (a.users_ != b.users_ || a.items_ != b.items_ || a.labels_ != b.labels_ ||
        a.ratings_ != b.ratings_ || a.timestamps_ != b.timestamps_ || a.noisy_ != b.noisy_ ||
        a.instances_ != b.instances_ || a.fields_.size() != b.fields_.size() ||
        a.n_users() != b.n_users() || a.n_items() != b.n_items())
      return false;
    for (std::size_t f = 0; f < a.fields_.size(); ++f)
      if (a.fields_[f].name != b.fields_[f].name || a.fields_[f].values != b.fields_[f].values ||
          a.fields_[f].cardinality != b.fields_[f].cardinality)
        return false;
    return true;
  }
  friend bool operator!=(const Interactions& a, const Interactions& b) { return !(a == b); }

 private:
  struct field_column {
    std::string name;
    std::vector<index_t> values;
    index_t cardinality = 0;
    std::vector<std::string> vocabulary;
  };

  static std::vector<offset_t> degrees(const std::vector<index_t>& ids, index_t n) {
    std::vector<offset_t> d(static_cast<std::size_t>(n), 0);
    for (index_t x : ids) ++d[static_cast<std::size_t>(x)];
    return d;
  }

  std::vector<index_t> users_, items_;
  std::vector<float> labels_, ratings_;
  std::vector<std::int64_t> timestamps_;
  std::vector<std::uint8_t> noisy_;
  std::vector<offset_t> instances_;
  std::vector<field_column> fields_;
  std::shared_ptr<IdMap> users_map_, items_map_;
  bool has_ratings_ = false, has_timestamps_ = false;
  offset_t next_instance_ = 0;
};

}  // namespace data
}  // namespace denoise
