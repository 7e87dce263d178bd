#include "state/shapes.h"

namespace dtsmock {
namespace shapes {
namespace {
using F = Field;

constexpr F kKeyValue[] = {{"Key", F::Str}, {"Value", F::Str}};
constexpr F kTagItem[] = {{"TagKey", F::Str}, {"TagValue", F::Str}};

constexpr F kDBInfo[] = {
    {"Role", F::Str},          {"DbKernel", F::Str},     {"Host", F::Str},       {"Port", F::Int},
    {"User", F::Str},          {"Password", F::Str},     {"CvmInstanceId", F::Str}, {"UniqVpnGwId", F::Str},
    {"UniqDcgId", F::Str},     {"InstanceId", F::Str},   {"CcnGwId", F::Str},    {"VpcId", F::Str},
    {"SubnetId", F::Str},      {"EngineVersion", F::Str}, {"Account", F::Str},   {"AccountRole", F::Str},
    {"AccountMode", F::Str},   {"TmpSecretId", F::Str},  {"TmpSecretKey", F::Str}, {"TmpToken", F::Str},
    {"EncryptConn", F::Str, nullptr, "UnEncrypted"},     {"SetId", F::Str},
};
}  // namespace
const Shape KeyValue{kKeyValue};
const Shape TagItem{kTagItem};
const Shape DBInfo{kDBInfo};

namespace {
constexpr F kDBEndpointInfo[] = {
    {"Region", F::Str},   {"AccessType", F::Str}, {"DatabaseType", F::Str},         {"NodeType", F::Str},
    {"Info", F::ObjList, &DBInfo}, {"Supplier", F::Str}, {"ExtraAttr", F::ObjList, &KeyValue}, {"DatabaseNetEnv", F::Str},
    {"ConnectType", F::Str}, {"CcnOwnerUin", F::Str},
};

constexpr F kTableItem[] = {{"TableName", F::Str}, {"NewTableName", F::Str}, {"TmpTables", F::StrList}, {"TableEditMode", F::Str}};
constexpr F kViewItem[] = {{"ViewName", F::Str}, {"NewViewName", F::Str}};
constexpr F kRoleItem[] = {{"RoleName", F::Str}, {"NewRoleName", F::Str}};
}  // namespace
const Shape TableItem{kTableItem};
const Shape ViewItem{kViewItem};
const Shape RoleItem{kRoleItem};

namespace {
constexpr F kDBItem[] = {
    {"DbName", F::Str},        {"NewDbName", F::Str},   {"SchemaName", F::Str},   {"NewSchemaName", F::Str},
    {"DBMode", F::Str},        {"SchemaMode", F::Str},  {"TableMode", F::Str},    {"Tables", F::ObjList, &TableItem},
    {"ViewMode", F::Str},      {"Views", F::ObjList, &ViewItem}, {"RoleMode", F::Str}, {"Roles", F::ObjList, &RoleItem},
    {"FunctionMode", F::Str},  {"TriggerMode", F::Str}, {"EventMode", F::Str},    {"ProcedureMode", F::Str},
    {"Functions", F::StrList}, {"Procedures", F::StrList}, {"Events", F::StrList}, {"Triggers", F::StrList},
};
}  // namespace
const Shape DBItem{kDBItem};

namespace {
constexpr F kDatabaseTableObject[] = {{"ObjectMode", F::Str}, {"Databases", F::ObjList, &DBItem}, {"AdvancedObjects", F::StrList}};
}
const Shape DatabaseTableObject{kDatabaseTableObject};

namespace {
constexpr F kCompareOptions[] = {
    {"Method", F::Str, nullptr, "dataCheck"}, {"SampleRate", F::Int, nullptr, "", 100}, {"ThreadCount", F::Int, nullptr, "", 1},
    {"Type", F::Str, nullptr, "builtin"},     {"CompareMode", F::StrList},             {"ReCheckTime", F::Int},
    {"ReCheckInterval", F::Int},
};
constexpr F kCompareColumnItem[] = {{"ColumnName", F::Str}};
}  // namespace
const Shape CompareOptions{kCompareOptions};
const Shape CompareColumnItem{kCompareColumnItem};

namespace {
constexpr F kCompareTableItem[] = {{"TableName", F::Str}, {"ColumnMode", F::Str}, {"Columns", F::ObjList, &CompareColumnItem},
                                   {"FilterCondition", F::Str}, {"FilterTimeZone", F::Str}};
constexpr F kCompareViewItem[] = {{"ViewName", F::Str}};
}  // namespace
const Shape CompareTableItem{kCompareTableItem};
const Shape CompareViewItem{kCompareViewItem};

namespace {
constexpr F kCompareObjectItem[] = {
    {"DbName", F::Str},    {"DbMode", F::Str},   {"SchemaName", F::Str}, {"TableMode", F::Str},
    {"Tables", F::ObjList, &CompareTableItem},  {"ViewMode", F::Str},   {"Views", F::ObjList, &CompareViewItem},
};
}  // namespace
const Shape CompareObjectItem{kCompareObjectItem};

namespace {
constexpr F kCompareObject[] = {{"ObjectMode", F::Str}, {"ObjectItems", F::ObjList, &CompareObjectItem}, {"AdvancedObjects", F::StrList}};
}
const Shape CompareObject{kCompareObject};

namespace {
constexpr F kConsistencyOption[] = {{"Mode", F::Str, nullptr, "notConfigured"}, {"ObjectMode", F::Str},
                                    {"Objects", F::Obj, &DatabaseTableObject}, {"Options", F::Obj, &CompareOptions}};
constexpr F kRateLimit[] = {{"DumpThread", F::Int}, {"DumpRps", F::Int}, {"LoadThread", F::Int}, {"LoadRps", F::Int}, {"SinkerThread", F::Int}};
}  // namespace
const Shape ConsistencyOption{kConsistencyOption};
const Shape RateLimit{kRateLimit};

namespace {
constexpr F kMigrateOption[] = {
    {"DatabaseTable", F::Obj, &DatabaseTableObject},
    {"MigrateType", F::Str, nullptr, "fullAndIncrement"},
    {"Consistency", F::Obj, &ConsistencyOption},
    {"IsMigrateAccount", F::Bool},
    {"IsOverrideRoot", F::Bool},
    {"IsDstReadOnly", F::Bool},
    {"ExtraAttr", F::ObjList, &KeyValue},
    {"MigrateWay", F::Str},
    {"RateLimit", F::Obj, &RateLimit},
};
}  // namespace
const Shape MigrateOption{kMigrateOption};
const Shape DBEndpointInfo{kDBEndpointInfo};

}  // namespace shapes

JsonValue normalize(const JsonValue* in, const Shape& shape, Alloc& a) {
  JsonValue out(rapidjson::kObjectType);
  for (const Field& f : shape.fields) {
    const JsonValue* v = in ? member(*in, f.name) : nullptr;
    JsonValue val;
    switch (f.kind) {
      case Field::Str:
        val = (v && v->IsString()) ? JsonValue(*v, a) : jstr(f.sdef, a);
        break;
      case Field::Int:
        if (v && v->IsInt64()) val.SetInt64(v->GetInt64());
        else if (v && v->IsUint64()) val.SetUint64(v->GetUint64());
        else val.SetInt64(f.idef);
        break;
      case Field::Bool:
        val.SetBool(v && v->IsBool() ? v->GetBool() : false);
        break;
      case Field::StrList:
        val.SetArray();
        if (v && v->IsArray())
          for (const auto& e : v->GetArray())
            if (e.IsString()) val.PushBack(JsonValue(e, a), a);
        break;
      case Field::Obj:
        val = normalize(v, *f.shape, a);
        break;
      case Field::ObjList:
        val.SetArray();
        if (v && v->IsArray())
          for (const auto& e : v->GetArray()) val.PushBack(normalize(&e, *f.shape, a), a);
        break;
    }
    out.AddMember(jstr(f.name, a), val, a);
  }
  return out;
}

}  // namespace dtsmock
