// Fixtures: jobs described as DescribeMigrationDetail answers, loaded into the
// store (--fixtures DIR, POST /_dtsmock/fixtures) and exported from it.
//
// Format (one object, or an array of them):
//   {"tenant": "default", "region": "ap-guangzhou",
//    "jobs": [ { ...the DescribeMigrationDetail fields...,
//                "Region": "ap-beijing",                 (optional: overrides "region")
//                "AutoRetryTimeRangeMinutes": 5,         (optional, a JobItem field)
//                "Dtsmock": {...} } ]}                   (optional: exact internal state, written by export)
// A job's JobId and Status are required; every other field has a default.
// Loading replaces a job with the same JobId, so loading twice never duplicates.
// A job in a transient status (checking, readyRun, ...) starts that phase at
// load time; a running step continues from its Percent.
#pragma once
#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

#include "state/clock.h"
#include "state/json.h"
#include "state/store.h"

namespace dtsmock {

struct FixtureError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Loads the jobs of a fixture document; returns how many. Throws FixtureError
// for a malformed document (nothing is loaded then). Runs in the caller's
// transaction if one is open, else in its own.
size_t load_fixtures(Store& s, const Clock& c, const JsonValue& doc);
// Loads every *.json file of a directory, in name order, all or nothing.
size_t load_fixture_dir(Store& s, const Clock& c, const std::string& dir);
// Every job of a tenant (all regions), advanced to now, as a fixture document
// that loads back to the same jobs.
Json export_state(Store& s, const Clock& c, std::string_view tenant);

}  // namespace dtsmock
