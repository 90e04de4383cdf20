"""MkDocs hooks of the site (listed under ``hooks:`` in ``mkdocs.yml``).

* :mod:`scripts.hooks.npm_assets` ships the self-hosted Pyodide runtime and KaTeX;
* :mod:`scripts.hooks.calculator_wheel` ships the calculator's wheel;
* :mod:`scripts.hooks.calculator_page` replaces the ``<!-- calculator:... -->`` markers
  of a page with the form, the first estimate and the export buttons;
* :mod:`scripts.hooks.content` replaces the ``<!-- data:... -->`` markers of the
  explanatory pages (:mod:`scripts.content`).
"""
