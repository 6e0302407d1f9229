// The ctr family's per-row outputs (ctr_outputs.hpp).
#include "ctr_outputs.hpp"

#include <cstdio>
#include <limits>
#include <ostream>
#include <vector>

#include <denoise/core/atomic_file.hpp>
#include <denoise/data/detail/npy_reader.hpp>

namespace denoise_cli {

void export_ctr_weights(const std::string& path, const method_run& run, const ctr_data& d) {
  const auto& train = d.split.train;
  const std::size_t n = train.size(), nf = train.n_fields();
  const bool flags = !train.noisy().empty();
  const std::size_t width = 2 + nf + 2 + (flags ? 1 : 0);
  auto of = [&](const std::vector<float>& values, std::size_t r) {
    const auto id = static_cast<std::size_t>(train.instances()[r]);
    return id < values.size() ? values[id] : std::numeric_limits<float>::quiet_NaN();
  };
  const bool npy = path.size() >= 4 && path.compare(path.size() - 4, 4, ".npy") == 0;
  if (npy) {
    std::vector<double> table;
    table.reserve(n * width);
    for (std::size_t r = 0; r < n; ++r) {
      table.push_back(static_cast<double>(train.instances()[r]));
      table.push_back(static_cast<double>(train.labels()[r]));
      for (std::size_t f = 0; f < nf; ++f) table.push_back(static_cast<double>(train.code(r, f)));
      table.push_back(static_cast<double>(of(run.fit.instance_weights, r)));
      table.push_back(static_cast<double>(of(run.fit.instance_losses, r)));
      if (flags) table.push_back(train.noisy()[r]);
    }
    denoise::atomic_write_bytes(path, denoise::data::detail::npy_bytes(table, {n, width}, "<f8"));
    return;
  }
  denoise::write_file_atomically(path, [&](std::ostream& out) {
    out << "instance,label";
    for (std::size_t f = 0; f < nf; ++f) out << ',' << train.field_name(f);
    out << ",weight,loss" << (flags ? ",noisy" : "") << '\n';
    char buffer[64];
    for (std::size_t r = 0; r < n; ++r) {
      out << train.instances()[r] << ',' << (train.labels()[r] > 0.0f ? 1 : 0);
      for (std::size_t f = 0; f < nf; ++f) out << ',' << train.code(r, f);
      std::snprintf(buffer, sizeof buffer, ",%.6g,%.6g", static_cast<double>(of(run.fit.instance_weights, r)),
                    static_cast<double>(of(run.fit.instance_losses, r)));
      out << buffer;
      if (flags) out << ',' << static_cast<int>(train.noisy()[r]);
      out << '\n';
    }
  });
}

}  // namespace denoise_cli
