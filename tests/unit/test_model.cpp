// The compact API model (server/api_model_data.inc) says what the reference
// says: spot checks of facts users rely on, and, when the reference files are
// present next to the checkout, a full comparison with them.
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "server/api_model.h"
#include "state/json.h"

using namespace dtsmock;
using model::Type;

namespace {

const model::Member& input_member(std::string_view action, std::string_view name) {
  const model::Action* a = model::find_action(action);
  REQUIRE(a != nullptr);
  const model::Member* m = model::object(a->input).find(name);
  REQUIRE_MESSAGE(m != nullptr, action, ".", name);
  return *m;
}

}  // namespace

TEST_CASE("model: 84 actions, sorted and each found by name") {
  auto all = model::actions();
  CHECK(all.size() == 84);
  CHECK(std::is_sorted(all.begin(), all.end(), [](auto& a, auto& b) { return a.name < b.name; }));
  for (const auto& a : all) {
    CAPTURE(a.name);
    CHECK(model::find_action(a.name) == &a);
    CHECK(model::object(a.input).name == std::string(a.name) + "Request");
    CHECK(model::object(a.output).name == std::string(a.name) + "Response");
  }
  CHECK(model::find_action("ResumeMigrateJob") != nullptr);
  CHECK(model::find_action("resumeMigrateJob") == nullptr);  // names are case-sensitive
  CHECK(model::find_action("NoSuchAction") == nullptr);
  CHECK(model::find_action("") == nullptr);
}

TEST_CASE("model: ResumeMigrateJob input") {
  const model::Action* a = model::find_action("ResumeMigrateJob");
  REQUIRE(a);
  const model::Object& in = model::object(a->input);
  CHECK(in.name == "ResumeMigrateJobRequest");
  CHECK(in.count == 2);
  const auto& job = input_member("ResumeMigrateJob", "JobId");
  CHECK(job.type == Type::String);
  CHECK(job.required);
  const auto& opt = input_member("ResumeMigrateJob", "ResumeOption");
  CHECK(opt.type == Type::String);
  CHECK_FALSE(opt.required);
  CHECK(in.find("jobid") == nullptr);
  // Every response carries RequestId.
  CHECK(model::object(a->output).find("RequestId") != nullptr);
}

TEST_CASE("model: integer signedness, lists of objects, nested objects") {
  const auto& limit = input_member("DescribeMigrationJobs", "Limit");
  CHECK(limit.type == Type::Int);
  CHECK(limit.unsigned_int);
  const auto& retry = input_member("ModifyMigrationJob", "AutoRetryTimeRangeMinutes");
  CHECK(retry.type == Type::Int);
  CHECK_FALSE(retry.unsigned_int);

  const auto& tags = input_member("CreateMigrationService", "Tags");
  CHECK(tags.type == Type::List);
  CHECK(tags.elem == Type::Object);
  REQUIRE(tags.object >= 0);
  CHECK(model::object(tags.object).name == "TagItem");
  CHECK(model::object(tags.object).find("TagKey") != nullptr);
  CHECK(model::object(tags.object).find("TagValue") != nullptr);

  const auto& status = input_member("DescribeMigrationJobs", "Status");
  CHECK(status.type == Type::List);
  CHECK(status.elem == Type::String);
  CHECK(status.object == -1);

  const auto& src = input_member("ModifyMigrationJob", "SrcInfo");
  CHECK(src.type == Type::Object);
  CHECK(src.required);
  REQUIRE(src.object >= 0);
  const model::Object& ep = model::object(src.object);
  CHECK(ep.name == "DBEndpointInfo");
  REQUIRE(ep.find("Region"));
  CHECK(ep.find("Region")->required);
  REQUIRE(ep.find("Info"));
  CHECK(model::object(ep.find("Info")->object).find("Port")->type == Type::Int);

  CHECK(model::find_object("TagItem") == &model::object(tags.object));
  CHECK(model::find_object("NoSuchObject") == nullptr);
}

TEST_CASE("model: output facts") {
  const model::Action* a = model::find_action("DescribeMigrationJobs");
  REQUIRE(a);
  const model::Object& out = model::object(a->output);
  REQUIRE(out.find("TotalCount"));
  CHECK(out.find("TotalCount")->type == Type::Int);
  CHECK(out.find("TotalCount")->output_required);
  REQUIRE(out.find("JobList"));
  CHECK(out.find("JobList")->type == Type::List);
  CHECK(model::object(out.find("JobList")->object).name == "JobItem");
  CHECK(model::find_object("DifferenceItem")->find("CostTime")->type == Type::Float);
}

TEST_CASE("model: members are sorted so lookups can binary-search") {
  for (size_t i = 0; i < model::object_count(); ++i) {
    const model::Object& o = model::object(static_cast<int>(i));
    CAPTURE(o.name);
    CHECK(std::is_sorted(o.all().begin(), o.all().end(), [](auto& a, auto& b) { return a.name < b.name; }));
    for (const auto& m : o.all()) {
      CHECK(o.find(m.name) == &m);
      if (m.type == Type::Object) CHECK(m.object >= 0);
      if (m.type == Type::List && m.elem == Type::Object) CHECK(m.object >= 0);
      if (m.type != Type::List) CHECK(m.elem == m.type);
      if (m.unsigned_int) CHECK(m.elem == Type::Int);
    }
  }
}

TEST_CASE("model: error lists") {
  auto errs = model::action_errors("ResumeMigrateJob");
  CHECK(errs.size() == 23);
  CHECK(std::find(errs.begin(), errs.end(), "ResourceNotFound.JobNotExist") != errs.end());
  CHECK(std::is_sorted(errs.begin(), errs.end()));
  CHECK(model::action_errors("NoSuchAction").empty());
  size_t total = 0;
  for (const auto& a : model::actions()) total += model::action_errors(a.name).size();
  CHECK(total == 1240);
}

TEST_CASE("model: extra body members") {
  const model::Member* m = model::body_extra_member("DateTimeISOFormat");
  REQUIRE(m);
  CHECK(m->type == Type::Bool);
  CHECK(model::body_extra_member("DryRun") == nullptr);
}

TEST_CASE("model: did-you-mean suggestions") {
  CHECK(model::edit_distance_ci("kitten", "sitting") == 3);
  CHECK(model::edit_distance_ci("JobId", "jobid") == 0);
  CHECK(model::edit_distance_ci("", "abc") == 3);

  CHECK(model::nearest_action("ResumeMigrateJobs") == "ResumeMigrateJob");
  CHECK(model::nearest_action("resumemigratejob") == "ResumeMigrateJob");
  CHECK(model::nearest_action("DescribeMigrateJobs") == "DescribeMigrationJobs");
  CHECK(model::nearest_action("StartMigratJob") == "StartMigrateJob");
  CHECK(model::nearest_action("Foo") == "");
  CHECK(model::nearest_action("") == "");
  CHECK(model::nearest_action(std::string(5000, 'x')) == "");

  const model::Object& in = model::object(model::find_action("ResumeMigrateJob")->input);
  CHECK(model::nearest_member(in, "JobID") == "JobId");
  CHECK(model::nearest_member(in, "ResumeOptions") == "ResumeOption");
  CHECK(model::nearest_member(in, "Limit") == "");
}

// The committed model against the reference data, when the reference is there
// (the project's own machines have it; a user's clone does not).
TEST_CASE("model: matches the reference api.json and action_errors.json") {
#ifdef DTSMOCK_SOURCE_DIR
  const std::string dir = std::string(DTSMOCK_SOURCE_DIR) + "/../shared/reference/dts-2021-12-06/";
#else
  const std::string dir = "/work/shared/reference/dts-2021-12-06/";
#endif
  auto slurp = [](const std::string& path, std::string& out) {
    std::ifstream f(path, std::ios::binary);
    if (!f) return false;
    std::stringstream ss;
    ss << f.rdbuf();
    out = ss.str();
    return true;
  };
  std::string api_text, err_text;
  if (!slurp(dir + "api.json", api_text) || !slurp(dir + "action_errors.json", err_text)) {
    MESSAGE("reference data not found under " << dir << "; comparison skipped");
    return;
  }
  Json api, errs;
  REQUIRE(parse_json(api_text, api));
  REQUIRE(parse_json(err_text, errs));
  const JsonValue& actions = api["actions"];
  const JsonValue& objects = api["objects"];
  CHECK(actions.MemberCount() == model::actions().size());

  std::set<std::string> checked;
  std::vector<std::string> todo;
  for (auto it = actions.MemberBegin(); it != actions.MemberEnd(); ++it) {
    std::string name = it->name.GetString();
    CAPTURE(name);
    const model::Action* a = model::find_action(name);
    REQUIRE(a);
    CHECK(model::object(a->input).name == it->value["input"].GetString());
    CHECK(model::object(a->output).name == it->value["output"].GetString());
    todo.push_back(it->value["input"].GetString());
    todo.push_back(it->value["output"].GetString());

    std::set<std::string> ref_codes;
    for (const auto& c : errs[name.c_str()].GetArray()) ref_codes.insert(c.GetString());
    std::set<std::string> ours;
    for (auto c : model::action_errors(name)) ours.insert(std::string(c));
    CHECK(ours == ref_codes);
  }
  while (!todo.empty()) {
    std::string oname = todo.back();
    todo.pop_back();
    if (!checked.insert(oname).second) continue;
    CAPTURE(oname);
    const model::Object* o = model::find_object(oname);
    REQUIRE(o);
    const JsonValue& members = objects[oname.c_str()]["members"];
    CHECK(members.Size() == o->count);
    for (const auto& rm : members.GetArray()) {
      std::string mname = rm["name"].GetString(), type = rm["type"].GetString(), elem = rm["member"].GetString();
      CAPTURE(mname);
      const model::Member* m = o->find(mname);
      REQUIRE(m);
      CHECK(m->required == (rm.HasMember("required") && rm["required"].IsTrue()));
      CHECK(m->output_required == (rm.HasMember("output_required") && rm["output_required"].IsTrue()));
      const bool scalar_elem = elem == "string" || elem == "int64" || elem == "uint64" || elem == "bool" ||
                               elem == "float" || elem == "int";
      if (type == "string") CHECK(m->type == Type::String);
      if (type == "int") CHECK((m->type == Type::Int && m->unsigned_int == (elem == "uint64")));
      if (type == "float") CHECK(m->type == Type::Float);
      if (type == "bool") CHECK(m->type == Type::Bool);
      if (type == "object") CHECK(m->type == Type::Object);
      if (type == "list") CHECK(m->type == Type::List);
      if ((type == "object" || type == "list") && !scalar_elem) {
        REQUIRE(m->object >= 0);
        CHECK(model::object(m->object).name == elem);
        todo.push_back(elem);
      } else {
        CHECK(m->object == -1);
      }
      if (type == "list" && scalar_elem) {
        if (elem == "string") CHECK(m->elem == Type::String);
        if (elem == "int64" || elem == "uint64") CHECK((m->elem == Type::Int && m->unsigned_int == (elem == "uint64")));
      }
    }
  }
  CHECK(checked.size() == model::object_count());
}
