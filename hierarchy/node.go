package hierarchy

// Node is a unit resolved in one [Tree]: the lookup from [UnitID] (a hash probe or a
// walk of the code index, which dominates IsAncestor on a large tree) done once, so that a caller checking many
// relations against the same units pays only the constant-time comparison. A Node
// remembers its tree; its methods answer false for the zero Node and for nodes of
// different trees, so a Node kept across versions cannot give a wrong answer.
//
// Node values are immutable and safe for concurrent use.
type Node struct {
	t *Tree
	x int32
}

// Node returns the node of unit id, or the zero Node when the tree has no such unit.
func (t *Tree) Node(id UnitID) Node {
	x, ok := t.find(id)
	if !ok {
		return Node{}
	}
	return Node{t: t, x: x}
}

// Valid reports whether n is a unit of a tree.
func (n Node) Valid() bool { return n.t != nil }

// ID returns the unit's ID, or "" for the zero Node.
func (n Node) ID() UnitID {
	if n.t == nil {
		return ""
	}
	return n.t.units[n.x].ID
}

// Unit returns the unit.
func (n Node) Unit() (Unit, bool) {
	if n.t == nil {
		return Unit{}, false
	}
	return n.t.units[n.x], true
}

// IsAncestorOf reports whether n is strictly above m in the same tree.
func (n Node) IsAncestorOf(m Node) bool {
	return n.t != nil && n.t == m.t && n.x < m.x && m.x < n.t.nodes[n.x].end
}

// Contains reports whether m is n or below it in the same tree.
func (n Node) Contains(m Node) bool {
	return n.t != nil && n.t == m.t && n.t.contains(n.x, m.x)
}
