"""GET /api/v1/openapi.json: the API described for clients and for schemathesis."""

from __future__ import annotations

from flask import jsonify

from agent_desk.api import bp
from models.complaints.complaint import Channel
from models.complaints.status import ComplaintStatus

_ERROR = {"$ref": "#/components/schemas/Error"}
_AUTH_ERRORS = {
    "401": {"description": "missing or invalid token", "content": {"application/json": {"schema": _ERROR}}},
    "403": {"description": "token of the wrong scope", "content": {"application/json": {"schema": _ERROR}}},
}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _query(name: str, description: str, **schema) -> dict:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema or {"type": "string"}}


SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "CG CM Helpline API (मुख्यमंत्री हेल्पलाइन)", "version": "1.0.0",
             "description": "Complaints and IVR call journeys. Bearer token from "
                            "`helpline tokens create NAME --scope api`."},
    "servers": [{"url": "/api/v1"}],
    "security": [{"bearer": []}],
    "paths": {
        "/complaints": {
            "get": {
                "summary": "List complaints, newest first",
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
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/NewComplaint"}}}},
                "responses": {"201": _json({"$ref": "#/components/schemas/Complaint"}, "registered"),
                              "400": _json(_ERROR, "a bad field, named in `field`"),
                              "422": _json(_ERROR, "no officer configured for the place"),
                              **_AUTH_ERRORS},
            },
        },
        "/complaints/{id}": {
            "get": {
                "summary": "One complaint with its history",
                "parameters": [{"name": "id", "in": "path", "required": True,
                                "schema": {"type": "string"},
                                "description": "10-digit complaint ID; spaces and dashes allowed"}],
                "responses": {"200": _json({"$ref": "#/components/schemas/Complaint"}, "found"),
                              "400": _json(_ERROR, "malformed ID or wrong check digit"),
                              "404": _json(_ERROR, "no such complaint"), **_AUTH_ERRORS},
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
                "history": {"type": "array", "items": {"type": "object"}}}},
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
