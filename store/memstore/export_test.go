package memstore

// IndexLen is the number of slots the index keeps for value of field in collection
// coll: what a scan for it reads before filtering. Tests compare it with a model, so
// that a set keeping members it should have lost (invisible to scans, which re-check
// each document) is caught.
func IndexLen(s *Store, coll, field, value string) int {
	c := s.lookup(coll)
	if c == nil {
		return 0
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.index[field][value].len()
}
