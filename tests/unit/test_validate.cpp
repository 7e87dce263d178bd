// Request validation against the model: what a caller sees for missing,
// unknown and mistyped parameters, at any depth.
#include <doctest/doctest.h>

#include <functional>
#include <string>

#include "server/validate.h"

using namespace dtsmock;

namespace {

struct Outcome {
  std::optional<ApiError> err;
  std::string hint;
};

Outcome run(std::string_view action, std::string_view body) {
  const model::Action* a = model::find_action(action);
  REQUIRE_MESSAGE(a, action);
  Json doc;
  REQUIRE_MESSAGE(parse_json(body, doc), body);
  Outcome o;
  o.hint = "stale";  // must be overwritten
  o.err = validate(*a, doc, &o.hint);
  return o;
}

struct Row {
  const char* action;
  const char* body;
  std::optional<Err> code;  // nullopt: accepted
  const char* in_message;   // English message must contain this (when given)
  const char* hint;         // did_you_mean after the call
};

constexpr const char* kModify =
    R"({"JobId":"dts-1","RunMode":"immediate",)"
    R"("MigrateOption":{"DatabaseTable":{"ObjectMode":"all"}},)"
    R"("SrcInfo":{"Region":"ap-guangzhou","AccessType":"cdb","DatabaseType":"mysql","NodeType":"simple","Info":[{"InstanceId":"cdb-1","Port":3306}]},)"
    R"("DstInfo":{"Region":"ap-guangzhou","AccessType":"cdb","DatabaseType":"mysql","NodeType":"simple","Info":[{"InstanceId":"cdb-2"}]})";

std::string modify(std::string_view extra_or_replacement) {
  // kModify with the closing brace re-added after optional extra members.
  return std::string(kModify) + std::string(extra_or_replacement) + "}";
}

}  // namespace

TEST_CASE("validate: table of single-level cases") {
  const std::string negative_signed = modify(R"(,"AutoRetryTimeRangeMinutes":-5)");
  const Row rows[] = {
      {"ResumeMigrateJob", R"({"JobId":"dts-1kl0iy0v"})", std::nullopt, nullptr, ""},
      {"ResumeMigrateJob", R"({"JobId":"dts-1","ResumeOption":"normal"})", std::nullopt, nullptr, ""},
      {"ResumeMigrateJob", R"({})", Err::MissingParameter, "`JobId`", ""},
      {"ResumeMigrateJob", R"({"ResumeOption":"normal"})", Err::MissingParameter, "`JobId`", ""},
      // null counts as absent: fine for optional members, missing for required ones
      {"ResumeMigrateJob", R"({"JobId":"dts-1","ResumeOption":null})", std::nullopt, nullptr, ""},
      {"ResumeMigrateJob", R"({"JobId":null})", Err::MissingParameter, "`JobId`", ""},
      {"ResumeMigrateJob", R"({"JobId":"dts-1","Bogus":null})", std::nullopt, nullptr, ""},
      // wrong JSON types
      {"ResumeMigrateJob", R"({"JobId":12})", Err::InvalidParameter, "`JobId` must be of type String", ""},
      {"ResumeMigrateJob", R"({"JobId":["dts-1"]})", Err::InvalidParameter, "String", ""},
      {"ResumeMigrateJob", R"({"JobId":true})", Err::InvalidParameter, "String", ""},
      // unknown members, with and without a suggestion
      {"ResumeMigrateJob", R"({"JobID":"dts-1"})", Err::UnknownParameter, "Did you mean `JobId`?", "JobId"},
      {"ResumeMigrateJob", R"({"JobId":"dts-1","ResumeOptions":"normal"})", Err::UnknownParameter,
       "`ResumeOptions`", "ResumeOption"},
      {"ResumeMigrateJob", R"({"JobId":"dts-1","Completely":"x"})", Err::UnknownParameter,
       "The parameter `Completely` is not recognized.", ""},
      {"ResumeMigrateJob", R"({"JobId":"dts-1","DryRun":true})", Err::UnknownParameter, "`DryRun`", ""},
      // DateTimeISOFormat: accepted at the top level of any action, as a Boolean only
      {"ResumeMigrateJob", R"({"JobId":"dts-1","DateTimeISOFormat":true})", std::nullopt, nullptr, ""},
      {"DescribeMigrationJobs", R"({"DateTimeISOFormat":false})", std::nullopt, nullptr, ""},
      {"ResumeMigrateJob", R"({"JobId":"dts-1","DateTimeISOFormat":"true"})", Err::InvalidParameter,
       "`DateTimeISOFormat` must be of type Boolean", ""},
      // integers: uint64 members refuse negatives; no fractions; no strings
      {"DescribeMigrationJobs", R"({"Limit":10,"Offset":0})", std::nullopt, nullptr, ""},
      {"DescribeMigrationJobs", R"({"Limit":-1})", Err::InvalidParameter, "`Limit` must be a non-negative integer", ""},
      {"DescribeMigrationJobs", R"({"Limit":1.5})", Err::InvalidParameter, "`Limit` must be of type Integer", ""},
      {"DescribeMigrationJobs", R"({"Limit":"10"})", Err::InvalidParameter, "Integer", ""},
      {"DescribeMigrationJobs", R"({"Limit":18446744073709551615})", std::nullopt, nullptr, ""},
      {"DescribeMigrationJobs", R"({"Limit":18446744073709551616})", Err::InvalidParameter, "Integer", ""},
      {"ModifyMigrationJob", negative_signed.c_str(), std::nullopt, nullptr, ""},
      // booleans
      {"StopCompare", R"({"JobId":"dts-1","CompareTaskId":"c","ForceStop":true})", std::nullopt, nullptr, ""},
      {"StopCompare", R"({"JobId":"dts-1","CompareTaskId":"c","ForceStop":1})", Err::InvalidParameter,
       "`ForceStop` must be of type Boolean", ""},
      // lists
      {"DescribeMigrationJobs", R"({"Status":["running","created"]})", std::nullopt, nullptr, ""},
      {"DescribeMigrationJobs", R"({"Status":[]})", std::nullopt, nullptr, ""},
      {"DescribeMigrationJobs", R"({"Status":"running"})", Err::InvalidParameter,
       "`Status` must be of type Array of String", ""},
      {"DescribeMigrationJobs", R"({"Status":["running",7]})", Err::InvalidParameter,
       "`Status.1` must be of type String", ""},
      {"DescribeMigrationJobs", R"({"Status":["running",null]})", Err::InvalidParameter, "`Status.1`", ""},
      {"CreateMigrationService", R"({"SrcDatabaseType":"mysql","DstDatabaseType":"mysql","SrcRegion":"ap-guangzhou","DstRegion":"ap-guangzhou","InstanceClass":"small","Tags":[{"TagKey":"k","TagValue":"v"}]})",
       std::nullopt, nullptr, ""},
      {"CreateMigrationService", R"({"SrcDatabaseType":"mysql","DstDatabaseType":"mysql","SrcRegion":"ap-guangzhou","DstRegion":"ap-guangzhou","InstanceClass":"small","Tags":[{"TagKey":"k","TagVal":"v"}]})",
       Err::UnknownParameter, "`Tags.0.TagVal` is not recognized. Did you mean `Tags.0.TagValue`?", "Tags.0.TagValue"},
      {"CreateMigrationService", R"({"SrcDatabaseType":"mysql","DstDatabaseType":"mysql","SrcRegion":"ap-guangzhou","DstRegion":"ap-guangzhou","InstanceClass":"small","Tags":["k"]})",
       Err::InvalidParameter, "`Tags.0` must be of type TagItem", ""},
      {"CreateMigrationService", R"({"SrcDatabaseType":"mysql","DstDatabaseType":"mysql","SrcRegion":"ap-guangzhou","DstRegion":"ap-guangzhou","InstanceClass":"small","Tags":{"TagKey":"k"}})",
       Err::InvalidParameter, "`Tags` must be of type Array of TagItem", ""},
      {"CreateMigrationService", R"({"SrcDatabaseType":"mysql","DstDatabaseType":"mysql","SrcRegion":"ap-guangzhou","DstRegion":"ap-guangzhou"})",
       Err::MissingParameter, "`InstanceClass`", ""},
      // nested required members name their full path
      {"DescribeMigrationJobs", R"({"TagFilters":[{"TagKey":"a"},{"TagValue":["x"]}]})", Err::MissingParameter,
       "`TagFilters.1.TagKey`", ""},
      {"DescribeMigrationJobs", R"({"TagFilters":[{"TagKey":"a","TagValue":["x"]}]})", std::nullopt, nullptr, ""},
      // the top level must be an object
      {"ResumeMigrateJob", R"(["JobId"])", Err::InvalidParameter, "must form a JSON object", ""},
      {"ResumeMigrateJob", R"("dts-1")", Err::InvalidParameter, "must form a JSON object", ""},
      {"ResumeMigrateJob", R"(null)", Err::InvalidParameter, "must form a JSON object", ""},
  };
  for (const Row& r : rows) {
    std::string action = r.action, body = r.body;
    CAPTURE(action);
    CAPTURE(body);
    Outcome o = run(action, body);
    if (!r.code) {
      CHECK_MESSAGE(!o.err, (o.err ? o.err->en : std::string()));
    } else {
      REQUIRE(o.err);
      CHECK(code_of(o.err->code) == code_of(*r.code));
      if (r.in_message) CHECK_MESSAGE(o.err->en.find(r.in_message) != std::string::npos, o.err->en);
      CHECK(!o.err->zh.empty());
      CHECK(o.err->zh != o.err->en);
    }
    CHECK(o.hint == std::string(r.hint));
  }
}

TEST_CASE("validate: a full ModifyMigrationJob and its nested errors") {
  CHECK_FALSE(run("ModifyMigrationJob", modify("")).err);
  CHECK_FALSE(run("ModifyMigrationJob", modify(R"(,"Tags":[{"TagKey":"a","TagValue":"b"}])")).err);

  struct Case { std::string from, to, code, message; };
  const Case cases[] = {
      {R"("Region":"ap-guangzhou","AccessType":"cdb","DatabaseType":"mysql","NodeType":"simple","Info":[{"InstanceId":"cdb-1")",
       R"("AccessType":"cdb","DatabaseType":"mysql","NodeType":"simple","Info":[{"InstanceId":"cdb-1")", "MissingParameter",
       "`SrcInfo.Region`"},
      {R"("Port":3306)", R"("Port":"3306")", "InvalidParameter", "`SrcInfo.Info.0.Port` must be of type Integer"},
      {R"("Port":3306)", R"("Port":-1)", "InvalidParameter", "`SrcInfo.Info.0.Port` must be a non-negative integer"},
      {R"("Port":3306)", R"("Prot":3306)", "UnknownParameter", "Did you mean `SrcInfo.Info.0.Port`?"},
      {R"("ObjectMode":"all")", R"("ObjectMode":null)", "MissingParameter", "`MigrateOption.DatabaseTable.ObjectMode`"},
      {R"("DatabaseTable":{"ObjectMode":"all"})", R"("DatabaseTable":"all")", "InvalidParameter",
       "`MigrateOption.DatabaseTable` must be of type DatabaseTableObject"},
      {R"("Info":[{"InstanceId":"cdb-2"}])", R"("Info":[])", "", ""},  // an empty required list is present
  };
  for (const Case& c : cases) {
    std::string body = modify("");
    auto pos = body.find(c.from);
    REQUIRE(pos != std::string::npos);
    body.replace(pos, c.from.size(), c.to);
    CAPTURE(body);
    Outcome o = run("ModifyMigrationJob", body);
    if (c.code.empty()) {
      CHECK_FALSE(o.err);
      continue;
    }
    REQUIRE(o.err);
    CHECK(code_of(o.err->code) == c.code);
    CHECK_MESSAGE(o.err->en.find(c.message) != std::string::npos, o.err->en);
  }
}

TEST_CASE("validate: deep lists inside ConfigureSyncJob") {
  const std::string head =
      R"({"JobId":"sync-1","SrcAccessType":"cdb","DstAccessType":"cdb","Objects":{"Mode":"Partial","Databases":[{"DbName":"d","TableMode":"Partial","Tables":[{"TableName":"t"}]}],"DatabasesOpFilter":[{"DbName":"d","Tables":[{)";
  CHECK_FALSE(run("ConfigureSyncJob", head + R"("TableName":"t"}]}]}})").err);
  Outcome o = run("ConfigureSyncJob", head + R"("TableName":null}]}]}})");
  REQUIRE(o.err);
  CHECK(o.err->code == Err::MissingParameter);
  CHECK_MESSAGE(o.err->en.find("`Objects.DatabasesOpFilter.0.Tables.0.TableName`") != std::string::npos, o.err->en);
  // A misspelt required member is reported as unknown, with the suggestion.
  o = run("ConfigureSyncJob", head + R"("TableNam":"t"}]}]}})");
  REQUIRE(o.err);
  CHECK(o.err->code == Err::UnknownParameter);
  CHECK(o.hint == "Objects.DatabasesOpFilter.0.Tables.0.TableName");
}

TEST_CASE("validate: 10,000 levels of nesting are refused without blowing the stack") {
  const model::Action* a = model::find_action("CreateMigrationService");
  REQUIRE(a);
  // Built by hand: a recursive parser is not what is under test here.
  Json doc(rapidjson::kObjectType);
  auto& al = doc.GetAllocator();
  JsonValue inner(rapidjson::kArrayType);
  for (int i = 0; i < 10000; ++i) {
    JsonValue outer(rapidjson::kArrayType);
    outer.PushBack(inner, al);
    inner = outer;
  }
  doc.AddMember("Tags", inner, al);
  std::string hint;
  auto err = validate(*a, doc, &hint);
  REQUIRE(err);
  CHECK(err->code == Err::InvalidParameter);
  CHECK_MESSAGE(err->en.find("`Tags.0`") != std::string::npos, err->en);

  // The same depth of objects under an object member.
  Json doc2(rapidjson::kObjectType);
  JsonValue obj(rapidjson::kObjectType);
  for (int i = 0; i < 10000; ++i) {
    JsonValue outer(rapidjson::kObjectType);
    outer.AddMember("DatabaseTable", obj, al);
    obj = outer;
  }
  doc2.AddMember("MigrateOption", obj, doc2.GetAllocator());
  const model::Action* m = model::find_action("ModifyMigrationJob");
  err = validate(*m, doc2);
  REQUIRE(err);
  // MigrateOption.DatabaseTable.DatabaseTable is not a member of DatabaseTableObject.
  CHECK(err->code == Err::UnknownParameter);
  CHECK_MESSAGE(err->en.find("`MigrateOption.DatabaseTable.DatabaseTable`") != std::string::npos, err->en);
}

TEST_CASE("validate: every action accepts a body with exactly its required members") {
  // A generic well-typed value for each member, built from the model itself.
  std::function<void(const model::Object&, JsonValue&, Alloc&, int)> fill = [&](const model::Object& o, JsonValue& out,
                                                                                 Alloc& al, int depth) {
    out.SetObject();
    for (const auto& mm : o.all()) {
      if (!mm.required) continue;
      JsonValue v;
      auto one = [&](model::Type t, JsonValue& x) {
        switch (t) {
          case model::Type::String: x.SetString("x"); break;
          case model::Type::Int: x.SetUint64(1); break;
          case model::Type::Float: x.SetDouble(1.5); break;
          case model::Type::Bool: x.SetBool(true); break;
          case model::Type::Object: fill(model::object(mm.object), x, al, depth + 1); break;
          case model::Type::List: break;
        }
      };
      if (mm.type == model::Type::List) {
        v.SetArray();
        JsonValue e;
        one(mm.elem, e);
        v.PushBack(e, al);
      } else {
        one(mm.type, v);
      }
      out.AddMember(JsonValue(mm.name.data(), static_cast<rapidjson::SizeType>(mm.name.size()), al), v, al);
    }
  };
  for (const auto& a : model::actions()) {
    CAPTURE(a.name);
    Json doc;
    fill(model::object(a.input), doc, doc.GetAllocator(), 0);
    auto err = validate(a, doc);
    CHECK_MESSAGE(!err, (err ? err->en : std::string()));
    // Removing any one required top-level member is reported by name.
    for (const auto& mm : model::object(a.input).all()) {
      if (!mm.required) continue;
      Json copy;
      copy.CopyFrom(doc, copy.GetAllocator());
      copy.RemoveMember(JsonValue(mm.name.data(), static_cast<rapidjson::SizeType>(mm.name.size())));
      auto e = validate(a, copy);
      REQUIRE(e);
      CHECK(e->code == Err::MissingParameter);
      CHECK(e->en.find("`" + std::string(mm.name) + "`") != std::string::npos);
    }
  }
}

TEST_CASE("validate: an unknown name is not echoed at any length") {
  const model::Action* a = model::find_action("ResumeMigrateJob");
  Json doc;
  doc.SetObject();
  std::string long_name(100000, 'Q');
  doc.AddMember(JsonValue(long_name.c_str(), doc.GetAllocator()), JsonValue(1), doc.GetAllocator());
  auto err = validate(*a, doc);
  REQUIRE(err);
  CHECK(err->code == Err::UnknownParameter);
  CHECK(err->en.find(std::string(64, 'Q')) != std::string::npos);
  CHECK(err->en.size() < 300);
}
