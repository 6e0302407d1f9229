// FieldDataset: the rows of a click-through-rate (CTR) task. Every row is F categorical feature
// fields, each label-encoded to a code in [0, cardinality(f)), and a 0/1 label (clicked / not).
// Codes are stored row-major (row r's fields at codes()[r * F, (r + 1) * F)).
//
// Each row carries a stable instance id: its position in the dataset as first loaded. Subsets
// and splits keep it, so a row has the same id in every epoch and every split (AutoDenoise
// indexes its per-instance loss history by it). An optional ground-truth noise flag per row is
// kept for evaluation only (e.g. MovieLens: a positive with a low rating); it is never shown to a
// method.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "../core/error.hpp"
#include "../core/span.hpp"
#include "../core/types.hpp"
#include "interactions.hpp"

namespace denoise {
namespace data {

class FieldDataset {
 public:
  FieldDataset() = default;

  /// An empty dataset with the given fields (names and cardinalities, each cardinality > 0).
  FieldDataset(std::vector<std::string> names, std::vector<index_t> cardinalities)
      : names_(std::move(names)), cardinalities_(std::move(cardinalities)) {
    if (names_.size() != cardinalities_.size()) {
      throw config_error("FieldDataset: " + std::to_string(names_.size()) + " field names for " +
                         std::to_string(cardinalities_.size()) + " cardinalities");
    }
    if (names_.empty()) throw config_error("FieldDataset: needs at least one field");
    // Every field shares one embedding table (global id = code + field offset), so the sum of
    // the cardinalities must fit an index_t.
    long long total = 0;
    for (std::size_t f = 0; f < names_.size(); ++f) {
      if (cardinalities_[f] <= 0) {
        throw config_error("FieldDataset: cardinality " + std::to_string(cardinalities_[f]) + " is not positive",
                           location::of_field(names_[f]));
      }
      total += cardinalities_[f];
      if (total > static_cast<long long>(std::numeric_limits<index_t>::max())) {
        throw config_error("FieldDataset: the cardinalities add up to more than " +
                               std::to_string(std::numeric_limits<index_t>::max()) +
                               " values (one embedding table holds every field)",
                           location::of_field(names_[f]));
      }
    }
  }

  std::size_t size() const noexcept { return labels_.size(); }
  bool empty() const noexcept { return labels_.empty(); }
  std::size_t n_fields() const noexcept { return names_.size(); }
  const std::vector<std::string>& field_names() const noexcept { return names_; }
  const std::string& field_name(std::size_t f) const { return names_.at(f); }
  index_t cardinality(std::size_t f) const { return cardinalities_.at(f); }
  const std::vector<index_t>& cardinalities() const noexcept { return cardinalities_; }
  /// Sum of the cardinalities: the rows of one embedding table shared by every field.
  index_t total_cardinality() const noexcept {
    index_t total = 0;
    for (index_t c : cardinalities_) total += c;
    return total;
  }
  /// Index of the field called `name`, or n_fields() when there is none.
  std::size_t find_field(const std::string& name) const {
    for (std::size_t f = 0; f < names_.size(); ++f)
      if (names_[f] == name) return f;
    return names_.size();
  }

  span<const index_t> codes() const noexcept { return codes_; }
  span<const index_t> row(std::size_t r) const noexcept {
    return span<const index_t>(codes_.data() + r * n_fields(), n_fields());
  }
  index_t code(std::size_t r, std::size_t f) const noexcept { return codes_[r * n_fields() + f]; }
  span<const float> labels() const noexcept { return labels_; }
  span<const offset_t> instances() const noexcept { return instances_; }
  /// One per row when known (1: noisy), empty otherwise.
  span<const std::uint8_t> noisy() const noexcept { return noisy_; }
  /// One more than the largest instance id this dataset (or the one it came from) holds.
  offset_t instance_capacity() const noexcept { return next_instance_; }

  /// Fraction of rows with label 1 (0 for an empty dataset).
  double positive_rate() const noexcept {
    if (labels_.empty()) return 0.0;
    std::size_t positives = 0;
    for (float l : labels_) positives += l > 0.5f ? 1 : 0;
    return static_cast<double>(positives) / static_cast<double>(labels_.size());
  }

  void reserve(std::size_t rows) {
    codes_.reserve(rows * n_fields());
    labels_.reserve(rows);
    instances_.reserve(rows);
  }

  /// Appends a row with the next instance id. codes.size() must be n_fields(), each code inside
  /// its field, the label 0 or 1 (config_error naming the field otherwise).
  void push_back(span<const index_t> codes, float label) { push_back_with_instance(codes, label, next_instance_); }

  /// Appends a row that keeps a given instance id (subsets, splits, imports).
  void push_back_with_instance(span<const index_t> codes, float label, offset_t instance) {
    if (codes.size() != n_fields()) {
      throw config_error("FieldDataset: a row of " + std::to_string(codes.size()) + " codes for " +
                         std::to_string(n_fields()) + " fields");
    }
    for (std::size_t f = 0; f < codes.size(); ++f) {
      if (codes[f] < 0 || codes[f] >= cardinalities_[f]) {
        throw config_error("code " + std::to_string(codes[f]) + " outside [0, " + std::to_string(cardinalities_[f]) +
                               ")",
                           location::of_field(names_[f]));
      }
    }
    if (!(label == 0.0f || label == 1.0f)) {
      throw config_error("label " + std::to_string(label) + " is not 0 or 1", location::of_field("label"));
    }
    if (instance < 0) throw config_error("FieldDataset: negative instance id");
    codes_.insert(codes_.end(), codes.begin(), codes.end());
    labels_.push_back(label);
    instances_.push_back(instance);
    if (instance + 1 > next_instance_) next_instance_ = instance + 1;
  }

  /// Sets the ground-truth noise flags (one per row).
  void set_noisy(std::vector<std::uint8_t> flags) {
    if (!flags.empty() && flags.size() != size()) {
      throw config_error("FieldDataset: " + std::to_string(flags.size()) + " noise flags for " +
                         std::to_string(size()) + " rows");
    }
    noisy_ = std::move(flags);
  }

  /// The rows at `positions`, in that order, with their instance ids, noise flags and the same
  /// fields; instance_capacity() is kept, so ids stay comparable with the full dataset.
  FieldDataset subset(const std::vector<std::size_t>& positions) const {
    FieldDataset out(names_, cardinalities_);
    out.reserve(positions.size());
    out.next_instance_ = next_instance_;
    for (std::size_t p : positions) {
      if (p >= size()) throw config_error("FieldDataset::subset: position " + std::to_string(p) + " out of range");
      out.codes_.insert(out.codes_.end(), codes_.begin() + static_cast<std::ptrdiff_t>(p * n_fields()),
                        codes_.begin() + static_cast<std::ptrdiff_t>((p + 1) * n_fields()));
      out.labels_.push_back(labels_[p]);
      out.instances_.push_back(instances_[p]);
      if (!noisy_.empty()) out.noisy_.push_back(noisy_[p]);
    }
    return out;
  }

 private:
  std::vector<std::string> names_;
  std::vector<index_t> cardinalities_;
  std::vector<index_t> codes_;
  std::vector<float> labels_;
  std::vector<offset_t> instances_;
  std::vector<std::uint8_t> noisy_;
  offset_t next_instance_ = 0;
};

/// The feature fields, labels, instance ids and noise flags of `rows` (which must have fields,
/// e.g. a MovieLens CTR encoding) as a FieldDataset.
inline FieldDataset to_field_dataset(const Interactions& rows) {
  if (rows.n_fields() == 0) throw config_error("to_field_dataset: the interactions have no feature fields");
  std::vector<std::string> names;
  std::vector<index_t> cards;
  for (std::size_t f = 0; f < rows.n_fields(); ++f) {
    names.push_back(rows.field_name(f));
    cards.push_back(rows.field_cardinality(f));
  }
  FieldDataset out(std::move(names), std::move(cards));
  out.reserve(rows.size());
  std::vector<index_t> codes(rows.n_fields());
  const auto labels = rows.labels();
  const auto ids = rows.instances();
  for (std::size_t r = 0; r < rows.size(); ++r) {
    for (std::size_t f = 0; f < codes.size(); ++f) codes[f] = rows.field(f)[r];
    out.push_back_with_instance(codes, labels[r] > 0.0f ? 1.0f : 0.0f, ids[r]);
  }
  const auto noisy = rows.noisy();
  if (!noisy.empty()) out.set_noisy(std::vector<std::uint8_t>(noisy.begin(), noisy.end()));
  return out;
}

}  // namespace data
}  // namespace denoise
