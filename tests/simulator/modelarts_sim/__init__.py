"""The ModelArts simulator as a package: the server, the shared machinery, and one module per resource.

``resources.py`` lists the resources, one line each; README.md next to this package describes the layout,
how to add a resource, and every route. ``modelarts_simulator.py`` (next to the package) is the command line
and the import surface of the tests.
"""
