package engine

// MultiDelete exposes the DELETE of rows index rows, for the test of its query plan.
func (e *DB) MultiDelete(rows int) string { return e.multiDelete(rows) }

// PreparedRows is preparedRows, for the same test.
const PreparedRows = preparedRows
