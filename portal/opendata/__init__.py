"""The portal's public data as one documented package: a Frictionless Data Package of CSV and
JSON files (``package``), described once in ``schema``, filled from what an anonymous visitor may
see (``rows``), and a DCAT-AP catalogue of it for data portals (``dcat``). docs/open-data.md."""
