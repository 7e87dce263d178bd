// The control API's OpenAPI 3 document, embedded so the binary serves it
// without the source tree. Keep it in step with kRoutes in control_api.cpp:
// tests/unit/test_control.cpp checks every route is described here.
#include "server/control/control_api.h"

namespace dtsmock {

std::string_view control_openapi_json() {
  static constexpr std::string_view kDoc = R"json({
 "openapi": "3.0.3",
 "info": {
  "title": "dtsmock control API",
  "version": "1",
  "description": "dtsmock's own interface for steering the emulator from tests: the simulated clock, fault rules, the request journal and the job store. It lives under /_dtsmock/ on the same port as the emulated Tencent Cloud API (or on --admin-listen). It is not a Tencent API: requests and answers are plain JSON and errors are {\"error\": {\"code\", \"message\"}} with a 4xx or 5xx status. When the server has an admin token, every call needs `Authorization: Bearer <token>`."
 },
 "servers": [
  {
   "url": "http://127.0.0.1:8080"
  }
 ],
 "security": [
  {
   "adminToken": []
  },
  {}
 ],
 "paths": {
  "/_dtsmock/clock": {
   "get": {
    "summary": "Read the simulated clock",
    "operationId": "getClock",
    "responses": {
     "200": {
      "description": "The clock",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Clock"
        }
       }
      }
     },
     "401": {
      "$ref": "#/components/responses/Unauthorized"
     }
    }
   },
   "post": {
    "summary": "Change the simulated clock",
    "operationId": "setClock",
    "description": "Applies the given changes in this order: set, advance, scale, frozen. Nothing changes if any member is invalid.",
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/ClockChange"
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "The clock after the change",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Clock"
        }
       }
      }
     },
     "400": {
      "$ref": "#/components/responses/BadRequest"
     },
     "401": {
      "$ref": "#/components/responses/Unauthorized"
     }
    }
   }
  },
  "/_dtsmock/faults": {
   "get": {
    "summary": "List fault rules with their counters",
    "operationId": "listFaults",
    "responses": {
     "200": {
      "description": "Every rule, in the order they are consulted",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/FaultList"
        }
       }
      }
     },
     "401": {
      "$ref": "#/components/responses/Unauthorized"
     }
    }
   },
   "post": {
    "summary": "Add one fault rule, or several",
    "operationId": "addFaults",
    "description": "A single rule object answers the stored rule; an array (all or nothing) answers {\"faults\": [...]}.",
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "oneOf": [
         {
          "$ref": "#/components/schemas/FaultRule"
         },
         {
          "type": "array",
          "items": {
           "$ref": "#/components/schemas/FaultRule"
          }
         }
        ]
       }
      }
     }
    },
    "responses": {
     "201": {
      "description": "The stored rule(s)",
      "content": {
       "application/json": {
        "schema": {
         "oneOf": [
          {
           "$ref": "#/components/schemas/FaultRuleState"
          },
          {
           "$ref": "#/components/schemas/FaultList"
          }
         ]
        }
       }
      }
     },
     "400": {
      "$ref": "#/components/responses/BadRequest"
     },
     "409": {
      "$ref": "#/components/responses/Conflict"
     },
     "401": {
      "$ref": "#/components/responses/Unauthorized"
     }
    }
   },
   "delete": {
    "summary": "Remove every fault rule",
    "operationId": "clearFaults",
    "responses": {
     "200": {
      "description": "How many were removed",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/DeletedCount"
        }
       }
      }
     },
     "401": {
      "$ref": "#/components/responses/Unauthorized"
     }
    }
   }
  },
  "/_dtsmock/faults/{id}": {
   "parameters": [
    {
     "name": "id",
     "in": "path",
     "required": true,
     "schema": {
      "type": "string"
     }
    }
   ],
   "get": {
    "summary": "Read one fault rule",
    "operationId": "getFault",
    "responses": {
     "200": {
      "description": "The rule",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/FaultRuleState"
        }
       }
      }
     },
     "404": {
      "$ref": "#/components/responses/NotFound"
     },
     "401": {
      "$ref": "#/components/responses/Unauthorized"
     }
    }
   },
   "delete": {
    "summary": "Remove one fault rule",
    "operationId": "deleteFault",
    "responses": {
     "200": {
      "description": "The removed rule's id",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/DeletedId"
        }
       }
      }
     },
     "404": {
      "$ref": "#/components/responses/NotFound"
     },
     "401": {
      "$ref": "#/components/responses/Unauthorized"
     }
    }
   }
  },
  "/_dtsmock/requests": {
   "get": {
    "summary": "List journalled API calls",
    "operationId": "listRequests",
    "parameters": [
     {
      "$ref": "#/components/parameters/Journal_action"
     },
     {
      "$ref": "#/components/parameters/Journal_jobId"
     },
     {
      "$ref": "#/components/parameters/Journal_tenant"
     },
     {
      "$ref": "#/components/parameters/Journal_region"
     },
     {
      "$ref": "#/components/parameters/Journal_requestId"
     },
     {
      "$ref": "#/components/parameters/Journal_code"
     },
     {
      "$ref": "#/components/parameters/Journal_faultId"
     },
     {
      "$ref": "#/components/parameters/Journal_since"
     },
     {
      "$ref": "#/components/parameters/Journal_limit"
     }
    ],
    "responses": {
     "200": {
      "description": "Matching calls, oldest first",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/JournalPage"
        }
       }
      }
     },
     "400": {
      "$ref": "#/components/responses/BadRequest"
     },
     "401": {
      "$ref": "#/components/responses/Unauthorized"
     }
    }
   },
   "delete": {
    "summary": "Clear the journal",
    "operationId": "clearRequests",
    "description": "Sequence numbers keep counting after a clear.",
    "responses": {
     "200": {
      "description": "How many entries were removed",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/DeletedCount"
        }
       }
      }
     },
     "400": {
      "$ref": "#/components/responses/BadRequest"
     },
     "401": {
      "$ref": "#/components/responses/Unauthorized"
     }
    }
   }
  },
  "/_dtsmock/requests/count": {
   "get": {
    "summary": "Count journalled API calls",
    "operationId": "countRequests",
    "parameters": [
     {
      "$ref": "#/components/parameters/Journal_action"
     },
     {
      "$ref": "#/components/parameters/Journal_jobId"
     },
     {
      "$ref": "#/components/parameters/Journal_tenant"
     },
     {
      "$ref": "#/components/parameters/Journal_region"
     },
     {
      "$ref": "#/components/parameters/Journal_requestId"
     },
     {
      "$ref": "#/components/parameters/Journal_code"
     },
     {
      "$ref": "#/components/parameters/Journal_faultId"
     },
     {
      "$ref": "#/components/parameters/Journal_since"
     },
     {
      "$ref": "#/components/parameters/Journal_limit"
     }
    ],
    "responses": {
     "200": {
      "description": "The number of matching calls",
      "content": {
       "application/json": {
        "schema": {
         "type": "object",
         "required": [
          "count"
         ],
         "properties": {
          "count": {
           "type": "integer"
          }
         }
        }
       }
      }
     },
     "400": {
      "$ref": "#/components/responses/BadRequest"
     },
     "401": {
      "$ref": "#/components/responses/Unauthorized"
     }
    }
   }
  },
  "/_dtsmock/openapi.json": {
   "get": {
    "summary": "This document",
    "operationId": "getOpenApi",
    "responses": {
     "200": {
      "description": "The OpenAPI 3 document of the control API",
      "content": {
       "application/json": {
        "schema": {
         "type": "object"
        }
       }
      }
     },
     "401": {
      "$ref": "#/components/responses/Unauthorized"
     }
    }
   }
  },
  "/_dtsmock/jobs/{JobId}": {
   "parameters": [
    {
     "name": "JobId",
     "in": "path",
     "required": true,
     "schema": {
      "type": "string"
     }
    }
   ],
   "put": {
    "summary": "Force a job's state",
    "operationId": "setJob",
    "description": "Handled by the job store; the body is passed to it unchanged.",
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/JobStoreBody"
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "The job store's answer",
      "content": {
       "application/json": {
        "schema": {
         "type": "object"
        }
       }
      }
     },
     "400": {
      "$ref": "#/components/responses/BadRequest"
     },
     "404": {
      "$ref": "#/components/responses/NotFound"
     },
     "501": {
      "$ref": "#/components/responses/NotImplemented"
     },
     "401": {
      "$ref": "#/components/responses/Unauthorized"
     }
    }
   }
  },
  "/_dtsmock/jobs/{JobId}/fail": {
   "parameters": [
    {
     "name": "JobId",
     "in": "path",
     "required": true,
     "schema": {
      "type": "string"
     }
    }
   ],
   "post": {
    "summary": "Schedule a job failure",
    "operationId": "failJob",
    "description": "Handled by the job store; the body is passed to it unchanged.",
    "requestBody": {
     "required": false,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/JobStoreBody"
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "The job store's answer",
      "content": {
       "application/json": {
        "schema": {
         "type": "object"
        }
       }
      }
     },
     "400": {
      "$ref": "#/components/responses/BadRequest"
     },
     "404": {
      "$ref": "#/components/responses/NotFound"
     },
     "501": {
      "$ref": "#/components/responses/NotImplemented"
     },
     "401": {
      "$ref": "#/components/responses/Unauthorized"
     }
    }
   }
  },
  "/_dtsmock/fixtures": {
   "post": {
    "summary": "Load jobs from a fixture document",
    "operationId": "loadFixtures",
    "description": "Handled by the job store; the body is passed to it unchanged.",
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/JobStoreBody"
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "The job store's answer",
      "content": {
       "application/json": {
        "schema": {
         "type": "object"
        }
       }
      }
     },
     "400": {
      "$ref": "#/components/responses/BadRequest"
     },
     "501": {
      "$ref": "#/components/responses/NotImplemented"
     },
     "401": {
      "$ref": "#/components/responses/Unauthorized"
     }
    }
   }
  },
  "/_dtsmock/reset": {
   "post": {
    "summary": "Reset the emulator, or one tenant",
    "operationId": "reset",
    "description": "With ?tenant=T only that tenant's jobs are removed. Without it every job is removed and, when the job store succeeds, every fault rule and the journal are cleared too. The clock is left alone.",
    "parameters": [
     {
      "name": "tenant",
      "in": "query",
      "schema": {
       "type": "string"
      }
     }
    ],
    "responses": {
     "200": {
      "description": "The job store's answer",
      "content": {
       "application/json": {
        "schema": {
         "type": "object"
        }
       }
      }
     },
     "501": {
      "$ref": "#/components/responses/NotImplemented"
     },
     "401": {
      "$ref": "#/components/responses/Unauthorized"
     }
    }
   }
  },
  "/_dtsmock/state": {
   "get": {
    "summary": "Export the job store",
    "operationId": "exportState",
    "parameters": [
     {
      "name": "tenant",
      "in": "query",
      "schema": {
       "type": "string"
      },
      "description": "Only this tenant's jobs."
     }
    ],
    "responses": {
     "200": {
      "description": "The job store's export",
      "content": {
       "application/json": {
        "schema": {
         "type": "object"
        }
       }
      }
     },
     "501": {
      "$ref": "#/components/responses/NotImplemented"
     },
     "401": {
      "$ref": "#/components/responses/Unauthorized"
     }
    }
   }
  }
 },
 "components": {
  "securitySchemes": {
   "adminToken": {
    "type": "http",
    "scheme": "bearer",
    "description": "The token given with --admin-token. Not needed when the server has none."
   }
  },
  "parameters": {
   "Journal_action": {
    "name": "action",
    "in": "query",
    "schema": {
     "type": "string"
    },
    "description": "Only calls of this action, e.g. ResumeMigrateJob."
   },
   "Journal_jobId": {
    "name": "jobId",
    "in": "query",
    "schema": {
     "type": "string"
    },
    "description": "Only calls about this job."
   },
   "Journal_tenant": {
    "name": "tenant",
    "in": "query",
    "schema": {
     "type": "string"
    },
    "description": "Only calls from this tenant."
   },
   "Journal_region": {
    "name": "region",
    "in": "query",
    "schema": {
     "type": "string"
    },
    "description": "Only calls to this region."
   },
   "Journal_requestId": {
    "name": "requestId",
    "in": "query",
    "schema": {
     "type": "string"
    },
    "description": "Only the call answered with this RequestId."
   },
   "Journal_code": {
    "name": "code",
    "in": "query",
    "schema": {
     "type": "string"
    },
    "description": "`ok` or `success`: successful calls; `error`: failed calls; anything else: calls answered with exactly that error code."
   },
   "Journal_faultId": {
    "name": "faultId",
    "in": "query",
    "schema": {
     "type": "string"
    },
    "description": "Only calls answered by this fault rule; `any`: by any rule."
   },
   "Journal_since": {
    "name": "since",
    "in": "query",
    "schema": {
     "type": "string"
    },
    "description": "A sequence number N (calls with seq > N) or an RFC 3339 time (calls that arrived at or after it, wall clock)."
   },
   "Journal_limit": {
    "name": "limit",
    "in": "query",
    "schema": {
     "type": "integer",
     "minimum": 0
    },
    "description": "Keep only the last `limit` matching calls (the most recent ones)."
   }
  },
  "responses": {
   "BadRequest": {
    "description": "The request is malformed or invalid; the message says which member and why",
    "content": {
     "application/json": {
      "schema": {
       "$ref": "#/components/schemas/Error"
      }
     }
    }
   },
   "Unauthorized": {
    "description": "The admin token is missing or wrong",
    "content": {
     "application/json": {
      "schema": {
       "$ref": "#/components/schemas/Error"
      }
     }
    }
   },
   "NotFound": {
    "description": "No such endpoint or object",
    "content": {
     "application/json": {
      "schema": {
       "$ref": "#/components/schemas/Error"
      }
     }
    }
   },
   "Conflict": {
    "description": "A rule with that id already exists",
    "content": {
     "application/json": {
      "schema": {
       "$ref": "#/components/schemas/Error"
      }
     }
    }
   },
   "NotImplemented": {
    "description": "This build does not provide the endpoint",
    "content": {
     "application/json": {
      "schema": {
       "$ref": "#/components/schemas/Error"
      }
     }
    }
   }
  },
  "schemas": {
   "Error": {
    "type": "object",
    "required": [
     "error"
    ],
    "properties": {
     "error": {
      "type": "object",
      "required": [
       "code",
       "message"
      ],
      "properties": {
       "code": {
        "type": "string",
        "description": "One of InvalidJson, InvalidRule, InvalidClock, InvalidQuery, InvalidPath, Unauthorized, NotFound, MethodNotAllowed, Conflict, NotImplemented, InternalError, or a code chosen by the job store."
       },
       "message": {
        "type": "string"
       }
      }
     }
    }
   },
   "Clock": {
    "type": "object",
    "required": [
     "now",
     "nowMs",
     "scale",
     "frozen"
    ],
    "properties": {
     "now": {
      "type": "string",
      "format": "date-time",
      "description": "Simulated time, UTC, millisecond precision."
     },
     "nowMs": {
      "type": "integer",
      "format": "int64",
      "description": "The same, in milliseconds since the Unix epoch."
     },
     "scale": {
      "type": "number",
      "description": "Simulated seconds per real second."
     },
     "frozen": {
      "type": "boolean"
     }
    }
   },
   "ClockChange": {
    "type": "object",
    "additionalProperties": false,
    "minProperties": 1,
    "properties": {
     "set": {
      "type": "string",
      "format": "date-time",
      "description": "Jump to this time (any offset; may go back)."
     },
     "advance": {
      "type": "number",
      "minimum": 0,
      "description": "Move forwards by this many seconds (fractions allowed)."
     },
     "scale": {
      "type": "number",
      "exclusiveMinimum": true,
      "minimum": 0,
      "maximum": 1000000,
      "description": "New rate; now stays continuous."
     },
     "frozen": {
      "type": "boolean",
      "description": "Stop or restart time."
     }
    }
   },
   "FaultRule": {
    "type": "object",
    "additionalProperties": false,
    "description": "Filters (absent = any), firing controls, and exactly one of error, transport, http; delayMs may be given alone or with any of them.",
    "properties": {
     "id": {
      "type": "string",
      "pattern": "^[A-Za-z0-9_.:-]{1,64}$",
      "description": "Optional; generated (f1, f2, ...) when absent."
     },
     "note": {
      "type": "string",
      "description": "Free text, echoed in listings."
     },
     "action": {
      "type": "string",
      "minLength": 1
     },
     "jobId": {
      "type": "string",
      "minLength": 1
     },
     "tenant": {
      "type": "string",
      "minLength": 1
     },
     "region": {
      "type": "string",
      "minLength": 1
     },
     "times": {
      "type": "integer",
      "minimum": 1,
      "description": "Fire this many times, then retire."
     },
     "after": {
      "type": "integer",
      "minimum": 0,
      "description": "Let the first N matching calls through."
     },
     "probability": {
      "type": "number",
      "minimum": 0,
      "maximum": 1,
      "description": "Chance of firing on each eligible match."
     },
     "seed": {
      "type": "integer",
      "minimum": 0,
      "description": "Makes the probability draws repeatable; needs probability."
     },
     "error": {
      "type": "object",
      "additionalProperties": false,
      "required": [
       "code"
      ],
      "properties": {
       "code": {
        "type": "string",
        "pattern": "^[A-Za-z0-9_.]{1,128}$",
        "description": "Any code, catalogued or not."
       },
       "message": {
        "type": "string",
        "description": "Defaults to the code's catalogued message."
       }
      }
     },
     "transport": {
      "type": "string",
      "enum": [
       "reset",
       "empty",
       "malformed",
       "hang"
      ]
     },
     "http": {
      "type": "object",
      "additionalProperties": false,
      "required": [
       "status"
      ],
      "properties": {
       "status": {
        "type": "integer",
        "minimum": 100,
        "maximum": 599
       },
       "body": {
        "description": "A string is sent as is; any other JSON value is sent serialised."
       },
       "contentType": {
        "type": "string",
        "description": "Defaults to text/plain for a string body, application/json otherwise."
       }
      }
     },
     "delayMs": {
      "type": "integer",
      "minimum": 0,
      "maximum": 600000
     }
    }
   },
   "FaultRuleState": {
    "allOf": [
     {
      "$ref": "#/components/schemas/FaultRule"
     },
     {
      "type": "object",
      "required": [
       "id",
       "matched",
       "fired",
       "active"
      ],
      "properties": {
       "matched": {
        "type": "integer",
        "description": "Calls whose filters matched while the rule was active."
       },
       "fired": {
        "type": "integer",
        "description": "Calls the rule answered."
       },
       "active": {
        "type": "boolean",
        "description": "False once a times-limited rule has retired."
       }
      }
     }
    ]
   },
   "FaultList": {
    "type": "object",
    "required": [
     "faults"
    ],
    "properties": {
     "faults": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/FaultRuleState"
      }
     }
    }
   },
   "DeletedCount": {
    "type": "object",
    "required": [
     "deleted"
    ],
    "properties": {
     "deleted": {
      "type": "integer"
     }
    }
   },
   "DeletedId": {
    "type": "object",
    "required": [
     "deleted"
    ],
    "properties": {
     "deleted": {
      "type": "string"
     }
    }
   },
   "JournalEntry": {
    "type": "object",
    "properties": {
     "seq": {
      "type": "integer",
      "format": "int64"
     },
     "time": {
      "type": "string",
      "format": "date-time",
      "description": "Wall-clock arrival time."
     },
     "simTime": {
      "type": "string",
      "format": "date-time",
      "description": "Simulated time at arrival."
     },
     "tenant": {
      "type": "string"
     },
     "region": {
      "type": "string"
     },
     "action": {
      "type": "string"
     },
     "requestId": {
      "type": "string"
     },
     "style": {
      "type": "string",
      "description": "How the call was sent (signature and method)."
     },
     "params": {
      "nullable": true,
      "description": "Request parameters; secret-like members (names ending in password, secretkey or token) read ******."
     },
     "ok": {
      "type": "boolean"
     },
     "code": {
      "type": "string",
      "nullable": true
     },
     "message": {
      "type": "string",
      "nullable": true
     },
     "faultId": {
      "type": "string",
      "nullable": true
     },
     "jobId": {
      "type": "string",
      "nullable": true
     },
     "statusBefore": {
      "type": "string",
      "nullable": true
     },
     "statusAfter": {
      "type": "string",
      "nullable": true
     },
     "didYouMean": {
      "type": "string",
      "nullable": true
     },
     "latencyMs": {
      "type": "number"
     }
    }
   },
   "JournalPage": {
    "type": "object",
    "required": [
     "requests",
     "matched",
     "returned",
     "lastSeq"
    ],
    "properties": {
     "requests": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/JournalEntry"
      }
     },
     "matched": {
      "type": "integer",
      "description": "Matching entries before limit."
     },
     "returned": {
      "type": "integer"
     },
     "lastSeq": {
      "type": "integer",
      "format": "int64",
      "description": "Sequence number of the latest call recorded (use as since= to poll)."
     }
    }
   },
   "JobStoreBody": {
    "type": "object",
    "additionalProperties": true,
    "description": "Defined by the job store; see docs/control-api.md."
   }
  }
 }
})json";
  return kDoc;
}

}  // namespace dtsmock
