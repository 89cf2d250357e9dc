"""Official-document engine: GB/T 9704 layout, Chinese line breaking, embedded fonts.

Import from the modules themselves: ``model`` (the document model), ``layout`` (rendering),
``text``, ``verify``, ``fonts``, ``linebreak`` and the ``compose`` package.
"""
