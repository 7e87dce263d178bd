// Replays the fuzz inputs through the fuzz entry points (tests/fuzz/targets.h),
// built here without libFuzzer: every crash the fuzzers ever found
// (tests/fuzz/regressions/<target>/) and the whole seed corpus
// (tests/fuzz/corpus/<target>/: every action in every request style).
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "tests/fuzz/targets.h"

namespace fs = std::filesystem;
using namespace dtsmock;

namespace {

struct CheckFailed : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Runs every file under dir/<target>/ through its target; returns how many ran.
size_t replay(const fs::path& dir) {
  fuzz::on_failure = [](const std::string& m) { throw CheckFailed(m); };
  size_t n = 0;
  for (const auto& t : fuzz::kTargets) {
    fs::path sub = dir / t.name;
    if (!fs::is_directory(sub)) continue;
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(sub))
      if (e.is_regular_file() && e.path().filename().string()[0] != '.') files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      std::string data = slurp(f);
      INFO("input: " << f.string());
      try {
        t.fn(reinterpret_cast<const uint8_t*>(data.data()), data.size());
      } catch (const CheckFailed& e) {
        const std::string what = e.what();
        FAIL_CHECK(what);
      } catch (const std::exception& e) {
        const std::string what = std::string("uncaught exception: ") + e.what();
        FAIL_CHECK(what);
      }
      ++n;
    }
  }
  fuzz::on_failure = nullptr;
  return n;
}

const fs::path kFuzzDir = fs::path(DTSMOCK_SOURCE_DIR) / "tests" / "fuzz";

}  // namespace

TEST_CASE("fuzz regressions: every crashing input found so far now passes") {
  size_t n = replay(kFuzzDir / "regressions");
  MESSAGE("replayed " << n << " regression inputs");
  CHECK(n > 0);
}

TEST_CASE("fuzz seed corpus: every action in every request style passes the fuzz checks") {
  // The corpus is generated from the API model (tests/fuzz/gen_corpus.cpp):
  // one file per action is there for each target, so a new action without
  // a regenerated corpus is noticed here.
  for (const char* target : {"validate", "flat", "http"}) {
    for (const auto& a : model::actions()) {
      INFO(target << " corpus for " << a.name);
      CHECK(fs::exists(kFuzzDir / "corpus" / target / (std::string(a.name) + "_min" + (std::string(target) == "http" ? "_tc3post" : ""))));
    }
  }
  size_t n = replay(kFuzzDir / "corpus");
  MESSAGE("replayed " << n << " corpus inputs");
  CHECK(n > 5 * model::actions().size());
}

TEST_CASE("fuzz checks are live: a signed corpus call succeeds end to end, a broken envelope is caught") {
  // The http target's signing placeholders really produce authentic calls:
  // the verify-mode App accepts a TC3 POST and a v1 GET built like the corpus.
  for (std::string text : {std::string("POST /\ncontent-type: application/json\nx-tc-action: DescribeMigrationJobs\n"
                                       "x-tc-version: 2021-12-06\nx-tc-region: ap-guangzhou\nx-tc-timestamp: $TS\n"
                                       "x-fuzz-sign: tc3\nhost: 127.0.0.1\n\n{\"Limit\":5}"),
                           std::string("GET /?Action=DescribeMigrationJobs&Version=2021-12-06&Region=ap-guangzhou&Timestamp=$TS"
                                       "&Nonce=1&SecretId=AKIDfuzz&SignatureMethod=HmacSHA256&Limit=5&Signature=$SIG\n"
                                       "host: 127.0.0.1\n\n")}) {
    HttpRequest req = fuzz::parse_http_input(text);
    fuzz::apply_signing(req);
    Credentials creds;
    creds.add({std::string(fuzz::kFuzzSecretId), std::string(fuzz::kFuzzSecretKey), "", ""});
    fuzz::FuzzWorld w(true, creds);
    HttpResponse r = w.app.handle(req);
    INFO(text << "\n-> " << r.body);
    CHECK(r.status == 200);
    CHECK(r.body.find("\"TotalCount\":0") != std::string::npos);
    CHECK(r.body.find("\"Error\"") == std::string::npos);
  }
  fuzz::on_failure = [](const std::string& m) { throw CheckFailed(m); };
  HttpResponse broken;
  broken.body = "{\"Response\":{\"Error\":{\"Code\":\"\",\"Message\":\"x\"},\"RequestId\":\"r\"}}";
  CHECK_THROWS_AS(fuzz::check_response(broken, "test"), CheckFailed);
  broken.body = "{\"Response\":";
  CHECK_THROWS_AS(fuzz::check_response(broken, "test"), CheckFailed);
  fuzz::on_failure = nullptr;
}
