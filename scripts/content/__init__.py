"""Build-time content of the site: every figure, table and chart in the pages comes from
the catalog, the data tables and the engine through markers such as
``<!-- data:value pue=unknown -->`` (see :mod:`scripts.content.markers`)."""
