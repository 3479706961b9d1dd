"""The version of her-graph, in one place (the package and the pages it writes read it).

>>> __version__.count(".") >= 2
True
"""

__version__ = "0.1.0"
