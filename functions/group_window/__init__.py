"""Group window function: run by each group's slot schedule."""
