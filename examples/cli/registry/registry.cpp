// The two registries' storage. Registrations run during static initialisation from other
// translation units, so each list lives in a function-local static.
#include <algorithm>
#include <utility>

#include "method_registry.hpp"
#include "task_registry.hpp"

namespace denoise_cli {
namespace {

std::vector<method_registration>& method_list() {
  static std::vector<method_registration> list;
  return list;
}
std::vector<task_registration>& task_list() {
  static std::vector<task_registration> list;
  return list;
}

}  // namespace

const std::vector<method_registration>& registered_methods() { return method_list(); }

const method_registration* find_method(const std::string& name) {
  for (const auto& m : method_list())
    if (m.name == name) return &m;
  return nullptr;
}

method_registrar::method_registrar(method_registration registration) {
  auto& list = method_list();
  const auto at = std::find_if(list.begin(), list.end(), [&](const method_registration& m) {
    return m.rank > registration.rank || (m.rank == registration.rank && m.name > registration.name);
  });
  list.insert(at, std::move(registration));
}

const std::vector<task_registration>& registered_tasks() { return task_list(); }

const task_registration* find_task(const std::string& name) {
  for (const auto& t : task_list())
    if (t.name == name) return &t;
  return nullptr;
}

task_registrar::task_registrar(task_registration registration) {
  auto& list = task_list();
  const auto at = std::find_if(list.begin(), list.end(),
                               [&](const task_registration& t) { return t.name > registration.name; });
  list.insert(at, std::move(registration));
}

}  // namespace denoise_cli
