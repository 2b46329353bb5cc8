"""What a user runs: the CLI, grids, sweep, results store, Table I and figures.

``python -m reproduce --help`` lists the commands.
"""
