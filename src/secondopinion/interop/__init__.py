"""FHIR at the edges: our models mapped to FHIR R4B (`fhir.resources.R4B`, imported where used).

`plannet.py` maps the specialist directory to Da Vinci Plan-Net resources; `params.py` holds the FHIR search
parameters and their parsing, `fhirsearch.py` runs searches and reads (`queries.py` fetches); `api.py` serves
them under /api/v1/fhir/ (see docs/fhir-plannet.md).
"""
