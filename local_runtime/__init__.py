"""The local runtime (`make dev`): the whole platform on one machine, AWS served in-memory by moto.

`resources.py` and `moto_fidelity.py` are also what the tests stand on.
"""
