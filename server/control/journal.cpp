#include "server/control/journal.h"

#include <algorithm>

#include "server/control/rfc3339.h"

namespace dtsmock {
namespace {

constexpr std::string_view kMask = "******";
constexpr std::string_view kSecretWords[] = {"password", "secretkey", "token"};

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// `needle` is lower-case.
bool contains_ci(std::string_view hay, std::string_view needle) {
  if (needle.size() > hay.size()) return false;
  const size_t last = hay.size() - needle.size();
  for (size_t i = 0; i <= last; ++i) {
    if (lower(hay[i]) != needle[0]) continue;
    size_t j = 1;
    while (j < needle.size() && lower(hay[i + j]) == needle[j]) ++j;
    if (j == needle.size()) return true;
  }
  return false;
}

using JWriter = rapidjson::Writer<rapidjson::StringBuffer>;

void write_masked(const JsonValue& v, JWriter& w) {
  if (v.IsObject()) {
    w.StartObject();
    for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
      w.Key(it->name.GetString(), it->name.GetStringLength());
      if (Journal::is_secret_key({it->name.GetString(), it->name.GetStringLength()}))
        w.String(kMask.data(), static_cast<rapidjson::SizeType>(kMask.size()));
      else
        write_masked(it->value, w);
    }
    w.EndObject();
  } else if (v.IsArray()) {
    w.StartArray();
    for (const auto& item : v.GetArray()) write_masked(item, w);
    w.EndArray();
  } else {
    v.Accept(w);
  }
}

void add_opt_str(JsonValue& out, const char* name, const std::string& s, Alloc& a) {
  if (s.empty())
    out.AddMember(rapidjson::StringRef(name), JsonValue(rapidjson::kNullType), a);
  else
    out.AddMember(rapidjson::StringRef(name), jstr(s, a), a);
}

}  // namespace

Journal::Journal(size_t max) : max_(max) { ring_.reserve(std::min<size_t>(max, 1024)); }

bool Journal::is_secret_key(std::string_view name) {
  for (std::string_view word : kSecretWords) {
    if (name.size() < word.size()) continue;
    std::string_view tail = name.substr(name.size() - word.size());
    bool eq = true;
    for (size_t i = 0; i < word.size() && eq; ++i) eq = lower(tail[i]) == word[i];
    if (eq) return true;
  }
  return false;
}

std::string Journal::mask_secrets(const JsonValue& params) {
  rapidjson::StringBuffer buf;
  {
    JWriter w(buf);
    params.Accept(w);
  }
  std::string_view text(buf.GetString(), buf.GetSize());
  bool suspicious = false;
  for (std::string_view word : kSecretWords) suspicious = suspicious || contains_ci(text, word);
  if (!suspicious) return std::string(text);
  rapidjson::StringBuffer masked;
  JWriter w(masked);
  write_masked(params, w);
  return std::string(masked.GetString(), masked.GetSize());
}

int64_t Journal::record(JournalEntry e) {
  JournalEntry dropped;  // destroyed after the lock is released
  std::lock_guard lk(mu_);
  const int64_t seq = next_seq_++;
  e.seq = seq;
  if (max_ == 0) return seq;
  if (ring_.size() < max_) {
    ring_.push_back(std::move(e));
  } else {
    dropped = std::move(ring_[head_]);
    ring_[head_] = std::move(e);
    head_ = (head_ + 1) % max_;
  }
  return seq;
}

template <typename F>
void Journal::for_each_locked(F&& f) const {
  const size_t n = ring_.size();
  for (size_t i = 0; i < n; ++i) f(ring_[(head_ + i) % n]);
}

void Journal::set_max(size_t max) {
  std::vector<JournalEntry> old;
  std::lock_guard lk(mu_);
  std::vector<JournalEntry> ordered;
  const size_t keep = std::min(ring_.size(), max);
  ordered.reserve(std::max(keep, std::min<size_t>(max, 1024)));
  const size_t n = ring_.size();
  for (size_t i = n - keep; i < n; ++i) ordered.push_back(std::move(ring_[(head_ + i) % n]));
  old.swap(ring_);
  ring_.swap(ordered);
  head_ = 0;
  max_ = max;
}

size_t Journal::max() const {
  std::lock_guard lk(mu_);
  return max_;
}

size_t Journal::size() const {
  std::lock_guard lk(mu_);
  return ring_.size();
}

int64_t Journal::last_seq() const {
  std::lock_guard lk(mu_);
  return next_seq_ - 1;
}

size_t Journal::clear() {
  std::vector<JournalEntry> old;
  std::lock_guard lk(mu_);
  const size_t n = ring_.size();
  old.swap(ring_);
  head_ = 0;
  return n;
}

bool Journal::matches(const JournalEntry& e, const JournalFilter& f) const {
  if (f.action && e.action != *f.action) return false;
  if (f.job_id && e.job_id != *f.job_id) return false;
  if (f.tenant && e.tenant != *f.tenant) return false;
  if (f.region && e.region != *f.region) return false;
  if (f.request_id && e.request_id != *f.request_id) return false;
  if (f.fault_id && (*f.fault_id == "any" ? e.fault_id.empty() : e.fault_id != *f.fault_id)) return false;
  if (f.since_seq && e.seq <= *f.since_seq) return false;
  if (f.since_time && e.time < *f.since_time) return false;
  if (f.code) {
    const std::string& c = *f.code;
    if (c == "ok" || c == "success") {
      if (!e.code.empty()) return false;
    } else if (c == "error") {
      if (e.code.empty()) return false;
    } else if (e.code != c) {
      return false;
    }
  }
  return true;
}

size_t Journal::count(const JournalFilter& f) const {
  size_t n = 0;
  std::lock_guard lk(mu_);
  for_each_locked([&](const JournalEntry& e) { n += matches(e, f) ? 1 : 0; });
  if (f.limit) n = std::min(n, *f.limit);
  return n;
}

void Journal::write_entry(const JournalEntry& e, Json& doc, JsonValue& out) {
  Alloc& a = doc.GetAllocator();
  out.SetObject();
  out.AddMember("seq", e.seq, a);
  out.AddMember("time", jstr(format_rfc3339(e.time), a), a);
  out.AddMember("simTime", jstr(format_rfc3339(e.sim_time), a), a);
  out.AddMember("tenant", jstr(e.tenant, a), a);
  out.AddMember("region", jstr(e.region, a), a);
  out.AddMember("action", jstr(e.action, a), a);
  out.AddMember("requestId", jstr(e.request_id, a), a);
  out.AddMember("style", jstr(e.style, a), a);
  if (e.params_json.empty()) {
    out.AddMember("params", JsonValue(rapidjson::kNullType), a);
  } else {
    Json params;
    if (parse_json(e.params_json, params)) {
      out.AddMember("params", JsonValue(params, a), a);
    } else {
      out.AddMember("params", jstr(e.params_json, a), a);
    }
  }
  out.AddMember("ok", e.code.empty(), a);
  add_opt_str(out, "code", e.code, a);
  add_opt_str(out, "message", e.message, a);
  add_opt_str(out, "faultId", e.fault_id, a);
  add_opt_str(out, "jobId", e.job_id, a);
  add_opt_str(out, "statusBefore", e.status_before, a);
  add_opt_str(out, "statusAfter", e.status_after, a);
  add_opt_str(out, "didYouMean", e.did_you_mean, a);
  out.AddMember("latencyMs", e.latency_ms, a);
}

Json Journal::query(const JournalFilter& f) const {
  // Copy the matches under the lock; build the JSON (and parse params) after
  // releasing it so recording is never blocked behind a large listing.
  std::vector<JournalEntry> picked;
  size_t matched = 0;
  int64_t last = 0;
  {
    std::lock_guard lk(mu_);
    last = next_seq_ - 1;
    for_each_locked([&](const JournalEntry& e) { matched += matches(e, f) ? 1 : 0; });
    size_t skip = (f.limit && *f.limit < matched) ? matched - *f.limit : 0;
    picked.reserve(matched - skip);
    for_each_locked([&](const JournalEntry& e) {
      if (!matches(e, f)) return;
      if (skip > 0) {
        --skip;
        return;
      }
      picked.push_back(e);
    });
  }
  Json doc(rapidjson::kObjectType);
  Alloc& a = doc.GetAllocator();
  JsonValue arr(rapidjson::kArrayType);
  arr.Reserve(static_cast<rapidjson::SizeType>(picked.size()), a);
  for (const auto& e : picked) {
    JsonValue item;
    write_entry(e, doc, item);
    arr.PushBack(item, a);
  }
  doc.AddMember("requests", arr, a);
  doc.AddMember("matched", static_cast<uint64_t>(matched), a);
  doc.AddMember("returned", static_cast<uint64_t>(picked.size()), a);
  doc.AddMember("lastSeq", last, a);
  return doc;
}

}  // namespace dtsmock
