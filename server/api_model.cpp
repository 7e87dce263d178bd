#include "server/api_model.h"

#include <algorithm>
#include <cctype>
#include <vector>

namespace dtsmock::model {
namespace {

#include "server/api_model_data.inc"

constexpr size_t kObjectCount = std::size(kObjects);
constexpr size_t kActionCount = std::size(kActions);
static_assert(std::size(kActionErrors) == kActionCount);

constexpr bool sorted_by_name(const auto& arr) {
  for (size_t i = 1; i < std::size(arr); ++i)
    if (!(arr[i - 1].name < arr[i].name)) return false;
  return true;
}
static_assert(sorted_by_name(kObjects), "gen_model.py must sort objects by name");
static_assert(sorted_by_name(kActions), "gen_model.py must sort actions by name");

constexpr bool object_refs_valid() {
  for (const Member& m : kMembers)
    if (m.object < -1 || m.object >= static_cast<int>(kObjectCount)) return false;
  for (const Action& a : kActions)
    if (a.input < 0 || a.input >= static_cast<int>(kObjectCount) || a.output < 0 ||
        a.output >= static_cast<int>(kObjectCount))
      return false;
  return true;
}
static_assert(object_refs_valid(), "object index out of range in api_model_data.inc");

constexpr Member kBodyExtras[] = {
    {"DateTimeISOFormat", Type::Bool, Type::Bool, -1, false, false, false},
};

template <class T>
const T* find_sorted(std::span<const T> arr, std::string_view name) {
  auto it = std::lower_bound(arr.begin(), arr.end(), name,
                             [](const T& x, std::string_view n) { return x.name < n; });
  if (it == arr.end() || it->name != name) return nullptr;
  return &*it;
}

unsigned char lower(char c) { return static_cast<unsigned char>(std::tolower(static_cast<unsigned char>(c))); }

// Longer inputs are not names anyone mistyped; don't spend time on them.
constexpr size_t kMaxSuggestLength = 128;

template <class Range>
std::string nearest(const Range& candidates, std::string_view name) {
  if (name.empty() || name.size() > kMaxSuggestLength) return "";
  const size_t limit = std::max<size_t>(2, name.size() / 3);
  size_t best = limit + 1;
  std::string_view best_name;
  for (const auto& c : candidates) {
    // The distance is at least the difference in length.
    size_t diff = c.name.size() > name.size() ? c.name.size() - name.size() : name.size() - c.name.size();
    if (diff >= best) continue;
    size_t d = edit_distance_ci(name, c.name);
    if (d < best) {
      best = d;
      best_name = c.name;
    }
  }
  return std::string(best_name);
}

}  // namespace

std::string_view type_name(Type t) {
  switch (t) {
    case Type::String: return "String";
    case Type::Int: return "Integer";
    case Type::Float: return "Float";
    case Type::Bool: return "Boolean";
    case Type::Object: return "Object";
    case Type::List: return "Array";
  }
  return "?";
}

const Member* Object::find(std::string_view n) const { return find_sorted(all(), n); }

const Action* find_action(std::string_view name) { return find_sorted(actions(), name); }

std::span<const Action> actions() { return {kActions, kActionCount}; }

const Object& object(int index) { return kObjects[static_cast<size_t>(index)]; }

size_t object_count() { return kObjectCount; }

const Object* find_object(std::string_view name) {
  return find_sorted(std::span<const Object>(kObjects, kObjectCount), name);
}

std::span<const std::string_view> action_errors(std::string_view action) {
  const Action* a = find_action(action);
  if (!a) return {};
  const auto& span = kActionErrors[static_cast<size_t>(a - kActions)];
  return {kErrorCodes + span.offset, span.count};
}

const Member* body_extra_member(std::string_view name) {
  for (const Member& m : kBodyExtras)
    if (m.name == name) return &m;
  return nullptr;
}

size_t edit_distance_ci(std::string_view a, std::string_view b) {
  // Two-row Levenshtein; O(|a|*|b|) time, O(|b|) space.
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t subst = prev[j - 1] + (lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, subst});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string nearest_action(std::string_view name) { return nearest(actions(), name); }

std::string nearest_member(const Object& obj, std::string_view name) { return nearest(obj.all(), name); }

}  // namespace dtsmock::model
