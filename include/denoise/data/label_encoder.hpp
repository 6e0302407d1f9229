// LabelEncoder: categorical values -> dense codes 0..n-1 in the order of the sorted distinct
// values (as scikit-learn's LabelEncoder, which AutoDenoise (Lin et al.) uses for MovieLens).
// Values are added while streaming (provisional codes in order of first sight); finish() gives
// the permutation to sorted codes. When every value is an integer, values sort numerically
// ("9" < "10"), otherwise as byte strings.
#pragma once

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <numeric>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "../core/types.hpp"

namespace denoise {
namespace data {

class LabelEncoder {
 public:
  /// Provisional code of `value` (order of first sight). No allocation once the value is known.
  index_t add(std::string_view value) {
    key_.assign(value.data(), value.size());
    const auto found = codes_.find(key_);
    if (found != codes_.end()) return found->second;
    const auto code = static_cast<index_t>(values_.size());
    codes_.emplace(key_, code);
    values_.push_back(key_);
    return code;
  }

  std::size_t size() const noexcept { return values_.size(); }

  /// Permutation provisional code -> final (sorted) code; also fixes vocabulary().
  std::vector<index_t> finish() {
    std::vector<index_t> order(values_.size());
    std::iota(order.begin(), order.end(), index_t(0));
    std::vector<std::int64_t> numbers(values_.size());
    bool numeric = !values_.empty();
    for (std::size_t k = 0; k < values_.size() && numeric; ++k) {
      const std::string& v = values_[k];
      const auto r = std::from_chars(v.data(), v.data() + v.size(), numbers[k]);
      numeric = r.ec == std::errc() && r.ptr == v.data() + v.size() && !v.empty();
    }
    if (numeric) {
      std::sort(order.begin(), order.end(), [&](index_t a, index_t b) {
        return numbers[static_cast<std::size_t>(a)] < numbers[static_cast<std::size_t>(b)];
      });
    } else {
      std::sort(order.begin(), order.end(), [&](index_t a, index_t b) {
        return values_[static_cast<std::size_t>(a)] < values_[static_cast<std::size_t>(b)];
      });
    }
    std::vector<index_t> final_code(values_.size());
    vocabulary_.clear();
    for (std::size_t rank = 0; rank < order.size(); ++rank) {
      final_code[static_cast<std::size_t>(order[rank])] = static_cast<index_t>(rank);
      vocabulary_.push_back(values_[static_cast<std::size_t>(order[rank])]);
    }
    return final_code;
  }

  /// The distinct values in code order (valid after finish()).
  const std::vector<std::string>& vocabulary() const noexcept { return vocabulary_; }

  /// Encodes a whole column: returns the final codes, and the vocabulary through vocabulary().
  std::vector<index_t> encode(const std::vector<std::string>& column) {
    std::vector<index_t> provisional;
    provisional.reserve(column.size());
    for (const auto& v : column) provisional.push_back(add(v));
    const auto perm = finish();
    for (auto& c : provisional) c = perm[static_cast<std::size_t>(c)];
    return provisional;
  }

 private:
  std::unordered_map<std::string, index_t> codes_;
  std::vector<std::string> values_;
  std::vector<std::string> vocabulary_;
  std::string key_;
};

}  // namespace data
}  // namespace denoise
