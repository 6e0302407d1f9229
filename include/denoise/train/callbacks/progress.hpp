// progress: one self-overwriting status line per epoch (epoch, loss, a metric, samples/s, ETA) on a
// terminal; silent when the stream is not a terminal (logs, CI), unless forced.
#pragma once

#include <cstdio>
#include <string>

#include <unistd.h>

#include "../options.hpp"

namespace denoise {
namespace train {

class progress {
 public:
  /// `metric`: the validation metric to show (e.g. "ndcg@20"); shown only when evaluated.
  explicit progress(std::string metric = "recall@20", std::FILE* stream = stderr, bool force = false)
      : metric_(std::move(metric)), stream_(stream), enabled_(force || ::isatty(::fileno(stream)) == 1) {}

  bool enabled() const noexcept { return enabled_; }

  template <class Model>
  bool on_epoch_end(const epoch_record& r, Model& /*model*/) {
    elapsed_ += r.seconds + r.eval_seconds;
    if (!enabled_) return false;
    const double per_epoch = elapsed_ / static_cast<double>(r.epoch);
    const double eta = per_epoch * static_cast<double>(r.epochs - r.epoch);
    const double metric = r.value(metric_);
    std::string shown;
    if (metric == metric) shown = "  " + metric_ + " " + four_decimals(metric);
    std::fprintf(stream_, "\repoch %zu/%zu  loss %.4f%s  %.0f samples/s  ETA %.0fs   ", r.epoch, r.epochs, r.train_loss,
                 shown.c_str(), r.samples_per_second, eta);
    if (r.epoch == r.epochs) std::fputc('\n', stream_);
    std::fflush(stream_);
    return false;
  }

  template <class Model, class Result>
  void on_train_end(Model& /*model*/, Result& result) {
    if (enabled_ && !result.history.empty() && result.history.back().epoch != result.history.back().epochs) {
      std::fputc('\n', stream_);
    }
  }

 private:
  static std::string four_decimals(double v) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.4f", v);
    return buffer;
  }

  std::string metric_;
  std::FILE* stream_;
  bool enabled_;
  double elapsed_ = 0.0;
};

}  // namespace train
}  // namespace denoise
