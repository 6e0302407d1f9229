// A small SVG writer for the two figures the CLI draws: metric-per-epoch curves (one line per
// method) and overlaid distributions (clean vs noisy samples' weights or losses, as in the ADT
// and SGDL papers' figures). SVG needs no plotting dependency and opens in any browser.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include <denoise/core/atomic_file.hpp>

namespace denoise_cli {

struct plot_series {
  std::string name;
  std::vector<double> x, y;
};

class svg_plot {
 public:
  svg_plot(std::string title, std::string x_label, std::string y_label)
      : title_(std::move(title)), x_label_(std::move(x_label)), y_label_(std::move(y_label)) {}

  void add_line(plot_series s) { lines_.push_back(std::move(s)); }
  /// A step outline of a histogram: `x` are bin left edges plus the last right edge, `y` the heights.
  void add_steps(plot_series s) { steps_.push_back(std::move(s)); }

  /// Overlaid normalised histograms (densities) of several samples over a shared range.
  static svg_plot distributions(const std::string& title, const std::string& x_label,
                                const std::vector<std::pair<std::string, std::vector<double>>>& samples, int bins = 30) {
    svg_plot p(title, x_label, "density");
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (const auto& s : samples)
      for (double v : s.second)
        if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
    if (!(lo < hi)) hi = lo + 1.0;
    const double width = (hi - lo) / bins;
    for (const auto& s : samples) {
      plot_series series{s.first + " (n=" + std::to_string(s.second.size()) + ")", {}, {}};
      std::vector<double> counts(static_cast<std::size_t>(bins), 0.0);
      double total = 0;
      for (double v : s.second) {
        if (!std::isfinite(v)) continue;
        auto b = static_cast<std::size_t>((v - lo) / width);
        if (b >= counts.size()) b = counts.size() - 1;
        counts[b] += 1;
        total += 1;
      }
      for (int b = 0; b <= bins; ++b) series.x.push_back(lo + b * width);
      for (double c : counts) series.y.push_back(total > 0 ? c / (total * width) : 0.0);
      p.add_steps(std::move(series));
    }
    return p;
  }

  void write(std::ostream& out) const {
    const double W = 720, H = 440, left = 70, right = 190, top = 40, bottom = 55;
    const double pw = W - left - right, ph = H - top - bottom;
    double x0 = std::numeric_limits<double>::infinity(), x1 = -x0, y0 = 0, y1 = -x0;
    auto extend = [&](const plot_series& s) {
      for (double v : s.x)
        if (std::isfinite(v)) x0 = std::min(x0, v), x1 = std::max(x1, v);
      for (double v : s.y)
        if (std::isfinite(v)) y0 = std::min(y0, v), y1 = std::max(y1, v);
    };
    for (const auto& s : lines_) extend(s);
    for (const auto& s : steps_) extend(s);
    if (!(x0 < x1)) x1 = x0 + 1;
    if (!(y0 < y1)) y1 = y0 + 1;
    y1 += (y1 - y0) * 0.05;
    auto sx = [&](double x) { return left + (x - x0) / (x1 - x0) * pw; };
    auto sy = [&](double y) { return top + ph - (y - y0) / (y1 - y0) * ph; };

    out << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << W << "\" height=\"" << H
        << "\" font-family=\"sans-serif\" font-size=\"12\">\n";
    out << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
    out << "<text x=\"" << W / 2 << "\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">" << escape(title_) << "</text>\n";
    for (int t = 0; t <= 5; ++t) {  // grid and tick labels
      const double xv = x0 + (x1 - x0) * t / 5, yv = y0 + (y1 - y0) * t / 5;
      out << "<line x1=\"" << sx(xv) << "\" y1=\"" << top << "\" x2=\"" << sx(xv) << "\" y2=\"" << top + ph
          << "\" stroke=\"#eee\"/>\n";
      out << "<line x1=\"" << left << "\" y1=\"" << sy(yv) << "\" x2=\"" << left + pw << "\" y2=\"" << sy(yv)
          << "\" stroke=\"#eee\"/>\n";
      out << "<text x=\"" << sx(xv) << "\" y=\"" << top + ph + 18 << "\" text-anchor=\"middle\">" << tick(xv) << "</text>\n";
      out << "<text x=\"" << left - 6 << "\" y=\"" << sy(yv) + 4 << "\" text-anchor=\"end\">" << tick(yv) << "</text>\n";
    }
    out << "<rect x=\"" << left << "\" y=\"" << top << "\" width=\"" << pw << "\" height=\"" << ph
        << "\" fill=\"none\" stroke=\"#444\"/>\n";
    out << "<text x=\"" << left + pw / 2 << "\" y=\"" << H - 12 << "\" text-anchor=\"middle\">" << escape(x_label_)
        << "</text>\n";
    out << "<text transform=\"translate(18," << top + ph / 2 << ") rotate(-90)\" text-anchor=\"middle\">"
        << escape(y_label_) << "</text>\n";

    std::size_t k = 0;
    auto legend = [&](const std::string& name, const char* color) {
      const double ly = top + 10 + 18 * static_cast<double>(k);
      out << "<line x1=\"" << left + pw + 12 << "\" y1=\"" << ly << "\" x2=\"" << left + pw + 32 << "\" y2=\"" << ly
          << "\" stroke=\"" << color << "\" stroke-width=\"2.5\"/>\n";
      out << "<text x=\"" << left + pw + 38 << "\" y=\"" << ly + 4 << "\">" << escape(name) << "</text>\n";
    };
    for (const auto& s : lines_) {
      const char* color = palette(k);
      out << "<polyline fill=\"none\" stroke=\"" << color << "\" stroke-width=\"2\" points=\"";
      for (std::size_t i = 0; i < s.x.size() && i < s.y.size(); ++i)
        if (std::isfinite(s.y[i])) out << sx(s.x[i]) << ',' << sy(s.y[i]) << ' ';
      out << "\"/>\n";
      legend(s.name, color);
      ++k;
    }
    for (const auto& s : steps_) {
      const char* color = palette(k);
      out << "<polyline fill=\"none\" stroke=\"" << color << "\" stroke-width=\"2\" points=\"";
      for (std::size_t i = 0; i < s.y.size() && i + 1 < s.x.size(); ++i) {
        out << sx(s.x[i]) << ',' << sy(s.y[i]) << ' ' << sx(s.x[i + 1]) << ',' << sy(s.y[i]) << ' ';
      }
      out << "\"/>\n";
      legend(s.name, color);
      ++k;
    }
    out << "</svg>\n";
  }

  /// Writes the SVG atomically.
  void save(const std::string& path) const {
    denoise::write_file_atomically(path, [this](std::ostream& out) { write(out); });
  }

 private:
  static const char* palette(std::size_t i) {
    static const char* colors[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2"};
    return colors[i % 7];
  }
  static std::string tick(double v) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.3g", v);
    return buffer;
  }
  static std::string escape(const std::string& s) {
    std::string out;
    for (char c : s) {
      switch (c) {
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '&': out += "&amp;"; break;
        case '"': out += "&quot;"; break;
        default: out += c;
      }
    }
    return out;
  }

  std::string title_, x_label_, y_label_;
  std::vector<plot_series> lines_, steps_;
};

}  // namespace denoise_cli
