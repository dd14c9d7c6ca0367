"""The call flows behind each FastAGI route, and the route table."""

from __future__ import annotations

from ivr.agi import Route
from ivr.flows.callback import callback
from ivr.flows.feedback import feedback
from ivr.flows.inbound import inbound
from ivr.flows.lifecycle import as_route
from ivr.flows.queue_timeout import queue_timeout
from ivr.flows.services import IvrServices, create_services

FLOWS = {"ivr": inbound, "queue-timeout": queue_timeout, "feedback": feedback, "callback": callback}


def build_routes(services: IvrServices) -> dict[str, Route]:
    """agi_network_script -> route: `ivr`, `queue-timeout`, `feedback`, `callback`."""
    return {script: as_route(flow, services) for script, flow in FLOWS.items()}


__all__ = ["FLOWS", "IvrServices", "build_routes", "create_services"]
