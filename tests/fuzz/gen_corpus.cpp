// Writes the seed corpora of the fuzz targets from the API model: for every
// action a call with its required members, and one with every top-level member,
// filled with plausible values; in each request style for the http target.
// Usage: gen_corpus OUTDIR   (scripts/fuzz runs it into tests/fuzz/corpus)
#include <filesystem>
#include <fstream>
#include <iostream>

#include "tests/fuzz/targets.h"

namespace fs = std::filesystem;
using namespace dtsmock;

namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// A plausible string for a member, by its name.
std::string string_for(std::string_view name, bool dispatch) {
  if (name == "JobId") return dispatch ? "$JOB" : "dts-fuzz0001";
  if (name == "CompareTaskId") return "dts-fuzz0001-cmp-abcd1234";
  if (ends_with(name, "DatabaseType") || name == "DatabaseType") return "mysql";
  if (ends_with(name, "Region")) return "ap-guangzhou";
  if (name == "InstanceClass" || name == "NewInstanceClass") return "medium";
  if (name == "AccessType") return "cdb";
  if (name == "NodeType") return "simple";
  if (name == "RunMode") return "immediate";
  if (name == "ObjectMode") return "all";
  if (name == "MigrateType") return "full";
  if (name == "Status") return "running";
  if (name == "ResumeOption") return "normal";
  if (name == "StepId" || ends_with(name, "Id")) return "id-1";
  if (ends_with(name, "Name")) return "fuzz name";
  if (name == "Password") return "pw";
  if (name == "User") return "root";
  if (name == "Host" || name == "Ip") return "10.0.0.1";
  if (name == "OrderSeq") return "desc";
  if (name == "OrderBy") return "CreateTime";
  return "x";
}

void fill(JsonValue& out, const model::Object& obj, bool all_members, int depth, bool dispatch, Alloc& a);

JsonValue scalar(const model::Member& m, model::Type t, bool dispatch, Alloc& a) {
  switch (t) {
    case model::Type::String: return jstr(string_for(m.name, dispatch), a);
    case model::Type::Int: return JsonValue(m.name == "Port" ? 3306 : 1);
    case model::Type::Float: return JsonValue(1.5);
    case model::Type::Bool: return JsonValue(true);
    default: return JsonValue();
  }
}

JsonValue value_for(const model::Member& m, bool all_members, int depth, bool dispatch, Alloc& a) {
  auto one = [&](model::Type t) -> JsonValue {
    if (t == model::Type::Object) {
      JsonValue o(rapidjson::kObjectType);
      fill(o, model::object(m.object), all_members, depth + 1, dispatch, a);
      return o;
    }
    return scalar(m, t, dispatch, a);
  };
  if (m.type == model::Type::List) {
    JsonValue l(rapidjson::kArrayType);
    l.PushBack(one(m.elem), a);
    return l;
  }
  return one(m.type);
}

void fill(JsonValue& out, const model::Object& obj, bool all_members, int depth, bool dispatch, Alloc& a) {
  for (const auto& m : obj.all()) {
    if (!m.required && !(all_members && depth < 3)) continue;
    if (m.name == "Password" && depth > 4) continue;
    out.AddMember(jstr(m.name, a), value_for(m, all_members, depth, dispatch, a), a);
  }
}

std::string params_for(const model::Action& action, bool all_members, bool dispatch) {
  Json doc(rapidjson::kObjectType);
  fill(doc, model::object(action.input), all_members, 0, dispatch, doc.GetAllocator());
  return to_string(doc);
}

void write(const fs::path& dir, const std::string& name, const std::string& text) {
  fs::create_directories(dir);
  std::ofstream(dir / name, std::ios::binary) << text;
}

constexpr const char* kLifecycle =
    "CreateMigrationService "
    R"({"SrcDatabaseType":"mysql","DstDatabaseType":"mysql","SrcRegion":"ap-guangzhou","DstRegion":"ap-guangzhou","InstanceClass":"medium"})"
    "\n+1\nModifyMigrationJob "
    R"({"JobId":"$JOB","RunMode":"immediate","MigrateOption":{"DatabaseTable":{"ObjectMode":"all"}},)"
    R"("SrcInfo":{"Region":"ap-guangzhou","AccessType":"cdb","DatabaseType":"mysql","NodeType":"simple","Info":[{"InstanceId":"src-1","User":"root","Password":"pw"}]},)"
    R"("DstInfo":{"Region":"ap-guangzhou","AccessType":"cdb","DatabaseType":"mysql","NodeType":"simple","Info":[{"InstanceId":"dst-1","User":"root","Password":"pw"}]}})"
    "\nCreateMigrateCheckJob {\"JobId\":\"$JOB\"}\n+3\nDescribeMigrationCheckJob {\"JobId\":\"$JOB\"}\n"
    "StartMigrateJob {\"JobId\":\"$JOB\"}\n+2\n";

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: gen_corpus OUTDIR\n";
    return 2;
  }
  const fs::path out = argv[1];
  const std::string host = "127.0.0.1";
  size_t files = 0;
  auto put = [&](const char* target, const std::string& name, const std::string& text) {
    write(out / target, name, text);
    ++files;
  };

  for (const auto& action : model::actions()) {
    const std::string name(action.name);
    for (bool all : {false, true}) {
      const std::string suffix = all ? "_full" : "_min";
      const std::string json = params_for(action, all, false);
      Json doc;
      doc.Parse(json.c_str());
      const std::string flat = encode_flat(doc);
      put("validate", name + suffix, name + "\n" + json);
      put("flat", name + suffix, name + "\n" + flat);

      const std::string common = "x-tc-action: " + name + "\nx-tc-version: 2021-12-06\nx-tc-region: ap-guangzhou\n"
                                 "x-tc-timestamp: $TS\nx-fuzz-sign: tc3\nhost: " + host + "\n";
      put("http", name + suffix + "_tc3post",
          "POST /\ncontent-type: application/json\n" + common + "\n" + json);
      put("http", name + suffix + "_tc3get",
          "GET /?" + flat + "\ncontent-type: application/x-www-form-urlencoded\n" + common + "\n");
      const std::string v1 = "Action=" + name + "&Version=2021-12-06&Region=ap-guangzhou&Timestamp=$TS&Nonce=12345"
                             "&SecretId=AKIDfuzz&SignatureMethod=HmacSHA256" + (flat.empty() ? "" : "&" + flat) + "&Signature=$SIG";
      put("http", name + suffix + "_v1get", "GET /?" + v1 + "\nhost: " + host + "\n\n");
      put("http", name + suffix + "_v1post",
          "POST /\ncontent-type: application/x-www-form-urlencoded\nhost: " + host + "\n\n" + v1);

      if (fuzz::route_of(name)) {
        const std::string call = name + " " + params_for(action, all, true) + "\n";
        put("dispatch", name + suffix, std::string(kLifecycle) + call + "+600\n" + call);
        put("dispatch", name + suffix + "_fresh",
            "CreateMigrationService "
            R"({"SrcDatabaseType":"mysql","DstDatabaseType":"mysql","SrcRegion":"ap-guangzhou","DstRegion":"ap-guangzhou","InstanceClass":"medium"})"
            "\n" + call);
      }
    }
  }
  // A few whole lifecycles for the dispatcher.
  put("dispatch", "lifecycle_pause_continue",
      std::string(kLifecycle) + "PauseMigrateJob {\"JobId\":\"$JOB\"}\nContinueMigrateJob {\"JobId\":\"$JOB\"}\n+60\n"
                                "CompleteMigrateJob {\"JobId\":\"$JOB\",\"CompleteMode\":\"immediately\"}\n+60\nDescribeMigrationDetail {\"JobId\":\"$JOB\"}\n");
  put("dispatch", "lifecycle_stop_resume",
      std::string(kLifecycle) + "StopMigrateJob {\"JobId\":\"$JOB\"}\n+5\nResumeMigrateJob {\"JobId\":\"$JOB\",\"ResumeOption\":\"clearData\"}\n+5\n"
                                "IsolateMigrateJob {\"JobId\":\"$JOB\"}\nRecoverMigrateJob {\"JobId\":\"$JOB\"}\nIsolateMigrateJob {\"JobId\":\"$JOB\"}\n"
                                "DestroyMigrateJob {\"JobId\":\"$JOB\"}\nDescribeMigrationJobs {}\n");
  put("dispatch", "lifecycle_compare",
      std::string(kLifecycle) + "CreateCompareTask {\"JobId\":\"$JOB\",\"TaskName\":\"c\"}\n+5\nDescribeCompareTasks {\"JobId\":\"$JOB\"}\n");

  // Authorization headers and requests for the auth target, signed at the
  // target's fixed time (1767225600) so that verify() can succeed.
  {
    const int64_t ts = 1767225600;
    HttpRequest req;
    req.method = "POST";
    req.target = "/";
    req.body = "{\"Limit\":10}";
    req.headers = {{"host", "127.0.0.1"}, {"content-type", "application/json"}};
    std::string auth = tc3_authorization_for(req, fuzz::kFuzzSecretId, fuzz::kFuzzSecretKey, ts);
    put("auth", "tc3_post_valid", auth + "\nPOST /\n" + req.body);
    put("auth", "tc3_post_service127", tc3_authorization_for(req, fuzz::kFuzzSecretId, fuzz::kFuzzSecretKey, ts, "127") + "\nPOST /\n" + req.body);
    put("auth", "tc3_reordered",
        "TC3-HMAC-SHA256 Signature=" + std::string(64, 'a') + ",  SignedHeaders=content-type;host ,Credential=AKIDfuzz/2026-01-01/dts/tc3_request\nPOST /\n{}");
    put("auth", "skip", "SKIP\nPOST /\n{}");
    req.method = "GET";
    req.target = "/?Limit=10";
    req.body.clear();
    req.headers = {{"host", "127.0.0.1"}, {"content-type", "application/x-www-form-urlencoded"}};
    put("auth", "tc3_get_valid", tc3_authorization_for(req, fuzz::kFuzzSecretId, fuzz::kFuzzSecretKey, ts) + "\nGET /?Limit=10\n");
    KeyValues kv = {{"Action", "DescribeMigrationJobs"}, {"Version", "2021-12-06"}, {"Region", "ap-guangzhou"},
                    {"Timestamp", std::to_string(ts)},   {"Nonce", "42"},            {"SecretId", "AKIDfuzz"},
                    {"SignatureMethod", "HmacSHA256"},  {"Limit", "10"}};
    for (const char* method : {"GET", "POST"}) {
      std::string sig = v1_signature(fuzz::kFuzzSecretKey, v1_string_to_sign(method, "127.0.0.1", kv), "HmacSHA256");
      std::string form;
      for (const auto& [k, v] : kv) form += k + "=" + fuzz::url_encode(v) + "&";
      form += "Signature=" + fuzz::url_encode(sig);
      if (std::string(method) == "GET") put("auth", "v1_get_valid", "\nGET /?" + form + "\n");
      else put("auth", "v1_post_valid", "\nPOST /\n" + form);
    }
    put("auth", "v1_sha1", "\nGET /?Action=DescribeMigrationJobs&Version=2021-12-06&Region=ap-guangzhou&Timestamp=1767225600&Nonce=1&SecretId=AKIDfuzz&SignatureMethod=HmacSHA1&Signature=abc%3D\n");
  }
  // Hostile shapes for the http target.
  put("http", "control_health", "GET /_dtsmock/health\nhost: 127.0.0.1\n\n");
  put("http", "control_jobs", "GET /_dtsmock/requests?limit=5\nhost: 127.0.0.1\n\n");
  put("http", "control_faults", "POST /_dtsmock/faults\ncontent-type: application/json\n\n{\"Action\":\"DescribeMigrationJobs\",\"Error\":{\"Code\":\"InternalError\"}}");
  put("http", "deep_json", "POST /\ncontent-type: application/json\nx-tc-action: DescribeMigrationJobs\nx-tc-version: 2021-12-06\nx-tc-region: ap-guangzhou\n\n" +
                               std::string(200, '[') + std::string(200, ']'));
  std::cout << "gen_corpus: wrote " << files << " files under " << out << "\n";
  return 0;
}
