// The request journal: the last N API calls (default 10,000), in memory, so
// tests can assert what their client actually sent and what it got back.
// A ring buffer: when full, the oldest entry is dropped. Sequence numbers
// start at 1, only ever grow, and are not reused after clear().
//
// Recording is on every request's hot path: the caller fills the entry
// (params already masked with mask_secrets) outside any lock, and record()
// only moves it into place.
#pragma once
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "state/clock.h"
#include "state/json.h"

namespace dtsmock {

struct JournalEntry {
  int64_t seq = 0;           // assigned by record()
  Millis time = 0;           // wall-clock time the call arrived (ms since the epoch)
  Millis sim_time = 0;       // the simulated clock at that moment
  std::string tenant, region, action, request_id;
  std::string code;          // "" on success
  std::string message;       // the error message answered, if any
  std::string fault_id;      // the fault rule that fired, if any
  std::string job_id, status_before, status_after;
  std::string did_you_mean;  // suggestion given for an unknown action/parameter, if any
  std::string params_json;   // the request parameters as JSON, secrets masked ("" = none)
  double latency_ms = 0;
  std::string style;         // request style, e.g. "TC3 POST"
};

struct JournalFilter {
  std::optional<std::string> action, job_id, tenant, region, request_id;
  // "ok" / "success": successful calls only; "error": failed calls only;
  // anything else: that exact error code.
  std::optional<std::string> code;
  // A fault rule's id: calls that rule answered; "any": calls any rule answered.
  std::optional<std::string> fault_id;
  std::optional<int64_t> since_seq;    // entries with seq > since_seq
  std::optional<Millis> since_time;    // entries with time >= since_time (wall clock)
  std::optional<size_t> limit;         // keep only the last `limit` matches
};

class Journal {
 public:
  explicit Journal(size_t max = 10000);

  // Stores the entry (dropping the oldest when full) and returns its seq.
  // With max 0 nothing is stored, but a seq is still assigned.
  int64_t record(JournalEntry e);
  void set_max(size_t max);  // keeps the newest entries that still fit
  size_t max() const;
  size_t size() const;
  int64_t last_seq() const;  // seq of the last recorded call (0 if none yet)

  // {"requests": [entry...] (oldest first, newest last), "matched": N,
  //  "returned": M, "lastSeq": S}
  Json query(const JournalFilter& f) const;
  size_t count(const JournalFilter& f) const;
  size_t clear();  // returns how many entries were removed

  // Serialises params to JSON with the value of every secret-like member
  // replaced by "******", at any depth (inside objects and arrays). A member
  // is secret-like when its name, case-insensitively, ends in "password",
  // "secretkey" or "token" (Password, NewPassword, SecretKey, TmpSecretKey,
  // TmpToken, Token, ...). Only walks the tree when the serialised text
  // contains one of those words.
  static std::string mask_secrets(const JsonValue& params);
  static bool is_secret_key(std::string_view name);
  static void write_entry(const JournalEntry& e, Json& doc, JsonValue& out);

 private:
  template <typename F>
  void for_each_locked(F&& f) const;  // oldest first
  bool matches(const JournalEntry& e, const JournalFilter& f) const;

  mutable std::mutex mu_;
  std::vector<JournalEntry> ring_;
  size_t head_ = 0;  // index of the oldest entry once the ring is full
  size_t max_;
  int64_t next_seq_ = 1;
};

}  // namespace dtsmock
