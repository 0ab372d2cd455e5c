"""Group rebalance function: the weekly schedule."""
