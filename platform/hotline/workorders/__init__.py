"""Work orders: intake, dispatch, handling, reply, callback, archive."""
