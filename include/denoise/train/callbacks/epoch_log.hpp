// epoch_log: the per-epoch history as CSV or JSON, rewritten atomically after every epoch so the
// file on disk is always complete (a crash leaves the last finished epoch, never half a line).
//   CSV:  epoch,train_loss,samples,seconds,samples_per_second,<validation metrics>,<denoising metrics>
//   JSON: {"epochs": [{"epoch": 1, "train_loss": ..., "validation": {...}, "denoising": {...}}, ...]}
#pragma once

#include <cstdio>
#include <ostream>
#include <string>
#include <vector>

#include "../../core/atomic_file.hpp"
#include "../../core/error.hpp"
#include "../../core/json_writer.hpp"
#include "../options.hpp"

namespace denoise {
namespace train {

class epoch_log {
 public:
  enum class format { csv, json };

  /// The format follows the extension (.json, else CSV) unless given.
  explicit epoch_log(std::string path) : path_(std::move(path)), format_(guess(path_)) {}
  epoch_log(std::string path, format f) : path_(std::move(path)), format_(f) {}

  const std::vector<epoch_record>& records() const noexcept { return records_; }

  template <class Model>
  bool on_epoch_end(const epoch_record& r, Model& /*model*/) {
    records_.push_back(r);
    write_file_atomically(path_, [this](std::ostream& out) { format_ == format::csv ? write_csv(out) : write_json(out); });
    return false;
  }

  void write_csv(std::ostream& out) const {
    out << "epoch,train_loss,samples,seconds,eval_seconds,samples_per_second";
    if (records_.empty()) {
      out << '\n';
      return;
    }
    for (const auto& m : records_.front().validation) out << ',' << m.name;
    for (const auto& m : records_.front().denoising) out << ',' << m.name;
    out << '\n';
    for (const auto& r : records_) {
      out << r.epoch << ',' << number(r.train_loss) << ',' << r.samples << ',' << number(r.seconds) << ','
          << number(r.eval_seconds) << ',' << number(r.samples_per_second);
      for (const auto& m : r.validation) out << ',' << number(m.value);
      for (const auto& m : r.denoising) out << ',' << number(m.value);
      out << '\n';
    }
  }

  void write_json(std::ostream& out) const {
    json_writer w(out);
    w.begin_object().key("epochs").begin_array();
    for (const auto& r : records_) {
      w.begin_object()
          .field("epoch", r.epoch)
          .field("train_loss", r.train_loss)
          .field("samples", r.samples)
          .field("seconds", r.seconds)
          .field("eval_seconds", r.eval_seconds)
          .field("samples_per_second", r.samples_per_second);
      w.key("validation").begin_object();
      for (const auto& m : r.validation) w.field(m.name, m.value);
      w.end_object().key("denoising").begin_object();
      for (const auto& m : r.denoising) w.field(m.name, m.value);
      w.end_object().end_object();
    }
    w.end_array().end_object();
    out << '\n';
  }

 private:
  static format guess(const std::string& path) {
    const auto dot = path.rfind('.');
    return dot != std::string::npos && path.substr(dot) == ".json" ? format::json : format::csv;
  }
  static std::string number(double v) {
    if (v != v) return "nan";
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.9g", v);
    return buffer;
  }

  std::string path_;
  format format_;
  std::vector<epoch_record> records_;
};

}  // namespace train
}  // namespace denoise
