// Command-line parsing for the denoise CLI: --name value or --name=value, strict numbers, and an
// error naming the flag for anything malformed or unknown. flag_spec is how a task family or a
// method declares its flags: the parser accepts them and --help prints them.
#pragma once

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <type_traits>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <denoise/core/error.hpp>

namespace denoise_cli {

/// One flag as a task family or a method declares it: "--drop-rate", its value's placeholder
/// ("R"; empty for a switch) and its help text (lines after the first are continuation lines).
struct flag_spec {
  std::string name;
  std::string value;
  std::string help;
};

/// Appends the --help lines of `specs` to `out`: "  --name VALUE" then the help, aligned.
inline void append_usage(std::string& out, const std::vector<flag_spec>& specs) {
  constexpr std::size_t column = 25;
  for (const auto& spec : specs) {
    std::string head = "  " + spec.name + (spec.value.empty() ? "" : " " + spec.value);
    head += head.size() + 1 < column ? std::string(column - head.size(), ' ') : std::string("  ");
    std::size_t start = 0;
    bool first = true;
    while (start <= spec.help.size()) {
      const auto end = std::min(spec.help.find('\n', start), spec.help.size());
      out += (first ? head : std::string(column, ' ')) + spec.help.substr(start, end - start) + "\n";
      first = false;
      start = end + 1;
    }
  }
}

class flags {
 public:
  /// `switches`: flags that take no value (e.g. --header).
  flags(int argc, char** argv, const std::set<std::string>& known, const std::set<std::string>& switches) {
    for (int i = 1; i < argc; ++i) {
      std::string arg = argv[i];
      if (arg.rfind("--", 0) != 0) fail(arg, "expected a flag starting with --");
      std::string name = arg, value;
      const auto eq = arg.find('=');
      if (eq != std::string::npos) {
        name = arg.substr(0, eq);
        value = arg.substr(eq + 1);
      }
      if (!known.count(name) && !switches.count(name)) fail(name, "unknown flag" + suggestion(name, known, switches));
      if (switches.count(name)) {
        if (eq != std::string::npos) fail(name, "takes no value");
        values_[name] = "1";
        continue;
      }
      if (eq == std::string::npos) {
        if (i + 1 >= argc) fail(name, "needs a value");
        value = argv[++i];
      }
      if (values_.count(name)) fail(name, "given twice");
      values_[name] = value;
    }
  }

  bool has(const std::string& name) const { return values_.count(name) != 0; }
  std::string text(const std::string& name, const std::string& fallback) const {
    const auto it = values_.find(name);
    return it == values_.end() ? fallback : it->second;
  }
  double number(const std::string& name, double fallback) const {
    if (!has(name)) return fallback;
    return parse_double(name, values_.at(name));
  }
  std::int64_t integer(const std::string& name, std::int64_t fallback, std::int64_t min = 0) const {
    if (!has(name)) return fallback;
    const auto v = parse_integer(name, values_.at(name));
    if (v < min) fail(name, "must be >= " + std::to_string(min) + " (got " + std::to_string(v) + ")");
    return v;
  }
  /// An integer flag stored as T: a value T cannot hold is an error, never a silent wrap-around.
  template <class T>
  T integer_as(const std::string& name, T fallback, std::int64_t min = 0) const {
    return checked<T>(name, integer(name, static_cast<std::int64_t>(fallback), min));
  }
  template <class T>
  static T checked(const std::string& name, std::int64_t v) {
    static_assert(std::is_integral<T>::value, "an integer type");
    const bool below = std::is_unsigned<T>::value ? v < 0 : v < static_cast<std::int64_t>(std::numeric_limits<T>::min());
    const bool above = v > 0 && static_cast<std::uint64_t>(v) > static_cast<std::uint64_t>(std::numeric_limits<T>::max());
    if (below) fail(name, "out of range: " + std::to_string(v) + " (at least " + std::to_string(std::numeric_limits<T>::min()) + ")");
    if (above) fail(name, "out of range: " + std::to_string(v) + " (at most " + std::to_string(std::numeric_limits<T>::max()) + ")");
    return static_cast<T>(v);
  }
  std::vector<std::string> list(const std::string& name, const std::vector<std::string>& fallback) const {
    if (!has(name)) return fallback;
    std::vector<std::string> out;
    std::stringstream in(values_.at(name));
    std::string item;
    while (std::getline(in, item, ',')) {
      if (item.empty()) fail(name, "has an empty item in '" + values_.at(name) + "'");
      out.push_back(item);
    }
    if (out.empty()) fail(name, "needs at least one item");
    return out;
  }

  static double parse_double(const std::string& name, const std::string& s) {
    char* end = nullptr;
    errno = 0;
    const double v = std::strtod(s.c_str(), &end);
    if (s.empty() || end != s.c_str() + s.size() || errno == ERANGE || v != v) fail(name, "not a number: '" + s + "'");
    return v;
  }
  static std::int64_t parse_integer(const std::string& name, const std::string& s) {
    char* end = nullptr;
    errno = 0;
    const long long v = std::strtoll(s.c_str(), &end, 10);
    if (s.empty() || end != s.c_str() + s.size() || errno == ERANGE) fail(name, "not an integer: '" + s + "'");
    return v;
  }
  [[noreturn]] static void fail(const std::string& name, const std::string& why) {
    throw denoise::config_error(why, denoise::location::of_field(name));
  }

 private:
  static std::string suggestion(const std::string& name, const std::set<std::string>& a, const std::set<std::string>& b) {
    std::string best;
    std::size_t best_distance = 3;
    for (const auto* set : {&a, &b}) {
      for (const auto& k : *set) {
        const std::size_t d = distance(name, k);
        if (d < best_distance) best_distance = d, best = k;
      }
    }
    return best.empty() ? " (see --help)" : " (did you mean " + best + "?)";
  }
  static std::size_t distance(const std::string& a, const std::string& b) {
    std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
      cur[0] = i;
      for (std::size_t j = 1; j <= b.size(); ++j) {
        const std::size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
        cur[j] = std::min(std::min(prev[j] + 1, cur[j - 1] + 1), sub);
      }
      prev.swap(cur);
    }
    return prev[b.size()];
  }

  std::map<std::string, std::string> values_;
};

}  // namespace denoise_cli
