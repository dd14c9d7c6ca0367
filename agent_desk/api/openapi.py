"""GET /api/v1/openapi.json: the API described for clients and for schemathesis."""

from __future__ import annotations

from flask import jsonify

from agent_desk.api import bp
from agent_desk.api.reports import OPENAPI_PATHS as REPORT_PATHS
from models.complaints.actions import ACTIONS
from models.complaints.complaint import Channel
from models.complaints.notes import MAX_FILES
from models.complaints.requests import CLOSURE_REASONS, PAUSE_REASONS
from models.complaints.status import ComplaintStatus

_ERROR = {"$ref": "#/components/schemas/Error"}
_AUTH_ERRORS = {
    "401": {"description": "missing or invalid token", "content": {"application/json": {"schema": _ERROR}}},
    "403": {"description": "token of the wrong scope", "content": {"application/json": {"schema": _ERROR}}},
}
_ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "string"},
       "description": "10-digit complaint ID; spaces and dashes allowed"}
_OFFICER_403 = {"description": "a token of the wrong scope, or an officer outside whose jurisdiction "
                               "the complaint is (or who may not take this step): `code` not_allowed",
                "content": {"application/json": {"schema": _ERROR}}}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _query(name: str, description: str, **schema) -> dict:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema or {"type": "string"}}


SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "CG CM Helpline API (मुख्यमंत्री हेल्पलाइन)", "version": "1.0.0",
             "description": "Complaints, officers' actions and IVR call journeys. Bearer token from "
                            "`helpline tokens create NAME --scope api` (acts as an admin), or "
                            "`helpline tokens create NAME --scope officer --officer LOGIN` (acts as "
                            "that officer, with that officer's rights: the complaints within the "
                            "officer's jurisdiction, and the officer's actions)."},
    "servers": [{"url": "/api/v1"}],
    "security": [{"bearer": []}],
    "paths": {
        "/complaints": {
            "get": {
                "summary": "List complaints, newest first (an officer's token: within the officer's jurisdiction)",
                "parameters": [
                    _query("status", "status", type="string", enum=[s.value for s in ComplaintStatus]),
                    _query("district", "district code, e.g. RPR"),
                    _query("department", "department code, e.g. REV"),
                    _query("level", "L1..L4", type="string", enum=["L1", "L2", "L3", "L4"]),
                    _query("channel", "channel", type="string", enum=[c.value for c in Channel]),
                    _query("mobile", "citizen's 10-digit mobile"),
                    _query("q", "text in description, name or transcript (Hindi or English)"),
                    _query("page", "page number", type="integer", minimum=1),
                    _query("per_page", "rows per page", type="integer", minimum=1, maximum=200),
                ],
                "responses": {"200": _json({"$ref": "#/components/schemas/ComplaintPage"}, "a page"),
                              "400": _json(_ERROR, "a bad filter, named in `field`"), **_AUTH_ERRORS},
            },
            "post": {
                "summary": "Register a complaint (routed to the L1 officer at once)",
                "parameters": [{
                    "name": "Idempotency-Key", "in": "header", "required": False,
                    "description": "The client's own key for this registration: the same key sent again "
                                   "with the same token (a retry after a lost answer) gets the complaint "
                                   "first registered with it, not a second one",
                    "schema": {"type": "string", "minLength": 1, "maxLength": 100, "pattern": "^[!-~]+$"}}],
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/NewComplaint"}}}},
                "responses": {"201": _json({"$ref": "#/components/schemas/Complaint"},
                                           "registered (or, for a known Idempotency-Key, registered before)"),
                              "400": _json(_ERROR, "a bad field (or Idempotency-Key), named in `field`"),
                              "422": _json(_ERROR, "no officer configured for the place"),
                              **_AUTH_ERRORS},
            },
        },
        "/complaints/{id}": {
            "get": {
                "summary": "One complaint with its history, explanations, requests, attachments, transfers",
                "parameters": [_ID],
                "responses": {"200": _json({"$ref": "#/components/schemas/Complaint"}, "found"),
                              "400": _json(_ERROR, "malformed ID or wrong check digit"),
                              "404": _json(_ERROR, "no such complaint"), **_AUTH_ERRORS,
                              "403": _OFFICER_403},
            },
        },
        "/complaints/{id}/actions": {
            "post": {
                "summary": "An officer's step on the complaint (docs/officers.md has each step's rule)",
                "parameters": [_ID],
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Action"}}}},
                "responses": {
                    "200": _json({"$ref": "#/components/schemas/Complaint"},
                                 "done: the complaint as it is now, with `result` (a request's id, "
                                 "the attachments' ids)"),
                    "400": _json(_ERROR, "bad input, named in `field` (and `code`)"),
                    "403": _OFFICER_403,
                    "404": _json(_ERROR, "no such complaint"),
                    "409": _json(_ERROR, "the complaint's status (or a pending request, the transfer "
                                         "cap, the top level) does not allow it; `code` says which"),
                    "422": _json(_ERROR, "no officer or nodal officer configured for the place"),
                    "401": _AUTH_ERRORS["401"]},
            },
        },
        "/complaints/{id}/attachments/{attachment_id}": {
            "get": {
                "summary": "An action-taken note's attachment (JPEG, PNG or PDF)",
                "parameters": [_ID, {"name": "attachment_id", "in": "path", "required": True,
                                     "schema": {"type": "integer"}}],
                "responses": {
                    "200": {"description": "the file", "content": {
                        t: {"schema": {"type": "string", "format": "binary"}}
                        for t in ("image/jpeg", "image/png", "application/pdf")}},
                    "400": _json(_ERROR, "malformed ID or wrong check digit"),
                    "404": _json(_ERROR, "no such attachment on this complaint"),
                    "401": _AUTH_ERRORS["401"], "403": _OFFICER_403},
            },
        },
        "/calls/{uniqueid}": {
            "get": {
                "summary": "A call's IVR journey",
                "parameters": [{"name": "uniqueid", "in": "path", "required": True,
                                "schema": {"type": "string"}}],
                "responses": {"200": _json({"$ref": "#/components/schemas/Call"}, "found"),
                              "404": _json(_ERROR, "no such call"), **_AUTH_ERRORS},
            },
        },
        "/calls": {
            "get": {
                "summary": "Calls from one number, newest first",
                "parameters": [{"name": "caller", "in": "query", "required": True,
                                "schema": {"type": "string", "minLength": 1}}],
                "responses": {"200": _json({"type": "object", "properties": {
                    "caller": {"type": "string"},
                    "calls": {"type": "array", "items": {"$ref": "#/components/schemas/Call"}}}},
                    "the calls"), "400": _json(_ERROR, "no caller given"), **_AUTH_ERRORS},
            },
        },
        "/wallboard": {
            "get": {
                "summary": "The queue's live numbers (the supervisors' wallboard)",
                "responses": {"200": _json({"type": "object", "properties": {
                    "asterisk": {"type": "boolean"},
                    "queues": {"type": "array", "items": {"type": "object", "properties": {
                        "queue": {"type": "string"}, "waiting": {"type": "integer"},
                        "longest_wait_s": {"type": "integer"}, "in_ivr": {"type": "integer"},
                        "answered": {"type": "integer"}, "abandoned": {"type": "integer"},
                        "service_level": {"type": "number", "nullable": True},
                        "service_level_s": {"type": "integer"}, "average_wait_s": {"type": "integer"},
                        "average_talk_s": {"type": "integer"},
                        "agents": {"type": "array", "items": {"type": "object", "properties": {
                            "name": {"type": "string"}, "interface": {"type": "string"},
                            "state": {"type": "string"}, "paused_reason": {"type": "string"},
                            "since": {"type": "string", "nullable": True, "format": "date-time"},
                            "calls_taken": {"type": "integer"}}}}}}}}},
                    "the numbers"), "503": _json(_ERROR, "Asterisk not reachable"), **_AUTH_ERRORS},
            },
        },
        **REPORT_PATHS,
    },
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        "schemas": {
            "Error": {"type": "object", "required": ["error"], "properties": {
                "error": {"type": "string"}, "field": {"type": "string"},
                "code": {"type": "string", "description": "the domain's stable error code"}}},
            "NewComplaint": {"type": "object", "required": ["mobile", "description", "district", "category"],
                             "additionalProperties": False, "properties": {
                "mobile": {"type": "string", "example": "9876543210"},
                "description": {"type": "string", "minLength": 5, "maxLength": 5000},
                "channel": {"type": "string", "enum": [c.value for c in Channel]},
                "citizen_name": {"type": "string", "maxLength": 120},
                "district": {"type": "string", "example": "RPR"},
                "block": {"type": "string", "example": "RPR-ABH"},
                "address": {"type": "string"},
                "category": {"type": "string", "example": "REV-MUT"},
                "language": {"type": "string", "enum": ["hi", "en"]}}},
            "Complaint": {"type": "object", "required": ["id", "status", "channel"], "properties": {
                "id": {"type": "string", "pattern": "^[0-9]{10}$"},
                "status": {"type": "string", "enum": [s.value for s in ComplaintStatus]},
                "channel": {"type": "string"}, "level": {"type": "string", "nullable": True},
                "officer": {"type": "object", "nullable": True, "description": "the current officer",
                            "properties": {"designation_en": {"type": "string"},
                                           "designation_hi": {"type": "string"}}},
                "due_at": {"type": "string", "format": "date-time", "nullable": True},
                "resolved_level": {"type": "string", "nullable": True},
                "closure_reason": {"type": "string", "nullable": True},
                "transfer_count": {"type": "integer"}, "reopen_count": {"type": "integer"},
                "beyond_l4": {"type": "boolean"},
                "history": {"type": "array", "items": {"type": "object", "properties": {
                    "at": {"type": "string"}, "actor": {"type": "string"}, "channel": {"type": "string"},
                    "action": {"type": "string"}, "level": {"type": "string", "nullable": True},
                    "note": {"type": "string"}}}},
                "explanations": {"type": "array", "items": {"type": "object", "properties": {
                    "level": {"type": "string"}, "round": {"type": "integer"},
                    "status": {"type": "string", "enum": ["requested", "submitted", "accepted", "rejected"]},
                    "overdue": {"type": "boolean"}, "text": {"type": "string"}}}},
                "requests": {"type": "array", "items": {"type": "object", "properties": {
                    "id": {"type": "integer"},
                    "kind": {"type": "string", "enum": ["more_time", "pause", "special_closure"]},
                    "status": {"type": "string", "enum": ["pending", "approved", "refused"]}}}},
                "attachments": {"type": "array", "items": {"type": "object"}},
                "transfers": {"type": "array", "items": {"type": "object"}},
                "alerts": {"type": "array", "items": {"type": "object"}},
                "calls": {"type": "array", "items": {"type": "object"}, "description": "the citizen's calls"},
                "result": {"type": "object", "description": "after an action"}}},
            "Action": {"type": "object", "required": ["action"], "additionalProperties": False, "properties": {
                "action": {"type": "string", "enum": list(ACTIONS)},
                "note": {"type": "string"}, "reason": {"type": "string"},
                "resolution": {"type": "string", "description": "resolve"},
                "text": {"type": "string", "description": "interim_reply: the SMS text (10-300)"},
                "days": {"type": "integer", "minimum": 1, "description": "request_more_time"},
                "reason_code": {"type": "string", "enum": list(PAUSE_REASONS) + list(CLOSURE_REASONS),
                                "description": "request_pause, propose_special_closure"},
                "category": {"type": "string", "description": "reroute, transfer: a category code"},
                "request_id": {"type": "integer", "description": "decide"},
                "decision": {"type": "string", "enum": ["approve", "refuse"]},
                "attachments": {"type": "array", "maxItems": MAX_FILES, "items": {
                    "type": "object", "required": ["content_base64"], "properties": {
                        "filename": {"type": "string"},
                        "content_base64": {"type": "string", "format": "byte"}}}}}},
            "ComplaintPage": {"type": "object", "required": ["total", "complaints"], "properties": {
                "page": {"type": "integer"}, "per_page": {"type": "integer"},
                "total": {"type": "integer"},
                "complaints": {"type": "array", "items": {"$ref": "#/components/schemas/Complaint"}}}},
            "Call": {"type": "object", "required": ["uniqueid", "steps"], "properties": {
                "uniqueid": {"type": "string"}, "caller": {"type": "string"},
                "complaint_id": {"type": "string", "nullable": True},
                "steps": {"type": "array", "items": {"type": "object"}}}},
        },
    },
}


@bp.get("/openapi.json")
def openapi_json():
    return jsonify(SPEC)
