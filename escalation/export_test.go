package escalation

// FreeRoom frees the room behind c's history as if no case had been applied to c yet,
// so that a benchmark can apply one command to the same newest case again and again.
// Only tests may call it: it breaks the claim that keeps results apart.
func FreeRoom(c Case) {
	if r := c.spare.r; r != nil {
		r.used.Store(int64(len(c.History)))
	}
}
