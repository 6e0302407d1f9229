// The pairs family's per-instance outputs (pairs_outputs.hpp).
#include "pairs_outputs.hpp"

#include <cstdio>
#include <limits>
#include <ostream>

#include <denoise/core/atomic_file.hpp>
#include <denoise/data/detail/npy_reader.hpp>

#include "../harness/svg_plot.hpp"

namespace denoise_cli {

/// Per training instance of one run: instance, user, item (dense and raw ids), the mean weight and
/// loss the denoiser saw in the last epoch, and the ground-truth noise flag.
/// .csv: a header line and one row per training positive. .npy: a float64 array with the columns
/// [instance, user, item, user_raw, item_raw, weight, loss, noisy].
void export_pairs_weights(const std::string& path, const method_run& run, const prepared_data& d) {
  const auto& train = d.split.train;
  const auto n = train.size();
  const bool npy = path.size() >= 4 && path.compare(path.size() - 4, 4, ".npy") == 0;
  auto weight_of = [&](std::size_t r) {
    const auto id = static_cast<std::size_t>(train.instances()[r]);
    return id < run.fit.instance_weights.size() ? run.fit.instance_weights[id] : std::numeric_limits<float>::quiet_NaN();
  };
  auto loss_of = [&](std::size_t r) {
    const auto id = static_cast<std::size_t>(train.instances()[r]);
    return id < run.fit.instance_losses.size() ? run.fit.instance_losses[id] : std::numeric_limits<float>::quiet_NaN();
  };
  if (npy) {
    std::vector<double> table;
    table.reserve(n * 8);
    for (std::size_t r = 0; r < n; ++r) {
      table.push_back(static_cast<double>(train.instances()[r]));
      table.push_back(train.users()[r]);
      table.push_back(train.items()[r]);
      table.push_back(static_cast<double>(train.user_ids().raw_of(train.users()[r])));
      table.push_back(static_cast<double>(train.item_ids().raw_of(train.items()[r])));
      table.push_back(static_cast<double>(weight_of(r)));
      table.push_back(static_cast<double>(loss_of(r)));
      table.push_back(train.noisy().empty() ? 0.0 : train.noisy()[r]);
    }
    denoise::atomic_write_bytes(path, denoise::data::detail::npy_bytes(table, {n, 8}, "<f8"));
    return;
  }
  denoise::write_file_atomically(path, [&](std::ostream& out) {
    out << "instance,user,item,user_raw,item_raw,weight,loss,noisy\n";
    char buffer[64];
    for (std::size_t r = 0; r < n; ++r) {
      out << train.instances()[r] << ',' << train.users()[r] << ',' << train.items()[r] << ','
          << train.user_ids().raw_of(train.users()[r]) << ',' << train.item_ids().raw_of(train.items()[r]) << ',';
      std::snprintf(buffer, sizeof buffer, "%.6g,%.6g,", static_cast<double>(weight_of(r)), static_cast<double>(loss_of(r)));
      out << buffer << (train.noisy().empty() ? 0 : static_cast<int>(train.noisy()[r])) << '\n';
    }
  });
}

/// `<prefix>_<method>_loss.svg`: the final per-sample loss of clean vs noisy training samples (none
/// when the data has no noise flags).
std::vector<std::string> write_loss_figure(const std::string& prefix, const method_run& r, const prepared_data& d) {
  const auto& train = d.split.train;
  if (train.noisy().empty()) return {};
  std::vector<double> clean, noisy;
  for (std::size_t row = 0; row < train.size(); ++row) {
    const auto id = static_cast<std::size_t>(train.instances()[row]);
    if (id >= r.fit.instance_losses.size()) continue;
    (train.noisy()[row] ? noisy : clean).push_back(static_cast<double>(r.fit.instance_losses[id]));
  }
  auto plot = svg_plot::distributions(r.method + ": training loss of clean vs noisy interactions (last epoch)",
                                      "per-sample loss", {{"clean", clean}, {"noisy", noisy}});
  const std::string path = prefix + "_" + r.method + "_loss.svg";
  plot.save(path);
  return {path};
}

}  // namespace denoise_cli
