"""The citizens' own channels: the web portal, WhatsApp and Open311 GeoReport v2.

Each channel hands its complaint to `citizen.lodge`, which registers it through
`models.complaints.service.register` like every other channel: the same IDs, routing, duplicate
checks, history and SMS.
"""
