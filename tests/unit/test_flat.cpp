// The flattened parameter codec of GET and v1 form requests: typed values
// rebuilt from the model, round trips, and every refusal a caller can meet.
#include <doctest/doctest.h>

#include <string>

#include "server/flat.h"
#include "server/validate.h"

using namespace dtsmock;

namespace {

struct Decoded {
  std::optional<ApiError> err;
  Json json;
  std::string hint;
};

Decoded decode(std::string_view action, const KeyValues& kv) {
  const model::Action* a = model::find_action(action);
  REQUIRE_MESSAGE(a, action);
  Decoded d;
  d.hint = "stale";
  d.err = decode_flat(*a, kv, d.json, &d.hint);
  return d;
}

Json parse(std::string_view text) {
  Json j;
  REQUIRE_MESSAGE(parse_json(text, j), text);
  return j;
}

void check_round_trip(std::string_view action, std::string_view body) {
  CAPTURE(body);
  Json in = parse(body);
  KeyValues kv;
  flatten(in, kv);
  Decoded d = decode(action, kv);
  REQUIRE_MESSAGE(!d.err, d.err->en);
  CHECK_MESSAGE(d.json == in, to_string(d.json));
  const model::Action* a = model::find_action(action);
  auto v = validate(*a, d.json);
  CHECK_MESSAGE(!v, v->en);
}

void check_error(std::string_view action, const KeyValues& kv, Err code, std::string_view in_message,
                 std::string_view hint = "") {
  std::string keys;
  for (const auto& [k, v] : kv) keys += k + "=" + v + "&";
  CAPTURE(keys);
  Decoded d = decode(action, kv);
  REQUIRE(d.err);
  CHECK(code_of(d.err->code) == code_of(code));
  CHECK_MESSAGE(d.err->en.find(in_message) != std::string::npos, d.err->en);
  CHECK(!d.err->zh.empty());
  CHECK(d.hint == hint);
}

constexpr const char* kModify =
    R"({"JobId":"dts-1","RunMode":"immediate","AutoRetryTimeRangeMinutes":-5,)"
    R"("MigrateOption":{"DatabaseTable":{"ObjectMode":"partial","Databases":[{"DbName":"a","TableMode":"all"},{"DbName":"b","TableMode":"partial","Tables":[{"TableName":"t1"},{"TableName":"t2","NewTableName":"t2x"}]}]},"IsMigrateAccount":false,"Consistency":{"Mode":"full"}},)"
    R"("SrcInfo":{"Region":"ap-guangzhou","AccessType":"cdb","DatabaseType":"mysql","NodeType":"simple","Info":[{"InstanceId":"cdb-1","Port":3306,"Password":"p@ss w&rd=1%"}]},)"
    R"("DstInfo":{"Region":"ap-guangzhou","AccessType":"cdb","DatabaseType":"mysql","NodeType":"simple","Info":[{"InstanceId":"cdb-2"}]},)"
    R"("Tags":[{"TagKey":"env","TagValue":"测试"}]})";

}  // namespace

TEST_CASE("flat: round trips through flatten and decode_flat") {
  check_round_trip("ResumeMigrateJob", R"({"JobId":"dts-1kl0iy0v","ResumeOption":"normal"})");
  check_round_trip("DescribeMigrationJobs",
                   R"({"Status":["created","running"],"Limit":18446744073709551615,"Offset":0,"TagFilters":[{"TagKey":"k","TagValue":["a","b"]}]})");
  check_round_trip("CreateMigrationService",
                   R"({"SrcDatabaseType":"mysql","DstDatabaseType":"mysql","SrcRegion":"ap-guangzhou","DstRegion":"ap-guangzhou","InstanceClass":"small","Count":2,"Tags":[{"TagKey":"a","TagValue":""}]})");
  check_round_trip("ModifyMigrationJob", kModify);
  check_round_trip("StopCompare", R"({"JobId":"dts-1","CompareTaskId":"c","ForceStop":false})");
  check_round_trip("ResumeMigrateJob", R"({"JobId":"dts-1","DateTimeISOFormat":true})");
}

TEST_CASE("flat: values are typed by the model") {
  Decoded d = decode("ModifyMigrationJob", {{"SrcInfo.Info.0.Port", "3306"},
                                            {"SrcInfo.Info.0.InstanceId", "12"},
                                            {"AutoRetryTimeRangeMinutes", "-7"},
                                            {"MigrateOption.IsMigrateAccount", "TRUE"},
                                            {"JobName", "true"}});
  REQUIRE_MESSAGE(!d.err, d.err->en);
  const JsonValue& port = d.json["SrcInfo"]["Info"][0]["Port"];
  CHECK(port.IsUint64());
  CHECK(port.GetUint64() == 3306);
  CHECK(d.json["SrcInfo"]["Info"][0]["InstanceId"].IsString());  // a String member stays text
  CHECK(d.json["AutoRetryTimeRangeMinutes"].GetInt64() == -7);
  CHECK(d.json["MigrateOption"]["IsMigrateAccount"].IsTrue());
  CHECK(std::string(d.json["JobName"].GetString()) == "true");
  CHECK(d.hint.empty());
}

TEST_CASE("flat: list indices in any order; common parameters skipped") {
  Decoded d = decode("DescribeMigrationJobs", {{"Action", "DescribeMigrationJobs"},
                                               {"Status.1", "running"},
                                               {"Version", "2021-12-06"},
                                               {"Region", "ap-guangzhou"},
                                               {"Status.2", "failed"},
                                               {"Timestamp", "1700000000"},
                                               {"Nonce", "6129484611666145821"},
                                               {"SecretId", "AKID"},
                                               {"Signature", "abc="},
                                               {"SignatureMethod", "HmacSHA256"},
                                               {"Token", ""},
                                               {"Language", "en-US"},
                                               {"RequestClient", "SDK_GO_1.0"},
                                               {"Status.0", "created"},
                                               {"", ""}});
  REQUIRE_MESSAGE(!d.err, d.err->en);
  CHECK(to_string(d.json) == R"({"Status":["created","running","failed"]})");
}

TEST_CASE("flat: the key and index bounds") {
  KeyValues many;
  for (int i = 0; i < 10000; ++i) many.emplace_back("Status." + std::to_string(i), "s" + std::to_string(i));
  Decoded d = decode("DescribeMigrationJobs", many);
  REQUIRE_MESSAGE(!d.err, d.err->en);
  REQUIRE(d.json["Status"].Size() == 10000);
  CHECK(std::string(d.json["Status"][9999].GetString()) == "s9999");

  many.emplace_back("Limit", "1");
  check_error("DescribeMigrationJobs", many, Err::InvalidParameter, "10001 parameters, more than the limit of 10000");
  check_error("DescribeMigrationJobs", {{"Status.10000", "x"}}, Err::InvalidParameter,
              "`10000` is not a valid index for the list `Status`");
}

TEST_CASE("flat: refusals") {
  // unknown members, top level and nested, with suggestions
  check_error("DescribeMigrationJobs", {{"Limt", "10"}}, Err::UnknownParameter, "Did you mean `Limit`?", "Limit");
  check_error("DescribeMigrationJobs", {{"TagFilters.0.TagKye", "a"}}, Err::UnknownParameter,
              "`TagFilters.0.TagKye` is not recognized. Did you mean `TagFilters.0.TagKey`?", "TagFilters.0.TagKey");
  check_error("ResumeMigrateJob", {{"JobId", "x"}, {"Zzzzzzzz", "1"}}, Err::UnknownParameter,
              "The parameter `Zzzzzzzz` is not recognized.");
  check_error("ResumeMigrateJob", {{"JobId", "x"}, {"DryRun", "true"}}, Err::UnknownParameter, "`DryRun`");
  // numbers and Booleans that do not parse name the key
  check_error("DescribeMigrationJobs", {{"Limit", "ten"}}, Err::InvalidParameter,
              "The value `ten` of parameter `Limit` is not a valid Integer");
  check_error("DescribeMigrationJobs", {{"Limit", ""}}, Err::InvalidParameter, "`Limit` is not a valid Integer");
  check_error("DescribeMigrationJobs", {{"Limit", "1.5"}}, Err::InvalidParameter, "not a valid Integer");
  check_error("DescribeMigrationJobs", {{"Limit", "+5"}}, Err::InvalidParameter, "not a valid Integer");
  check_error("DescribeMigrationJobs", {{"Limit", "18446744073709551616"}}, Err::InvalidParameter,
              "not a valid Integer");
  check_error("DescribeMigrationJobs", {{"Limit", "-1"}}, Err::InvalidParameter, "`Limit` must be a non-negative integer");
  check_error("ModifyMigrationJob", {{"AutoRetryTimeRangeMinutes", "9223372036854775808"}}, Err::InvalidParameter,
              "not a valid Integer");
  check_error("ModifyMigrationJob", {{"SrcInfo.Info.0.Port", "33o6"}}, Err::InvalidParameter,
              "parameter `SrcInfo.Info.0.Port` is not a valid Integer");
  check_error("StopCompare", {{"ForceStop", "yes"}}, Err::InvalidParameter,
              "The value `yes` of parameter `ForceStop` is not a valid Boolean");
  check_error("ResumeMigrateJob", {{"DateTimeISOFormat", "1"}}, Err::InvalidParameter, "not a valid Boolean");
  // list index problems
  check_error("DescribeMigrationJobs", {{"Status.0", "a"}, {"Status.2", "c"}}, Err::InvalidParameter,
              "The list `Status` has no element at index 1");
  check_error("DescribeMigrationJobs", {{"Status.1", "b"}}, Err::InvalidParameter, "`Status` has no element at index 0");
  check_error("DescribeMigrationJobs", {{"Status.01", "a"}}, Err::InvalidParameter, "`01` is not a valid index");
  check_error("DescribeMigrationJobs", {{"Status.-1", "a"}}, Err::InvalidParameter, "`-1` is not a valid index");
  check_error("DescribeMigrationJobs", {{"Status.x", "a"}}, Err::InvalidParameter, "`x` is not a valid index");
  check_error("DescribeMigrationJobs", {{"Status.", "a"}}, Err::InvalidParameter, "is not a valid index for the list `Status`");
  check_error("ModifyMigrationJob", {{"SrcInfo.Info.0.Port", "1"}, {"SrcInfo.Info.2.Port", "1"}}, Err::InvalidParameter,
              "`SrcInfo.Info` has no element at index 1");
  // structure problems
  check_error("DescribeMigrationJobs", {{"Limit.0", "1"}}, Err::InvalidParameter,
              "The parameter `Limit` is of type Integer and cannot take the sub-key `0`");
  check_error("ResumeMigrateJob", {{"JobId.Name", "1"}}, Err::InvalidParameter, "`JobId` is of type String");
  check_error("DescribeMigrationJobs", {{"Status.0.Name", "1"}}, Err::InvalidParameter,
              "`Status.0` is of type String and cannot take the sub-key `Name`");
  check_error("DescribeMigrationJobs", {{"Status", "running"}}, Err::InvalidParameter,
              "`Status` must be of type Array of String");
  check_error("ModifyMigrationJob", {{"SrcInfo", "x"}}, Err::InvalidParameter, "`SrcInfo` must be of type DBEndpointInfo");
  check_error("ModifyMigrationJob", {{"SrcInfo", "x"}, {"SrcInfo.Region", "ap-guangzhou"}}, Err::InvalidParameter,
              "`SrcInfo` is given both as a plain value and with sub-keys");
  check_error("ModifyMigrationJob", {{"SrcInfo.Info.0", "x"}, {"SrcInfo.Info.0.Port", "1"}}, Err::InvalidParameter,
              "`SrcInfo.Info.0` is given both");
  check_error("ResumeMigrateJob", {{"JobId", "a"}, {"JobId", "b"}}, Err::InvalidParameter,
              "`JobId` is given more than once");
}

TEST_CASE("flat: decoding leaves required-member checks to validate") {
  Decoded d = decode("ModifyMigrationJob", {{"SrcInfo.Region", "ap-guangzhou"}});
  REQUIRE_MESSAGE(!d.err, d.err->en);
  auto v = validate(*model::find_action("ModifyMigrationJob"), d.json);
  REQUIRE(v);
  CHECK(v->code == Err::MissingParameter);
}

TEST_CASE("flat: flatten and encode_flat") {
  Json in = parse(R"({"JobId":"dts 1/é","Tags":[{"TagKey":"a&b=c","TagValue":null}],"Empty":[],"Limit":10,"Neg":-3,"F":1.5,"On":true,"Off":false,"N":null})");
  KeyValues kv;
  flatten(in, kv);
  KeyValues want = {{"JobId", "dts 1/é"}, {"Tags.0.TagKey", "a&b=c"}, {"Limit", "10"}, {"Neg", "-3"},
                    {"F", "1.5"}, {"On", "true"}, {"Off", "false"}};
  CHECK(kv == want);
  CHECK(encode_flat(in) ==
        "JobId=dts%201%2F%C3%A9&Tags.0.TagKey=a%26b%3Dc&Limit=10&Neg=-3&F=1.5&On=true&Off=false");
  Json arr = parse("[1,2]");
  CHECK(encode_flat(arr).empty());
}
